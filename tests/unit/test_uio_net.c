// SPDX-License-Identifier: BSD-2-Clause
/* uio_net's core against exact-size heap maps and a fake link: layouts, u16 ring
 * arithmetic across the 65536 wrap, address translation, every refused TX descriptor
 * class (returned unchanged, in order, counted), TX back-pressure and errors, RX
 * delivery, frames too long, an empty RX free queue, bad RX buffers, inconsistent
 * indices, the signalling handshake (a deterministic race and two threaded ones), the
 * binding over a fake sysfs tree, and the capacity checks. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "check.h"
#include "fake_sysfs.h"
#include "iomem.h"
#include "log.h"
#include "net_peer.h"
#include "uio.h"

static struct net_rig R;

/* ---- stderr capture, to see what was logged ---- */
static char cap_path[] = "/tmp/uio_net_logXXXXXX";
static int cap_fd = -1, cap_saved = -1;
static void cap_start(void)
{
	cap_fd = mkstemp(cap_path);
	cap_saved = dup(2);
	dup2(cap_fd, 2);
}
/* Stop capturing; what was logged. */
static const char *cap_end(void)
{
	static char buf[65536];
	ssize_t n;

	dup2(cap_saved, 2);
	close(cap_saved);
	n = pread(cap_fd, buf, sizeof(buf) - 1, 0);
	close(cap_fd);
	unlink(cap_path);
	strcpy(cap_path, "/tmp/uio_net_logXXXXXX");
	buf[n > 0 ? n : 0] = 0;
	return buf;
}
/* How many times needle occurs in log. */
static int count_in(const char *log, const char *needle)
{
	int c = 0;

	for (const char *p = log; (p = strstr(p, needle)); p++)
		c++;
	return c;
}
/* Stop capturing; how many logged lines contain needle. */
static int cap_count(const char *needle)
{
	return count_in(cap_end(), needle);
}

/* ---- slot access tracing: which bytes of a map did iomem touch ---- */
static const volatile uint8_t *trace_lo, *trace_hi;
static int trace_hits, trace_misaligned;
static void tracer(const volatile void *p, unsigned w)
{
	const volatile uint8_t *b = p;
	if ((uintptr_t)p & (w - 1))
		trace_misaligned++;
	if (b + w > trace_lo && b < trace_hi)
		trace_hits++;
}
static void trace_on(const volatile uint8_t *lo, size_t n)
{
	trace_lo = lo;
	trace_hi = lo + n;
	trace_hits = trace_misaligned = 0;
	iomem_trace = tracer;
}

/* ---- layouts ---- */

TEST(layouts)
{
	uint8_t q[8 + 16 * 4] __attribute__((aligned(8))) = { 0 };
	net_buff_desc_t d = { 0 };
	struct netq nq;
	uint64_t bad = 0;

	CHECK_INT(sizeof(net_buff_desc_t), 16);
	CHECK_INT(net_queue_bytes(512), 8 + 16 * 512);
	/* tail is the u16 at 0, head the u16 at 2, the flag the u32 at 4, slots from 8 */
	q[0] = 3, q[2] = 1, q[4] = 1;
	q[8 + 16 * 1 + 0] = 0x88;  /* slot 1: io_or_offset low byte */
	q[8 + 16 * 1 + 7] = 0x11;  /* io_or_offset high byte */
	q[8 + 16 * 1 + 8] = 0x34;  /* len */
	q[8 + 16 * 1 + 9] = 0x12;
	q[8 + 16 * 1 + 10] = 0x3f; /* oid */
	netq_init(&nq, q, 4, 1, "test", &bad);
	CHECK_INT(nq.idx, 1);             /* a consumer continues from the head */
	CHECK_INT(netq_avail(&nq), 2);
	netq_read(&nq, 0, &d);
	CHECK(d.io_or_offset == 0x1100000000000088ull);
	CHECK_INT(d.len, 0x1234);
	CHECK_INT(d.oid, 0x3f);
	netq_consume(&nq, 2);
	CHECK_INT(q[2], 3);               /* head stored at offset 2 */
	CHECK_INT(q[0], 3);               /* tail untouched */
	CHECK_INT(netq_sleep(&nq), 1);    /* empty: request stored at offset 4 */
	CHECK_INT(q[4], 0);
	netq_init(&nq, q, 4, 0, "test", &bad);
	CHECK_INT(nq.idx, 3);             /* a producer continues from the tail */
	CHECK_INT(netq_room(&nq), 4);
	d.len = 77;
	netq_write(&nq, 0, &d);
	netq_publish(&nq, 1);
	CHECK_INT(q[0], 4);
	CHECK_INT(q[8 + 16 * 3 + 8], 77); /* slot 3 */
	CHECK_INT(bad, 0);
}

/* ---- u16 ring arithmetic across the wrap ---- */

TEST(ring_wrap_tx)
{
	net_buff_desc_t d;
	unsigned sent = 0;

	rig_init(&R, 8, 8, 16, 16, 65530);
	for (int round = 0; round < 40; round++) { /* 200 frames: 65530 -> 194 */
		for (unsigned k = 0; k < 5; k++) {
			uint64_t io = tx_fill(&R, k % 3, k, 60 + round + k, round * 5 + k);
			CHECK(!q_push(R.m.tx_active, 8, io, (uint16_t)(60 + round + k)));
		}
		net_tx(&R.srv);
		for (unsigned k = 0; k < 5; k++, sent++) {
			CHECK(!q_pop(R.m.tx_free, 8, &d));
			CHECK_INT(d.len, 60 + round + k);
			CHECK_INT(R.link.len[sent], 60 + round + k);
			CHECK_INT(R.link.sum[sent], frame_sum(R.srv.tx[k % 3].mem + k * 2048, d.len));
		}
		CHECK(q_pop(R.m.tx_free, 8, &d)); /* nothing more */
	}
	CHECK_INT(R.link.nsent, 200);
	CHECK_INT(q_head(R.m.tx_active), (uint16_t)(65530 + 200));
	CHECK_INT(R.srv.st[ST_TX_BADIDX], 0);
	rig_free(&R);
}

TEST(ring_wrap_full)
{
	struct netq q;
	uint64_t bad = 0;
	uint8_t *mem = calloc(1, net_queue_bytes(8));

	/* Producer tail wrapped to 3, consumer head still 65531: 8 used = full. sDDF's
	 * int-promoted helper would call this "not full". */
	q_set(mem, 3, 65531);
	netq_init(&q, mem, 8, 0, "test", &bad);
	CHECK_INT(netq_room(&q), 0);
	CHECK_INT(bad, 0);
	q_set(mem, 3, 65532);
	CHECK_INT(netq_room(&q), 1);
	q_set(mem, 3, 65530); /* 9 used: inconsistent */
	CHECK_INT(netq_room(&q), 0);
	CHECK_INT(bad, 1);
	q_set(mem, 3, 4);     /* head ahead of our tail */
	CHECK_INT(netq_room(&q), 0);
	CHECK_INT(bad, 1);    /* the same episode */
	q_set(mem, 3, 3);
	CHECK_INT(netq_room(&q), 8);
	/* consumer side: tail 2 over the wrap from head 65534: 4 available */
	q_set(mem, 2, 65534);
	netq_init(&q, mem, 8, 1, "test", &bad);
	CHECK_INT(netq_avail(&q), 4);
	q_set(mem, (uint16_t)(65534 + 8), 65534);
	CHECK_INT(netq_avail(&q), 8);
	q_set(mem, (uint16_t)(65534 + 9), 65534);
	CHECK_INT(netq_avail(&q), 0);
	CHECK_INT(bad, 2);
	/* the largest capacity */
	free(mem);
	mem = calloc(1, net_queue_bytes(32768));
	q_set(mem, 32768 + 100, 100);
	netq_init(&q, mem, 32768, 1, "test", &bad);
	CHECK_INT(netq_avail(&q), 32768);
	q_set(mem, 32769 + 100, 100);
	CHECK_INT(netq_avail(&q), 0);
	free(mem);
}

