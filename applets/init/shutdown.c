// SPDX-License-Identifier: BSD-2-Clause
/* Orderly shutdown: every process gets SIGTERM, then SIGKILL after a grace period; then
 * sync, unmount what the config mounted, and power off or reboot. init must never exit
 * (the kernel panics when PID 1 does), so a failing reboot(2) ends in a halt or a
 * pause() loop. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <unistd.h>
#include "initctl.h"
#include "init.h"
#include "log.h"

#define TERM_GRACE_MS 3000
#define KILL_GRACE_MS 2000

/* Reap until no child is left or ms have passed; 1 if none is left. */
static int wait_children(struct conf *c, long long ms)
{
	long long end = now_ms() + ms;

	while (!sv_reap(c, 0)) {
		if (now_ms() >= end)
			return 0;
		sv_poll(c, end);
	}
	return 1;
}

void init_shutdown(struct conf *c, int how)
{
	const char *what = how == SHUT_REBOOT ? "rebooting" : "powering off";

	sv_request_shutdown(how);
	log_msg(LOG_NOTICE, "%s: stopping all processes", what);
	for (int i = 0; i < c->n; i++)
		c->e[i].restart_at = 0;
	/* kill(-1) reaches every process but init, so each service's process group and
	 * anything that escaped it (orphans, daemons) */
	kill(-1, SIGTERM);
	if (!wait_children(c, TERM_GRACE_MS)) {
		warn("processes left %d ms after SIGTERM: sending SIGKILL", TERM_GRACE_MS);
		kill(-1, SIGKILL);
		if (!wait_children(c, KILL_GRACE_MS))
			warn("processes left after SIGKILL (stuck in the kernel?)");
	}
	sync();
	for (int i = c->n - 1; i >= 0; i--)
		if (c->e[i].kind == E_MOUNT && !c->e[i].skip && umount2(c->e[i].argv[2], 0))
			dbg("umount %s: %m", c->e[i].argv[2]);
	log_msg(LOG_NOTICE, "%s", what);
	initctl_halt(how == SHUT_REBOOT);
	err("reboot: %m; halting");
	reboot(RB_HALT_SYSTEM);
	for (;;)
		pause();
}
