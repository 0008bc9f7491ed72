// SPDX-License-Identifier: BSD-2-Clause
/* Running one minram probe; see qprobe.h. The child (QEMU, or sh -c for a readiness
 * command) runs in its own process group, so a timeout or an interrupt kills it and
 * anything it started. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "qprobe.h"
#include "util.h"

static volatile pid_t child;	/* the running probe's process group, 0 if none */

void qprobe_kill(void)
{
	if (child > 0)
		kill(-child, SIGKILL);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

#define LOADER_ARG0 15	/* argv index of the first "-device loader" word */

static char *hex(uint64_t v)
{
	return xasprintf("0x%llx", (unsigned long long)v);
}

/* The QEMU command line: argv[] (malloc'd strings, NULL-terminated). */
static char **qemu_argv(const struct qprobe *q, const struct qfiles *f, const struct lay_out *l,
			uint64_t stub_addr)
{
	char **a = xmalloc(sizeof(char *) * (40 + QPROBE_MAX_ARGS));
	int n = 0;
	a[n++] = xstrdup(q->qemu);
	const char *fixed[] = { "-M", "virt", "-cpu", "cortex-a57", "-smp", "1", "-nographic",
				"-no-reboot", "-monitor", "none", "-serial", "stdio", "-m" };
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		a[n++] = xstrdup(fixed[i]);
	a[n++] = xasprintf("%uM", q->mem_mb);
	a[n++] = xstrdup("-device");
	a[n++] = xasprintf("loader,file=%s,addr=0x%llx,force-raw=on", f->kernel, (unsigned long long)l->kernel);
	a[n++] = xstrdup("-device");
	a[n++] = xasprintf("loader,file=%s,addr=0x%llx,force-raw=on", f->initrd, (unsigned long long)l->initrd);
	a[n++] = xstrdup("-device");
	a[n++] = xasprintf("loader,file=%s,addr=0x%llx,force-raw=on", f->dtb, (unsigned long long)l->dtb);
	a[n++] = xstrdup("-device");
	a[n++] = xasprintf("loader,file=%s,addr=0x%llx,force-raw=on", f->stub, (unsigned long long)stub_addr);
	a[n++] = xstrdup("-device");
	a[n++] = xasprintf("loader,addr=0x%llx,cpu-num=0", (unsigned long long)stub_addr);
	if (q->hvc) {
		/* -serial none frees stdio for the virtio console's chardev. One port:
		 * virtio-serial's default of 31 costs the guest about 8 MiB of buffers. */
		const char *con[] = { "-chardev", "stdio,id=dvmcon", "-device",
				      "virtio-serial-device,max_ports=1", "-device",
				      "virtconsole,chardev=dvmcon" };
		for (int i = 0; i < n; i++)
			if (!strcmp(a[i], "-serial")) {
				free(a[i + 1]);
				a[i + 1] = xstrdup("none");
			}
		for (size_t i = 0; i < sizeof(con) / sizeof(con[0]); i++)
			a[n++] = xstrdup(con[i]);
	}
	for (int i = 0; i < q->nextra; i++)
		a[n++] = xstrdup(q->extra[i]);
	a[n] = NULL;
	return a;
}

static void free_argv(char **a)
{
	for (char **p = a; *p; p++)
		free(*p);
	free(a);
}

/* The environment a readiness command gets (docs/layout.md). */
static void set_env(const struct qprobe *q, const struct qfiles *f, const struct lay_out *l,
		    uint64_t stub_addr, char **qargv)
{
	char *v;
	setenv("DVM_KERNEL", f->kernel, 1);
	setenv("DVM_INITRD", f->initrd, 1);
	setenv("DVM_DTB", f->dtb, 1);
	setenv("DVM_STUB", f->stub, 1);
	setenv("DVM_HEADER", f->header, 1);
	setenv("DVM_RAM_BASE", v = hex(l->ram_base), 1), free(v);
	setenv("DVM_RAM_SIZE", v = hex(l->ram_size), 1), free(v);
	setenv("DVM_RAM_MB", v = xasprintf("%llu", (unsigned long long)(l->ram_size >> 20)), 1), free(v);
	setenv("DVM_RAM_KB", v = xasprintf("%llu", (unsigned long long)(l->ram_size >> 10)), 1), free(v);
	setenv("DVM_KERNEL_ADDR", v = hex(l->kernel), 1), free(v);
	setenv("DVM_INITRD_ADDR", v = hex(l->initrd), 1), free(v);
	setenv("DVM_DTB_ADDR", v = hex(l->dtb), 1), free(v);
	setenv("DVM_STUB_ADDR", v = hex(stub_addr), 1), free(v);
	setenv("DVM_QEMU_MEM_MB", v = xasprintf("%u", q->mem_mb), 1), free(v);
	setenv("DVM_CONSOLE", q->hvc ? "hvc0" : "ttyAMA0", 1);
	setenv("DVM_CONSOLE_ARGS", q->hvc ? "-serial none -chardev stdio,id=dvmcon -device "
	       "virtio-serial-device,max_ports=1 -device virtconsole,chardev=dvmcon" :
	       "-serial stdio", 1);
	/* the loader arguments (argv[LOADER_ARG0..+10)), ready to splice into a QEMU
	 * command line */
	size_t len = 1;
	for (int i = LOADER_ARG0; i < LOADER_ARG0 + 10; i++)
		len += strlen(qargv[i]) + 1;
	v = xmalloc(len);
	v[0] = 0;
	for (int i = LOADER_ARG0; i < LOADER_ARG0 + 10; i++)
		strcat(strcat(v, qargv[i]), i + 1 < LOADER_ARG0 + 10 ? " " : "");
	setenv("DVM_LOADER_ARGS", v, 1);
	free(v);
}

#define PROBE_EOF (-1)	/* watch(): QEMU closed the console */

/* Read the console until ready, failure, exit or the deadline; *got counts the bytes
 * the guest printed. */
static int watch(const struct qprobe *q, int fd, int logfd, double deadline, char *why, size_t wl,
		 uint64_t *got)
{
	char buf[8192];
	size_t have = 0;

	for (;;) {
		double left = deadline - now();
		if (left <= 0) {
			if (*got)
				snprintf(why, wl, "no readiness within %u s", q->timeout_s);
			else
				snprintf(why, wl, "the guest printed nothing within %u s (no "
					 "console? it is on %s)", q->timeout_s,
					 q->hvc ? "hvc0" : "ttyAMA0");
			return PROBE_TIMEOUT;
		}
		struct pollfd p = { fd, POLLIN, 0 };
		int r = poll(&p, 1, (int)(left * 1000) + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue;
		ssize_t n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return PROBE_EOF;
		*got += (uint64_t)n;
		if (write(logfd, buf + have, (size_t)n) < 0) {
			/* the log is best effort */
		}
		have += (size_t)n;
		buf[have] = 0;
		char *line = buf, *nl;
		while ((nl = strchr(line, '\n')) || have == sizeof(buf) - 1) {
			if (nl)
				*nl = 0;
			char *cr = strchr(line, '\r');
			if (cr)
				*cr = 0;
			if (!regexec(q->ready, line, 0, NULL, 0)) {
				snprintf(why, wl, "%s", line);
				return PROBE_READY;
			}
			if (q->fail && !regexec(q->fail, line, 0, NULL, 0)) {
				snprintf(why, wl, "%s", line);
				return PROBE_FAILED;
			}
			if (!nl) {	/* an over-long line: drop it */
				line = buf + have;
				break;
			}
			line = nl + 1;
		}
		have -= (size_t)(line - buf);
		memmove(buf, line, have);
	}
}

/* The last non-empty line of a file (QEMU's last complaint, in the log). */
static void last_line(const char *path, char *out, size_t n)
{
	char buf[512];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	off_t end = fd >= 0 ? lseek(fd, 0, SEEK_END) : -1;
	ssize_t r = end < 0 ? -1 : pread(fd, buf, sizeof(buf) - 1, end > 511 ? end - 511 : 0);

	out[0] = 0;
	if (fd >= 0)
		close(fd);
	if (r <= 0)
		return;
	buf[r] = 0;
	while (r > 0 && (buf[r - 1] == '\n' || buf[r - 1] == '\r'))
		buf[--r] = 0;
	char *l = strrchr(buf, '\n');
	l = l ? l + 1 : buf;
	size_t len = strlen(l) < n - 1 ? strlen(l) : n - 1;
	memcpy(out, l, len);
	out[len] = 0;
}

int qprobe_run(const struct qprobe *q, const struct qfiles *f, const struct lay_out *l,
	       uint64_t stub_addr, char *why, size_t wl, double *seconds)
{
	char **argv = qemu_argv(q, f, l, stub_addr);
	int p[2] = { -1, -1 }, e[2] = { -1, -1 }, st, res = PROBE_ERROR, err = 0;
	uint64_t got = 0;
	int logfd = open(f->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	double t0 = now(), deadline = t0 + q->timeout_s;
	pid_t pid;

	why[0] = 0;
	if (logfd < 0) {
		snprintf(why, wl, "cannot create %s: %s", f->log, strerror(errno));
		goto out;
	}
	/* e: the child reports a failed exec through it (closed by a successful one) */
	if ((!q->ready_cmd && pipe2(p, O_CLOEXEC)) || pipe2(e, O_CLOEXEC)) {
		snprintf(why, wl, "pipe: %s", strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(why, wl, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		setpgid(0, 0);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		int nul = open("/dev/null", O_RDONLY);
		dup2(nul, 0);
		if (q->ready_cmd) {
			dup2(logfd, 1);
			dup2(logfd, 2);
			set_env(q, f, l, stub_addr, argv);
			execl("/bin/sh", "sh", "-c", q->ready_cmd, (char *)NULL);
		} else {
			/* the console alone goes to the pipe: QEMU's own messages (and
			 * ours) must never be taken for the guest's */
			dup2(p[1], 1);
			dup2(logfd, 2);
			execvp(argv[0], argv);
		}
		err = errno;
		if (write(e[1], &err, sizeof(err)) < 0) {
			/* the parent then sees the child exit 127 */
		}
		_exit(127);
	}
	setpgid(pid, pid);	/* also here: no race with the kill below */
	child = pid;
	close(e[1]);
	e[1] = -1;
	if (read(e[0], &err, sizeof(err)) == sizeof(err)) {
		snprintf(why, wl, "cannot run %s: %s", q->ready_cmd ? "/bin/sh" : argv[0],
			 strerror(err));
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		child = 0;
		goto out;
	}
	if (q->ready_cmd) {
		/* wait for the command, polling against the deadline */
		for (;;) {
			pid_t w = waitpid(pid, &st, WNOHANG);
			if (w == pid)
				break;
			if (now() >= deadline) {
				snprintf(why, wl, "the readiness command did not finish within %u s",
					 q->timeout_s);
				res = PROBE_TIMEOUT;
				break;
			}
			struct timespec ts = { 0, 20 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
		if (res != PROBE_TIMEOUT) {
			res = WIFEXITED(st) && !WEXITSTATUS(st) ? PROBE_READY : PROBE_FAILED;
			if (res == PROBE_FAILED)
				snprintf(why, wl, "the readiness command %s %d",
					 WIFEXITED(st) ? "exited with status" : "was killed by signal",
					 WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
			else
				snprintf(why, wl, "the readiness command exited with status 0");
		}
	} else {
		close(p[1]);
		p[1] = -1;
		res = watch(q, p[0], logfd, deadline, why, wl, &got);
		if (res == PROBE_EOF) {
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			char last[200];
			last_line(f->log, last, sizeof(last));
			const char *how = WIFEXITED(st) ? "exited with status" : "was killed by signal";
			int code = WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st);
			if (got) {
				res = PROBE_FAILED;
				snprintf(why, wl, "QEMU %s %d before the guest was ready", how, code);
			} else {
				res = PROBE_ERROR;
				snprintf(why, wl, "QEMU %s %d before the guest printed anything%s%s",
					 how, code, last[0] ? ": " : "", last);
			}
		}
	}
	/* whatever happened: nothing of the probe survives it */
	kill(-pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	child = 0;
out:
	*seconds = now() - t0;
	for (int i = 0; i < 2; i++)
		if (e[i] >= 0)
			close(e[i]);
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	if (logfd >= 0)
		close(logfd);
	free_argv(argv);
	return res;
}
