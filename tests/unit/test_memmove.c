/* SPDX-License-Identifier: BSD-2-Clause */
/* dvm's memmove (core/memmove.c, built here as dvm_memmove) against the C library's:
 * every overlap either way, and disjoint buffers, over lengths 0..64 and offsets 0..8. */
#include <string.h>
#include "check.h"

void *dvm_memmove(void *dst, const void *src, size_t n);

TEST(against_libc)
{
	unsigned char a[160], b[160];

	for (size_t n = 0; n <= 64; n++)
		for (size_t from = 0; from <= 40; from += 5)
			for (size_t to = 0; to <= 40; to += 3) {
				for (size_t i = 0; i < sizeof(a); i++)
					a[i] = b[i] = (unsigned char)(i * 7 + 1);
				CHECK(dvm_memmove(a + to, a + from, n) == a + to);
				memmove(b + to, b + from, n);
				CHECK(!memcmp(a, b, sizeof(a)));
			}
}
