// SPDX-License-Identifier: BSD-2-Clause
/* The memory map as an SVG bar diagram: one vertical bar, high addresses at the top,
 * a block per region with its name and size beside it and the addresses of its
 * boundaries to the left. Block heights follow the sizes, with a minimum so that a
 * 4 KiB DTB stays as readable as a 32 MiB kernel. Disjoint areas (guest RAM, a shared
 * window outside it) are separated by a break mark. Plain SVG 1.1, no scripts, no
 * external fonts or files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "memmap.h"
#include "numarg.h"

#define MAXR 160
#define W 720
#define BAR_X 170
#define BAR_W 200
#define MIN_H 34
#define SCALE_H 420	/* height shared out in proportion to size */
#define GAP_H 26

struct seg {
	uint64_t s, e;
	int row;	/* index into rows, or -1 for a gap between areas */
};

static int prio(int kind)
{
	switch (kind) {
	case RK_UIO: return 6;
	case RK_KERNEL: case RK_INITRD: case RK_DTB: return 5;
	case RK_NOMAP: return 4;
	case RK_RESERVED: case RK_MEMRSV: return 3;
	case RK_FREE: return 1;
	}
	return 0;
}

static const char *fill(int kind)
{
	switch (kind) {
	case RK_KERNEL: return "#4e79a7";
	case RK_INITRD: return "#f28e2b";
	case RK_DTB: return "#59a14f";
	case RK_FREE: return "#eeeeee";
	case RK_UIO: return "#e15759";
	case RK_NOMAP: return "#b07aa1";
	default: return "#9c755f";
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<') fputs("&lt;", f);
		else if (*s == '>') fputs("&gt;", f);
		else if (*s == '&') fputs("&amp;", f);
		else if (*s == '"') fputs("&quot;", f);
		else fputc(*s, f);
	}
}

static const char *kind_label(int kind)
{
	switch (kind) {
	case RK_UIO: return "UIO region";
	case RK_NOMAP: return "reserved, no-map";
	case RK_RESERVED: return "reserved";
	case RK_MEMRSV: return "memreserve";
	case RK_FREE: return "free RAM";
	}
	return "";
}

