// SPDX-License-Identifier: BSD-2-Clause
/* dvm-pack newc writer: exact header bytes, padding, inode numbering, hard links (data
 * with the last name), streamed contents, gzip framing, and determinism. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "archive.h"
#include "check.h"
#include "cpio.h"
#include "packtest.h"
#include "util.h"

struct ent {
	struct cpio_hdr h;
	char name[CPIO_NAME_MAX];
	unsigned char *data;
	size_t off;		/* header offset in the uncompressed archive */
};

/* Read every entry of an archive in memory (trailer included); returns the count. */
static int read_all(const struct membuf *m, struct ent *out, int max)
{
	struct istream is;
	int n = 0, r = 1;
	if (is_open_mem(&is, m->p, m->n, "mem"))
		return -1;
	while (r > 0 && n < max) {
		out[n].off = (size_t)is.pos;
		r = cpio_read_header(&is, &out[n].h, out[n].name);
		if (r < 0)
			break;
		out[n].data = xmalloc(out[n].h.filesize + 1);
		if (cpio_read_data(&is, &out[n].h, out[n].data, out[n].h.filesize)) {
			r = -1;
			break;
		}
		out[n].data[out[n].h.filesize] = 0;
		n++;
	}
	is_close(&is);
	return r < 0 ? -1 : n;
}

static void free_all(struct ent *e, int n)
{
	for (int i = 0; i < n; i++)
		free(e[i].data);
}

TEST(exact_header_bytes_and_padding)
{
	struct spec s;
	struct membuf m;
	char *d = pt_tmpdir();
	char *src = pt_write(d, "abc", "abc", -1);
	char *text = xasprintf("dir /d 0755 1 2\nfile /d/f %s 0644 0 0\n", src);
	CHECK_INT(pt_parse(&s, "t.spec", text, NULL, 0), 0);
	CHECK_INT(pt_build(&s, 1234, 0, &m), 0);

	/* entry 1: "d", 110 + 2 bytes, already 4-aligned */
	const char *h1 = "070701" "00000001" "000041ED" "00000001" "00000002" "00000002"
			 "000004D2" "00000000" "00000000" "00000000" "00000000" "00000000"
			 "00000002" "00000000";
	CHECK(m.n > 200);
	CHECK(!memcmp(m.p, h1, 110));
	CHECK(!memcmp(m.p + 110, "d\0", 2));
	/* entry 2 at 112: "d/f" -> 110 + 4 = 114, 2 bytes of padding, data at 116 */
	const char *h2 = "070701" "00000002" "000081A4" "00000000" "00000000" "00000001"
			 "000004D2" "00000003" "00000000" "00000000" "00000000" "00000000"
			 "00000004" "00000000";
	CHECK(!memcmp(m.p + 112, h2, 110));
	CHECK(!memcmp(m.p + 222, "d/f\0\0\0", 6));
	CHECK(!memcmp(m.p + 228, "abc\0", 4));
	/* entry 3 at 232: the built-in dev (implicit), then dev/console, then the trailer */
	struct ent e[8];
	int n = read_all(&m, e, 8);
	CHECK_INT(n, 5);
	CHECK_INT(e[2].off, 232);
	CHECK_STR(e[2].name, "dev");
	CHECK_INT(e[2].h.ino, 3);
	CHECK_STR(e[3].name, "dev/console");
	CHECK_INT(e[3].h.mode, S_IFCHR | 0600);
	CHECK_INT(e[3].h.rdevmajor, 5);
	CHECK_INT(e[3].h.rdevminor, 1);
	CHECK_INT(e[3].h.nlink, 1);
	CHECK_INT(e[3].h.ino, 4);
	CHECK_STR(e[4].name, "TRAILER!!!");
	CHECK_INT(e[4].h.ino, 0);
	CHECK_INT(e[4].h.nlink, 1);
	CHECK_INT(e[4].h.mtime, 0);
	/* the archive ends right after the trailer's name padding */
	CHECK_INT(m.n, e[4].off + 110 + 11 + 3);
	for (int i = 0; i < n; i++)
		CHECK_INT(e[i].off % 4, 0);
	free_all(e, n);
	spec_free(&s);
	free(m.p);
	free(text);
	free(src);
}

TEST(hard_links_share_inode_data_on_last)
{
	struct spec s;
	struct membuf m;
	char *d = pt_tmpdir();
	char *src = pt_write(d, "f", "12345", -1);
	char *text = xasprintf("dir /a 0755 0 0\nfile /a/x %s 0600 7 8 /a/y /a/z\n"
			       "slink /a/l x 0777 0 0\n", src);
	CHECK_INT(pt_parse(&s, "t.spec", text, NULL, 0), 0);
	CHECK_INT(pt_build(&s, 0, 0, &m), 0);
	struct ent e[10];
	int n = read_all(&m, e, 10);
	CHECK_INT(n, 8);	/* a x y z l dev dev/console trailer */
	CHECK_STR(e[1].name, "a/x");
	CHECK_STR(e[3].name, "a/z");
	for (int i = 1; i <= 3; i++) {
		CHECK_INT(e[i].h.ino, 2);
		CHECK_INT(e[i].h.nlink, 3);
		CHECK_INT(e[i].h.mode, S_IFREG | 0600);
		CHECK_INT(e[i].h.uid, 7);
		CHECK_INT(e[i].h.filesize, i == 3 ? 5 : 0);
	}
	CHECK_STR((char *)e[3].data, "12345");
	/* numbering continues after the group */
	CHECK_STR(e[4].name, "a/l");
	CHECK_INT(e[4].h.ino, 3);
	CHECK_INT(e[4].h.filesize, 1);
	CHECK_STR((char *)e[4].data, "x");
	CHECK_INT(e[0].h.nlink, 2);
	free_all(e, n);
	spec_free(&s);
	free(m.p);
	free(text);
	free(src);
}

