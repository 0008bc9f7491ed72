// SPDX-License-Identifier: BSD-2-Clause
/* flock, or an O_EXCL pid file when the kernel has no file locking; see lockfile.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <unistd.h>
#include "lockfile.h"
#include "log.h"

/* The pid in a lock file, 0 if unreadable. */
static int read_pid(const char *lk)
{
	char buf[16];
	int fd = open(lk, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	return (int)strtol(buf, NULL, 10);
}

static int pid_file(const char *path, int *owner)
{
	char lk[512], pid[16];
	int n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());

	if (snprintf(lk, sizeof(lk), "%s.lock", path) >= (int)sizeof(lk))
		return -ENAMETOOLONG;
	for (int tries = 0; tries < 2; tries++) {
		int fd = open(lk, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd >= 0) {
			int ok = write(fd, pid, n) == n;
			close(fd);
			if (!ok)
				return -EIO;
			info("no file locking (kernel without CONFIG_FILE_LOCKING): %s owned "
			     "through %s", path, lk);
			return 0;
		}
		if (errno != EEXIST)
			return -errno;
		*owner = read_pid(lk);
		/* alive (EPERM: alive, someone else's) and not a pid we reuse */
		if (*owner > 0 && *owner != getpid() && (!kill(*owner, 0) || errno == EPERM))
			return -EWOULDBLOCK;
		info("%s: stale lock of pid %d (gone): taking it over", lk, *owner);
		if (unlink(lk) && errno != ENOENT)
			return -errno;
	}
	return -EWOULDBLOCK;
}

int lock_take(int fd, const char *path, int *owner)
{
	*owner = 0;
	if (!flock(fd, LOCK_EX | LOCK_NB))
		return 0;
	if (errno == ENOSYS)
		return pid_file(path, owner);
	return -errno;
}