TEST(ring_wrap_rx)
{
	net_buff_desc_t d;
	uint8_t frame[2048] __attribute__((aligned(8)));
	struct net_frame f = { frame, 0 };

	rig_init(&R, 4, 4, 4, 4, 65533);
	for (int i = 0; i < 20; i++) {
		CHECK(!q_push(R.m.rx_free, 4, RX_BASE + (i % 4) * 2048ull, 0));
		memset(frame, i, sizeof(frame));
		f.len = 100 + i;
		net_rx(&R.srv, &f, 1);
		CHECK(!q_pop(R.m.rx_active, 4, &d));
		CHECK(d.io_or_offset == RX_BASE + (i % 4) * 2048ull);
		CHECK_INT(d.len, 100 + i);
		CHECK_INT(R.srv.rx.mem[(i % 4) * 2048 + 99 + i], i);
	}
	CHECK_INT(R.srv.st[ST_RX_FRAMES], 20);
	CHECK_INT(q_head(R.m.rx_free), (uint16_t)(65533 + 20));
	rig_free(&R);
}

/* Any capacity sDDF allows, slot = u16 index % capacity exactly as sDDF's, on both sides
 * of the 65536 wrap: one frame at a time each way (with a capacity that is not a power
 * of two, the slot mapping jumps at the wrap, in sDDF too: index 65535 of a 3-entry
 * queue is slot 0, and so is index 0). The TX free slot each answer lands in is read
 * straight from memory. */
TEST(any_capacity_across_the_wrap)
{
	static const uint32_t caps[] = { 1, 3, 384, 1000, 2048 };
	uint8_t frame[2048] __attribute__((aligned(8)));
	struct net_frame f = { frame, 0 };
	net_buff_desc_t d;

	for (unsigned c = 0; c < sizeof(caps) / sizeof(caps[0]); c++) {
		uint32_t cap = caps[c];
		uint16_t start = 65531;

		rig_init(&R, cap, cap, 4, 4, start);
		for (unsigned i = 0; i < 12; i++) {
			uint16_t idx = (uint16_t)(start + i);
			uint64_t io = tx_fill(&R, (int)(i % 3), i % 4, 60 + i, i);

			CHECK(!q_push(R.m.tx_active, cap, io, (uint16_t)(60 + i)));
			net_tx(&R.srv);
			memcpy(&d, (uint8_t *)R.m.tx_free + 8 + 16 * (idx % cap), 16);
			CHECK(d.io_or_offset == io && d.len == 60 + i);
			CHECK(!q_pop(R.m.tx_free, cap, &d));
			CHECK_INT(R.link.len[i], 60 + i);

			CHECK(!q_push(R.m.rx_free, cap, RX_BASE + (i % 4) * 2048ull, 0));
			memset(frame, (int)i, sizeof(frame));
			f.len = 100 + i;
			net_rx(&R.srv, &f, 1);
			memcpy(&d, (uint8_t *)R.m.rx_active + 8 + 16 * (idx % cap), 16);
			CHECK(d.io_or_offset == RX_BASE + (i % 4) * 2048ull && d.len == 100 + i);
			CHECK(!q_pop(R.m.rx_active, cap, &d));
		}
		CHECK_INT(q_head(R.m.tx_active), (uint16_t)(start + 12)); /* crossed the wrap */
		CHECK_INT(R.srv.st[ST_TX_BADIDX] + R.srv.st[ST_RX_BADIDX], 0);
		rig_free(&R);
	}
}

/* ---- translation ---- */

TEST(xlate)
{
	uint8_t a[4096], b[4096], c[8192];
	struct net_region r[3] = {
		{ 0x1000, 4096, a }, { 0x2000, 4096, b }, { 0xffffffffffffe000ull, 8192, c },
	};

	CHECK(net_xlate(r, 3, 0x1000, 1) == a);
	CHECK(net_xlate(r, 3, 0x1000, 4096) == a);
	CHECK(!net_xlate(r, 3, 0x1000, 4097));        /* straddles into b */
	CHECK(net_xlate(r, 3, 0x1fff, 1) == a + 4095);
	CHECK(!net_xlate(r, 3, 0x1fff, 2));
	CHECK(net_xlate(r, 3, 0x2000, 2048) == b);
	CHECK(!net_xlate(r, 3, 0xfff, 2));            /* starts before a */
	CHECK(!net_xlate(r, 3, 0x3000, 1));           /* just past b */
	CHECK(!net_xlate(r, 3, 0x1000, 0));           /* empty */
	CHECK(net_xlate(r, 3, 0xffffffffffffe000ull, 8192) == c); /* ends at 2^64 */
	CHECK(!net_xlate(r, 3, 0xfffffffffffff000ull, 8192));     /* would wrap */
	CHECK(!net_xlate(r, 3, 0xffffffffffffffffull, 2));
	CHECK(!net_xlate(r, 3, 0x1800, 0xffffffffffffffffull));
	/* RX buffers: aligned to 2048 from the map start, whole */
	struct net_region rx = { 0x10000, 5000, c };
	CHECK(net_rx_buf(&rx, 0x10000) == c);
	CHECK(net_rx_buf(&rx, 0x10800) == c + 2048);
	CHECK(!net_rx_buf(&rx, 0x11000));             /* only 904 bytes left */
	CHECK(!net_rx_buf(&rx, 0x10001));
	CHECK(!net_rx_buf(&rx, 0x10400));
	CHECK(!net_rx_buf(&rx, 0xf800));
	CHECK(!net_rx_buf(&rx, 0x10000 - 0x800ull * 3));
}

/* ---- TX: every refused class, returned unchanged and in order ---- */

TEST(tx_refused_classes)
{
	struct { uint64_t io; uint16_t len; int ok; } in[16];
	net_buff_desc_t d;
	int n = 0;
	uint64_t m1;

	rig_init(&R, 64, 64, 16, 16, 0);
	m1 = R.srv.tx[1].paddr;
#define ADD(io_, len_, ok_) (in[n].io = (io_), in[n].len = (len_), in[n].ok = (ok_), n++)
	ADD(tx_fill(&R, 0, 0, 60, 1), 60, 1);
	ADD(tx_fill(&R, 0, 1, 100, 2), 0, 0);                 /* len 0 */
	ADD(tx_fill(&R, 0, 2, 100, 3), 13, 0);                /* shorter than a header */
	ADD(tx_fill(&R, 1, 0, 1514, 4), 1514, 1);             /* MTU-sized */
	ADD(tx_fill(&R, 1, 1, 2048, 5), 2049, 0);             /* longer than a buffer */
	ADD(tx_fill(&R, 1, 2, 1515, 6), 1515, 0);             /* longer than MTU + 14 */
	ADD(TX_BASE2 + 3 * 2048, 1518, 1);                    /* VLAN-tagged 1518: sendable */
	ADD(TX_BASE2 + 4 * 2048, 1519, 0);                    /* VLAN-tagged 1519: not */
	ADD(0x1000, 60, 0);                                   /* outside every map */
	ADD(m1 - 100, 200, 0);                                /* straddles map 0 and 1 */
	ADD(0xffffffffffffff00ull, 0x200, 0);                 /* wraps around 2^64 */
	ADD(TX_BASE2 + 16 * 2048 - 64, 100, 0);               /* runs past map 2's end */
	ADD(tx_fill(&R, 2, 5, 64, 7), 64, 1);
	ADD(tx_fill(&R, 2, 6, 65535, 8), 65535, 0);           /* largest len */
	tx_fill(&R, 2, 3, 1518, 9);
	tx_fill(&R, 2, 4, 1519, 10);
	R.srv.tx[2].mem[3 * 2048 + 12] = 0x81, R.srv.tx[2].mem[3 * 2048 + 13] = 0;
	R.srv.tx[2].mem[4 * 2048 + 12] = 0x81, R.srv.tx[2].mem[4 * 2048 + 13] = 0;
	for (int i = 0; i < n; i++)
		CHECK(!q_push(R.m.tx_active, 64, in[i].io, in[i].len));
	cap_start();
	net_tx(&R.srv);
	net_tx(&R.srv);
	CHECK_INT(cap_count("returned unsent"), 4); /* each class logged once */
	for (int i = 0, s = 0; i < n; i++) {
		CHECK(!q_pop(R.m.tx_free, 64, &d));
		CHECK(d.io_or_offset == in[i].io);  /* unchanged ... */
		CHECK_INT(d.len, in[i].len);
		CHECK_INT(d.oid, 0x2a);
		CHECK(!memcmp(d.pad, "\1\2\3\4\5", 5));
		if (in[i].ok) {                      /* ... and sent, in order */
			volatile uint8_t *p = net_xlate(R.srv.tx, 3, in[i].io, in[i].len);
			CHECK_INT(R.link.len[s], in[i].len);
			CHECK_INT(R.link.sum[s], frame_sum(p, in[i].len));
			s++;
		}
	}
	CHECK(q_pop(R.m.tx_free, 64, &d));
	CHECK_INT(R.link.nsent, 4);
	CHECK_INT(R.srv.st[ST_TX_FRAMES], 4);
	CHECK_INT(R.srv.st[ST_TX_BYTES], 60 + 1514 + 1518 + 64);
	CHECK_INT(R.srv.st[ST_TX_SHORT], 2);
	CHECK_INT(R.srv.st[ST_TX_OVERSIZE], 2);
	CHECK_INT(R.srv.st[ST_TX_TOOLONG], 2);
	CHECK_INT(R.srv.st[ST_TX_BADADDR], 4);
	CHECK_INT(R.srv.st[ST_TX_ERR], 0);
	net_notify(&R.srv);
	CHECK_INT(rig_tx_rings(&R), 1);     /* one doorbell for the batch (flag was 0) */
	CHECK_INT(q_flag(R.m.tx_free), 1);  /* and the request cancelled */
	CHECK_INT(q_flag(R.m.tx_active), 0); /* idle: asked to be notified */
	rig_free(&R);
}

