// SPDX-License-Identifier: BSD-2-Clause
/* vmm-sim common helpers; see util.h. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "util.h"

int verbose;
const char *prog = "vmm-sim";
const char *check_prefix = "";
int fails;
int quiet_pass;
static const char *cur_check = "setup";

static void vmsg(const char *pre, const char *fmt, va_list ap)
{
	char buf[2048];
	int n = snprintf(buf, sizeof(buf), "%s: %s", prog, pre);

	if (n < 0 || n >= (int)sizeof(buf))
		n = 0;
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	fprintf(stderr, "%s\n", buf);
}

void msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void trace(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

static void result(const char *word, const char *name, const char *fmt, va_list ap)
{
	char buf[2048];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	/* stdout, unbuffered order with stderr messages: flush every line */
	if (buf[0])
		printf("%s: %s%s%s: %s\n", word, check_prefix, *check_prefix ? " " : "", name, buf);
	else
		printf("%s: %s%s%s\n", word, check_prefix, *check_prefix ? " " : "", name);
	fflush(stdout);
}

void pass(const char *name, const char *fmt, ...)
{
	va_list ap;

	if (quiet_pass)
		return;
	va_start(ap, fmt);
	result("PASS", name, fmt, ap);
	va_end(ap);
}

void fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	fails++;
	va_start(ap, fmt);
	result("FAIL", name, fmt, ap);
	va_end(ap);
}

void check_begin(const char *name)
{
	cur_check = name;
}

_Noreturn void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	va_start(ap, fmt);
	result("FAIL", cur_check, fmt, ap);
	va_end(ap);
	failure_report();
	cleanup_run();
	exit(2);
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void sleep_us(unsigned us)
{
	struct timespec ts = { us / 1000000, (long)(us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

void *xzalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		die("out of memory (%zu bytes)", n);
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		die("out of memory");
	return p;
}

uint64_t parse_uint(const char *opt, const char *s, uint64_t max)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (!*s || *end || errno || *s == '-' || v > max)
		die("%s: '%s' is not a number in 0..%llu", opt, s, (unsigned long long)max);
	return v;
}

uint64_t parse_size(const char *opt, const char *s)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (end == s || errno || *s == '-')
		goto bad;
	switch (*end) {
	case 'K': case 'k': shift = 10; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'G': case 'g': shift = 30; end++; break;
	}
	if (*end || v > (~0ull >> shift))
		goto bad;
	return v << shift;
bad:
	die("%s: '%s' is not a size (a number with an optional K, M or G suffix)", opt, s);
}

/* --ram: MiB as a plain number (--ram 128), or a size (--ram 8704K); in KiB, a multiple
 * of 64 KiB from 1 MiB to 4 GiB. */
unsigned parse_ram_kb(const char *opt, const char *s)
{
	uint64_t b = strpbrk(s, "KkMmGg") ? parse_size(opt, s) : parse_uint(opt, s, 4096) << 20;

	if (b < (1u << 20) || b > (4ull << 30) || b % (64 << 10))
		die("%s: '%s' is not a RAM size: 1 MiB to 4 GiB, a multiple of 64 KiB", opt, s);
	return (unsigned)(b >> 10);
}

/* ---- deadline ------------------------------------------------------------------------ */

static uint64_t deadline;

static void on_alarm(int sig);

void deadline_set(unsigned seconds)
{
	deadline = now_ns() + (uint64_t)seconds * 1000000000u;
	signal(SIGALRM, on_alarm);
	alarm(seconds + 5);
}

uint64_t deadline_left_ns(void)
{
	uint64_t t = now_ns();

	if (!deadline)
		return ~0ull;
	return t >= deadline ? 0 : deadline - t;
}

/* ---- clean-up ------------------------------------------------------------------------ */

#define MAX_CLEAN 32
static char *files[MAX_CLEAN], *dirs[MAX_CLEAN];
static pid_t pids[MAX_CLEAN];
static int nfiles, ndirs, npids;
static void (*on_failure)(int fd);
static volatile sig_atomic_t cleaning, reported;

