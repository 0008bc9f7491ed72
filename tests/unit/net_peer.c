// SPDX-License-Identifier: BSD-2-Clause
/* Test doubles for uio_net: exact-size heap maps, the virtualiser's side of the queues,
 * a recording fake link. See net_peer.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "iomem.h"
#include "net_peer.h"

static uint8_t *zalloc(size_t n)
{
	uint8_t *p = calloc(1, n);
	if (!p)
		abort();
	return p;
}

void rig_init(struct net_rig *r, uint32_t rx_cap, uint32_t tx_cap, unsigned rx_bufs,
	      unsigned tx_bufs, uint16_t start)
{
	size_t rxq = net_queue_bytes(rx_cap), txq = net_queue_bytes(tx_cap);

	memset(r, 0, sizeof(*r));
	r->rx_cap = rx_cap;
	r->tx_cap = tx_cap;
	r->rx_bufs = rx_bufs;
	r->tx_bufs = tx_bufs;
	r->m.rx_free = zalloc(rxq);
	r->m.rx_active = zalloc(rxq);
	r->m.tx_active = zalloc(txq);
	r->m.tx_free = zalloc(txq);
	r->m.qsize[Q_RX_FREE] = r->m.qsize[Q_RX_ACTIVE] = rxq;
	r->m.qsize[Q_TX_FREE] = r->m.qsize[Q_TX_ACTIVE] = txq;
	r->m.rx_notify = zalloc(4);
	r->m.tx_notify = zalloc(4);
	q_set(r->m.rx_free, start, start);
	q_set(r->m.rx_active, start, start);
	q_set(r->m.tx_active, start, start);
	q_set(r->m.tx_free, start, start);
	/* sDDF zero-initialises the flags: "signal me" until the first notification. */
	r->srv.rx.paddr = RX_BASE;
	r->srv.rx.size = (uint64_t)rx_bufs * NET_BUFFER_SIZE;
	r->srv.rx.mem = zalloc(r->srv.rx.size);
	for (int i = 0; i < 3; i++) {
		r->srv.tx[i].size = (uint64_t)tx_bufs * NET_BUFFER_SIZE;
		r->srv.tx[i].mem = zalloc(r->srv.tx[i].size);
	}
	r->srv.tx[0].paddr = TX_BASE0;
	r->srv.tx[1].paddr = TX_BASE0 + r->srv.tx[0].size;
	r->srv.tx[2].paddr = TX_BASE2;
	r->srv.ntx = 3;
	net_srv_init(&r->srv, &r->m, rx_cap, tx_cap);
	r->srv.max_frame = 1500 + ETH_HDR;
	r->srv.send = fake_send;
	r->srv.send_ctx = &r->link;
	r->srv.rx_bell.count = r->rx_bell0 = 1000;
	r->srv.tx_bell.count = r->tx_bell0 = 5000;
	r->link.block_after = -1;
}

void rig_free(struct net_rig *r)
{
	free((void *)r->m.rx_free);
	free((void *)r->m.rx_active);
	free((void *)r->m.tx_active);
	free((void *)r->m.tx_free);
	free((void *)r->m.rx_notify);
	free((void *)r->m.tx_notify);
	free((void *)r->srv.rx.mem);
	for (int i = 0; i < 3; i++)
		free((void *)r->srv.tx[i].mem);
}

static unsigned rings(volatile uint8_t *page, uint32_t base)
{
	uint32_t v = *(volatile uint32_t *)page;
	return v ? v - base : 0;
}
unsigned rig_rx_rings(const struct net_rig *r) { return rings(r->m.rx_notify, r->rx_bell0); }
unsigned rig_tx_rings(const struct net_rig *r) { return rings(r->m.tx_notify, r->tx_bell0); }

uint16_t q_tail(volatile uint8_t *q) { return io_load16_acq(q + NETQ_TAIL); }
uint16_t q_head(volatile uint8_t *q) { return io_load16_acq(q + NETQ_HEAD); }
uint32_t q_flag(volatile uint8_t *q) { return io_load32(q + NETQ_SIGNALLED); }
void q_set_flag(volatile uint8_t *q, uint32_t v) { io_store32(q + NETQ_SIGNALLED, v); }

void q_set(volatile uint8_t *q, uint16_t tail, uint16_t head)
{
	io_store16_rel(q + NETQ_TAIL, tail);
	io_store16_rel(q + NETQ_HEAD, head);
}

int q_push(volatile uint8_t *q, uint32_t cap, uint64_t io, uint16_t len)
{
	uint16_t t = q_tail(q), h = q_head(q);
	net_buff_desc_t d = { .io_or_offset = io, .len = len, .oid = 0x2a,
			      .pad = { 1, 2, 3, 4, 5 } };

	if ((uint16_t)(t - h) >= cap)
		return -1;
	iomem_copy(q + NETQ_SLOTS + 16 * ((uint16_t)t % cap), &d, sizeof(d));
	io_store16_rel(q + NETQ_TAIL, (uint16_t)(t + 1));
	return 0;
}

int q_pop(volatile uint8_t *q, uint32_t cap, net_buff_desc_t *d)
{
	uint16_t t = q_tail(q), h = q_head(q);

	if (t == h)
		return -1;
	iomem_copy(d, q + NETQ_SLOTS + 16 * ((uint16_t)h % cap), sizeof(*d));
	io_store16_rel(q + NETQ_HEAD, (uint16_t)(h + 1));
	return 0;
}

uint32_t frame_sum(const volatile uint8_t *p, unsigned len)
{
	uint32_t s = 2166136261u;
	for (unsigned i = 0; i < len; i++)
		s = (s ^ p[i]) * 16777619u;
	return s ^ len;
}

uint64_t tx_fill(struct net_rig *r, int m, unsigned i, unsigned len, unsigned seed)
{
	volatile uint8_t *p = r->srv.tx[m].mem + (size_t)i * NET_BUFFER_SIZE;
	unsigned n = len < NET_BUFFER_SIZE ? len : NET_BUFFER_SIZE;

	for (unsigned k = 0; k < n; k++)
		p[k] = (uint8_t)(seed * 31 + k * 7 + (k >> 8));
	if (n > 13)
		p[12] = 0x08, p[13] = 0x00; /* IPv4 ethertype: not a VLAN tag */
	return r->srv.tx[m].paddr + (uint64_t)i * NET_BUFFER_SIZE;
}

int fake_send(void *ctx, struct iovec *iov, unsigned n)
{
	struct fake_link *l = ctx;
	unsigned k = 0;

	l->ncalls++;
	for (; k < n; k++) {
		if (l->block_after == 0)
			break;
		if (l->fail_len && (int)iov[k].iov_len == l->fail_len) {
			if (!k)
				return -l->fail_err;
			return (int)k; /* the error shows on the next call, as with sendmmsg */
		}
		if (l->nsent < 4096) {
			l->len[l->nsent] = (uint32_t)iov[k].iov_len;
			l->sum[l->nsent] = frame_sum(iov[k].iov_base, (unsigned)iov[k].iov_len);
		}
		l->nsent++;
		if (l->block_after > 0)
			l->block_after--;
	}
	return k ? (int)k : -l->block_err;
}
