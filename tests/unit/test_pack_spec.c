// SPDX-License-Identifier: BSD-2-Clause
/* dvm-pack spec parser: every directive, environment expansion, include, implicit
 * parents, the added /dev/console, and every error with its exact FILE:LINE message. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"
#include "packtest.h"
#include "spec.h"
#include "util.h"

static const struct entry *at(const struct spec *s, const char *name)
{
	return spec_find(s, name);
}

TEST(every_directive)
{
	struct spec s;
	char *d = pt_tmpdir();
	char *src = pt_write(d, "hello", "hello\n", -1);
	char *text = xasprintf("# comment line\n"
			       "\n"
			       "dir /bin 0755 0 0\n"
			       "file /bin/hello %s 0644 12 34\n"
			       "  \tslink /init bin/hello 0777 0 0\r\n"
			       "nod /dev/vda 0660 0 6 b 254 0\n"
			       "nod /dev/null 0666 0 0 c 1 3\n"
			       "pipe /run/fifo 0600 1 2\n"
			       "sock /run/sock 0640 3 4\n"
			       "dir /tmp 1777 0 0\n", src);

	CHECK_INT(pt_parse(&s, "t.spec", text, NULL, 0), 0);
	CHECK_INT(spec_finish(&s), 0);
	const struct entry *e = at(&s, "/bin/hello");
	CHECK(e);
	CHECK_INT(e->mode, S_IFREG | 0644);
	CHECK_INT(e->uid, 12);
	CHECK_INT(e->gid, 34);
	CHECK_INT(e->size, 6);
	CHECK_STR(e->src, src);
	CHECK_INT(e->line, 4);
	CHECK_STR(e->file, "t.spec");
	CHECK_INT(e->link_first, -1);
	CHECK((e = at(&s, "/init")));
	CHECK_INT(e->mode, S_IFLNK | 0777);
	CHECK_STR(e->target, "bin/hello");
	CHECK((e = at(&s, "/dev/vda")));
	CHECK_INT(e->mode, S_IFBLK | 0660);
	CHECK_INT(e->gid, 6);
	CHECK_INT(e->rmajor, 254);
	CHECK_INT(e->rminor, 0);
	CHECK((e = at(&s, "/dev/null")));
	CHECK_INT(e->mode, S_IFCHR | 0666);
	CHECK_INT(e->rminor, 3);
	CHECK((e = at(&s, "/run/fifo")));
	CHECK_INT(e->mode, S_IFIFO | 0600);
	CHECK_INT(e->uid, 1);
	CHECK((e = at(&s, "/run/sock")));
	CHECK_INT(e->mode, S_IFSOCK | 0640);
	CHECK((e = at(&s, "/tmp")));
	CHECK_INT(e->mode, S_IFDIR | 01777);
	/* /dev and /run were implicit; /dev/console was added at the end. */
	CHECK((e = at(&s, "/dev")));
	CHECK(e->implicit);
	CHECK_INT(e->mode, S_IFDIR | 0755);
	CHECK((e = at(&s, "/dev/console")));
	CHECK_INT(e->mode, S_IFCHR | 0600);
	CHECK_INT(e->rmajor, 5);
	CHECK_INT(e->rminor, 1);
	CHECK(e == &s.e[s.n - 1]);
	/* Archive order is spec order, parents just before their first child. */
	const char *order[] = { "/bin", "/bin/hello", "/init", "/dev", "/dev/vda", "/dev/null",
				"/run", "/run/fifo", "/run/sock", "/tmp", "/dev/console" };
	CHECK_INT(s.n, 11);
	for (int i = 0; i < 11; i++)
		CHECK_STR(s.e[i].name, order[i]);
	spec_free(&s);
	free(text);
	free(src);
}

TEST(names_are_normalized)
{
	struct spec s;
	CHECK_INT(pt_parse(&s, "t.spec", "dir //a///b/ 0755 0 0\n", NULL, 0), 0);
	CHECK(at(&s, "/a/b"));
	CHECK(at(&s, "/a"));
	CHECK_INT(s.n, 2);
	spec_free(&s);
}

