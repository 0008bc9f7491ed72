// SPDX-License-Identifier: BSD-2-Clause
/* Network workloads: frames of every size both ways with payloads verified, every
 * refused descriptor class, bad RX buffers, an empty RX free queue, inconsistent
 * indices, racing bursts that would expose a lost wake-up, a graceful restart; and the
 * comparison of the driver's counters with what the simulator did. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "net_work.h"

#define WINDOW 32 /* frames in flight in the rx and tx phases */

static const char *const cnames[NCOUNT] = {
	"rx_frames", "tx_frames", "rx_nobuf", "rx_toolong", "rx_badbuf", "rx_badidx",
	"tx_short", "tx_oversize", "tx_toolong", "tx_badaddr", "tx_badidx", "tx_err",
	"rx_kdrop",
};

static uint8_t fbuf[65536], hbuf[65536];

uint64_t rnd(struct net_run *r)
{
	r->rng ^= r->rng << 13;
	r->rng ^= r->rng >> 7;
	r->rng ^= r->rng << 17;
	return r->rng;
}

struct cctx {
	struct net_run *r;
	int ok;
};

static int counters_match(void *p)
{
	struct cctx *c = p;

	for (int i = 0; i < NCOUNT; i++) {
		uint64_t v;
		if (stats_read(c->r->v, cnames[i], &v) || v != c->r->want[i])
			return 0;
	}
	return c->ok = 1;
}

void expect_counters(struct net_run *r, const char *name)
{
	struct cctx c = { r, 0 };
	char what[64], diff[512] = "";
	int n = 0;

	snprintf(what, sizeof(what), "%s: counters", name);
	/* the driver logs its counters every second when they changed; reading the log
	 * costs host CPU that QEMU wants, so look every 50 ms */
	for (uint64_t t0 = now_ns(); !counters_match(&c) && now_ns() - t0 < 8000000000ull;) {
		if (!vm_alive(r->v->vm))
			die("QEMU ended (%s)", status_str(r->v->vm->status));
		sleep_us(50000);
	}
	if (c.ok) {
		pass(what, "as expected");
		return;
	}
	for (int i = 0; i < NCOUNT; i++) {
		uint64_t v = ~0ull;
		if (stats_read(r->v, cnames[i], &v) || v != r->want[i])
			n += snprintf(diff + n, sizeof(diff) - (size_t)n, " %s=%lld (want %llu)",
				      cnames[i], v == ~0ull ? -1LL : (long long)v,
				      (unsigned long long)r->want[i]);
		if (n >= (int)sizeof(diff))
			break;
	}
	fail(what, "the driver's stats line says%s", diff);
}

void wait_serving(struct net_run *r, uint64_t timeout_ns)
{
	uint64_t t0 = now_ns();

	while (nq_flag(&r->v->tx_active)) {
		if (!vm_alive(r->v->vm))
			die("QEMU ended (%s) before the driver served", status_str(r->v->vm->status));
		if (now_ns() - t0 > timeout_ns)
			die("the driver did not start serving within %llu s (no signal request on "
			    "TX active)", (unsigned long long)(timeout_ns / 1000000000u));
		sleep_us(1000);
	}
}

/* ---- host -> guest -> RX active ------------------------------------------------------ */

/* Take every frame on RX active, checking it is the next one expected; return the
 * buffers (or hold them). Returns frames taken, -1 on a failure (reported). */
static int rx_drain(struct net_run *r, const char *name, uint32_t *next, const unsigned *lens,
		    uint32_t first, unsigned total, int hold)
{
	struct net_virt *v = r->v;
	uint32_t len;
	uint64_t io;
	int n = 0, t;

	while ((t = rx_take(v, fbuf, &len, &io)) == 1) {
		uint32_t seq = *next, want;
		int c;

		if (seq - first >= total) {
			fail(name, "RX active holds more frames than were sent (%u)", total);
			return -1;
		}
		want = lens[seq - first];
		c = frame_check(fbuf, len, MAGIC_RX, seq, want);
		if (c) {
			fail(name, "RX frame %u: %s (len %u, expected %u)", seq - first,
			     c == -1 ? "wrong length" : "payload differs", len, want);
			return -1;
		}
		++*next;
		v->rx_got++;
		rx_return(v, io, hold);
		n++;
	}
	if (t < 0)
		return -1;
	if (!hold)
		notify_rx_free(v);
	return n;
}

