// SPDX-License-Identifier: BSD-2-Clause
/* TX: take descriptors from TX active into a window, validate each copy, copy the
 * frames out of the client data maps into our own aligned buffers, send them in
 * batches, and return every descriptor UNCHANGED on TX free in the order taken, refused
 * ones included.
 *
 * A descriptor is refused (not sent, returned, counted) when len < 14 (0 included),
 * len > NET_BUFFER_SIZE, [io, io + len) is not inside one client TX data map, len is
 * more than the interface sends (MTU + 14; + 4 for a VLAN-tagged frame, as AF_PACKET
 * allows), or the kernel refuses it for good (EMSGSIZE, ENETDOWN, ...).
 *
 * Back-pressure: when the socket is full (EAGAIN) or the qdisc drops (ENOBUFS) the
 * window stops: the unsent frames stay, in order, and the event loop retries on POLLOUT
 * or after a short delay. Descriptors are taken only while TX free has room to return
 * them all, so a return never has to wait on the peer (with at most cap buffers, as
 * sDDF configures, it always has).
 *
 * Publication order: TX active's head moves when descriptors are taken (we keep private
 * copies), before they go on TX free, so a kill between loses buffers but never returns
 * one twice. */
#include <errno.h>
#include <string.h>
#include "iomem.h"
#include "log.h"
#include "net.h"

#define WMASK (NET_BATCH - 1)

_Static_assert((NET_BATCH & WMASK) == 0, "NET_BATCH must be a power of two");

static void refuse(struct net_srv *s, const net_buff_desc_t *d, int st, const char *why)
{
	s->st[st]++;
	if (s->logged & 1u << st)
		return;
	s->logged |= 1u << st;
	warn("TX descriptor io 0x%llx len %u: %s; returned unsent (logged once; %s)",
	     (unsigned long long)d->io_or_offset, d->len, why, net_stat_names[st]);
}

/* Check a taken descriptor; copy a valid frame into buf. 1 = send it. */
static int accept(struct net_srv *s, const net_buff_desc_t *d, uint8_t *buf)
{
	volatile uint8_t *p;
	unsigned len = d->len;

	if (len < ETH_MIN_FRAME) {
		refuse(s, d, ST_TX_SHORT, "shorter than an Ethernet header");
		return 0;
	}
	if (len > NET_BUFFER_SIZE) {
		refuse(s, d, ST_TX_OVERSIZE, "longer than a buffer");
		return 0;
	}
	p = net_xlate(s->tx, s->ntx, d->io_or_offset, len);
	if (!p) {
		refuse(s, d, ST_TX_BADADDR, "not inside one client TX data map");
		return 0;
	}
	iomem_copy(buf, p, len);
	/* AF_PACKET sends MTU + header, and 4 more when the frame carries an 802.1Q tag. */
	if (len > s->max_frame && (len > s->max_frame + 4 || buf[12] != 0x81 || buf[13])) {
		refuse(s, d, ST_TX_TOOLONG, "longer than the interface sends");
		return 0;
	}
	return 1;
}

/* Move descriptors from TX active into the window. *no_room: entries were waiting but
 * TX free could not take them back. Returns how many were taken. */
static unsigned take(struct net_srv *s, int *no_room)
{
	unsigned inwin = s->tw_tail - s->tw_head, space = NET_BATCH - inwin, avail, room, n;

	if (!space || !(avail = netq_avail(&s->tx_active)))
		return 0;
	room = netq_room(&s->tx_free);
	room = room > inwin ? room - inwin : 0;
	n = avail < space ? avail : space;
	n = n < room ? n : room;
	if (!n) {
		*no_room = 1;
		return 0;
	}
	for (unsigned i = 0; i < n; i++) {
		uint32_t w = (s->tw_tail + i) & WMASK;
		netq_read(&s->tx_active, i, &s->txw[w].d);
		s->txw[w].ok = (uint8_t)accept(s, &s->txw[w].d, s->txbuf[w]);
	}
	s->tw_tail += n;
	netq_consume(&s->tx_active, n);
	return n;
}

/* Advance the send point over refused entries. */
static void skip_refused(struct net_srv *s)
{
	while (s->tw_send != s->tw_tail && !s->txw[s->tw_send & WMASK].ok)
		s->tw_send++;
}

