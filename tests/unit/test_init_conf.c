// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests for init's config parser (applets/init/conf.c): every directive, quoting,
 * every error message with its file:line, and the kernel command line overrides. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "applet.h"
#include "check.h"
#include "../../applets/init/init.h"
#include "log.h"

/* An argument check like an applet's: "-x" is refused with a message, "--quiet" without
 * one, a warning for "-w"; anything else is fine. */
static int checks;
static int fake_check(int argc, char **argv)
{
	checks++;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-x")) {
			err("unknown option '%s'", argv[i]);
			return 2;
		}
		if (!strcmp(argv[i], "--quiet"))
			return 2;
		if (!strcmp(argv[i], "-w"))
			warn("-w is deprecated");
	}
	return 0;
}

/* The applet table as the parser sees it (dispatch.c has main(), so not linked here). */
const struct applet *applet_find(const char *name)
{
	static const struct applet known[] = {
		{ "init", NULL, NULL }, { "sleep", NULL, NULL }, { "uio_blk", NULL, fake_check },
		{ "insmod", NULL, NULL },
	};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(known[i].name, name))
			return &known[i];
	return NULL;
}

static char msgs[8192];
static struct conf c;

static void rep(int level, const char *m, void *ctx)
{
	size_t l = strlen(msgs);
	(void)ctx;
	snprintf(msgs + l, sizeof(msgs) - l, "%s%s\n", level == LOG_ERR ? "E " : "W ", m);
}

/* Parse text as "t.conf" (freeing the previous result); returns the error count. */
static int parse(const char *text)
{
	conf_free(&c);
	conf_init(&c, rep, NULL);
	msgs[0] = 0;
	/* conf_free frees c.text: hand the copy over */
	c.text = strdup(text);
	return conf_parse(&c, "t.conf", c.text, strlen(text));
}

/* One bad line alone: the exact message. */
#define BAD(text, msg)                                                            \
	do {                                                                      \
		CHECK_INT(parse(text), 1);                                        \
		CHECK_STR(msgs, "E " msg "\n");                                   \
		CHECK_INT(c.n, 0);                                                \
	} while (0)

static const char *printed(void)
{
	static char buf[4096];
	int fd = memfd_create("conf", 0);
	conf_print(&c, fd);
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = 0;
	close(fd);
	return buf;
}

TEST(every_directive)
{
	CHECK_INT(parse("# block driver VM\n"
			"loglevel 7\n"
			"restart-backoff 50 5000\n"
			"restart-limit 3 30\n"
			"\n"
			"module uio\n"
			"module /lib/modules/uio_pdrv_genirq.ko of_id=generic-uio debug\n"
			"mount tmpfs none /tmp mode=1777,size=1M\n"
			"mount proc proc /proc\n"
			"task prep sleep 0\n"
			"service blk uio_blk -v\n"
			"service b2 restart=on-failure uio_blk\n"
			"service b3 restart=never sleep 1\n"), 0);
	CHECK_STR(msgs, "");
	CHECK_INT(c.loglevel, 7);
	CHECK_INT(c.backoff_min, 50);
	CHECK_INT(c.backoff_max, 5000);
	CHECK_INT(c.limit_count, 3);
	CHECK_INT(c.limit_window, 30);
	CHECK_INT(c.n, 8);
	CHECK_INT(c.e[0].kind, E_MODULE);
	CHECK_STR(c.e[0].name, "uio");
	CHECK_INT(c.e[0].argc, 1);
	CHECK_INT(c.e[0].line, 6);
	CHECK_STR(c.e[1].name, "uio_pdrv_genirq");
	CHECK_STR(c.e[1].argv[0], "/lib/modules/uio_pdrv_genirq.ko");
	CHECK_STR(c.e[1].argv[1], "of_id=generic-uio");
	CHECK_STR(c.e[1].argv[2], "debug");
	CHECK(c.e[1].argv[3] == NULL);
	CHECK_INT(c.e[2].kind, E_MOUNT);
	CHECK_INT(c.e[2].argc, 4);
	CHECK_STR(c.e[2].argv[2], "/tmp");
	CHECK_STR(c.e[2].argv[3], "mode=1777,size=1M");
	CHECK_INT(c.e[3].argc, 3);
	CHECK_INT(c.e[4].kind, E_TASK);
	CHECK_STR(c.e[4].name, "prep");
	CHECK_STR(c.e[4].argv[0], "sleep");
	CHECK_INT(c.e[5].kind, E_SERVICE);
	CHECK_STR(c.e[5].name, "blk");
	CHECK_INT(c.e[5].policy, R_ALWAYS);
	CHECK_INT(c.e[5].argc, 2);
	CHECK_STR(c.e[5].argv[0], "uio_blk");
	CHECK_STR(c.e[5].argv[1], "-v");
	CHECK(c.e[5].argv[2] == NULL);
	CHECK_INT(c.e[6].policy, R_ON_FAILURE);
	CHECK_STR(c.e[6].argv[0], "uio_blk");
	CHECK_INT(c.e[6].argc, 1);
	CHECK_INT(c.e[7].policy, R_NEVER);
	CHECK_INT(c.e[7].argc, 2);
}