/* Send frames of the given lengths; collect them from RX active in order. */
static int rx_frames(struct net_run *r, const char *name, const unsigned *lens, unsigned n,
		     int hold)
{
	struct net_virt *v = r->v;
	uint32_t first = v->rx_seq, next = first;
	unsigned sent = 0;

	while (next - first < n) {
		while (sent < n && sent - (next - first) < WINDOW) {
			frame_make(hbuf, lens[sent], MAGIC_RX, v->rx_seq++, v->mac);
			wire_send(v, hbuf, lens[sent++]);
		}
		if (!wait_rx_active(v, r->stall_ns, name)) {
			fail(name, "frame %u of %u (%u bytes) did not reach RX active within %llu ms",
			     next - first, n, lens[next - first],
			     (unsigned long long)(r->stall_ns / 1000000));
			r->stopped = 1;
			return -1;
		}
		if (rx_drain(r, name, &next, lens, first, n, hold) < 0) {
			r->stopped = 1;
			return -1;
		}
	}
	r->want[C_RX_FRAMES] += n;
	return 0;
}

void phase_rx(struct net_run *r, unsigned lo, unsigned hi, const char *name)
{
	unsigned n = hi - lo + 1, *lens = xzalloc(sizeof(*lens) * n);
	uint64_t lost0 = r->v->lost;

	check_begin(name);
	for (unsigned i = 0; i < n; i++)
		lens[i] = lo + i;
	if (!rx_frames(r, name, lens, n, 0) && r->v->lost == lost0)
		pass(name, "%u frames of %u..%u bytes, host -> RX active, payloads verified, "
		     "buffers returned unchanged", n, lo, hi);
	free(lens);
}

/* ---- TX active -> guest -> host ------------------------------------------------------ */

/* The next test frame from the guest; other frames (the guest kernel's IPv6 chatter) are
 * counted and skipped. Returns its length or -1. */
static int host_frame(struct net_run *r, uint64_t timeout_ns)
{
	uint64_t t0 = now_ns();

	for (;;) {
		uint64_t t = now_ns() - t0;
		int len = t < timeout_ns ? wire_recv(r->v, hbuf, timeout_ns - t) : -1;

		if (len < 0)
			return -1;
		if (len >= 24 && hbuf[12] == (ETH_TYPE_TEST >> 8) && hbuf[13] == (ETH_TYPE_TEST & 0xff))
			return len;
		if (len >= 28 && hbuf[12] == 0x81 && hbuf[13] == 0 && hbuf[16] == (ETH_TYPE_TEST >> 8))
			return len; /* our VLAN-tagged frame */
		r->v->other_frames++;
	}
}

static void tx_collect_back(struct net_run *r)
{
	while (tx_back(r->v, 1, 0) == 1)
		;
}

/* Wait until every pushed descriptor is back on TX free (through the handshake). */
static int tx_all_back(struct net_run *r, const char *name)
{
	struct net_virt *v = r->v;

	while (v->tx_given.n) {
		if (!wait_tx_free(v, r->stall_ns, name)) {
			fail(name, "%u TX descriptors not returned on TX free within %llu ms",
			     v->tx_given.n, (unsigned long long)(r->stall_ns / 1000000));
			r->stopped = 1;
			return -1;
		}
		while (tx_back(v, 1, 0) == 1)
			;
	}
	return 0;
}

