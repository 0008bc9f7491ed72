/* SPDX-License-Identifier: BSD-2-Clause */
/* vmm-sim common helpers: messages and PASS/FAIL lines, time, the run deadline, and the
 * clean-up registry that removes files and kills QEMU on every way out (normal exit,
 * failure, timeout, SIGINT/SIGTERM/SIGHUP). Shared by the block and network simulators. */
#ifndef VMM_UTIL_H
#define VMM_UTIL_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

extern int verbose;         /* -v: trace what the simulated VMM does */
extern const char *prog;    /* "vmm-sim" */

/* "vmm-sim: MESSAGE" on stderr. die() runs the clean-up and exits 2 after a FAIL line
 * naming the current check (see check_begin), so tests/run counts it. */
void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Test result lines for tests/run: "PASS: PREFIX NAME" / "FAIL: PREFIX NAME: why".
 * The prefix (--name) tells boots apart. fails counts the FAIL lines printed. */
extern const char *check_prefix;
extern int fails;
extern int quiet_pass;      /* PASS lines not printed (long soaks); FAIL lines always are */
void pass(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fail(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The check in progress, named in die()'s FAIL line. */
void check_begin(const char *name);

uint64_t now_ns(void);
void sleep_us(unsigned us);
void *xzalloc(size_t n);
char *xstrdup(const char *s);
/* Parse a size with an optional K/M/G suffix (binary); dies naming opt on bad input. */
uint64_t parse_size(const char *opt, const char *s);
unsigned parse_ram_kb(const char *opt, const char *s);
uint64_t parse_uint(const char *opt, const char *s, uint64_t max);
/* The value of option argv[*i] (advancing *i); dies when it is the last word. */
const char *need(int argc, char **argv, int *i);
/* Phases are "name" or "name:a:b": is p phase `name`, and its field n (1-based, numeric;
 * dflt when absent). */
int phase_is(const char *p, const char *name);
unsigned phase_arg(const char *p, int n, unsigned dflt);

/* The run's deadline (--timeout): every wait checks it. deadline_left_ns() is 0 once
 * it has passed. A SIGALRM a few seconds later is the backstop for a wait that hangs. */
void deadline_set(unsigned seconds);
uint64_t deadline_left_ns(void);

/* Clean-up registry: files (unlinked), directories (removed after their files) and
 * processes (SIGKILLed, then reaped) registered here go away at exit or on a fatal
 * signal. Registering is not async-signal-safe; running the clean-up is. */
void cleanup_init(void);
void cleanup_file(const char *path);
void cleanup_dir(const char *path);
void cleanup_forget_file(const char *path); /* keep it after all */
void cleanup_pid(pid_t pid);
void cleanup_forget_pid(pid_t pid);     /* the process was reaped elsewhere */
/* A hook run first on a failure or timeout (the console log), given a file descriptor to
 * write to; it must be async-signal-safe. */
void cleanup_on_failure(void (*fn)(int fd));
void cleanup_run(void);
/* Remove the registered files and directories now (processes stay). */
void cleanup_run_files(void);

/* While soft_interrupt is set, SIGINT only sets stop_requested (open-ended phases end
 * cleanly on ctrl-C); otherwise it fails the run. */
extern volatile int soft_interrupt, stop_requested;

/* Every message of a failure path goes through here so the hook runs once. */
void failure_report(void);

/* A growable argv for exec. */
struct argv {
	char **v;
	int n, cap;
};
void argv_add(struct argv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void argv_free(struct argv *a);

#endif