TEST(tx_copies_aligned)
{
	rig_init(&R, 32, 32, 4, 4, 0);
	trace_on(0, 0);
	for (unsigned len = 14; len < 40; len++)
		CHECK(!q_push(R.m.tx_active, 32, tx_fill(&R, 0, len % 4, len, len) + (len & 7),
			      (uint16_t)len));
	net_tx(&R.srv);
	iomem_trace = 0;
	CHECK_INT(R.link.nsent, 26);
	CHECK_INT(trace_misaligned, 0);
	rig_free(&R);
}

TEST(tx_backpressure)
{
	net_buff_desc_t d;

	rig_init(&R, 64, 64, 4, 16, 0);
	for (unsigned i = 0; i < 10; i++)
		CHECK(!q_push(R.m.tx_active, 64, tx_fill(&R, 0, i, 100 + i, i), (uint16_t)(100 + i)));
	CHECK(!q_push(R.m.tx_active, 64, 0x1000, 100)); /* refused, behind blocked ones */
	R.link.block_after = 4;
	R.link.block_err = EAGAIN;
	net_tx(&R.srv);
	CHECK_INT(R.srv.tx_blocked, TXB_POLLOUT);
	CHECK_INT(R.link.nsent, 4);
	CHECK_INT(q_tail(R.m.tx_free), 4);   /* only the sent ones are back */
	CHECK_INT(q_head(R.m.tx_active), 11); /* all taken (private copies) */
	CHECK_INT(R.srv.st[ST_TX_BLOCKED], 1);
	unsigned calls = R.link.ncalls;          /* 2: 4 sent, then EAGAIN */
	net_tx(&R.srv);                        /* still blocked: nothing happens */
	CHECK_INT(R.link.ncalls, calls);
	/* POLLOUT */
	R.link.block_after = 3;
	R.srv.tx_blocked = TXB_NONE;
	net_tx(&R.srv);
	CHECK_INT(R.link.nsent, 7);
	CHECK_INT(R.srv.tx_blocked, TXB_POLLOUT);
	R.link.block_after = -1;
	R.srv.tx_blocked = TXB_NONE;
	net_tx(&R.srv);
	CHECK_INT(R.link.nsent, 10);
	for (unsigned i = 0; i < 10; i++) {
		CHECK(!q_pop(R.m.tx_free, 64, &d));
		CHECK_INT(d.len, 100 + i);
		CHECK_INT(R.link.len[i], 100 + i);
	}
	CHECK(!q_pop(R.m.tx_free, 64, &d) && d.io_or_offset == 0x1000);
	CHECK(q_pop(R.m.tx_free, 64, &d));
	/* ENOBUFS: retry later */
	CHECK(!q_push(R.m.tx_active, 64, tx_fill(&R, 0, 0, 60, 0), 60));
	R.link.block_after = 0;
	R.link.block_err = ENOBUFS;
	net_tx(&R.srv);
	CHECK_INT(R.srv.tx_blocked, TXB_RETRY);
	/* stopping: what waits goes back unsent */
	net_tx_flush(&R.srv);
	CHECK(!q_pop(R.m.tx_free, 64, &d) && d.len == 60);
	CHECK_INT(R.srv.st[ST_TX_ERR], 1);
	rig_free(&R);
}

TEST(tx_kernel_refuses)
{
	net_buff_desc_t d;
	unsigned lens[] = { 60, 100, 200, 100, 300 };

	rig_init(&R, 16, 16, 4, 16, 0);
	for (unsigned i = 0; i < 5; i++)
		CHECK(!q_push(R.m.tx_active, 16, tx_fill(&R, 0, i, lens[i], i), (uint16_t)lens[i]));
	R.link.fail_len = 100;
	R.link.fail_err = EMSGSIZE;
	cap_start();
	net_tx(&R.srv);
	CHECK_INT(cap_count("Message too long"), 1);
	CHECK_INT(R.link.nsent, 3);
	CHECK_INT(R.link.len[1], 200);
	CHECK_INT(R.srv.st[ST_TX_ERR], 2);
	for (unsigned i = 0; i < 5; i++)
		CHECK(!q_pop(R.m.tx_free, 16, &d) && d.len == lens[i]);
	rig_free(&R);
}

TEST(tx_many)
{
	net_buff_desc_t d;

	/* More than the window per call, every buffer of three maps. */
	rig_init(&R, 256, 256, 4, 64, 100);
	for (unsigned i = 0; i < 192; i++)
		CHECK(!q_push(R.m.tx_active, 256, tx_fill(&R, i % 3, i / 3, 14 + i * 7, i),
			      (uint16_t)(14 + i * 7)));
	net_tx(&R.srv);
	CHECK_INT(R.link.nsent, 192);
	net_notify(&R.srv);
	for (unsigned i = 0; i < 192; i++) {
		CHECK(!q_pop(R.m.tx_free, 256, &d) && d.len == 14 + i * 7);
		CHECK_INT(R.link.sum[i], frame_sum(R.srv.tx[i % 3].mem + (i / 3) * 2048, d.len));
	}
	CHECK_INT(rig_tx_rings(&R), 1);
	rig_free(&R);
}

TEST(tx_budget)
{
	net_buff_desc_t d;
	int calls = 0;

	/* A queue that stays full must not keep net_tx from returning to the event loop. */
	rig_init(&R, 8, 1024, 4, 64, 0);
	for (unsigned i = 0; i < 600; i++)
		CHECK(!q_push(R.m.tx_active, 1024, tx_fill(&R, i % 3, i % 64, 60 + i % 900, i),
			      (uint16_t)(60 + i % 900)));
	CHECK_INT(net_tx(&R.srv), 1);
	CHECK(R.link.nsent >= NET_TX_BUDGET && R.link.nsent <= NET_TX_BUDGET + NET_BATCH);
	while (net_tx(&R.srv))
		CHECK(++calls < 10);
	CHECK_INT(R.link.nsent, 600);
	for (unsigned i = 0; i < 600; i++) {
		CHECK(!q_pop(R.m.tx_free, 1024, &d) && d.len == 60 + i % 900);
		CHECK_INT(R.link.len[i], 60 + i % 900);
	}
	CHECK_INT(q_flag(R.m.tx_active), 0); /* drained: asked for a signal */
	rig_free(&R);
}