/* Push frames of the given lengths on TX active (in flight at most WINDOW) and check the
 * host receives them, in order and intact, and every descriptor comes back. */
static int tx_frames(struct net_run *r, const char *name, const unsigned *lens, unsigned n)
{
	struct net_virt *v = r->v;
	uint32_t first = v->tx_seq;
	unsigned pushed = 0, done = 0;

	while (done < n) {
		int k = 0;
		uint64_t io;

		while (pushed < n && pushed - done < WINDOW && (io = tx_buf(v))) {
			frame_make(tx_ptr(v, io), lens[pushed], MAGIC_TX, v->tx_seq++, (const uint8_t *)"\2\0\0\0\0\2");
			if (tx_push(v, io, (uint16_t)lens[pushed]))
				die("internal: TX active full");
			pushed++;
			k++;
		}
		if (k)
			notify_tx_active(v);
		if (pushed == done) { /* pool empty, nothing in flight: wait for returns */
			if (tx_all_back(r, name))
				return -1;
			continue;
		}
		int len = host_frame(r, r->stall_ns);
		if (len < 0) {
			fail(name, "frame %u of %u (%u bytes) did not reach the host within %llu ms",
			     done, n, lens[done], (unsigned long long)(r->stall_ns / 1000000));
			r->stopped = 1;
			return -1;
		}
		int c = frame_check(hbuf, (unsigned)len, MAGIC_TX, first + done, lens[done]);
		if (c) {
			fail(name, "frame %u at the host: %s (len %d, expected %u)", done,
			     c == -1 ? "wrong length (or out of order)" : "payload differs", len,
			     lens[done]);
			r->stopped = 1;
			return -1;
		}
		done++;
		v->tx_got++;
		tx_collect_back(r);
	}
	r->want[C_TX_FRAMES] += n;
	return tx_all_back(r, name);
}

void phase_tx(struct net_run *r, unsigned lo, unsigned hi, const char *name)
{
	unsigned n = hi - lo + 1, *lens = xzalloc(sizeof(*lens) * n);
	uint64_t lost0 = r->v->lost;

	check_begin(name);
	for (unsigned i = 0; i < n; i++)
		lens[i] = lo + i;
	if (!tx_frames(r, name, lens, n) && r->v->lost == lost0)
		pass(name, "%u frames of %u..%u bytes from 3 client regions, TX active -> host, "
		     "payloads verified, in order, descriptors returned unchanged", n, lo, hi);
	free(lens);
}

/* ---- invalid descriptors --------------------------------------------------------------- */

/* One valid frame through TX, to show serving goes on and order is kept. */
static int tx_one(struct net_run *r, const char *name, unsigned len)
{
	unsigned l = len;
	return tx_frames(r, name, &l, 1);
}