/* Send what waits in the window. Returns 1 when something moved. */
static int send_some(struct net_srv *s)
{
	struct iovec iov[NET_BATCH];
	unsigned k = 0;
	int r;

	skip_refused(s);
	for (uint32_t i = s->tw_send; i != s->tw_tail; i++) {
		struct net_txe *e = &s->txw[i & WMASK];
		if (e->ok) {
			iov[k].iov_base = s->txbuf[i & WMASK];
			iov[k++].iov_len = e->d.len;
		}
	}
	if (!k)
		return 0;
	r = s->send(s->send_ctx, iov, k);
	if (r == -EAGAIN || r == -ENOBUFS || r == 0) {
		s->tx_blocked = r == -ENOBUFS ? TXB_RETRY : TXB_POLLOUT;
		s->st[ST_TX_BLOCKED]++;
		return 0;
	}
	if (r < 0) {
		/* The first waiting frame is refused for good: return it, go on. */
		struct net_txe *e = &s->txw[s->tw_send & WMASK];
		e->ok = 0;
		s->st[ST_TX_ERR]++;
		if (!(s->logged & 1u << ST_TX_ERR))
			warn("sending a %u-byte frame: %s; returned unsent (logged once; tx_err)",
			     e->d.len, strerror(-r));
		s->logged |= 1u << ST_TX_ERR;
		s->tw_send++;
		return 1;
	}
	for (; r > 0; s->tw_send++) {
		struct net_txe *e = &s->txw[s->tw_send & WMASK];
		if (e->ok) {
			s->st[ST_TX_FRAMES]++;
			s->st[ST_TX_BYTES] += e->d.len;
			r--;
		}
	}
	skip_refused(s);
	return 1;
}

/* Return finished entries on TX free, in order. Returns 1 when some went back. */
static int give_back(struct net_srv *s)
{
	unsigned n = s->tw_send - s->tw_head, room;

	if (!n || !(room = netq_room(&s->tx_free)))
		return 0;
	n = n < room ? n : room;
	for (unsigned i = 0; i < n; i++)
		netq_write(&s->tx_free, i, &s->txw[(s->tw_head + i) & WMASK].d);
	netq_publish(&s->tx_free, n);
	s->tw_head += n;
	s->tx_notify = 1;
	return 1;
}

int net_tx(struct net_srv *s)
{
	unsigned taken = 0, n;

	if (s->tx_blocked)
		return 0;
	for (;;) {
		int no_room = 0, moved;

		/* A peer that keeps TX active full must not starve RX and the rest: after a
		 * few windows, hand back to the event loop, which calls again at once. */
		if (taken >= NET_TX_BUDGET)
			return 1;
		n = take(s, &no_room);
		taken += n;
		moved = n > 0;

		moved |= send_some(s);
		moved |= give_back(s);
		if (s->tx_blocked)
			return 0;
		if (moved)
			continue;
		if (no_room) {
			/* Only a peer with more TX buffers than --tx-capacity (or inconsistent
			 * TX free indices) gets here. Ask to be told about new work and look
			 * again then. */
			if (!s->tx_full_logged && !s->tx_free.bad)
				warn("TX free is full with TX active waiting: the peer has more "
				     "buffers than --tx-capacity %u?", s->tx_free.cap);
			s->tx_full_logged |= !s->tx_free.bad;
			netq_ask(&s->tx_active);
			return 0;
		}
		if (netq_sleep(&s->tx_active))
			return 0;
	}
}

void net_tx_flush(struct net_srv *s)
{
	for (; s->tw_send != s->tw_tail; s->tw_send++)
		if (s->txw[s->tw_send & WMASK].ok)
			s->st[ST_TX_ERR]++;
	give_back(s);
}

void net_notify(struct net_srv *s)
{
	if (s->rx_notify && netq_want_signal(&s->rx_active)) {
		net_ring(&s->rx_bell);
		s->st[ST_RX_NOTIFY]++;
	}
	if (s->tx_notify && netq_want_signal(&s->tx_free)) {
		net_ring(&s->tx_bell);
		s->st[ST_TX_NOTIFY]++;
	}
	s->rx_notify = s->tx_notify = 0;
}

void net_srv_init(struct net_srv *s, const struct net_maps *m, uint32_t rx_cap, uint32_t tx_cap)
{
	static const char *const name[4] = { "RX free", "RX active", "TX active", "TX free" };

	for (int i = 0; i < 4; i++) /* Q_RX_FREE and Q_TX_ACTIVE (0, 2) are ours to consume */
		netq_init(&s->q[i], m->q[i], i < 2 ? rx_cap : tx_cap, !(i & 1), name[i],
			  &s->st[i < 2 ? ST_RX_BADIDX : ST_TX_BADIDX]);
	s->rx_bell.page = m->rx_notify;
	s->tx_bell.page = m->tx_notify;
	s->tw_head = s->tw_send = s->tw_tail = 0;
}
