/* SPDX-License-Identifier: BSD-2-Clause */
/* Raw deflate decoding; see inflate.h. Written for size, not speed: the canonical
 * Huffman codes are decoded a bit at a time from their per-length counts (no lookup
 * tables to build), and the base values of lengths and distances are computed, not
 * tabulated. 1.9 KiB of code where zlib's inflateBack and its tables cost 15 KiB; about
 * 100 MB/s natively (a third of zlib's), plenty for what dvm inflates: a module now
 * and then at boot, a --help text. */
#include <string.h>
#include "inflate.h"

#define MAXBITS 15	/* the longest code */
#define NLIT 288	/* literal/length symbols of the fixed code (286 and 287 unused) */

struct state {
	const unsigned char *p, *end;
	unsigned long bits;	/* not yet used input bits, low first; fewer than 8 between calls */
	int nbits, trunc;	/* trunc: the input ran out (zeros were read instead) */
	unsigned char *out;
	size_t len, max;
	const char *msg;
};

/* A canonical code: how many codes have each length, and the symbols in code order. */
struct huff {
	unsigned short count[MAXBITS + 1], sym[NLIT];
};

static unsigned need(struct state *s, int n)
{
	unsigned v;

	while (s->nbits < n) {
		if (s->p == s->end)
			s->trunc = 1;
		else
			s->bits |= (unsigned long)*s->p++ << s->nbits;
		s->nbits += 8;
	}
	v = (unsigned)(s->bits & ((1UL << n) - 1));
	s->bits >>= n;
	s->nbits -= n;
	return v;
}

/* A corrupt stream, unless it only looks corrupt because the input ended. */
static int bad(struct state *s, const char *msg)
{
	s->msg = msg;
	return s->trunc ? INFLATE_TRUNC : INFLATE_BAD;
}

/* The code of n symbols with lengths len[]: the number of unused codes (0 complete,
 * more: incomplete, whose unused codes then fail to decode), -1 over-subscribed. */
static int build(struct huff *h, const unsigned char *len, int n)
{
	unsigned short offs[MAXBITS + 1];
	int left = 1;

	memset(h->count, 0, sizeof(h->count));
	for (int i = 0; i < n; i++)
		h->count[len[i]]++;
	offs[1] = 0;
	for (int l = 1; l <= MAXBITS; l++) {
		left = (left << 1) - h->count[l];
		if (left < 0)
			return -1;
		if (l < MAXBITS)
			offs[l + 1] = (unsigned short)(offs[l] + h->count[l]);
	}
	for (int i = 0; i < n; i++)
		if (len[i])
			h->sym[offs[len[i]]++] = (unsigned short)i;
	return left;
}

/* The next symbol, or -1 for a code the stream's code does not have. Codes are sent
 * most significant bit first; of each length, the first code is the one after the
 * last code of the length before, shifted left. */
static int decode(struct state *s, const struct huff *h)
{
	int code = 0, first = 0, index = 0;

	for (int l = 1; l <= MAXBITS; l++) {
		code |= (int)need(s, 1);
		if (code - first < h->count[l])
			return h->sym[index + code - first];
		index += h->count[l];
		first = (first + h->count[l]) << 1;
		code <<= 1;
	}
	return -1;
}

/* Extra bits for length symbol k (0..28: 257..285) and distance symbol k (0..29);
 * the bases follow from them: each group of 4 lengths (2 distances) doubles the step. */
static int codes(struct state *s, const struct huff *lit, const struct huff *dist)
{
	for (;;) {
		int sym = decode(s, lit);
		unsigned len, d, k, x;

		if (s->trunc)
			return INFLATE_TRUNC;
		if (sym < 256) {
			if (sym < 0)
				return bad(s, "invalid literal/length code");
			if (s->len == s->max)
				return INFLATE_FULL;
			s->out[s->len++] = (unsigned char)sym;
			continue;
		}
		if (sym == 256)
			return INFLATE_OK;
		k = (unsigned)sym - 257;
		if (k > 28)
			return bad(s, "invalid literal/length code");
		x = k < 8 || k == 28 ? 0 : (k >> 2) - 1;
		len = k == 28 ? 258 : k < 8 ? k + 3 : ((4 + (k & 3)) << x) + 3 + need(s, (int)x);
		sym = decode(s, dist);
		if (sym < 0 || sym > 29)
			return bad(s, "invalid distance code");
		k = (unsigned)sym;
		x = k < 4 ? 0 : (k >> 1) - 1;
		d = k < 4 ? k + 1 : ((2 + (k & 1)) << x) + 1 + need(s, (int)x);
		if (s->trunc)
			return INFLATE_TRUNC;
		if (d > s->len)
			return bad(s, "invalid distance too far back");
		if (len > s->max - s->len)
			return INFLATE_FULL;
		for (; len; len--, s->len++)
			s->out[s->len] = s->out[s->len - d];
	}
}