void phase_invalid(struct net_run *r)
{
	struct net_virt *v = r->v;
	struct { const char *what; uint64_t io; unsigned len; int counter; } bad[] = {
		{ "len 0", 0, 0, C_TX_SHORT },
		{ "len 13", 0, 13, C_TX_SHORT },
		{ "len 2049", 0, 2049, C_TX_OVERSIZE },
		{ "len 65535", 0, 65535, C_TX_OVERSIZE },
		{ "len 1515 > MTU + 14", 0, 1515, C_TX_TOOLONG },
		{ "in no map", v->hole_gpa, 60, C_TX_BADADDR },
		{ "in the RX data map", v->rx_gpa, 60, C_TX_BADADDR },
		{ "straddling data0/data1", v->txr[1].gpa - 64, 128, C_TX_BADADDR },
		{ "past data2's end", v->txr[2].gpa + v->txr[2].size - 32, 64, C_TX_BADADDR },
		{ "wrapping 2^64", 0xffffffffffffffc0ull, 128, C_TX_BADADDR },
		{ "address 0", 0, 60, C_TX_BADADDR },
	};
	const char *name = "invalid-tx";
	unsigned lens[1] = { 100 };

	check_begin(name);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t io = bad[i].io;
		if (!io && strcmp(bad[i].what, "address 0")) { /* a real buffer, bad length */
			io = tx_buf(v);
			frame_make(tx_ptr(v, io), bad[i].len > NBUF ? NBUF : bad[i].len < 24 ? 24 : bad[i].len,
				   MAGIC_TX, 0xdead0000u + (uint32_t)i, (const uint8_t *)"\2\0\0\0\0\2");
		}
		if (tx_push(v, io, (uint16_t)bad[i].len))
			die("internal: TX active full");
		r->want[bad[i].counter]++;
		/* the valid frame after it (notifies) must arrive and come back in order */
		if (tx_frames(r, name, lens, 1))
			return;
		lens[0] += 97;
	}
	/* a VLAN-tagged 1518-byte frame is sendable (MTU + 14 + 4) */
	{
		uint64_t io = tx_buf(v);
		uint8_t *p = tx_ptr(v, io);
		int len;

		frame_make(p, 1518, MAGIC_TX, 0xbeef, (const uint8_t *)"\2\0\0\0\0\2");
		memmove(p + 16, p + 12, 1518 - 16);
		p[12] = 0x81, p[13] = 0, p[14] = 0, p[15] = 5;
		memcpy(fbuf, p, 1518);
		tx_push(v, io, 1518);
		notify_tx_active(v);
		len = host_frame(r, r->stall_ns);
		if (len != 1518 || memcmp(hbuf, fbuf, 1518)) {
			fail(name, "the VLAN-tagged 1518-byte frame did not arrive intact (len %d)", len);
			return;
		}
		r->want[C_TX_FRAMES]++;
		if (tx_all_back(r, name))
			return;
	}
	if (tx_one(r, name, 1514))
		return;
	pass(name, "11 refused descriptors (len 0, 13, 2049, 65535, 1515; outside, RX map, "
	     "straddling, past the end, wrapping, address 0) returned unchanged in order, "
	     "never sent; valid frames around them delivered");

	/* RX: bad free buffers, after the driver has used up the good ones */
	name = "invalid-rx";
	check_begin(name);
	{
		unsigned held = v->rx_given.n, *l = xzalloc(sizeof(*l) * (held + 4));
		uint64_t bad_rx[] = { v->hole_gpa, v->rx_gpa + 100, v->txr[0].gpa,
				      v->rx_gpa + v->rx_size, v->rx_gpa - NBUF };

		for (unsigned i = 0; i < held; i++)
			l[i] = 60 + i % 1400;
		if (rx_frames(r, name, l, held, 1)) /* the driver's free queue is now empty */
			return;
		for (size_t i = 0; i < sizeof(bad_rx) / sizeof(bad_rx[0]); i++)
			rx_give(v, bad_rx[i], 0);
		r->want[C_RX_BADBUF] += sizeof(bad_rx) / sizeof(bad_rx[0]);
		/* two good buffers after them: the frames must land there */
		for (int i = 0; i < 2; i++) {
			uint64_t io = v->rx_gpa + (uint64_t)v->rx_held[--v->n_held] * NBUF;
			rx_give(v, io, 1);
		}
		notify_rx_free(v);
		l[0] = 200, l[1] = 1514;
		if (rx_frames(r, name, l, 2, 0))
			return;
		rx_release_held(v);
		free(l);
	}
	pass(name, "5 bad RX free buffers (outside, misaligned, a TX buffer, just past and "
	     "just before the map) skipped; frames landed in the next good buffers");

	/* RX frames longer than a buffer: dropped (if the NIC passes them up at all) */
	name = "invalid-rx-long";
	check_begin(name);
	{
		unsigned big[2] = { 3000, 9000 }, ok[2] = { 64, 1500 };

		for (int i = 0; i < 2; i++) {
			frame_make(hbuf, big[i], MAGIC_RX, 0xbad00000u + (uint32_t)i, v->mac);
			wire_send(v, hbuf, big[i]);
		}
		if (rx_frames(r, name, ok, 2, 0))
			return;
		r->want[C_RX_TOOLONG] += 2;
	}
	pass(name, "frames of 3000 and 9000 bytes not delivered; the next ones were");
	expect_counters(r, "invalid");
}

