// SPDX-License-Identifier: BSD-2-Clause
/* Where a request's data lives: io_or_offset (a physical address, or in legacy mode an
 * offset into the first data region) and count blocks must lie 4 KiB-aligned inside ONE
 * data region. All arithmetic is overflow-safe: len and the region offset are compared
 * by subtraction, never by adding to io. */
#include "blk.h"

volatile uint8_t *blk_xlate(const struct blk_shm *s, uint64_t io, uint32_t count)
{
	uint64_t len = (uint64_t)count * BLK_TRANSFER_SIZE; /* < 2^44: cannot overflow */

	if (io % BLK_TRANSFER_SIZE || !s->nregions)
		return 0;
	if (s->legacy) {
		const struct blk_region *r = &s->region[0];
		if (io >= r->size || len > r->size - io)
			return 0;
		return r->mem + io;
	}
	for (int i = 0; i < s->nregions; i++) {
		const struct blk_region *r = &s->region[i];
		if (io < r->paddr || io - r->paddr >= r->size)
			continue;
		/* io starts in r: the whole buffer must too (no straddling into a neighbour). */
		if (len > r->size - (io - r->paddr))
			return 0;
		return r->mem + (io - r->paddr);
	}
	return 0;
}
