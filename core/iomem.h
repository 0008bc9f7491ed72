/* SPDX-License-Identifier: BSD-2-Clause */
/* Access to memory shared with a VMM through UIO maps. UIO maps physical memory
 * non-cached (Device memory on arm64), where an unaligned access faults and libc memcpy
 * (which uses unaligned and SIMD accesses) is unsafe. Everything that touches a map goes
 * through these helpers: copies made only of naturally aligned accesses in general
 * registers, and acquire/release accessors for ring indices. The peer may run on
 * another CPU, so the ordering is real SMP ordering, whatever barriers the peer uses. */
#ifndef DVM_IOMEM_H
#define DVM_IOMEM_H
#include <stddef.h>
#include <stdint.h>

/* Copy n bytes; either side (or both) may be a UIO map. Every access is naturally
 * aligned: 8-byte words when both pointers share their alignment modulo 8 (the usual
 * case: page-aligned buffers), else the widest width they share, bytes at the ends.
 * Bytes outside [dst, dst+n) and [src, src+n) are never touched. No ordering implied. */
void iomem_copy(volatile void *dst, const volatile void *src, size_t n);

/* Fill n bytes of a map with byte c, with the same access rules. */
void iomem_set(volatile void *dst, int c, size_t n);

/* Ring indices and flags. Acquire loads order the reads after them (slot contents after
 * the producer's tail); release stores order earlier reads and writes before them (slot
 * contents before our tail, our reads of a slot before our head). */
static inline uint32_t io_load32_acq(const volatile void *p)
{
	return __atomic_load_n((const volatile uint32_t *)p, __ATOMIC_ACQUIRE);
}
static inline uint32_t io_load32(const volatile void *p)
{
	return __atomic_load_n((const volatile uint32_t *)p, __ATOMIC_RELAXED);
}
static inline void io_store32_rel(volatile void *p, uint32_t v)
{
	__atomic_store_n((volatile uint32_t *)p, v, __ATOMIC_RELEASE);
}
static inline void io_store32(volatile void *p, uint32_t v)
{
	__atomic_store_n((volatile uint32_t *)p, v, __ATOMIC_RELAXED);
}
static inline uint8_t io_load8_acq(const volatile void *p)
{
	return __atomic_load_n((const volatile uint8_t *)p, __ATOMIC_ACQUIRE);
}
static inline uint8_t io_load8(const volatile void *p)
{
	return __atomic_load_n((const volatile uint8_t *)p, __ATOMIC_RELAXED);
}
static inline void io_store8_rel(volatile void *p, uint8_t v)
{
	__atomic_store_n((volatile uint8_t *)p, v, __ATOMIC_RELEASE);
}
/* A full release fence, for a plain store that must not pass earlier ones (a doorbell
 * write that traps into the VMM must be a plain single-register store). */
static inline void io_fence_rel(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}
static inline void io_fence_acq(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}
/* 16-bit ring indices (sDDF net queues). */
static inline uint16_t io_load16_acq(const volatile void *p)
{
	return __atomic_load_n((const volatile uint16_t *)p, __ATOMIC_ACQUIRE);
}
static inline void io_store16_rel(volatile void *p, uint16_t v)
{
	__atomic_store_n((volatile uint16_t *)p, v, __ATOMIC_RELEASE);
}
/* A full fence: orders earlier stores before later loads, which release and acquire
 * fences do not. A "store my flag, then check your index" handshake (sDDF's signal
 * request and the producer's check of it) needs it, or both sides can miss each other. */
static inline void io_fence_full(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

#ifdef DVM_UNIT_TEST
/* Unit tests and the fuzzer set this to see every access iomem_copy/iomem_set make
 * (address, width in bytes) and check it for alignment. */
extern void (*iomem_trace)(const volatile void *p, unsigned width);
#endif

#endif
