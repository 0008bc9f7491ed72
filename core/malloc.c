// SPDX-License-Identifier: BSD-2-Clause
/* dvm's memory allocator. Like core/printf.c, these definitions sit in dvm's own objects,
 * so the static link never pulls musl's mallocng (about 7 KiB) out of libc.a. dvm
 * allocates little: config entries, parameter strings, opendir()'s DIR, a few driver
 * buffers set up once.
 * - Blocks up to 4 KiB (16-byte header included) come in power-of-two classes from
 *   64 KiB mmap'd arenas; a freed block goes on its class's free list for reuse and
 *   is never returned to the kernel.
 * - Larger blocks get a mapping of their own, which free() unmaps.
 * - Every block is 16-byte aligned; aligned_alloc() over-allocates and records how far
 *   its aligned pointer lies from the block.
 * Single-threaded, without locks: dvm starts no threads. To keep it so, pthread_create
 * and thrd_create are defined below so that calling them fails the link (and musl's are
 * never pulled in); a thread made some other way (clone) must not allocate.
 * Host unit tests build this file with the functions renamed dvm_malloc etc. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#ifdef DVM_UNIT_TEST
#define malloc dvm_malloc
#define free dvm_free
#define calloc dvm_calloc
#define realloc dvm_realloc
#define aligned_alloc dvm_aligned_alloc
#define posix_memalign dvm_posix_memalign
#define memalign dvm_memalign
#define malloc_usable_size dvm_malloc_usable_size
void *malloc(size_t n);
void free(void *p);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t n);
void *aligned_alloc(size_t align, size_t n);
int posix_memalign(void **res, size_t align, size_t n);
void *memalign(size_t align, size_t n);
size_t malloc_usable_size(void *p);
#else
#include <malloc.h>
#include <pthread.h>
#include <threads.h>
#endif

/* The header in front of every block's user pointer p:
 * ((size_t *)p)[-2]: the block's size, header included (a class size, or for a block
 *                    of its own the length of its mapping);
 * ((size_t *)p)[-1]: 0; for a pointer from aligned_alloc inside a block, its distance
 *                    from the block's user pointer (only that word is written there). */
#define HDR 16
#define MIN_BLOCK 32
#define NCLASS 8			/* 32, 64, ... 4096 bytes */
#define SMALL_MAX (MIN_BLOCK << (NCLASS - 1))
#define ARENA (64 << 10)
#define MAX_REQUEST (PTRDIFF_MAX - ARENA)	/* mmap refuses more anyway */

static char *bins[NCLASS];	/* free blocks' user pointers, linked through their 1st word */
static char *cur, *end;		/* the arena being carved */

#define SIZE(p) (((size_t *)(p))[-2])
#define OFF(p) (((size_t *)(p))[-1])

static char *map(size_t n)
{
	char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* The user pointer of the block that p (from malloc or aligned_alloc) lies in. */
static char *block(void *p)
{
	return (char *)p - OFF(p);
}

void *malloc(size_t n)
{
	size_t s = MIN_BLOCK;
	char *p;
	int k = 0;

	if (n > MAX_REQUEST) {
		errno = ENOMEM;
		return NULL;
	}
	if (n > SMALL_MAX - HDR) {
		s = n + HDR;
		p = map(s);
		if (!p)
			return NULL;
	} else {
		while (s - HDR < n)
			s <<= 1, k++;
		if ((p = bins[k])) {
			bins[k] = *(char **)p;
			return p;
		}
		/* a new arena when this one is used up (its last < 4 KiB are left unused) */
		if ((size_t)(end - cur) < s) {
			if (!(cur = map(ARENA)))
				return NULL;
			end = cur + ARENA;
		}
		p = cur;
		cur += s;
	}
	p += HDR;
	SIZE(p) = s;
	OFF(p) = 0;
	return p;
}

void free(void *v)
{
	char *p;
	size_t s;

	if (!v)
		return;
	p = block(v);
	s = SIZE(p);
	/* a cheap check that catches many wild or double-offset frees */
	if (s < MIN_BLOCK || (s <= SMALL_MAX && (s & (s - 1))) || OFF(p))
		__builtin_trap();
	if (s > SMALL_MAX) {
		munmap(p - HDR, s);
		return;
	}
	int k = __builtin_ctzl(s) - __builtin_ctzl(MIN_BLOCK);
	*(char **)p = bins[k];
	bins[k] = p;
}

size_t malloc_usable_size(void *v)
{
	char *p;

	if (!v)
		return 0;
	p = block(v);
	return SIZE(p) - HDR - (size_t)((char *)v - p);
}

void *calloc(size_t n, size_t size)
{
	void *p;

	if (__builtin_mul_overflow(n, size, &n)) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(n);
	/* a block of its own is a fresh mapping, zero already: leave its pages untouched */
	if (p && n <= SMALL_MAX - HDR)
		memset(p, 0, n);
	return p;
}

void *realloc(void *v, size_t n)
{
	size_t have;
	void *q;

	if (!v)
		return malloc(n);
	have = malloc_usable_size(v);
	if (n <= have)
		return v;
	q = malloc(n);
	if (q) {
		memcpy(q, v, have);
		free(v);
	}
	return q;
}

void *aligned_alloc(size_t align, size_t n)
{
	char *p, *q;

	if (align & (align - 1)) {
		errno = EINVAL;
		return NULL;
	}
	if (align <= HDR)
		return malloc(n);
	/* p is 16-byte aligned: the aligned q lies at most align - 16 bytes in, and when
	 * it is not p itself, at least 16, leaving room for its OFF word */
	if (align > MAX_REQUEST || n > MAX_REQUEST - align) {
		errno = ENOMEM;
		return NULL;
	}
	if (!(p = malloc(n + align - HDR)))
		return NULL;
	q = (char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
	OFF(q) = (size_t)(q - p);
	return q;
}

void *memalign(size_t align, size_t n)
{
	return aligned_alloc(align, n);
}

int posix_memalign(void **res, size_t align, size_t n)
{
	void *p;

	if (align < sizeof(void *))
		return EINVAL;
	p = aligned_alloc(align, n);
	if (!p)
		return errno;
	*res = p;
	return 0;
}

#ifndef DVM_UNIT_TEST
/* Never defined: a call to either function below, anywhere in dvm, fails the link with
 * this name in the message. */
extern int dvm_is_single_threaded__see_core_malloc_c(void);

int pthread_create(pthread_t *restrict t, const pthread_attr_t *restrict a,
		   void *(*fn)(void *), void *arg)
{
	(void)t, (void)a, (void)fn, (void)arg;
	return dvm_is_single_threaded__see_core_malloc_c();
}

int thrd_create(thrd_t *t, thrd_start_t fn, void *arg)
{
	(void)t, (void)fn, (void)arg;
	return dvm_is_single_threaded__see_core_malloc_c();
}
#endif