TEST(defaults)
{
	CHECK_INT(parse(""), 0);
	CHECK_INT(c.loglevel, -1);
	CHECK_INT(c.backoff_min, 100);
	CHECK_INT(c.backoff_max, 10000);
	CHECK_INT(c.limit_count, 5);
	CHECK_INT(c.limit_window, 60);
	CHECK_INT(c.n, 0);
	CHECK_STR(printed(), "restart-backoff 100 10000\nrestart-limit 5 60\n");
}

TEST(quoting_and_comments)
{
	CHECK_INT(parse("service q uio_blk \"two words\" \"\" a\"b c\"d x#y \"#z\" # comment\n"
			"  \t# whole-line comment\r\n"
			"task t sleep 1\r\n"
			"module m p=\"a b\"\n"), 0);
	CHECK_INT(c.n, 3);
	CHECK_INT(c.e[0].argc, 6);
	CHECK_STR(c.e[0].argv[1], "two words");
	CHECK_STR(c.e[0].argv[2], "");
	CHECK_STR(c.e[0].argv[3], "ab cd");
	CHECK_STR(c.e[0].argv[4], "x#y");
	CHECK_STR(c.e[0].argv[5], "#z");
	CHECK_STR(c.e[1].argv[1], "1");
	CHECK_STR(c.e[2].argv[1], "p=a b");
	/* printing quotes what needs it, so the output parses back the same */
	CHECK_STR(printed(), "restart-backoff 100 10000\nrestart-limit 5 60\n"
		  "service q restart=always uio_blk \"two words\" \"\" \"ab cd\" x#y \"#z\"\n"
		  "task t sleep 1\nmodule m \"p=a b\"\n");
	char again[512];
	snprintf(again, sizeof(again), "%s", printed());
	CHECK_INT(parse(again), 0);
	CHECK_STR(printed(), again);
}

TEST(unknown_directive)
{
	BAD("services x uio_blk\n", "t.conf:1: unknown directive 'services' (expected module, "
	    "mount, service, task, wait, loglevel, restart-backoff or restart-limit)");
}

TEST(unterminated_quote)
{
	BAD("\n\nservice x uio_blk \"oops\n", "t.conf:3: unterminated quote");
}

TEST(too_many_words)
{
	char line[400] = "task t sleep";
	for (int i = 0; i < 61; i++)
		strcat(line, " 1");
	CHECK_INT(parse(line), 0);	/* 64 words */
	CHECK_INT(c.e[0].argc, 62);
	strcat(line, " 1\n");
	BAD(line, "t.conf:1: more than 64 words");
}

TEST(nul_byte)
{
	conf_free(&c);
	conf_init(&c, rep, NULL);
	msgs[0] = 0;
	c.text = malloc(32);
	memcpy(c.text, "task a sleep 1\ntask b\0 sleep\n", 30);
	CHECK_INT(conf_parse(&c, "t.conf", c.text, 29), 1);
	CHECK_STR(msgs, "E t.conf:2: NUL byte in line\n");
	CHECK_INT(c.n, 1);
}

