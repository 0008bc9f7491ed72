/* SPDX-License-Identifier: BSD-2-Clause */
/* dvm's raw deflate decoder (core/inflate.c) against streams zlib's deflate makes: every
 * block type (stored, fixed, dynamic), levels and strategies, data of several kinds; the
 * input it reports used; and bad streams: truncated at every length, output bounds,
 * corrupt block types, lengths and distances, and random bytes (ASan watches the
 * bounds in the sanitiser build). Fixed seed. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "check.h"
#include "inflate.h"

static unsigned long long seed = 0x9e3779b97f4a7c15ull;
static unsigned rnd(void)
{
	seed = seed * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)(seed >> 33);
}

/* Raw deflate of in[0..n) (windowBits -15) into a malloc'd buffer. */
static unsigned char *deflate_raw(const unsigned char *in, size_t n, int level, int strategy,
				  size_t *zn)
{
	z_stream s = { 0 };
	size_t cap = n + n / 8 + 256;
	unsigned char *z = malloc(cap);

	if (!z || deflateInit2(&s, level, Z_DEFLATED, -15, 8, strategy) != Z_OK)
		return NULL;
	s.next_in = (unsigned char *)in;
	s.avail_in = (uInt)n;
	s.next_out = z;
	s.avail_out = (uInt)cap;
	if (deflate(&s, Z_FINISH) != Z_STREAM_END)
		return NULL;
	*zn = s.total_out;
	deflateEnd(&s);
	return z;
}

/* kind 0: random bytes; 1: text-like (a few words repeated); 2: runs; 3: mixed. */
static void fill(unsigned char *p, size_t n, int kind)
{
	static const char *const words[] = { "module ", "uio_blk ", "sDDF ", "queue ", "\n",
					     "init ", "0x1000 ", "data_passing " };
	for (size_t i = 0; i < n;) {
		int k = kind == 3 ? (int)(rnd() % 3) : kind;
		if (k == 0) {
			p[i++] = (unsigned char)rnd();
		} else if (k == 1) {
			const char *w = words[rnd() % 8];
			for (size_t j = 0; w[j] && i < n; j++)
				p[i++] = (unsigned char)w[j];
		} else {
			unsigned char c = (unsigned char)rnd();
			for (unsigned r = rnd() % 300; r && i < n; r--)
				p[i++] = c;
		}
	}
}

TEST(against_zlib)
{
	static const size_t sizes[] = { 0, 1, 2, 100, 4096, 40000, 70000, 300000 };
	static const int levels[] = { 0, 1, 6, 9 };
	static const int strategies[] = { Z_DEFAULT_STRATEGY, Z_FIXED, Z_HUFFMAN_ONLY, Z_RLE,
					  Z_FILTERED };

	for (size_t si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++)
		for (int kind = 0; kind < 4; kind++) {
			size_t n = sizes[si], zn, used, len;
			unsigned char *in = malloc(n + 1), *out = malloc(n + 1), *z;
			const char *msg;
			CHECK(in && out);
			fill(in, n, kind);
			for (size_t li = 0; li < 4; li++)
				for (size_t st = 0; st < 5; st++) {
					z = deflate_raw(in, n, levels[li], strategies[st], &zn);
					CHECK(z);
					/* what follows the stream is not taken */
					z = realloc(z, zn + 8);
					memset(z + zn, 0xa5, 8);
					CHECK_INT(inflate_raw(z, zn + 8, &used, out, n, &len, &msg),
						  INFLATE_OK);
					CHECK_INT(used, zn);
					CHECK_INT(len, n);
					CHECK(!memcmp(in, out, n));
					free(z);
				}
			free(in);
			free(out);
		}
}

TEST(truncated_every_length)
{
	unsigned char in[3000], out[3000];
	const int strategies[] = { Z_DEFAULT_STRATEGY, Z_FIXED };

	fill(in, sizeof(in), 3);
	for (int st = 0; st < 2; st++) {
		size_t zn, used, len;
		const char *msg;
		unsigned char *z = deflate_raw(in, sizeof(in), 9, strategies[st], &zn);
		CHECK(z);
		for (size_t cut = 0; cut < zn; cut++) {
			/* a copy of exactly cut bytes: ASan sees any read past it */
			unsigned char *c = malloc(cut ? cut : 1);
			CHECK(c);
			memcpy(c, z, cut);
			CHECK_INT(inflate_raw(c, cut, &used, out, sizeof(out), &len, &msg),
				  INFLATE_TRUNC);
			CHECK(used <= cut);
			free(c);
		}
		free(z);
	}
	/* a stored block cut in its data */
	size_t zn, used, len;
	const char *msg;
	unsigned char *z = deflate_raw(in, 100, 0, Z_DEFAULT_STRATEGY, &zn);
	CHECK(z);
	CHECK_INT(inflate_raw(z, zn - 10, &used, out, sizeof(out), &len, &msg), INFLATE_TRUNC);
	free(z);
}

