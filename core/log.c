// SPDX-License-Identifier: BSD-2-Clause
/* Logging sink selection and formatting; see log.h. One write() per message, so lines
 * from concurrent applets never interleave in the kernel log. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmdline.h"
#include "log.h"

int log_level = LOG_INFO;
static const char *log_name = "dvm";
static int kmsg_fd = -1;
static int use_stderr;
static void (*divert)(int, const char *, void *);
static void *divert_ctx;

void log_divert(void (*fn)(int, const char *, void *), void *ctx)
{
	divert = fn;
	divert_ctx = ctx;
}

int log_reopen(void)
{
	if (!use_stderr && kmsg_fd < 0)
		kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY);
	return kmsg_fd >= 0;
}

void log_open(const char *applet)
{
	char v[16];

	log_name = applet;
	if (isatty(2) && getpid() != 1 && getppid() != 1)
		use_stderr = 1;
	log_reopen();
	if (cmdline_get(cmdline_read(), "dvm.loglevel", v, sizeof(v)) == 1) {
		char *end;
		long l = strtol(v, &end, 10);
		if (*v && !*end && l >= 0 && l <= 7)
			log_level = (int)l;
	}
}

void log_verbose(void)
{
	if (log_level < LOG_DEBUG)
		log_level = LOG_DEBUG;
}

void log_to_stderr(void)
{
	use_stderr = 1;
	if (kmsg_fd >= 0)
		close(kmsg_fd);
	kmsg_fd = -1;
}

static void vlog(int level, const char *fmt, va_list ap)
{
	/* The kernel truncates /dev/kmsg records near 1 KiB anyway. */
	char buf[1024];
	int saved = errno, n, off;

	if (level > log_level)
		return;
	if (divert) {
		vsnprintf(buf, sizeof(buf), fmt, ap);
		divert(level, buf, divert_ctx);
		errno = saved;
		return;
	}
	off = kmsg_fd >= 0 ? snprintf(buf, sizeof(buf), "<%d>%s: ", level, log_name)
			   : snprintf(buf, sizeof(buf), "%s: ", log_name);
	n = vsnprintf(buf + off, sizeof(buf) - off - 1, fmt, ap);
	if (n < 0)
		n = 0;
	off += n;
	if (off > (int)sizeof(buf) - 2)
		off = sizeof(buf) - 2;
	buf[off++] = '\n';
	if (kmsg_fd < 0 || write(kmsg_fd, buf, off) < 0) {
		/* No kmsg (or it refused): stderr, without the <N> prefix. */
		const char *s = buf;
		if (kmsg_fd >= 0)
			s = strchr(buf, '>') + 1, off -= (int)(s - buf);
		if (write(2, s, off) < 0) {
			/* nowhere left to report it */
		}
	}
	errno = saved;
}

void log_msg(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(level, fmt, ap);
	va_end(ap);
}

void log_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap);
	va_end(ap);
}