void cleanup_file(const char *path)
{
	if (nfiles == MAX_CLEAN)
		die("too many temporary files");
	files[nfiles++] = xstrdup(path);
}

void cleanup_dir(const char *path)
{
	if (ndirs == MAX_CLEAN)
		die("too many temporary directories");
	dirs[ndirs++] = xstrdup(path);
}

void cleanup_forget_file(const char *path)
{
	for (int i = 0; i < nfiles; i++)
		if (!strcmp(files[i], path))
			files[i][0] = 0;
}

void cleanup_pid(pid_t pid)
{
	if (npids == MAX_CLEAN)
		die("too many child processes");
	pids[npids++] = pid;
}

void cleanup_forget_pid(pid_t pid)
{
	for (int i = 0; i < npids; i++)
		if (pids[i] == pid)
			pids[i] = 0;
}

void cleanup_on_failure(void (*fn)(int fd))
{
	on_failure = fn;
}

/* Async-signal-safe: kill, waitpid, unlink and rmdir only. */
void cleanup_run(void)
{
	if (cleaning)
		return;
	cleaning = 1;
	for (int i = 0; i < npids; i++)
		if (pids[i] > 0) {
			kill(pids[i], SIGKILL);
			waitpid(pids[i], 0, 0);
			pids[i] = 0;
		}
	cleanup_run_files();
}

void cleanup_run_files(void)
{
	for (int i = 0; i < nfiles; i++)
		if (files[i][0]) {
			unlink(files[i]);
			files[i][0] = 0;
		}
	for (int i = ndirs - 1; i >= 0; i--)
		if (dirs[i][0]) {
			rmdir(dirs[i]);
			dirs[i][0] = 0;
		}
}

void failure_report(void)
{
	if (reported || !on_failure)
		return;
	reported = 1;
	on_failure(2);
}

static void put(const char *s)
{
	ssize_t r = write(1, s, strlen(s));
	(void)r;
}

static void on_alarm(int sig)
{
	(void)sig;
	put("FAIL: ");
	put(check_prefix);
	put(*check_prefix ? " " : "");
	put(cur_check);
	put(": timeout (run deadline passed while waiting)\n");
	failure_report();
	cleanup_run();
	_exit(124);
}

volatile int soft_interrupt, stop_requested;

static void on_signal(int sig)
{
	if (sig == SIGINT && soft_interrupt) {
		stop_requested = 1;
		return;
	}
	put("FAIL: ");
	put(check_prefix);
	put(*check_prefix ? " " : "");
	put(cur_check);
	put(sig == SIGINT ? ": interrupted (SIGINT)\n" : ": terminated by a signal\n");
	cleanup_run();
	_exit(128 + sig);
}

static void at_exit(void)
{
	cleanup_run();
}

void cleanup_init(void)
{
	atexit(at_exit);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGPIPE, SIG_IGN);
}

/* ---- argv ---------------------------------------------------------------------------- */

void argv_add(struct argv *a, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	if (a->n + 2 > a->cap) {
		a->cap = a->cap ? a->cap * 2 : 32;
		a->v = realloc(a->v, a->cap * sizeof(*a->v));
		if (!a->v)
			die("out of memory");
	}
	a->v[a->n++] = s;
	a->v[a->n] = 0;
}

void argv_free(struct argv *a)
{
	for (int i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	a->v = 0;
	a->n = a->cap = 0;
}

const char *need(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc)
		die("%s needs a value", argv[*i]);
	return argv[++*i];
}

int phase_is(const char *p, const char *name)
{
	size_t l = strlen(name);

	return !strncmp(p, name, l) && (p[l] == 0 || p[l] == ':');
}

unsigned phase_arg(const char *p, int n, unsigned dflt)
{
	const char *c = p;

	for (int i = 0; i < n; i++) {
		c = strchr(c, ':');
		if (!c)
			return dflt;
		c++;
	}
	return (unsigned)strtoul(c, 0, 10);
}