TEST(output_bound)
{
	unsigned char in[5000], out[5000];
	size_t zn, used, len;
	const char *msg;

	fill(in, sizeof(in), 1);
	for (int level = 0; level <= 9; level += 9) {
		unsigned char *z = deflate_raw(in, sizeof(in), level, Z_DEFAULT_STRATEGY, &zn);
		CHECK(z);
		for (size_t max = 0; max < sizeof(in); max += 499) {
			unsigned char *o = malloc(max ? max : 1);
			CHECK(o);
			CHECK_INT(inflate_raw(z, zn, &used, o, max, &len, &msg), INFLATE_FULL);
			CHECK(len <= max);
			CHECK(!memcmp(o, in, len));
			free(o);
		}
		CHECK_INT(inflate_raw(z, zn, &used, out, sizeof(out), &len, &msg), INFLATE_OK);
		free(z);
	}
}

TEST(corrupt)
{
	unsigned char out[256];
	size_t used, len;
	const char *msg;
	/* BFINAL 1, BTYPE 3 */
	static const unsigned char type3[] = { 0x07, 0, 0, 0 };
	/* stored, LEN 5 with NLEN not its complement */
	static const unsigned char stored[] = { 0x01, 0x05, 0x00, 0x00, 0x00, 'a', 'b', 'c', 'd',
						'e' };
	/* fixed: a match of length 3 at distance 1 before any output (bits: 1, 01, then
	 * length code 257 = 0000001, distance code 0 = 00000) */
	static const unsigned char far[] = { 0x03, 0x02, 0x00, 0x00 };
	/* dynamic: HLIT 31, 288 literal/length codes (at most 286 exist) */
	static const unsigned char many[] = { 0xfd, 0x00, 0x00, 0x00 };

	CHECK_INT(inflate_raw(type3, sizeof(type3), &used, out, sizeof(out), &len, &msg),
		  INFLATE_BAD);
	CHECK_STR(msg, "invalid block type");
	CHECK_INT(inflate_raw(stored, sizeof(stored), &used, out, sizeof(out), &len, &msg),
		  INFLATE_BAD);
	CHECK_STR(msg, "invalid stored block lengths");
	CHECK_INT(inflate_raw(far, sizeof(far), &used, out, sizeof(out), &len, &msg),
		  INFLATE_BAD);
	CHECK_STR(msg, "invalid distance too far back");
	CHECK_INT(inflate_raw(many, sizeof(many), &used, out, sizeof(out), &len, &msg),
		  INFLATE_BAD);
	CHECK_STR(msg, "too many length or distance symbols");
}

/* Random bytes, and valid streams with random bytes flipped: any result but a read or
 * write out of bounds (the sanitiser build) or more output than allowed. */
TEST(random_garbage)
{
	unsigned char in[2000], out[4000], good[4000];
	size_t zn, used, len;
	const char *msg;

	for (int i = 0; i < 2000; i++) {
		size_t n = rnd() % sizeof(in) + 1;
		unsigned char *c = malloc(n);
		CHECK(c);
		for (size_t j = 0; j < n; j++)
			c[j] = (unsigned char)rnd();
		inflate_raw(c, n, &used, out, sizeof(out), &len, &msg);
		CHECK(used <= n && len <= sizeof(out));
		free(c);
	}
	fill(good, sizeof(good), 3);
	unsigned char *z = deflate_raw(good, sizeof(good), 9, Z_DEFAULT_STRATEGY, &zn);
	CHECK(z);
	for (int i = 0; i < 2000; i++) {
		unsigned char *c = malloc(zn);
		CHECK(c);
		memcpy(c, z, zn);
		c[rnd() % zn] ^= (unsigned char)(1 + rnd() % 255);
		int r = inflate_raw(c, zn, &used, out, sizeof(out), &len, &msg);
		CHECK(used <= zn && len <= sizeof(out));
		CHECK(r != INFLATE_BAD || msg);
		free(c);
	}
	free(z);
}
