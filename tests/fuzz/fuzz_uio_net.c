// SPDX-License-Identifier: BSD-2-Clause
/* libFuzzer target: uio_net's descriptor processing (net_rx, net_tx, the handshake)
 * against a peer driven by the input: capacities 1 to 2048 (1, 3, 384, 1000, 2048 among
 * them) and arbitrary starting indices (the u16 wrap included),
 * arbitrary descriptors (addresses near and inside the maps, any length), raw index
 * and flag writes, frames of any length, a link that blocks or refuses. The maps are
 * exact-size heap buffers, so ASan reports any access outside them; every copy into or
 * out of a map is checked for alignment; and whatever the peer does, the driver must
 * send only frames it validated, and put on RX active only whole aligned RX buffers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "iomem.h"
#include "log.h"
#include "net_peer.h"

struct in {
	const uint8_t *p;
	size_t n;
};

static uint64_t take(struct in *in, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes; i++) {
		v = v << 8;
		if (in->n) {
			v |= *in->p++;
			in->n--;
		}
	}
	return v;
}

static void check_aligned(const volatile void *p, unsigned w)
{
	if ((uintptr_t)p & (w - 1))
		abort();
}

/* An address the input picks: inside or around one of the maps, or anything. */
static uint64_t pick_io(struct in *in, const struct net_rig *r)
{
	unsigned how = (unsigned)take(in, 1);
	int64_t off = (int8_t)take(in, 1) * 8;

	switch (how % 5) {
	case 0:
		return r->srv.rx.paddr + (how / 5 % 9) * (uint64_t)NET_BUFFER_SIZE + (uint64_t)off;
	case 1:
	case 2:
	case 3:
		return r->srv.tx[how % 3].paddr + (how / 5 % 9) * (uint64_t)NET_BUFFER_SIZE +
		       (uint64_t)off;
	default:
		return take(in, 8);
	}
}

static uint8_t frame[4096] __attribute__((aligned(8)));

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct net_rig r;
	static int quiet;
	struct in in = { data, size };
	unsigned b = (unsigned)take(&in, 1);
	/* powers of two and what sDDF also allows (sdfgen sums client capacities) */
	static const uint32_t caps[8] = { 1, 3, 8, 128, 384, 1000, 2048, 2 };
	uint32_t rx_cap = caps[b & 7], tx_cap = caps[b >> 3 & 7];
	unsigned rx_bufs = 1 + (unsigned)take(&in, 1) % 8, tx_bufs = 1 + (unsigned)take(&in, 1) % 8;
	uint16_t start = (uint16_t)take(&in, 2);
	int tampered = 0;
	net_buff_desc_t d;

	if (!quiet) {
		log_level = 0; /* the driver's warnings would flood the fuzzer's output */
		quiet = 1;
	}
	iomem_trace = check_aligned;
	rig_init(&r, rx_cap, tx_cap, rx_bufs, tx_bufs, start);
	r.srv.max_frame = 60 + (unsigned)take(&in, 2) % 2100;
	for (unsigned i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)(i * 11);
	while (in.n) {
		unsigned op = (unsigned)take(&in, 1);
		struct net_frame f[8];
		unsigned k;

		switch (op % 10) {
		case 0:
			q_push(r.m.rx_free, rx_cap, pick_io(&in, &r), (uint16_t)take(&in, 2));
			break;
		case 1:
			q_push(r.m.tx_active, tx_cap, pick_io(&in, &r), (uint16_t)take(&in, 2));
			break;
		case 2: { /* a raw index or flag write */
			volatile uint8_t *qs[4] = { r.m.rx_free, r.m.rx_active, r.m.tx_active,
						    r.m.tx_free };
			unsigned w = (unsigned)take(&in, 1);
			volatile uint8_t *q = qs[w & 3];
			if (w & 8) {
				q_set_flag(q, (uint32_t)take(&in, 1));
			} else {
				uint16_t v = (uint16_t)take(&in, 2);
				q_set(q, w & 4 ? v : q_tail(q), w & 4 ? q_head(q) : v);
				tampered = 1;
			}
			break;
		}
		case 3:
			k = 1 + (unsigned)take(&in, 1) % 8;
			for (unsigned i = 0; i < k; i++) {
				f[i].buf = frame;
				f[i].len = (uint32_t)take(&in, 2) % 4200;
			}
			if (op & 0x80) { /* as the event loop does: no more than the space */
				unsigned want = net_rx_space(&r.srv);
				if (want)
					net_rx(&r.srv, f, k < want ? k : want);
				else
					net_rx_drop(&r.srv, f, k);
			} else {
				net_rx(&r.srv, f, k);
			}
			break;
		case 4:
		case 5:
			net_tx(&r.srv);
			break;
		case 6: {
			unsigned m = (unsigned)take(&in, 1);
			r.link.block_after = m & 1 ? -1 : (int)(m >> 1 & 7);
			r.link.block_err = m & 16 ? ENOBUFS : EAGAIN;
			r.link.fail_len = m & 32 ? 14 + (int)take(&in, 1) * 8 : 0;
			r.link.fail_err = EMSGSIZE;
			r.srv.tx_blocked = TXB_NONE;
			break;
		}
		case 7: /* the peer consumes what the driver produced */
			while (!q_pop(r.m.rx_active, rx_cap, &d))
				if (!tampered && (!d.len || d.len > NET_BUFFER_SIZE ||
						  !net_rx_buf(&r.srv.rx, d.io_or_offset)))
					abort();
			while (!q_pop(r.m.tx_free, tx_cap, &d))
				;
			break;
		case 8:
			net_notify(&r.srv);
			net_rx_irq(&r.srv);
			break;
		case 9: /* slot garbage where the peer has not written */
			k = (unsigned)take(&in, 1);
			iomem_set(r.m.tx_active + NETQ_SLOTS + 16 * (k % tx_cap), (int)take(&in, 1),
				  16);
			break;
		}
	}
	net_tx_flush(&r.srv);
	net_notify(&r.srv);
	/* Only validated frames reach the link. */
	for (unsigned i = 0; i < r.link.nsent && i < 4096; i++)
		if (r.link.len[i] < ETH_MIN_FRAME || r.link.len[i] > r.srv.max_frame + 4 ||
		    r.link.len[i] > NET_BUFFER_SIZE)
			abort();
	if (r.srv.tw_head != r.srv.tw_tail && !tampered)
		abort(); /* flush returns everything: room was reserved when taken */
	rig_free(&r);
	iomem_trace = 0;
	return 0;
}
