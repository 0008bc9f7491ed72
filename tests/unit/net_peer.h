/* SPDX-License-Identifier: BSD-2-Clause */
/* Test doubles for uio_net, shared by the unit tests and the fuzzer: the four queues,
 * notify pages and data maps as exact-size heap buffers (so ASan catches any access
 * outside a map), the sDDF virtualiser's side of the queues, and a fake link whose
 * sendmmsg records frames and can be told to block or fail. */
#ifndef TEST_NET_PEER_H
#define TEST_NET_PEER_H
#include "../../drivers/uio_net/net.h"

#define RX_BASE 0x50000000ull   /* RX data map */
#define TX_BASE0 0x60000000ull  /* TX map 0; map 1 starts right where it ends */
#define TX_BASE2 0x70000000ull  /* TX map 2 */

struct fake_link {
	unsigned nsent;          /* frames accepted */
	unsigned ncalls;
	int block_after;         /* < 0: never; else accept this many more, then -block_err */
	int block_err;           /* EAGAIN or ENOBUFS */
	int fail_len;            /* a frame of this length fails with -fail_err (0: none) */
	int fail_err;
	uint32_t len[4096];      /* lengths of the frames sent, in order */
	uint32_t sum[4096];      /* a checksum of their bytes */
};

struct net_rig {
	struct net_srv srv;
	struct net_maps m;
	uint32_t rx_cap, tx_cap;
	unsigned rx_bufs;        /* RX data map: rx_bufs * 2048 bytes */
	unsigned tx_bufs;        /* each TX map: tx_bufs * 2048 bytes */
	struct fake_link link;
	uint32_t rx_bell0, tx_bell0; /* doorbell values at set-up */
};

/* Allocate everything; queue indices all start at start (tail = head = start). */
void rig_init(struct net_rig *r, uint32_t rx_cap, uint32_t tx_cap, unsigned rx_bufs,
	      unsigned tx_bufs, uint16_t start);
void rig_free(struct net_rig *r);
/* Doorbells rung since set-up (the notify word changed by this many writes). */
unsigned rig_rx_rings(const struct net_rig *r);
unsigned rig_tx_rings(const struct net_rig *r);

/* Peer side: enqueue (slot, release, tail + 1); -1 when full. Dequeue; -1 when empty. */
int q_push(volatile uint8_t *q, uint32_t cap, uint64_t io, uint16_t len);
int q_pop(volatile uint8_t *q, uint32_t cap, net_buff_desc_t *d);
uint16_t q_tail(volatile uint8_t *q);
uint16_t q_head(volatile uint8_t *q);
void q_set(volatile uint8_t *q, uint16_t tail, uint16_t head);
uint32_t q_flag(volatile uint8_t *q);
void q_set_flag(volatile uint8_t *q, uint32_t v);

/* The checksum fake_link records (and the tests compute for the bytes they wrote). */
uint32_t frame_sum(const volatile uint8_t *p, unsigned len);
/* Fill a TX buffer of map m (0..2) at buffer index i with a pattern; returns its io. */
uint64_t tx_fill(struct net_rig *r, int m, unsigned i, unsigned len, unsigned seed);

int fake_send(void *ctx, struct iovec *iov, unsigned n);

#endif