TEST(tx_free_full)
{
	net_buff_desc_t d;

	/* A peer with more TX buffers than the capacity, not draining TX free. */
	rig_init(&R, 8, 8, 4, 16, 0);
	for (unsigned i = 0; i < 8; i++)
		CHECK(!q_push(R.m.tx_active, 8, tx_fill(&R, 0, i, 60, i), 60));
	net_tx(&R.srv);
	CHECK_INT(q_tail(R.m.tx_free), 8);
	for (unsigned i = 0; i < 8; i++)
		CHECK(!q_push(R.m.tx_active, 8, tx_fill(&R, 1, i, 61, i), 61));
	q_set_flag(R.m.tx_active, 1);
	cap_start();
	net_tx(&R.srv);
	net_tx(&R.srv);
	CHECK_INT(cap_count("TX free is full"), 1);
	CHECK_INT(R.link.nsent, 8);            /* nothing taken ... */
	CHECK_INT(q_head(R.m.tx_active), 8);
	CHECK_INT(q_flag(R.m.tx_active), 0);   /* ... but asked to be woken */
	for (unsigned i = 0; i < 8; i++)
		CHECK(!q_pop(R.m.tx_free, 8, &d));
	net_tx(&R.srv);
	CHECK_INT(R.link.nsent, 16);
	rig_free(&R);
}

TEST(tx_restart_continues)
{
	net_buff_desc_t d;

	/* A previous instance took 7 descriptors and returned them; 3 more wait. */
	rig_init(&R, 8, 8, 4, 16, 0);
	for (unsigned i = 0; i < 7; i++)
		CHECK(!q_push(R.m.tx_active, 8, tx_fill(&R, 0, i, 60 + i, i), (uint16_t)(60 + i)));
	for (unsigned i = 0; i < 7; i++)
		CHECK(!q_pop(R.m.tx_active, 8, &d));
	for (unsigned i = 7; i < 10; i++)
		CHECK(!q_push(R.m.tx_active, 8, tx_fill(&R, 0, i, 60 + i, i), (uint16_t)(60 + i)));
	q_set(R.m.tx_free, 7, 7);
	net_srv_init(&R.srv, &R.m, 8, 8);
	net_tx(&R.srv);
	CHECK_INT(R.link.nsent, 3);
	CHECK_INT(R.link.len[0], 67);
	CHECK_INT(q_tail(R.m.tx_free), 10);
	rig_free(&R);
}

/* ---- RX ---- */

static uint8_t rxf[8][2048] __attribute__((aligned(8)));

static void frames(struct net_frame *f, unsigned n, const unsigned *lens)
{
	for (unsigned i = 0; i < n; i++) {
		for (unsigned k = 0; k < 2048; k++)
			rxf[i][k] = (uint8_t)(i * 13 + k * 3);
		f[i].buf = rxf[i];
		f[i].len = lens[i];
	}
}

TEST(rx_deliver)
{
	unsigned lens[3] = { 60, 1514, 2048 };
	struct net_frame f[3];
	net_buff_desc_t d;

	rig_init(&R, 16, 16, 8, 4, 0);
	for (unsigned i = 0; i < 4; i++)
		CHECK(!q_push(R.m.rx_free, 16, RX_BASE + (7 - i) * 2048ull, 0));
	frames(f, 3, lens);
	trace_on(0, 0);
	net_rx(&R.srv, f, 3);
	iomem_trace = 0;
	CHECK_INT(trace_misaligned, 0);
	for (unsigned i = 0; i < 3; i++) {
		CHECK(!q_pop(R.m.rx_active, 16, &d));
		CHECK(d.io_or_offset == RX_BASE + (7 - i) * 2048ull);
		CHECK_INT(d.len, lens[i]);
		CHECK_INT(d.oid, 0x2a);                       /* the rest unchanged */
		CHECK(!memcmp(d.pad, "\1\2\3\4\5", 5));
		CHECK(!memcmp((void *)(R.srv.rx.mem + (7 - i) * 2048), rxf[i], lens[i]));
	}
	CHECK(q_pop(R.m.rx_active, 16, &d));
	CHECK_INT(q_head(R.m.rx_free), 3);
	CHECK_INT(R.srv.st[ST_RX_FRAMES], 3);
	CHECK_INT(R.srv.st[ST_RX_BYTES], 60 + 1514 + 2048);
	/* producer handshake: the flag was 0 (asked): one doorbell, flag cancelled */
	net_notify(&R.srv);
	CHECK_INT(rig_rx_rings(&R), 1);
	CHECK_INT(q_flag(R.m.rx_active), 1);
	net_rx(&R.srv, f, 1);
	net_notify(&R.srv);
	CHECK_INT(rig_rx_rings(&R), 1);            /* not asked: no doorbell */
	CHECK_INT(rig_tx_rings(&R), 0);            /* and never the other device's */
	q_set_flag(R.m.rx_active, 0);
	net_notify(&R.srv);                        /* nothing published since: none */
	CHECK_INT(rig_rx_rings(&R), 1);
	CHECK(!q_push(R.m.rx_free, 16, RX_BASE, 0));
	net_rx(&R.srv, f, 1);
	net_notify(&R.srv);
	CHECK_INT(rig_rx_rings(&R), 2);
	rig_free(&R);
}

TEST(rx_too_long)
{
	unsigned lens[3] = { 2049, 9000, 64 };
	struct net_frame f[3];
	net_buff_desc_t d;

	rig_init(&R, 16, 16, 8, 4, 0);
	CHECK(!q_push(R.m.rx_free, 16, RX_BASE, 0));
	CHECK(!q_push(R.m.rx_free, 16, RX_BASE + 2048, 0));
	frames(f, 3, lens);
	cap_start();
	net_rx(&R.srv, f, 3);
	net_rx(&R.srv, f, 2);
	CHECK_INT(cap_count("longer than"), 1);
	CHECK_INT(R.srv.st[ST_RX_TOOLONG], 4);
	CHECK_INT(R.srv.st[ST_RX_FRAMES], 1);
	CHECK_INT(q_head(R.m.rx_free), 1);         /* no buffer spent on them */
	CHECK(!q_pop(R.m.rx_active, 16, &d) && d.len == 64 && d.io_or_offset == RX_BASE);
	/* nothing past the 2048 bytes of the buffers was written: ASan guards the map's
	 * end, and the byte after buffer 0 is buffer 1, still untouched */
	CHECK_INT(R.srv.rx.mem[2048], 0);
	rig_free(&R);
}

TEST(rx_no_buffer)
{
	unsigned lens[5] = { 60, 60, 60, 60, 60 };
	struct net_frame f[5];
	net_buff_desc_t d;

	rig_init(&R, 16, 16, 8, 4, 0);
	q_set_flag(R.m.rx_free, 1);
	frames(f, 5, lens);
	net_rx(&R.srv, f, 5);                      /* returns at once, all dropped */
	CHECK_INT(R.srv.st[ST_RX_NOBUF], 5);
	CHECK_INT(R.srv.st[ST_RX_FRAMES], 0);
	CHECK_INT(q_flag(R.m.rx_free), 0);         /* starving: asked for buffers */
	CHECK(!q_push(R.m.rx_free, 16, RX_BASE, 0));
	CHECK(!q_push(R.m.rx_free, 16, RX_BASE + 2048, 0));
	net_rx(&R.srv, f, 3);                      /* 2 delivered, 1 dropped */
	CHECK_INT(R.srv.st[ST_RX_NOBUF], 6);
	CHECK_INT(R.srv.st[ST_RX_FRAMES], 2);
	CHECK(!q_push(R.m.rx_free, 16, RX_BASE + 4096, 0));
	net_rx(&R.srv, f, 1);
	CHECK_INT(q_flag(R.m.rx_free), 1);         /* buffers again: request withdrawn */
	CHECK_INT(R.srv.st[ST_RX_FRAMES], 3);
	/* RX active full (a peer with more buffers than the capacity) */
	rig_free(&R);
	rig_init(&R, 2, 2, 8, 4, 0);
	CHECK(!q_push(R.m.rx_free, 2, RX_BASE, 0));
	CHECK(!q_push(R.m.rx_free, 2, RX_BASE + 2048, 0));
	net_rx(&R.srv, f, 2);
	CHECK(!q_push(R.m.rx_free, 2, RX_BASE + 4096, 0));
	net_rx(&R.srv, f, 1);                      /* active holds 2 = cap: dropped */
	CHECK_INT(R.srv.st[ST_RX_NOBUF], 1);
	CHECK_INT(q_tail(R.m.rx_active), 2);
	CHECK_INT(q_head(R.m.rx_free), 2);         /* the third buffer was not taken */
	CHECK(!q_pop(R.m.rx_active, 2, &d) && d.io_or_offset == RX_BASE);
	rig_free(&R);
}