TEST(declared_dir_replaces_implicit_one)
{
	struct spec s;
	CHECK_INT(pt_parse(&s, "t.spec", "pipe /a/b/p 0600 0 0\ndir /a 0700 5 6\n", NULL, 0), 0);
	const struct entry *e = at(&s, "/a");
	CHECK(e);
	CHECK(e == &s.e[0]);		/* keeps its place before its children */
	CHECK(!e->implicit);
	CHECK_INT(e->mode, S_IFDIR | 0700);
	CHECK_INT(e->uid, 5);
	CHECK_INT(e->line, 2);
	CHECK_INT(s.n, 3);
	spec_free(&s);
}

TEST(console_not_added_when_declared)
{
	struct spec s;
	CHECK_INT(pt_parse(&s, "t.spec", "nod /dev/console 0620 0 5 c 5 1\n", NULL, 0), 0);
	CHECK_INT(spec_finish(&s), 0);
	CHECK_INT(s.n, 2);
	CHECK_INT(at(&s, "/dev/console")->mode, S_IFCHR | 0620);
	CHECK_INT(at(&s, "/dev/console")->gid, 5);
	spec_free(&s);
}

TEST(console_needs_dev_to_be_a_directory)
{
	struct spec s;
	CHECK_INT(pt_parse(&s, "t.spec", "slink /dev /x 0777 0 0\n", NULL, 0), 0);
	CHECK_INT(spec_finish(&s), -1);
	CHECK_STR(perr_last, "dvm-pack (built-in /dev/console): /dev/console needs /dev to be "
		  "a directory, but it is a symlink (declared at t.spec:1)");
	spec_free(&s);
}

TEST(hard_links)
{
	struct spec s;
	char *d = pt_tmpdir();
	char *src = pt_write(d, "f", "data", -1);
	char *text = xasprintf("file /a/one %s 0640 1 2 /a/two /b/three\n", src);
	CHECK_INT(pt_parse(&s, "t.spec", text, NULL, 0), 0);
	/* parents of every name first, then the three names in a row */
	const char *order[] = { "/a", "/b", "/a/one", "/a/two", "/b/three" };
	CHECK_INT(s.n, 5);
	for (int i = 0; i < 5; i++)
		CHECK_STR(s.e[i].name, order[i]);
	for (int i = 2; i < 5; i++) {
		CHECK_INT(s.e[i].link_first, 2);
		CHECK_INT(s.e[i].nlinks, 3);
		CHECK_INT(s.e[i].mode, S_IFREG | 0640);
		CHECK_INT(s.e[i].size, 4);
		CHECK_INT(s.e[i].gid, 2);
	}
	CHECK_STR(s.e[2].src, src);
	spec_free(&s);
	free(text);
	free(src);
}

TEST(environment_expansion)
{
	struct spec s;
	setenv("PT_DIR", "/opt", 1);
	setenv("PT_MODE", "0750", 1);
	setenv("PT_SPACE", "a b", 1);
	CHECK_INT(pt_parse(&s, "t.spec",
			   "dir ${PT_DIR}/x${PT_DIR} ${PT_MODE} 0 0\n"
			   "slink /l ${PT_SPACE} 0777 0 0\n"
			   "slink /m $PT_DIR$ 0777 0 0\n", NULL, 0), 0);
	CHECK(at(&s, "/opt/x/opt"));
	CHECK_INT(at(&s, "/opt/x/opt")->mode, S_IFDIR | 0750);
	CHECK_STR(at(&s, "/l")->target, "a b");		/* one field, blanks and all */
	CHECK_STR(at(&s, "/m")->target, "$PT_DIR$");	/* only ${...} expands */
	spec_free(&s);
}

