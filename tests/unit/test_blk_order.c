// SPDX-License-Identifier: BSD-2-Clause
/* uio_blk's ordering rules against the fake peer and engine (docs/uio_blk.md,
 * "Ordering"). sDDF's design document: "All requests before the barrier must be
 * completed by the Driver/device before any of the requests after the barrier are
 * initiated." Checked on the engine's log: every I/O of a request after a BARRIER is
 * submitted after every I/O of every request before it completed (all chunks of a large
 * READ, FLUSHes included), and after the BARRIER was answered (so a restarted driver
 * never redoes a request from before a barrier after one from behind it ran). And no
 * stricter than that: requests between barriers run side by side. */
#include <stdlib.h>
#include <string.h>
#include "blk_peer.h"
#include "check.h"

#define BS 4096u
#define R0 0x40000000ull /* region 0: 64 blocks */
#define R1 0x40100000ull /* region 1: 64 blocks */

static struct {
	struct blk_srv srv;
	struct fake_eng f;
	uint8_t *disk;
} O;

static int setup(unsigned depth, unsigned chunk, uint32_t cap)
{
	struct shm_spec sp = { cap, cap, 2, { R0, R1 }, { 64 * BS, 64 * BS } };

	memset(&O.srv, 0, sizeof(O.srv));
	shm_alloc(&O.srv.shm, &sp);
	O.disk = malloc(64 * BS);
	for (unsigned i = 0; i < 64 * BS; i++)
		O.disk[i] = (uint8_t)(i / BS + 1);
	O.srv.capacity = 64;
	O.srv.depth = depth;
	O.srv.chunk = chunk;
	if (blk_srv_init(&O.srv))
		return -1;
	fake_init(&O.f, &O.srv, O.disk, 64 * BS);
	return 0;
}

static void teardown(void)
{
	blk_srv_free(&O.srv);
	shm_free(&O.srv.shm);
	free(O.disk);
}

static int submitted(uint32_t ridx)
{
	for (unsigned i = 0; i < O.f.nlog; i++)
		if (O.f.log[i].what == 'S' && O.f.log[i].ridx == ridx)
			return 1;
	return 0;
}

/* The rule on the log, for requests 0..n-1 with the codes given: for each BARRIER b,
 * every submission for a request after b comes after every completion for a request
 * before b, and after b was answered. 0, or the log position of the first violation. */
static int barrier_violation(const uint32_t *code, uint32_t n)
{
	for (uint32_t b = 0; b < n; b++) {
		int last_done = -1;

		if (code[b] != BLK_REQ_BARRIER)
			continue;
		for (unsigned i = 0; i < O.f.nlog; i++)
			if (O.f.log[i].what == 'C' && O.f.log[i].ridx < b)
				last_done = (int)i;
		for (unsigned i = 0; i < O.f.nlog; i++) {
			const struct fake_op *l = &O.f.log[i];

			if (l->what == 'S' && l->ridx > b && ((int)i < last_done || l->rtail <= b))
				return (int)i + 1;
		}
	}
	return 0;
}

/* The issue 8 case: a READ split into chunks before a BARRIER, an overlapping WRITE
 * after it. The WRITE must wait for the READ's last chunk, so the READ returns the old
 * data. Once with the barrier having something to sync, once with nothing. */
TEST(read_chunks_before_barrier)
{
	for (int clean = 0; clean <= 1; clean++) {
		static const uint32_t code[] = { BLK_REQ_READ, BLK_REQ_BARRIER, BLK_REQ_WRITE };
		uint8_t *r0, *r1;
		uint32_t base = 0;
		blk_resp_t r;

		CHECK(!setup(8, 2, 16));
		r0 = (uint8_t *)O.srv.shm.region[0].mem;
		r1 = (uint8_t *)O.srv.shm.region[1].mem;
		if (clean) { /* one FLUSH: then nothing is dirty when the barrier comes */
			peer_push(&O.srv.shm, BLK_REQ_FLUSH, 0, 0, 0, 99);
			blk_srv_kick(&O.srv);
			fake_run(&O.f, 0, 1);
			CHECK(!peer_pop(&O.srv.shm, &r) && r.id == 99);
			O.f.nlog = 0;
			base = 1;
		}
		memset(r1, 0xee, 2 * BS);
		peer_push(&O.srv.shm, BLK_REQ_READ, R0, 10, 5, 0);    /* 3 chunks: 2+2+1 */
		peer_push(&O.srv.shm, BLK_REQ_BARRIER, 0, 0, 0, 1);
		peer_push(&O.srv.shm, BLK_REQ_WRITE, R1, 13, 2, 2);   /* the READ's last 2 blocks */
		blk_srv_kick(&O.srv);
		/* one chunk at a time; the WRITE never starts while the READ has chunks left */
		for (int k = 0; k < 3; k++) {
			CHECK(!submitted(base + 2));
			CHECK_INT(O.f.npend, 1);
			fake_complete(&O.f, 0);
			blk_srv_kick(&O.srv);
		}
		fake_run(&O.f, 0, 1);
		for (uint32_t i = 0; i < 3; i++)
			CHECK(!peer_pop(&O.srv.shm, &r) && r.id == i && r.status == BLK_RESP_OK);
		for (unsigned b = 0; b < 5; b++)
			CHECK(r0[b * BS] == 10 + b + 1 && r0[b * BS + BS - 1] == 10 + b + 1);
		CHECK(O.disk[13 * BS] == 0xee && O.disk[15 * BS - 1] == 0xee);
		for (unsigned i = 0; i < O.f.nlog; i++)
			O.f.log[i].ridx -= base, O.f.log[i].rtail -= base;
		CHECK_INT(barrier_violation(code, 3), 0);
		teardown();
	}
}

