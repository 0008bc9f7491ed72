// SPDX-License-Identifier: BSD-2-Clause
/* dvm's allocator (core/malloc.c, built here with its functions named dvm_malloc etc.):
 * alignment, reuse, zeroing, overflow and failure cases, large blocks unmapped on free,
 * aligned_alloc, and a random alloc/free/realloc stress with content checks. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "check.h"

void *dvm_malloc(size_t n);
void dvm_free(void *p);
void *dvm_calloc(size_t n, size_t size);
void *dvm_realloc(void *p, size_t n);
void *dvm_aligned_alloc(size_t align, size_t n);
int dvm_posix_memalign(void **res, size_t align, size_t n);
void *dvm_memalign(size_t align, size_t n);
size_t dvm_malloc_usable_size(void *p);

static int aligned(const void *p, size_t a)
{
	return ((uintptr_t)p & (a - 1)) == 0;
}

/* Whether the page holding p is mapped (mincore fails with ENOMEM when it is not). */
static int mapped(const void *p)
{
	long pg = sysconf(_SC_PAGESIZE);
	unsigned char v;
	return mincore((void *)((uintptr_t)p & ~(uintptr_t)(pg - 1)), 1, &v) == 0;
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 31 + i * 7 + (i >> 8));
}

static int intact(const unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed * 31 + i * 7 + (i >> 8)))
			return 0;
	return 1;
}

TEST(sizes_alignment_usable)
{
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 31, 32, 33, 100, 1000, 4064, 4079,
					4080, 4081, 4096, 5000, 65536, 1 << 20 };
	void *p[sizeof(sizes) / sizeof(sizes[0])];

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p[i] = dvm_malloc(sizes[i]);
		CHECK(p[i]);
		CHECK(aligned(p[i], 16));
		CHECK(dvm_malloc_usable_size(p[i]) >= sizes[i]);
		fill(p[i], sizes[i], (unsigned)i);
	}
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		CHECK(intact(p[i], sizes[i], (unsigned)i));
		for (size_t j = 0; j < i; j++)
			CHECK(p[i] != p[j]);
		dvm_free(p[i]);
	}
	dvm_free(NULL);
	CHECK_INT(dvm_malloc_usable_size(NULL), 0);
}

TEST(freed_block_is_reused)
{
	void *a = dvm_malloc(100), *b = dvm_malloc(100);
	CHECK(a && b && a != b);
	dvm_free(a);
	CHECK(dvm_malloc(90) == a); /* same class */
	dvm_free(b);
	dvm_free(a);
	/* allocations freed at once do not use up memory: every round of the same sizes
	 * gets the very same blocks back */
	static void *first[4000];
	for (int i = 0; i < 1000000; i++) {
		void *p = dvm_malloc((size_t)(i % 4000));
		CHECK(p);
		if (i < 4000)
			first[i] = p;
		else
			CHECK(p == first[i % 4000]);
		dvm_free(p);
	}
}

TEST(large_block_unmapped_on_free)
{
	unsigned char *p = dvm_malloc(300000);
	CHECK(p);
	fill(p, 300000, 9);
	CHECK(intact(p, 300000, 9));
	CHECK(mapped(p) && mapped(p + 299999));
	dvm_free(p);
	CHECK(!mapped(p));
	CHECK(!mapped(p + 299999));
}

TEST(calloc_zeroes_and_checks_overflow)
{
	unsigned char *p = dvm_malloc(200);
	CHECK(p);
	memset(p, 0xff, 200);
	dvm_free(p);
	unsigned char *q = dvm_calloc(50, 4); /* the same block, reused */
	CHECK(q == p);
	for (int i = 0; i < 200; i++)
		CHECK(q[i] == 0);
	dvm_free(q);
	unsigned char *big = dvm_calloc(3, 100000);
	CHECK(big);
	for (int i = 0; i < 300000; i += 997)
		CHECK(big[i] == 0);
	dvm_free(big);
	errno = 0;
	CHECK(dvm_calloc(SIZE_MAX / 2, 3) == NULL);
	CHECK_INT(errno, ENOMEM);
	errno = 0;
	CHECK(dvm_calloc((size_t)1 << 33, (size_t)1 << 33) == NULL);
	CHECK_INT(errno, ENOMEM);
	void *z = dvm_calloc(0, 10);
	CHECK(z);
	dvm_free(z);
}

TEST(impossible_sizes_fail_with_enomem)
{
	errno = 0;
	CHECK(dvm_malloc(SIZE_MAX) == NULL);
	CHECK_INT(errno, ENOMEM);
	errno = 0;
	CHECK(dvm_malloc(SIZE_MAX - 15) == NULL);
	CHECK_INT(errno, ENOMEM);
	errno = 0;
	CHECK(dvm_malloc(PTRDIFF_MAX) == NULL);
	CHECK_INT(errno, ENOMEM);
	errno = 0;
	CHECK(dvm_aligned_alloc(64, SIZE_MAX - 32) == NULL);
	CHECK_INT(errno, ENOMEM);
	errno = 0;
	CHECK(dvm_aligned_alloc((size_t)1 << 63, 1) == NULL);
	CHECK_INT(errno, ENOMEM);
}

