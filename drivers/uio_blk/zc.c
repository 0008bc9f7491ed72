// SPDX-License-Identifier: BSD-2-Clause
/* Zero-copy: which data regions the block device may read into and write from directly
 * (O_DIRECT, io_uring or pread/pwrite), with no bounce copy.
 *
 * Direct I/O pins the user pages it transfers to (get_user_pages). UIO's own mappings
 * (uio_pdrv_genirq: remap_pfn_range, VM_IO | VM_PFNMAP, Device memory) refuse that, so
 * they always take the copy. dvm_uio (kernel/dvm_uio) maps regions that the kernel has
 * struct pages for (reserved-memory without no-map) by inserting the pages: cacheable,
 * and direct I/O accepts them. It says which maps are so in /sys/class/uio/uioN/version
 * ("dvm_uio pages=0xM", read by uio_pages in core/uio.c). That is checked, and then the
 * mapping itself is tried without touching the client's data: process_vm_readv() of our
 * own mapping pins its pages just as direct I/O does, and only reads. */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>
#include "blk.h"
#include "log.h"
#include "uio.h"

/* 0 when direct I/O can pin the region's first page, else why not; buf: 4 KiB of ours. */
static const char *pin_check(volatile uint8_t *mem, void *buf)
{
	struct iovec local = { buf, 4096 }, remote = { (void *)(uintptr_t)mem, 4096 };

	if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == 4096)
		return 0;
	/* No CONFIG_CROSS_MEMORY_ATTACH (or not allowed): the version string decides. */
	if (errno == ENOSYS || errno == EPERM)
		return 0;
	return strerror(errno);
}

int blk_zc_setup(struct blk_srv *s, const char *root, int direct, unsigned lbs, int off)
{
	int n = 0;

	if (!lbs || (lbs & (lbs - 1)))
		lbs = 512;
	s->lbs = lbs;
	s->zc_align = lbs > 4096 ? lbs : 4096;
	for (int i = 0; i < s->shm.nregions; i++) {
		struct blk_region *r = &s->shm.region[i];
		const char *why = 0;

		r->zc = 0;
		if (off)
			why = "off (--copy)";
		else if (!direct)
			why = "the device is not open O_DIRECT";
		else if (!(uio_pages(root, r->uio) & (1u << r->map)))
			why = "map not page-backed (not dvm_uio, or no reserved-memory entry)";
		else if ((uintptr_t)r->mem % 4096 || r->size < 4096)
			why = "map not page-aligned";
		else
			why = pin_check(r->mem, s->bounce);
		if (!why) {
			r->zc = 1;
			n++;
		}
		info("data region %d (uio%d map%d, 0x%llx + 0x%llx): %s%s", i, r->uio, r->map,
		     (unsigned long long)r->paddr, (unsigned long long)r->size,
		     why ? "copy: " : "zero-copy", why ? why : "");
	}
	return n;
}
