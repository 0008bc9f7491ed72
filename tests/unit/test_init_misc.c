// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests for init's restart arithmetic (applets/init/restart.c), signal names
 * (core/signame.c) and sleep's duration parsing (applets/sleep.c). */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include "check.h"
#include "../../applets/init/init.h"
#include "signame.h"

/* applets/sleep.c has no header: its parser is only shared with this test */
int sleep_parse(const char *s, struct timespec *ts);

#define EXITED(n) ((n) << 8)	/* waitpid status of exit(n) */
#define SIGNALED(s) (s)		/* waitpid status of death by signal s */

TEST(restart_policies)
{
	CHECK(WIFEXITED(EXITED(3)) && WEXITSTATUS(EXITED(3)) == 3);
	CHECK(WIFSIGNALED(SIGNALED(9)) && WTERMSIG(SIGNALED(9)) == 9);
	CHECK_INT(restart_wanted(R_ALWAYS, EXITED(0)), 1);
	CHECK_INT(restart_wanted(R_ALWAYS, EXITED(1)), 1);
	CHECK_INT(restart_wanted(R_ALWAYS, SIGNALED(SIGKILL)), 1);
	CHECK_INT(restart_wanted(R_ON_FAILURE, EXITED(0)), 0);
	CHECK_INT(restart_wanted(R_ON_FAILURE, EXITED(2)), 1);
	CHECK_INT(restart_wanted(R_ON_FAILURE, SIGNALED(SIGTERM)), 1);
	CHECK_INT(restart_wanted(R_NEVER, EXITED(1)), 0);
	CHECK_INT(restart_wanted(R_NEVER, SIGNALED(SIGSEGV)), 0);
}

static struct conf conf(long min, long max, int count, long window)
{
	struct conf c;
	memset(&c, 0, sizeof(c));
	c.backoff_min = min;
	c.backoff_max = max;
	c.limit_count = count;
	c.limit_window = window;
	return c;
}

TEST(backoff_doubles_to_max)
{
	struct conf c = conf(100, 1000, 64, 1);
	struct restart r = { 0 };
	long want[] = { 100, 200, 400, 800, 1000, 1000 };
	long long t = 1000000;

	/* each run ends after 50 ms; failures 2 s apart stay under the 1-per-1 s limit */
	for (int i = 0; i < 6; i++, t += 2000)
		CHECK_INT(restart_next(&r, &c, t - 50, t), want[i]);
}

TEST(backoff_odd_max)
{
	struct conf c = conf(30, 101, 64, 1);
	struct restart r = { 0 };
	long want[] = { 30, 60, 101, 101 };

	for (int i = 0; i < 4; i++)
		CHECK_INT(restart_next(&r, &c, i * 5000LL, i * 5000LL + 10), want[i]);
}

TEST(backoff_resets_after_stable_run)
{
	struct conf c = conf(100, 10000, 64, 1);
	struct restart r = { 0 };
	long long t = 0;

	CHECK_INT(restart_next(&r, &c, t, t + 10), 100);
	t += 5000;
	CHECK_INT(restart_next(&r, &c, t, t + 10), 200);
	t += 5000;
	CHECK_INT(restart_next(&r, &c, t, t + 10), 400);
	t += 5000;
	/* ran 9.999 s: still a failed start */
	CHECK_INT(restart_next(&r, &c, t, t + STABLE_MS - 1), 800);
	t += 20000;
	/* ran 10 s: a good start, so back to the minimum */
	CHECK_INT(restart_next(&r, &c, t, t + STABLE_MS), 100);
	t += 20000;
	CHECK_INT(restart_next(&r, &c, t, t + 10), 200);
}

TEST(limit_count_within_window)
{
	struct conf c = conf(100, 10000, 5, 60);
	struct restart r = { 0 };

	/* 5 ends within 60 s: the fifth hits the limit */
	for (int i = 0; i < 4; i++)
		CHECK(restart_next(&r, &c, i * 1000LL, i * 1000LL + 500) > 0);
	CHECK_INT(restart_next(&r, &c, 4000, 4500), -1);
}

TEST(limit_window_slides)
{
	struct conf c = conf(100, 10000, 3, 10);
	struct restart r = { 0 };

	/* ends at 0, 6, 12, 18 s: never 3 within 10 s */
	for (int i = 0; i < 4; i++)
		CHECK(restart_next(&r, &c, i * 6000LL - 100, i * 6000LL) > 0);
	/* ends at 18 s and now 22 s and 27.999 s: three within 10 s of the first */
	CHECK(restart_next(&r, &c, 21000, 22000) > 0);
	CHECK_INT(restart_next(&r, &c, 27000, 27999), -1);
}