TEST(rx_space_and_drop)
{
	struct net_frame f[3] = { { 0, 60 }, { 0, 5000 }, { 0, 2048 } };

	rig_init(&R, 128, 16, 128, 4, 0);
	q_set_flag(R.m.rx_free, 1);
	CHECK_INT(net_rx_space(&R.srv), 0);
	for (unsigned i = 0; i < 100; i++)
		CHECK(!q_push(R.m.rx_free, 128, RX_BASE + i * 2048ull, 0));
	CHECK_INT(net_rx_space(&R.srv), NET_BATCH);    /* at most a batch */
	q_set(R.m.rx_active, 100, 2);                   /* RX active: 98 used, 30 free */
	net_srv_init(&R.srv, &R.m, 128, 16);
	CHECK_INT(net_rx_space(&R.srv), 30);
	q_set(R.m.rx_active, 100, 99 - 128);            /* inconsistent */
	CHECK_INT(net_rx_space(&R.srv), 0);
	CHECK_INT(R.srv.st[ST_RX_BADIDX], 1);
	/* frames read without data when nothing is free: counted, no buffer touched */
	net_rx_drop(&R.srv, f, 3);
	CHECK_INT(R.srv.st[ST_RX_NOBUF], 2);
	CHECK_INT(R.srv.st[ST_RX_TOOLONG], 1);
	CHECK_INT(q_head(R.m.rx_free), 0);
	CHECK_INT(q_flag(R.m.rx_free), 1);   /* RX free has entries: no signal wanted */
	rig_free(&R);
	rig_init(&R, 128, 16, 128, 4, 0);
	q_set_flag(R.m.rx_free, 1);
	net_rx_drop(&R.srv, f, 1);
	CHECK_INT(q_flag(R.m.rx_free), 0);   /* out of buffers: asked */
	rig_free(&R);
}

TEST(rx_bad_buffers)
{
	unsigned lens[2] = { 100, 200 };
	struct net_frame f[2];
	net_buff_desc_t d;

	rig_init(&R, 16, 16, 4, 4, 0);
	CHECK(!q_push(R.m.rx_free, 16, 0x1000, 0));                 /* outside */
	CHECK(!q_push(R.m.rx_free, 16, RX_BASE + 100, 0));          /* misaligned */
	CHECK(!q_push(R.m.rx_free, 16, RX_BASE + 4 * 2048, 0));     /* just past the map */
	CHECK(!q_push(R.m.rx_free, 16, RX_BASE - 2048, 0));         /* just before */
	CHECK(!q_push(R.m.rx_free, 16, TX_BASE0, 0));               /* a TX buffer */
	CHECK(!q_push(R.m.rx_free, 16, RX_BASE + 3 * 2048, 0));     /* good */
	CHECK(!q_push(R.m.rx_free, 16, ~0ull - 100, 0));            /* wraps */
	CHECK(!q_push(R.m.rx_free, 16, RX_BASE + 2048, 0));         /* good */
	frames(f, 2, lens);
	cap_start();
	net_rx(&R.srv, f, 2);
	CHECK_INT(cap_count("dropped from use"), 1);
	CHECK_INT(R.srv.st[ST_RX_BADBUF], 6);
	CHECK_INT(q_head(R.m.rx_free), 8);
	CHECK(!q_pop(R.m.rx_active, 16, &d) && d.io_or_offset == RX_BASE + 3 * 2048 && d.len == 100);
	CHECK(!q_pop(R.m.rx_active, 16, &d) && d.io_or_offset == RX_BASE + 2048 && d.len == 200);
	CHECK(q_pop(R.m.rx_active, 16, &d));
	rig_free(&R);
}

/* ---- inconsistent indices: nothing read or written, counted, logged once ---- */

TEST(bad_indices)
{
	unsigned lens[1] = { 60 };
	struct net_frame f[1];

	rig_init(&R, 8, 8, 8, 4, 500);
	q_set(R.m.tx_active, 500 + 9, 500);       /* claims 9 > 8 */
	trace_on(R.m.tx_active + NETQ_SLOTS, 16 * 8);
	cap_start();
	net_tx(&R.srv);
	net_tx(&R.srv);
	CHECK_INT(cap_count("left alone until corrected"), 1);
	CHECK_INT(trace_hits, 0);
	CHECK_INT(R.srv.st[ST_TX_BADIDX], 1);
	CHECK_INT(R.link.nsent, 0);
	CHECK_INT(q_head(R.m.tx_active), 500);
	q_set(R.m.tx_active, 500, 500);           /* corrected: serving again */
	CHECK(!q_push(R.m.tx_active, 8, tx_fill(&R, 0, 0, 60, 0), 60));
	net_tx(&R.srv);
	CHECK_INT(R.link.nsent, 1);
	/* TX free: the peer's head jumps ahead of our tail */
	q_set(R.m.tx_free, 501, 600);
	CHECK(!q_push(R.m.tx_active, 8, tx_fill(&R, 0, 0, 60, 0), 60));
	trace_on(R.m.tx_free + NETQ_SLOTS, 16 * 8);
	net_tx(&R.srv);
	CHECK_INT(trace_hits, 0);
	CHECK_INT(R.srv.st[ST_TX_BADIDX], 2);
	CHECK_INT(R.link.nsent, 1);
	iomem_trace = 0;
	/* RX free claims too much; RX active's head runs ahead */
	frames(f, 1, lens);
	q_set(R.m.rx_free, 500 + 200, 500);
	trace_on(R.m.rx_free + NETQ_SLOTS, 16 * 8);
	net_rx(&R.srv, f, 1);
	CHECK_INT(trace_hits, 0);
	CHECK_INT(R.srv.st[ST_RX_BADIDX], 1);
	CHECK_INT(R.srv.st[ST_RX_NOBUF], 1);
	q_set(R.m.rx_free, 500, 500);
	CHECK(!q_push(R.m.rx_free, 8, RX_BASE, 0));
	q_set(R.m.rx_active, 500, 501);
	trace_on(R.m.rx_active + NETQ_SLOTS, 16 * 8);
	net_rx(&R.srv, f, 1);
	CHECK_INT(trace_hits, 0);
	CHECK_INT(R.srv.st[ST_RX_BADIDX], 2);
	CHECK_INT(q_head(R.m.rx_free), 500);     /* the buffer was not taken */
	iomem_trace = 0;
	rig_free(&R);
}

/* ---- the handshake ---- */

static int hook_pushes, hook_notified;
static void racing_peer(struct netq *q)
{
	/* The virtualiser enqueues between our last look and our request: it sees no
	 * request (flag 1) and does not notify. Only our re-check can find the frame. */
	if (q != &R.srv.tx_active || hook_pushes)
		return;
	hook_pushes++;
	q_push(R.m.tx_active, 8, tx_fill(&R, 0, 1, 99, 1), 99);
	io_fence_full();
	if (!q_flag(R.m.tx_active)) {
		q_set_flag(R.m.tx_active, 1);
		hook_notified++;
	}
}

TEST(handshake_race_recheck)
{
	rig_init(&R, 8, 8, 4, 4, 0);
	q_set_flag(R.m.tx_active, 1);            /* as after an earlier notification */
	CHECK(!q_push(R.m.tx_active, 8, tx_fill(&R, 0, 0, 60, 0), 60));
	netq_race_hook = racing_peer;
	net_tx(&R.srv);
	netq_race_hook = 0;
	CHECK_INT(hook_pushes, 1);
	CHECK_INT(hook_notified, 0);             /* no notification was sent ... */
	CHECK_INT(R.link.nsent, 2);              /* ... yet the frame went out */
	CHECK_INT(R.link.len[1], 99);
	CHECK_INT(q_flag(R.m.tx_active), 0);     /* idle again, asking */
	/* A producer notifies only when asked, and cancels the request when it does. */
	q_set_flag(R.m.tx_free, 1);
	CHECK(!q_push(R.m.tx_active, 8, tx_fill(&R, 0, 2, 70, 2), 70));
	net_tx(&R.srv);
	net_notify(&R.srv);
	unsigned before = rig_tx_rings(&R);
	q_set_flag(R.m.tx_free, 0);
	CHECK(!q_push(R.m.tx_active, 8, tx_fill(&R, 0, 2, 70, 2), 70));
	net_tx(&R.srv);
	net_notify(&R.srv);
	CHECK_INT(rig_tx_rings(&R), before + 1);
	CHECK_INT(q_flag(R.m.tx_free), 1);
	rig_free(&R);
}

