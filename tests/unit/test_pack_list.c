// SPDX-License-Identifier: BSD-2-Clause
/* dvm-pack archive reader behind --list: the listing format, gzip'd and plain input,
 * concatenated gzip members, and clear errors for damaged or foreign archives. */
#include <stdlib.h>
#include <sys/stat.h>
#include "check.h"
#include "cpio.h"
#include "list.h"
#include "packtest.h"
#include "util.h"

/* List an in-memory archive; returns the text (malloc'd) or NULL on error. */
static char *list_mem(const void *p, size_t n)
{
	struct istream is;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int r = is_open_mem(&is, p, n, "arch");
	if (!r) {
		r = archive_list(&is, f);
		is_close(&is);
	}
	fclose(f);
	if (r) {
		free(text);
		return NULL;
	}
	return text;
}

static void build(const char *text, int gzip, struct membuf *m)
{
	struct spec s;
	pt_parse(&s, "t.spec", text, NULL, 0);
	pt_build(&s, 0, gzip, m);
	spec_free(&s);
}

static const char spec_text[] =
	"dir /bin 0755 0 0\n"
	"slink /init bin/dvm 0777 0 0\n"
	"nod /dev/vda 0660 0 6 b 254 16\n"
	"dir /tmp 1777 0 0\n"
	"pipe /p 4754 1 2\n"
	"sock /s 2640 0 0\n"
	"dir /x 7000 0 0\n";

static const char listing[] =
	"drwxr-xr-x 0/0        0 bin\n"
	"lrwxrwxrwx 0/0        7 init -> bin/dvm\n"
	"drwxr-xr-x 0/0        0 dev\n"
	"brw-rw---- 0/6        0 dev/vda b 254,16\n"
	"drwxrwxrwt 0/0        0 tmp\n"
	"prwsr-xr-- 1/2        0 p\n"
	"srw-r-S--- 0/0        0 s\n"
	"d--S--S--T 0/0        0 x\n"
	"crw------- 0/0        0 dev/console c 5,1\n";

TEST(listing_format_plain_and_gzip)
{
	struct membuf plain, gz;
	build(spec_text, 0, &plain);
	build(spec_text, 1, &gz);
	char *a = list_mem(plain.p, plain.n), *b = list_mem(gz.p, gz.n);
	CHECK_STR(a, listing);
	CHECK_STR(b, listing);
	free(a);
	free(b);

	/* two gzip members back to back read as one stream, as the kernel does: the
	 * first archive's trailer ends the listing */
	gz.p = xrealloc(gz.p, gz.n * 2);
	memcpy(gz.p + gz.n, gz.p, gz.n);
	a = list_mem(gz.p, gz.n * 2);
	CHECK_STR(a, listing);
	free(a);
	free(plain.p);
	free(gz.p);
}

TEST(file_sizes_listed)
{
	struct membuf m;
	char *d = pt_tmpdir();
	char *src = pt_write(d, "f", "hello world", -1);
	char *text = xasprintf("file /f %s 0640 3 4 /g\n", src);
	build(text, 0, &m);
	char *l = list_mem(m.p, m.n);
	CHECK_STR(l, "-rw-r----- 3/4        0 f\n"
		     "-rw-r----- 3/4       11 g\n"
		     "drwxr-xr-x 0/0        0 dev\n"
		     "crw------- 0/0        0 dev/console c 5,1\n");
	free(l);
	free(m.p);
	free(text);
	free(src);
}

TEST(damaged_archives)
{
	struct membuf m;
	build(spec_text, 0, &m);
	perr_quiet = 1;

	/* cut anywhere: an error, never a crash or a silent success */
	for (size_t cut = 0; cut < m.n; cut += 7) {
		char *l = list_mem(m.p, cut);
		if (l) {
			check_fail(__FILE__, __LINE__, "truncated at %zu listed fine", cut);
			free(l);
			return;
		}
	}
	CHECK(!list_mem(m.p, 0));
	CHECK_STR(perr_last, "arch: archive ends at byte 0 without a TRAILER!!! entry");
	CHECK(!list_mem(m.p, 130));
	CHECK_STR(perr_last, "arch: truncated archive (ends at byte 130)");

	unsigned char *bad = xmalloc(m.n);
	memcpy(bad, m.p, m.n);
	memcpy(bad, "070707", 6);
	CHECK(!list_mem(bad, m.n));
	CHECK_STR(perr_last, "arch: byte 0: not a newc cpio header (magic '070707', expected "
		  "070701)");
	memcpy(bad, m.p, m.n);
	memcpy(bad + 6 + 8, "0000Z1ED", 8);
	CHECK(!list_mem(bad, m.n));
	CHECK_STR(perr_last, "arch: byte 0: bad hex digits in header field 2 ('0000Z1ED')");
	memcpy(bad, m.p, m.n);
	memcpy(bad + 6 + 11 * 8, "00000000", 8);
	CHECK(!list_mem(bad, m.n));
	CHECK_STR(perr_last, "arch: byte 0: name size 0 out of range (2..4096)");
	memcpy(bad, m.p, m.n);
	bad[112] = 'X';		/* "bin" is 4 bytes with its NUL; clobber the NUL */
	bad[113] = 'X';
	CHECK(!list_mem(bad, m.n));
	CHECK_STR(perr_last, "arch: byte 0: name is not a NUL-terminated string of 4 bytes");
	free(bad);

	/* other compressors are named */
	CHECK(!list_mem("\xfd" "7zXZ\0\0\0", 8));
	CHECK_STR(perr_last, "arch: xz-compressed; only gzip or uncompressed data can be read");
	CHECK(!list_mem("\x28\xb5\x2f\xfd\0\0", 6));
	CHECK_STR(perr_last, "arch: zstd-compressed; only gzip or uncompressed data can be read");
	/* corrupt gzip */
	CHECK(!list_mem("\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03garbage!", 18));
	CHECK(!strncmp(perr_last, "arch: corrupt gzip data", 23));
	free(m.p);
}

TEST(mode_strings)
{
	char m[11];
	mode_string(S_IFREG | 0644, m);
	CHECK_STR(m, "-rw-r--r--");
	mode_string(S_IFDIR | 01777, m);
	CHECK_STR(m, "drwxrwxrwt");
	mode_string(S_IFREG | 06755, m);
	CHECK_STR(m, "-rwsr-sr-x");
	mode_string(S_IFLNK | 0777, m);
	CHECK_STR(m, "lrwxrwxrwx");
	mode_string(S_IFCHR | 0600, m);
	CHECK_STR(m, "crw-------");
	mode_string(0170000 | 0644, m);
	CHECK_STR(m, "?rw-r--r--");
	mode_string(0, m);
	CHECK_STR(m, "?---------");
}
