// SPDX-License-Identifier: BSD-2-Clause
/* Reading the regions a DTB declares (generic-uio reg entries, /reserved-memory
 * children, /memreserve/ entries) as CPU physical addresses. */
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "dtb.h"
#include "util.h"

/* snprintf that may truncate (region names are for messages). */
static void setname(char *dst, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(dst, n, fmt, ap);
	va_end(ap);
}

static uint64_t cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 32 | fdt32_to_cpu(p[i]);
	return v;
}

static const char *path_of(const void *fdt, int node, char *buf, int n)
{
	if (fdt_get_path(fdt, node, buf, n))
		snprintf(buf, (size_t)n, "(node at offset %d)", node);
	return buf;
}

/* #address-cells / #size-cells that `node` gives its children; 1..2 supported. */
static int bus_cells(const void *fdt, int node, int *ac, int *sc)
{
	char p[256];
	*ac = fdt_address_cells(fdt, node);
	*sc = fdt_size_cells(fdt, node);
	if (*ac < 1 || *ac > 2 || *sc < 0 || *sc > 2) {
		perr("%s: #address-cells %d / #size-cells %d not supported (1-2 and 0-2)",
		     path_of(fdt, node, p, sizeof(p)), *ac, *sc);
		return -1;
	}
	return 0;
}

/* Translate an address on the bus of `parent` (the parent of some node) to the CPU's
 * physical address space, through the ranges of each ancestor bus. */
static int translate(const void *fdt, int parent, uint64_t *addr)
{
	char p[256];

	while (parent > 0) {
		int gp = fdt_parent_offset(fdt, parent), len, ac, sc, pac, psc;
		const fdt32_t *rg = fdt_getprop(fdt, parent, "ranges", &len);
		if (!rg) {
			perr("%s has no ranges: addresses below it are not CPU addresses",
			     path_of(fdt, parent, p, sizeof(p)));
			return -1;
		}
		if (len == 0) {		/* identity mapping */
			parent = gp;
			continue;
		}
		if (gp < 0 || bus_cells(fdt, parent, &ac, &sc) || bus_cells(fdt, gp, &pac, &psc))
			return -1;
		int per = ac + pac + sc, n = len / 4 / per, found = 0;
		for (int i = 0; i < n && !found; i++) {
			const fdt32_t *e = rg + i * per;
			uint64_t child = cells(e, ac), par = cells(e + ac, pac), size = cells(e + ac + pac, sc);
			if (*addr >= child && *addr - child < size) {
				*addr = par + (*addr - child);
				found = 1;
			}
		}
		if (!found) {
			perr("%s: address 0x%llx is in none of its ranges",
			     path_of(fdt, parent, p, sizeof(p)), (unsigned long long)*addr);
			return -1;
		}
		parent = gp;
	}
	return 0;
}

/* The name of UIO region i of `node`: the second compatible string when the node follows
 * the per-region binding (compatible = "generic-uio", "<name>": sdfgen's rule), else
 * the device's UIO name (linux,uio-name, or the node name without its unit address)
 * joined to the region's reg-names entry (dvm's own binding) or its index. */
static void uio_label(const void *fdt, int node, int i, char *dst, size_t n)
{
	int count = fdt_stringlist_count(fdt, node, "compatible"), len;
	const char *c1 = count == 2 ? fdt_stringlist_get(fdt, node, "compatible", 1, NULL) : NULL;
	const char *un = fdt_getprop(fdt, node, "linux,uio-name", &len);
	const char *rn = fdt_stringlist_get(fdt, node, "reg-names", i, NULL);
	const char *nn = fdt_get_name(fdt, node, &len);
	int nl = (int)strcspn(nn ? nn : "", "@");

	if (c1 && !strcmp(fdt_stringlist_get(fdt, node, "compatible", 0, NULL), "generic-uio")) {
		setname(dst, n, "%s", c1);
		return;
	}
	if (un && len > 0 && memchr(un, 0, (size_t)len))
		nl = (int)strlen(un);
	else
		un = nn ? nn : "uio";
	if (rn)
		setname(dst, n, "%.*s_%s", nl, un, rn);
	else
		setname(dst, n, "%.*s_%d", nl, un, i);
}