/* Threaded: a peer on another CPU pushes bursts on TX active and notifies only when
 * asked (through a semaphore standing for the interrupt); the driver thread sleeps on
 * it whenever net_tx goes idle. A lost wake-up leaves the driver asleep with frames
 * queued: the timed wait catches it. */
static sem_t irq_sem;
static volatile int peer_done, peer_failed;
static unsigned bursts_done;

static void *tx_peer(void *arg)
{
	unsigned n = *(unsigned *)arg, seed = 1;
	net_buff_desc_t d;

	for (unsigned b = 0; b < n && !peer_failed; b++) {
		unsigned k = 1 + (seed = seed * 1103515245 + 12345) % 3;
		for (unsigned i = 0; i < k; i++)
			q_push(R.m.tx_active, 64, TX_BASE0 + i * 2048ull, 60);
		io_fence_full();
		if (!q_flag(R.m.tx_active)) {
			q_set_flag(R.m.tx_active, 1);
			sem_post(&irq_sem);
		}
		/* wait for the burst to come back, then go again at once: the next push
		 * lands while the driver is between its last look and its request */
		for (unsigned got = 0; got < k && !peer_failed;)
			if (!q_pop(R.m.tx_free, 64, &d))
				got++;
		bursts_done = b + 1;
		if (seed % 7 == 0)
			for (volatile int spin = seed % 500; spin; spin--)
				;
	}
	peer_done = 1;
	sem_post(&irq_sem);
	return 0;
}

TEST(handshake_threads_tx)
{
	unsigned n = 20000;
	pthread_t t;
	struct timespec ts;

	rig_init(&R, 64, 64, 4, 4, 65000);
	tx_fill(&R, 0, 0, 60, 0), tx_fill(&R, 0, 1, 60, 0), tx_fill(&R, 0, 2, 60, 0);
	sem_init(&irq_sem, 0, 0);
	peer_done = peer_failed = 0;
	net_tx(&R.srv);
	pthread_create(&t, 0, tx_peer, &n);
	while (!peer_done) {
		net_tx(&R.srv);
		net_notify(&R.srv);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 3;
		if (sem_timedwait(&irq_sem, &ts) && errno == ETIMEDOUT && !peer_done) {
			peer_failed = 1;
			break;
		}
	}
	pthread_join(t, 0);
	CHECK_INT(peer_failed, 0); /* else: lost wake-up after bursts_done bursts */
	CHECK_INT(bursts_done, n);
	CHECK_INT(R.srv.st[ST_TX_BADIDX], 0);
	sem_destroy(&irq_sem);
	rig_free(&R);
}

/* Threaded, RX side: the driver produces on RX active and rings only when asked; the
 * peer consumes, returns the buffers, and sleeps on the doorbell word after asking. */
static volatile unsigned rx_seen;
static void *rx_peer(void *arg)
{
	unsigned n = *(unsigned *)arg;
	net_buff_desc_t d;

	while (rx_seen < n && !peer_failed) {
		while (!q_pop(R.m.rx_active, 64, &d)) {
			rx_seen++;
			q_push(R.m.rx_free, 64, d.io_or_offset, 0);
		}
		uint32_t bell = *(volatile uint32_t *)R.m.rx_notify;
		q_set_flag(R.m.rx_active, 0);
		io_fence_full();
		if (q_tail(R.m.rx_active) != q_head(R.m.rx_active)) {
			q_set_flag(R.m.rx_active, 1);
			continue;
		}
		uint64_t t0 = (uint64_t)time(0);
		while (*(volatile uint32_t *)R.m.rx_notify == bell && !peer_done)
			if ((uint64_t)time(0) > t0 + 3) {
				/* asleep with frames waiting and no doorbell: lost */
				if (q_tail(R.m.rx_active) != q_head(R.m.rx_active))
					peer_failed = 1;
				break;
			}
	}
	return 0;
}

TEST(handshake_threads_rx)
{
	unsigned n = 30000, sent = 0, lens[3] = { 60, 61, 62 };
	struct net_frame f[3];
	pthread_t t;

	rig_init(&R, 64, 64, 64, 4, 65500);
	for (unsigned i = 0; i < 64; i++)
		q_push(R.m.rx_free, 64, RX_BASE + i * 2048ull, 0);
	frames(f, 3, lens);
	peer_done = peer_failed = 0;
	rx_seen = 0;
	pthread_create(&t, 0, rx_peer, &n);
	while (rx_seen < n && !peer_failed) {
		unsigned k = 1 + sent % 3;
		uint64_t before = R.srv.st[ST_RX_FRAMES];
		net_rx(&R.srv, f, k);
		net_notify(&R.srv);
		sent += (unsigned)(R.srv.st[ST_RX_FRAMES] - before);
		if (sent >= n)
			break;
		for (volatile int spin = sent % 64 * 10; spin; spin--)
			;
	}
	for (time_t t0 = time(0); rx_seen < sent && !peer_failed && time(0) < t0 + 5;)
		;
	peer_done = 1;
	pthread_join(t, 0);
	CHECK_INT(peer_failed, 0);
	CHECK_INT(rx_seen, sent);
	CHECK(sent >= n);
	rig_free(&R);
}

/* ---- statistics line ---- */

TEST(stats_line)
{
	char line[640];

	rig_init(&R, 8, 8, 4, 4, 0);
	R.srv.st[ST_TX_SHORT] = 2;
	R.srv.st[ST_RX_FRAMES] = 12345678901ull;
	net_stats_fmt(&R.srv, line, sizeof(line));
	CHECK(strstr(line, "rx_frames=12345678901 "));
	CHECK(strstr(line, " tx_short=2 "));
	CHECK(strstr(line, " irq_tx=0"));
	CHECK(!strncmp(line, "rx_frames=", 10));
	rig_free(&R);
}

/* ---- binding over a fake sysfs tree, and capacity checks ---- */

static const unsigned long nocap[2];

static void net_fake(int rxn, int txn, int named, int extra)
{
	long pg = getpagesize();
	const char *rn[4] = { "notify", "free", "active", "data" };
	const char *tn[5] = { "notify", "free", "active", "data0", "data1" };

	fake_dev(rxn, "net-rx", 4 * pg, 0);
	for (int m = 0; m < 4; m++)
		fake_map(rxn, m, named ? rn[m] : 0, 0x4fc00000 + m * 0x10000ull,
			 m == 3 ? 0x8000 : 0x3000, 0);
	fake_dev(txn, "net-tx", 5 * pg, 0);
	for (int m = 0; m < 5; m++)
		fake_map(txn, m, named ? tn[m] : 0, 0x4fd00000 + m * 0x10000ull,
			 m >= 3 ? 0x4000 : 0x5000, 0);
	if (extra) {
		fake_dev(9, "net-tx-data", 2 * pg, 0);
		fake_map(9, 0, "data2", 0x4fe00000, 0x2000, 0);
		fake_map(9, 1, "data3", 0x4fe10000, 0x2000, 0);
	}
}

TEST(bind_named)
{
	const char *root = fake_root();
	struct uio_dev devs[NET_MAX_DEVS];
	struct net_srv s;
	struct net_maps m;
	int nd;

	memset(&s, 0, sizeof(s));
	net_fake(3, 1, 1, 1);
	CHECK(!net_bind(&s, &m, devs, &nd, root, "net-rx", "net-tx", "", nocap));
	CHECK_INT(nd, 3);
	CHECK_INT(s.rx.paddr, 0x4fc30000);
	CHECK_INT(s.rx.size, 0x8000);
	CHECK_INT(m.qsize[Q_RX_FREE], 0x3000);
	CHECK_INT(m.qsize[Q_TX_ACTIVE], 0x5000);
	CHECK_INT(s.ntx, 4);
	CHECK_INT(s.tx[0].paddr, 0x4fd30000);
	CHECK_INT(s.tx[1].paddr, 0x4fd40000);
	CHECK_INT(s.tx[2].paddr, 0x4fe00000);
	CHECK_INT(s.tx[3].size, 0x2000);
	CHECK(m.rx_notify == devs[0].map[0].mem && m.tx_active == devs[1].map[2].mem);
	CHECK(m.fd[0] == devs[0].fd && m.ctl[1] == devs[1].ctl_fd);
	for (int i = 0; i < nd; i++)
		uio_close(&devs[i]);
	fake_cleanup();
}