TEST(include_is_relative_to_the_including_file)
{
	struct spec s;
	char *d = pt_tmpdir();
	free(pt_write(d, "sub/inner.spec", "dir /inner 0755 0 0\ninclude deeper/last.spec\n", -1));
	free(pt_write(d, "sub/deeper/last.spec", "dir /last 0755 0 0\n", -1));
	char *main_spec = pt_write(d, "main.spec", "dir /first 0755 0 0\ninclude sub/inner.spec\n"
				   "dir /after 0755 0 0\n", -1);
	perr_quiet = 1;
	spec_init(&s, NULL, 0);
	CHECK_INT(spec_parse_file(&s, main_spec), 0);
	const char *order[] = { "/first", "/inner", "/last", "/after" };
	CHECK_INT(s.n, 4);
	for (int i = 0; i < 4; i++)
		CHECK_STR(s.e[i].name, order[i]);
	char *inner = xasprintf("%s/sub/deeper/last.spec", d);
	CHECK_STR(s.e[2].file, inner);
	CHECK_INT(s.e[2].line, 1);
	spec_free(&s);
	free(inner);

	/* an error inside an included file names that file and line */
	free(pt_write(d, "bad/inc.spec", "\ndir /x 0999 0 0\n", -1));
	char *top = pt_write(d, "top.spec", "include bad/inc.spec\n", -1);
	spec_init(&s, NULL, 0);
	CHECK_INT(spec_parse_file(&s, top), -1);
	char *want = xasprintf("%s/bad/inc.spec:2: bad mode '0999' for /x (expected octal "
			       "permissions, at most 07777)", d);
	CHECK_STR(perr_last, want);
	spec_free(&s);
	free(want);
	free(top);

	/* a file including itself */
	char *loop = pt_write(d, "loop.spec", "include loop.spec\n", -1);
	spec_init(&s, NULL, 0);
	CHECK_INT(spec_parse_file(&s, loop), -1);
	want = xasprintf("%s:1: includes nested more than 32 deep (does '%s' include itself?)",
			 loop, loop);
	CHECK_STR(perr_last, want);
	spec_free(&s);
	free(want);

	/* a missing include, and a missing top-level spec */
	spec_init(&s, NULL, 0);
	CHECK_INT(spec_parse_text(&s, "dir/t.spec", "\ninclude nothere.spec\n"), -1);
	CHECK_STR(perr_last, "dir/t.spec:2: cannot read included spec 'dir/nothere.spec': "
		  "No such file or directory");
	spec_free(&s);
	spec_init(&s, NULL, 0);
	CHECK_INT(spec_parse_file(&s, "/nonexistent/x.spec"), -1);
	CHECK_STR(perr_last, "cannot read spec '/nonexistent/x.spec': No such file or directory");
	spec_free(&s);
	free(loop);
	free(main_spec);
}

