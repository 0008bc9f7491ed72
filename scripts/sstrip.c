// SPDX-License-Identifier: BSD-2-Clause
/* Build-time helper (host): cut a stripped static ELF64 executable down to what the
 * kernel loads. After `ld -s` the file still ends with the section header table and the
 * section names (about 1 KiB for dvm); neither the kernel nor qemu-user reads them, only
 * the program headers. The file is truncated after the last byte any program header
 * covers, and the ELF header's section fields are zeroed ("no section headers", as the
 * ELF spec allows for executables). Refuses anything it does not understand: not ELF64
 * little-endian, or sections placed before the end of the segments.
 * Tools that list sections (readelf -S, objdump -d, size) then show none; they are
 * for the unstripped link anyway.
 * Usage: sstrip FILE (changed in place) */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b = NULL;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    !(b = malloc(n ? (size_t)n : 1)) || fread(b, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		exit(1);
	}
	fclose(f);
	*len = (size_t)n;
	return b;
}

int main(int argc, char **argv)
{
	size_t len, end;
	unsigned char *b;
	Elf64_Ehdr e;

	if (argc != 2) {
		fprintf(stderr, "usage: sstrip FILE\n");
		return 2;
	}
	b = slurp(argv[1], &len);
	if (len < sizeof(e) || memcmp(b, ELFMAG, SELFMAG) || b[EI_CLASS] != ELFCLASS64 ||
	    b[EI_DATA] != ELFDATA2LSB) {
		fprintf(stderr, "sstrip: %s: not a little-endian ELF64 file\n", argv[1]);
		return 1;
	}
	memcpy(&e, b, sizeof(e));
	if (e.e_phentsize != sizeof(Elf64_Phdr) || !e.e_phnum || e.e_phoff > len ||
	    e.e_phnum > (len - e.e_phoff) / sizeof(Elf64_Phdr)) {
		fprintf(stderr, "sstrip: %s: bad program header table\n", argv[1]);
		return 1;
	}
	end = e.e_phoff + e.e_phnum * sizeof(Elf64_Phdr);
	if (end < sizeof(e))
		end = sizeof(e);
	for (unsigned i = 0; i < e.e_phnum; i++) {
		Elf64_Phdr p;
		memcpy(&p, b + e.e_phoff + i * sizeof(p), sizeof(p));
		if (p.p_offset > len || p.p_filesz > len - p.p_offset) {
			fprintf(stderr, "sstrip: %s: segment %u runs past the end\n", argv[1], i);
			return 1;
		}
		if (p.p_offset + p.p_filesz > end)
			end = p.p_offset + p.p_filesz;
	}
	if (e.e_shnum && e.e_shoff < end) {
		fprintf(stderr, "sstrip: %s: section headers before the end of the segments\n",
			argv[1]);
		return 1;
	}
	e.e_shoff = 0;
	e.e_shnum = 0;
	e.e_shstrndx = SHN_UNDEF;

	/* in place, keeping the file's mode; make deletes the file if this fails */
	FILE *f = fopen(argv[1], "r+b");
	if (!f || fwrite(&e, sizeof(e), 1, f) != 1 || fclose(f) || truncate(argv[1], (off_t)end)) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
