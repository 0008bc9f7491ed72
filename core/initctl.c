/* Asking dvm's init to power off or reboot, and doing it directly; see initctl.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>
#include "initctl.h"
#include "log.h"
#include "selfexe.h"

int initctl_same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (stat(a, &sa) || stat(b, &sb))
		return -errno;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* "dvm-init DEV INO\n" for this executable, into buf; its length, or -errno. */
static int mark_text(char *buf, size_t n)
{
	struct stat st;

	if (stat(self_exe(), &st))
		return -errno;
	return snprintf(buf, n, "dvm-init %llu %llu\n", (unsigned long long)st.st_dev,
			(unsigned long long)st.st_ino);
}

void initctl_mark(void)
{
	char buf[64];
	int n = mark_text(buf, sizeof(buf)), fd = -1;

	/* O_NOFOLLOW and no O_TRUNC before the check: never over a node, FIFO or link */
	if (n > 0)
		fd = open(INITCTL_MARK, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, buf, (size_t)n) != n || ftruncate(fd, n))
		warn("%s: %s; without /proc, poweroff and reboot will need -f", INITCTL_MARK,
		     n < 0 ? strerror(-n) : strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* Whether INITCTL_MARK names this executable: 1, 0, or -errno. */
static int marked(void)
{
	char want[64], got[64];
	int n = mark_text(want, sizeof(want)), fd;
	ssize_t r;

	if (n < 0)
		return n;
	fd = open(INITCTL_MARK, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = read(fd, got, sizeof(got));
	close(fd);
	return r == n && !memcmp(got, want, (size_t)n);
}

int initctl_ask(int restart)
{
	int r = initctl_same_file("/proc/1/exe", "/proc/self/exe");

	if (r < 0) {
		int m = marked();
		if (m < 0) {
			err("cannot tell whether PID 1 is dvm init: /proc/1/exe: %s, %s: %s; use -f",
			    strerror(-r), INITCTL_MARK, strerror(-m));
			return -1;
		}
		r = m;
	}
	if (!r) {
		err("PID 1 is not dvm init; use -f");
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
