// SPDX-License-Identifier: BSD-2-Clause
/* libFuzzer target: init's configuration parser (applets/init/conf.c) on any text, then
 * the kernel command line overrides and the printer. The input is the config text, then
 * optionally a NUL and a kernel command line. Every error must be reported through the
 * callback (the count conf_parse returns matches the messages), and a config that
 * parses cleanly must parse cleanly again from what conf_print wrote (when no command
 * line changed it). */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "applet.h"
#include "init.h"
#include "log.h"

/* The applet table as the parser sees it (dispatch.c has main(), so not linked here):
 * every applet of the build, by name. */
const struct applet *applet_find(const char *name)
{
#define APPLET(n) { #n, NULL },
	static const struct applet known[] = {
#include "applets.h"
	};
#undef APPLET
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(known[i].name, name))
			return &known[i];
	return NULL;
}

static int nerr;

static void rep(int level, const char *msg, void *ctx)
{
	(void)ctx;
	(void)msg;
	if (level == LOG_ERR)
		nerr++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int out = -1;
	struct conf c;
	size_t len = strnlen((const char *)data, size);
	const char *cmd = len < size ? (const char *)data + len + 1 : NULL;
	char *cmdline = cmd ? strndup(cmd, size - len - 1) : NULL;

	if (out < 0 && (out = memfd_create("conf", 0)) < 0)
		abort();
	conf_init(&c, rep, NULL);
	nerr = 0;
	c.text = malloc(len + 1);
	memcpy(c.text, data, len);
	c.text[len] = 0;
	int e = conf_parse(&c, "fuzz.conf", c.text, len);
	if (e != nerr)
		abort();
	if (!e && cmdline) {
		conf_apply_cmdline(&c, cmdline);
		/* no round trip here: a dvm.args.NAME value may hold what no config word
		 * can (a '"', a newline) */
		conf_print(&c, out);
	} else if (!e) {
		/* what conf_print writes is a config that parses without errors */
		if (ftruncate(out, 0) || lseek(out, 0, SEEK_SET))
			abort();
		conf_print(&c, out);
		off_t n = lseek(out, 0, SEEK_CUR);
		struct conf c2;
		conf_init(&c2, rep, NULL);
		nerr = 0;
		c2.text = malloc((size_t)n + 1);
		if (pread(out, c2.text, (size_t)n, 0) != n)
			abort();
		c2.text[n] = 0;
		if (conf_parse(&c2, "printed.conf", c2.text, (size_t)n))
			abort();
		conf_free(&c2);
	}
	conf_free(&c);
	free(cmdline);
	return 0;
}
