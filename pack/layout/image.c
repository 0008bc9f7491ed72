// SPDX-License-Identifier: BSD-2-Clause
/* Parsing and validating the arm64 Image header; see image.h. All header fields are
 * little-endian (booting.rst, since v3.17), whatever the kernel's own endianness. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "image.h"
#include "util.h"

#define SZ_2M (2ull << 20)

static uint64_t le(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* A B (unconditional immediate branch) instruction whose target, relative to `at`,
 * lies inside the file. */
static int is_branch(uint32_t insn, uint64_t at, uint64_t file_size)
{
	if ((insn & 0xfc000000u) != 0x14000000u)
		return 0;
	int64_t off = (int64_t)((uint64_t)(insn & 0x03ffffffu) << 38) >> 36;	/* imm26 * 4 */
	int64_t target = (int64_t)at + off;
	return target >= 0 && (uint64_t)target < file_size;
}

uint64_t image_size_estimate(uint64_t file_size)
{
	uint64_t e = (file_size * 2 + SZ_2M - 1) & ~(SZ_2M - 1);
	return e < IMAGE_MIN_ESTIMATE ? IMAGE_MIN_ESTIMATE : e;
}

int image_parse(const uint8_t *h, size_t len, uint64_t file_size, const char *name,
		struct kimage *k)
{
	memset(k, 0, sizeof(*k));
	k->file_size = file_size;
	if (len >= 2 && h[0] == 0x1f && h[1] == 0x8b) {
		perr("%s: gzip-compressed; give the raw Image (gunzip it first): the boot "
		     "protocol and libvmm load an uncompressed Image", name);
		return -1;
	}
	if (len >= 8 && !memcmp(h + 4, "zimg", 4)) {
		perr("%s: an EFI zboot image (compressed, 'zimg' at offset 4); give the raw "
		     "Image (arch/arm64/boot/Image)", name);
		return -1;
	}
	if (len < IMAGE_HDR_SIZE) {
		perr("%s: %zu bytes, too short for an arm64 Image header (%d bytes)", name, len,
		     IMAGE_HDR_SIZE);
		return -1;
	}
	uint32_t magic = (uint32_t)le(h + 56, 4);
	if (magic != IMAGE_MAGIC) {
		perr("%s: not an arm64 Image: magic at offset 56 is 0x%08x, expected 0x%08x "
		     "(\"ARM\\x64\")", name, magic, IMAGE_MAGIC);
		return -1;
	}
	k->code0 = (uint32_t)le(h, 4);
	k->code1 = (uint32_t)le(h + 4, 4);
	k->text_offset = le(h + 8, 8);
	k->image_size = le(h + 16, 8);
	k->flags = le(h + 24, 8);

	/* The entry is at offset 0: code0 branches to the kernel's entry code; or, with
	 * an EFI stub, code0 is an instruction whose encoding starts with "MZ" and code1
	 * is that branch; or, built without CONFIG_EFI (5.10 on), code0 is a NOP and code1
	 * the branch. The boot protocol asks nothing more of code0, so any other first
	 * instruction followed by a branch is accepted too. */
	if ((k->code0 & 0xffff) == 0x5a4d) {
		k->efi = 1;
		k->kind = "EFI stub (\"MZ\" code0, branch in code1)";
		if (!is_branch(k->code1, 4, file_size)) {
			perr("%s: code1 is 0x%08x: after an EFI \"MZ\" code0 it must be a branch "
			     "into the image", name, k->code1);
			return -1;
		}
	} else if (is_branch(k->code0, 0, file_size)) {
		k->kind = "no EFI stub (branch in code0)";
	} else if (is_branch(k->code1, 4, file_size)) {
		k->kind = k->code0 == A64_NOP ? "no EFI stub (NOP code0, branch in code1)" :
			"no EFI stub (code0 an instruction, branch in code1)";
	} else {
		perr("%s: code0 is 0x%08x and code1 0x%08x: neither is a branch into the image "
		     "(expected a branch in code0, or in code1 after an EFI \"MZ\" or a NOP)",
		     name, k->code0, k->code1);
		return -1;
	}

	if (k->flags >> 4) {
		perr("%s: flags 0x%llx has reserved bits set (bits 4-63 must be zero)", name,
		     (unsigned long long)k->flags);
		return -1;
	}
	k->big_endian = k->flags & 1;
	k->page_kib = (unsigned[]){ 0, 4, 16, 64 }[(k->flags >> 1) & 3];
	k->anywhere = (k->flags >> 3) & 1;

	if (k->image_size == 0) {
		/* Before v3.17: text_offset is 0x80000 in the kernel's endianness and
		 * flags did not exist. */
		if (k->text_offset != IMAGE_OLD_TEXT_OFFSET &&
		    k->text_offset != __builtin_bswap64(IMAGE_OLD_TEXT_OFFSET)) {
			perr("%s: image_size is 0 (a kernel before v3.17), so text_offset must be "
			     "0x80000, but it is 0x%llx", name, (unsigned long long)k->text_offset);
			return -1;
		}
		if (k->flags) {
			perr("%s: image_size is 0 (a kernel before v3.17) but flags is 0x%llx "
			     "(those kernels have none)", name, (unsigned long long)k->flags);
			return -1;
		}
		k->text_offset = IMAGE_OLD_TEXT_OFFSET;
		k->image_size = image_size_estimate(file_size);
		k->estimated = 1;
		return 0;
	}
	/* TEXT_OFFSET was 0x80000, 0 since v5.8, or randomised in 4 KiB steps below
	 * 2 MiB (ARM64_RANDOMIZE_TEXT_OFFSET). */
	if (k->text_offset % 4096 || k->text_offset >= SZ_2M) {
		perr("%s: text_offset 0x%llx is not a multiple of 4 KiB below 2 MiB", name,
		     (unsigned long long)k->text_offset);
		return -1;
	}
	if (k->image_size < file_size) {
		perr("%s: image_size 0x%llx is smaller than the file (%llu bytes); it must "
		     "cover the whole Image plus its BSS", name,
		     (unsigned long long)k->image_size, (unsigned long long)file_size);
		return -1;
	}
	if (k->image_size > (1ull << 30)) {
		perr("%s: image_size 0x%llx is implausible (more than 1 GiB)", name,
		     (unsigned long long)k->image_size);
		return -1;
	}
	return 0;
}

int image_read(const char *path, struct kimage *k)
{
	uint8_t h[IMAGE_HDR_SIZE];
	struct stat st;
	ssize_t n;
	int fd = open_input(path);

	if (fd < 0) {
		perr("cannot read kernel %s: %s", path, input_error());
		return -1;
	}
	if (fstat(fd, &st)) {
		perr("cannot read kernel %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	n = pread(fd, h, sizeof(h), 0);
	close(fd);
	if (n < 0) {
		perr("cannot read kernel %s: %s", path, strerror(errno));
		return -1;
	}
	return image_parse(h, (size_t)n, (uint64_t)st.st_size, path, k);
}
