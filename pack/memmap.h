/* What `dvm-pack layout` writes about a layout: the memory map as a text table and as
 * an SVG bar diagram, and the C header for the VMM. */
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
};

/* Each returns a malloc'd NUL-terminated string. */
char *memmap_text(const struct lay_view *v);
char *memmap_svg(const struct lay_view *v);
/* guard: the include guard macro; prefix: of every macro name (libvmm's: "GUEST_"). */
char *vmm_header(const struct lay_view *v, const char *guard, const char *prefix);

/* The regions of a layout, placed and declared, sorted by address, with the free gaps
 * of RAM as RK_FREE regions: for the text table and the unit tests. Returns the count
 * (at most max). */
int memmap_rows(const struct lay_view *v, struct region *rows, int max);

#endif
