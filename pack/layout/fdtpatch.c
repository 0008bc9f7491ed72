// SPDX-License-Identifier: BSD-2-Clause
/* Patching the DTB for a layout with libfdt: the memory node, /chosen's initrd range
 * and bootargs. The blob starts at its own size and grows (fdt_open_into a larger
 * buffer) whenever libfdt runs out of space; node offsets are relative to the structure
 * block, so they survive that. */
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dtb.h"
#include "util.h"

void dtb_note(struct dtb *d, const char *fmt, ...)
{
	size_t n = strlen(d->notes);
	va_list ap;
	va_start(ap, fmt);
	if (n < sizeof(d->notes) - 1)
		vsnprintf(d->notes + n, sizeof(d->notes) - n, fmt, ap);
	va_end(ap);
}

/* Called with a libfdt result: on -FDT_ERR_NOSPACE, double the buffer and return 1
 * (retry); otherwise 0 for success or -1 after reporting `what`. */
static int retry(struct dtb *d, int r, const char *what)
{
	if (r == -FDT_ERR_NOSPACE) {
		size_t cap = d->cap * 2 + 4096;
		void *nb = xmalloc(cap);
		if ((r = fdt_open_into(d->fdt, nb, (int)cap)) == 0) {
			free(d->fdt);
			d->fdt = nb;
			d->cap = cap;
			return 1;
		}
		free(nb);
	}
	if (r < 0) {
		perr("%s: %s: %s", d->name, what, fdt_strerror(r));
		return -1;
	}
	return 0;
}

/* Run a libfdt call (an expression using d->fdt) until it has room; 0 or -1. */
#define FDT_DO(d, what, call)                                             \
	({                                                                \
		int r_;                                                   \
		while ((r_ = retry((d), (call), (what))) == 1)            \
			;                                                 \
		r_;                                                       \
	})

/* Is every reg range of memory node `node` inside a no-map region? */
static int is_window(const void *fdt, int node, const struct region *r, int nr)
{
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0), len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (!reg || ac < 1 || ac > 2 || sc < 1 || sc > 2 || len <= 0 || len % (4 * (ac + sc)))
		return 0;
	for (int i = 0; i < len / 4 / (ac + sc); i++) {
		const fdt32_t *e = reg + i * (ac + sc);
		uint64_t s = fdt32_to_cpu(e[0]), z = fdt32_to_cpu(e[ac]);
		if (ac == 2)
			s = s << 32 | fdt32_to_cpu(e[1]);
		if (sc == 2)
			z = z << 32 | fdt32_to_cpu(e[ac + 1]);
		int in = 0;
		for (int j = 0; j < nr && !in; j++)
			in = r[j].kind == RK_NOMAP && s >= r[j].start && s + z <= r[j].start + r[j].size;
		if (!in)
			return 0;
	}
	return 1;
}

static int next_memory(const void *fdt, int after)
{
	return fdt_node_offset_by_prop_value(fdt, after, "device_type", "memory", sizeof("memory"));
}