static int stored(struct state *s)
{
	unsigned len;

	s->bits = 0;	/* to the byte boundary: the rest of the current byte */
	s->nbits = 0;
	if (s->end - s->p < 4)
		return INFLATE_TRUNC;
	len = s->p[0] | s->p[1] << 8;
	if (len != (~(s->p[2] | s->p[3] << 8) & 0xffffu))
		return bad(s, "invalid stored block lengths");
	s->p += 4;
	if ((size_t)(s->end - s->p) < len)
		return INFLATE_TRUNC;
	if (len > s->max - s->len)
		return INFLATE_FULL;
	memcpy(s->out + s->len, s->p, len);
	s->p += len;
	s->len += len;
	return INFLATE_OK;
}

static int fixed(struct state *s)
{
	struct huff lit, dist;
	unsigned char l[NLIT];

	memset(l, 8, 144);
	memset(l + 144, 9, 112);
	memset(l + 256, 7, 24);
	memset(l + 280, 8, 8);
	build(&lit, l, NLIT);
	memset(l, 5, 30);
	build(&dist, l, 30);
	return codes(s, &lit, &dist);
}

static int dynamic(struct state *s)
{
	static const unsigned char order[19] = {
		16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
	};
	struct huff lit, dist;
	unsigned char l[286 + 30];
	int nlen = (int)need(s, 5) + 257, ndist = (int)need(s, 5) + 1, ncode = (int)need(s, 4) + 4;

	if (nlen > 286 || ndist > 30)
		return bad(s, "too many length or distance symbols");
	memset(l, 0, 19);
	for (int i = 0; i < ncode; i++)
		l[order[i]] = (unsigned char)need(s, 3);
	if (build(&lit, l, 19))	/* the code lengths' code must be complete */
		return bad(s, "invalid code lengths set");
	for (int i = 0; i < nlen + ndist;) {
		int sym = decode(s, &lit), rep;
		unsigned char v = 0;
		if (sym < 0)
			return bad(s, "invalid code lengths set");
		if (sym < 16) {
			l[i++] = (unsigned char)sym;
			continue;
		}
		if (sym == 16) {
			if (!i)
				return bad(s, "invalid bit length repeat");
			v = l[i - 1];
			rep = 3 + (int)need(s, 2);
		} else {
			rep = sym == 17 ? 3 + (int)need(s, 3) : 11 + (int)need(s, 7);
		}
		if (rep > nlen + ndist - i)
			return bad(s, "invalid bit length repeat");
		memset(l + i, v, (size_t)rep);
		i += rep;
	}
	if (!l[256])
		return bad(s, "invalid code -- missing end-of-block");
	if (build(&lit, l, nlen) < 0 || build(&dist, l + nlen, ndist) < 0)
		return bad(s, "invalid literal/lengths or distances set");
	return codes(s, &lit, &dist);
}

int inflate_raw(const unsigned char *in, size_t n, size_t *used, unsigned char *out,
		size_t max, size_t *len, const char **msg)
{
	struct state s = { .p = in, .end = in + n, .out = out, .max = max };
	int last, r;

	do {
		last = (int)need(&s, 1);
		switch (need(&s, 2)) {
		case 0:
			r = stored(&s);
			break;
		case 1:
			r = fixed(&s);
			break;
		case 2:
			r = dynamic(&s);
			break;
		default:
			r = bad(&s, "invalid block type");
		}
	} while (r == INFLATE_OK && !last);
	*used = (size_t)(s.p - in);
	*len = s.len;
	*msg = s.msg;
	return r;
}
