// SPDX-License-Identifier: BSD-2-Clause
/* The boot stub's machine code; see stub.h. Encodings from the Arm ARM (A64):
 * LDR (literal, 64-bit) 0x58000000 | imm19 << 5 | Rt, imm19 = byte offset / 4;
 * ORR Xd, XZR, XZR (mov Xd, xzr) 0xaa1f03e0 | Rd; BR Xn 0xd61f0000 | Rn << 5. */
#include "stub.h"

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void stub_build(uint8_t out[STUB_SIZE], uint64_t dtb, uint64_t entry)
{
	const uint32_t code[6] = {
		0x58000000u | (24 / 4) << 5 | 0,	/* 0:  ldr x0, [pc + 24] */
		0xaa1f03e0u | 1,			/* 4:  mov x1, xzr */
		0xaa1f03e0u | 2,			/* 8:  mov x2, xzr */
		0xaa1f03e0u | 3,			/* 12: mov x3, xzr */
		0x58000000u | (16 / 4) << 5 | 4,	/* 16: ldr x4, [pc + 16] */
		0xd61f0000u | 4 << 5,			/* 20: br x4 */
	};
	for (int i = 0; i < 6; i++)
		put32(out + 4 * i, code[i]);
	put32(out + 24, (uint32_t)dtb);
	put32(out + 28, (uint32_t)(dtb >> 32));
	put32(out + 32, (uint32_t)entry);
	put32(out + 36, (uint32_t)(entry >> 32));
}
