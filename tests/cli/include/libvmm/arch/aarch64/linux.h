/* SPDX-License-Identifier: BSD-2-Clause */
/* libvmm 0.2.0's linux_setup_images() signature (see ../../guest.h). */
#ifndef DVM_TEST_LIBVMM_LINUX_H
#define DVM_TEST_LIBVMM_LINUX_H
#include <stddef.h>
#include <stdint.h>

uint64_t linux_setup_images(uint64_t ram_start_gpa, uintptr_t kernel, size_t kernel_size,
			    uintptr_t dtb_src, uint64_t dtb_dest_gpa, size_t dtb_size,
			    uintptr_t initrd_src, uint64_t initrd_dest_gpa, size_t initrd_size);
#endif
