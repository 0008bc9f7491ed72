/* SPDX-License-Identifier: BSD-2-Clause */
/* Declarations of libvmm 0.2.0's guest API as its VMMs call it (main, 7069ab99), for
 * compiling the VMM init() that docs/layout.md shows: not libvmm's header, only the
 * signatures. The field types of arch_guest_init_t are our reading of its use. */
#ifndef DVM_TEST_LIBVMM_GUEST_H
#define DVM_TEST_LIBVMM_GUEST_H
#include <stdbool.h>
#include <stdint.h>

typedef struct {
	uint64_t gpa_start;	/* guest physical base of guest RAM */
	uint64_t size;		/* its size */
	uintptr_t vmm_vaddr;	/* where the VMM maps it */
} arch_guest_init_t;

bool guest_init(arch_guest_init_t init);
bool guest_start(uintptr_t kernel_pc, uintptr_t dtb, uintptr_t initrd);
#endif
