// SPDX-License-Identifier: BSD-2-Clause
/* Supervision: start services and tasks as children, reap every child (orphans too),
 * restart services with backoff, turn signals into shutdown requests. One event loop:
 * poll() on a signalfd (or its self-pipe stand-in, core/sigfd.c), with the nearest
 * restart time as the timeout. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>
#include "initctl.h"
#include "init.h"
#include "log.h"
#include "selfexe.h"
#include "sigfd.h"
#include "signame.h"

static int sfd = -1;
static int shut;

int sv_shutdown_requested(void)
{
	return shut;
}

void sv_request_shutdown(int how)
{
	if (!shut)
		shut = how;
}

void sv_setup(void)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGCHLD);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGINT);
	sigaddset(&s, INITCTL_POWEROFF);
	sigaddset(&s, INITCTL_REBOOT);
	/* Blocked signals (or handled ones, in the fallback) are queued even for PID 1,
	 * which the kernel otherwise spares from every signal it has no handler for. */
	sfd = sigfd_open(&s);
	if (sfd < 0) {
		err("signalfd or self-pipe: %m; cannot supervise anything");
		sv_request_shutdown(SHUT_POWEROFF);
	}
}

/* "exited with status 1" / "killed by signal 11 (SEGV)" */
static void describe(int st, char *buf, size_t n)
{
	if (WIFEXITED(st)) {
		snprintf(buf, n, "exited with status %d", WEXITSTATUS(st));
	} else {
		const char *s = sig_name(WTERMSIG(st));
		snprintf(buf, n, "killed by signal %d%s%s%s", WTERMSIG(st), s ? " (" : "",
			 s ? s : "", s ? ")" : "");
	}
}

static void ended(struct conf *c, struct entry *e, int st, int restarting)
{
	static const char *const policies[] = { "always", "on-failure", "never" };
	long long now = now_ms();
	char how[64];
	long d;

	describe(st, how, sizeof(how));
	if (!restarting || shut) {	/* stopped by the shutdown */
		info("%s%s %s", e->kind == E_TASK ? "task " : "", e->name, how);
		return;
	}
	if (e->kind == E_TASK) {
		if (WIFEXITED(st) && !WEXITSTATUS(st))
			info("task %s %s", e->name, how);
		else
			err("task %s failed: %s", e->name, how);
		return;
	}
	if (!restart_wanted(e->policy, st)) {
		warn("%s %s; not restarted (restart=%s)", e->name, how, policies[e->policy]);
		return;
	}
	d = restart_next(&e->rs, c, e->started, now);
	if (d < 0) {
		err("%s %s: that is %d failures within %ld s (restart-limit %d %ld); "
		    "powering off", e->name, how, c->limit_count, c->limit_window,
		    c->limit_count, c->limit_window);
		sv_request_shutdown(SHUT_POWEROFF);
		return;
	}
	warn("%s %s; restarting in %ld ms", e->name, how, d);
	e->restart_at = now + d;
}

int sv_reap(struct conf *c, int restarting)
{
	for (;;) {
		int st;
		pid_t pid = waitpid(-1, &st, WNOHANG);
		if (pid == 0)
			return 0;
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			return errno == ECHILD;
		}
		struct entry *e = NULL;
		for (int i = 0; i < c->n && !e; i++)
			if (c->e[i].pid == pid)
				e = &c->e[i];
		if (e) {
			e->pid = 0;
			ended(c, e, st, restarting);
		} else {
			dbg("reaped pid %d", pid);
		}
	}
}

static void signals(struct conf *c)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		int how = si.ssi_signo == INITCTL_REBOOT ? SHUT_REBOOT : SHUT_POWEROFF;
		/* no sender pid: the kernel (ctrl-alt-del), or a parent PID namespace */
		char from[32] = "the kernel";
		if (si.ssi_signo == SIGCHLD)
			continue;
		if (si.ssi_pid)
			snprintf(from, sizeof(from), "pid %u", si.ssi_pid);
		info("SIG%s from %s: %s", sig_name(si.ssi_signo), from, shut ?
		     "already shutting down" : how == SHUT_REBOOT ? "reboot" : "power off");
		sv_request_shutdown(how);
	}
	sv_reap(c, 1);
}

void sv_poll(struct conf *c, long long until)
{
	long long now = now_ms(), next = until;
	struct pollfd p = { .fd = sfd, .events = POLLIN };
	int timeout;

	for (int i = 0; i < c->n; i++)
		if (c->e[i].restart_at && (next < 0 || c->e[i].restart_at < next))
			next = c->e[i].restart_at;
	timeout = next < 0 ? -1 : next <= now ? 0 : next - now > INT_MAX ? INT_MAX :
		  (int)(next - now);
	if (poll(&p, 1, timeout) < 0 && errno != EINTR)
		err("poll: %m");
	signals(c);
	now = now_ms();
	for (int i = 0; i < c->n && !shut; i++) {
		struct entry *e = &c->e[i];
		if (e->restart_at && e->restart_at <= now) {
			e->restart_at = 0;
			sv_start(c, e);
		}
	}
}

/* The child side of vfork(): system calls, and the log on this stack frame only. */
static void __attribute__((noreturn)) child(const char *path, char **argv)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setsid();	/* own session and process group: shutdown signals the group */
	execv(path, argv);
	err("cannot run %s as %s: %m", path, argv[0]);
	_exit(127);
}

/* vfork: the child only execs, and fork() would cost 2 KiB of binary. A function of
 * its own, so no caller's variable lives across the vfork. */
static pid_t spawn(const char *path, char **argv)
{
	pid_t pid = vfork();

	if (pid == 0)
		child(path, argv);
	return pid;
}

int sv_start(struct conf *c, struct entry *e)
{
	char path[128], cmd[256];
	size_t len = 0;
	pid_t pid;

	/* Through the rootfs link /bin/APPLET when it is this very binary, so the kernel
	 * names the process (comm) after the applet; else through /proc/self/exe (or,
	 * without procfs, the path init was started as). */
	snprintf(path, sizeof(path), "/bin/%s", e->argv[0]);
	if (initctl_same_file(path, self_exe()) != 1)
		snprintf(path, sizeof(path), "%s", self_exe());
	pid = spawn(path, e->argv);
	e->started = now_ms();
	if (pid < 0) {
		/* EAGAIN: the thread limit, which a small kernel sizes from RAM */
		err("cannot start %s: %m%s", e->name, errno == EAGAIN ? " (the kernel's thread "
		    "limit, kernel.threads-max, which it sizes from RAM?)" : "");
		if (e->kind == E_SERVICE)
			e->restart_at = e->started + c->backoff_max;
		return -1;
	}
	e->pid = pid;
	for (int i = 0; i < e->argc && len < sizeof(cmd); i++)
		len += snprintf(cmd + len, sizeof(cmd) - len, "%s%s", i ? " " : "", e->argv[i]);
	info("started %s%s (pid %d): %s", e->kind == E_TASK ? "task " : "", e->name, pid, cmd);
	return 0;
}

void sv_run_task(struct conf *c, struct entry *e)
{
	if (sv_start(c, e))
		return;
	while (e->pid && !shut)
		sv_poll(c, -1);
}
