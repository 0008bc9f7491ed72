/* SPDX-License-Identifier: BSD-2-Clause */
/* Network workloads against the uio_net driver VM (net_work.c), and the bench
 * (net_bench.c). Each phase prints PASS/FAIL lines and updates the counters the driver
 * must report, which expect_counters() compares with its stats line. */
#ifndef VMM_NET_WORK_H
#define VMM_NET_WORK_H
#include "net_virt.h"

enum { C_RX_FRAMES, C_TX_FRAMES, C_RX_NOBUF, C_RX_TOOLONG, C_RX_BADBUF, C_RX_BADIDX,
       C_TX_SHORT, C_TX_OVERSIZE, C_TX_TOOLONG, C_TX_BADADDR, C_TX_BADIDX, C_TX_ERR,
       C_RX_KDROP, NCOUNT };

struct net_run {
	struct net_virt *v;
	uint64_t stall_ns;        /* a frame or descriptor later than this fails */
	uint64_t rng;
	uint64_t want[NCOUNT];    /* what the driver's counters must say */
	int stopped;              /* a phase failed badly: skip the rest */
};

void phase_rx(struct net_run *r, unsigned lo, unsigned hi, const char *name);
void phase_tx(struct net_run *r, unsigned lo, unsigned hi, const char *name);
void phase_invalid(struct net_run *r);
void phase_nobuf(struct net_run *r);
void phase_indices(struct net_run *r);
void phase_race(struct net_run *r, unsigned bursts);
void phase_restart(struct net_run *r);
/* Wait (a few seconds) until the driver's stats line shows r->want. */
void expect_counters(struct net_run *r, const char *name);
/* Wait for the driver to serve (its TX active request), up to timeout_ns. */
void wait_serving(struct net_run *r, uint64_t timeout_ns);

/* The bench: raw AF_PACKET figures from the guest tool, then the same through uio_net. */
void phase_bench(struct net_run *r, unsigned seconds, unsigned rounds);

uint64_t rnd(struct net_run *r);

#endif
