// SPDX-License-Identifier: BSD-2-Clause
/* RX: each received frame takes the next RX free buffer, is copied into it, and the
 * descriptor goes on RX active with len set and everything else unchanged.
 *
 * Like a NIC without posted buffers, a frame that finds no usable buffer is dropped at
 * once and counted: the driver never blocks on RX, and never holds stale frames. The
 * event loop receives at most as many frames as there are buffers (net_rx_space), and
 * with none it drains the socket without copying the frames (net_rx_drop), so an
 * overloaded driver does not spend its CPU on frames it cannot deliver. Frames drive RX
 * work, so uio_net asks the virtualiser for an RX free signal only while it is out of
 * buffers (the request is withdrawn as soon as buffers are back).
 *
 * An RX free descriptor that is not a whole, NET_BUFFER_SIZE-aligned buffer of the RX
 * data map is dropped from use: it is neither written nor put on RX active, since the
 * virtualiser would take any buffer we hand it as one of its own (sDDF's virt_rx only
 * asserts). The pool shrinks by one; the count says so.
 *
 * Publication order: RX free's head moves before RX active's tail, so a kill between the
 * two loses buffers but never hands one out twice. */
#include "iomem.h"
#include "log.h"
#include "net.h"

static void bad_buf(struct net_srv *s, const net_buff_desc_t *d)
{
	s->st[ST_RX_BADBUF]++;
	if (s->logged & 1u << ST_RX_BADBUF)
		return;
	s->logged |= 1u << ST_RX_BADBUF;
	warn("RX free buffer 0x%llx: not a %u-byte slot of the RX data map at 0x%llx; "
	     "dropped from use (logged once; rx_badbuf)", (unsigned long long)d->io_or_offset,
	     NET_BUFFER_SIZE, (unsigned long long)s->rx.paddr);
}

void net_rx(struct net_srv *s, const struct net_frame *f, unsigned n)
{
	unsigned avail = netq_avail(&s->rx_free), room = netq_room(&s->rx_active);
	unsigned taken = 0, put = 0;
	int starved = 0;

	for (unsigned i = 0; i < n; i++) {
		volatile uint8_t *p = 0;
		uint32_t len = f[i].len;
		net_buff_desc_t d;

		if (len > NET_BUFFER_SIZE || !len) {
			s->st[ST_RX_TOOLONG]++;
			if (!(s->logged & 1u << ST_RX_TOOLONG))
				warn("received a %u-byte frame, longer than a buffer: dropped "
				     "(logged once; rx_toolong)", len);
			s->logged |= 1u << ST_RX_TOOLONG;
			continue;
		}
		while (!p && put < room && taken < avail) {
			netq_read(&s->rx_free, taken++, &d);
			p = net_rx_buf(&s->rx, d.io_or_offset);
			if (!p)
				bad_buf(s, &d);
		}
		if (!p) {
			s->st[ST_RX_NOBUF]++;
			starved |= taken == avail;
			continue;
		}
		iomem_copy(p, f[i].buf, len);
		d.len = (uint16_t)len;
		netq_write(&s->rx_active, put++, &d);
		s->st[ST_RX_FRAMES]++;
		s->st[ST_RX_BYTES] += len;
	}
	netq_consume(&s->rx_free, taken);
	netq_publish(&s->rx_active, put);
	s->rx_notify |= put > 0;
	if (starved)
		netq_sleep(&s->rx_free);
	else
		netq_quiet(&s->rx_free);
}

unsigned net_rx_space(struct net_srv *s)
{
	unsigned a = netq_avail(&s->rx_free), r = netq_room(&s->rx_active);

	a = a < r ? a : r;
	return a < NET_BATCH ? a : NET_BATCH;
}

void net_rx_drop(struct net_srv *s, const struct net_frame *f, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		s->st[f[i].len > NET_BUFFER_SIZE ? ST_RX_TOOLONG : ST_RX_NOBUF]++;
	if (n)
		netq_sleep(&s->rx_free);
}

void net_rx_irq(struct net_srv *s)
{
	/* Buffers are back (the virtualiser already reset the flag when it notified). */
	netq_quiet(&s->rx_free);
}
