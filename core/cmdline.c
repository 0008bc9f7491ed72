// SPDX-License-Identifier: BSD-2-Clause
/* Kernel command line parsing; see cmdline.h. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmdline.h"

const char *cmdline_src;

/* Read a whole small file into buf as a string (NULs, as in a device-tree string
 * property, end it); its length, or -1. */
static ssize_t read_text(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r = fd >= 0 ? read(fd, buf, n - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[r > 0 ? r : 0] = 0;
	return r;
}

const char *cmdline_load(const char *proc, const char *dt, char *buf, size_t n)
{
	if (read_text(proc, buf, n) >= 0)
		return proc;
	if (read_text(dt, buf, n) >= 0)
		return dt;
	return NULL;
}

const char *cmdline_read(void)
{
	static char buf[4096];
	const char *env = getenv("DVM_CMDLINE");

	if (env)
		return env;
	/* until found: before init has mounted /proc (or /sys), try again next time */
	if (!cmdline_src)
		cmdline_src = cmdline_load("/proc/cmdline", CMDLINE_DT, buf, sizeof(buf));
	return buf;
}

int cmdline_foreach(const char *s, int (*fn)(const char *, const char *, void *), void *ctx)
{
	char word[1024];

	while (*s) {
		size_t n = 0;
		int quoted = 0;
		char *eq;

		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		for (; *s && (quoted || (*s != ' ' && *s != '\t' && *s != '\n')); s++) {
			if (*s == '"') {
				quoted = !quoted;
				continue;
			}
			if (n < sizeof(word) - 1)
				word[n++] = *s;
		}
		word[n] = 0;
		eq = strchr(word, '=');
		if (eq)
			*eq = 0;
		int r = fn(word, eq ? eq + 1 : NULL, ctx);
		if (r)
			return r;
	}
	return 0;
}

struct get_ctx {
	const char *key;
	char *buf;
	size_t n;
	int found;
};

static int get_one(const char *key, const char *val, void *p)
{
	struct get_ctx *c = p;

	if (strcmp(key, c->key))
		return 0;
	if (c->n) {
		size_t l = val ? strlen(val) : 0;
		if (l >= c->n)
			l = c->n - 1;
		memcpy(c->buf, val ? val : "", l);
		c->buf[l] = 0;
	}
	c->found = val ? 1 : 2;
	return 0;
}

int cmdline_get(const char *cmdline, const char *key, char *buf, size_t n)
{
	struct get_ctx c = { key, buf, n, 0 };

	cmdline_foreach(cmdline, get_one, &c);
	return c.found;
}

int modname_eq(const char *a, const char *b, long n)
{
	for (long i = 0; n < 0 || i < n; i++, a++, b++) {
		char x = *a == '-' ? '_' : *a, y = *b == '-' ? '_' : *b;
		if (x != y)
			return 0;
		if (!x)
			return 1;
	}
	return 1;
}

struct mp_ctx {
	const char *mod;
	char *out;
	size_t n, len;
	int count, overflow;
};

static int mp_one(const char *key, const char *val, void *p)
{
	struct mp_ctx *c = p;
	const char *dot = strchr(key, '.');
	size_t ml = strlen(c->mod);

	if (!dot || (size_t)(dot - key) != ml || !modname_eq(key, c->mod, (long)ml) || !dot[1])
		return 0;
	int q = val && strchr(val, ' ');
	size_t need = (c->len ? 1 : 0) + strlen(dot + 1) + (val ? 1 + strlen(val) + 2 * q : 0);
	if (c->len + need + 1 > c->n) {
		c->overflow = 1;
		return 1;
	}
	char *o = c->out + c->len;
	if (c->len)
		*o++ = ' ';
	for (const char *k = dot + 1; *k; k++)
		*o++ = *k == '-' ? '_' : *k;
	if (val) {
		*o++ = '=';
		if (q)
			*o++ = '"';
		o = stpcpy(o, val);
		if (q)
			*o++ = '"';
	}
	*o = 0;
	c->len = (size_t)(o - c->out);
	c->count++;
	return 0;
}

int cmdline_module_params(const char *cmdline, const char *mod, char *out, size_t n)
{
	struct mp_ctx c = { mod, out, n, 0, 0, 0 };

	if (!n)
		return -1;
	/* append after what the caller already has in out */
	c.len = strnlen(out, n);
	if (c.len >= n)
		return -1;
	cmdline_foreach(cmdline, mp_one, &c);
	return c.overflow ? -1 : c.count;
}
