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

const char build_usage[] =
	"Usage: dvm-pack [-o OUT.cpio.gz] [-m MODDIR]... [--no-gzip] [--mtime N] SPEC...\n"
	"Build an initramfs (newc cpio, gzip-compressed) from gen_init_cpio-style specs.\n"
	"  -o FILE       write the archive to FILE, atomically (default: standard output)\n"
	"  -m MODDIR     where 'module' lines find kernel modules (searched recursively;\n"
	"                repeatable, earlier directories win)\n"
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

static char *tmp_path;	/* the temporary archive, removed if we are interrupted */

static void on_signal(int sig)
{
	if (tmp_path)
		unlink(tmp_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

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

/* Write the archive into a temporary file beside `out`, then rename it over `out`. */
static int write_atomic(const struct spec *s, uint32_t mtime, int gzip, const char *out)
{
	const char *slash = strrchr(out, '/');
	char *dir = slash ? xasprintf("%.*s", (int)(slash - out + (slash == out)), out) : xstrdup(".");
	struct ostream os;
	struct fd_sink sink = { -1, out };
	int r = -1, dfd;
	mode_t um = umask(0);

	umask(um);
	tmp_path = xasprintf("%s/.%s.XXXXXX", dir, slash ? slash + 1 : out);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	sink.fd = mkstemp(tmp_path);
	if (sink.fd < 0) {
		perr("cannot create a temporary file in %s: %s", dir, strerror(errno));
		goto out;
	}
	if (fchmod(sink.fd, 0666 & ~um)) {
		perr("cannot set the mode of %s: %s", tmp_path, strerror(errno));
		goto out;
	}
	if (os_init(&os, gzip, fd_sink_write, &sink))
		goto out;
	if (archive_write(s, mtime, &os)) {
		os_abort(&os);
		goto out;
	}
	if (os_finish(&os))
		goto out;
	if (fsync(sink.fd) || close(sink.fd)) {
		sink.fd = -1;
		perr("cannot write %s: %s", out, strerror(errno));
		goto out;
	}
	sink.fd = -1;
	if (rename(tmp_path, out)) {
		perr("cannot rename %s to %s: %s", tmp_path, out, strerror(errno));
		goto out;
	}
	free(tmp_path);
	tmp_path = NULL;
	/* Make the rename itself durable. */
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(dfd);
		close(dfd);
	}
	r = 0;
out:
	if (sink.fd >= 0)
		close(sink.fd);
	if (tmp_path) {
		unlink(tmp_path);
		free(tmp_path);
		tmp_path = NULL;
	}
	free(dir);
	return r;
}

static int write_stdout(const struct spec *s, uint32_t mtime, int gzip)
{
	struct ostream os;
	struct fd_sink sink = { 1, "standard output" };
	if (os_init(&os, gzip, fd_sink_write, &sink))
		return -1;
	if (archive_write(s, mtime, &os)) {
		os_abort(&os);
		return -1;
	}
	return os_finish(&os);
}

int cmd_build(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "no-gzip", no_argument, NULL, 'z' },
		{ "mtime", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *mtime_arg = NULL;
	char **dirs = xmalloc(sizeof(char *) * (size_t)argc);
	int ndirs = 0, gzip = 1, c, r = 1;
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
		case 't':
			mtime_arg = optarg;
			break;
		case 'h':
			fputs(build_usage, stdout);
			free(dirs);
			return 0;
		case ':':
			free(dirs);
			return usage_error("option needs a value", argv[optind - 1]);
		default:
			free(dirs);
			return usage_error("unknown option", argv[optind - 1]);
		}
	}
	if (optind == argc) {
		free(dirs);
		return usage_error("no SPEC file given", NULL);
	}
	if (!out && isatty(1)) {
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
	for (int i = optind; i < argc; i++)
		if (spec_parse_file(&s, argv[i]))
			goto out;
	if (spec_finish(&s))
		goto out;
	if (out ? write_atomic(&s, mtime, gzip, out) : write_stdout(&s, mtime, gzip))
		goto out;
	r = 0;
out:
	spec_free(&s);
	free(dirs);
	return r;
}