TEST(realloc_semantics)
{
	unsigned char *p = dvm_realloc(NULL, 10), *q;
	CHECK(p);
	fill(p, 10, 1);
	/* shrinking, or growing within the block, keeps the block */
	CHECK(dvm_realloc(p, 5) == p);
	CHECK(dvm_realloc(p, 10) == p);
	CHECK(intact(p, 10, 1));
	/* growing moves it and keeps the contents */
	q = dvm_realloc(p, 3000);
	CHECK(q && q != p);
	CHECK(intact(q, 10, 1));
	fill(q, 3000, 2);
	p = dvm_realloc(q, 100000);
	CHECK(p);
	CHECK(intact(p, 3000, 2));
	fill(p, 100000, 3);
	q = dvm_realloc(p, 400000);
	CHECK(q);
	CHECK(intact(q, 100000, 3));
	CHECK(!mapped(p) || p == q);
	/* a failing realloc leaves the block as it was */
	errno = 0;
	CHECK(dvm_realloc(q, SIZE_MAX) == NULL);
	CHECK_INT(errno, ENOMEM);
	CHECK(intact(q, 100000, 3));
	dvm_free(q);
}

TEST(aligned_alloc_and_friends)
{
	for (size_t a = 1; a <= 65536; a <<= 1) {
		for (size_t n = 0; n < 9000; n = n * 3 + 7) {
			unsigned char *p = dvm_aligned_alloc(a, n);
			CHECK(p);
			CHECK(aligned(p, a < 16 ? 16 : a));
			CHECK(dvm_malloc_usable_size(p) >= n);
			fill(p, n, (unsigned)(a + n));
			unsigned char *q = dvm_malloc(n); /* must not overlap p */
			CHECK(q);
			fill(q, n, 77);
			CHECK(intact(p, n, (unsigned)(a + n)));
			/* realloc of an aligned block keeps its contents */
			unsigned char *r = dvm_realloc(p, n + 5000);
			CHECK(r);
			CHECK(intact(r, n, (unsigned)(a + n)));
			dvm_free(r);
			dvm_free(q);
		}
	}
	errno = 0;
	CHECK(dvm_aligned_alloc(24, 10) == NULL);
	CHECK_INT(errno, EINVAL);
	void *p = dvm_memalign(4096, 100);
	CHECK(p && aligned(p, 4096));
	dvm_free(p);
	p = NULL;
	CHECK_INT(dvm_posix_memalign(&p, 4, 10), EINVAL);
	CHECK_INT(dvm_posix_memalign(&p, 24, 10), EINVAL);
	CHECK(p == NULL);
	CHECK_INT(dvm_posix_memalign(&p, 128, 10), 0);
	CHECK(p && aligned(p, 128));
	dvm_free(p);
}

/* Random malloc/calloc/realloc/aligned_alloc/free over many live blocks, each filled
 * with its own pattern and checked whenever it is touched again: overlapping or
 * corrupted blocks show as a pattern mismatch. */
TEST(random_stress)
{
	enum { SLOTS = 512, ROUNDS = 300000 };
	static struct { unsigned char *p; size_t n; unsigned seed; } s[SLOTS];
	unsigned x = 12345;

	for (int r = 0; r < ROUNDS; r++) {
		x = x * 1103515245 + 12345;
		unsigned i = (x >> 8) % SLOTS, op = (x >> 20) % 8, seed = x;
		x = x * 1103515245 + 12345;
		size_t n = (x >> 4) % 16 == 0 ? (x >> 8) % 70000 : (x >> 8) % 600;
		if (s[i].p) {
			CHECK(intact(s[i].p, s[i].n, s[i].seed));
			if (op < 3) {
				unsigned char *q = dvm_realloc(s[i].p, n);
				CHECK(q);
				size_t keep = n < s[i].n ? n : s[i].n;
				CHECK(intact(q, keep, s[i].seed));
				s[i].p = q;
			} else {
				dvm_free(s[i].p);
				s[i].p = NULL;
				continue;
			}
		} else if (op < 2) {
			s[i].p = dvm_calloc(1, n);
			CHECK(s[i].p);
			for (size_t k = 0; k < n; k++)
				CHECK(s[i].p[k] == 0);
		} else if (op < 3) {
			s[i].p = dvm_aligned_alloc((size_t)32 << (x % 8), n);
			CHECK(s[i].p);
			CHECK(aligned(s[i].p, (size_t)32 << (x % 8)));
		} else {
			s[i].p = dvm_malloc(n);
			CHECK(s[i].p);
		}
		CHECK(aligned(s[i].p, 16));
		s[i].n = n;
		s[i].seed = seed;
		fill(s[i].p, n, seed);
	}
	for (int i = 0; i < SLOTS; i++) {
		if (!s[i].p)
			continue;
		CHECK(intact(s[i].p, s[i].n, s[i].seed));
		dvm_free(s[i].p);
		s[i].p = NULL;
	}
}
