// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests for init's wait directive (applets/init/wait.c) in a fake tree: a path that
 * appears after a delay, one that never does (the timeout), a shutdown meanwhile, and
 * the backoff between looks (bounded: no busy spin, no long sleep). The clock is fake
 * (advanced by the nap), so the results do not depend on the machine's speed; one test
 * uses the real clock with a child process creating the file. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"
#include "../../applets/init/init.h"

static char dir[64], path_a[96], path_b[96];
static long long fake_now;
static long long appear_a = -1, appear_b = -1;	/* fake time a path appears; -1 never */
static int naps, shutdown_after = -1;
static long long min_step, max_step;

static long long clock_fake(void)
{
	return fake_now;
}

static void touch(const char *p)
{
	int fd = open(p, O_CREAT | O_WRONLY, 0644);
	if (fd >= 0)
		close(fd);
}

/* Sleep until `until`: the device "probes" meanwhile. */
static int nap_fake(long long until, void *ctx)
{
	long long step = until - fake_now;

	(void)ctx;
	naps++;
	if (min_step < 0 || step < min_step)
		min_step = step;
	if (step > max_step)
		max_step = step;
	fake_now = until;
	if (appear_a >= 0 && fake_now >= appear_a)
		touch(path_a);
	if (appear_b >= 0 && fake_now >= appear_b)
		touch(path_b);
	return shutdown_after >= 0 && naps >= shutdown_after;
}

static void setup(void)
{
	if (!dir[0]) {
		strcpy(dir, "/tmp/dvm-test-wait.XXXXXX");
		if (!mkdtemp(dir))
			abort();
		snprintf(path_a, sizeof(path_a), "%s/mmcblk0", dir);
		snprintf(path_b, sizeof(path_b), "%s/mmcblk0p1", dir);
	}
	unlink(path_a);
	unlink(path_b);
	fake_now = 1000000;
	appear_a = appear_b = -1;
	naps = 0;
	shutdown_after = -1;
	min_step = -1;
	max_step = 0;
}

TEST(present_at_once)
{
	char *paths[] = { path_a };
	const char *missing = NULL;

	setup();
	touch(path_a);
	CHECK_INT(wait_paths(paths, 1, 10000, clock_fake, nap_fake, NULL, &missing), 0);
	CHECK_INT(naps, 0);
}

TEST(appears_after_a_delay)
{
	char *paths[] = { path_a, path_b };
	const char *missing = NULL;

	setup();
	appear_a = fake_now + 700;
	appear_b = fake_now + 1500;
	CHECK_INT(wait_paths(paths, 2, 10000, clock_fake, nap_fake, NULL, &missing), 0);
	/* seen within one maximal step of appearing */
	CHECK(fake_now >= appear_b);
	CHECK(fake_now <= appear_b + WAIT_POLL_MAX_MS);
	/* the backoff: starts short, never longer than the cap, so few looks */
	CHECK_INT(min_step, WAIT_POLL_MIN_MS);
	CHECK_INT(max_step, WAIT_POLL_MAX_MS);
	CHECK(naps <= 12);
}

TEST(times_out)
{
	char *paths[] = { path_a, path_b };
	const char *missing = NULL;
	long long start;

	setup();
	start = fake_now;
	appear_a = fake_now + 100;	/* b never appears */
	CHECK_INT(wait_paths(paths, 2, 3000, clock_fake, nap_fake, NULL, &missing), -1);
	CHECK_STR(missing, path_b);
	/* exactly at the bound: the last nap is cut to it */
	CHECK_INT(fake_now - start, 3000);
	CHECK(min_step > 0);
	CHECK(max_step <= WAIT_POLL_MAX_MS);
	/* 3 s at most WAIT_POLL_MAX_MS apart, plus the short first steps */
	CHECK(naps <= 3000 / WAIT_POLL_MAX_MS + 6);
}

TEST(shutdown_meanwhile)
{
	char *paths[] = { path_a };
	const char *missing = NULL;

	setup();
	shutdown_after = 3;
	CHECK_INT(wait_paths(paths, 1, 10000, clock_fake, nap_fake, NULL, &missing), -2);
	CHECK_INT(naps, 3);
}

static long long clock_real(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static int nap_real(long long until, void *ctx)
{
	long long d = until - clock_real();
	struct timespec ts = { d / 1000, d % 1000 * 1000000 };

	(void)ctx;
	naps++;
	if (d > 0)
		nanosleep(&ts, NULL);
	return 0;
}

/* Another process creates the path a little later, as the kernel's probe would. */
TEST(real_clock_late_device)
{
	char *paths[] = { path_a };
	const char *missing = NULL;
	pid_t pid;
	int st;

	setup();
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		struct timespec ts = { 0, 100 * 1000000 };
		nanosleep(&ts, NULL);
		touch(path_a);
		_exit(0);
	}
	/* the bound is far above the delay: only a lost wake-up could fail this */
	CHECK_INT(wait_paths(paths, 1, 20000, clock_real, nap_real, NULL, &missing), 0);
	CHECK(naps >= 1);
	CHECK(waitpid(pid, &st, 0) == pid);
	unlink(path_a);
	rmdir(dir);
}
