// SPDX-License-Identifier: BSD-2-Clause
/* core/iomem: copies and fills at every alignment and length produce the right bytes,
 * touch nothing outside the range, and make only naturally aligned accesses (seen
 * through the iomem_trace hook) - what Device memory on arm64 requires. */
#include <stdint.h>
#include <string.h>
#include "check.h"
#include "iomem.h"

static uintptr_t lo1, hi1, lo2, hi2;
static int bad, count, widest;

static void trace(const volatile void *p, unsigned w)
{
	uintptr_t a = (uintptr_t)p;

	count++;
	if ((int)w > widest)
		widest = (int)w;
	if (a % w)
		bad++; /* unaligned */
	if (!((a >= lo1 && a + w <= hi1) || (a >= lo2 && a + w <= hi2)))
		bad++; /* outside both ranges */
}

TEST(copy_all_alignments)
{
	static uint8_t src[512] __attribute__((aligned(64)));
	static uint8_t dst[512] __attribute__((aligned(64)));
	static uint8_t want[512];

	for (unsigned i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 131 + 7);
	iomem_trace = trace;
	for (unsigned so = 0; so < 16; so++)
		for (unsigned d = 0; d < 16; d++)
			for (unsigned n = 0; n < 200; n += n < 40 ? 1 : 13) {
				memset(dst, 0xee, sizeof(dst));
				memcpy(want, dst, sizeof(want));
				memcpy(want + 64 + d, src + 64 + so, n);
				lo1 = (uintptr_t)(src + 64 + so), hi1 = lo1 + n;
				lo2 = (uintptr_t)(dst + 64 + d), hi2 = lo2 + n;
				bad = 0;
				iomem_copy(dst + 64 + d, src + 64 + so, n);
				if (bad || memcmp(dst, want, sizeof(dst)))
					check_fail(__FILE__, __LINE__, "src+%u dst+%u n=%u: %s", so, d, n,
						   bad ? "bad access" : "wrong bytes");
				CHECK(!bad);
				CHECK(!memcmp(dst, want, sizeof(dst)));
			}
	iomem_trace = 0;
}

/* The common cases use wide accesses: 8 bytes when both are 8-aligned, 4 for 4. */
TEST(copy_uses_wide_accesses)
{
	static uint64_t a[64], b[64];

	iomem_trace = trace;
	lo1 = (uintptr_t)a, hi1 = lo1 + sizeof(a);
	lo2 = (uintptr_t)b, hi2 = lo2 + sizeof(b);
	count = widest = bad = 0;
	iomem_copy(a, b, sizeof(a));
	CHECK_INT(bad, 0);
	CHECK_INT(widest, 8);
	CHECK_INT(count, 2 * (int)sizeof(a) / 8);
	count = widest = 0;
	iomem_copy((char *)a + 4, (char *)b + 8, 12); /* a 12-byte response slot */
	CHECK_INT(widest, 4);
	CHECK_INT(count, 6);
	count = widest = 0;
	iomem_copy((char *)a + 4, (char *)b + 12, 12); /* both 4 mod 8: 4 then 8 */
	CHECK_INT(widest, 8);
	CHECK_INT(count, 4);
	count = widest = 0;
	iomem_copy((char *)a + 1, (char *)b + 1, 15); /* 1, 2, 4 to reach 8, then 8 */
	CHECK_INT(count, 8);
	iomem_trace = 0;
}

TEST(set_all_alignments)
{
	static uint8_t buf[256] __attribute__((aligned(64)));
	static uint8_t want[256];

	iomem_trace = trace;
	for (unsigned d = 0; d < 16; d++)
		for (unsigned n = 0; n < 100; n++) {
			memset(buf, 0x11, sizeof(buf));
			memcpy(want, buf, sizeof(buf));
			memset(want + 32 + d, 0xa5, n);
			lo1 = lo2 = (uintptr_t)(buf + 32 + d), hi1 = hi2 = lo1 + n;
			bad = 0;
			iomem_set(buf + 32 + d, 0xa5, n);
			CHECK(!bad);
			CHECK(!memcmp(buf, want, sizeof(buf)));
		}
	iomem_trace = 0;
}

TEST(index_accessors)
{
	uint32_t w[2] = { 0, 0 };
	uint8_t b = 0;

	io_store32_rel(&w[1], 0xfffffffeu);
	CHECK_INT(io_load32_acq(&w[1]), 0xfffffffeu);
	io_store32(&w[0], 7);
	CHECK_INT(io_load32(&w[0]), 7);
	io_store8_rel(&b, 1);
	CHECK_INT(io_load8_acq(&b), 1);
	CHECK_INT(io_load8(&b), 1);
}
