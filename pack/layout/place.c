// SPDX-License-Identifier: BSD-2-Clause
/* Placing the kernel, initramfs and DTB in guest RAM and checking every rule; see
 * place.h for the policy. Errors name both regions and their addresses. Functions
 * return 0 on success, -1 for an error that a larger RAM cannot fix, -2 for "does not
 * fit" (which `auto` answers by growing the RAM). */
#include <stdio.h>
#include <string.h>
#include "place.h"
#include "util.h"

struct span {
	uint64_t s, e;	/* [s, e) */
	const char *name;
};

#define MAX_BUSY 80

struct ctx {
	const struct lay_in *in;
	uint64_t base, end;		/* RAM */
	struct span busy[MAX_BUSY];	/* what placement must avoid */
	int nbusy;
};

static uint64_t up(uint64_t x, uint64_t a) { return (x + a - 1) & ~(a - 1); }
static uint64_t down(uint64_t x, uint64_t a) { return x & ~(a - 1); }
static int overlaps(uint64_t s1, uint64_t e1, uint64_t s2, uint64_t e2) { return s1 < e2 && s2 < e1; }

const char *range_str(char *buf, size_t n, const char *name, uint64_t start, uint64_t size)
{
	if (start + size < start)	/* an address given near 2^64 */
		snprintf(buf, n, "%s [0x%llx, 2^64 + 0x%llx)", name, (unsigned long long)start,
			 (unsigned long long)(start + size));
	else
		snprintf(buf, n, "%s [0x%llx, 0x%llx)", name, (unsigned long long)start,
			 (unsigned long long)(start + size));
	return buf;
}

static void add_busy(struct ctx *c, uint64_t s, uint64_t e, const char *name)
{
	if (c->nbusy < MAX_BUSY)
		c->busy[c->nbusy++] = (struct span){ s, e, name };
}

/* The first busy span overlapping [s, e), or NULL. */
static const struct span *hit(const struct ctx *c, uint64_t s, uint64_t e)
{
	for (int i = 0; i < c->nbusy; i++)
		if (overlaps(s, e, c->busy[i].s, c->busy[i].e))
			return &c->busy[i];
	return NULL;
}

static int crosses_2m(uint64_t s, uint64_t size)
{
	return size && s / SZ_2M != (s + size - 1) / SZ_2M;
}

/* Lowest a-aligned start >= lo with [start, start+size) below hi and free. */
static int fit_low(const struct ctx *c, uint64_t lo, uint64_t hi, uint64_t size, uint64_t a,
		   uint64_t *at)
{
	uint64_t s = up(lo, a);
	const struct span *b;

	while (s >= lo && s <= hi && size <= hi - s) {
		if (!(b = hit(c, s, s + size))) {
			*at = s;
			return 0;
		}
		s = up(b->e, a);
	}
	return -1;
}

/* Highest a-aligned start with [start, start+size) inside [lo, hi), free, and (for the
 * DTB) inside one 2 MiB block. */
static int fit_high(const struct ctx *c, uint64_t lo, uint64_t hi, uint64_t size, uint64_t a,
		    int one_block, uint64_t *at)
{
	const struct span *b;

	if (size > hi - lo)
		return -1;
	uint64_t s = down(hi - size, a);
	while (s >= lo) {
		if (one_block && crosses_2m(s, size)) {
			uint64_t boundary = down(s + size - 1, SZ_2M);
			if (boundary < lo + size)
				return -1;
			s = down(boundary - size, a);
		} else if ((b = hit(c, s, s + size))) {
			if (b->s < lo + size)
				return -1;
			s = down(b->s - size, a);
		} else {
			*at = s;
			return 0;
		}
	}
	return -1;
}

/* Is [s, e) covered by the union of the DTB's no-map regions? Returns the first
 * address that is not, or e. */