/* One spec text, the message it must produce. */
static const struct {
	const char *text, *msg;
} errors[] = {
	{ "fil /x 0644 0 0\n", "t.spec:1: unknown directive 'fil' (expected file, dir, nod, "
	  "slink, pipe, sock, module or include)" },
	{ "\ndir /x 0755 0\n", "t.spec:2: 'dir' takes 4 fields (dir NAME MODE UID GID), got 3" },
	{ "dir /x 0755 0 0 0\n", "t.spec:1: 'dir' takes 4 fields (dir NAME MODE UID GID), got 5" },
	{ "file /x\n", "t.spec:1: 'file' takes at least 5 fields (file NAME LOCATION MODE UID "
	  "GID [HARDLINK...]), got 1" },
	{ "nod /x 0600 0 0 c 1\n", "t.spec:1: 'nod' takes 7 fields (nod NAME MODE UID GID b|c "
	  "MAJOR MINOR), got 6" },
	{ "slink /x y 0777 0\n", "t.spec:1: 'slink' takes 5 fields (slink NAME TARGET MODE UID "
	  "GID), got 4" },
	{ "pipe /x 0600 0 0 0\n", "t.spec:1: 'pipe' takes 4 fields (pipe NAME MODE UID GID), got 5" },
	{ "sock /x 0600\n", "t.spec:1: 'sock' takes 4 fields (sock NAME MODE UID GID), got 2" },
	{ "module\n", "t.spec:1: 'module' takes at least 1 field (module NAME...), got 0" },
	{ "include a b\n", "t.spec:1: 'include' takes 1 field (include FILE), got 2" },
	{ "dir x 0755 0 0\n", "t.spec:1: name 'x' is not absolute (expected a path starting "
	  "with '/')" },
	{ "dir /a/../b 0755 0 0\n", "t.spec:1: name '/a/../b' has a '..' component (expected a "
	  "plain path)" },
	{ "dir /a/./b 0755 0 0\n", "t.spec:1: name '/a/./b' has a '.' component (expected a "
	  "plain path)" },
	{ "dir // 0755 0 0\n", "t.spec:1: name '//' is the archive root (expected a path below "
	  "'/')" },
	{ "dir /x 0758 0 0\n", "t.spec:1: bad mode '0758' for /x (expected octal permissions, "
	  "at most 07777)" },
	{ "dir /x 17777 0 0\n", "t.spec:1: bad mode '17777' for /x (expected octal "
	  "permissions, at most 07777)" },
	{ "dir /x rwx 0 0\n", "t.spec:1: bad mode 'rwx' for /x (expected octal permissions, at "
	  "most 07777)" },
	{ "dir /x 0755 -1 0\n", "t.spec:1: bad uid '-1' for /x (expected a decimal number "
	  "below 4294967295)" },
	{ "dir /x 0755 0 4294967295\n", "t.spec:1: bad gid '4294967295' for /x (expected a "
	  "decimal number below 4294967295)" },
	{ "dir /x 0755 root 0\n", "t.spec:1: bad uid 'root' for /x (expected a decimal number "
	  "below 4294967295)" },
	{ "nod /d 0600 0 0 x 1 2\n", "t.spec:1: bad device type 'x' for /d (expected b or c)" },
	{ "nod /d 0600 0 0 c 4096 1\n", "t.spec:1: bad major number '4096' for /d (expected "
	  "0..4095)" },
	{ "nod /d 0600 0 0 b 1 1048576\n", "t.spec:1: bad minor number '1048576' for /d "
	  "(expected 0..1048575)" },
	{ "file /x /nonexistent/file 0644 0 0\n", "t.spec:1: cannot read '/nonexistent/file' "
	  "for /x: No such file or directory" },
	{ "file /x / 0644 0 0\n", "t.spec:1: cannot read '/' for /x: a directory, not a regular file" },
	{ "file /a /etc/passwd 0644 0 0 /b /a/c\n", "t.spec:1: /a is already a directory, "
	  "created implicitly (as a parent) at t.spec:1; declare it before that line if it "
	  "must be a regular file" },
	{ "dir /x 0755 0 0\n\ndir /x 0700 0 0\n", "t.spec:3: duplicate name /x (first declared "
	  "at t.spec:1)" },
	{ "dir /x 0755 0 0\npipe /x/ 0700 0 0\n", "t.spec:2: duplicate name /x (first declared "
	  "at t.spec:1)" },
	{ "slink /a b 0777 0 0\ndir /a/c 0755 0 0\n", "t.spec:2: /a/c needs /a to be a "
	  "directory, but it is a symlink (declared at t.spec:1)" },
	{ "dir /a/b 0755 0 0\npipe /a 0644 0 0\n", "t.spec:2: /a is already a directory, "
	  "created implicitly (as a parent) at t.spec:1; declare it before that line if it must "
	  "be a pipe" },
	{ "dir /${PT_UNSET_VAR} 0755 0 0\n", "t.spec:1: environment variable PT_UNSET_VAR is "
	  "not set (used in '/${PT_UNSET_VAR}')" },
	{ "dir /${PT_DIR 0755 0 0\n", "t.spec:1: unterminated '${' in '/${PT_DIR' (expected "
	  "${NAME})" },
	{ "dir /${A-B} 0755 0 0\n", "t.spec:1: bad variable name '${A-B}' in '/${A-B}' "
	  "(expected letters, digits and '_')" },
	{ "dir /${} 0755 0 0\n", "t.spec:1: bad variable name '${}' in '/${}' (expected "
	  "letters, digits and '_')" },
	{ "dir ${PT_EMPTY} 0755 0 0\n", "t.spec:1: field 1 of 'dir' is empty after expansion "
	  "(dir NAME MODE UID GID)" },
	{ "module foo\n", "t.spec:1: 'module foo' needs a module directory: give -m MODDIR" },
	{ "module virtio_blk.ko\n", "t.spec:1: bad module name 'virtio_blk.ko': expected up to "
	  "55 letters, digits, '_' or '-' (a name like virtio_blk, not a file name)" },
	{ "dir /ok 0755 0 0\n# fine\nbogus\n", "t.spec:3: unknown directive 'bogus' (expected "
	  "file, dir, nod, slink, pipe, sock, module or include)" },
};