/* A FLUSH and a READ in flight before a BARRIER: the BARRIER (and what follows) waits
 * for both, the FLUSH included, whatever order they complete in. */
TEST(flush_and_read_before_barrier)
{
	static const uint32_t code[] = { BLK_REQ_WRITE, BLK_REQ_FLUSH, BLK_REQ_READ,
					 BLK_REQ_BARRIER, BLK_REQ_READ };

	CHECK(!setup(8, 16, 16));
	peer_push(&O.srv.shm, BLK_REQ_WRITE, R0, 1, 1, 0);
	peer_push(&O.srv.shm, BLK_REQ_FLUSH, 0, 0, 0, 1);
	peer_push(&O.srv.shm, BLK_REQ_READ, R1, 20, 4, 2);
	peer_push(&O.srv.shm, BLK_REQ_BARRIER, 0, 0, 0, 3);
	peer_push(&O.srv.shm, BLK_REQ_READ, R1 + 8 * BS, 1, 1, 4);
	blk_srv_kick(&O.srv);
	CHECK_INT(O.f.npend, 2);       /* the WRITE and the READ; the FLUSH waits for the WRITE */
	fake_complete(&O.f, 0);        /* the WRITE */
	blk_srv_kick(&O.srv);
	CHECK_INT(O.f.npend, 2);       /* the READ and the FLUSH's fdatasync */
	fake_complete(&O.f, 0);        /* the READ */
	blk_srv_kick(&O.srv);
	CHECK(!submitted(3) && !submitted(4));
	fake_complete(&O.f, 0);        /* the FLUSH */
	blk_srv_kick(&O.srv);
	fake_run(&O.f, 0, 1);
	CHECK(submitted(4));
	CHECK_INT(barrier_violation(code, 5), 0);
	CHECK_INT(O.f.nflush, 1);      /* the barrier had nothing more to sync */
	teardown();
}

/* No stricter than the rule: without a BARRIER between them, READs, WRITEs and a FLUSH
 * run side by side and complete in any order; a FLUSH holds back nothing after it. */
TEST(no_barrier_no_order)
{
	CHECK(!setup(8, 16, 16));
	peer_push(&O.srv.shm, BLK_REQ_READ, R0, 1, 1, 0);
	peer_push(&O.srv.shm, BLK_REQ_FLUSH, 0, 0, 0, 1);
	peer_push(&O.srv.shm, BLK_REQ_WRITE, R0 + BS, 2, 1, 2);
	peer_push(&O.srv.shm, BLK_REQ_READ, R0 + 2 * BS, 3, 20, 3);
	blk_srv_kick(&O.srv);
	/* the READs and the WRITE at once; the FLUSH syncs at once (no WRITE before it) */
	CHECK_INT(O.f.npend, 4);
	fake_run(&O.f, 1, 1);
	CHECK_INT(q_tail(O.srv.shm.resp), 4);
	teardown();
}

/* Random mixes: many barriers, FLUSHes, multi-chunk READs and WRITEs, completions in
 * random order, a depth smaller than the work: the rule holds on every log, and requests
 * inside an epoch did overlap somewhere (the driver is not simply serial). */
TEST(random_mixes)
{
	uint64_t rng = 88172645463325252ull;
	int overlapped = 0;

	for (int round = 0; round < 200; round++) {
		uint32_t code[48], n = 0, answered = 0;
		blk_resp_t r;

		CHECK(!setup(1 + round % 6, 1 + round % 3, 64));
		while (n < 48) {
			uint64_t x;

			rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
			x = rng % 100;
			code[n] = x < 10 ? BLK_REQ_BARRIER : x < 18 ? BLK_REQ_FLUSH
							 : x < 60 ? BLK_REQ_READ : BLK_REQ_WRITE;
			CHECK(!peer_push(&O.srv.shm, code[n], (code[n] == BLK_REQ_READ ? R0 : R1) +
					 (rng >> 8) % 48 * BS, (rng >> 16) % 56, (uint16_t)(1 + (rng >> 24) % 8),
					 n));
			n++;
		}
		for (int steps = 0; answered < n && steps < 10000; steps++) {
			blk_srv_kick(&O.srv);
			overlapped |= O.f.npend > 1;
			if (O.f.npend) {
				rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
				fake_complete(&O.f, (unsigned)(rng % O.f.npend));
			}
			while (!peer_pop(&O.srv.shm, &r)) {
				CHECK_INT(r.id, answered);
				CHECK_INT(r.status, BLK_RESP_OK);
				answered++;
			}
		}
		CHECK_INT(answered, n);
		if (barrier_violation(code, n))
			check_fail(__FILE__, __LINE__, "round %d: log entry %d breaks the barrier rule",
				   round, barrier_violation(code, n) - 1);
		CHECK_INT(barrier_violation(code, n), 0);
		teardown();
	}
	CHECK(overlapped);
}