TEST(limit_exactly_window_apart)
{
	struct conf c = conf(100, 10000, 2, 10);
	struct restart r = { 0 };

	CHECK(restart_next(&r, &c, 0, 100) > 0);
	/* the earlier end is exactly WINDOW old: outside */
	CHECK(restart_next(&r, &c, 10000, 10100) > 0);
	CHECK_INT(restart_next(&r, &c, 10150, 10200), -1);
}

TEST(limit_one)
{
	struct conf c = conf(100, 10000, 1, 60);
	struct restart r = { 0 };

	CHECK_INT(restart_next(&r, &c, 0, 100000), -1);
}

TEST(signal_names)
{
	CHECK_INT(sig_parse("KILL"), SIGKILL);
	CHECK_INT(sig_parse("SIGKILL"), SIGKILL);
	CHECK_INT(sig_parse("kill"), SIGKILL);
	CHECK_INT(sig_parse("sigterm"), SIGTERM);
	CHECK_INT(sig_parse("9"), 9);
	CHECK_INT(sig_parse("0"), 0);
	CHECK_INT(sig_parse("64"), 64);
	CHECK_INT(sig_parse("65"), -1);
	CHECK_INT(sig_parse("9x"), -1);
	CHECK_INT(sig_parse(""), -1);
	CHECK_INT(sig_parse("SIG"), -1);
	CHECK_INT(sig_parse("FOO"), -1);
	CHECK_INT(sig_parse("-9"), -1);
	CHECK_INT(sig_parse("HUP"), SIGHUP);
	CHECK_INT(sig_parse("INT"), SIGINT);
	CHECK_INT(sig_parse("USR1"), SIGUSR1);
	CHECK_INT(sig_parse("USR2"), SIGUSR2);
	CHECK_INT(sig_parse("PWR"), SIGPWR);
	CHECK_INT(sig_parse("IOT"), SIGABRT);
	CHECK_INT(sig_parse("CLD"), SIGCHLD);
	CHECK_STR(sig_name(SIGKILL), "KILL");
	CHECK_STR(sig_name(SIGABRT), "ABRT");
	CHECK_STR(sig_name(SIGCHLD), "CHLD");
	CHECK_STR(sig_name(SIGSEGV), "SEGV");
	CHECK(sig_name(SIGRTMIN) == NULL);
	CHECK(sig_name(0) == NULL);
	/* every name maps back to its number */
	for (int s = 1; s < 32; s++)
		if (sig_name(s))
			CHECK_INT(sig_parse(sig_name(s)), s);
}

static int dur(const char *s, long long *sec, long *ns)
{
	struct timespec ts = { 12345, 6789 };
	int r = sleep_parse(s, &ts);
	*sec = ts.tv_sec;
	*ns = ts.tv_nsec;
	return r;
}

TEST(sleep_durations)
{
	long long sec;
	long ns;

	CHECK_INT(dur("1", &sec, &ns), 0);
	CHECK(sec == 1 && ns == 0);
	CHECK_INT(dur("0.5", &sec, &ns), 0);
	CHECK(sec == 0 && ns == 500000000);
	CHECK_INT(dur(".25", &sec, &ns), 0);
	CHECK(sec == 0 && ns == 250000000);
	CHECK_INT(dur("2.", &sec, &ns), 0);
	CHECK(sec == 2 && ns == 0);
	CHECK_INT(dur("10.000000001", &sec, &ns), 0);
	CHECK(sec == 10 && ns == 1);
	CHECK_INT(dur("1.1234567899", &sec, &ns), 0);	/* past ns: dropped */
	CHECK(sec == 1 && ns == 123456789);
	CHECK_INT(dur("0", &sec, &ns), 0);
	CHECK(sec == 0 && ns == 0);
	CHECK_INT(dur("86400", &sec, &ns), 0);
	CHECK(sec == 86400);
	CHECK_INT(dur("inf", &sec, &ns), 0);
	CHECK(sec == -1);
	CHECK_INT(dur("infinity", &sec, &ns), 0);
	CHECK(sec == -1);
	const char *bad[] = { "", ".", "-1", "+1", " 1", "1 ", "1e3", "1.2.3", "1s", "0x10",
			      "infin", "99999999999999999999" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (dur(bad[i], &sec, &ns) != -1)
			check_fail(__FILE__, __LINE__, "'%s' parsed as a duration", bad[i]);
}