static uint64_t nomap_cover(const struct lay_in *in, uint64_t s, uint64_t e)
{
	for (int again = 1; again && s < e;) {
		again = 0;
		for (int i = 0; i < in->ndt; i++) {
			const struct region *r = &in->dt[i];
			if (r->kind == RK_NOMAP && r->start <= s && s < r->start + r->size) {
				s = r->start + r->size;
				again = 1;
			}
		}
	}
	return s < e ? s : e;
}

/* The DTB's own regions that lie in RAM: checked, and made busy for placement. */
static int check_dt(struct ctx *c, const struct lay_out *o)
{
	char a[160], b[160];

	for (int i = 0; i < c->in->ndt; i++) {
		const struct region *r = &c->in->dt[i];
		uint64_t s = r->start, e = r->start + r->size;
		if (r->kind == RK_DYNAMIC || !overlaps(s, e, c->base, c->end))
			continue;
		if (overlaps(s, e, o->kernel, o->kernel_end)) {
			perr("%s overlaps %s (the kernel's image_size includes its BSS)",
			     range_str(a, sizeof(a), r->name, s, r->size),
			     range_str(b, sizeof(b), "kernel", o->kernel, o->kernel_end - o->kernel));
			return -1;
		}
		if (r->kind == RK_UIO) {
			uint64_t lo = s > c->base ? s : c->base, hi = e < c->end ? e : c->end;
			uint64_t gap = nomap_cover(c->in, lo, hi);
			if (gap < hi) {
				perr("UIO region %s lies in guest RAM [0x%llx, 0x%llx) but no "
				     "/reserved-memory node with no-map covers 0x%llx: Linux would "
				     "hand that memory out as ordinary RAM",
				     range_str(a, sizeof(a), r->name, s, r->size),
				     (unsigned long long)c->base, (unsigned long long)c->end,
				     (unsigned long long)gap);
				return -1;
			}
		} else if (r->kind == RK_RESERVED && !r->reusable) {
			perr("reserved region %s lies in guest RAM [0x%llx, 0x%llx) without no-map: "
			     "Linux keeps it in its cacheable linear map, wrong for memory shared "
			     "with the VMM (add no-map; or 'reusable' for a pool Linux may use)",
			     range_str(a, sizeof(a), r->name, s, r->size),
			     (unsigned long long)c->base, (unsigned long long)c->end);
			return -1;
		}
		if (r->kind != RK_RESERVED || !r->reusable)
			add_busy(c, s, e, r->name);
	}
	return 0;
}

static int check_inside(const struct ctx *c, const char *what, uint64_t s, uint64_t size)
{
	char a[160];
	if (s < c->base || s > c->end || size > c->end - s) {
		perr("%s is outside guest RAM [0x%llx, 0x%llx)", range_str(a, sizeof(a), what, s, size),
		     (unsigned long long)c->base, (unsigned long long)c->end);
		return -1;
	}
	return 0;
}

static int check_free(const struct ctx *c, const char *what, uint64_t s, uint64_t size)
{
	char a[160], b[160];
	const struct span *x = hit(c, s, s + size);
	if (x) {
		perr("%s overlaps %s", range_str(a, sizeof(a), what, s, size),
		     range_str(b, sizeof(b), x->name, x->s, x->e - x->s));
		return -1;
	}
	return 0;
}

