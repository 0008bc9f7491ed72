// SPDX-License-Identifier: BSD-2-Clause
/* dvm-pack layout --zero-copy: make the UIO data regions memory the guest kernel has
 * struct pages for, so that dvm_uio maps them page-backed and cacheable and uio_blk can
 * run O_DIRECT straight into them (docs/uio_blk.md "Zero-copy", docs/layout.md).
 *
 * A data region (a generic-uio region whose name contains "data", but not the net VM's
 * VMM-filled "data_passing") gets a /reserved-memory child WITHOUT no-map: the kernel
 * keeps it in its linear map and never allocates from it. It must lie in a memory node:
 * when it lies in none, one is added for it. A no-map reservation covering it (the shared
 * window) is split around it, as no-map would take it out of the linear map again.
 *
 * The RAM cost is the vmemmap of memory sections (128 MiB on arm64 with 4 KiB pages,
 * 2 MiB of struct pages each) that had no memory before: noted per region. */
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dtb.h"
#include "memmap.h"
#include "util.h"

#define SECTION (128ull << 20)
#define MAXR 64

struct range { uint64_t a, s; };

static uint64_t cells_at(const fdt32_t *p, int n)
{
	return n == 2 ? ((uint64_t)fdt32_to_cpu(p[0]) << 32) | fdt32_to_cpu(p[1]) : fdt32_to_cpu(p[0]);
}

static int put_cells(fdt32_t *p, int n, uint64_t v)
{
	if (n == 2)
		p[0] = cpu_to_fdt32((uint32_t)(v >> 32));
	p[n - 1] = cpu_to_fdt32((uint32_t)v);
	return n;
}

/* The reg ranges of node (parent's cells ac/sc); count or -1. */
static int read_reg(const void *fdt, int node, int ac, int sc, struct range *out, int max)
{
	int len, n = 0;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (!reg || ac < 1 || ac > 2 || sc < 1 || sc > 2 || len % (4 * (ac + sc)))
		return -1;
	for (int i = 0; i < len / (4 * (ac + sc)) && n < max; i++, reg += ac + sc)
		out[n++] = (struct range){ cells_at(reg, ac), cells_at(reg + ac, sc) };
	return n;
}

static int write_reg(void *fdt, int node, int ac, int sc, const struct range *r, int n)
{
	fdt32_t buf[MAXR * 4];
	int k = 0;

	for (int i = 0; i < n; i++) {
		k += put_cells(buf + k, ac, r[i].a);
		k += put_cells(buf + k, sc, r[i].s);
	}
	return fdt_setprop(fdt, node, "reg", buf, k * 4);
}

/* Does a range of a memory node hold all of [a, a+s) (inside), or any of it (!inside: a
 * section that already has memory)? */
static int in_memory(const void *fdt, uint64_t a, uint64_t s, int inside)
{
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0), node;
	struct range r[MAXR];

	fdt_for_each_subnode(node, fdt, 0) {
		const char *t = fdt_getprop(fdt, node, "device_type", NULL);
		int n;
		if (!t || strcmp(t, "memory"))
			continue;
		n = read_reg(fdt, node, ac, sc, r, MAXR);
		for (int i = 0; i < n; i++)
			if (inside ? a >= r[i].a && s <= r[i].s && a - r[i].a <= r[i].s - s
				   : r[i].a < a + s && a < r[i].a + r[i].s)
				return 1;
	}
	return 0;
}


/* Remove [a, a+s) from every no-map reservation: their reg lists are rewritten. */
static int split_nomap(struct dtb *d, int rm, int ac, int sc, uint64_t a, uint64_t s)
{
	int node;

	fdt_for_each_subnode(node, d->fdt, rm) {
		struct range in[MAXR], out[MAXR];
		int n, k = 0, hit = 0;

		if (!fdt_getprop(d->fdt, node, "no-map", NULL) ||
		    (n = read_reg(d->fdt, node, ac, sc, in, MAXR)) <= 0)
			continue;
		for (int i = 0; i < n; i++) {
			uint64_t b = in[i].a, e = in[i].a + in[i].s;
			if (e <= a || b >= a + s) {
				out[k++] = in[i];
				continue;
			}
			hit = 1;
			if (b < a && k < MAXR)
				out[k++] = (struct range){ b, a - b };
			if (e > a + s && k < MAXR)
				out[k++] = (struct range){ a + s, e - (a + s) };
		}
		if (!hit)
			continue;
		if (k >= MAXR) {
			perr("%s: --zero-copy: too many reserved ranges", d->name);
			return -1;
		}
		if (!k) {
			/* wholly the data region: the no-map node goes; restart the walk */
			if (fdt_del_node(d->fdt, node))
				return -1;
			return split_nomap(d, rm, ac, sc, a, s);
		}
		if (write_reg(d->fdt, node, ac, sc, out, k))
			return -1;
	}
	return 0;
}

