/* The multicall entry point: choose the applet from basename(argv[0]), or from argv[1]
 * when invoked as `dvm`. `dvm`, `dvm --list` list the applets; `APPLET --help` prints
 * its usage; an unknown applet exits 127 naming the available ones. */
#include <stdio.h>
#include <string.h>
#include "applet.h"
#include "log.h"

static const struct applet applets[] = {
#define APPLET(n) { #n, n##_main, n##_usage },
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

static void list(FILE *f)
{
	for (size_t i = 0; i < NAPPLETS; i++)
		fprintf(f, "%s\n", applets[i].name);
}

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

int main(int argc, char **argv)
{
	const char *name = argc > 0 ? base(argv[0]) : "dvm";

	if (!strcmp(name, "dvm")) {
		if (argc < 2 || !strcmp(argv[1], "--list")) {
			list(stdout);
			return 0;
		}
		if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
			printf("Usage: dvm APPLET [ARGS...]  (or run through a link named APPLET)\n"
			       "       dvm --list\n\nApplets:\n");
			list(stdout);
			return 0;
		}
		argc--, argv++;
		name = base(argv[0]);
	}
	const struct applet *a = applet_find(name);
	if (!a) {
		fprintf(stderr, "dvm: unknown applet '%s'; available:", name);
		for (size_t i = 0; i < NAPPLETS; i++)
			fprintf(stderr, " %s", applets[i].name);
		fputc('\n', stderr);
		return 127;
	}
	if (argc > 1 && !strcmp(argv[1], "--help")) {
		fputs(a->usage, stdout);
		return 0;
	}
	log_open(a->name);
	return a->main(argc, argv);
}
