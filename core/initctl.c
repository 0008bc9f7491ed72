/* Asking dvm's init to power off or reboot, and doing it directly; see initctl.h. */
#include <errno.h>
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

int initctl_ask(int restart)
{
	int r = initctl_same_file("/proc/1/exe", "/proc/self/exe");

	/* -f is suggested only with what it does: it stops nothing first */
	if (r <= 0) {
		err("%s%s: nothing done; '%s -f' would %s this machine at once, without "
		    "stopping anything", r ? "cannot tell whether PID 1 is dvm init: " :
		    "PID 1 is not dvm init (its signals may mean something else)",
		    r ? strerror(-r) : "", restart ? "reboot" : "poweroff",
		    restart ? "reboot" : "power off");
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