int dtb_zero_copy(struct dtb *d, const struct region *r, int nr)
{
	int root_ac = fdt_address_cells(d->fdt, 0), root_sc = fdt_size_cells(d->fdt, 0);
	int rm, ac, sc, nz = 0;
	size_t cap = d->cap + 8192 + (size_t)nr * 512;
	void *nb = xmalloc(cap);

	/* room for every edit up front: offsets stay valid, no retries */
	if (fdt_open_into(d->fdt, nb, (int)cap)) {
		free(nb);
		perr("%s: --zero-copy: cannot grow the DTB", d->name);
		return -1;
	}
	free(d->fdt);
	d->fdt = nb;
	d->cap = cap;
	rm = fdt_path_offset(d->fdt, "/reserved-memory");
	if (rm < 0) {
		fdt32_t one = 0;
		rm = fdt_add_subnode(d->fdt, 0, "reserved-memory");
		if (rm < 0 || fdt_setprop_u32(d->fdt, rm, "#address-cells", (uint32_t)root_ac) ||
		    fdt_setprop_u32(d->fdt, rm, "#size-cells", (uint32_t)root_sc) ||
		    fdt_setprop(d->fdt, rm, "ranges", &one, 0)) {
			perr("%s: --zero-copy: cannot add /reserved-memory", d->name);
			return -1;
		}
	}
	ac = fdt_address_cells(d->fdt, rm);
	sc = fdt_size_cells(d->fdt, rm);
	for (int i = 0; i < nr; i++) {
		const struct region *x = &r[i];
		char name[64];
		struct range rg = { x->start, x->size };
		int node, new_sections = 0;

		if (!sdf_is_data_region(x))
			continue;
		if (x->start % 4096 || x->size % 4096 || !x->size) {
			perr("%s: --zero-copy: data region %s (0x%llx + 0x%llx) is not whole pages",
			     d->name, x->label, (unsigned long long)x->start,
			     (unsigned long long)x->size);
			return -1;
		}
		for (uint64_t s = x->start / SECTION * SECTION; s < x->start + x->size; s += SECTION)
			new_sections += !in_memory(d->fdt, s, SECTION, 0);
		if (!in_memory(d->fdt, x->start, x->size, 1)) {
			snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)x->start);
			node = fdt_add_subnode(d->fdt, 0, name);
			if (node < 0 || fdt_setprop_string(d->fdt, node, "device_type", "memory") ||
			    write_reg(d->fdt, node, root_ac, root_sc, &rg, 1)) {
				perr("%s: --zero-copy: cannot add %s", d->name, name);
				return -1;
			}
			dtb_note(d, "zero-copy: %s lies in no memory node: added %s\n", x->label, name);
			rm = fdt_path_offset(d->fdt, "/reserved-memory");
		}
		if (split_nomap(d, rm, ac, sc, x->start, x->size)) {
			perr("%s: --zero-copy: cannot split the no-map reservation around %s",
			     d->name, x->label);
			return -1;
		}
		snprintf(name, sizeof(name), "%s@%llx", x->label, (unsigned long long)x->start);
		for (char *p = name; *p; p++)
			if (*p == '_')
				*p = '-';
		node = fdt_add_subnode(d->fdt, rm, name);
		if (node < 0 || write_reg(d->fdt, node, ac, sc, &rg, 1)) {
			perr("%s: --zero-copy: cannot add /reserved-memory/%s", d->name, name);
			return -1;
		}
		dtb_note(d, "zero-copy: %s 0x%llx + 0x%llx reserved without no-map; vmemmap: %s\n",
		     x->label, (unsigned long long)x->start, (unsigned long long)x->size,
		     new_sections ? "a 128 MiB section of its own (up to 2 MiB of guest RAM)"
				  : "in a section that already has memory (no extra)");
		nz++;
	}
	if (!nz) {
		perr("%s: --zero-copy: no UIO data region (a region name containing 'data')",
		     d->name);
		return -1;
	}
	return 0;
}
