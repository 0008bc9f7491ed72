// SPDX-License-Identifier: BSD-2-Clause
/* The multicall entry point: choose the applet from basename(argv[0]), or from argv[1]
 * when invoked as `dvm`. `dvm`, `dvm --list` list the applets; `dvm --version` prints
 * the version make wrote into version.h; `APPLET --help` prints its usage; an unknown
 * applet exits 127 naming the available ones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "applet.h"
#include "inflate.h"
#include "log.h"
#include "selfexe.h"
#include "version.h"

static const struct applet applets[] = {
#define APPLET(n) { #n, n##_main, n##_check },
#include "applets.h"
#undef APPLET
};
#define NAPPLETS (sizeof(applets) / sizeof(applets[0]))

const struct applet *applet_find(const char *name)
{
	for (size_t i = 0; i < NAPPLETS; i++)
		if (!strcmp(applets[i].name, name))
			return &applets[i];
	return NULL;
}

/* No stdio in dvm (see core/printf.c): straight to the file descriptor. */
static void out(int fd, const char *s)
{
	size_t n = strlen(s);
	ssize_t w;

	while (n && (w = write(fd, s, n)) > 0)
		s += w, n -= (size_t)w;
}

/* Every applet name, each one between pre and post. */
static void list(int fd, const char *pre, const char *post)
{
	for (size_t i = 0; i < NAPPLETS; i++)
		dprintf(fd, "%s%s%s", pre, applets[i].name, post);
}

/* --help: inflate the packed usage texts (see applet.h) and write out applet i's. */
static int usage(size_t i)
{
	size_t from = i ? usage_end[i - 1] : 0, to = usage_end[i], used, len;
	unsigned char *text = malloc(usage_end[NAPPLETS - 1]);
	const char *msg;

	if (!text) {
		err("no memory to show the usage");
		return 1;
	}
	/* all of it: a stream cut short ends before the match that would cross the cut */
	inflate_raw(usage_z, usage_z_len, &used, text, usage_end[NAPPLETS - 1], &len, &msg);
	for (ssize_t w; from < to && from < len; from += (size_t)w)
		if ((w = write(1, text + from, (to < len ? to : len) - from)) <= 0)
			break;
	free(text);
	return 0;
}

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

int main(int argc, char **argv)
{
	const char *name = argc > 0 ? base(argv[0]) : "dvm";

	if (argc > 0)
		self_exe_set(argv[0]);

	if (!strcmp(name, "dvm")) {
		if (argc < 2 || !strcmp(argv[1], "--list")) {
			list(1, "", "\n");
			return 0;
		}
		if (!strcmp(argv[1], "--version")) {
			out(1, "dvm " DVM_VERSION "\n");
			return 0;
		}
		if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
			out(1, "Usage: dvm APPLET [ARGS...]  (or run through a link named APPLET)\n"
			       "       dvm --list\n       dvm --version\n\nApplets:\n");
			list(1, "", "\n");
			return 0;
		}
		argc--, argv++;
		name = base(argv[0]);
	}
	const struct applet *a = applet_find(name);
	if (!a) {
		dprintf(2, "dvm: unknown applet '%s'; available:", name);
		list(2, " ", "");
		out(2, "\n");
		return 127;
	}
	if (argc > 1 && !strcmp(argv[1], "--help"))
		return usage((size_t)(a - applets));
	log_open(a->name);
	return a->main(argc, argv);
}
