// SPDX-License-Identifier: BSD-2-Clause
/* .modinfo extraction, on ELF images built here, including truncated and corrupt ones. */
#include <elf.h>
#include <stdlib.h>
#include "check.h"
#include "modinfo.h"

static const char info[] = "license=GPL\0depends=uio,virtio\0vermagic=6.1.0 SMP\0flag\0";
static const char strtab[] = "\0.modinfo\0.shstrtab\0";

/* One module image: header, .modinfo data, .shstrtab data, 3 section headers; the
 * same layout as ELF64 (build) and as ELF32 (build32, 32-bit kernels' modules). */
#define DEFINE_BUILD(name, Ehdr, Shdr, class)                                      \
	static size_t name(unsigned char *b)                                       \
	{                                                                          \
		Ehdr *e = (Ehdr *)b;                                               \
		size_t off = sizeof(*e), info_off, str_off;                        \
		memset(b, 0, 1024);                                                \
		memcpy(e->e_ident, ELFMAG, SELFMAG);                               \
		e->e_ident[EI_CLASS] = class;                                      \
		e->e_ident[EI_DATA] = ELFDATA2LSB;                                 \
		e->e_type = ET_REL;                                                \
		memcpy(b + off, info, sizeof(info));                               \
		info_off = off;                                                    \
		off += sizeof(info);                                               \
		memcpy(b + off, strtab, sizeof(strtab));                           \
		str_off = off;                                                     \
		off += sizeof(strtab);                                             \
		off = (off + sizeof(e->e_shoff) - 1) & ~(sizeof(e->e_shoff) - 1);  \
		e->e_shoff = off;                                                  \
		e->e_shentsize = sizeof(Shdr);                                     \
		e->e_shnum = 3;                                                    \
		e->e_shstrndx = 2;                                                 \
		Shdr *sh = (Shdr *)(b + off);                                      \
		sh[1].sh_name = 1;                                                 \
		sh[1].sh_offset = info_off;                                        \
		sh[1].sh_size = sizeof(info);                                      \
		sh[2].sh_name = 10;                                                \
		sh[2].sh_offset = str_off;                                         \
		sh[2].sh_size = sizeof(strtab);                                    \
		return off + 3 * sizeof(Shdr);                                     \
	}
DEFINE_BUILD(build, Elf64_Ehdr, Elf64_Shdr, ELFCLASS64)
DEFINE_BUILD(build32, Elf32_Ehdr, Elf32_Shdr, ELFCLASS32)

TEST(reads_keys)
{
	unsigned char b[1024];
	char v[64];
	const char *why = NULL;
	size_t n = build(b);

	CHECK_INT(modinfo_get(b, n, "depends", v, sizeof(v), &why), 1);
	CHECK_STR(v, "uio,virtio");
	CHECK_INT(modinfo_get(b, n, "vermagic", v, sizeof(v), &why), 1);
	CHECK_STR(v, "6.1.0 SMP");
	CHECK_INT(modinfo_get(b, n, "flag", v, sizeof(v), &why), 1);
	CHECK_STR(v, "");
	CHECK_INT(modinfo_get(b, n, "parm", v, sizeof(v), &why), 0);
}

TEST(every_truncation_is_safe)
{
	unsigned char b[1024];
	size_t n = build(b);
	char v[64];

	/* A copy of exactly len bytes on the heap, so ASan sees any overread. */
	for (size_t len = 0; len < n; len++) {
		unsigned char *c = malloc(len ? len : 1);
		const char *why = NULL;
		memcpy(c, b, len);
		int r = modinfo_get(c, len, "depends", v, sizeof(v), &why);
		CHECK(r == -1 ? why != NULL : r >= 0);
		free(c);
	}
}

TEST(corrupt_headers_rejected)
{
	unsigned char b[1024];
	size_t n = build(b);
	const char *why = NULL;
	char v[8];
	Elf64_Ehdr *e = (Elf64_Ehdr *)b;

	e->e_shstrndx = 7;
	CHECK_INT(modinfo_get(b, n, "depends", v, sizeof(v), &why), -1);
	build(b);
	e->e_shoff = (Elf64_Off)-1;
	CHECK_INT(modinfo_get(b, n, "depends", v, sizeof(v), &why), -1);
	build(b);
	((Elf64_Shdr *)(b + e->e_shoff))[1].sh_size = 1u << 30;
	CHECK_INT(modinfo_get(b, n, "depends", v, sizeof(v), &why), -1);
	CHECK_STR(why, "section runs past the end of the file");
	CHECK_INT(modinfo_get("garbage!garbage!", 16, "x", v, sizeof(v), &why), -1);
	CHECK_STR(why, "not an ELF file");
}

TEST(value_truncated)
{
	unsigned char b[1024];
	char v[4];
	size_t n = build(b);
	CHECK_INT(modinfo_get(b, n, "depends", v, sizeof(v), NULL), 1);
	CHECK_STR(v, "uio");
}

TEST(elf32)
{
	unsigned char b[1024];
	char v[64];
	const char *why = NULL;
	size_t n = build32(b);
	Elf32_Ehdr *e = (Elf32_Ehdr *)b;

	CHECK_INT(modinfo_get(b, n, "depends", v, sizeof(v), &why), 1);
	CHECK_STR(v, "uio,virtio");
	CHECK_INT(modinfo_get(b, n, "flag", v, sizeof(v), &why), 1);
	CHECK_STR(v, "");
	for (size_t len = 0; len < n; len++) {
		unsigned char *c = malloc(len ? len : 1);
		memcpy(c, b, len);
		int r = modinfo_get(c, len, "depends", v, sizeof(v), &why);
		CHECK(r == -1 ? why != NULL : r == 1);
		free(c);
	}
	CHECK_INT(modinfo_get(b, sizeof(Elf32_Ehdr) - 1, "x", v, sizeof(v), &why), -1);
	CHECK_STR(why, "truncated ELF header");
	e->e_shentsize = sizeof(Elf32_Shdr) - 1;
	CHECK_INT(modinfo_get(b, n, "depends", v, sizeof(v), &why), -1);
	CHECK_STR(why, "truncated or corrupt section headers");
	build32(b);
	((Elf32_Shdr *)(b + e->e_shoff))[2].sh_offset = 5000;
	CHECK_INT(modinfo_get(b, n, "depends", v, sizeof(v), &why), -1);
	CHECK_STR(why, "corrupt section name table");
	build32(b);
	((Elf32_Shdr *)(b + e->e_shoff))[1].sh_name = 10;	/* no .modinfo left */
	CHECK_INT(modinfo_get(b, n, "depends", v, sizeof(v), &why), -1);
	CHECK_STR(why, "no .modinfo section");
	build32(b);
	b[EI_DATA] = ELFDATA2MSB;
	CHECK_INT(modinfo_get(b, n, "depends", v, sizeof(v), &why), -1);
	CHECK_STR(why, "not a little-endian ELF file");
	b[EI_DATA] = ELFDATA2LSB;
	b[EI_CLASS] = 3;
	CHECK_INT(modinfo_get(b, n, "depends", v, sizeof(v), &why), -1);
	CHECK_STR(why, "unknown ELF class");
}
