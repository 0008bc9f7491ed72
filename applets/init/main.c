// SPDX-License-Identifier: BSD-2-Clause
/* The init applet: PID 1 of a driver VM. Sets the system up, reads /etc/dvm.conf, works
 * through its lines in order (modules, mounts, services, tasks), then supervises the
 * services until asked to power off or reboot. Also `init --check-config FILE`, which
 * only parses and prints. See docs/init.md. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "applet.h"
#include "cmdline.h"
#include "init.h"
#include "log.h"
#include "opt.h"

const char init_usage[] =
	"Usage: init\n"
	"       init --check-config FILE\n"
	"\n"
	"dvm's init, started by the kernel as PID 1 (refuses to run otherwise): mounts\n"
	"/dev, /proc and /sys, then works through /etc/dvm.conf (or dvm.conf=PATH on the\n"
	"kernel command line): loads modules, mounts filesystems, runs tasks, starts and\n"
	"supervises services. SIGTERM, SIGINT (ctrl-alt-del) and SIGUSR2 power off,\n"
	"SIGUSR1 reboots. Config format and dvm.* kernel options: docs/init.md.\n"
	"\n"
	"  --check-config FILE  parse FILE, apply the dvm.* words of the kernel command\n"
	"                       line ($DVM_CMDLINE, else /proc/cmdline), check each service's\n"
	"                       and task's arguments with its applet, print the result\n"
	"\n"
	"Exit status (--check-config): 0 valid, 1 not (every error listed), 2 bad usage.\n"
	"As PID 1, init never exits.\n";

static void report(int level, const char *msg, void *ctx)
{
	(void)ctx;
	log_msg(level, "%s", msg);
}

static int load(struct conf *c, const char *file, const char *cmdline)
{
	conf_init(c, report, NULL);
	/* every error at once: no || between these */
	if (conf_load(c, file) + conf_apply_cmdline(c, cmdline) + conf_check_args(c)) {
		err("%s: %d error%s", file, c->errors, c->errors == 1 ? "" : "s");
		return -1;
	}
	return 0;
}

static int check_config(const char *file)
{
	struct conf c;

	log_to_stderr();
	if (load(&c, file, cmdline_read()))
		return 1;
	conf_print(&c, 1);
	return 0;
}

static const char *const kinds[] = { "module", "mount", "service", "task", "wait" };

/* wait's sleep: supervise meanwhile; give up on a shutdown request. */
static int nap(long long until, void *c)
{
	sv_poll(c, until);
	return sv_shutdown_requested();
}

static void do_wait(struct conf *c, const struct entry *e)
{
	long long t0 = now_ms();
	const char *missing = "";
	int r = wait_paths(e->argv, e->argc, e->timeout_ms, now_ms, nap, c, &missing);

	if (!r)
		info("waited %lld ms for %s%s", now_ms() - t0, e->argv[0],
		     e->argc > 1 ? " and the rest" : "");
	else if (r == -1)
		err("wait: %s did not appear within %ld ms; going on", missing, e->timeout_ms);
}

/* Work through the config lines in order; services are supervised meanwhile. */
static void boot(struct conf *c, long long t0, const char *cmdline)
{
	int last_module = -1, services = 0, failed = 0, reported = 0;
	const char *first_failed = "";
	struct timespec bt;

	for (int i = 0; i < c->n; i++)
		if (c->e[i].kind == E_MODULE && !c->e[i].skip)
			last_module = i;
	for (int i = 0; i < c->n; i++) {
		struct entry *e = &c->e[i];
		sv_poll(c, 0);
		if (sv_shutdown_requested())
			return;
		if (e->skip) {
			info("skipping %s %s (dvm.skip)", kinds[e->kind], e->name);
			continue;
		}
		/* the UIO devices once modules are loaded: "uio0: blk (3 maps)" */
		if (!reported && last_module < 0 && (e->kind == E_SERVICE || e->kind == E_TASK))
			uio_report(), reported = 1;
		switch (e->kind) {
		case E_MODULE:
			load_module(e, cmdline);
			break;
		case E_MOUNT:
			do_mount(e);
			break;
		case E_SERVICE:
			if (!sv_start(c, e)) {
				services++;
			} else if (!failed++) {
				first_failed = e->name;
			}
			break;
		case E_TASK:
			sv_run_task(c, e);
			break;
		case E_WAIT:
			do_wait(c, e);
			break;
		}
		if (i == last_module)
			uio_report(), reported = 1;
	}
	if (sv_shutdown_requested())
		return;
	if (!reported)
		uio_report();
	clock_gettime(CLOCK_BOOTTIME, &bt);
	/* Readiness (tests, dvm-pack minram) is the "all drivers started" line: a service
	 * that could not even be started (fork failing: memory, the thread limit) is not. */
	if (failed) {
		err("not all drivers started: %d of %d services could not start (%s%s; retried "
		    "after the restart backoff)", failed, services + failed, first_failed,
		    failed > 1 ? " and more" : "");
		return;
	}
	log_msg(LOG_NOTICE, "all drivers started (%d service%s) %lld ms after init start, "
		"%ld.%02ld s after boot", services, services == 1 ? "" : "s", now_ms() - t0,
		(long)bt.tv_sec, bt.tv_nsec / 10000000);
}

int init_main(int argc, char **argv)
{
	long long t0 = now_ms();
	char path[256] = CONF_PATH, v[16];
	const char *cmdline;
	struct conf c;

	if (argc > 1 && !strcmp(argv[1], "--check-config")) {
		if (argc == 3)
			return check_config(argv[2]);
		log_to_stderr();
		err("usage: init --check-config FILE");
		return OPT_USAGE;
	}
	if (getpid() != 1) {
		log_to_stderr();
		err("must run as PID 1 (the kernel's init); nothing done. To check a config "
		    "file: init --check-config FILE");
		return 1;
	}

	system_setup();
	/* log_open() ran before /proc was mounted: apply dvm.loglevel now */
	cmdline = cmdline_read();
	if (cmdline_src && strcmp(cmdline_src, "/proc/cmdline"))
		info("no /proc/cmdline: kernel command line from the device tree (%s)",
		     CMDLINE_DT);
	else if (!cmdline_src && !getenv("DVM_CMDLINE"))
		warn("no kernel command line (/proc/cmdline, %s): dvm.* and MODULE.PARAM= "
		     "words are not seen", CMDLINE_DT);
	int cl_level = cmdline_get(cmdline, "dvm.loglevel", v, sizeof(v)) == 1 &&
		       v[0] >= '0' && v[0] <= '7' && !v[1];
	if (cl_level)
		log_level = v[0] - '0';
	sv_setup();
	cmdline_get(cmdline, "dvm.conf", path, sizeof(path));
	info("starting (config %s)", path);
	if (load(&c, path, cmdline)) {
		err("refusing to start from a bad configuration (half a driver VM is worse "
		    "than none): powering off");
		init_shutdown(&c, SHUT_POWEROFF);
	}
	if (c.loglevel >= 0 && !cl_level)
		log_level = c.loglevel;
	if (!sv_shutdown_requested())
		boot(&c, t0, cmdline);
	for (;;) {
		if (sv_shutdown_requested())
			init_shutdown(&c, sv_shutdown_requested());
		sv_poll(&c, -1);
	}
}
