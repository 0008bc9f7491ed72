/* SPDX-License-Identifier: BSD-2-Clause */
/* Host -> guest interrupts through QEMU's qtest socket: the simulator's virq_inject. A
 * "writel" to the GIC distributor's set-pending register makes an SPI pending; the UIO
 * driver in the guest sees it as an event on read(). */
#ifndef VMM_QTEST_H
#define VMM_QTEST_H
#include <stdint.h>
#include "qemu.h"

#define VIRT_GICD_BASE 0x08000000ull /* QEMU virt: GICv2 distributor */

struct qtest {
	int fd;
	char buf[512];
	int len;
	unsigned pending;         /* commands sent whose answers are not read yet */
	uint64_t injected;        /* interrupts injected (statistics) */
	uint64_t ns;              /* time spent in qtest round trips (statistics) */
};

/* Connect to QEMU's qtest socket (it listens from start-up; retried until the run
 * deadline while QEMU is alive). */
void qtest_connect(struct qtest *q, struct vm *v);

/* Write a 32-bit value to a guest-physical address; dies unless QEMU answers OK. */
void qtest_writel(struct qtest *q, uint64_t addr, uint32_t val);

/* Make SPI spi pending (GICD_ISPENDRn). Pipelined: the command is sent at once and its
 * answer checked later (qtest_sync, or when the next command goes out), so the VMM does
 * not wait for QEMU's main loop, as a real VMM's virq_inject does not wait for the guest. */
void qtest_irq(struct qtest *q, unsigned spi);

/* Read and check the answers of every pipelined command. */
void qtest_sync(struct qtest *q);

void qtest_close(struct qtest *q);

#endif
