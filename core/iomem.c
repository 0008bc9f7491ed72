// SPDX-License-Identifier: BSD-2-Clause
/* Copies into and out of UIO maps made only of naturally aligned general-register
 * accesses (see iomem.h). The volatile accesses keep the compiler from turning the loops
 * into memcpy calls, SIMD or merged unaligned accesses. */
#include "iomem.h"

typedef uint64_t __attribute__((may_alias)) u64a;
typedef uint32_t __attribute__((may_alias)) u32a;
typedef uint16_t __attribute__((may_alias)) u16a;

#ifdef DVM_UNIT_TEST
void (*iomem_trace)(const volatile void *p, unsigned width);
#define TRACE(p, w) (iomem_trace ? iomem_trace((const volatile void *)(p), (w)) : (void)0)
#else
#define TRACE(p, w) ((void)0)
#endif

#define LD(T, p) (TRACE(p, sizeof(T)), *(const volatile T *)(p))
#define ST(T, p, v) (TRACE(p, sizeof(T)), *(volatile T *)(p) = (v))

/* Copy one naturally aligned unit of the widest size (< limit) that d's alignment and
 * n allow; returns its size. Used for the unaligned head and the tail of a copy. */
static unsigned unit(uintptr_t d, uintptr_t s, size_t n, unsigned limit)
{
	if (limit > 4 && n >= 4 && !(d & 3)) {
		ST(u32a, d, LD(u32a, s));
		return 4;
	}
	if (limit > 2 && n >= 2 && !(d & 1)) {
		ST(u16a, d, LD(u16a, s));
		return 2;
	}
	ST(uint8_t, d, LD(uint8_t, s));
	return 1;
}

void iomem_copy(volatile void *dst, const volatile void *src, size_t n)
{
	uintptr_t d = (uintptr_t)dst, s = (uintptr_t)src, x = d ^ s;
	/* The widest width at which both pointers can be aligned together. */
	unsigned w = !(x & 7) ? 8 : !(x & 3) ? 4 : !(x & 1) ? 2 : 1, k;

	for (; n && (d & (w - 1)); n -= k, d += k, s += k)
		k = unit(d, s, n, w);
	switch (w) {
	case 8:
		for (; n >= 32; n -= 32, d += 32, s += 32) {
			uint64_t a = LD(u64a, s), b = LD(u64a, s + 8);
			uint64_t c = LD(u64a, s + 16), e = LD(u64a, s + 24);
			ST(u64a, d, a);
			ST(u64a, d + 8, b);
			ST(u64a, d + 16, c);
			ST(u64a, d + 24, e);
		}
		for (; n >= 8; n -= 8, d += 8, s += 8)
			ST(u64a, d, LD(u64a, s));
		break;
	case 4:
		for (; n >= 4; n -= 4, d += 4, s += 4)
			ST(u32a, d, LD(u32a, s));
		break;
	case 2:
		for (; n >= 2; n -= 2, d += 2, s += 2)
			ST(u16a, d, LD(u16a, s));
		break;
	}
	for (; n; n -= k, d += k, s += k)
		k = unit(d, s, n, w);
}

void iomem_set(volatile void *dst, int c, size_t n)
{
	uintptr_t d = (uintptr_t)dst;
	uint64_t v = (uint8_t)c * 0x0101010101010101ull;

	for (; n && (d & 7); n--, d++)
		ST(uint8_t, d, (uint8_t)c);
	for (; n >= 8; n -= 8, d += 8)
		ST(u64a, d, v);
	for (; n; n--, d++)
		ST(uint8_t, d, (uint8_t)c);
}