TEST(bind_by_index_and_errors)
{
	const char *root = fake_root();
	struct uio_dev devs[NET_MAX_DEVS];
	struct net_srv s;
	struct net_maps m;
	int nd;

	memset(&s, 0, sizeof(s));
	net_fake(0, 4, 0, 0);
	CHECK(!net_bind(&s, &m, devs, &nd, root, "net-rx", "net-tx", "", nocap));
	CHECK_INT(nd, 2);
	CHECK_INT(s.rx.paddr, 0x4fc30000);
	CHECK_INT(s.ntx, 2);                       /* maps 3 and 4 */
	CHECK_INT(s.tx[1].paddr, 0x4fd40000);
	for (int i = 0; i < nd; i++)
		uio_close(&devs[i]);
	cap_start();
	CHECK(net_bind(&s, &m, devs, &nd, root, "net-rx", "nope", "", nocap));
	CHECK_INT(cap_count("no UIO device named 'nope'"), 1);
	for (int i = 0; i < nd; i++)
		uio_close(&devs[i]);
	fake_cleanup();
	/* named maps with one missing */
	root = fake_root();
	fake_dev(0, "net-rx", 4 * getpagesize(), 0);
	fake_map(0, 0, "notify", 0x1000, 0x1000, 0);
	fake_map(0, 1, "free", 0x2000, 0x1000, 0);
	fake_map(0, 2, "activ", 0x3000, 0x1000, 0);
	fake_map(0, 3, "data", 0x4000, 0x1000, 0);
	cap_start();
	CHECK(net_bind(&s, &m, devs, &nd, root, "net-rx", "net-tx", "", nocap));
	CHECK_INT(cap_count("no map named 'active'"), 1);
	for (int i = 0; i < nd; i++)
		uio_close(&devs[i]);
	fake_cleanup();
}

/* libvmm's network driver VM (facts §3 C): eleven nodes all named "uio", told apart
 * by the second compatible string. */
#define DP_ADDR 0xf04000ull
static const char *froot;
static const char *fake_root_path(void) { return froot; }

static void libvmm_net_fake(void)
{
	static const struct { const char *name; uint64_t addr, size; } r[11] = {
		{ "data_passing", DP_ADDR, 0x1000 }, { "rx_free", 0x200000, 0x3000 },
		{ "tx_free", 0x210000, 0x5000 }, { "rx_active", 0x220000, 0x3000 },
		{ "tx_active", 0x230000, 0x5000 }, { "rx_fault", 0x300000, 0x1000 },
		{ "tx_fault", 0x301000, 0x1000 }, { "rx_irq", 0, 0 }, { "tx_irq", 0, 0 },
		{ "rx_data", 0x400000, 0x100000 }, { "tx_data", 0x600000, 0x200000 },
	};
	for (int i = 0; i < 11; i++)
		fake_region(i, "uio", r[i].name, r[i].addr, r[i].size);
}

/* data_passing as libvmm's VMM fills it: its net_driver_config_t copy, the RX data and
 * client TX data physical addresses. */
static void dp_write(uint16_t rxn, uint16_t txn, uint64_t rxp, int32_t ntx, const uint64_t *txp)
{
	uint8_t b[4096] = { 's', 'D', 'D', 'F', 5 };
	char path[256];
	int fd;

	memcpy(b + 40, &rxn, 2);
	memcpy(b + 80, &txn, 2);
	memcpy(b + 88, &rxp, 8);
	memcpy(b + 96, &ntx, 4);
	for (int i = 0; i < ntx && i < 64; i++)
		memcpy(b + 104 + 8 * i, &txp[i], 8);
	snprintf(path, sizeof(path), "%s/dev/uio0", fake_root_path());
	fd = open(path, O_WRONLY);
	if (fd < 0 || pwrite(fd, b, sizeof(b), 0) != (ssize_t)sizeof(b))
		abort();
	close(fd);
}

static struct uio_dev *dev_num(struct uio_dev *d, int n, int num)
{
	for (int i = 0; i < n; i++)
		if (d[i].num == num)
			return &d[i];
	abort();
}

static int bind_libvmm(const unsigned long *cap, struct net_srv *s, struct net_maps *m)
{
	struct uio_dev devs[NET_MAX_DEVS];
	int nd, r;

	memset(s, 0, sizeof(*s));
	r = net_bind(s, m, devs, &nd, fake_root_path(), "net-rx", "net-tx", "", cap);
	for (int i = 0; i < nd; i++)
		uio_close(&devs[i]);
	return r;
}

TEST(bind_libvmm_network_vm)
{
	static const uint64_t txp[2] = { 0x80000000, 0x90000000 };
	static const unsigned long over[2] = { 256, 0 };
	struct net_srv s;
	struct net_maps m;
	struct uio_dev devs[NET_MAX_DEVS];
	int nd;

	froot = fake_root();
	libvmm_net_fake();
	dp_write(512, 1024, 0x70000000, 2, txp);
	memset(&s, 0, sizeof(s));
	CHECK(!net_bind(&s, &m, devs, &nd, fake_root_path(), "net-rx", "net-tx", "", nocap));
	CHECK_INT(nd, 11);
	CHECK_INT(m.cap[0], 512);
	CHECK_INT(m.cap[1], 1024);
	CHECK_INT(m.qsize[Q_RX_FREE], 0x3000);
	CHECK_INT(m.qsize[Q_TX_ACTIVE], 0x5000);
#define DEV(n) (*dev_num(devs, nd, n))
	CHECK(m.rx_free == DEV(1).map[0].mem && m.tx_free == DEV(2).map[0].mem &&
	      m.rx_active == DEV(3).map[0].mem && m.tx_active == DEV(4).map[0].mem);
	CHECK(m.rx_notify == DEV(5).map[0].mem && m.tx_notify == DEV(6).map[0].mem);
	CHECK(m.fd[0] == DEV(7).fd && m.fd[1] == DEV(8).fd); /* the reg-less nodes */
	CHECK_INT(s.rx.paddr, 0x70000000);
	CHECK(s.rx.mem == DEV(9).map[0].mem && s.rx.size == 0x100000);
	CHECK_INT(s.ntx, 2);
	CHECK_INT(s.tx[1].paddr, 0x90000000);
	CHECK_INT(s.tx[1].size, 0x100000); /* tx_data split between the clients */
	CHECK(s.tx[1].mem == DEV(10).map[0].mem + 0x100000);
	/* a client TX address translates into its area of tx_data */
	CHECK(net_xlate(s.tx, s.ntx, 0x90000800, 100) == DEV(10).map[0].mem + 0x100800);
	CHECK(!net_xlate(s.tx, s.ntx, 0x600000, 100)); /* the guest address is not io */
	for (int i = 0; i < nd; i++)
		uio_close(&devs[i]);
	/* the options win */
	CHECK(!bind_libvmm(over, &s, &m));
	CHECK_INT(m.cap[0], 256);
	CHECK_INT(m.cap[1], 1024);
	/* without the irq nodes: RX free's and TX active's interrupts */
	fake_write("sys/class/uio/uio7/device/of_node/compatible", "x");
	fake_write("sys/class/uio/uio8/device/of_node/compatible", "x");
	memset(&s, 0, sizeof(s));
	CHECK(!net_bind(&s, &m, devs, &nd, fake_root_path(), "net-rx", "net-tx", "", nocap));
	CHECK(m.fd[0] == DEV(1).fd && m.fd[1] == DEV(4).fd);
	for (int i = 0; i < nd; i++)
		uio_close(&devs[i]);
	/* no data_passing: the guest's own addresses, one TX region, no capacities */
	fake_compatible(0, "other");
	memset(&s, 0, sizeof(s));
	CHECK(!net_bind(&s, &m, devs, &nd, fake_root_path(), "net-rx", "net-tx", "", nocap));
	CHECK_INT(nd, 8);
	CHECK(m.cap[0] == 0 && m.cap[1] == 0);
	CHECK(s.rx.paddr == 0x400000 && s.ntx == 1 && s.tx[0].paddr == 0x600000 &&
	      s.tx[0].size == 0x200000);
	for (int i = 0; i < nd; i++)
		uio_close(&devs[i]);
	/* a prefix: every region renamed net1_..., found with --prefix net1_ only */
	for (int i = 1; i < 11; i++) {
		static const char *const n[11] = { 0, "rx_free", "tx_free", "rx_active",
			"tx_active", "rx_fault", "tx_fault", "rx_irq", "tx_irq", "rx_data", "tx_data" };
		char name[32];
		snprintf(name, sizeof(name), "net1_%s", n[i]);
		fake_compatible(i, name);
	}
	memset(&s, 0, sizeof(s));
	CHECK(!net_bind(&s, &m, devs, &nd, fake_root_path(), "net-rx", "net-tx", "net1_", nocap));
	CHECK_INT(nd, 10);
	for (int i = 0; i < nd; i++)
		uio_close(&devs[i]);
	/* a prefix: nothing named net1_rx_free, so dvm's own binding is looked for */
	cap_start();
	memset(&s, 0, sizeof(s));
	CHECK(net_bind(&s, &m, devs, &nd, fake_root_path(), "net-rx", "net-tx", "net2_", nocap));
	for (int i = 0; i < nd; i++)
		uio_close(&devs[i]);
	CHECK_INT(cap_count("no UIO device named 'net-rx'"), 1);
	fake_cleanup();
}

