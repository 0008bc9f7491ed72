// SPDX-License-Identifier: BSD-2-Clause
/* insmod: load one kernel module file with parameters (core/module.c does the work and
 * explains failures). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "applet.h"
#include "log.h"
#include "module.h"
#include "opt.h"

#define MODULE_DIR "/lib/modules"

const char insmod_usage[] =
	"Usage: insmod [-v] FILE [PARAM=VALUE | PARAM ...]\n"
	"\n"
	"Load the kernel module FILE (.ko, .ko.gz, .ko.xz or .ko.zst) with the given\n"
	"parameters. A FILE without '/' that does not exist is looked up in " MODULE_DIR "\n"
	"as NAME.ko[.gz|.xz|.zst] ('-' and '_' equivalent). Dependencies are not loaded:\n"
	"load them first (when symbols are missing, insmod names the modules the file's\n"
	".modinfo depends on and says which are not loaded).\n"
	"A bare PARAM sets a boolean parameter; a VALUE containing spaces is quoted for\n"
	"the kernel: x=\"a b\".\n"
	"Compressed modules are decompressed by the kernel when it can; otherwise insmod\n"
	"inflates a .ko.gz itself, and a .ko.xz or .ko.zst cannot be loaded (ship it\n"
	"uncompressed or as .ko.gz).\n"
	"\n"
	"  -v  verbose: say what is done\n"
	"\n"
	"Exit status: 0 loaded, 1 not loaded (also when already loaded), 2 bad usage.\n";

/* PARAM=VALUE words joined by spaces, a VALUE with a space (and no quote of its own)
 * wrapped in double quotes, which the kernel's parser removes. NULL if out of memory. */
static char *join_params(int n, char **args)
{
	size_t len = 1;
	char *s, *o;

	for (int i = 0; i < n; i++)
		len += strlen(args[i]) + 3;
	s = o = malloc(len);
	if (!s)
		return NULL;
	*o = 0;
	for (int i = 0; i < n; i++) {
		const char *eq = strchr(args[i], '=');
		if (i)
			*o++ = ' ';
		if (eq && strchr(eq, ' ') && !strchr(args[i], '"')) {
			memcpy(o, args[i], (size_t)(eq + 1 - args[i]));
			o += eq + 1 - args[i];
			*o++ = '"';
			o = stpcpy(o, eq + 1);
			*o++ = '"';
			*o = 0;
		} else {
			o = stpcpy(o, args[i]);
		}
	}
	return s;
}

/* Whether s contains ".ko" (strstr would pull in 1.3 KiB of libc for this). */
static int has_ko(const char *s)
{
	for (const char *p = strchr(s, '.'); p; p = strchr(p + 1, '.'))
		if (p[1] == 'k' && p[2] == 'o')
			return 1;
	return 0;
}

/* The arguments: the index of FILE (*verbose set for -v), or -1 after logging a usage
 * error. */
static int parse(int argc, char **argv, int *verbose)
{
	int i = 1;

	*verbose = 0;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-v")) {
			err("unknown option '%s' (see insmod --help)", argv[i]);
			return -1;
		}
		*verbose = 1;
	}
	if (i >= argc) {
		err("no module file given (see insmod --help)");
		return -1;
	}
	for (int k = i + 1; k < argc; k++) {
		/* A bare PARAM sets a bool; a file name here is a mistake the kernel would
		 * merely warn about ("unknown parameter ignored"). */
		if (!strchr(argv[k], '=') && (strchr(argv[k], '/') || has_ko(argv[k]))) {
			err("'%s' looks like a second module file: insmod loads one module; load "
			    "dependencies with their own insmod first", argv[k]);
			return -1;
		}
		if (!argv[k][0] || argv[k][0] == '=') {
			err("parameter '%s' has no name", argv[k]);
			return -1;
		}
	}
	return i;
}

int insmod_check(int argc, char **argv)
{
	int v;

	return parse(argc, argv, &v) < 0 ? OPT_USAGE : 0;
}

int insmod_main(int argc, char **argv)
{
	char found[512], *params;
	const char *file;
	int i, r, verbose;
	struct stat st;

	log_to_stderr(); /* a command: its errors go to whoever ran it */
	i = parse(argc, argv, &verbose);
	if (i < 0)
		return OPT_USAGE;
	if (verbose)
		log_verbose();
	file = argv[i++];
	/* the kernel would answer a directory's fd with ENOEXEC or EINVAL, which
	 * module_load explains as a bad module or a version mismatch */
	if (!stat(file, &st) && S_ISDIR(st.st_mode)) {
		err("%s: is a directory, not a module file", file);
		return 1;
	}
	if (!strchr(file, '/') && access(file, F_OK) &&
	    !module_find(MODULE_DIR, file, found, sizeof(found))) {
		dbg("%s: using %s", file, found);
		file = found;
	}
	params = join_params(argc - i, argv + i);
	if (!params) {
		err("out of memory");
		return 1;
	}
	r = module_load(file, params);
	free(params);
	if (r == 0)
		dbg("%s: loaded", file);
	return r ? 1 : 0;
}
