// SPDX-License-Identifier: BSD-2-Clause
/* The poweroff and reboot applets: ask dvm's init (PID 1) by signal, or with -f do it
 * at once (sync, then reboot(2)) without stopping anything. */
#include <errno.h>
#include <string.h>
#include "applet.h"
#include "initctl.h"
#include "log.h"
#include "opt.h"

const char poweroff_usage[] =
	"Usage: poweroff [-f]\n"
	"\n"
	"Ask dvm's init to stop every process and power off (SIGUSR2 to PID 1). Refuses\n"
	"when PID 1 is not dvm's init.\n"
	"\n"
	"  -f  power off now: sync, then reboot(2), without asking init: nothing is\n"
	"      stopped first (use it only when init cannot be asked)\n"
	"\n"
	"Exit status: 0 init was asked, 1 refused or failed, 2 bad usage.\n";

const char reboot_usage[] =
	"Usage: reboot [-f]\n"
	"\n"
	"Ask dvm's init to stop every process and reboot (SIGUSR1 to PID 1). Refuses when\n"
	"PID 1 is not dvm's init.\n"
	"\n"
	"  -f  reboot now: sync, then reboot(2), without asking init: nothing is\n"
	"      stopped first (use it only when init cannot be asked)\n"
	"\n"
	"Exit status: 0 init was asked, 1 refused or failed, 2 bad usage.\n";

/* The arguments: 1 with -f, 0 without, -1 after logging a usage error. */
static int parse(int argc, char **argv)
{
	int force = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-f")) {
			err("unexpected argument '%s' (see --help)", argv[i]);
			return -1;
		}
		force = 1;
	}
	return force;
}

int poweroff_check(int argc, char **argv)
{
	return parse(argc, argv) < 0 ? OPT_USAGE : 0;
}

int reboot_check(int argc, char **argv) __attribute__((alias("poweroff_check")));

static int halt_main(int argc, char **argv, int restart)
{
	int force;

	log_to_stderr();
	force = parse(argc, argv);
	if (force < 0)
		return OPT_USAGE;
	if (!force)
		return initctl_ask(restart) ? 1 : 0;
	initctl_halt(restart);
	err("reboot(2): %m");
	return 1;
}

int poweroff_main(int argc, char **argv)
{
	return halt_main(argc, argv, 0);
}

int reboot_main(int argc, char **argv)
{
	return halt_main(argc, argv, 1);
}
