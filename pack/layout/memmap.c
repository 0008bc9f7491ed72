// SPDX-License-Identifier: BSD-2-Clause
/* The memory map as a text table (memmap_text) and the rows behind it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "memmap.h"
#include "numarg.h"

static void add(struct region *rows, int *n, int max, const char *name, uint64_t s, uint64_t size,
		int kind)
{
	if (*n >= max)
		return;
	struct region *r = &rows[(*n)++];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->start = s;
	r->size = size;
	r->kind = kind;
}

static int by_start(const void *a, const void *b)
{
	const struct region *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->size != y->size)		/* the larger (enclosing) one first */
		return x->size > y->size ? -1 : 1;
	return x->kind - y->kind;
}

int memmap_rows(const struct lay_view *v, struct region *rows, int max)
{
	const struct lay_out *l = v->lay;
	uint64_t end = l->ram_base + l->ram_size;
	int n = 0;

	add(rows, &n, max, "kernel", l->kernel, l->kernel_end - l->kernel, RK_KERNEL);
	add(rows, &n, max, "initramfs", l->initrd, l->initrd_end - l->initrd, RK_INITRD);
	add(rows, &n, max, "DTB", l->dtb, l->dtb_end - l->dtb, RK_DTB);
	for (int i = 0; i < v->ndt; i++)
		if (v->dt[i].kind != RK_DYNAMIC && n < max)
			rows[n++] = v->dt[i];
	/* free: RAM not covered by anything above (whole pages) */
	int m = n;
	qsort(rows, (size_t)m, sizeof(*rows), by_start);
	uint64_t p = l->ram_base;
	for (int i = 0; i <= m && p < end; i++) {
		uint64_t s = i < m ? rows[i].start & ~0xfffull : end;
		uint64_t e = i < m ? (rows[i].start + rows[i].size + 0xfff) & ~0xfffull : end;
		if (s > end)
			s = end;
		if (s > p)
			add(rows, &n, max, "free", p, s - p, RK_FREE);
		if (e > p)
			p = e;
	}
	qsort(rows, (size_t)n, sizeof(*rows), by_start);
	return n;
}

static const char *kind_name(int k)
{
	static const char *const names[] = { "kernel", "initramfs", "dtb", "free", "uio",
		"reserved no-map", "reserved", "memreserve", "dynamic" };
	return names[k];
}

char *memmap_text(const struct lay_view *v)
{
	const struct lay_out *l = v->lay;
	const struct kimage *k = v->k;
	uint64_t end = l->ram_base + l->ram_size;
	struct region rows[160];
	char *buf = NULL, h[32], h2[32];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int n = memmap_rows(v, rows, 160);
	int w = end > 0xffffffffull ? 18 : 10;

	fprintf(f, "# guest memory layout (dvm-pack layout)\n");
	fprintf(f, "# kernel  %s: %llu bytes, image_size 0x%llx%s, text_offset 0x%llx, %s%s, %s\n",
		v->kernel_path, (unsigned long long)k->file_size, (unsigned long long)k->image_size,
		k->estimated ? " (estimated: the header has none)" : "",
		(unsigned long long)k->text_offset, k->page_kib ? "" : "page size unspecified",
		k->page_kib == 4 ? "4 KiB pages" : k->page_kib == 16 ? "16 KiB pages" :
		k->page_kib == 64 ? "64 KiB pages" : "", k->big_endian ? "big-endian" : "little-endian");
	fprintf(f, "#         %s\n", k->kind);
	fprintf(f, "# initrd  %s: %llu bytes\n", v->initrd_path, (unsigned long long)v->initrd_size);
	fprintf(f, "# dtb     %s -> %s: %llu bytes\n", v->dtb_in, v->dtb_out, (unsigned long long)v->dtb_size);
	if (v->bootargs)
		fprintf(f, "# bootargs %s\n", v->bootargs);
	fprintf(f, "\nguest RAM 0x%llx-0x%llx (%s), %s free after boot-time images\n",
		(unsigned long long)l->ram_base, (unsigned long long)end,
		human_size(l->ram_size, h), human_size(l->free, h2));
	fprintf(f, "kernel entry 0x%llx, x0 = DTB 0x%llx, initramfs 0x%llx-0x%llx\n\n",
		(unsigned long long)l->kernel, (unsigned long long)l->dtb,
		(unsigned long long)l->initrd, (unsigned long long)l->initrd_end);
	fprintf(f, "%-*s  %-*s  %12s  %-15s  %s\n", w, "start", w, "end", "size", "kind", "region");
	for (int i = 0; i < n; i++) {
		const struct region *r = &rows[i];
		int in = r->start < end && r->start + r->size > l->ram_base;
		fprintf(f, "0x%0*llx  0x%0*llx  %12s  %-15s  %s%s\n", w - 2, (unsigned long long)r->start,
			w - 2, (unsigned long long)(r->start + r->size), human_size(r->size, h),
			kind_name(r->kind), r->name, in ? "" : "  (outside guest RAM)");
	}
	for (int i = 0; i < v->ndt; i++)
		if (v->dt[i].kind == RK_DYNAMIC)
			fprintf(f, "%-*s  %-*s  %12s  %-15s  %s (allocated by Linux at boot)\n", w, "-",
				w, "-", human_size(v->dt[i].size, h), "dynamic", v->dt[i].name);
	if (v->notes && *v->notes)
		fprintf(f, "\nDTB changes besides reg, initrd and bootargs:\n%s", v->notes);
	fclose(f);
	return buf;
}
