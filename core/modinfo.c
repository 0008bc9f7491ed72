// SPDX-License-Identifier: BSD-2-Clause
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

/* Where the fields read below sit in ELF32 [0] and ELF64 [1] files (sh_name, 4 bytes,
 * is first in both section header layouts). */
static const struct layout {
	unsigned char ehdr, shoff, shentsize, shnum, shstrndx, shdr, sh_offset, sh_size, word;
} layouts[2] = {
#define L(b) { sizeof(Elf##b##_Ehdr), offsetof(Elf##b##_Ehdr, e_shoff),                   \
	offsetof(Elf##b##_Ehdr, e_shentsize), offsetof(Elf##b##_Ehdr, e_shnum),          \
	offsetof(Elf##b##_Ehdr, e_shstrndx), sizeof(Elf##b##_Shdr),                       \
	offsetof(Elf##b##_Shdr, sh_offset), offsetof(Elf##b##_Shdr, sh_size), b / 8 }
	L(32), L(64),
#undef L
};

/* Locate section `want` by name; returns its file range in *off and *size. */
static int find_section(const unsigned char *b, size_t len, const char *want,
			uint64_t *off, uint64_t *size, const char **why)
{
	const struct layout *l;
	uint64_t shoff, shentsize, shnum, shstrndx, stroff, strsize;

	if (len < EI_NIDENT || memcmp(b, ELFMAG, SELFMAG)) {
		*why = "not an ELF file";
		return -1;
	}
	if (b[EI_DATA] != ELFDATA2LSB) {
		*why = "not a little-endian ELF file";
		return -1;
	}
	if (b[EI_CLASS] != ELFCLASS32 && b[EI_CLASS] != ELFCLASS64) {
		*why = "unknown ELF class";
		return -1;
	}
	l = &layouts[b[EI_CLASS] == ELFCLASS64];
	if (len < l->ehdr) {
		*why = "truncated ELF header";
		return -1;
	}
	shoff = rd(b + l->shoff, l->word);
	shentsize = rd(b + l->shentsize, 2);
	shnum = rd(b + l->shnum, 2);
	shstrndx = rd(b + l->shstrndx, 2);
	if (shentsize < l->shdr || shnum == 0 || shoff > len ||
	    shnum > (len - shoff) / shentsize || shstrndx >= shnum) {
		*why = "truncated or corrupt section headers";
		return -1;
	}
#define SH(i, field, w) rd(b + shoff + (i) * shentsize + (field), (w))
	stroff = SH(shstrndx, l->sh_offset, l->word);
	strsize = SH(shstrndx, l->sh_size, l->word);
	if (stroff > len || strsize > len - stroff) {
		*why = "corrupt section name table";
		return -1;
	}
	for (uint64_t i = 0; i < shnum; i++) {
		uint64_t name = SH(i, 0, 4);
		size_t wl = strlen(want) + 1;
		if (name >= strsize || strsize - name < wl ||
		    memcmp(b + stroff + name, want, wl))
			continue;
		*off = SH(i, l->sh_offset, l->word);
		*size = SH(i, l->sh_size, l->word);
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
