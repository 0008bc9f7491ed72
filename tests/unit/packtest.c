// SPDX-License-Identifier: BSD-2-Clause
/* dvm-pack unit test helpers; see packtest.h. */
#include <elf.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "archive.h"
#include "packtest.h"
#include "util.h"

static char *dirs[64];
static int ndirs;

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(p);
}

static void cleanup(void)
{
	for (int i = 0; i < ndirs; i++)
		nftw(dirs[i], rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *pt_tmpdir(void)
{
	const char *t = getenv("TMPDIR");
	char *d = xasprintf("%s/dvm-pack-unit.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(d)) {
		perror("mkdtemp");
		exit(1);
	}
	if (!ndirs)
		atexit(cleanup);
	if (ndirs < 64)
		dirs[ndirs++] = d;
	return d;
}

char *pt_write(const char *dir, const char *rel, const void *data, long len)
{
	char *path = xasprintf("%s/%s", dir, rel);
	for (char *p = strchr(path + strlen(dir) + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = 0;
		mkdir(path, 0755);
		*p = '/';
	}
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len < 0 ? strlen(data) : (size_t)len, f) !=
		       (len < 0 ? strlen(data) : (size_t)len) || fclose(f)) {
		perror(path);
		exit(1);
	}
	return path;
}

size_t pt_ko_image(unsigned char *b, const char *info, size_t len)
{
	static const char strtab[] = "\0.modinfo\0.shstrtab\0";
	Elf64_Ehdr *e = (Elf64_Ehdr *)b;
	size_t off = sizeof(*e), info_off, str_off;

	memset(b, 0, len + 512);
	memcpy(e->e_ident, ELFMAG, SELFMAG);
	e->e_ident[EI_CLASS] = ELFCLASS64;
	e->e_ident[EI_DATA] = ELFDATA2LSB;
	e->e_ident[EI_VERSION] = EV_CURRENT;
	e->e_type = ET_REL;
	e->e_machine = EM_AARCH64;
	e->e_version = EV_CURRENT;
	e->e_ehsize = sizeof(*e);
	info_off = off;
	memcpy(b + off, info, len);
	off += len;
	str_off = off;
	memcpy(b + off, strtab, sizeof(strtab));
	off += sizeof(strtab);
	off = (off + 7) & ~(size_t)7;
	e->e_shoff = off;
	e->e_shentsize = sizeof(Elf64_Shdr);
	e->e_shnum = 3;
	e->e_shstrndx = 2;
	Elf64_Shdr *sh = (Elf64_Shdr *)(b + off);
	sh[1].sh_name = 1;
	sh[1].sh_type = SHT_PROGBITS;
	sh[1].sh_offset = info_off;
	sh[1].sh_size = len;
	sh[2].sh_name = 10;
	sh[2].sh_type = SHT_STRTAB;
	sh[2].sh_offset = str_off;
	sh[2].sh_size = sizeof(strtab);
	return off + 3 * sizeof(Elf64_Shdr);
}

char *pt_write_ko(const char *dir, const char *rel, const char *info, size_t len, int gz)
{
	unsigned char *img = xmalloc(len + 512), *out;
	size_t n = pt_ko_image(img, info, len);
	char *path;

	if (!gz) {
		path = pt_write(dir, rel, img, (long)n);
		free(img);
		return path;
	}
	z_stream z;
	memset(&z, 0, sizeof(z));
	out = xmalloc(n + 1024);
	deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	z.next_in = img;
	z.avail_in = (unsigned)n;
	z.next_out = out;
	z.avail_out = (unsigned)(n + 1024);
	deflate(&z, Z_FINISH);
	path = pt_write(dir, rel, out, (long)z.total_out);
	deflateEnd(&z);
	free(out);
	free(img);
	return path;
}

int pt_build(struct spec *s, uint32_t mtime, int gzip, struct membuf *out)
{
	struct ostream os;
	out->p = NULL;
	out->n = 0;
	if (spec_finish(s) || os_init(&os, gzip, membuf_sink, out))
		return -1;
	if (archive_write(s, mtime, &os)) {
		os_abort(&os);
		return -1;
	}
	return os_finish(&os);
}

int pt_parse(struct spec *s, const char *fname, const char *text, char **mdirs, int nmdirs)
{
	perr_quiet = 1;
	perr_last[0] = 0;
	spec_init(s, mdirs, nmdirs);
	return spec_parse_text(s, fname, text);
}
