// SPDX-License-Identifier: BSD-2-Clause
/* The killall applet: signal processes by name, found by walking /proc. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "applet.h"
#include "log.h"
#include "opt.h"
#include "signame.h"

const char killall_usage[] =
	"Usage: killall [-SIGNAL | -s SIGNAL] NAME...\n"
	"\n"
	"Send SIGNAL (default TERM) to every process called NAME: by its command name\n"
	"(/proc/PID/comm, which the kernel cuts to 15 characters) or the last part of its\n"
	"argv[0]. A NAME containing '/' selects the processes running that file instead.\n"
	"Never signals itself or PID 1. SIGNAL is a name (TERM, SIGKILL, hup) or a number\n"
	"(9; 0 only checks that a process exists).\n"
	"\n"
	"Exit status: 0 every NAME matched and was signalled, 1 a NAME matched no process\n"
	"or a signal could not be sent, 2 bad usage.\n";

/* Read a small /proc file into buf (NUL-terminated); its length, or -1. */
static ssize_t slurp(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = read(fd, buf, n - 1);
	close(fd);
	buf[r > 0 ? r : 0] = 0;
	return r;
}

static int match(const char *name, const struct stat *file, long pid,
		 const char *comm, const char *arg0)
{
	if (file) {
		char path[64];
		struct stat st;
		snprintf(path, sizeof(path), "/proc/%ld/exe", pid);
		return !stat(path, &st) && st.st_dev == file->st_dev &&
		       st.st_ino == file->st_ino;
	}
	const char *b = strrchr(arg0, '/');
	b = b ? b + 1 : arg0;
	/* comm holds at most 15 characters of a longer name */
	return !strcmp(comm, name) || !strcmp(b, name) ||
	       (strlen(comm) == 15 && !strncmp(comm, name, 15));
}

/* The options: the index of the first NAME, with the signal in *sig; -1 after logging
 * a usage error. */
static int parse(int argc, char **argv, int *sig)
{
	int i = 1;

	*sig = SIGTERM;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i] + 1;
		if (!strcmp(a, "-")) {
			i++;
			break;
		}
		if (!strcmp(a, "s")) {
			if (++i == argc) {
				err("-s needs a SIGNAL");
				return -1;
			}
			a = argv[i];
		}
		*sig = sig_parse(a);
		if (*sig < 0) {
			err("unknown signal '%s' (a name such as TERM, KILL, HUP, INT, USR1, or a "
			    "number)", a);
			return -1;
		}
	}
	if (i == argc) {
		err("expected NAME... (see killall --help)");
		return -1;
	}
	return i;
}

int killall_check(int argc, char **argv)
{
	int sig;

	return parse(argc, argv, &sig) < 0 ? OPT_USAGE : 0;
}

int killall_main(int argc, char **argv)
{
	int sig, i, status = 0;

	log_to_stderr();
	i = parse(argc, argv, &sig);
	if (i < 0)
		return OPT_USAGE;

	int n = argc - i;
	char **names = argv + i;
	char *hit = calloc(n, 1);
	struct stat *files = calloc(n, sizeof(*files));
	if (!hit || !files) {
		err("out of memory");
		return 1;
	}
	for (int j = 0; j < n; j++)
		if (strchr(names[j], '/') && stat(names[j], &files[j])) {
			err("%s: %m", names[j]);
			names[j] = NULL;	/* reported already */
			status = 1;
		}

	/* An empty /proc directory (procfs not mounted, or a kernel without PROC_FS)
	 * would read as "no process found". */
	DIR *d = access("/proc/self", F_OK) ? NULL : opendir("/proc");
	struct dirent *de;
	if (!d) {
		err("cannot find processes: no procfs on /proc (%m)");
		return 1;
	}
	pid_t self = getpid();
	while ((de = readdir(d))) {
		char path[64], comm[32], arg0[256];
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 1 || pid == self)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
		if (slurp(path, comm, sizeof(comm)) < 0)
			continue;	/* gone meanwhile */
		comm[strcspn(comm, "\n")] = 0;
		snprintf(path, sizeof(path), "/proc/%ld/cmdline", pid);
		slurp(path, arg0, sizeof(arg0));
		int matched = 0;
		for (int j = 0; j < n; j++) {
			const struct stat *f = names[j] && strchr(names[j], '/') ? &files[j] : NULL;
			if (names[j] && match(names[j], f, pid, comm, arg0))
				matched = 1, hit[j] = 1;
		}
		/* each process once, however many names it matches */
		if (matched && kill((pid_t)pid, sig) && errno != ESRCH) {
			err("cannot signal %s (pid %ld): %m", comm, pid);
			status = 1;
		}
	}
	closedir(d);
	for (int j = 0; j < n; j++)
		if (names[j] && !hit[j]) {
			err("%s: no process found", names[j]);
			status = 1;
		}
	return status;
}