/* ---- an empty RX free queue ------------------------------------------------------------ */

void phase_nobuf(struct net_run *r)
{
	struct net_virt *v = r->v;
	const char *name = "nobuf";
	unsigned held = v->rx_given.n, *l = xzalloc(sizeof(*l) * (held + 64));
	uint32_t irqs;

	check_begin(name);
	for (unsigned i = 0; i < held; i++)
		l[i] = 60 + (i * 37) % 1455;
	if (rx_frames(r, name, l, held, 1)) /* use up the driver's buffers */
		return;
	/* 50 frames with no buffer: dropped at once, and the driver keeps serving TX */
	for (int i = 0; i < 50; i++) {
		frame_make(hbuf, 100 + i, MAGIC_RX, v->rx_seq++, v->mac);
		wire_send(v, hbuf, 100 + i);
		sleep_us(200);
	}
	r->want[C_RX_NOBUF] += 50;
	if (tx_one(r, name, 333))
		return;
	expect_counters(r, name);
	if (nq_flag(&v->rx_free) != 0)
		fail(name, "the starving driver did not ask for an RX free signal (flag %u)",
		     nq_flag(&v->rx_free));
	irqs = (uint32_t)v->irqs;
	rx_release_held(v);
	if (v->irqs != irqs + 1)
		fail(name, "returning buffers to a driver that asked did not notify it");
	/* frames flow again, and none of the dropped ones shows up */
	for (unsigned i = 0; i < 20; i++)
		l[i] = 60 + i * 70;
	if (rx_frames(r, name, l, 20, 0))
		return;
	free(l);
	pass(name, "50 frames dropped with RX free empty, TX served meanwhile, RX resumed "
	     "when buffers came back (no stale frame)");
}

/* ---- inconsistent indices -------------------------------------------------------------- */

static void put16(volatile uint8_t *q, int off, uint16_t v)
{
	__atomic_store_n((volatile uint16_t *)(q + off), v, __ATOMIC_RELEASE);
}

