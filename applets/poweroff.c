/* The poweroff and reboot applets: ask dvm's init (PID 1) by signal, or with -f do it
 * at once (sync, then reboot(2)) without stopping anything. */
#include <errno.h>
#include <string.h>
#include "applet.h"
#include "initctl.h"
#include "log.h"

const char poweroff_usage[] =
	"Usage: poweroff [-f]\n"
	"\n"
	"Ask dvm's init to stop every process and power off (SIGUSR2 to PID 1). Refuses\n"
	"when PID 1 is not dvm's init.\n"
	"\n"
	"  -f  power off now: sync, then reboot(2), without asking init\n";

const char reboot_usage[] =
	"Usage: reboot [-f]\n"
	"\n"
	"Ask dvm's init to stop every process and reboot (SIGUSR1 to PID 1). Refuses when\n"
	"PID 1 is not dvm's init.\n"
	"\n"
	"  -f  reboot now: sync, then reboot(2), without asking init\n";

static int halt_main(int argc, char **argv, int restart)
{
	int force = 0;

	log_to_stderr();
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-f")) {
			force = 1;
		} else {
			err("unexpected argument '%s' (see %s --help)", argv[i], argv[0]);
			return 1;
		}
	}
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
