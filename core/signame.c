// SPDX-License-Identifier: BSD-2-Clause
/* Signal name table; see signame.h. Only the classic signals have names; real-time ones
 * are given by number. */
#include <signal.h>
#include <stdlib.h>
#include "signame.h"

static const struct {
	unsigned char num;
	char name[7];
} sigs[] = {
	{ SIGHUP, "HUP" }, { SIGINT, "INT" }, { SIGQUIT, "QUIT" }, { SIGILL, "ILL" },
	{ SIGTRAP, "TRAP" }, { SIGABRT, "ABRT" }, { SIGBUS, "BUS" }, { SIGFPE, "FPE" },
	{ SIGKILL, "KILL" }, { SIGUSR1, "USR1" }, { SIGSEGV, "SEGV" }, { SIGUSR2, "USR2" },
	{ SIGPIPE, "PIPE" }, { SIGALRM, "ALRM" }, { SIGTERM, "TERM" },
	{ SIGSTKFLT, "STKFLT" }, { SIGCHLD, "CHLD" }, { SIGCONT, "CONT" },
	{ SIGSTOP, "STOP" }, { SIGTSTP, "TSTP" }, { SIGTTIN, "TTIN" }, { SIGTTOU, "TTOU" },
	{ SIGURG, "URG" }, { SIGXCPU, "XCPU" }, { SIGXFSZ, "XFSZ" },
	{ SIGVTALRM, "VTALRM" }, { SIGPROF, "PROF" }, { SIGWINCH, "WINCH" },
	{ SIGIO, "IO" }, { SIGPWR, "PWR" }, { SIGSYS, "SYS" },
	/* aliases: only found by name, since the number's own entry comes first */
	{ SIGABRT, "IOT" }, { SIGIO, "POLL" }, { SIGCHLD, "CLD" },
};
#define NSIGS (sizeof(sigs) / sizeof(sigs[0]))

/* a (any case) equals the upper-case b; strcasecmp would pull in locale code */
static int same(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if ((*a >= 'a' && *a <= 'z' ? *a - 32 : *a) != *b)
			return 0;
		if (!*a)
			return 1;
	}
	return 1;
}

int sig_parse(const char *s)
{
	if (*s >= '0' && *s <= '9') {
		char *end;
		long n = strtol(s, &end, 10);
		return *end || n > 64 ? -1 : (int)n;
	}
	if (same(s, "SIG", 3))
		s += 3;
	for (unsigned i = 0; i < NSIGS; i++)
		if (same(s, sigs[i].name, sizeof(sigs[i].name)))
			return sigs[i].num;
	return -1;
}

const char *sig_name(int sig)
{
	for (unsigned i = 0; i < NSIGS; i++)
		if (sigs[i].num == sig)
			return sigs[i].name;
	return NULL;
}