void phase_indices(struct net_run *r)
{
	struct net_virt *v = r->v;
	const char *name = "indices";
	unsigned l3[3] = { 80, 90, 100 };
	uint64_t io;
	int len;

	check_begin(name);
	/* TX active tail claims cap + 1 entries */
	put16(v->tx_active.q, 0, (uint16_t)(v->tx_active.idx + v->tx_cap + 1));
	qtest_irq(v->qt, (unsigned)v->spi_tx);
	len = host_frame(r, 300000000ull);
	if (len >= 0 || nq_used(&v->tx_free)) {
		fail(name, "TX active with tail - head = cap + 1: something was sent or returned");
		return;
	}
	put16(v->tx_active.q, 0, v->tx_active.idx);
	r->want[C_TX_BADIDX]++;
	if (tx_one(r, name, 120))
		return;
	/* TX free head ahead of the driver's tail: it cannot return, so takes nothing */
	put16(v->tx_free.q, 2, (uint16_t)(v->tx_free.idx + 5));
	io = tx_buf(v);
	frame_make(tx_ptr(v, io), 140, MAGIC_TX, v->tx_seq, (const uint8_t *)"\2\0\0\0\0\2");
	tx_push(v, io, 140);
	notify_tx_active(v);
	len = host_frame(r, 300000000ull);
	if (len >= 0) {
		fail(name, "TX free head ahead of its tail: the driver still took and sent");
		return;
	}
	put16(v->tx_free.q, 2, v->tx_free.idx);
	r->want[C_TX_BADIDX]++;
	qtest_irq(v->qt, (unsigned)v->spi_tx);
	len = host_frame(r, r->stall_ns);
	if (frame_check(hbuf, len < 0 ? 0 : (unsigned)len, MAGIC_TX, v->tx_seq, 140)) {
		fail(name, "after TX free was corrected the waiting frame was not sent");
		return;
	}
	v->tx_seq++;
	r->want[C_TX_FRAMES]++;
	if (tx_all_back(r, name))
		return;
	/* RX active head ahead of the driver's tail: frames are dropped, no buffer taken */
	put16(v->rx_active.q, 2, (uint16_t)(v->rx_active.idx + 1));
	for (int i = 0; i < 3; i++) {
		frame_make(hbuf, l3[i], MAGIC_RX, v->rx_seq++, v->mac);
		wire_send(v, hbuf, l3[i]);
	}
	r->want[C_RX_NOBUF] += 3;
	r->want[C_RX_BADIDX]++;
	expect_counters(r, "indices-rx-active");
	put16(v->rx_active.q, 2, v->rx_active.idx);
	/* RX free tail claims too much */
	put16(v->rx_free.q, 0, (uint16_t)(v->rx_free.idx + v->rx_cap + 1));
	for (int i = 0; i < 3; i++) {
		frame_make(hbuf, l3[i], MAGIC_RX, v->rx_seq++, v->mac);
		wire_send(v, hbuf, l3[i]);
	}
	r->want[C_RX_NOBUF] += 3;
	r->want[C_RX_BADIDX]++;
	expect_counters(r, "indices-rx-free");
	put16(v->rx_free.q, 0, v->rx_free.idx);
	if (rx_frames(r, name, l3, 3, 0))
		return;
	expect_counters(r, name);
	pass(name, "inconsistent TX active, TX free, RX active and RX free indices: nothing "
	     "read or written, counted, serving resumed when corrected");
}

/* ---- racing bursts ------------------------------------------------------------------- */

/* Receive the test frames that arrived at the host so far (up to want), checking order
 * and payload. Returns frames checked, -1 on a failure. */
static int host_drain(struct net_run *r, const char *name, uint32_t *next, const unsigned *lens,
		      uint32_t first, unsigned want, uint64_t timeout_ns)
{
	unsigned n = 0;

	while (n < want) {
		int len = host_frame(r, timeout_ns);
		if (len < 0)
			break;
		if (frame_check(hbuf, (unsigned)len, MAGIC_TX, *next, lens[*next - first])) {
			fail(name, "TX frame %u at the host: wrong length, order or payload (len %d)",
			     *next - first, len);
			return -1;
		}
		++*next;
		r->v->tx_got++;
		n++;
	}
	return (int)n;
}

static void spin_ns(unsigned ns)
{
	uint64_t t = now_ns() + ns;
	while (now_ns() < t)
		;
}

/* TX bursts pushed the instant the previous burst's descriptors are seen on TX free
 * (the tail polled, no doorbell asked for), after 0-5 us: the driver is then just
 * between its last look at TX active and its signal request. Only its re-check can
 * catch such a burst, as the flag still says "no signal wanted". Every other burst waits
 * for the TX free doorbell instead (our own request), testing the driver's producer
 * side. A burst not back within the stall time waited for a later notification. */