TEST(loglevel_errors)
{
	BAD("loglevel\n", "t.conf:1: loglevel: expected one number 0..7");
	BAD("loglevel 1 2\n", "t.conf:1: loglevel: expected one number 0..7");
	BAD("loglevel 8\n", "t.conf:1: loglevel: '8' is not a number 0..7");
	BAD("loglevel -1\n", "t.conf:1: loglevel: '-1' is not a number 0..7");
	BAD("loglevel info\n", "t.conf:1: loglevel: 'info' is not a number 0..7");
	CHECK_INT(parse("loglevel 3\nloglevel 4\n"), 1);
	CHECK_STR(msgs, "E t.conf:2: duplicate loglevel (first at line 1)\n");
	CHECK_INT(c.loglevel, 3);
}

TEST(module_errors)
{
	BAD("module\n", "t.conf:1: module: expected NAME or /PATH, then PARAM=VALUE words");
	BAD("module lib/uio.ko\n", "t.conf:1: module: bad module 'lib/uio.ko' (expected a "
	    "name of letters, digits, '_' and '-', or an absolute path)");
	BAD("module \"u io\"\n", "t.conf:1: module: bad module 'u io' (expected a name of "
	    "letters, digits, '_' and '-', or an absolute path)");
	BAD("module uio =1\n", "t.conf:1: module uio: bad parameter '=1' (expected PARAM or "
	    "PARAM=VALUE)");
	BAD("module uio a.b=1\n", "t.conf:1: module uio: bad parameter 'a.b=1' (expected "
	    "PARAM or PARAM=VALUE)");
	BAD("module /\n", "t.conf:1: module: no module name in '/'");
	/* names: '-' and '_' both fine, a .ko suffix is dropped from the module name */
	CHECK_INT(parse("module virtio-blk.ko x-y=1\n"), 0);
	CHECK_STR(c.e[0].name, "virtio_blk");
}

TEST(mount_errors)
{
	BAD("mount tmpfs none\n", "t.conf:1: mount: expected TYPE SOURCE DIR [OPTIONS], got "
	    "2 words");
	BAD("mount a b c d e\n", "t.conf:1: mount: expected TYPE SOURCE DIR [OPTIONS], got "
	    "5 words");
	BAD("mount tmpfs none tmp\n", "t.conf:1: mount: DIR 'tmp' is not an absolute path");
	BAD("mount \"\" none /tmp\n", "t.conf:1: mount: empty TYPE (use auto to try each "
	    "filesystem)");
	char line[4200] = "mount tmpfs none /tmp ";
	memset(line + strlen(line), 'o', 4096);
	BAD(line, "t.conf:1: mount: OPTIONS too long (4096 bytes, at most 4095)");
}

TEST(service_errors)
{
	BAD("service x\n", "t.conf:1: service: expected NAME "
	    "[restart=always|on-failure|never] APPLET [ARGS...]");
	BAD("service x/y uio_blk\n", "t.conf:1: service: bad name 'x/y' (letters, digits, "
	    "'_' and '-')");
	BAD("service x restart=sometimes uio_blk\n", "t.conf:1: service x: bad restart "
	    "policy 'sometimes' (expected always, on-failure or never)");
	BAD("service x restart=never\n", "t.conf:1: service x: no APPLET after "
	    "restart=never");
	BAD("service x uio_net\n", "t.conf:1: service x: unknown applet 'uio_net' (see dvm "
	    "--list)");
	BAD("service x init\n", "t.conf:1: service x: init cannot run under init");
	CHECK_INT(parse("service x uio_blk\ntask x sleep 1\n"), 1);
	CHECK_STR(msgs, "E t.conf:2: task x: name already used at line 1\n");
}

TEST(task_errors)
{
	BAD("task t\n", "t.conf:1: task: expected NAME APPLET [ARGS...]");
	BAD("task t restart=never sleep\n", "t.conf:1: task t: unknown applet 'restart=never' "
	    "(see dvm --list)");
	BAD("task \"\" sleep\n", "t.conf:1: task: bad name '' (letters, digits, '_' and '-')");
}

TEST(backoff_errors)
{
	BAD("restart-backoff 100\n", "t.conf:1: restart-backoff: expected MIN_MS MAX_MS");
	BAD("restart-backoff 0 100\n", "t.conf:1: restart-backoff: MIN_MS '0' is not a number "
	    "of milliseconds 1..3600000");
	BAD("restart-backoff 1 1h\n", "t.conf:1: restart-backoff: MAX_MS '1h' is not a number "
	    "of milliseconds 1..3600000");
	BAD("restart-backoff 1 99999999999999999999\n", "t.conf:1: restart-backoff: MAX_MS "
	    "'99999999999999999999' is not a number of milliseconds 1..3600000");
	BAD("restart-backoff 500 100\n", "t.conf:1: restart-backoff: MIN_MS 500 is greater "
	    "than MAX_MS 100");
	CHECK_INT(parse("restart-backoff 1 2\n\nrestart-backoff 1 2\n"), 1);
	CHECK_STR(msgs, "E t.conf:3: duplicate restart-backoff (first at line 1)\n");
}

