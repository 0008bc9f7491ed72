// SPDX-License-Identifier: BSD-2-Clause
/* Bounded polling and the doorbell counter; see doorbell.h. */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include "doorbell.h"

/* Spin this long before sleeping: answers often come within microseconds. Then sleep,
 * the naps growing from NAP_MIN_US to nap_max_us: the simulator shares the host's cores
 * with QEMU's vCPU and I/O threads, and each wake-up costs CPU they need (timer slack
 * is 1 us, so naps are what they say). $VMM_SIM_SPIN_US and $VMM_SIM_NAP_US tune them.
 * $VMM_SIM_SCHED_IDLE=1 (the bench, which spins throughout) puts the simulator's thread in
 * the SCHED_IDLE class: it then spins only on a core QEMU's threads leave free, as a
 * virtualiser on a core of its own would, instead of keeping them waiting to run
 * (measured: QEMU's vCPU thread spent 22 % of the sDDF runs' wall time runnable but not
 * running, 5 % with the class). QEMU, forked before the first wait, keeps its own. */
static uint64_t spin_ns = 10000;
static unsigned nap_max_us = 100;
static int tuned;
#define NAP_MIN_US 10
#define ALIVE_NS 20000000u /* check QEMU is alive this often */

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

int poll_until(struct vm *v, uint64_t timeout_ns, int (*fn)(void *), void *ctx)
{
	uint64_t t0 = now_ns(), alive_at = t0 + ALIVE_NS, t;
	int r;

	unsigned nap = NAP_MIN_US;

	if (!tuned) {
		const char *e = getenv("VMM_SIM_SPIN_US");

		if (e)
			spin_ns = parse_uint("VMM_SIM_SPIN_US", e, 1000000) * 1000;
		if ((e = getenv("VMM_SIM_NAP_US")))
			nap_max_us = (unsigned)parse_uint("VMM_SIM_NAP_US", e, 1000000);
		if ((e = getenv("VMM_SIM_SCHED_IDLE")) && parse_uint("VMM_SIM_SCHED_IDLE", e, 1)) {
			struct sched_param sp = { 0 };

			if (sched_setscheduler(0, SCHED_IDLE, &sp))
				die("VMM_SIM_SCHED_IDLE: sched_setscheduler: %s", strerror(errno));
		}
		tuned = 1;
	}
	for (;;) {
		if ((r = fn(ctx)))
			return r;
		t = now_ns();
		if (t - t0 >= timeout_ns)
			return 0;
		if (t >= alive_at) {
			if (!vm_alive(v))
				die("QEMU ended (%s) while the simulator waited", status_str(v->status));
			if (!deadline_left_ns())
				die("timeout: the run deadline passed");
			alive_at = t + ALIVE_NS;
		}
		if (t - t0 < spin_ns) {
			cpu_relax();
		} else {
			sleep_us(nap);
			if (nap < nap_max_us)
				nap = nap * 2 < nap_max_us ? nap * 2 : nap_max_us;
		}
	}
}

void doorbell_init(struct doorbell *d, volatile void *page)
{
	d->ctr = page;
	d->seen = __atomic_load_n(d->ctr, __ATOMIC_ACQUIRE);
	d->rings = 0;
}

int doorbell_rung(struct doorbell *d)
{
	uint32_t v = __atomic_load_n(d->ctr, __ATOMIC_ACQUIRE);

	if (v == d->seen)
		return 0;
	d->seen = v;
	d->rings++;
	return 1;
}

static int rung(void *ctx)
{
	return doorbell_rung(ctx);
}

int doorbell_wait(struct doorbell *d, struct vm *v, uint64_t timeout_ns)
{
	return poll_until(v, timeout_ns, rung, d);
}
