// SPDX-License-Identifier: BSD-2-Clause
/* `dvm-pack [options] SPEC...`: parse the specs, then write the archive atomically
 * (a temporary file beside OUT, fsync, rename), so a failed run leaves no partial
 * archive and an existing OUT untouched. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "archive.h"
#include "cmds.h"
#include "spec.h"
#include "util.h"
#include "wfile.h"

const char build_usage[] =
	"Usage: dvm-pack [-o OUT.cpio.gz] [-m MODDIR]... [--gzip-modules] [--no-gzip] [--mtime N]\n"
	"                SPEC...\n"
	"Build an initramfs (newc cpio, gzip-compressed) from gen_init_cpio-style specs.\n"
	"  -o FILE       write the archive to FILE, atomically (default: standard output)\n"
	"  -m MODDIR     where 'module' lines find kernel modules (searched recursively;\n"
	"                repeatable, earlier directories win)\n"
	"  --gzip-modules  put uncompressed modules in as NAME.ko.gz: the unpacked rootfs\n"
	"                keeps a third of their RAM (dvm's init inflates them to load them)\n"
	"  --no-gzip     write the cpio archive uncompressed\n"
	"  --mtime N     timestamp of every entry (default $SOURCE_DATE_EPOCH, else 0)\n"
	"Spec lines (blank-separated fields, ${VAR} expanded in each, '#' comments):\n"
	"  file NAME LOCATION MODE UID GID [HARDLINK...]\n"
	"  dir NAME MODE UID GID\n"
	"  nod NAME MODE UID GID b|c MAJOR MINOR\n"
	"  slink NAME TARGET MODE UID GID\n"
	"  pipe NAME MODE UID GID\n"
	"  sock NAME MODE UID GID\n"
	"  module NAME...    modules and their dependencies, to /lib/modules/NAME.ko\n"
	"  include FILE      another spec (relative to this spec's directory)\n"
	"Missing parent directories are added (0755, root); /dev/console (c 5 1) is added\n"
	"unless declared; with modules, /lib/modules/modules.dep is written. See docs/pack.md.\n";

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "dvm-pack: %s%s%s\n(dvm-pack --help for usage)\n", msg, arg ? ": " : "",
		arg ? arg : "");
	return 2;
}

static int parse_mtime(const char *v, const char *what, uint32_t *out)
{
	unsigned long long t;
	if (parse_uint(v, 10, 0xffffffffu, &t)) {
		perr("%s '%s' is not a number of seconds from 0 to 4294967295", what, v);
		return -1;
	}
	*out = (uint32_t)t;
	return 0;
}

static int sink(void *ctx, const void *buf, size_t n)
{
	return wout_write(ctx, buf, n);
}

/* Write the archive to `out` (see wfile.h: a regular file is replaced atomically, a
 * device or FIFO written through, "-" is standard output). */
static int write_out(const struct spec *s, uint32_t mtime, int gzip, const char *out)
{
	struct ostream os;
	struct wout w;

	if (wout_open(&w, out))
		return -1;
	if (os_init(&os, gzip, sink, &w))
		goto fail;
	if (archive_write(s, mtime, &os)) {
		os_abort(&os);
		goto fail;
	}
	if (os_finish(&os))
		goto fail;
	return wout_commit(&w);
fail:
	wout_abort(&w);
	return -1;
}

int cmd_build(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "no-gzip", no_argument, NULL, 'z' },
		{ "gzip-modules", no_argument, NULL, 'G' },
		{ "mtime", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *mtime_arg = NULL;
	char on[64];
	char **dirs = xmalloc(sizeof(char *) * (size_t)argc);
	int ndirs = 0, gzip = 1, gzip_modules = 0, c, r = 1;
	uint32_t mtime = 0;
	struct spec s;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:m:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'm':
			dirs[ndirs++] = optarg;
			break;
		case 'z':
			gzip = 0;
			break;
		case 'G':
			gzip_modules = 1;
			break;
		case 't':
			mtime_arg = optarg;
			break;
		case 'h':
			fputs(build_usage, stdout);
			free(dirs);
			return 0;
		case 'V':
			free(dirs);
			return print_version();
		case ':':
			free(dirs);
			return usage_error("option needs a value", opt_named(argc, argv, opts, on));
		default:
			free(dirs);
			return usage_error("unknown option", opt_named(argc, argv, opts, on));
		}
	}
	if (optind == argc) {
		free(dirs);
		return usage_error("no SPEC file given", NULL);
	}
	if (!out)
		out = "-";
	if (!strcmp(out, "-") && isatty(1)) {
		free(dirs);
		return usage_error("refusing to write an archive to a terminal; use -o FILE", NULL);
	}
	if (mtime_arg) {
		if (parse_mtime(mtime_arg, "--mtime", &mtime)) {
			free(dirs);
			return 2;
		}
	} else if (getenv("SOURCE_DATE_EPOCH") &&
		   parse_mtime(getenv("SOURCE_DATE_EPOCH"), "SOURCE_DATE_EPOCH", &mtime)) {
		free(dirs);
		return 1;
	}
	for (int i = 0; i < ndirs; i++) {
		struct stat st;
		const char *why = stat(dirs[i], &st) ? strerror(errno) :
			!S_ISDIR(st.st_mode) ? "not a directory" : NULL;
		if (why) {
			perr("module directory -m %s: %s", dirs[i], why);
			free(dirs);
			return 1;
		}
	}
	spec_init(&s, dirs, ndirs);
	s.gzip_modules = gzip_modules;
	for (int i = optind; i < argc; i++)
		if (spec_parse_file(&s, argv[i]))
			goto out;
	if (spec_finish(&s))
		goto out;
	if (write_out(&s, mtime, gzip, out))
		goto out;
	r = 0;
out:
	spec_free(&s);
	free(dirs);
	return r;
}
