// SPDX-License-Identifier: BSD-2-Clause
/* uio_net's counters as one "name=value ..." line (SIGUSR1, the stats interval, exit);
 * tests and the benchmark parse it from the console. */
#include <stdio.h>
#include "net.h"

const char *const net_stat_names[NST] = {
	"rx_frames", "rx_bytes", "rx_nobuf", "rx_toolong", "rx_badbuf", "rx_badidx",
	"rx_kdrop", "rx_notify",
	"tx_frames", "tx_bytes", "tx_short", "tx_oversize", "tx_toolong", "tx_badaddr",
	"tx_err", "tx_badidx", "tx_blocked", "tx_notify",
	"irq_rx", "irq_tx",
};

void net_stats_fmt(const struct net_srv *s, char *buf, unsigned n)
{
	unsigned off = 0;

	buf[0] = 0;
	for (int i = 0; i < NST && off < n; i++) {
		int r = snprintf(buf + off, n - off, "%s%s=%llu", i ? " " : "", net_stat_names[i],
				 (unsigned long long)s->st[i]);
		if (r < 0)
			break;
		off += (unsigned)r;
	}
}
