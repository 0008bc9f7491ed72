/* SPDX-License-Identifier: BSD-2-Clause */
/* `dvm-pack layout`, as functions minram reuses: load the inputs once, make the layout
 * for a RAM size (placement + patched DTB), write the outputs. */
#ifndef PACK_LAYOUT_H
#define PACK_LAYOUT_H
#include <getopt.h>
#include "dtb.h"
#include "image.h"
#include "place.h"

#define LAYOUT_MAX_DT 64	/* regions a DTB may declare */
#define BOOTARGS_MAX 2047	/* arm64 COMMAND_LINE_SIZE (2048) less the NUL */

struct lopts {
	const char *kernel, *initrd, *dtb;
	const char *bootargs, *append;	/* replace / append to /chosen bootargs */
	const char *macro;		/* header macro prefix */
	const char *stub;		/* also write the boot stub here */
	const char *vm_name;		/* the system description's virtual_machine */
	uint64_t vmm_vaddr;		/* where the VMM maps guest RAM */
	uint64_t ram_base, ram_size, work, initrd_at, dtb_at;
	int ram_size_given;		/* --ram-size given (ram_size LAY_AUTO: auto) */
	int zero_copy;			/* data regions reserved without no-map (dtbzc.c) */
};

/* getopt_long entries of the layout options (shared by layout and minram); the
 * array ends with a zero entry so it can be used as is. */
#define LOPT_ENTRIES                                                   \
	{ "kernel", required_argument, NULL, 'k' },                    \
	{ "initrd", required_argument, NULL, 'i' },                    \
	{ "dtb", required_argument, NULL, 'd' },                       \
	{ "output", required_argument, NULL, 'o' },                    \
	{ "ram-base", required_argument, NULL, 0x100 },                \
	{ "ram-size", required_argument, NULL, 0x101 },                \
	{ "work", required_argument, NULL, 0x102 },                    \
	{ "bootargs", required_argument, NULL, 0x103 },                \
	{ "append-bootargs", required_argument, NULL, 0x104 },         \
	{ "initrd-at", required_argument, NULL, 0x105 },               \
	{ "dtb-at", required_argument, NULL, 0x106 },                  \
	{ "macro-prefix", required_argument, NULL, 0x107 },            \
	{ "stub", required_argument, NULL, 0x108 },                    \
	{ "vm-name", required_argument, NULL, 0x109 },                 \
	{ "zero-copy", no_argument, NULL, 0x10b },                     \
	{ "vmm-vaddr", required_argument, NULL, 0x10a }
#define LOPT_SHORT "k:i:d:o:"

void lopt_defaults(struct lopts *o);
/* Apply option c (from LOPT_ENTRIES) with its argument: 1 handled, 0 not a layout
 * option, -1 bad value (reported, naming the option). 'o' is left to the caller.
 * Every value is either used or rejected: addresses and sizes are checked for their
 * alignment here, so no value can be mistaken for LAY_AUTO. */
int lopt_set(struct lopts *o, int c, const char *arg);
/* The -k/-i/-d checks: 0, or -1 naming the missing option. */
int lopt_check(const struct lopts *o);

struct lctx {
	struct lopts o;
	struct kimage k;
	uint64_t initrd_size;
	struct dtb src;			/* the DTB as loaded */
	struct region dt[LAYOUT_MAX_DT];
	int ndt;
};

struct lres {
	struct lay_out lay;
	struct dtb d;			/* the patched, packed DTB */
};

int layout_load(struct lctx *c);
/* The layout for ram_size (LAY_AUTO: the smallest leaving c->o.work free). */
int layout_make(struct lctx *c, uint64_t ram_size, struct lres *r);
/* PREFIX.dtb, .h, .map, .svg, .system (and the stub when asked), each atomically. */
int layout_write(const struct lctx *c, const struct lres *r, const char *prefix);
void layout_free(struct lctx *c, struct lres *r);

#endif
