// SPDX-License-Identifier: BSD-2-Clause
/* libFuzzer target: dvm-pack's DTB reading and patching (pack/layout/dtbscan.c, fdtpatch.c):
 * the regions a blob declares, then the memory node, /chosen initrd range and bootargs
 * set and the blob packed, as `dvm-pack layout` does (after dtb_check, dtb_load's check). The input is 24 bytes of
 * parameters (RAM base and size, initrd start and length) followed by the blob. Every
 * patched blob must pass libfdt's full check and hold the values asked for. */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>
#include "dtb.h"
#include "layout.h"
#include "util.h"

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct region r[LAYOUT_MAX_DT];
	struct dtb d = { 0 };

	perr_quiet = 1;
	if (size < 24 + sizeof(struct fdt_header) || size > (1u << 20))
		return 0;
	uint64_t base = le64(data) & ~0xfffull, ram = le64(data + 8) & 0x3ffff000ull;
	uint64_t initrd = base + (le64(data + 16) & 0xffffff), len = data[16] * 4096ull;
	const char *set = data[17] & 1 ? "console=ttyAMA0" : NULL;
	const char *append = data[17] & 2 ? "dvm.skip=blk" : NULL;
	data += 24;
	size -= 24;
	/* as dtb_load: a whole valid blob, opened in a buffer of exactly its size */
	void *buf = malloc(size);
	memcpy(buf, data, size);
	if (!ram || dtb_check(buf, size, "fuzz.dtb")) {
		free(buf);
		return 0;
	}
	d.name = "fuzz.dtb";
	d.cap = fdt_totalsize(buf);
	d.fdt = buf;
	if (fdt_open_into(buf, d.fdt, (int)d.cap)) {
		dtb_free(&d);
		return 0;
	}
	int nr = dtb_regions(d.fdt, r, LAYOUT_MAX_DT);
	if (nr >= 0 && !dtb_set_memory(&d, base, ram, r, nr) &&
	    !dtb_set_initrd(&d, initrd, initrd + len) &&
	    (!(set || append) || !dtb_set_bootargs(&d, set, append)) && !dtb_pack(&d)) {
		if (fdt_check_full(d.fdt, fdt_totalsize(d.fdt)))
			abort();
		int chosen = fdt_path_offset(d.fdt, "/chosen"), l;
		if (chosen < 0 || !fdt_getprop(d.fdt, chosen, "linux,initrd-start", &l) ||
		    !fdt_getprop(d.fdt, chosen, "linux,initrd-end", &l))
			abort();
		const char *ba = set || append ? fdt_getprop(d.fdt, chosen, "bootargs", &l) : NULL;
		if ((set || append) && (!ba || (append && !strstr(ba, append)) ||
					(set && strncmp(ba, set, strlen(set)))))
			abort();
	}
	dtb_free(&d);
	return 0;
}