/* One line per data map says whether dvm_uio maps it page-backed (cacheable): read from
 * each device's version string, per map; uio_pdrv_genirq's devices (no such string) and
 * the queues' maps are not. */
TEST(bind_logs_cacheable_maps)
{
	const char *root = fake_root(), *log;
	struct uio_dev devs[NET_MAX_DEVS];
	struct net_srv s;
	struct net_maps m;
	int nd = 0, r;

	memset(&s, 0, sizeof(s));
	net_fake(3, 1, 1, 1);
	fake_write("sys/class/uio/uio3/version", "dvm_uio pages=0x8\n");  /* RX data */
	fake_write("sys/class/uio/uio1/version", "dvm_uio pages=0x10\n"); /* data1 */
	fake_write("sys/class/uio/uio9/version", "0.1\n");
	cap_start();
	r = net_bind(&s, &m, devs, &nd, root, "net-rx", "net-tx", "", nocap);
	log = cap_end();
	for (int i = 0; i < nd; i++)
		uio_close(&devs[i]);
	CHECK(!r);
	CHECK_INT(count_in(log, "page-backed, cacheable"), 2);
	CHECK_INT(count_in(log, "RX data region (uio3 map3, 0x4fc30000 + 0x8000): page-backed, "
			   "cacheable"), 1);
	CHECK_INT(count_in(log, "TX data region 1 (uio1 map4, 0x4fd40000 + 0x4000): "
			   "page-backed, cacheable"), 1);
	/* data0 (uio1 map3), data2 and data3 (uio9) */
	CHECK_INT(count_in(log, ": not page-backed: Device memory"), 3);
	CHECK_INT(count_in(log, "TX data region 3 (uio9 map1, 0x4fe10000 + 0x2000): not "
			   "page-backed"), 1);
	fake_cleanup();

	/* the per-region binding: rx_data and tx_data, by region name */
	froot = fake_root();
	libvmm_net_fake();
	dp_write(512, 1024, 0x70000000, 2, (const uint64_t[2]){ 0x80000000, 0x90000000 });
	fake_write("sys/class/uio/uio10/version", "dvm_uio pages=0x1\n"); /* tx_data */
	fake_write("sys/class/uio/uio9/version", "dvm_uio pages=0x0\n");  /* rx_data */
	memset(&s, 0, sizeof(s));
	cap_start();
	r = net_bind(&s, &m, devs, &nd, fake_root_path(), "net-rx", "net-tx", "", nocap);
	log = cap_end();
	for (int i = 0; i < nd; i++)
		uio_close(&devs[i]);
	CHECK(!r);
	CHECK_INT(count_in(log, "tx_data (uio10 map0, 0x600000 + 0x200000): page-backed, "
			   "cacheable"), 1);
	CHECK_INT(count_in(log, "rx_data (uio9 map0, 0x400000 + 0x100000): not page-backed"),
		  1);
	CHECK_INT(count_in(log, "page-backed"), 2); /* the queues are not logged */
	fake_cleanup();
}

TEST(data_passing_checked)
{
	static const uint64_t txp[64] = { 0x80000000, 0x90000000, 0x80080000 };
	struct net_srv s;
	struct net_maps m;
	static const struct { uint16_t rxn, txn; uint64_t rxp; int32_t ntx; const char *msg; } bad[] = {
		{ 0, 512, 0x70000000, 2, "data_passing virt_rx.num_buffers 0: must be from 1" },
		{ 512, 40000, 0x70000000, 2, "data_passing virt_tx.num_buffers 40000: must be from 1" },
		{ 1024, 512, 0x70000000, 2, "the RX free queue needs 8 + 16 * 1024 bytes" },
		{ 512, 512, 0x70000800, 2, "rx_data_paddr 0x70000800: not page-aligned" },
		{ 512, 512, 0xfffffffffff00000ull, 2, "rx_data_paddr 0xfffffffffff00000: not page-aligned, or rx_data would wrap" },
		{ 512, 512, 0x70000000, 0, "num_tx_clients 0x0: not 1..64" },
		{ 512, 512, 0x70000000, 65, "num_tx_clients 0x41: not 1..64" },
		{ 512, 512, 0x70000000, 3, "num_tx_clients 0x3: tx_data does not split" },
	};

	froot = fake_root();
	libvmm_net_fake();
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		dp_write(bad[i].rxn, bad[i].txn, bad[i].rxp, bad[i].ntx, txp);
		cap_start();
		CHECK_INT(bind_libvmm(nocap, &s, &m), -1);
		if (!cap_count(bad[i].msg))
			check_fail(__FILE__, __LINE__, "case %u: no '%s'", i, bad[i].msg);
	}
	/* client areas overlapping in the virt's addresses */
	{
		static const uint64_t ov[2] = { 0x80080000, 0x80000000 };
		dp_write(512, 512, 0x70000000, 2, ov);
	}
	cap_start();
	CHECK_INT(bind_libvmm(nocap, &s, &m), -1);
	CHECK_INT(cap_count("tx_data_paddrs[1] 0x80000000: overlaps another client's area"), 1);
	/* a bad magic, and rx_data too small for 600 buffers (8 + 16 * 600 fits 0x3000) */
	dp_write(600, 512, 0x70000000, 2, txp);
	cap_start();
	CHECK_INT(bind_libvmm(nocap, &s, &m), -1);
	CHECK_INT(cap_count("rx_data too small for the RX buffers"), 1);
	dp_write(512, 512, 0x70000000, 2, txp);
	{
		char path[256];
		int fd;
		snprintf(path, sizeof(path), "%s/dev/uio0", froot);
		fd = open(path, O_WRONLY);
		CHECK(fd >= 0 && pwrite(fd, "\4", 1, 4) == 1);
		close(fd);
	}
	cap_start();
	CHECK_INT(bind_libvmm(nocap, &s, &m), -1);
	CHECK_INT(cap_count("data_passing: magic"), 1);
	fake_cleanup();
}

TEST(capacity_checks)
{
	cap_start();
	CHECK(!net_check_cap("--rx-capacity", "RX free", 512, 0x3000));
	CHECK(!net_check_cap("--rx-capacity", "RX free", 512, 8 + 16 * 512));
	CHECK(net_check_cap("--rx-capacity", "RX free", 512, 8 + 16 * 512 - 1));
	CHECK(net_check_cap("--tx-capacity", "TX", 0, ~0ull));
	CHECK(!net_check_cap("--tx-capacity", "TX", 384, ~0ull)); /* any capacity */
	CHECK(!net_check_cap("--tx-capacity", "TX", 3, 8 + 16 * 3));
	CHECK(net_check_cap("--tx-capacity", "TX", 65536, ~0ull));
	CHECK(!net_check_cap("--tx-capacity", "TX", 32768, ~0ull));
	CHECK_INT(cap_count("must be from 1 to 32768"), 2);
}
