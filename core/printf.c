// SPDX-License-Identifier: BSD-2-Clause
/* dvm's printf family, built on the integer-only core/fmt.c. Because these definitions
 * sit in dvm's own objects, the static link never pulls musl's vfprintf (and its
 * floating-point code) out of libc.a. Output longer than 1 KiB per dprintf call is
 * truncated, which no applet needs. Not used by host unit tests (they link glibc's).
 * There is no FILE output: printf, fprintf, vprintf and vfprintf are defined only so
 * that using them fails the link (stdio would cost about 3 KiB); write to a file
 * descriptor with dprintf, or log with log_msg. */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>
#include "fmt.h"

int vsnprintf(char *restrict buf, size_t n, const char *restrict f, va_list ap)
{
	return fmt_vsnprintf(buf, n, f, ap);
}

int snprintf(char *restrict buf, size_t n, const char *restrict f, ...)
{
	va_list ap;
	va_start(ap, f);
	int r = fmt_vsnprintf(buf, n, f, ap);
	va_end(ap);
	return r;
}

int vsprintf(char *restrict buf, const char *restrict f, va_list ap)
{
	return fmt_vsnprintf(buf, (size_t)-1 >> 1, f, ap);
}

int sprintf(char *restrict buf, const char *restrict f, ...)
{
	va_list ap;
	va_start(ap, f);
	int r = vsprintf(buf, f, ap);
	va_end(ap);
	return r;
}

/* Never defined: a call to any function below fails the link with this name. */
extern int dvm_has_no_stdio__use_dprintf_or_log_msg(void);

int vfprintf(FILE *restrict fp, const char *restrict f, va_list ap)
{
	(void)fp, (void)f, (void)ap;
	return dvm_has_no_stdio__use_dprintf_or_log_msg();
}

int fprintf(FILE *restrict fp, const char *restrict f, ...)
{
	(void)fp, (void)f;
	return dvm_has_no_stdio__use_dprintf_or_log_msg();
}

int vprintf(const char *restrict f, va_list ap)
{
	(void)f, (void)ap;
	return dvm_has_no_stdio__use_dprintf_or_log_msg();
}

int printf(const char *restrict f, ...)
{
	(void)f;
	return dvm_has_no_stdio__use_dprintf_or_log_msg();
}

int vdprintf(int fd, const char *restrict f, va_list ap)
{
	char buf[1024];
	int r = fmt_vsnprintf(buf, sizeof(buf), f, ap);
	size_t l = r < (int)sizeof(buf) ? (size_t)r : sizeof(buf) - 1;
	return write(fd, buf, l) == (ssize_t)l ? r : -1;
}

int dprintf(int fd, const char *restrict f, ...)
{
	va_list ap;
	va_start(ap, f);
	int r = vdprintf(fd, f, ap);
	va_end(ap);
	return r;
}
