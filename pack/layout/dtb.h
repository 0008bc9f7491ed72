/* SPDX-License-Identifier: BSD-2-Clause */
/* The driver VM's device tree: loading it (a DTB, or a DTS compiled with dtc), reading
 * the regions it declares, and patching it for a layout with libfdt. */
#ifndef PACK_DTB_H
#define PACK_DTB_H
#include <stddef.h>
#include <stdint.h>
#include "place.h"

struct dtb {
	void *fdt;		/* the blob, opened read-write in a buffer of cap bytes */
	size_t cap;
	const char *name;	/* the input file, for messages */
	char notes[1024];	/* what patching changed beyond the obvious, line by line */
};

/* Load a DTB, or a DTS (anything without the FDT magic) compiled by running
 * `dtc -I dts -O dtb`. The blob is checked with fdt_check_full(). 0 or -1 (reported). */
int dtb_load(const char *path, struct dtb *d);
void dtb_free(struct dtb *d);
/* Is buf (len bytes) a complete, valid blob dvm-pack can patch? 0, or -1 (reported,
 * naming `name`). dtb_load does this. */
int dtb_check(const void *buf, size_t len, const char *name);

/* Regions the DTB declares: reg entries of generic-uio nodes, /reserved-memory
 * children, /memreserve/ entries (addresses translated to CPU physical addresses
 * through the parents' ranges). Returns the number found (at most max), or -1. */
int dtb_regions(const void *fdt, struct region *r, int max);

/* Make guest RAM [base, base+size) the memory the kernel sees: the first memory node
 * (device_type = "memory") gets that reg, in the root's #address-cells/#size-cells, and
 * the name memory@BASE; it is created if there is none. Other memory nodes are deleted
 * (guest RAM is one region) unless every range of theirs lies in a no-map region of `r`
 * (a shared window a host presents as RAM), which are kept. */
int dtb_set_memory(struct dtb *d, uint64_t base, uint64_t size, const struct region *r, int nr);

/* /chosen (created if missing) linux,initrd-start and linux,initrd-end (end exclusive):
 * 32-bit cells when the property already has one cell and the value fits, else 64. */
int dtb_set_initrd(struct dtb *d, uint64_t start, uint64_t end);

/* /chosen bootargs: replaced by `set` (when not NULL), then `append` added after a
 * space (when not NULL). */
int dtb_set_bootargs(struct dtb *d, const char *set, const char *append);

/* --zero-copy (dtbzc.c): every UIO data region of r gets a /reserved-memory entry
 * without no-map inside a memory node (added when none covers it), no-map reservations
 * split around it; the vmemmap cost is noted. 0 or -1 (reported). */
int dtb_zero_copy(struct dtb *d, const struct region *r, int nr);

/* Add a line (printf-style, ending in a newline) to d->notes, what patching changed
 * beyond the obvious; cut off when full. */
void dtb_note(struct dtb *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Pack the blob (no free space left); its size is fdt_totalsize(d->fdt). */
int dtb_pack(struct dtb *d);

#endif