TEST(limit_errors)
{
	BAD("restart-limit 5\n", "t.conf:1: restart-limit: expected COUNT WINDOW_S");
	BAD("restart-limit 0 60\n", "t.conf:1: restart-limit: expected COUNT 1..64 and "
	    "WINDOW_S 1..86400 seconds, got '0' '60'");
	BAD("restart-limit 65 60\n", "t.conf:1: restart-limit: expected COUNT 1..64 and "
	    "WINDOW_S 1..86400 seconds, got '65' '60'");
	BAD("restart-limit 5 1m\n", "t.conf:1: restart-limit: expected COUNT 1..64 and "
	    "WINDOW_S 1..86400 seconds, got '5' '1m'");
	CHECK_INT(parse("restart-limit 64 86400\n"), 0);
	CHECK_INT(c.limit_count, 64);
}

TEST(all_errors_reported)
{
	CHECK_INT(parse("loglevel 9\nservice ok uio_blk\nbogus\n\nmount x y z\n"), 3);
	CHECK_STR(msgs, "E t.conf:1: loglevel: '9' is not a number 0..7\n"
		  "E t.conf:3: unknown directive 'bogus' (expected module, mount, service, "
		  "task, wait, loglevel, restart-backoff or restart-limit)\n"
		  "E t.conf:5: mount: DIR 'z' is not an absolute path\n");
}

TEST(load_errors)
{
	char path[] = "/tmp/dvm-test-conf.XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	/* one byte over the limit */
	char *big = malloc(CONF_MAX_SIZE + 1);
	memset(big, '#', CONF_MAX_SIZE + 1);
	CHECK_INT(write(fd, big, CONF_MAX_SIZE + 1), CONF_MAX_SIZE + 1);
	free(big);
	close(fd);
	conf_free(&c);
	conf_init(&c, rep, NULL);
	msgs[0] = 0;
	CHECK_INT(conf_load(&c, path), 1);
	char want[200];
	snprintf(want, sizeof(want), "E %s: larger than 65536 bytes\n", path);
	CHECK_STR(msgs, want);
	CHECK(truncate(path, CONF_MAX_SIZE) == 0);	/* exactly the limit: fine */
	conf_init(&c, rep, NULL);
	msgs[0] = 0;
	CHECK_INT(conf_load(&c, path), 0);
	unlink(path);
	conf_free(&c);
	conf_init(&c, rep, NULL);
	msgs[0] = 0;
	CHECK_INT(conf_load(&c, "/nonexistent/dvm.conf"), 1);
	CHECK_STR(msgs, "E /nonexistent/dvm.conf: cannot read: No such file or directory\n");
}

static const char *base =
	"module uio\nmodule virtio-blk\nservice blk uio_blk -v\ntask prep sleep 1\n"
	"mount tmpfs none /tmp\n";

TEST(cmdline_skip)
{
	CHECK_INT(parse(base), 0);
	CHECK_INT(conf_apply_cmdline(&c, "quiet dvm.skip=blk,virtio_blk dvm.skip=prep"), 0);
	CHECK_STR(msgs, "");
	CHECK_INT(c.e[0].skip, 0);
	CHECK_INT(c.e[1].skip, 1);
	CHECK_INT(c.e[2].skip, 1);
	CHECK_INT(c.e[3].skip, 1);
	CHECK_INT(c.e[4].skip, 0);
	CHECK_STR(printed(), "restart-backoff 100 10000\nrestart-limit 5 60\nmodule uio\n"
		  "# skipped (dvm.skip): module virtio-blk\n"
		  "# skipped (dvm.skip): service blk restart=always uio_blk -v\n"
		  "# skipped (dvm.skip): task prep sleep 1\nmount tmpfs none /tmp\n");
	/* an unknown name is only a warning: the rest still applies */
	CHECK_INT(parse(base), 0);
	CHECK_INT(conf_apply_cmdline(&c, "dvm.skip=nope,,uio"), 0);
	CHECK_STR(msgs, "W kernel command line: dvm.skip: no service, task or module named "
		  "'nope'\n");
	CHECK_INT(c.e[0].skip, 1);
}

