/* SPDX-License-Identifier: BSD-2-Clause */
/* A 40-byte aarch64 boot stub that starts Linux the way libvmm's guest_start() does:
 * x0 = DTB address, x1 = x2 = x3 = 0, branch to the kernel entry. For booting a layout
 * under QEMU with -device loader (minram, tests), where no firmware does it. */
#ifndef PACK_STUB_H
#define PACK_STUB_H
#include <stdint.h>

#define STUB_SIZE 40

/* The stub as little-endian bytes:
 *   ldr x0, dtb ; mov x1, xzr ; mov x2, xzr ; mov x3, xzr ; ldr x4, entry ; br x4
 *   dtb: .quad DTB ; entry: .quad ENTRY */
void stub_build(uint8_t out[STUB_SIZE], uint64_t dtb, uint64_t entry);

#endif
