/* SPDX-License-Identifier: BSD-2-Clause */
/* What `dvm-pack layout` writes about a layout: the memory map as a text table and as
 * an SVG bar diagram, the C header for the VMM and the Microkit system-description
 * fragment. */
#ifndef PACK_MEMMAP_H
#define PACK_MEMMAP_H
#include <stdint.h>
#include "image.h"
#include "place.h"

struct lay_view {
	const struct lay_out *lay;
	const struct kimage *k;
	const struct region *dt;	/* regions the DTB declares */
	int ndt;
	const char *kernel_path, *initrd_path, *dtb_in, *dtb_out;
	uint64_t initrd_size, dtb_size;
	const char *bootargs;		/* the DTB's final bootargs, or NULL */
	const char *notes;		/* DTB patching notes, one per line */
	int zero_copy;			/* --zero-copy: data regions mapped cached */
};

/* Each returns a malloc'd NUL-terminated string. */
char *memmap_text(const struct lay_view *v);
char *memmap_svg(const struct lay_view *v);
/* guard: the include guard macro; prefix: of every macro name (libvmm's: "GUEST_"). */
char *vmm_header(const struct lay_view *v, const char *guard, const char *prefix);

/* The Microkit system-description fragment: guest RAM (memory region `vm`_ram, mapped
 * at vmm_vaddr in the VMM) and the DTB's UIO regions, in a <system> element. */
char *sdf_fragment(const struct lay_view *v, const char *vm, uint64_t vmm_vaddr);
/* A UIO region the guest signals through by faulting (named *fault or *notify). */
int sdf_is_fault_page(const char *label);
/* A UIO data region (--zero-copy: reserved without no-map, mapped cached): a name
 * containing "data", but not the net VM's VMM-filled "data_passing". */
int sdf_is_data_region(const struct region *r);

/* The regions of a layout, placed and declared, sorted by address, with the free gaps
 * of RAM as RK_FREE regions: for the text table and the unit tests. Returns the count
 * (at most max). */
int memmap_rows(const struct lay_view *v, struct region *rows, int max);

#endif