TEST(cmdline_restart_limit)
{
	CHECK_INT(parse(base), 0);
	CHECK_INT(conf_apply_cmdline(&c, "dvm.restart_limit=10/5"), 0);
	CHECK_INT(c.limit_count, 10);
	CHECK_INT(c.limit_window, 5);
	const char *bad[] = { "dvm.restart_limit", "dvm.restart_limit=10",
			      "dvm.restart_limit=0/5", "dvm.restart_limit=5/", "dvm.restart_limit=x/5",
			      "dvm.restart_limit=123456789012345678901/5" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[300];
		const char *eq = strchr(bad[i], '=');
		CHECK_INT(parse(base), 0);
		CHECK_INT(conf_apply_cmdline(&c, bad[i]), 1);
		snprintf(want, sizeof(want), "E kernel command line: dvm.restart_limit=%s: "
			 "expected COUNT/WINDOW_S with COUNT 1..64 and WINDOW_S 1..86400, e.g. "
			 "5/60\n", eq ? eq + 1 : "");
		CHECK_STR(msgs, want);
		CHECK_INT(c.limit_count, 5);
	}
}

TEST(cmdline_args)
{
	CHECK_INT(parse(base), 0);
	CHECK_INT(conf_apply_cmdline(&c, "dvm.args.blk=\"-v --queue 2\" dvm.args.prep=5"), 0);
	CHECK_STR(msgs, "");
	CHECK_INT(c.e[2].argc, 4);
	CHECK_STR(c.e[2].argv[0], "uio_blk");
	CHECK_STR(c.e[2].argv[1], "-v");
	CHECK_STR(c.e[2].argv[2], "--queue");
	CHECK_STR(c.e[2].argv[3], "2");
	CHECK(c.e[2].argv[4] == NULL);
	CHECK_INT(c.e[3].argc, 2);
	CHECK_STR(c.e[3].argv[1], "5");
	/* empty: no arguments; applied twice: the last wins */
	CHECK_INT(conf_apply_cmdline(&c, "dvm.args.blk= dvm.args.prep=1 dvm.args.prep=2"), 0);
	CHECK_INT(c.e[2].argc, 1);
	CHECK(c.e[2].argv[1] == NULL);
	CHECK_STR(c.e[3].argv[1], "2");
	CHECK_INT(conf_apply_cmdline(&c, "dvm.args.nope=1 dvm.args.blk dvm.args.uio=1"), 3);
	CHECK_STR(msgs, "E kernel command line: dvm.args.nope: no service or task named "
		  "'nope'\n"
		  "E kernel command line: dvm.args.blk: expected dvm.args.blk=\"ARGS\"\n"
		  "E kernel command line: dvm.args.uio: no service or task named 'uio'\n");
}

TEST(wait_directive)
{
	CHECK_INT(parse("wait /dev/mmcblk0\nwait /dev/a /dev/b timeout=3s\n"
			"wait /dev/c timeout=250ms\nwait /dev/d timeout=7\n"
			"wait /dev/e timeout=3600s\n"), 0);
	CHECK_STR(msgs, "");
	CHECK_INT(c.n, 5);
	CHECK_INT(c.e[0].kind, E_WAIT);
	CHECK_INT(c.e[0].timeout_ms, WAIT_DEFAULT_MS);
	CHECK_INT(c.e[1].argc, 2);
	CHECK_STR(c.e[1].argv[1], "/dev/b");
	CHECK_INT(c.e[1].timeout_ms, 3000);
	CHECK_INT(c.e[2].timeout_ms, 250);
	CHECK_INT(c.e[3].timeout_ms, 7000);
	CHECK_STR(printed(), "restart-backoff 100 10000\nrestart-limit 5 60\n"
		  "wait /dev/mmcblk0 timeout=10s\nwait /dev/a /dev/b timeout=3s\n"
		  "wait /dev/c timeout=250ms\nwait /dev/d timeout=7s\n"
		  "wait /dev/e timeout=3600s\n");
	/* dvm.skip names never match a wait line */
	CHECK_INT(conf_apply_cmdline(&c, "dvm.skip=mmcblk0"), 0);
	CHECK_INT(c.e[0].skip, 0);
	BAD("wait\n", "t.conf:1: wait: expected PATH... [timeout=DURATION]");
	BAD("wait timeout=1s\n", "t.conf:1: wait: expected PATH... [timeout=DURATION]");
	BAD("wait dev/x\n", "t.conf:1: wait: PATH 'dev/x' is not an absolute path");
	const char *bad[] = { "0", "0ms", "3601s", "3600001ms", "1h", "s", "", "-1", "1.5s",
			      "99999999999999999999" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[100], want[200];
		snprintf(text, sizeof(text), "wait /dev/x timeout=%s\n", bad[i]);
		snprintf(want, sizeof(want), "E t.conf:1: wait: bad timeout '%s' (expected "
			 "seconds 1..3600: 10, 10s, or milliseconds: 500ms)\n", bad[i]);
		CHECK_INT(parse(text), 1);
		CHECK_STR(msgs, want);
	}
}

