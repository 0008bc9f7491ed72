// SPDX-License-Identifier: BSD-2-Clause
/* dvm-pack helpers; see util.h. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util.h"

char perr_last[1024];
int perr_quiet;

/* Format into buf (the last message, for tests) and print it unless quiet. */
static void report(char *buf, size_t n, const char *fmt, va_list ap)
{
	vsnprintf(buf, n, fmt, ap);
	if (!perr_quiet)
		fprintf(stderr, "dvm-pack: %s\n", buf);
}

void perr(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(perr_last, sizeof(perr_last), fmt, ap);
	va_end(ap);
}

char pnote_last[1024];

void pnote(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(pnote_last, sizeof(pnote_last), fmt, ap);
	va_end(ap);
}

static void *oom(void)
{
	fputs("dvm-pack: out of memory\n", stderr);
	exit(1);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	return p ? p : oom();
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	return p ? p : oom();
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? oom() : s;
}

static char in_err[80];

const char *input_error(void)
{
	return in_err;
}

static const char *not_regular(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ?
		"a character device" : S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ?
		"a socket" : "of an unknown type";
}

int open_input(const char *path)
{
	struct stat st;
	/* O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting;
	 * it is refused below anyway, and the flag is cleared for regular files. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	if (fd < 0 || fstat(fd, &st)) {
		snprintf(in_err, sizeof(in_err), "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(in_err, sizeof(in_err), "%s, not a regular file", not_regular(st.st_mode));
		close(fd);
		errno = EINVAL;
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

const char *opt_named(int argc, char **argv, const struct option *opts, char buf[64])
{
	const char *a = optind >= 1 && optind - 1 < argc ? argv[optind - 1] : NULL;
	if (a && a[0] == '-' && a[1] == '-') {
		snprintf(buf, 64, "%.*s", (int)strcspn(a, "="), a);
		return buf;
	}
	if (optopt > ' ' && optopt < 0x7f) {
		snprintf(buf, 64, "-%c", optopt);
		return buf;
	}
	for (const struct option *o = opts; o && o->name; o++)
		if (o->val == optopt) {
			snprintf(buf, 64, "--%s", o->name);
			return buf;
		}
	snprintf(buf, 64, "%s", a ? a : "?");
	return buf;
}

char *read_file(const char *path, size_t max, size_t *len)
{
	int fd = strcmp(path, "-") ? open_input(path) : 0;
	size_t cap = 4096, n = 0;
	char *buf;

	if (fd < 0)
		return NULL;
	buf = xmalloc(cap + 1);
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				free(buf);
				if (fd)
					close(fd);
				snprintf(in_err, sizeof(in_err), "larger than %zu bytes", max);
				errno = EFBIG;
				return NULL;
			}
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(buf);
			if (fd)
				close(fd);
			snprintf(in_err, sizeof(in_err), "%s", strerror(e));
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (fd)
		close(fd);
	if (n > max) {
		free(buf);
		snprintf(in_err, sizeof(in_err), "larger than %zu bytes", max);
		errno = EFBIG;
		return NULL;
	}
	buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}

int parse_uint(const char *s, int base, unsigned long long max, unsigned long long *v)
{
	unsigned long long x = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		unsigned d = (unsigned)(*s - '0');
		if (d >= (unsigned)base)
			return -1;
		if (x > (max - d) / (unsigned)base)
			return -1;
		x = x * (unsigned)base + d;
	}
	*v = x;
	return 0;
}
