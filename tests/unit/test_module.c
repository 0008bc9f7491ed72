// SPDX-License-Identifier: BSD-2-Clause
/* core/module.c: names, lookup, modules.dep parsing, and module_load with fake
 * finit_module/init_module syscalls (which call was made, with which flags, bytes and
 * parameters), including the .ko.gz fallback and every error explanation (the log is
 * captured from stderr). Nothing here touches the real kernel. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>
#include "check.h"
#include "log.h"
#include "module.h"

/* ---- helpers: temp dir, files, log capture ---- */

static char tmp[64];

static const char *tdir(void)
{
	if (!tmp[0]) {
		strcpy(tmp, "/tmp/dvm-test-module.XXXXXX");
		if (!mkdtemp(tmp))
			abort();
		log_to_stderr();
	}
	return tmp;
}

__attribute__((destructor)) static void cleanup(void)
{
	if (tmp[0]) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
		if (system(cmd)) {
		}
	}
}

/* path of `name` inside the temp dir (a few rotating buffers) */
static const char *tpath(const char *name)
{
	static char buf[4][256];
	static int k;
	char *b = buf[k++ & 3];
	snprintf(b, 256, "%s/%s", tdir(), name);
	return b;
}

static void put(const char *name, const void *data, size_t len)
{
	int fd = open(tpath(name), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		abort();
	close(fd);
}

static void put_str(const char *name, const char *s)
{
	put(name, s, strlen(s));
}

/* ---- module_name / module_find ---- */

TEST(name_strips_dir_suffix_and_dashes)
{
	char n[64];

	module_name("/lib/modules/virtio-blk.ko.xz", n, sizeof(n));
	CHECK_STR(n, "virtio_blk");
	module_name("uio_pdrv_genirq.ko", n, sizeof(n));
	CHECK_STR(n, "uio_pdrv_genirq");
	module_name("a.ko.gz", n, sizeof(n));
	CHECK_STR(n, "a");
	module_name("b.ko.zst", n, sizeof(n));
	CHECK_STR(n, "b");
	module_name("plain-name", n, sizeof(n));
	CHECK_STR(n, "plain_name");
	module_name("x.o", n, sizeof(n));
	CHECK_STR(n, "x.o");
	module_name("dir/", n, sizeof(n));
	CHECK_STR(n, "");
	module_name("virtio-blk.ko", n, 4);
	CHECK_STR(n, "vir");
	strcpy(n, "/x/in-place.ko");
	module_name(n, n, sizeof(n));
	CHECK_STR(n, "in_place");
}

TEST(find_in_dir)
{
	char out[256], want[256];

	mkdir(tpath("mods"), 0755);
	put_str("mods/virtio_blk.ko", "");
	put_str("mods/uio-pdrv-genirq.ko.gz", "");
	put_str("mods/both.ko.xz", "");
	put_str("mods/both.ko", "");
	put_str("mods/both.ko.gz", "");
	put_str("mods/zonly.ko.zst", "");
	put_str("mods/notmod.txt", "");
	put_str("mods/bak.ko.bak", "");
	put_str("mods/virtio.ko", "");

	CHECK_INT(module_find(tpath("mods"), "virtio-blk", out, sizeof(out)), 0);
	snprintf(want, sizeof(want), "%s/virtio_blk.ko", tpath("mods"));
	CHECK_STR(out, want);
	CHECK_INT(module_find(tpath("mods"), "virtio_blk.ko", out, sizeof(out)), 0);
	CHECK_STR(out, want);
	CHECK_INT(module_find(tpath("mods"), "uio_pdrv_genirq", out, sizeof(out)), 0);
	snprintf(want, sizeof(want), "%s/uio-pdrv-genirq.ko.gz", tpath("mods"));
	CHECK_STR(out, want);
	CHECK_INT(module_find(tpath("mods"), "both", out, sizeof(out)), 0);
	snprintf(want, sizeof(want), "%s/both.ko", tpath("mods"));
	CHECK_STR(out, want);
	CHECK_INT(module_find(tpath("mods"), "zonly", out, sizeof(out)), 0);
	snprintf(want, sizeof(want), "%s/zonly.ko.zst", tpath("mods"));
	CHECK_STR(out, want);
	/* "virtio" must not match virtio_blk.ko, nor "bak" bak.ko.bak */
	CHECK_INT(module_find(tpath("mods"), "virtio", out, sizeof(out)), 0);
	snprintf(want, sizeof(want), "%s/virtio.ko", tpath("mods"));
	CHECK_STR(out, want);
	CHECK_INT(module_find(tpath("mods"), "bak", out, sizeof(out)), -ENOENT);
	CHECK_INT(module_find(tpath("mods"), "notmod", out, sizeof(out)), -ENOENT);
	CHECK_INT(module_find(tpath("mods"), "missing", out, sizeof(out)), -ENOENT);
	CHECK_INT(module_find(tpath("nodir"), "virtio", out, sizeof(out)), -ENOENT);
	CHECK_INT(module_find(tpath("mods"), "virtio", out, 8), -ENAMETOOLONG);
	/* a path is returned as is, existing or not */
	CHECK_INT(module_find(tpath("mods"), "./some/where.ko", out, sizeof(out)), 0);
	CHECK_STR(out, "./some/where.ko");
	CHECK_INT(module_find(tpath("mods"), "./some/where.ko", out, 4), -ENAMETOOLONG);
}

/* ---- module_deps ---- */

struct seen {
	char names[8][64];
	int n, stop_at;
};

static int record(const char *dep, void *p)
{
	struct seen *s = p;
	if (s->n < 8)
		strcpy(s->names[s->n], dep);
	s->n++;
	return s->stop_at && s->n == s->stop_at ? 42 : 0;
}

TEST(deps_reverse_order)
{
	struct seen s = { 0 };

	mkdir(tpath("d1"), 0755);
	put_str("d1/modules.dep",
		"# comment\n"
		"\n"
		"kernel/fs/a.ko: kernel/b.ko\n"
		"virtio_blk.ko: virtio_ring.ko\tvirtio.ko  \n"
		"uio_pdrv_genirq.ko: uio.ko\n"
		"nodeps.ko:\n"
		"last.ko: x-y.ko.xz z.ko");
	CHECK_INT(module_deps(tpath("d1"), "virtio-blk", record, &s), 0);
	CHECK_INT(s.n, 2);
	CHECK_STR(s.names[0], "virtio");
	CHECK_STR(s.names[1], "virtio_ring");

	memset(&s, 0, sizeof(s));
	CHECK_INT(module_deps(tpath("d1"), "a.ko", record, &s), 0);
	CHECK_INT(s.n, 1);
	CHECK_STR(s.names[0], "b");

	memset(&s, 0, sizeof(s));
	CHECK_INT(module_deps(tpath("d1"), "/somewhere/uio_pdrv_genirq.ko.gz", record, &s), 0);
	CHECK_INT(s.n, 1);
	CHECK_STR(s.names[0], "uio");

	memset(&s, 0, sizeof(s));
	CHECK_INT(module_deps(tpath("d1"), "nodeps", record, &s), 0);
	CHECK_INT(s.n, 0);

	/* last line without a newline; dashes turned into underscores */
	memset(&s, 0, sizeof(s));
	CHECK_INT(module_deps(tpath("d1"), "last", record, &s), 0);
	CHECK_INT(s.n, 2);
	CHECK_STR(s.names[0], "z");
	CHECK_STR(s.names[1], "x_y");

	/* absent entry, absent file: no dependencies */
	memset(&s, 0, sizeof(s));
	CHECK_INT(module_deps(tpath("d1"), "unlisted", record, &s), 0);
	CHECK_INT(s.n, 0);
	CHECK_INT(module_deps(tpath("nodir"), "virtio_blk", record, &s), 0);
	CHECK_INT(s.n, 0);

	/* fn's non-zero value stops the walk */
	memset(&s, 0, sizeof(s));
	s.stop_at = 1;
	CHECK_INT(module_deps(tpath("d1"), "virtio_blk", record, &s), 42);
	CHECK_INT(s.n, 1);
}

TEST(deps_malformed)
{
	struct seen s = { 0 };
	char big[6000];

	mkdir(tpath("d2"), 0755);
	put_str("d2/modules.dep", "a.ko: b.ko\nthis line has no colon\nc.ko: d.ko\n");
	check_capture_start();
	int r = module_deps(tpath("d2"), "c", record, &s);
	check_capture_end();
	CHECK_INT(r, -EINVAL);
	CHECK_INT(s.n, 0);
	CHECK_LOG("modules.dep:2: missing ':'");
	/* lines before the bad one still work */
	CHECK_INT(module_deps(tpath("d2"), "a", record, &s), 0);
	CHECK_INT(s.n, 1);

	memset(big, 'x', sizeof(big));
	memcpy(big, "a.ko: ", 6);
	big[sizeof(big) - 1] = '\n';
	put("d2/modules.dep", big, sizeof(big));
	memset(&s, 0, sizeof(s));
	check_capture_start();
	r = module_deps(tpath("d2"), "a", record, &s);
	check_capture_end();
	CHECK_INT(r, -EINVAL);
	CHECK_INT(s.n, 0);
	CHECK_LOG("modules.dep:1: line longer than 4095 bytes");

	put("d2/modules.dep", "ok.ko: x.ko\nbad\0.ko: y.ko\n", 26);
	check_capture_start();
	r = module_deps(tpath("d2"), "bad", record, &s);
	check_capture_end();
	CHECK_INT(r, -EINVAL);
	CHECK_LOG("modules.dep:2: NUL byte");

	/* a dependency name longer than any module name */
	memset(big, 'y', 200);
	memcpy(big, "a.ko: ", 6);
	big[200] = '\n';
	put("d2/modules.dep", big, 201);
	check_capture_start();
	r = module_deps(tpath("d2"), "a", record, &s);
	check_capture_end();
	CHECK_INT(r, -EINVAL);
	CHECK_LOG("modules.dep:1: dependency name");

	/* a line of exactly 4095 bytes plus newline is fine */
	memset(big, ' ', 4095);
	memcpy(big, "a.ko:", 5);
	memcpy(big + 4095 - 4, "z.ko\n", 5);
	put("d2/modules.dep", big, 4096);
	memset(&s, 0, sizeof(s));
	CHECK_INT(module_deps(tpath("d2"), "a", record, &s), 0);
	CHECK_INT(s.n, 1);
	CHECK_STR(s.names[0], "z");

	/* a directory where the file should be: a read error, named */
	mkdir(tpath("d3"), 0755);
	mkdir(tpath("d3/modules.dep"), 0755);
	check_capture_start();
	r = module_deps(tpath("d3"), "a", record, &s);
	check_capture_end();
	CHECK_INT(r, -EISDIR);
	CHECK_LOG("d3/modules.dep: ");
}

/* ---- module_load with fake syscalls ---- */

static struct {
	int finit_calls, init_calls, flags, finit_errno, init_errno;
	char params[256];
	unsigned char *fd_bytes, *img;	/* what finit_module could read, what init got */
	size_t fd_len, img_len;
} fk;

static long fake_finit(int fd, const char *params, int flags)
{
	struct stat st;

	fk.finit_calls++;
	fk.flags = flags;
	snprintf(fk.params, sizeof(fk.params), "%s", params);
	fstat(fd, &st);
	free(fk.fd_bytes);
	fk.fd_len = (size_t)st.st_size;
	fk.fd_bytes = malloc(fk.fd_len + 1);
	if (pread(fd, fk.fd_bytes, fk.fd_len, 0) != (ssize_t)fk.fd_len)
		abort();
	if (fk.finit_errno) {
		errno = fk.finit_errno;
		return -1;
	}
	return 0;
}

static long fake_init(const void *img, unsigned long len, const char *params)
{
	fk.init_calls++;
	snprintf(fk.params, sizeof(fk.params), "%s", params);
	free(fk.img);
	fk.img = malloc(len + 1);
	memcpy(fk.img, img, len);
	fk.img_len = len;
	if (fk.init_errno) {
		errno = fk.init_errno;
		return -1;
	}
	return 0;
}

static void fake_reset(int finit_errno, int init_errno)
{
	free(fk.fd_bytes);
	free(fk.img);
	memset(&fk, 0, sizeof(fk));
	fk.finit_errno = finit_errno;
	fk.init_errno = init_errno;
	module_sys_finit = fake_finit;
	module_sys_init = fake_init;
	module_max_size = MODULE_MAX_SIZE;
	/* a /sys/module with nothing loaded and no "compression" file */
	mkdir(tpath("sys"), 0755);
	unlink(tpath("sys/compression"));
	module_sysfs = tpath("sys");
}

/* A little ELF64 relocatable with a .modinfo section holding `info` (ilen bytes),
 * padded with `pad` bytes of pseudo-random data so compression has work to do. */
static unsigned char *elf(const char *info, size_t ilen, size_t pad, size_t *len)
{
	static const char strtab[] = "\0.modinfo\0.shstrtab\0";
	size_t off = sizeof(Elf64_Ehdr) + pad, n;
	unsigned char *b;

	n = off + ilen + sizeof(strtab) + 8 + 3 * sizeof(Elf64_Shdr);
	b = calloc(1, n);
	Elf64_Ehdr *e = (Elf64_Ehdr *)b;
	memcpy(e->e_ident, ELFMAG, SELFMAG);
	e->e_ident[EI_CLASS] = ELFCLASS64;
	e->e_ident[EI_DATA] = ELFDATA2LSB;
	e->e_type = ET_REL;
	for (size_t i = 0; i < pad; i++)
		b[sizeof(Elf64_Ehdr) + i] = (unsigned char)((i * 2654435761u) >> 13);
	memcpy(b + off, info, ilen);
	size_t info_off = off;
	off += ilen;
	memcpy(b + off, strtab, sizeof(strtab));
	size_t str_off = off;
	off += sizeof(strtab);
	off = (off + 7) & ~(size_t)7;
	e->e_shoff = off;
	e->e_shentsize = sizeof(Elf64_Shdr);
	e->e_shnum = 3;
	e->e_shstrndx = 2;
	Elf64_Shdr sh[3];
	memset(sh, 0, sizeof(sh));
	sh[1].sh_name = 1;
	sh[1].sh_offset = info_off;
	sh[1].sh_size = ilen;
	sh[2].sh_name = 10;
	sh[2].sh_offset = str_off;
	sh[2].sh_size = sizeof(strtab);
	memcpy(b + off, sh, sizeof(sh));
	*len = off + sizeof(sh);
	return b;
}

#define INFO(s) s, sizeof(s)
static const char std_info[] = "license=GPL\0depends=dep_a,dep-b\0vermagic=1.2.3-test SMP aarch64\0";

/* gzip `data` with zlib (deflate with a gzip header); returns a malloc'd buffer. */
static unsigned char *gz(const void *data, size_t len, size_t *out_len)
{
	z_stream s = { 0 };
	size_t cap = len + len / 100 + 1024;
	unsigned char *out = malloc(cap);

	if (deflateInit2(&s, 9, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	s.next_in = (unsigned char *)data;
	s.avail_in = (uInt)len;
	s.next_out = out;
	s.avail_out = (uInt)cap;
	if (deflate(&s, Z_FINISH) != Z_STREAM_END)
		abort();
	*out_len = cap - s.avail_out;
	deflateEnd(&s);
	return out;
}

TEST(plain_ko_uses_finit_without_flags)
{
	size_t n;
	unsigned char *img = elf(INFO(std_info), 100, &n);

	put("plain.ko", img, n);
	fake_reset(0, 0);
	CHECK_INT(module_load(tpath("plain.ko"), "a=1 b=\"x y\""), 0);
	CHECK_INT(fk.finit_calls, 1);
	CHECK_INT(fk.init_calls, 0);
	CHECK_INT(fk.flags, 0);
	CHECK_STR(fk.params, "a=1 b=\"x y\"");
	CHECK_INT(fk.fd_len, n);
	CHECK(!memcmp(fk.fd_bytes, img, n));
	fake_reset(0, 0);
	CHECK_INT(module_load(tpath("plain.ko"), NULL), 0);
	CHECK_STR(fk.params, "");
	free(img);
}

TEST(gz_offered_to_kernel_with_compressed_flag)
{
	size_t n, zn;
	unsigned char *img = elf(INFO(std_info), 5000, &n), *z = gz(img, n, &zn);

	put("kc.ko.gz", z, zn);
	fake_reset(0, 0);
	CHECK_INT(module_load(tpath("kc.ko.gz"), "p=1"), 0);
	CHECK_INT(fk.finit_calls, 1);
	CHECK_INT(fk.init_calls, 0);
	CHECK_INT(fk.flags, 4); /* MODULE_INIT_COMPRESSED_FILE */
	CHECK_INT(fk.fd_len, zn);
	CHECK(!memcmp(fk.fd_bytes, z, zn));
	free(img);
	free(z);
}

TEST(gz_inflated_here_when_kernel_cannot)
{
	size_t n, zn;
	unsigned char *img = elf(INFO(std_info), 300000, &n), *z = gz(img, n, &zn);

	CHECK(zn < n);
	put("fb.ko.gz", z, zn);
	/* no decompressor at all (CONFIG_MODULE_DECOMPRESS=n) */
	fake_reset(EOPNOTSUPP, 0);
	CHECK_INT(module_load(tpath("fb.ko.gz"), "x=\"a b\""), 0);
	CHECK_INT(fk.finit_calls, 1);
	CHECK_INT(fk.flags, 4);
	CHECK_INT(fk.init_calls, 1);
	CHECK_INT(fk.img_len, n);
	CHECK(!memcmp(fk.img, img, n));
	CHECK_STR(fk.params, "x=\"a b\"");

	/* a kernel older than 5.17, or with the xz decompressor: EINVAL */
	fake_reset(EINVAL, 0);
	put_str("sys/compression", "xz\n");
	CHECK_INT(module_load(tpath("fb.ko.gz"), ""), 0);
	CHECK_INT(fk.init_calls, 1);
	CHECK_INT(fk.img_len, n);
	CHECK(!memcmp(fk.img, img, n));
	fake_reset(EINVAL, 0);
	CHECK_INT(module_load(tpath("fb.ko.gz"), ""), 0);
	CHECK_INT(fk.init_calls, 1);
	free(img);
	free(z);
}

TEST(gz_multi_member_and_padding)
{
	size_t n, z1n, z2n;
	unsigned char *img = elf(INFO(std_info), 20000, &n);
	unsigned char *z1 = gz(img, 7000, &z1n), *z2 = gz(img + 7000, n - 7000, &z2n);
	unsigned char *cat = malloc(z1n + z2n + 512);

	memcpy(cat, z1, z1n);
	memcpy(cat + z1n, z2, z2n);
	memset(cat + z1n + z2n, 0, 512);
	put("mm.ko.gz", cat, z1n + z2n + 512);
	fake_reset(EOPNOTSUPP, 0);
	CHECK_INT(module_load(tpath("mm.ko.gz"), ""), 0);
	CHECK_INT(fk.img_len, n);
	CHECK(!memcmp(fk.img, img, n));

	/* garbage after the stream is an error, not silently dropped */
	memcpy(cat + z1n + z2n, "junk", 4);
	put("mm.ko.gz", cat, z1n + z2n + 4);
	fake_reset(EOPNOTSUPP, 0);
	check_capture_start();
	int r = module_load(tpath("mm.ko.gz"), "");
	check_capture_end();
	CHECK_INT(r, -EINVAL);
	CHECK_INT(fk.init_calls, 0);
	CHECK_LOG("mm.ko.gz: data after the gzip stream is not gzip");
	free(img);
	free(z1);
	free(z2);
	free(cat);
}

TEST(gz_header_fields_skipped)
{
	/* FEXTRA + FNAME + FCOMMENT + FHCRC: written by hand around a raw deflate body */
	size_t n, zn;
	unsigned char *img = elf(INFO(std_info), 1000, &n), *z = gz(img, n, &zn);
	unsigned char b[8192];
	size_t k = 0;
	static const unsigned char hdr[] = { 0x1f, 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, 3,
					     3, 0, 'a', 'b', 'c' };

	CHECK(zn + 64 < sizeof(b));
	memcpy(b, hdr, sizeof(hdr));
	k = sizeof(hdr);
	memcpy(b + k, "name.ko\0comment\0\xaa\xbb", 18);
	k += 18;
	memcpy(b + k, z + 10, zn - 10); /* zlib wrote a plain 10-byte header */
	k += zn - 10;
	put("hf.ko.gz", b, k);
	fake_reset(EOPNOTSUPP, 0);
	CHECK_INT(module_load(tpath("hf.ko.gz"), ""), 0);
	CHECK_INT(fk.img_len, n);
	CHECK(!memcmp(fk.img, img, n));
	free(img);
	free(z);
}

TEST(gz_corrupt_truncated_or_not_gzip)
{
	size_t n, zn;
	unsigned char *img = elf(INFO(std_info), 20000, &n), *z = gz(img, n, &zn);
	int r;

	/* truncated in the middle of the deflate data */
	put("tr.ko.gz", z, zn / 2);
	fake_reset(EOPNOTSUPP, 0);
	check_capture_start();
	r = module_load(tpath("tr.ko.gz"), "");
	check_capture_end();
	CHECK_INT(r, -EINVAL);
	CHECK_INT(fk.init_calls, 0);
	CHECK_LOG("tr.ko.gz: truncated gzip data");

	/* truncated inside the trailer */
	put("tr2.ko.gz", z, zn - 3);
	fake_reset(EOPNOTSUPP, 0);
	check_capture_start();
	r = module_load(tpath("tr2.ko.gz"), "");
	check_capture_end();
	CHECK_INT(r, -EINVAL);
	CHECK_LOG("tr2.ko.gz: truncated gzip data");

	/* a wrong CRC in the trailer */
	z[zn - 8] ^= 1;
	put("crc.ko.gz", z, zn);
	fake_reset(EOPNOTSUPP, 0);
	check_capture_start();
	r = module_load(tpath("crc.ko.gz"), "");
	check_capture_end();
	CHECK_INT(r, -EINVAL);
	CHECK_INT(fk.init_calls, 0);
	CHECK_LOG("crc.ko.gz: gzip checksum or length mismatch");
	z[zn - 8] ^= 1;

	/* a wrong length in the trailer */
	z[zn - 1] ^= 0x40;
	put("len.ko.gz", z, zn);
	fake_reset(EOPNOTSUPP, 0);
	check_capture_start();
	r = module_load(tpath("len.ko.gz"), "");
	check_capture_end();
	CHECK_INT(r, -EINVAL);
	CHECK_LOG("len.ko.gz: gzip checksum or length mismatch");
	z[zn - 1] ^= 0x40;

	/* an invalid block type in the deflate data */
	unsigned char save = z[10];
	z[10] = 0x07; /* BFINAL=1, BTYPE=11 (reserved) */
	put("bad.ko.gz", z, zn);
	fake_reset(EOPNOTSUPP, 0);
	check_capture_start();
	r = module_load(tpath("bad.ko.gz"), "");
	check_capture_end();
	CHECK_INT(r, -EINVAL);
	CHECK_LOG("bad.ko.gz: corrupt gzip data");
	z[10] = save;

	/* not gzip at all; and an empty file */
	put("ng.ko.gz", img, n);
	fake_reset(EOPNOTSUPP, 0);
	check_capture_start();
	r = module_load(tpath("ng.ko.gz"), "");
	check_capture_end();
	CHECK_INT(r, -EINVAL);
	CHECK_LOG("ng.ko.gz: not gzip data");
	put("empty.ko.gz", "", 0);
	fake_reset(EOPNOTSUPP, 0);
	check_capture_start();
	r = module_load(tpath("empty.ko.gz"), "");
	check_capture_end();
	CHECK(r < 0);
	CHECK_INT(fk.init_calls, 0);
	CHECK_LOG("empty.ko.gz: empty file");
	free(img);
	free(z);
}

TEST(gz_size_cap)
{
	size_t n = 3 << 20, zn;
	unsigned char *zeros = calloc(1, n), *z = gz(zeros, n, &zn);
	int r;

	put("bomb.ko.gz", z, zn);
	fake_reset(EOPNOTSUPP, 0);
	module_max_size = 1 << 20;
	check_capture_start();
	r = module_load(tpath("bomb.ko.gz"), "");
	check_capture_end();
	CHECK_INT(r, -EFBIG);
	CHECK_INT(fk.init_calls, 0);
	CHECK_LOG("bomb.ko.gz: decompresses to more than 1 MiB");

	/* exactly at the cap is allowed */
	free(z);
	z = gz(zeros, 1 << 20, &zn);
	put("atcap.ko.gz", z, zn);
	fake_reset(EOPNOTSUPP, 0);
	module_max_size = 1 << 20;
	CHECK_INT(module_load(tpath("atcap.ko.gz"), ""), 0);
	CHECK_INT(fk.img_len, 1 << 20);

	/* a compressed file itself over the cap */
	put("big.ko.gz", zeros, (1 << 20) + 1);
	fake_reset(EOPNOTSUPP, 0);
	module_max_size = 1 << 20;
	check_capture_start();
	r = module_load(tpath("big.ko.gz"), "");
	check_capture_end();
	CHECK_INT(r, -EFBIG);
	CHECK_LOG("big.ko.gz: 1048577 bytes: larger than the 1 MiB");
	module_max_size = MODULE_MAX_SIZE;
	free(zeros);
	free(z);
}

TEST(gz_einval_from_gzip_kernel_is_not_retried)
{
	size_t n, zn;
	unsigned char *img = elf(INFO(std_info), 100, &n), *z = gz(img, n, &zn);

	put("gk.ko.gz", z, zn);
	fake_reset(EINVAL, 0);
	put_str("sys/compression", "gzip\n");
	check_capture_start();
	int r = module_load(tpath("gk.ko.gz"), "bad=1");
	check_capture_end();
	CHECK_INT(r, -EINVAL);
	CHECK_INT(fk.init_calls, 0);
	CHECK_LOG("gk.ko.gz: rejected: invalid parameter in 'bad=1'");
	free(img);
	free(z);
}

TEST(xz_zst_without_kernel_support)
{
	int r;

	put_str("m.ko.xz", "\xfd" "7zXZ");
	put_str("m.ko.zst", "\x28\xb5\x2f\xfd");

	fake_reset(0, 0);
	CHECK_INT(module_load(tpath("m.ko.xz"), ""), 0);
	CHECK_INT(fk.flags, 4);

	fake_reset(EOPNOTSUPP, 0);
	check_capture_start();
	r = module_load(tpath("m.ko.xz"), "");
	check_capture_end();
	CHECK_INT(r, -EOPNOTSUPP);
	CHECK_INT(fk.init_calls, 0);
	CHECK_LOG("m.ko.xz: this kernel has no module decompressor, so it cannot load xz");
	CHECK_LOG("uncompressed or as .ko.gz");

	fake_reset(EINVAL, 0);
	put_str("sys/compression", "zstd\n");
	check_capture_start();
	r = module_load(tpath("m.ko.xz"), "");
	check_capture_end();
	CHECK_INT(r, -EOPNOTSUPP);
	CHECK_LOG("m.ko.xz: this kernel decompresses only zstd modules, not xz");

	fake_reset(EINVAL, 0);
	check_capture_start();
	r = module_load(tpath("m.ko.zst"), "p=1");
	check_capture_end();
	CHECK_INT(r, -EOPNOTSUPP);
	CHECK_LOG("either this kernel cannot decompress zstd modules");
	CHECK_LOG("'p=1'");

	/* the kernel has this very decompressor: EINVAL is about the module */
	fake_reset(EINVAL, 0);
	put_str("sys/compression", "xz\n");
	check_capture_start();
	r = module_load(tpath("m.ko.xz"), "");
	check_capture_end();
	CHECK_INT(r, -EINVAL);
	CHECK_LOG("m.ko.xz: rejected as invalid");
}

/* Load `file` (an ELF with std_info) with the fake returning errno e; log captured. */
static int load_err(const char *file, int e, const char *params)
{
	size_t n;
	unsigned char *img = elf(INFO(std_info), 64, &n);
	put(file, img, n);
	free(img);
	fake_reset(e, 0);
	check_capture_start();
	int r = module_load(tpath(file), params);
	check_capture_end();
	return r;
}

TEST(explain_already_loaded)
{
	CHECK_INT(load_err("ee.ko", EEXIST, ""), -EEXIST);
	CHECK_LOG("ee.ko: module ee is already loaded");
	/* info level: silent when only errors are wanted */
	int saved = log_level;
	log_level = LOG_ERR;
	load_err("ee.ko", EEXIST, "");
	log_level = saved;
	CHECK_STR(check_log, "");
}

TEST(explain_wrong_kernel)
{
	struct utsname u;

	uname(&u);
	CHECK_INT(load_err("wk.ko", ENOEXEC, ""), -ENOEXEC);
	CHECK_LOG("wk.ko: rejected as invalid module format: built for kernel "
		  "'1.2.3-test SMP aarch64', running ");
	CHECK_LOG(u.release);

	/* not a module at all */
	put_str("junk.ko", "this is not ELF");
	fake_reset(ENOEXEC, 0);
	check_capture_start();
	CHECK_INT(module_load(tpath("junk.ko"), ""), -ENOEXEC);
	check_capture_end();
	CHECK_LOG("junk.ko: rejected as invalid module format: built for another kernel or "
		  "not a module at all (not an ELF file");

	/* the same release: then it is not the version */
	char info[300];
	size_t il = (size_t)snprintf(info, sizeof(info), "vermagic=%s SMP", u.release) + 1, n;
	unsigned char *img = elf(info, il, 0, &n);
	put("same.ko", img, n);
	free(img);
	fake_reset(ENOEXEC, 0);
	check_capture_start();
	module_load(tpath("same.ko"), "");
	check_capture_end();
	CHECK_LOG("(same release: a different configuration or architecture");

	/* from an inflated .ko.gz */
	size_t zn;
	img = elf(INFO(std_info), 64, &n);
	unsigned char *z = gz(img, n, &zn);
	put("wkz.ko.gz", z, zn);
	fake_reset(EOPNOTSUPP, ENOEXEC);
	check_capture_start();
	CHECK_INT(module_load(tpath("wkz.ko.gz"), ""), -ENOEXEC);
	check_capture_end();
	CHECK_INT(fk.init_calls, 1);
	CHECK_LOG("wkz.ko.gz: rejected as invalid module format: built for kernel '1.2.3-test");
	/* the kernel decompressed it: dvm inflates it only to explain */
	fake_reset(ENOEXEC, 0);
	check_capture_start();
	module_load(tpath("wkz.ko.gz"), "");
	check_capture_end();
	CHECK_INT(fk.init_calls, 0);
	CHECK_LOG("built for kernel '1.2.3-test");
	free(img);
	free(z);

	/* .xz: no .modinfo to read */
	put_str("wk.ko.xz", "\xfd" "7zXZ");
	fake_reset(ENOEXEC, 0);
	check_capture_start();
	module_load(tpath("wk.ko.xz"), "");
	check_capture_end();
	CHECK_LOG("its .modinfo is compressed");
}

TEST(explain_unknown_symbol_names_dependencies)
{
	fake_reset(0, 0);
	mkdir(tpath("sys/dep_a"), 0755);
	CHECK_INT(load_err("us.ko", ENOENT, ""), -ENOENT);
	CHECK_LOG("us.ko: unknown symbol: module us needs these modules loaded first: "
		  "dep_a (loaded), dep_b (missing)");

	mkdir(tpath("sys/dep_b"), 0755);
	load_err("us.ko", ENOENT, "");
	CHECK_LOG("dep_b (loaded); all are loaded, so it was built for another kernel");
	rmdir(tpath("sys/dep_a"));
	rmdir(tpath("sys/dep_b"));

	/* no depends= at all */
	size_t n;
	unsigned char *img = elf(INFO("license=GPL"), 0, &n);
	put("nd.ko", img, n);
	free(img);
	fake_reset(ENOENT, 0);
	check_capture_start();
	module_load(tpath("nd.ko"), "");
	check_capture_end();
	CHECK_LOG("nd.ko: unknown symbol (no depends= in its .modinfo)");
}

TEST(explain_other_errors)
{
	CHECK_INT(load_err("pa.ko", EINVAL, "speed=fast x=\"a b\""), -EINVAL);
	CHECK_LOG("pa.ko: rejected: invalid parameter in 'speed=fast x=\"a b\"'");
	CHECK_LOG("dmesg");
	CHECK_INT(load_err("np.ko", EINVAL, ""), -EINVAL);
	CHECK_LOG("np.ko: rejected as invalid");
	CHECK_INT(load_err("pe.ko", EPERM, ""), -EPERM);
	CHECK_LOG("pe.ko: permission denied: loading modules needs root (CAP_SYS_MODULE)");
	CHECK_INT(load_err("ac.ko", EACCES, ""), -EACCES);
	CHECK_LOG("CAP_SYS_MODULE");
	CHECK_INT(load_err("kr.ko", EKEYREJECTED, ""), -EKEYREJECTED);
	CHECK_LOG("kr.ko: signature check failed");
	CHECK_INT(load_err("bu.ko", EBUSY, ""), -EBUSY);
	CHECK_LOG("bu.ko: module bu is busy");
	CHECK_INT(load_err("ns.ko", ENOSYS, ""), -ENOSYS);
	CHECK_LOG("without module support");
	CHECK_INT(load_err("nm.ko", ENOMEM, ""), -ENOMEM);
	CHECK_LOG("nm.ko: cannot load module nm: ");
	CHECK_LOG(strerror(ENOMEM));
}

TEST(missing_file)
{
	fake_reset(0, 0);
	check_capture_start();
	int r = module_load(tpath("nothere.ko"), "");
	check_capture_end();
	CHECK_INT(r, -ENOENT);
	CHECK_INT(fk.finit_calls, 0);
	CHECK_LOG("nothere.ko: no such module file");
}
