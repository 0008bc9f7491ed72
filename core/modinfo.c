/* .modinfo extraction from a module's ELF image; see modinfo.h. */
#include <elf.h>
#include <stdint.h>
#include <string.h>
#include "modinfo.h"

static uint64_t rd(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Locate section `want` by name; returns its file range in *off and *size. */
static int find_section(const unsigned char *b, size_t len, const char *want,
			uint64_t *off, uint64_t *size, const char **why)
{
	int is64;
	uint64_t shoff, shentsize, shnum, shstrndx;

	if (len < EI_NIDENT || memcmp(b, ELFMAG, SELFMAG)) {
		*why = "not an ELF file";
		return -1;
	}
	if (b[EI_DATA] != ELFDATA2LSB) {
		*why = "not a little-endian ELF file";
		return -1;
	}
	is64 = b[EI_CLASS] == ELFCLASS64;
	if (!is64 && b[EI_CLASS] != ELFCLASS32) {
		*why = "unknown ELF class";
		return -1;
	}
	if (len < (is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr))) {
		*why = "truncated ELF header";
		return -1;
	}
	if (is64) {
		shoff = rd(b + offsetof(Elf64_Ehdr, e_shoff), 8);
		shentsize = rd(b + offsetof(Elf64_Ehdr, e_shentsize), 2);
		shnum = rd(b + offsetof(Elf64_Ehdr, e_shnum), 2);
		shstrndx = rd(b + offsetof(Elf64_Ehdr, e_shstrndx), 2);
	} else {
		shoff = rd(b + offsetof(Elf32_Ehdr, e_shoff), 4);
		shentsize = rd(b + offsetof(Elf32_Ehdr, e_shentsize), 2);
		shnum = rd(b + offsetof(Elf32_Ehdr, e_shnum), 2);
		shstrndx = rd(b + offsetof(Elf32_Ehdr, e_shstrndx), 2);
	}
	if (shentsize < (is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr)) || shnum == 0 ||
	    shoff > len || shnum > (len - shoff) / shentsize || shstrndx >= shnum) {
		*why = "truncated or corrupt section headers";
		return -1;
	}
#define SH(i, field, w) rd(b + shoff + (i) * shentsize + \
	(is64 ? offsetof(Elf64_Shdr, field) : offsetof(Elf32_Shdr, field)), (w))
	int w = is64 ? 8 : 4;
	uint64_t stroff = SH(shstrndx, sh_offset, w), strsize = SH(shstrndx, sh_size, w);
	if (stroff > len || strsize > len - stroff) {
		*why = "corrupt section name table";
		return -1;
	}
	for (uint64_t i = 0; i < shnum; i++) {
		uint64_t name = SH(i, sh_name, 4);
		size_t wl = strlen(want) + 1;
		if (name >= strsize || strsize - name < wl ||
		    memcmp(b + stroff + name, want, wl))
			continue;
		*off = SH(i, sh_offset, w);
		*size = SH(i, sh_size, w);
		if (*off > len || *size > len - *off) {
			*why = "section runs past the end of the file";
			return -1;
		}
		return 0;
	}
#undef SH
	*why = "no .modinfo section";
	return -1;
}

int modinfo_foreach(const void *img, size_t len,
		    int (*fn)(const char *, const char *, void *), void *ctx, const char **why)
{
	const char *dummy;
	uint64_t off, size;
	char entry[512];

	if (!why)
		why = &dummy;
	if (find_section(img, len, ".modinfo", &off, &size, why))
		return -1;
	const char *p = (const char *)img + off, *end = p + size;
	while (p < end) {
		const char *z = memchr(p, 0, (size_t)(end - p));
		size_t l = z ? (size_t)(z - p) : (size_t)(end - p);
		if (l && l < sizeof(entry)) {
			memcpy(entry, p, l);
			entry[l] = 0;
			char *eq = strchr(entry, '=');
			if (eq)
				*eq = 0;
			int r = fn(entry, eq ? eq + 1 : "", ctx);
			if (r)
				return r;
		}
		p += l + 1;
	}
	return 0;
}

struct get_ctx {
	const char *key;
	char *buf;
	size_t n;
};

static int get_one(const char *key, const char *val, void *p)
{
	struct get_ctx *c = p;
	if (strcmp(key, c->key))
		return 0;
	if (c->n) {
		size_t l = strlen(val);
		if (l >= c->n)
			l = c->n - 1;
		memcpy(c->buf, val, l);
		c->buf[l] = 0;
	}
	return 1;
}

int modinfo_get(const void *img, size_t len, const char *key, char *buf, size_t n,
		const char **why)
{
	struct get_ctx c = { key, buf, n };
	return modinfo_foreach(img, len, get_one, &c, why);
}
