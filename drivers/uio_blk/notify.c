// SPDX-License-Identifier: BSD-2-Clause
/* Telling the peer that responses were published, in one of two styles:
 * - page: store a counter into the notify page. On seL4 that page is unmapped: the store
 *   faults into the VMM, which notifies the virtualiser (reads are rejected, so we never
 *   read it; the counter lives with us). A simulator polls the word for changes.
 * - irq-ack (libvmm): the VMM notifies when the guest acknowledges or enables the
 *   interrupt, so a disable + enable pair on the UIO fd is the doorbell (a lone enable
 *   of an enabled IRQ changes nothing and would be lost). */
#include "blk.h"
#include "iomem.h"
#include "uio.h"

void blk_notify_peer(struct blk_notify *n)
{
	if (n->mode == BLK_NOTIFY_PAGE) {
		uint32_t v = ++*n->counter;
		/* The responses before the doorbell; a plain single-register store, which the
		 * VMM can decode from the fault. */
		io_fence_rel();
		*(volatile uint32_t *)n->page = v;
	} else {
		uio_irq_disable(n->ctl_fd);
		uio_irq_enable(n->ctl_fd);
	}
}