static int place_initrd(struct ctx *c, struct lay_out *o)
{
	const struct lay_in *in = c->in;
	uint64_t size = in->initrd_size;
	char a[160], b[160];

	if (in->initrd_at == LAY_AUTO) {
		if (fit_low(c, o->kernel_end, c->end, size, SZ_4K, &o->initrd)) {
			perr("the initramfs (%llu bytes) does not fit in guest RAM [0x%llx, 0x%llx) "
			     "above the kernel (which ends at 0x%llx)", (unsigned long long)size,
			     (unsigned long long)c->base, (unsigned long long)c->end,
			     (unsigned long long)o->kernel_end);
			return -2;
		}
	} else {
		o->initrd = in->initrd_at;
		if (o->initrd % SZ_4K) {
			perr("initramfs address 0x%llx is not 4 KiB aligned",
			     (unsigned long long)o->initrd);
			return -1;
		}
		if (check_inside(c, "initramfs", o->initrd, size))
			return -1;
		if (o->initrd < o->kernel_end) {
			perr("%s starts below the end of the %s: the initramfs must lie above the "
			     "kernel's image_size, which includes its BSS",
			     range_str(a, sizeof(a), "initramfs", o->initrd, size),
			     range_str(b, sizeof(b), "kernel", o->kernel, o->kernel_end - o->kernel));
			return -1;
		}
		if (check_free(c, "initramfs", o->initrd, size))
			return -1;
	}
	o->initrd_end = o->initrd + size;
	/* booting.rst: the initrd must lie within a 1 GiB aligned window of up to 32 GiB
	 * that also covers the kernel Image. */
	if (o->initrd_end - down(o->kernel, SZ_1G) > 32 * SZ_1G) {
		perr("%s is more than 32 GiB above the 1 GiB aligned base 0x%llx of the kernel: "
		     "the boot protocol needs both in one 32 GiB window",
		     range_str(a, sizeof(a), "initramfs", o->initrd, size),
		     (unsigned long long)down(o->kernel, SZ_1G));
		return -1;
	}
	add_busy(c, o->initrd, o->initrd_end, "initramfs");
	return 0;
}

static int place_dtb(struct ctx *c, struct lay_out *o)
{
	const struct lay_in *in = c->in;
	uint64_t size = in->dtb_size;
	char a[160];

	if (size > DTB_MAX) {
		perr("the DTB is %llu bytes; the arm64 boot protocol allows at most 2 MiB "
		     "(%llu bytes)", (unsigned long long)size, (unsigned long long)DTB_MAX);
		return -1;
	}
	if (in->dtb_at == LAY_AUTO) {
		if (fit_high(c, o->kernel_end, c->end, size, SZ_4K, 1, &o->dtb)) {
			perr("the DTB (%llu bytes) does not fit in guest RAM [0x%llx, 0x%llx) above "
			     "the kernel and the initramfs", (unsigned long long)size,
			     (unsigned long long)c->base, (unsigned long long)c->end);
			return -2;
		}
	} else {
		o->dtb = in->dtb_at;
		if (o->dtb % 8) {
			perr("DTB address 0x%llx is not 8-byte aligned", (unsigned long long)o->dtb);
			return -1;
		}
		if (check_inside(c, "DTB", o->dtb, size))
			return -1;
		if (crosses_2m(o->dtb, size)) {
			perr("%s crosses the 2 MiB boundary at 0x%llx (the kernel maps the DTB "
			     "within one 2 MiB block)", range_str(a, sizeof(a), "DTB", o->dtb, size),
			     (unsigned long long)down(o->dtb + size - 1, SZ_2M));
			return -1;
		}
		if (check_free(c, "DTB", o->dtb, size))
			return -1;
	}
	o->dtb_end = o->dtb + size;
	add_busy(c, o->dtb, o->dtb_end, "DTB");
	return 0;
}

/* Whole pages of RAM not covered by any busy span. */
static uint64_t free_bytes(const struct ctx *c)
{
	uint64_t used = 0, p = c->base;
	/* sweep: repeatedly take the busy span with the lowest start >= p or covering p */
	for (;;) {
		uint64_t ns = UINT64_MAX, ne = 0;
		for (int i = 0; i < c->nbusy; i++) {
			uint64_t s = down(c->busy[i].s, SZ_4K), e = up(c->busy[i].e, SZ_4K);
			if (s < c->base)
				s = c->base;
			if (e > c->end)
				e = c->end;
			if (e <= p || s >= e)
				continue;
			if (s < p)
				s = p;
			if (s < ns || (s == ns && e > ne))
				ns = s, ne = e;
		}
		if (ns == UINT64_MAX)
			break;
		used += ne - ns;
		p = ne;
	}
	return c->end - c->base - used;
}

