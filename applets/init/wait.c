// SPDX-License-Identifier: BSD-2-Clause
/* The wait directive: wait for device nodes (or any path) that appear after init
 * starts, such as an MMC card's /dev/mmcblk0 probed late. Polled with stat() at growing
 * intervals: inotify on devtmpfs is not in every lean kernel, and a handful of stat()
 * calls over a few seconds cost nothing; the interval is capped so a device that
 * appears is seen within WAIT_POLL_MAX_MS. See init.h and docs/init.md. */
#include <sys/stat.h>
#include "init.h"

int wait_paths(char *const *paths, int n, long timeout_ms, long long (*now)(void),
	       int (*nap)(long long until, void *ctx), void *ctx, const char **missing)
{
	long long end = now() + timeout_ms;
	long step = WAIT_POLL_MIN_MS;
	int i = 0;

	for (;;) {
		struct stat st;
		/* the paths seen already stay seen: devices do not vanish during boot */
		while (i < n && !stat(paths[i], &st))
			i++;
		if (i == n)
			return 0;
		long long t = now();
		if (t >= end) {
			*missing = paths[i];
			return -1;
		}
		if (nap(t + step < end ? t + step : end, ctx))
			return -2;
		if (step < WAIT_POLL_MAX_MS)
			step = step * 2 < WAIT_POLL_MAX_MS ? step * 2 : WAIT_POLL_MAX_MS;
	}
}