TEST(cmdline_dvm_options)
{
	/* known and valid: nothing said */
	CHECK_INT(parse(base), 0);
	CHECK_INT(conf_apply_cmdline(&c, "dvm.loglevel=0 dvm.loglevel=7 dvm.conf=/etc/x.conf "
				     "dvmx=1 dvm loglevel=9"), 0);
	CHECK_STR(msgs, "");
	/* a mistyped word: a warning naming the known ones, nothing else changes */
	CHECK_INT(conf_apply_cmdline(&c, "dvm.skp=blk"), 0);
	CHECK_STR(msgs, "W kernel command line: unknown option 'dvm.skp', ignored (dvm's are "
		  "dvm.conf, dvm.loglevel, dvm.skip, dvm.restart_limit, dvm.args.NAME)\n");
	CHECK_INT(c.e[2].skip, 0);
	msgs[0] = 0;
	/* bad values: errors, so init powers off */
	CHECK_INT(conf_apply_cmdline(&c, "dvm.loglevel=9 dvm.loglevel=abc dvm.loglevel= "
				     "dvm.loglevel dvm.loglevel=-1 dvm.conf dvm.conf="), 7);
	CHECK_STR(msgs, "E kernel command line: dvm.loglevel=9: expected a number 0..7\n"
		  "E kernel command line: dvm.loglevel=abc: expected a number 0..7\n"
		  "E kernel command line: dvm.loglevel=: expected a number 0..7\n"
		  "E kernel command line: dvm.loglevel: expected a number 0..7\n"
		  "E kernel command line: dvm.loglevel=-1: expected a number 0..7\n"
		  "E kernel command line: dvm.conf: expected dvm.conf=PATH\n"
		  "E kernel command line: dvm.conf=: expected dvm.conf=PATH\n");
}

TEST(args_checked_by_the_applet)
{
	CHECK_INT(parse("service a uio_blk -x\ntask b uio_blk --quiet\nservice c uio_blk ok\n"
			"task d sleep 1x\nservice e uio_blk -w\nservice f uio_blk -x\n"), 0);
	checks = 0;
	CHECK_INT(conf_check_args(&c), 3);
	/* every uio_blk line checked once; sleep has no check in this table */
	CHECK_INT(checks, 5);
	CHECK_STR(msgs, "E t.conf:1: service a: uio_blk: unknown option '-x'\n"
		  "E t.conf:2: task b: arguments refused by uio_blk\n"
		  "W t.conf:5: service e: uio_blk: -w is deprecated\n"
		  "E t.conf:6: service f: uio_blk: unknown option '-x'\n");
	/* after dvm.args, the new arguments are the ones checked; skipped lines are not */
	CHECK_INT(conf_apply_cmdline(&c, "dvm.args.a=ok dvm.args.c=-x dvm.skip=b,e,f"), 0);
	msgs[0] = 0;
	CHECK_INT(conf_check_args(&c), 1);
	CHECK_STR(msgs, "E t.conf:3: service c: uio_blk: unknown option '-x'\n");
	/* the log goes back to its sink afterwards */
	check_capture_start();
	err("after the check");
	check_capture_end();
	CHECK_LOG("after the check");
}

TEST(cleanup)
{
	conf_free(&c);
	CHECK_INT(c.n, 0);
}
