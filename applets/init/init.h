/* SPDX-License-Identifier: BSD-2-Clause */
/* init's internal interfaces: the configuration (conf.c), restart arithmetic
 * (restart.c), system set-up and the module/mount directives (system.c), supervision of
 * services and tasks (supervise.c), shutdown (shutdown.c). The config format is in
 * docs/init.md. */
#ifndef DVM_INIT_H
#define DVM_INIT_H
#include <stddef.h>
#include <sys/types.h>

#define CONF_PATH "/etc/dvm.conf"
#define CONF_MAX_SIZE 65536	/* a driver VM's config is a few hundred bytes */
#define CONF_MAX_WORDS 64	/* per line, and in a dvm.args.NAME value */
#define MODULES_DIR "/lib/modules"

/* Restart defaults, and the run time after which a service counts as having started
 * fine, so its next failure backs off from the minimum again. */
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 10000
#define LIMIT_COUNT 5
#define LIMIT_WINDOW_S 60
#define LIMIT_COUNT_MAX 64
#define STABLE_MS 10000

/* wait: the default timeout, the largest, and the backoff between two looks (wait.c). */
#define WAIT_DEFAULT_MS 10000
#define WAIT_MAX_S 3600
#define WAIT_POLL_MIN_MS 10
#define WAIT_POLL_MAX_MS 250

enum { E_MODULE, E_MOUNT, E_SERVICE, E_TASK, E_WAIT };
enum { R_ALWAYS, R_ON_FAILURE, R_NEVER };

/* A service's recent failures (a ring of end times, ms) and its current backoff. */
struct restart {
	long long fails[LIMIT_COUNT_MAX];
	int n, head;
	long delay;	/* the last delay used, 0 before the first restart */
};

/* One module, mount, service or task line, in file order. */
struct entry {
	unsigned char kind, policy, skip;
	int line;
	char *name;	/* service or task NAME; a module's name (module_name()) */
	/* module: NAME|/PATH PARAM...; mount: TYPE SOURCE DIR [OPTIONS];
	 * service and task: APPLET ARGS... (NULL-terminated, argv for the child);
	 * wait: PATH... */
	char **argv;
	int argc;
	char *args;	/* words of a dvm.args.NAME override (argv points into it) */
	long timeout_ms;	/* wait */
	/* supervision (supervise.c) */
	pid_t pid;		/* running child, or 0 */
	long long started;	/* ms, monotonic */
	long long restart_at;	/* ms, monotonic; 0: no restart pending */
	struct restart rs;
};

struct conf {
	const char *file;
	int loglevel;			/* -1: not set */
	long backoff_min, backoff_max;	/* ms */
	int limit_count;
	long limit_window;		/* s */
	int loglevel_line, backoff_line, limit_line;
	struct entry *e;
	int n;
	char *text;	/* the file read by conf_load (words point into it) */
	/* Every message goes here; level is LOG_ERR or LOG_WARNING (log.h). */
	void (*report)(int level, const char *msg, void *ctx);
	void *ctx;
	int errors;
};

/* conf.c */
void conf_init(struct conf *c, void (*report)(int, const char *, void *), void *ctx);
/* Parse text (len bytes plus room for a NUL at text[len]; modified in place and kept,
 * since words point into it) as file. Returns the number of errors reported. */
int conf_parse(struct conf *c, const char *file, char *text, size_t len);
/* Read and parse file. Returns the number of errors (a read error is one). */
int conf_load(struct conf *c, const char *file);
/* Apply the dvm.skip, dvm.restart_limit and dvm.args.NAME words of a kernel command
 * line. Returns the number of errors reported. */
int conf_apply_cmdline(struct conf *c, const char *cmdline);
/* Check the arguments of every service and task (not skipped) with its applet's own
 * check, each message reported as FILE:LINE: service NAME: APPLET: ... Returns the
 * number of errors reported. */
int conf_check_args(struct conf *c);
/* Write the configuration to fd as config lines (skipped entries commented out). */
void conf_print(const struct conf *c, int fd);
/* Free what parsing and overrides allocated (init itself never does). */
void conf_free(struct conf *c);

/* restart.c (pure: times are arguments) */
/* Whether a service with this policy ends with waitpid status st is to be restarted. */
int restart_wanted(int policy, int st);
/* Record that a service started at `started` ended at `now` (ms). Returns the delay in
 * ms before starting it again, or -1 when this is the limit_count-th end within
 * limit_window seconds. */
long restart_next(struct restart *r, const struct conf *c, long long started,
		  long long now);

/* wait.c: wait until every one of paths[0..n-1] exists, looking with stat() at
 * growing intervals (WAIT_POLL_MIN_MS doubling up to WAIT_POLL_MAX_MS) and sleeping in
 * between through nap(until, ctx) (init: sv_poll, so services stay supervised), which
 * returns non-zero to give up (a shutdown request). now() is the clock (ms). Returns 0
 * once all exist, -1 at timeout_ms with *missing the first path still missing, -2 when
 * nap gave up. */
int wait_paths(char *const *paths, int n, long timeout_ms, long long (*now)(void),
	       int (*nap)(long long until, void *ctx), void *ctx, const char **missing);

/* system.c */
void system_setup(void);
void load_module(const struct entry *e, const char *cmdline);
void do_mount(const struct entry *e);
void uio_report(void);
long long now_ms(void);

/* supervise.c */
enum { SHUT_NONE, SHUT_POWEROFF, SHUT_REBOOT };
void sv_setup(void);
/* Wait for events up to `until` (ms, monotonic; -1: until one arrives, 0: poll only),
 * then handle them: reap children, act on signals, start services whose restart delay
 * is over. */
void sv_poll(struct conf *c, long long until);
int sv_shutdown_requested(void);
void sv_request_shutdown(int how);
/* Start a service; 0 or -1. */
int sv_start(struct conf *c, struct entry *e);
/* Run a task to completion (services keep being supervised meanwhile). */
void sv_run_task(struct conf *c, struct entry *e);
/* Reap every child that has ended; 1 when init has no children left. */
int sv_reap(struct conf *c, int restarting);

/* shutdown.c: stop everything, sync, power off or reboot; never returns. */
void init_shutdown(struct conf *c, int how) __attribute__((noreturn));

#endif
