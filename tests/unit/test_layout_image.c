// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests: the arm64 Image header parser (pack/layout/image.c), good and bad headers. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include "check.h"
#include "image.h"
#include "util.h"

static void put(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A header like Debian 6.1's: EFI "MZ" code0, code1 = b +0x10000, text_offset 0,
 * image_size 0x2010000, flags 0xa (LE, 4K pages, anywhere). */
static void debian(uint8_t h[64])
{
	memset(h, 0, 64);
	put(h, 0xfa405a4d, 4);
	put(h + 4, 0x14000000 | (0x10000 / 4), 4);
	put(h + 8, 0, 8);
	put(h + 16, 0x2010000, 8);
	put(h + 24, 0xa, 8);
	put(h + 56, IMAGE_MAGIC, 4);
	put(h + 60, 0x40, 4);
}

#define FILE_SIZE 32956352ull

static int parse(const uint8_t *h, size_t len, uint64_t fs, struct kimage *k)
{
	perr_quiet = 1;
	return image_parse(h, len, fs, "Image", k);
}

#define CHECK_ERR(h, len, fs, msg)                                                \
	do {                                                                      \
		struct kimage k_;                                                 \
		CHECK_INT(parse(h, len, fs, &k_), -1);                            \
		if (!strstr(perr_last, msg))                                      \
			check_fail(__FILE__, __LINE__, "message '%s' lacks '%s'", \
				   perr_last, msg);                               \
		if (!strstr(perr_last, msg))                                      \
			return;                                                   \
	} while (0)

TEST(good_efi_header)
{
	uint8_t h[64];
	struct kimage k;
	debian(h);
	CHECK_INT(parse(h, 64, FILE_SIZE, &k), 0);
	CHECK_INT(k.text_offset, 0);
	CHECK_INT(k.image_size, 0x2010000);
	CHECK_INT(k.page_kib, 4);
	CHECK_INT(k.anywhere, 1);
	CHECK_INT(k.big_endian, 0);
	CHECK_INT(k.efi, 1);
	CHECK_INT(k.estimated, 0);
	CHECK_INT(k.file_size, FILE_SIZE);
}

TEST(good_plain_header_flags)
{
	uint8_t h[64];
	struct kimage k;
	debian(h);
	put(h, 0x14000000 | (0x800 / 4), 4);	/* b +0x800 */
	put(h + 4, 0, 4);
	put(h + 8, 0x80000, 8);
	put(h + 24, 0x5, 8);			/* BE, 16K pages, not anywhere */
	CHECK_INT(parse(h, 64, FILE_SIZE, &k), 0);
	CHECK_INT(k.efi, 0);
	CHECK_INT(k.text_offset, 0x80000);
	CHECK_INT(k.big_endian, 1);
	CHECK_INT(k.page_kib, 16);
	CHECK_INT(k.anywhere, 0);
	put(h + 24, 0x6, 8);
	CHECK_INT(parse(h, 64, FILE_SIZE, &k), 0);
	CHECK_INT(k.page_kib, 64);
	put(h + 24, 0x0, 8);
	CHECK_INT(parse(h, 64, FILE_SIZE, &k), 0);
	CHECK_INT(k.page_kib, 0);
}

TEST(old_kernel_without_image_size)
{
	uint8_t h[64];
	struct kimage k;
	debian(h);
	put(h + 8, 0x80000, 8);
	put(h + 16, 0, 8);
	put(h + 24, 0, 8);
	CHECK_INT(parse(h, 64, 10 << 20, &k), 0);
	CHECK_INT(k.estimated, 1);
	CHECK_INT(k.text_offset, 0x80000);
	CHECK_INT(k.image_size, 20 << 20);	/* twice the file */
	CHECK_INT(parse(h, 64, 3 << 20, &k), 0);
	CHECK_INT(k.image_size, 16 << 20);	/* the floor */
	CHECK_INT(parse(h, 64, (9 << 20) + 1, &k), 0);
	CHECK_INT(k.image_size, 20 << 20);	/* rounded up to 2 MiB */
	put(h + 8, __builtin_bswap64(0x80000), 8);	/* a big-endian kernel's text_offset */
	CHECK_INT(parse(h, 64, 10 << 20, &k), 0);
	CHECK_INT(k.text_offset, 0x80000);
	put(h + 8, 0, 8);
	CHECK_ERR(h, 64, 10 << 20, "so text_offset must be 0x80000, but it is 0x0");
	put(h + 8, 0x80000, 8);
	put(h + 24, 0x2, 8);
	CHECK_ERR(h, 64, 10 << 20, "but flags is 0x2");
}

TEST(bad_magic_and_short)
{
	uint8_t h[64];
	debian(h);
	put(h + 56, 0x016f2818, 4);	/* an arm32 zImage's magic */
	CHECK_ERR(h, 64, FILE_SIZE, "magic at offset 56 is 0x016f2818, expected 0x644d5241");
	debian(h);
	CHECK_ERR(h, 40, 40, "40 bytes, too short");
	h[0] = 0x1f, h[1] = 0x8b;
	CHECK_ERR(h, 64, FILE_SIZE, "gzip-compressed");
	debian(h);
	memcpy(h + 4, "zimg", 4);
	CHECK_ERR(h, 64, FILE_SIZE, "EFI zboot");
}

TEST(bad_fields)
{
	uint8_t h[64];
	debian(h);
	put(h + 24, 0x1a, 8);
	CHECK_ERR(h, 64, FILE_SIZE, "flags 0x1a has reserved bits set");
	debian(h);
	put(h + 8, 0x80010, 8);
	CHECK_ERR(h, 64, FILE_SIZE, "text_offset 0x80010 is not a multiple of 4 KiB");
	put(h + 8, 0x200000, 8);
	CHECK_ERR(h, 64, FILE_SIZE, "text_offset 0x200000");
	debian(h);
	put(h + 16, 0x1000000, 8);
	CHECK_ERR(h, 64, FILE_SIZE, "image_size 0x1000000 is smaller than the file (32956352 bytes)");
	put(h + 16, 0x80000000ull, 8);
	CHECK_ERR(h, 64, FILE_SIZE, "image_size 0x80000000 is implausible");
}

TEST(bad_code)
{
	uint8_t h[64];
	debian(h);
	put(h + 4, A64_NOP, 4);
	CHECK_ERR(h, 64, FILE_SIZE, "code1 is 0xd503201f");
	debian(h);
	put(h, A64_NOP, 4);
	put(h + 4, 0, 4);
	CHECK_ERR(h, 64, FILE_SIZE, "code0 is 0xd503201f and code1 0x00000000: neither is a branch");
	put(h, 0x14000000 | (0x1000000 / 4), 4);	/* b +16 MiB, past a 1 MiB file */
	CHECK_ERR(h, 64, 1 << 20, "code0 is 0x14400000");
	put(h, 0x17ffffff, 4);		/* b -4: before the file */
	CHECK_ERR(h, 64, FILE_SIZE, "code0 is 0x17ffffff");
	put(h, A64_NOP, 4);
	put(h + 4, 0x14000000 | 0x3ffffff, 4);	/* code1: b -4, to code0 (in the file) */
	struct kimage k;
	CHECK_INT(parse(h, 64, FILE_SIZE, &k), 0);
	put(h + 4, 0x17fffffe, 4);	/* code1: b -8, before the file */
	CHECK_ERR(h, 64, FILE_SIZE, "code1 0x17fffffe: neither is a branch");
}

/* Built without CONFIG_EFI (5.10 on): a NOP, then the branch in code1. Accepted, and
 * said so; as are an older non-EFI Image (branch in code0) and an EFI one. */
TEST(kinds)
{
	uint8_t h[64];
	struct kimage k;
	debian(h);
	CHECK_INT(parse(h, 64, FILE_SIZE, &k), 0);
	CHECK(strstr(k.kind, "EFI stub"));
	put(h, A64_NOP, 4);
	CHECK_INT(parse(h, 64, FILE_SIZE, &k), 0);
	CHECK_INT(k.efi, 0);
	CHECK(!strcmp(k.kind, "no EFI stub (NOP code0, branch in code1)"));
	CHECK_INT(k.image_size, 0x2010000);
	put(h, 0xaa1f03e0, 4);		/* mov x0, xzr: any instruction */
	CHECK_INT(parse(h, 64, FILE_SIZE, &k), 0);
	CHECK(strstr(k.kind, "code0 an instruction, branch in code1"));
	put(h, 0x14000000 | (0x800 / 4), 4);
	put(h + 4, 0, 4);
	CHECK_INT(parse(h, 64, FILE_SIZE, &k), 0);
	CHECK(!strcmp(k.kind, "no EFI stub (branch in code0)"));
}

TEST(read_from_file)
{
	char path[] = "/tmp/dvm-image-XXXXXX";
	uint8_t h[64];
	struct kimage k;
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	debian(h);
	put(h + 16, 0x20000, 8);
	CHECK(write(fd, h, 64) == 64);
	CHECK(ftruncate(fd, 0x18000) == 0);
	close(fd);
	perr_quiet = 1;
	CHECK_INT(image_read(path, &k), 0);
	CHECK_INT(k.file_size, 0x18000);
	CHECK_INT(k.image_size, 0x20000);
	unlink(path);
	CHECK_INT(image_read(path, &k), -1);
	CHECK(strstr(perr_last, "cannot read kernel /tmp/dvm-image-") != NULL);
}