TEST(every_error_names_file_line_and_value)
{
	setenv("PT_EMPTY", "", 1);
	unsetenv("PT_UNSET_VAR");
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		struct spec s;
		int r = pt_parse(&s, "t.spec", errors[i].text, NULL, 0);
		spec_free(&s);
		if (r != -1 || strcmp(perr_last, errors[i].msg)) {
			check_fail(__FILE__, __LINE__, "spec %zu '%s': got %d '%s', expected '%s'",
				   i, errors[i].text, r, perr_last, errors[i].msg);
			return;
		}
	}
}

TEST(hard_link_errors)
{
	struct spec s;
	char *d = pt_tmpdir();
	char *src = pt_write(d, "f", "x", -1);
	char *text = xasprintf("file /a %s 0644 0 0 /b /a\n", src);
	CHECK_INT(pt_parse(&s, "t.spec", text, NULL, 0), -1);
	CHECK_STR(perr_last, "t.spec:1: hard link /a repeats a name of the same line");
	spec_free(&s);
	free(text);
	text = xasprintf("dir /b 0755 0 0\nfile /a %s 0644 0 0 /b\n", src);
	CHECK_INT(pt_parse(&s, "t.spec", text, NULL, 0), -1);
	CHECK_STR(perr_last, "t.spec:2: duplicate name /b (first declared at t.spec:1)");
	spec_free(&s);
	free(text);
	text = xasprintf("file /a %s 0644 0 0 b\n", src);
	CHECK_INT(pt_parse(&s, "t.spec", text, NULL, 0), -1);
	CHECK_STR(perr_last, "t.spec:1: name 'b' is not absolute (expected a path starting "
		  "with '/')");
	spec_free(&s);
	free(text);
	free(src);
}

TEST(files_over_4gib_are_refused)
{
	struct spec s;
	char *d = pt_tmpdir();
	char *big = xasprintf("%s/big", d);
	int fd = open(big, O_WRONLY | O_CREAT, 0644);
	CHECK(fd >= 0);
	CHECK_INT(ftruncate(fd, 0x100000000LL), 0);	/* sparse: no disk used */
	close(fd);
	char *text = xasprintf("file /big %s 0644 0 0\n", big);
	CHECK_INT(pt_parse(&s, "t.spec", text, NULL, 0), -1);
	char *want = xasprintf("t.spec:1: '%s' for /big is 4294967296 bytes; newc cpio holds at "
			       "most 4294967295", big);
	CHECK_STR(perr_last, want);
	spec_free(&s);
	free(want);
	free(text);
	/* exactly the limit is fine */
	fd = open(big, O_WRONLY);
	CHECK_INT(ftruncate(fd, 0xffffffffLL), 0);
	close(fd);
	text = xasprintf("file /big %s 0644 0 0\n", big);
	CHECK_INT(pt_parse(&s, "t.spec", text, NULL, 0), 0);
	CHECK_INT(at(&s, "/big")->size, 0xffffffffLL);
	spec_free(&s);
	free(text);
	free(big);
}

TEST(symlink_target_limits)
{
	struct spec s;
	char *long_target = xmalloc(5000);
	memset(long_target, 'a', 4999);
	long_target[4999] = 0;
	char *text = xasprintf("slink /l %s 0777 0 0\n", long_target);
	CHECK_INT(pt_parse(&s, "t.spec", text, NULL, 0), -1);
	CHECK_STR(perr_last, "t.spec:1: bad symlink target for /l: 4999 bytes (expected 1..4095)");
	spec_free(&s);
	free(text);
	free(long_target);
}
