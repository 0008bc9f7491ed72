// SPDX-License-Identifier: BSD-2-Clause
/* Asking dvm's init to power off or reboot, and doing it directly; see initctl.h. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>
#include "initctl.h"
#include "log.h"

int initctl_same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (stat(a, &sa) || stat(b, &sb))
		return -errno;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

#define MARK_TEXT "dvm-init\n"

void initctl_mark(void)
{
	/* O_NOFOLLOW, and O_EXCL: never over a node, FIFO, link or anything else */
	int fd = open(INITCTL_MARK, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, MARK_TEXT, sizeof(MARK_TEXT) - 1) != sizeof(MARK_TEXT) - 1)
		warn("%s: %m; without /proc, poweroff and reboot will need -f", INITCTL_MARK);
	if (fd >= 0)
		close(fd);
}

/* Whether INITCTL_MARK is dvm init's: 1, 0, or -errno. */
static int marked(void)
{
	char got[sizeof(MARK_TEXT)];
	int fd = open(INITCTL_MARK, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -errno;
	r = read(fd, got, sizeof(got));
	close(fd);
	return r == sizeof(MARK_TEXT) - 1 && !memcmp(got, MARK_TEXT, (size_t)r);
}

int initctl_ask(int restart)
{
	int r = initctl_same_file("/proc/1/exe", "/proc/self/exe");

	if (r < 0) {
		int m = marked();
		if (m < 0) {
			err("cannot tell whether PID 1 is dvm init: /proc/1/exe: %s, %s: %s; nothing "
			    "done; '%s -f' would %s this machine at once, without stopping anything",
			    strerror(-r), INITCTL_MARK, strerror(-m), restart ? "reboot" : "poweroff",
			    restart ? "reboot" : "power off");
			return -1;
		}
		r = m;
	}
	/* -f is suggested only with what it does: it stops nothing first */
	if (!r) {
		err("PID 1 is not dvm init (its signals may mean something else): nothing done; "
		    "'%s -f' would %s this machine at once, without stopping anything",
		    restart ? "reboot" : "poweroff", restart ? "reboot" : "power off");
		return -1;
	}
	if (kill(1, restart ? INITCTL_REBOOT : INITCTL_POWEROFF)) {
		err("cannot signal init: %m");
		return -1;
	}
	return 0;
}

void initctl_halt(int restart)
{
	sync();
	(void)reboot(restart ? RB_AUTOBOOT : RB_POWER_OFF);
}