char *memmap_svg(const struct lay_view *v)
{
	static struct region rows[MAXR + 1];
	static uint64_t exact[MAXR + 1], pts[2 * MAXR + 2];
	static struct seg seg[2 * MAXR];
	const struct lay_out *l = v->lay;
	int n = memmap_rows(v, rows, MAXR), np = 0, ns = 0;
	char *buf = NULL, h[32];
	size_t len = 0;

	/* Draw at page granularity (the text map has the exact bytes): placed images
	 * are shown page-rounded, and the rest of RAM is free. */
	for (int i = 0; i < n; i++) {
		exact[i] = rows[i].size;
		if (rows[i].kind <= RK_DTB) {
			uint64_t s = rows[i].start & ~0xfffull, e = (rows[i].start + rows[i].size + 0xfff) & ~0xfffull;
			rows[i].start = s;
			rows[i].size = e - s;
		}
	}
	rows[n] = (struct region){ .name = "free", .start = l->ram_base, .size = l->ram_size, .kind = RK_FREE };
	exact[n++] = l->ram_size;
	for (int i = 0; i < n; i++) {
		pts[np++] = rows[i].start;
		pts[np++] = rows[i].start + rows[i].size;
	}
	qsort(pts, (size_t)np, sizeof(pts[0]), cmp_u64);
	for (int i = 0; i + 1 < np; i++) {
		if (pts[i] == pts[i + 1])
			continue;
		int best = -1;
		for (int j = 0; j < n; j++)
			if (rows[j].start <= pts[i] && pts[i + 1] <= rows[j].start + rows[j].size &&
			    (best < 0 || prio(rows[j].kind) > prio(rows[best].kind)))
				best = j;
		if (ns && seg[ns - 1].e == pts[i] && (seg[ns - 1].row == best ||
		    (best >= 0 && seg[ns - 1].row >= 0 && rows[best].kind == RK_FREE &&
		     rows[seg[ns - 1].row].kind == RK_FREE)))
			seg[ns - 1].e = pts[i + 1];
		else
			seg[ns++] = (struct seg){ pts[i], pts[i + 1], best };
	}

	uint64_t total = 0;
	for (int i = 0; i < ns; i++)
		if (seg[i].row >= 0)
			total += seg[i].e - seg[i].s;
	int height = 90;
	for (int i = 0; i < ns; i++)
		height += seg[i].row < 0 ? GAP_H :
			MIN_H + (int)((double)SCALE_H * (double)(seg[i].e - seg[i].s) / (double)total);

	FILE *f = open_memstream(&buf, &len);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" "
		"font-size=\"13\">\n", W, height, W, height);
	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", W, height);
	fprintf(f, "<text x=\"20\" y=\"28\" font-size=\"17\" font-weight=\"bold\">Guest memory "
		"layout: RAM 0x%llx, %s</text>\n", (unsigned long long)l->ram_base,
		human_size(l->ram_size, h));
	fprintf(f, "<text x=\"20\" y=\"48\" fill=\"#555555\">kernel entry 0x%llx, x0 = DTB 0x%llx; ",
		(unsigned long long)l->kernel, (unsigned long long)l->dtb);
	fprintf(f, "%s free at boot</text>\n", human_size(l->free, h));

	int y = 66, prev_top_label = 0;
	for (int i = ns - 1; i >= 0; i--) {
		const struct seg *s = &seg[i];
		if (s->row < 0) {
			/* a break between disjoint areas: a zigzag across the bar */
			fprintf(f, "<path d=\"M%d %d", BAR_X - 6, y + GAP_H / 2);
			for (int x = 0; x <= BAR_W + 12; x += 12)
				fprintf(f, " L%d %d", BAR_X - 6 + x, y + GAP_H / 2 + ((x / 12) % 2 ? -5 : 5));
			fprintf(f, "\" fill=\"none\" stroke=\"#888888\" stroke-width=\"1.5\"/>\n");
			y += GAP_H;
			prev_top_label = 0;
			continue;
		}
		const struct region *r = &rows[s->row];
		int hh = MIN_H + (int)((double)SCALE_H * (double)(s->e - s->s) / (double)total);
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
			"stroke=\"#333333\" stroke-width=\"1\"/>\n", BAR_X, y, BAR_W, hh, fill(r->kind));
		/* boundary addresses: the top (end) unless the block above already printed
		 * it, and the bottom (start) */
		if (!prev_top_label)
			fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-family=\"DejaVu Sans "
				"Mono, monospace\" font-size=\"12\">0x%llx</text>\n", BAR_X - 8, y + 4,
				(unsigned long long)s->e);
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-family=\"DejaVu Sans Mono, "
			"monospace\" font-size=\"12\">0x%llx</text>\n", BAR_X - 8, y + hh + 4,
			(unsigned long long)s->s);
		prev_top_label = 1;
		/* name and size to the right, centred on the block */
		int ty = y + hh / 2;
		const char *what = r->kind == RK_KERNEL ? "kernel Image + BSS (image_size)" :
				   r->kind == RK_INITRD ? "initramfs" : r->kind == RK_DTB ? "DTB" : r->name;
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">", BAR_X + BAR_W + 12, ty - 2);
		esc(f, what);
		fprintf(f, "</text>\n<text x=\"%d\" y=\"%d\" fill=\"#444444\" font-size=\"12\">%s",
			BAR_X + BAR_W + 12, ty + 13,
			human_size(r->kind <= RK_DTB ? exact[s->row] : s->e - s->s, h));
		if (*kind_label(r->kind))
			fprintf(f, ", %s", kind_label(r->kind));
		if (s->s >= l->ram_base + l->ram_size || s->e <= l->ram_base)
			fputs(", outside guest RAM", f);
		fputs("</text>\n", f);
		y += hh;
	}
	fputs("</svg>\n", f);
	fclose(f);
	return buf;
}
