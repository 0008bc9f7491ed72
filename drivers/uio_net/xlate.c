// SPDX-License-Identifier: BSD-2-Clause
/* Where a buffer lives: io_or_offset is a guest physical address (sDDF >= 0.6 hands the
 * driver client io_addr + offset); the buffer must lie inside ONE data map. All
 * arithmetic is overflow-safe: lengths are compared with what is left of the map after
 * io, never added to io. */
#include "net.h"

volatile uint8_t *net_xlate(const struct net_region *r, int n, uint64_t io, uint64_t len)
{
	for (int i = 0; i < n; i++) {
		if (io < r[i].paddr || io - r[i].paddr >= r[i].size)
			continue;
		/* io starts in r[i]: the whole buffer must too (no straddling a neighbour). */
		if (!len || len > r[i].size - (io - r[i].paddr))
			return 0;
		return r[i].mem + (io - r[i].paddr);
	}
	return 0;
}

volatile uint8_t *net_rx_buf(const struct net_region *r, uint64_t io)
{
	if (io < r->paddr || (io - r->paddr) % NET_BUFFER_SIZE)
		return 0;
	return net_xlate(r, 1, io, NET_BUFFER_SIZE);
}