static int race_tx(struct net_run *r, unsigned bursts, const char *name)
{
	struct net_virt *v = r->v;
	uint32_t first = v->tx_seq, next = first;
	unsigned *lens = xzalloc(sizeof(*lens) * bursts * 3), total = 0;
	int rc = -1;

	for (unsigned b = 0; b < bursts; b++) {
		unsigned k = 1 + (unsigned)(rnd(r) % 3);
		int poll_mode = b % 4 != 3;

		for (unsigned i = 0; i < k; i++, total++) {
			uint64_t io = tx_buf(v);
			lens[total] = 60 + (unsigned)(rnd(r) % 1455);
			frame_make(tx_ptr(v, io), lens[total], MAGIC_TX, v->tx_seq++,
				   (const uint8_t *)"\2\0\0\0\0\2");
			tx_push(v, io, (uint16_t)lens[total]);
		}
		notify_tx_active(v);
		if (poll_mode) {
			uint64_t t0 = now_ns();
			while (nq_used(&v->tx_free) < k) {
				if (now_ns() - t0 > r->stall_ns) {
					fail(name, "TX burst %u (%u frames) not sent within %llu ms: "
					     "lost wake-up (pushed while the driver went idle; the "
					     "signal flag was %u)", b, k,
					     (unsigned long long)(r->stall_ns / 1000000),
					     nq_flag(&v->tx_active));
					goto out;
				}
				if (!vm_alive(v->vm))
					die("QEMU ended");
			}
			tx_collect_back(r);
			spin_ns((unsigned)(rnd(r) % 1500));
		} else if (tx_all_back(r, name)) {
			goto out;
		}
		if (host_drain(r, name, &next, lens, first, total - (next - first), 0) < 0)
			goto out;
	}
	if (host_drain(r, name, &next, lens, first, total - (next - first), r->stall_ns) < 0)
		goto out;
	if (next - first != total) {
		fail(name, "%u of %u TX frames reached the host", next - first, total);
		goto out;
	}
	r->want[C_TX_FRAMES] += total;
	rc = 0;
out:
	free(lens);
	if (rc)
		r->stopped = 1;
	return rc;
}

void phase_race(struct net_run *r, unsigned bursts)
{
	struct net_virt *v = r->v;
	const char *name = "race";
	unsigned lens[3];
	uint64_t t0 = now_ns(), lost0 = v->lost;

	check_begin(name);
	if (race_tx(r, bursts, name))
		return;
	/* RX: the next burst right after the previous doorbell, at varying offsets */
	for (unsigned b = 0; b < bursts && !r->stopped; b++) {
		unsigned k = 1 + (unsigned)(rnd(r) % 3);

		for (unsigned i = 0; i < k; i++)
			lens[i] = 60 + (unsigned)(rnd(r) % 1455);
		if (rx_frames(r, name, lens, k, 0))
			return;
		spin_ns((unsigned)(rnd(r) % 40000));
	}
	if (v->lost == lost0)
		pass(name, "%u TX bursts (3 in 4 pushed as the driver went idle, 1 in 4 after its "
		     "doorbell) and %u RX bursts of 1-3 frames: no lost wake-up either way "
		     "(%.1f s)", bursts, bursts, (double)(now_ns() - t0) / 1e9);
	expect_counters(r, name);
}

/* ---- graceful stop and restart ------------------------------------------------------- */

void phase_restart(struct net_run *r)
{
	struct net_virt *v = r->v;
	const char *name = "restart";
	int stopped0 = console_count(v->vm->log_fd, "uio_net: stopped: ");

	check_begin(name);
	nq_set_flag(&v->tx_active, 1);
	vm_sysrq(v->vm, 'e'); /* SIGTERM to every process but init */
	for (uint64_t t0 = now_ns(); console_count(v->vm->log_fd, "uio_net: stopped: ") == stopped0;) {
		if (now_ns() - t0 > 10000000000ull) {
			fail(name, "no 'stopped:' line within 10 s of SIGTERM");
			return;
		}
		sleep_us(20000);
	}
	pass("graceful stop", "SIGTERM: the driver logged its counters and exited");
	/* the final counters, then init restarts it: a fresh instance counts from zero */
	expect_counters(r, "final");
	memset(r->want, 0, sizeof(r->want));
	wait_serving(r, 20000000000ull);
	if (console_count(v->vm->log_fd, "restarting") < 1)
		fail(name, "init did not report restarting the driver");
	phase_tx(r, 60, 100, "restart-tx");
	phase_rx(r, 60, 100, "restart-rx");
	expect_counters(r, "restart");
}
