/* SPDX-License-Identifier: BSD-2-Clause */
/* Guest -> host notifications in the simulation. On seL4 the driver's write to the
 * unmapped "notify" page faults into the VMM; here the page is shared memory and the
 * driver writes an incrementing u32 counter at offset 0, which the simulator polls.
 * poll_until() is the bounded polling loop every wait in the simulator uses. */
#ifndef VMM_DOORBELL_H
#define VMM_DOORBELL_H
#include <stdint.h>
#include "qemu.h"

/* Call fn(ctx) until it returns non-zero (returned) or timeout_ns passes (0 returned).
 * Spins briefly, then sleeps in short steps. Dies when QEMU exits or the run deadline
 * passes. */
int poll_until(struct vm *v, uint64_t timeout_ns, int (*fn)(void *), void *ctx);

struct doorbell {
	volatile uint32_t *ctr;
	uint32_t seen;            /* value at the last observed change */
	uint64_t rings;           /* changes observed */
};

void doorbell_init(struct doorbell *d, volatile void *page);
/* 1 (and remember the value) if the counter changed since last seen; acquire, so what
 * the driver published before ringing is visible. */
int doorbell_rung(struct doorbell *d);
/* Wait for a change; 1, or 0 after timeout_ns. */
int doorbell_wait(struct doorbell *d, struct vm *v, uint64_t timeout_ns);

#endif