static int place_once(const struct lay_in *in, uint64_t size, struct lay_out *o)
{
	struct ctx c = { .in = in, .base = in->ram_base, .end = in->ram_base + size };
	const struct kimage *k = &in->k;
	char a[160];
	int r;

	memset(o, 0, sizeof(*o));
	o->ram_base = in->ram_base;
	o->ram_size = size;
	o->kernel = in->ram_base + k->text_offset;
	o->kernel_end = o->kernel + k->image_size;
	if (o->kernel_end > c.end) {
		perr("%s does not fit in guest RAM [0x%llx, 0x%llx) (image_size %s includes the "
		     "BSS)", range_str(a, sizeof(a), "kernel", o->kernel, k->image_size),
		     (unsigned long long)c.base, (unsigned long long)c.end,
		     k->estimated ? "estimated" : "from the Image header");
		return -2;
	}
	add_busy(&c, o->kernel, o->kernel_end, "kernel");
	if ((r = check_dt(&c, o)) || (r = place_initrd(&c, o)) || (r = place_dtb(&c, o)))
		return r;
	o->free = free_bytes(&c);
	return 0;
}

static uint64_t dynamic_need(const struct lay_in *in)
{
	uint64_t n = 0;
	for (int i = 0; i < in->ndt; i++)
		if (in->dt[i].kind == RK_DYNAMIC)
			n += up(in->dt[i].size, SZ_4K);
	return n;
}

int layout_place(const struct lay_in *in, struct lay_out *out)
{
	const struct kimage *k = &in->k;
	uint64_t base = in->ram_base;

	if (base % SZ_2M) {
		perr("guest RAM base 0x%llx is not 2 MiB aligned: the kernel must be loaded "
		     "text_offset bytes above a 2 MiB aligned base, and libvmm loads it at the "
		     "RAM base", (unsigned long long)base);
		return -1;
	}
	if (in->ram_size != LAY_AUTO) {
		if (!in->ram_size || in->ram_size % SZ_4K) {
			perr("guest RAM size 0x%llx is not a non-zero multiple of 4 KiB",
			     (unsigned long long)in->ram_size);
			return -1;
		}
		if (base + in->ram_size < base) {
			perr("guest RAM 0x%llx + 0x%llx wraps past the 64-bit address space",
			     (unsigned long long)base, (unsigned long long)in->ram_size);
			return -1;
		}
		return place_once(in, in->ram_size, out) ? -1 : 0;
	}

	/* auto: the smallest multiple of 2 MiB (so the RAM can be mapped with 2 MiB pages)
	 * that holds everything and leaves `work` (plus Linux's dynamic reservations) free */
	uint64_t need = in->work + dynamic_need(in);
	uint64_t size = up(k->text_offset + k->image_size + up(in->initrd_size, SZ_4K) +
			   up(in->dtb_size, SZ_4K) + need, SZ_2M);
	int quiet = perr_quiet, r = -2;
	perr_quiet = 1;
	for (; size <= LAY_MAX_RAM && base + size > base; size += SZ_2M) {
		r = place_once(in, size, out);
		if (r == -1 || (r == 0 && out->free >= need))
			break;
	}
	perr_quiet = quiet;
	char last[sizeof(perr_last)];
	memcpy(last, perr_last, sizeof(last));
	if (r == -1) {
		perr("%s", last);
		return -1;
	}
	if (r || out->free < need) {
		perr("no guest RAM size up to %llu GiB at 0x%llx holds the images and leaves "
		     "%llu bytes free (last problem: %s)", LAY_MAX_RAM >> 30,
		     (unsigned long long)base, (unsigned long long)need, r ? last : "too little free");
		return -1;
	}
	return 0;
}
