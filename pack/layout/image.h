/* SPDX-License-Identifier: BSD-2-Clause */
/* The arm64 Linux Image header (Documentation/arch/arm64/booting.rst, "Call the kernel
 * image"): where the kernel must be loaded and how much memory it claims. */
#ifndef PACK_IMAGE_H
#define PACK_IMAGE_H
#include <stddef.h>
#include <stdint.h>

#define IMAGE_HDR_SIZE 64
#define IMAGE_MAGIC 0x644d5241u		/* "ARM\x64" at offset 56, little-endian */
#define IMAGE_OLD_TEXT_OFFSET 0x80000u	/* implied when image_size is 0 (before v3.17) */
#define IMAGE_MIN_ESTIMATE (16u << 20)	/* floor of the image_size estimate for those */
#define A64_NOP 0xd503201fu

struct kimage {
	uint32_t code0, code1;
	uint64_t text_offset;	/* load offset from a 2 MiB aligned base */
	uint64_t image_size;	/* bytes from the load address the kernel claims (incl. BSS) */
	uint64_t flags;
	uint64_t file_size;	/* bytes in the Image file */
	int big_endian;		/* flags bit 0 */
	unsigned page_kib;	/* flags bits 1-2: 4, 16, 64, or 0 = unspecified */
	int anywhere;		/* flags bit 3: the base may be anywhere in RAM */
	int efi;		/* code0 is the "MZ" of a PE/COFF header (EFI stub) */
	const char *kind;	/* how it starts, for people: "EFI stub (\"MZ\" code0, ...)" */
	int estimated;		/* image_size was 0: the value is dvm-pack's estimate */
};

/* Decode and validate the first IMAGE_HDR_SIZE bytes of an Image of file_size bytes
 * (hdr may be shorter when the file is). `name` is used in error messages. Returns 0, or
 * -1 after perr() naming the field and its value. */
int image_parse(const uint8_t *hdr, size_t len, uint64_t file_size, const char *name,
		struct kimage *k);

/* Read the header of the Image file at path (only the header is read). */
int image_read(const char *path, struct kimage *k);

/* The image_size used when the header has none: twice the file (the BSS and early
 * page tables of those kernels are far smaller than their text and data), rounded up to
 * 2 MiB and at least 16 MiB (the size U-Boot assumes). */
uint64_t image_size_estimate(uint64_t file_size);

#endif
