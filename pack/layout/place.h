/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest memory layout: where the kernel, the initramfs and the DTB go in guest RAM
 * (arm64 boot protocol, Documentation/arch/arm64/booting.rst), checked against the
 * regions the DTB itself declares (shared UIO windows, reserved memory). Pure
 * arithmetic: no files, no libfdt. Policy (docs/layout.md):
 *   - the kernel at the RAM base + text_offset (the RAM base must be 2 MiB aligned),
 *     as libvmm's linux_setup_images() loads it;
 *   - the initramfs at the lowest 4 KiB aligned address above the kernel's image_size;
 *   - the DTB at the highest 4 KiB aligned address that keeps it inside RAM and inside
 *     one 2 MiB block,
 * each avoiding the DTB's reserved and UIO regions. The free RAM is then one range
 * between the initramfs and the DTB, which the kernel joins with the initramfs pages
 * once it has unpacked and freed them. */
#ifndef PACK_PLACE_H
#define PACK_PLACE_H
#include <stdint.h>
#include "image.h"

#define SZ_4K 0x1000ull
#define SZ_2M 0x200000ull
#define SZ_1G 0x40000000ull
#define DTB_MAX SZ_2M			/* booting.rst: the DTB must not exceed 2 MiB */
#define LAY_AUTO UINT64_MAX		/* an address or size dvm-pack chooses */
#define LAY_MAX_RAM (64ull << 30)	/* where `auto` gives up */
#define LAY_DEFAULT_WORK (24ull << 20)	/* default working RAM for `auto` (docs/layout.md) */

enum rkind {
	RK_KERNEL, RK_INITRD, RK_DTB, RK_FREE,	/* what the layout places */
	RK_UIO,		/* a reg entry of a compatible = "generic-uio" node */
	RK_NOMAP,	/* a /reserved-memory child with no-map */
	RK_RESERVED,	/* a /reserved-memory child without no-map (mapped by Linux) */
	RK_MEMRSV,	/* a /memreserve/ entry of the DTB header */
	RK_DYNAMIC,	/* a /reserved-memory child with size and no reg: Linux allocates it */
};

struct region {
	char name[112];		/* "/blk@4fc00000 reg[1] (queues)" */
	char label[32];		/* RK_UIO: the region's name, as sdfgen and the drivers
				 * know it: "blk_req", or "blk_queues" (see dtbscan.c) */
	uint64_t start, size;
	int kind;
	int reusable;		/* reserved-memory "reusable" (a pool Linux may use) */
};

struct lay_in {
	uint64_t ram_base;
	uint64_t ram_size;	/* LAY_AUTO: the smallest that leaves `work` free */
	uint64_t work;		/* working RAM `auto` leaves free */
	struct kimage k;
	uint64_t initrd_size, dtb_size;
	uint64_t initrd_at, dtb_at;	/* LAY_AUTO or a fixed address */
	const struct region *dt;	/* regions the DTB declares */
	int ndt;
};

struct lay_out {
	uint64_t ram_base, ram_size;
	uint64_t kernel, kernel_end;	/* load address (= entry) .. load + image_size */
	uint64_t initrd, initrd_end;
	uint64_t dtb, dtb_end;
	uint64_t free;			/* RAM bytes (whole pages) not claimed by anything */
};

/* Place and check. Returns 0, or -1 after perr() naming the regions and addresses. */
int layout_place(const struct lay_in *in, struct lay_out *out);

/* "kernel [0x40000000, 0x42010000)" into buf. */
const char *range_str(char *buf, size_t n, const char *name, uint64_t start, uint64_t size);

#endif