/* Append the reg entries of `node` as regions of `kind`. */
static int add_reg(const void *fdt, int node, int kind, struct region *r, int *n, int max)
{
	int parent = fdt_parent_offset(fdt, node), len, ac, sc;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	char p[256];

	if (!reg)
		return 0;
	if (parent < 0 || bus_cells(fdt, parent, &ac, &sc))
		return -1;
	path_of(fdt, node, p, sizeof(p));
	if (sc == 0 || len % (4 * (ac + sc))) {
		perr("%s: reg is %d bytes, not a whole number of <%d address + %d size> cells", p,
		     len, ac, sc);
		return -1;
	}
	for (int i = 0; i < len / 4 / (ac + sc); i++) {
		const fdt32_t *e = reg + i * (ac + sc);
		struct region x = { .kind = kind };
		const char *rn = fdt_stringlist_get(fdt, node, "reg-names", i, NULL);
		x.start = cells(e, ac);
		x.size = cells(e + ac, sc);
		if (translate(fdt, parent, &x.start))
			return -1;
		if (x.start + x.size < x.start) {
			perr("%s: reg[%d] 0x%llx + 0x%llx wraps past the address space", p, i,
			     (unsigned long long)x.start, (unsigned long long)x.size);
			return -1;
		}
		if (rn)
			setname(x.name, sizeof(x.name), "%s reg[%d] (%s)", p, i, rn);
		else
			setname(x.name, sizeof(x.name), "%s reg[%d]", p, i);
		x.reusable = fdt_getprop(fdt, node, "reusable", NULL) != NULL;
		if (kind == RK_UIO)
			uio_label(fdt, node, i, x.label, sizeof(x.label));
		if (*n >= max) {
			perr("more than %d regions declared in the DTB", max);
			return -1;
		}
		r[(*n)++] = x;
	}
	return 0;
}

static int enabled(const void *fdt, int node)
{
	int len;
	const char *s = fdt_getprop(fdt, node, "status", &len);
	return !s || (len == 5 && !memcmp(s, "okay", 5)) || (len == 3 && !memcmp(s, "ok", 3));
}

int dtb_regions(const void *fdt, struct region *r, int max)
{
	int n = 0, node, rm;

	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
		uint64_t a, s;
		if (fdt_get_mem_rsv(fdt, i, &a, &s) || n >= max)
			break;
		r[n] = (struct region){ .start = a, .size = s, .kind = RK_MEMRSV };
		snprintf(r[n].name, sizeof(r[n].name), "/memreserve/ %d", i);
		n++;
	}
	rm = fdt_path_offset(fdt, "/reserved-memory");
	if (rm >= 0) {
		fdt_for_each_subnode(node, fdt, rm) {
			const fdt32_t *sz;
			int len, ac, sc;
			if (!enabled(fdt, node))
				continue;
			if (fdt_getprop(fdt, node, "reg", NULL)) {
				int kind = fdt_getprop(fdt, node, "no-map", NULL) ? RK_NOMAP : RK_RESERVED;
				if (add_reg(fdt, node, kind, r, &n, max))
					return -1;
			} else if ((sz = fdt_getprop(fdt, node, "size", &len))) {
				char p[256];
				if (bus_cells(fdt, rm, &ac, &sc))
					return -1;
				if (len != 4 * sc || n >= max) {
					perr("%s: size is %d bytes, expected %d (#size-cells %d)",
					     path_of(fdt, node, p, sizeof(p)), len, 4 * sc, sc);
					return -1;
				}
				r[n] = (struct region){ .size = cells(sz, sc), .kind = RK_DYNAMIC };
				setname(r[n].name, sizeof(r[n].name), "%s",
					 path_of(fdt, node, p, sizeof(p)));
				n++;
			}
		}
	}
	for (node = fdt_node_offset_by_compatible(fdt, -1, "generic-uio"); node >= 0;
	     node = fdt_node_offset_by_compatible(fdt, node, "generic-uio"))
		if (enabled(fdt, node) && add_reg(fdt, node, RK_UIO, r, &n, max))
			return -1;
	return n;
}