int dtb_set_memory(struct dtb *d, uint64_t base, uint64_t size, const struct region *r, int nr)
{
	int ac = fdt_address_cells(d->fdt, 0), sc = fdt_size_cells(d->fdt, 0);
	fdt32_t reg[4];
	char name[32], path[256];
	int n = 0, node, prev = -1, target = -1;

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2) {
		perr("%s: the root's #address-cells %d / #size-cells %d are not supported for "
		     "the memory node (1 or 2 each)", d->name, ac, sc);
		return -1;
	}
	if ((ac == 1 && (base >> 32 || (base + size - 1) >> 32)) || (sc == 1 && size >> 32)) {
		perr("%s: guest RAM 0x%llx + 0x%llx does not fit the root's #address-cells %d / "
		     "#size-cells %d", d->name, (unsigned long long)base, (unsigned long long)size,
		     ac, sc);
		return -1;
	}
	if (ac == 2)
		reg[n++] = cpu_to_fdt32((uint32_t)(base >> 32));
	reg[n++] = cpu_to_fdt32((uint32_t)base);
	if (sc == 2)
		reg[n++] = cpu_to_fdt32((uint32_t)(size >> 32));
	reg[n++] = cpu_to_fdt32((uint32_t)size);
	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)base);

	for (node = next_memory(d->fdt, -1); node >= 0; node = next_memory(d->fdt, prev)) {
		if (fdt_get_path(d->fdt, node, path, sizeof(path)))
			snprintf(path, sizeof(path), "(memory node)");
		if (is_window(d->fdt, node, r, nr)) {
			dtb_note(d, "kept %s: its memory lies in a no-map reserved region\n", path);
			prev = node;
		} else if (target < 0) {
			target = prev = node;
			if (FDT_DO(d, "setting the memory node's reg",
				   fdt_setprop(d->fdt, node, "reg", reg, (int)(n * sizeof(reg[0])))))
				return -1;
			if (strcmp(fdt_get_name(d->fdt, node, NULL), name) &&
			    fdt_subnode_offset(d->fdt, fdt_parent_offset(d->fdt, node), name) < 0) {
				if (FDT_DO(d, "renaming the memory node", fdt_set_name(d->fdt, node, name)))
					return -1;
				dtb_note(d, "renamed %s to %s\n", path, name);
			}
		} else {
			/* deleting moves the following nodes down to this offset: go on from prev */
			if (FDT_DO(d, "deleting a memory node", fdt_del_node(d->fdt, node)))
				return -1;
			dtb_note(d, "deleted %s: guest RAM is the one region of %s\n", path, name);
		}
	}
	if (target < 0) {
		if ((node = FDT_DO(d, "adding a memory node", fdt_add_subnode(d->fdt, 0, name))) < 0)
			return -1;
		node = fdt_subnode_offset(d->fdt, 0, name);
		if (FDT_DO(d, "adding a memory node", fdt_setprop_string(d->fdt, node, "device_type", "memory")))
			return -1;
		node = fdt_subnode_offset(d->fdt, 0, name);
		if (FDT_DO(d, "setting the memory node's reg",
			   fdt_setprop(d->fdt, node, "reg", reg, (int)(n * sizeof(reg[0])))))
			return -1;
		dtb_note(d, "created /%s (the DTB had no memory node)\n", name);
	}
	return 0;
}

/* The offset of /chosen, created when missing; -1 on error. */
static int chosen(struct dtb *d)
{
	int node = fdt_path_offset(d->fdt, "/chosen");
	if (node >= 0)
		return node;
	if (FDT_DO(d, "adding /chosen", fdt_add_subnode(d->fdt, 0, "chosen")) < 0)
		return -1;
	dtb_note(d, "created /chosen\n");
	return fdt_path_offset(d->fdt, "/chosen");
}

static int set_addr(struct dtb *d, const char *prop, uint64_t v)
{
	int node = chosen(d), len = -1;
	if (node < 0)
		return -1;
	const void *old = fdt_getprop(d->fdt, node, prop, &len);
	if (old && len == 4 && !(v >> 32))
		return FDT_DO(d, prop, fdt_setprop_u32(d->fdt, node, prop, (uint32_t)v));
	if (old && len == 4)
		dtb_note(d, "/chosen/%s: 0x%llx needs 64 bits; the 32-bit property became 64-bit\n",
		     prop, (unsigned long long)v);
	else if (old && len != 8)
		dtb_note(d, "/chosen/%s was %d bytes; now a 64-bit value\n", prop, len);
	node = chosen(d);
	return FDT_DO(d, prop, fdt_setprop_u64(d->fdt, node, prop, v));
}

int dtb_set_initrd(struct dtb *d, uint64_t start, uint64_t end)
{
	return set_addr(d, "linux,initrd-start", start) || set_addr(d, "linux,initrd-end", end) ? -1 : 0;
}

int dtb_set_bootargs(struct dtb *d, const char *set, const char *append)
{
	int node = chosen(d), len;
	char *v;

	if (node < 0)
		return -1;
	if (set && FDT_DO(d, "bootargs", fdt_setprop_string(d->fdt, node, "bootargs", set)))
		return -1;
	if (!append)
		return 0;
	node = chosen(d);
	const char *old = fdt_getprop(d->fdt, node, "bootargs", &len);
	if (old && len > 0 && memchr(old, 0, (size_t)len) && old[0])
		v = xasprintf("%s %s", old, append);
	else
		v = xstrdup(append);
	int r = FDT_DO(d, "bootargs", fdt_setprop_string(d->fdt, node, "bootargs", v));
	free(v);
	return r ? -1 : 0;
}

int dtb_pack(struct dtb *d)
{
	int r = fdt_pack(d->fdt);
	if (r) {
		perr("%s: packing: %s", d->name, fdt_strerror(r));
		return -1;
	}
	return 0;
}