TEST(large_file_streams_intact)
{
	struct spec s;
	struct membuf m;
	char *d = pt_tmpdir();
	size_t len = 300001;	/* several copy buffers, odd length */
	unsigned char *big = xmalloc(len);
	for (size_t i = 0; i < len; i++)
		big[i] = (unsigned char)(i * 2654435761u >> 13);
	char *src = pt_write(d, "big", big, (long)len);
	char *text = xasprintf("file /big %s 0644 0 0\ndir /after 0755 0 0\n", src);
	CHECK_INT(pt_parse(&s, "t.spec", text, NULL, 0), 0);
	CHECK_INT(pt_build(&s, 0, 1, &m), 0);
	struct ent e[6];
	int n = read_all(&m, e, 6);
	CHECK_INT(n, 5);
	CHECK_INT(e[0].h.filesize, len);
	CHECK(!memcmp(e[0].data, big, len));
	CHECK_STR(e[1].name, "after");
	free_all(e, n);
	spec_free(&s);
	free(m.p);
	free(text);
	free(src);
	free(big);
}

TEST(deterministic_and_mtime_sensitive)
{
	struct spec s;
	struct membuf a, b, c, plain;
	char *d = pt_tmpdir();
	char *src = pt_write(d, "f", "same bytes every time\n", -1);
	char *text = xasprintf("dir /x 0755 0 0\nfile /x/f %s 0644 0 0\nslink /y x/f 0777 0 0\n",
			       src);
	CHECK_INT(pt_parse(&s, "t.spec", text, NULL, 0), 0);
	CHECK_INT(pt_build(&s, 42, 1, &a), 0);
	spec_free(&s);
	CHECK_INT(pt_parse(&s, "t.spec", text, NULL, 0), 0);
	CHECK_INT(pt_build(&s, 42, 1, &b), 0);
	spec_free(&s);
	CHECK_INT(pt_parse(&s, "t.spec", text, NULL, 0), 0);
	CHECK_INT(pt_build(&s, 43, 1, &c), 0);
	spec_free(&s);
	CHECK_INT(pt_parse(&s, "t.spec", text, NULL, 0), 0);
	CHECK_INT(pt_build(&s, 42, 0, &plain), 0);
	spec_free(&s);
	CHECK_INT(a.n, b.n);
	CHECK(!memcmp(a.p, b.p, a.n));
	CHECK(a.n != c.n || memcmp(a.p, c.p, a.n));
	/* gzip header: magic, deflate, no flags, mtime 0, XFL 2 (level 9), OS 3 (Unix) */
	CHECK(!memcmp(a.p, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03", 10));
	/* and it inflates to exactly the plain archive */
	struct istream is;
	unsigned char *un = xmalloc(plain.n + 1);
	CHECK_INT(is_open_mem(&is, a.p, a.n, "a"), 0);
	CHECK_INT(is_read_full(&is, un, plain.n), 0);
	CHECK_INT(is_read(&is, un + plain.n, 1), 0);
	is_close(&is);
	CHECK(!memcmp(un, plain.p, plain.n));
	free(un);
	free(a.p);
	free(b.p);
	free(c.p);
	free(plain.p);
	free(text);
	free(src);
}

TEST(source_changing_under_us_is_an_error)
{
	struct spec s;
	struct membuf m;
	char *d = pt_tmpdir();
	char *src = pt_write(d, "f", "0123456789", -1);
	char *text = xasprintf("file /f %s 0644 0 0\n", src);
	CHECK_INT(pt_parse(&s, "t.spec", text, NULL, 0), 0);
	CHECK_INT(truncate(src, 4), 0);
	CHECK_INT(pt_build(&s, 0, 0, &m), -1);
	char *want = xasprintf("'%s' for /f shrank while being packed (expected 10 bytes)", src);
	CHECK_STR(perr_last, want);
	free(want);
	free(m.p);
	spec_free(&s);

	free(pt_write(d, "f", "0123", -1));
	CHECK_INT(pt_parse(&s, "t.spec", text, NULL, 0), 0);
	free(pt_write(d, "f", "0123456789", -1));
	CHECK_INT(pt_build(&s, 0, 0, &m), -1);
	want = xasprintf("'%s' for /f grew while being packed (expected 4 bytes)", src);
	CHECK_STR(perr_last, want);
	free(want);
	free(m.p);
	spec_free(&s);

	CHECK_INT(pt_parse(&s, "t.spec", text, NULL, 0), 0);
	CHECK_INT(unlink(src), 0);
	CHECK_INT(pt_build(&s, 0, 0, &m), -1);
	want = xasprintf("cannot read '%s' for /f: No such file or directory", src);
	CHECK_STR(perr_last, want);
	free(want);
	free(m.p);
	spec_free(&s);
	free(text);
	free(src);
}

static int failing_sink(void *ctx, const void *buf, size_t n)
{
	(void)ctx, (void)buf, (void)n;
	perr("sink full");
	return -1;
}

TEST(sink_errors_propagate)
{
	struct spec s;
	struct ostream os;
	CHECK_INT(pt_parse(&s, "t.spec", "dir /x 0755 0 0\n", NULL, 0), 0);
	CHECK_INT(spec_finish(&s), 0);
	CHECK_INT(os_init(&os, 0, failing_sink, NULL), 0);
	CHECK_INT(archive_write(&s, 0, &os), -1);
	CHECK_STR(perr_last, "sink full");
	os_abort(&os);
	spec_free(&s);
}
