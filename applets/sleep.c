// SPDX-License-Identifier: BSD-2-Clause
/* The sleep applet: sleep SECONDS, with a decimal fraction (0.5) or "inf" for ever.
 * Parsed without floating point, which would pull strtod into the binary. */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "applet.h"
#include "log.h"
#include "opt.h"

const char sleep_usage[] =
	"Usage: sleep SECONDS\n"
	"\n"
	"Sleep for SECONDS: digits with an optional decimal fraction (1, 0.5, .25), or\n"
	"inf / infinity to sleep until killed.\n"
	"\n"
	"Exit status: 0 slept, 2 bad usage.\n";

/* "1.5" -> {1, 500000000}; "inf" -> tv_sec -1. Returns 0, or -1 when s is not a
 * duration. Digits past nanoseconds are ignored. */
int sleep_parse(const char *s, struct timespec *ts)
{
	long long sec = 0;
	long ns = 0, scale = 100000000;
	int digits = 0;

	if (!strcmp(s, "inf") || !strcmp(s, "infinity")) {
		ts->tv_sec = -1;
		ts->tv_nsec = 0;
		return 0;
	}
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (sec > (0x7fffffffffffffffLL - 9) / 10)
			return -1;
		sec = sec * 10 + (*s - '0');
	}
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, digits++, scale /= 10)
			ns += (*s - '0') * scale;
	if (*s || !digits)
		return -1;
	ts->tv_sec = (time_t)sec;
	ts->tv_nsec = ns;
	return 0;
}

int sleep_check(int argc, char **argv)
{
	struct timespec ts;

	if (argc != 2) {
		err("expected one argument, SECONDS (see sleep --help)");
		return OPT_USAGE;
	}
	if (sleep_parse(argv[1], &ts)) {
		err("'%s' is not a number of seconds (expected e.g. 2, 0.5 or inf)", argv[1]);
		return OPT_USAGE;
	}
	return 0;
}

int sleep_main(int argc, char **argv)
{
	struct timespec ts;

	log_to_stderr();
	if (sleep_check(argc, argv))
		return OPT_USAGE;
	sleep_parse(argv[1], &ts);
	if (ts.tv_sec < 0)
		for (;;)
			pause();
	/* nanosleep leaves what is left in ts when a signal interrupts it */
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	return 0;
}
