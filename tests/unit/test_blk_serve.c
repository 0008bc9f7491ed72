// SPDX-License-Identifier: BSD-2-Clause
/* uio_blk serving core against heap "maps" and the fake engine: layouts, ring
 * arithmetic across the 2^32 wrap, address translation, the status of every invalid
 * request class, backpressure, plugged, FLUSH/BARRIER ordering with out-of-order
 * completions, short transfers, inconsistent indices and the restart journal. */
#include <stdlib.h>
#include <string.h>
#include "blk_peer.h"
#include "check.h"

#define BS 4096u
#define R0 0x40000000ull /* region 0: 16 blocks */
#define R1 0x40010000ull /* region 1: 8 blocks, right after region 0 */
#define R2 0x50000000ull /* region 2: 4 blocks */

static struct rig {
	struct blk_srv srv;
	struct fake_eng f;
	struct blk_journal j;
	uint8_t *disk;
	uint64_t blocks;
} R;

static void rig_setup(uint32_t req_cap, uint32_t resp_cap, unsigned depth, unsigned chunk,
		      uint64_t blocks)
{
	struct shm_spec sp = { req_cap, resp_cap, 3, { R0, R1, R2 }, { 16 * BS, 8 * BS, 4 * BS } };

	memset(&R.srv, 0, sizeof(R.srv));
	memset(&R.j, 0, sizeof(R.j));
	shm_alloc(&R.srv.shm, &sp);
	R.blocks = blocks;
	R.disk = malloc(blocks * BS);
	for (uint64_t i = 0; i < blocks * BS; i++)
		R.disk[i] = (uint8_t)(i * 7 + i / BS);
	R.srv.capacity = blocks;
	R.srv.depth = depth;
	R.srv.chunk = chunk;
	R.srv.jr = &R.j;
}

static int rig_start(void)
{
	if (blk_srv_init(&R.srv))
		return -1;
	fake_init(&R.f, &R.srv, R.disk, R.blocks * BS);
	return 0;
}

static int rig(uint32_t req_cap, uint32_t resp_cap, unsigned depth, unsigned chunk,
	       uint64_t blocks)
{
	rig_setup(req_cap, resp_cap, depth, chunk, blocks);
	return rig_start();
}

static void rig_free(void)
{
	blk_srv_free(&R.srv);
	shm_free(&R.srv.shm);
	free(R.disk);
}

/* Pop every response; check they answer ids first..first+n-1 in order. */
static int pop_ids(uint32_t first, uint32_t n, uint32_t status)
{
	blk_resp_t r;
	for (uint32_t i = 0; i < n; i++) {
		if (peer_pop(&R.srv.shm, &r) || r.id != first + i || r.status != status)
			return -1;
	}
	return peer_pop(&R.srv.shm, &r) ? 0 : -1; /* nothing more */
}

static blk_resp_t one(uint32_t code, uint64_t io, uint64_t block, uint16_t count)
{
	blk_resp_t r = { 0xdead, 0xbeef, 0xffffffff };
	peer_push(&R.srv.shm, code, io, block, count, 77);
	blk_srv_kick(&R.srv);
	fake_run(&R.f, 0, 1);
	if (peer_pop(&R.srv.shm, &r) || r.id != 77)
		r.status = 0xbad;
	return r;
}

TEST(layouts)
{
	CHECK_INT(sizeof(blk_req_t), 32);
	CHECK_INT(sizeof(blk_resp_t), 12);
	CHECK_INT(sizeof(blk_storage_info_t), 88);
	CHECK_INT(offsetof(blk_req_t, id), 28);
	CHECK_INT(offsetof(blk_storage_info_t, capacity), 80);
	CHECK_INT(blk_req_queue_bytes(2048), 16 + 32 * 2048);
	CHECK_INT(blk_resp_queue_bytes(2048), 8 + 12 * 2048);
	CHECK_INT(blk_req_queue_bytes(0x80000000u), 16 + 32ull * 0x80000000u);
}

TEST(check_capacity)
{
	CHECK_INT(blk_check_cap("c", 2048, blk_req_queue_bytes(2048), 0x200000), 0);
	CHECK_INT(blk_check_cap("c", 0, 16, 0x1000), -1);
	CHECK_INT(blk_check_cap("c", 1000, blk_req_queue_bytes(1000), 0x200000), 0);
	CHECK_INT(blk_check_cap("c", 384, blk_req_queue_bytes(384), 384 * 128), 0); /* sdfgen */
	CHECK_INT(blk_check_cap("c", 128, blk_req_queue_bytes(128), 0x1000), -1);
	CHECK_INT(blk_check_cap("c", 127, blk_req_queue_bytes(127), 0x1000), 0);
	CHECK_INT(blk_check_cap("c", 0x80000001u, 0, ~0ull), -1);
	/* 16 + 32*cap must fit exactly, not "nearly" */
	CHECK_INT(blk_check_cap("c", 64, blk_req_queue_bytes(64), 16 + 32 * 64), 0);
	CHECK_INT(blk_check_cap("c", 64, blk_req_queue_bytes(64), 16 + 32 * 64 - 1), -1);
	CHECK_INT(blk_check_cap("c", 1ull << 32, 0, ~0ull), -1);
}

TEST(xlate_bounds)
{
	struct shm_spec sp = { 4, 4, 3, { R0, R1, ~0ull - 2 * BS + 1 }, { 16 * BS, 8 * BS, 2 * BS } };
	struct blk_shm s;

	shm_alloc(&s, &sp);
	CHECK(blk_xlate(&s, R0, 1) == s.region[0].mem);
	CHECK(blk_xlate(&s, R0, 16) == s.region[0].mem);
	CHECK(blk_xlate(&s, R0 + 15 * BS, 1) == s.region[0].mem + 15 * BS);
	CHECK(!blk_xlate(&s, R0 + 15 * BS, 2));       /* straddles into region 1 */
	CHECK(!blk_xlate(&s, R0, 17));                /* idem */
	CHECK(blk_xlate(&s, R1, 8) == s.region[1].mem);
	CHECK(!blk_xlate(&s, R1, 9));                 /* past the end */
	CHECK(!blk_xlate(&s, R1 + 8 * BS, 1));        /* just after region 1 */
	CHECK(!blk_xlate(&s, R0 - BS, 1));            /* just before region 0 */
	CHECK(!blk_xlate(&s, R0 + 1, 1));             /* misaligned */
	CHECK(!blk_xlate(&s, R0 + 512, 1));
	CHECK(!blk_xlate(&s, 0, 1));
	/* region at the top of the address space: no wrap-around */
	CHECK(blk_xlate(&s, ~0ull - 2 * BS + 1, 2) == s.region[2].mem);
	CHECK(!blk_xlate(&s, ~0ull - 2 * BS + 1, 3));
	CHECK(!blk_xlate(&s, ~0ull - BS + 1, 2));
	CHECK(!blk_xlate(&s, ~0ull & ~(uint64_t)(BS - 1), 0xffff));
	CHECK(!blk_xlate(&s, R0, 0xffffffffu));       /* count * 4096 needs 44 bits */
	/* legacy: an offset into the first region only */
	s.legacy = 1;
	CHECK(blk_xlate(&s, 0, 16) == s.region[0].mem);
	CHECK(blk_xlate(&s, 15 * BS, 1) == s.region[0].mem + 15 * BS);
	CHECK(!blk_xlate(&s, 15 * BS, 2));
	CHECK(!blk_xlate(&s, 16 * BS, 1));
	CHECK(!blk_xlate(&s, R0, 1));
	CHECK(!blk_xlate(&s, BS / 2, 1));
	CHECK(!blk_xlate(&s, ~0ull & ~(uint64_t)(BS - 1), 1));
	shm_free(&s);
}

TEST(invalid_requests)
{
	blk_resp_t r;

	CHECK(!rig(8, 8, 4, 4, 64));
	r = one(4, R0, 0, 1);                       /* unknown code */
	CHECK_INT(r.status, BLK_RESP_ERR_INVALID_PARAM);
	CHECK_INT(r.success_count, 0);
	CHECK_INT(one(0xffffffffu, R0, 0, 1).status, BLK_RESP_ERR_INVALID_PARAM);
	CHECK_INT(one(BLK_REQ_READ, R0, 0, 0).status, BLK_RESP_ERR_INVALID_PARAM);   /* count 0 */
	CHECK_INT(one(BLK_REQ_WRITE, R0, 0, 0).status, BLK_RESP_ERR_INVALID_PARAM);
	CHECK_INT(one(BLK_REQ_READ, R0 + 8, 0, 1).status, BLK_RESP_ERR_INVALID_PARAM); /* misaligned */
	CHECK_INT(one(BLK_REQ_READ, 0x1000, 0, 1).status, BLK_RESP_ERR_INVALID_PARAM); /* outside */
	CHECK_INT(one(BLK_REQ_READ, R0 + 15 * BS, 0, 2).status, BLK_RESP_ERR_INVALID_PARAM); /* straddle */
	CHECK_INT(one(BLK_REQ_READ, R0, 64, 1).status, BLK_RESP_ERR_INVALID_PARAM);   /* at capacity */
	CHECK_INT(one(BLK_REQ_READ, R0, 63, 2).status, BLK_RESP_ERR_INVALID_PARAM);   /* across it */
	CHECK_INT(one(BLK_REQ_READ, R0, ~0ull, 1).status, BLK_RESP_ERR_INVALID_PARAM); /* overflow */
	CHECK_INT(one(BLK_REQ_READ, R0, ~0ull - 1, 4).status, BLK_RESP_ERR_INVALID_PARAM);
	r = one(BLK_REQ_READ, R0, 63, 1);
	CHECK_INT(r.status, BLK_RESP_OK);
	CHECK_INT(r.success_count, 1);
	r = one(BLK_REQ_FLUSH, 0x123, ~0ull, 0xffff);        /* fields ignored */
	CHECK_INT(r.status, BLK_RESP_OK);
	CHECK_INT(r.success_count, 0);
	CHECK_INT(one(BLK_REQ_BARRIER, 7, 7, 7).status, BLK_RESP_OK);
	/* read-only device: writes ERR_IO, reads fine */
	R.srv.read_only = 1;
	r = one(BLK_REQ_WRITE, R0, 0, 1);
	CHECK_INT(r.status, BLK_RESP_ERR_IO);
	CHECK_INT(r.success_count, 0);
	CHECK_INT(one(BLK_REQ_READ, R0, 0, 1).status, BLK_RESP_OK);
	CHECK_INT(one(BLK_REQ_FLUSH, 0, 0, 0).status, BLK_RESP_OK);
	/* no invalid request ever reached the device */
	for (unsigned i = 0; i < R.f.nlog; i++)
		CHECK(R.f.log[i].op == BLK_IO_FLUSH || R.f.log[i].len == BS);
	rig_free();
}

TEST(read_write_data)
{
	uint8_t *d0, *d2;

	CHECK(!rig(16, 16, 4, 2, 32)); /* chunk 2 blocks: a 5-block request takes 3 ops */
	d0 = (uint8_t *)R.srv.shm.region[0].mem;
	d2 = (uint8_t *)R.srv.shm.region[2].mem;
	for (unsigned i = 0; i < 5 * BS; i++)
		d0[i] = (uint8_t)(i ^ 0x5a);
	CHECK_INT(one(BLK_REQ_WRITE, R0, 10, 5).success_count, 5);
	CHECK(!memcmp(R.disk + 10 * BS, d0, 5 * BS));
	blk_resp_t r = one(BLK_REQ_READ, R2, 11, 4);
	CHECK_INT(r.status, BLK_RESP_OK);
	CHECK_INT(r.success_count, 4);
	CHECK(!memcmp(d2, d0 + BS, 4 * BS));
	/* the whole of region 1, legacy mode reads region 0 by offset */
	CHECK_INT(one(BLK_REQ_READ, R1, 0, 8).status, BLK_RESP_OK);
	CHECK(!memcmp((uint8_t *)R.srv.shm.region[1].mem, R.disk, 8 * BS));
	R.srv.shm.legacy = 1;
	CHECK_INT(one(BLK_REQ_READ, 3 * BS, 20, 2).status, BLK_RESP_OK);
	CHECK(!memcmp(d0 + 3 * BS, R.disk + 20 * BS, 2 * BS));
	rig_free();
}

/* Zero-copy: with region 0 marked zero-copy, an I/O meeting O_DIRECT's rules (here a
 * logical block of 8 KiB: buffer, offset and length multiples of it) goes straight
 * between the region and the device, others are copied, each counted. Proof of no copy:
 * the client changes its buffer after the WRITE was submitted and the device sees the
 * change; with a copy it would not. Region 1 (not zero-copy) is never counted. */
TEST(zero_copy_alignment)
{
	uint8_t *d0, *heap;
	blk_resp_t r;

	rig_setup(16, 16, 4, 4, 64);
	heap = (uint8_t *)R.srv.shm.region[0].mem;
	d0 = aligned_alloc(8192, 16 * BS);
	R.srv.shm.region[0].mem = d0;
	R.srv.shm.region[0].zc = 1;
	R.srv.lbs = 8192;
	R.srv.zc_align = 8192;
	CHECK(!rig_start());
	memset(d0, 0x11, 16 * BS);
	/* aligned: direct. Changed after submission: the device writes the new bytes. */
	peer_push(&R.srv.shm, BLK_REQ_WRITE, R0, 2, 2, 1);
	blk_srv_kick(&R.srv);
	memset(d0, 0x22, 2 * BS);
	fake_run(&R.f, 0, 1);
	CHECK(!peer_pop(&R.srv.shm, &r) && r.status == BLK_RESP_OK && r.success_count == 2);
	CHECK(R.disk[2 * BS] == 0x22 && R.disk[4 * BS - 1] == 0x22);
	CHECK_INT(R.srv.nzc, 1);
	CHECK_INT(R.srv.nzc_copy, 0);
	/* buffer only 4 KiB aligned: copied at submission, the later change is not seen */
	peer_push(&R.srv.shm, BLK_REQ_WRITE, R0 + BS, 6, 2, 2);
	blk_srv_kick(&R.srv);
	memset(d0 + BS, 0x33, 2 * BS);
	fake_run(&R.f, 0, 1);
	CHECK(!peer_pop(&R.srv.shm, &r) && r.status == BLK_RESP_OK && r.success_count == 2);
	CHECK(R.disk[6 * BS] == 0x22 && R.disk[7 * BS] == 0x11);
	CHECK_INT(R.srv.nzc_copy, 1);
	/* device offset not a multiple of the logical block (block 3 = 12 KiB): copied */
	CHECK_INT(one(BLK_REQ_WRITE, R0, 3, 2).status, BLK_RESP_OK);
	CHECK_INT(R.srv.nzc_copy, 2);
	/* an odd length: copied; then an aligned READ straight into the region */
	CHECK_INT(one(BLK_REQ_READ, R0 + 2 * BS, 20, 1).status, BLK_RESP_OK);
	CHECK_INT(R.srv.nzc_copy, 3);
	CHECK_INT(one(BLK_REQ_READ, R0 + 4 * BS, 40, 4).success_count, 4);
	CHECK(!memcmp(d0 + 4 * BS, R.disk + 40 * BS, 4 * BS));
	CHECK(!memcmp(d0 + 2 * BS, R.disk + 20 * BS, BS));
	CHECK_INT(R.srv.nzc, 2);
	/* region 1 is not zero-copy: nothing counted */
	CHECK_INT(one(BLK_REQ_READ, R1, 0, 2).status, BLK_RESP_OK);
	CHECK_INT(R.srv.nzc + R.srv.nzc_copy, 5);
	/* a request straddling regions 0 and 1 is still refused, untouched */
	CHECK_INT(one(BLK_REQ_READ, R0 + 14 * BS, 0, 4).status, BLK_RESP_ERR_INVALID_PARAM);
	CHECK_INT(R.srv.nzc + R.srv.nzc_copy, 5);
	R.srv.shm.region[0].mem = heap;
	free(d0);
	rig_free();
}

/* A READ that fails midway in a zero-copy region: the blocks before the bad one are
 * answered (success_count), and the device's partial data of the failing block is left in
 * the client's buffer, as with a real device (docs/uio_blk.md); with the copy only whole
 * blocks reach the region. */
TEST(zero_copy_read_fails_midway)
{
	uint8_t *d0;

	for (int zc = 0; zc < 2; zc++) {
		CHECK(!rig(16, 16, 4, 4, 64));
		d0 = (uint8_t *)R.srv.shm.region[0].mem;
		R.srv.shm.region[0].zc = zc; /* heap maps: 16-byte aligned at least */
		R.srv.zc_align = 16;
		memset(d0, 0xee, 4 * BS);
		R.f.fail_at = 11 * BS + 100; /* 100 bytes into block 11 */
		blk_resp_t r = one(BLK_REQ_READ, R0, 10, 4);
		CHECK_INT(r.status, BLK_RESP_ERR_IO);
		CHECK_INT(r.success_count, 1);
		CHECK(!memcmp(d0, R.disk + 10 * BS, BS));
		if (zc)
			CHECK(!memcmp(d0 + BS, R.disk + 11 * BS, 100)); /* partial data landed */
		else
			CHECK(d0[BS] == 0xee);
		CHECK(d0[BS + 100] == 0xee && d0[3 * BS] == 0xee);
		CHECK_INT(R.srv.nzc, (uint64_t)(zc ? 3 : 0)); /* 4 blocks, 3, then 1 */
		rig_free();
	}
}

/* 2^32 wrap of both queues' free-running indices. */
TEST(ring_wrap)
{
	rig_setup(8, 4, 2, 1, 64);
	q_set_head(R.srv.shm.req, 0xfffffffdu);
	q_set_tail(R.srv.shm.req, 0xfffffffdu);
	q_set_head(R.srv.shm.resp, 0xfffffffeu);
	q_set_tail(R.srv.shm.resp, 0xfffffffeu);
	CHECK(!rig_start());
	for (uint32_t round = 0; round < 3; round++) {
		for (uint32_t i = 0; i < 8; i++)
			CHECK(!peer_push(&R.srv.shm, BLK_REQ_READ, R0 + i * BS, i, 1, round * 8 + i));
		CHECK(peer_push(&R.srv.shm, BLK_REQ_READ, R0, 0, 1, 99)); /* full at tail-head == cap */
		blk_srv_kick(&R.srv);
		for (uint32_t got = 0; got < 8;) {
			blk_resp_t r;
			fake_run(&R.f, 1, 1);
			while (!peer_pop(&R.srv.shm, &r)) {
				CHECK_INT(r.id, round * 8 + got);
				CHECK_INT(r.status, BLK_RESP_OK);
				got++;
			}
			blk_srv_kick(&R.srv);
		}
		CHECK_INT(q_head(R.srv.shm.req), q_tail(R.srv.shm.req));
	}
	CHECK_INT(q_tail(R.srv.shm.req), 0xfffffffdu + 24);
	CHECK_INT(q_tail(R.srv.shm.resp), 0xfffffffeu + 24);
	rig_free();
}

/* Any capacity, slots exactly as sDDF's buffers[index % capacity], on both sides of the
 * 2^32 wrap. Requests go one batch at a time, as many as fit without an unconsumed entry
 * spanning the jump: with a capacity that is not a power of two, index 2^32 - 1 and
 * index 0 can share a slot (the slot mapping jumps at the wrap, in sDDF too). */
TEST(any_capacity_across_the_wrap)
{
	static const uint32_t caps[] = { 1, 3, 384, 1000, 2048 };

	for (unsigned c = 0; c < sizeof(caps) / sizeof(caps[0]); c++) {
		uint32_t cap = caps[c], start = 0u - 2 * cap - 5, idx = start, id = 0;
		blk_resp_t r;

		rig_setup(cap, cap, 8, 1, 64);
		q_set_head(R.srv.shm.req, start);
		q_set_tail(R.srv.shm.req, start);
		q_set_head(R.srv.shm.resp, start + 1);
		q_set_tail(R.srv.shm.resp, start + 1);
		CHECK(!rig_start());
		while (idx - start < 4 * cap + 10) {
			/* a batch that stays on one side of the wrap when cap is not a power of two */
			uint32_t n = cap, wrap_req = 0u - idx, wrap_resp = 0u - (idx + 1);

			if ((cap & (cap - 1)) && wrap_req && wrap_req < n)
				n = wrap_req;
			if ((cap & (cap - 1)) && wrap_resp && wrap_resp < n)
				n = wrap_resp;
			if (n > 1 + (idx - start) % 7 && cap > 7)
				n = 1 + (idx - start) % 7;
			for (uint32_t k = 0; k < n; k++) {
				blk_req_t q = { .code = BLK_REQ_READ, .io_or_offset = R0 + (id % 16) * BS,
						.block_number = id % 64, .count = 1, .id = id };
				/* the slot the sDDF client writes, computed here independently */
				memcpy((uint8_t *)R.srv.shm.req + 16 + 32 * ((idx + k) % cap), &q, 32);
				id++;
			}
			q_set_tail(R.srv.shm.req, idx + n);
			blk_srv_kick(&R.srv);
			fake_run(&R.f, 1, 1);
			for (uint32_t k = 0; k < n; k++) {
				uint32_t t = idx + 1 + k; /* response index (the queue started one later) */
				memcpy(&r, (uint8_t *)R.srv.shm.resp + 8 + 12 * (t % cap), 12);
				CHECK_INT(r.id, id - n + k);
				CHECK_INT(r.status, BLK_RESP_OK);
			}
			CHECK_INT(q_tail(R.srv.shm.resp), idx + 1 + n);
			q_set_head(R.srv.shm.resp, idx + 1 + n);
			idx += n;
		}
		CHECK_INT(q_head(R.srv.shm.req), idx);
		CHECK(idx < start); /* crossed the wrap */
		rig_free();
	}
}

/* Response queue of 4: never more than 4 unconsumed answers; all 20 answered once. */
TEST(backpressure)
{
	uint32_t next = 0;
	blk_resp_t r;

	CHECK(!rig(32, 4, 8, 1, 64));
	for (uint32_t i = 0; i < 20; i++)
		CHECK(!peer_push(&R.srv.shm, i % 3 ? BLK_REQ_READ : 9, R0, i, 1, 1000 + i));
	for (int rounds = 0; next < 20 && rounds < 100; rounds++) {
		blk_srv_kick(&R.srv);
		/* taken only with a response slot reserved for each */
		CHECK(blk_srv_busy(&R.srv) + q_tail(R.srv.shm.resp) - q_head(R.srv.shm.resp) <= 4);
		fake_run(&R.f, rounds & 1, 1);
		CHECK(q_tail(R.srv.shm.resp) - q_head(R.srv.shm.resp) <= 4);
		/* the peer is slow: consume at most 3 per round */
		for (int k = 0; k < 3 && !peer_pop(&R.srv.shm, &r); k++, next++) {
			CHECK_INT(r.id, 1000 + next);
			CHECK_INT(r.status, next % 3 ? BLK_RESP_OK : BLK_RESP_ERR_INVALID_PARAM);
		}
	}
	CHECK_INT(next, 20);
	CHECK(peer_pop(&R.srv.shm, &r));
	CHECK_INT(q_head(R.srv.shm.req), 20);
	rig_free();
}

TEST(plugged)
{
	CHECK(!rig(8, 8, 4, 1, 64));
	peer_set_plugged(&R.srv.shm, 1);
	for (uint32_t i = 0; i < 3; i++)
		peer_push(&R.srv.shm, BLK_REQ_READ, R0, i, 1, i);
	blk_srv_kick(&R.srv);
	CHECK_INT(R.f.nlog, 0);
	CHECK_INT(blk_srv_busy(&R.srv), 0);
	peer_set_plugged(&R.srv.shm, 0);
	blk_srv_kick(&R.srv);
	CHECK_INT(blk_srv_busy(&R.srv), 3);
	fake_run(&R.f, 0, 1);
	CHECK(!pop_ids(0, 3, BLK_RESP_OK));
	/* plugging does not stop requests already taken */
	peer_push(&R.srv.shm, BLK_REQ_READ, R0, 0, 1, 3);
	blk_srv_kick(&R.srv);
	peer_set_plugged(&R.srv.shm, 1);
	fake_run(&R.f, 0, 1);
	CHECK(!pop_ids(3, 1, BLK_RESP_OK));
	rig_free();
}

static int find_log(char what, uint32_t ridx, int op)
{
	for (unsigned i = 0; i < R.f.nlog; i++)
		if (R.f.log[i].what == what && R.f.log[i].ridx == ridx && R.f.log[i].op == op)
			return (int)i;
	return -1;
}

TEST(flush_ordering)
{
	CHECK(!rig(16, 16, 8, 1, 64));
	peer_push(&R.srv.shm, BLK_REQ_WRITE, R0, 1, 1, 0);
	peer_push(&R.srv.shm, BLK_REQ_WRITE, R0, 2, 1, 1);
	peer_push(&R.srv.shm, BLK_REQ_READ, R0, 3, 1, 2);
	peer_push(&R.srv.shm, BLK_REQ_FLUSH, 0, 0, 0, 3);
	peer_push(&R.srv.shm, BLK_REQ_WRITE, R0, 4, 1, 4);
	blk_srv_kick(&R.srv);
	/* the flush waits for both writes; the later write is not held back */
	CHECK_INT(R.f.npend, 4);
	CHECK(find_log('S', 3, BLK_IO_FLUSH) < 0);
	CHECK(find_log('S', 4, BLK_IO_WRITE) >= 0);
	fake_complete(&R.f, 3);  /* the last write first: out of order */
	fake_complete(&R.f, 1);  /* write 1 */
	blk_srv_kick(&R.srv);
	CHECK(find_log('S', 3, BLK_IO_FLUSH) < 0);
	fake_complete(&R.f, 0);  /* write 0 */
	blk_srv_kick(&R.srv);
	int s = find_log('S', 3, BLK_IO_FLUSH);
	CHECK(s > find_log('C', 0, BLK_IO_WRITE) && s > find_log('C', 1, BLK_IO_WRITE));
	/* nothing is answered past the unfinished read and flush */
	CHECK_INT(q_tail(R.srv.shm.resp), 2);
	fake_run(&R.f, 1, 1);
	CHECK_INT(R.f.nflush, 1);
	CHECK(!pop_ids(0, 5, BLK_RESP_OK));
	/* nothing written since: a FLUSH needs no fdatasync */
	CHECK_INT(one(BLK_REQ_FLUSH, 0, 0, 0).status, BLK_RESP_OK);
	CHECK_INT(R.f.nflush, 1);
	CHECK_INT(one(BLK_REQ_WRITE, R0, 0, 1).status, BLK_RESP_OK);
	CHECK_INT(one(BLK_REQ_FLUSH, 0, 0, 0).status, BLK_RESP_OK);
	CHECK_INT(R.f.nflush, 2);
	/* clean, then a write in flight: the FLUSH still waits for it and syncs */
	peer_push(&R.srv.shm, BLK_REQ_WRITE, R0, 5, 1, 10);
	peer_push(&R.srv.shm, BLK_REQ_FLUSH, 0, 0, 0, 11);
	blk_srv_kick(&R.srv);
	CHECK_INT(R.f.npend, 1);
	CHECK_INT(q_tail(R.srv.shm.resp) - q_head(R.srv.shm.resp), 0);
	fake_run(&R.f, 0, 1);
	CHECK_INT(R.f.nflush, 3);
	CHECK(!pop_ids(10, 2, BLK_RESP_OK));
	/* a failing fdatasync answers ERR_IO */
	one(BLK_REQ_WRITE, R0, 0, 1);
	R.f.flush_err = 5;
	CHECK_INT(one(BLK_REQ_FLUSH, 0, 0, 0).status, BLK_RESP_ERR_IO);
	rig_free();
}

TEST(barrier_ordering)
{
	CHECK(!rig(16, 16, 8, 1, 64));
	peer_push(&R.srv.shm, BLK_REQ_WRITE, R0, 1, 1, 0);
	peer_push(&R.srv.shm, BLK_REQ_WRITE, R0, 2, 1, 1);
	peer_push(&R.srv.shm, BLK_REQ_BARRIER, 0, 0, 0, 2);
	peer_push(&R.srv.shm, BLK_REQ_READ, R0, 3, 1, 3);
	peer_push(&R.srv.shm, BLK_REQ_WRITE, R0, 4, 1, 4);
	blk_srv_kick(&R.srv);
	CHECK_INT(R.f.npend, 2);         /* nothing after the barrier started */
	fake_complete(&R.f, 1);
	blk_srv_kick(&R.srv);
	CHECK_INT(R.f.npend, 1);
	fake_complete(&R.f, 0);
	blk_srv_kick(&R.srv);
	CHECK_INT(R.f.npend, 1);         /* the barrier's fdatasync alone */
	CHECK(find_log('S', 2, BLK_IO_FLUSH) >= 0);
	CHECK(find_log('S', 3, BLK_IO_READ) < 0);
	fake_complete(&R.f, 0);
	blk_srv_kick(&R.srv);
	CHECK(find_log('S', 3, BLK_IO_READ) > find_log('C', 2, BLK_IO_FLUSH));
	CHECK(find_log('S', 4, BLK_IO_WRITE) > find_log('C', 2, BLK_IO_FLUSH));
	fake_run(&R.f, 1, 1);
	CHECK(!pop_ids(0, 5, BLK_RESP_OK));
	CHECK_INT(R.f.nflush, 1);
	/* a barrier with nothing dirty completes at once, and still orders */
	peer_push(&R.srv.shm, BLK_REQ_BARRIER, 0, 0, 0, 5);
	peer_push(&R.srv.shm, BLK_REQ_READ, R0, 0, 1, 6);
	blk_srv_kick(&R.srv);
	fake_run(&R.f, 0, 1);
	CHECK_INT(R.f.nflush, 2); /* the write of request 4 completed after the last sync */
	CHECK(!pop_ids(5, 2, BLK_RESP_OK));
	rig_free();
}

TEST(short_transfers)
{
	blk_resp_t r;

	CHECK(!rig(8, 8, 4, 4, 64));
	/* short but progressing: retried, the whole request succeeds */
	R.f.short_max = 3 * BS;
	r = one(BLK_REQ_READ, R0, 0, 10);
	CHECK_INT(r.status, BLK_RESP_OK);
	CHECK_INT(r.success_count, 10);
	CHECK(!memcmp((uint8_t *)R.srv.shm.region[0].mem, R.disk, 10 * BS));
	/* a partial block counts for nothing and is redone */
	R.f.short_max = BS + 100;
	r = one(BLK_REQ_WRITE, R0, 0, 3);
	CHECK_INT(r.status, BLK_RESP_OK);
	CHECK_INT(r.success_count, 3);
	R.f.short_max = 0;
	/* an error at block 5 of the request: ERR_IO with the 5 blocks before it */
	R.f.fail_at = (20 + 5) * BS;
	r = one(BLK_REQ_READ, R0, 20, 12);
	CHECK_INT(r.status, BLK_RESP_ERR_IO);
	CHECK_INT(r.success_count, 5);
	/* the device fails a whole multi-block transfer: still exactly 5 */
	R.f.fail_whole = 1;
	r = one(BLK_REQ_READ, R0, 20, 12);
	CHECK_INT(r.status, BLK_RESP_ERR_IO);
	CHECK_INT(r.success_count, 5);
	CHECK(!memcmp((uint8_t *)R.srv.shm.region[0].mem, R.disk + 20 * BS, 5 * BS));
	r = one(BLK_REQ_WRITE, R0, 24, 4);
	CHECK_INT(r.status, BLK_RESP_ERR_IO);
	CHECK_INT(r.success_count, 1);
	R.f.fail_whole = 0;
	r = one(BLK_REQ_WRITE, R0, 25, 2);     /* the first block fails */
	CHECK_INT(r.status, BLK_RESP_ERR_IO);
	CHECK_INT(r.success_count, 0);
	r = one(BLK_REQ_WRITE, R0, 26, 2);     /* unaffected */
	CHECK_INT(r.status, BLK_RESP_OK);
	R.f.fail_at = UINT64_MAX;
	/* no progress at all (end of device): ERR_IO 0 */
	R.f.zero_short = 1;
	r = one(BLK_REQ_READ, R0, 0, 1);
	CHECK_INT(r.status, BLK_RESP_ERR_IO);
	CHECK_INT(r.success_count, 0);
	R.f.zero_short = 0;
	/* the engine refuses the submission */
	R.f.submit_err = 16;
	r = one(BLK_REQ_READ, R0, 0, 1);
	CHECK_INT(r.status, BLK_RESP_ERR_IO);
	R.f.submit_err = 0;
	CHECK_INT(blk_srv_inflight(&R.srv), 0);
	rig_free();
}

/* Many requests, completions in reverse and interleaved: answered in order, once. */
TEST(out_of_order_window)
{
	uint32_t next = 0;
	blk_resp_t r;

	CHECK(!rig(64, 64, 4, 1, 64));
	for (uint32_t i = 0; i < 60; i++)
		peer_push(&R.srv.shm, i % 5 == 4 ? BLK_REQ_FLUSH : i & 1, R0 + (i % 16) * BS, i, 1, i);
	for (int k = 0; next < 60 && k < 1000; k++) {
		blk_srv_kick(&R.srv);
		CHECK(blk_srv_inflight(&R.srv) <= 4);
		if (R.f.npend)
			fake_complete(&R.f, (unsigned)k % R.f.npend);
		while (!peer_pop(&R.srv.shm, &r)) {
			CHECK_INT(r.id, next);
			CHECK_INT(r.status, BLK_RESP_OK);
			next++;
		}
	}
	CHECK_INT(next, 60);
	rig_free();
}

TEST(inconsistent_request_queue)
{
	CHECK(!rig(8, 8, 4, 1, 64));
	peer_push(&R.srv.shm, BLK_REQ_READ, R0, 0, 1, 0);
	q_set_tail(R.srv.shm.req, 9); /* claims 9 entries in a queue of 8 */
	blk_srv_kick(&R.srv);
	CHECK_INT(blk_srv_busy(&R.srv), 0);
	CHECK_INT(R.f.nlog, 0);
	q_set_tail(R.srv.shm.req, 0x80000000u); /* or 2^31 */
	blk_srv_kick(&R.srv);
	CHECK_INT(blk_srv_busy(&R.srv), 0);
	q_set_tail(R.srv.shm.req, 1); /* corrected: served */
	blk_srv_kick(&R.srv);
	fake_run(&R.f, 0, 1);
	CHECK(!pop_ids(0, 1, BLK_RESP_OK));
	rig_free();
}

TEST(inconsistent_response_queue)
{
	CHECK(!rig(8, 8, 4, 1, 64));
	for (uint32_t i = 0; i < 3; i++)
		peer_push(&R.srv.shm, BLK_REQ_READ, R0, 0, 1, i);
	q_set_head(R.srv.shm.resp, 100); /* head ahead of our tail 0 */
	blk_srv_kick(&R.srv);
	fake_run(&R.f, 0, 1);
	CHECK_INT(blk_srv_busy(&R.srv), 0);   /* nothing taken, nothing written */
	CHECK_INT(q_tail(R.srv.shm.resp), 0);
	q_set_head(R.srv.shm.resp, 0);
	blk_srv_kick(&R.srv);
	/* taken; the peer breaks its head again before they complete */
	CHECK_INT(blk_srv_busy(&R.srv), 3);
	q_set_head(R.srv.shm.resp, 0xfffffff0u);
	fake_run(&R.f, 0, 1);
	CHECK_INT(q_tail(R.srv.shm.resp), 0);  /* held back, not lost */
	CHECK_INT(blk_srv_busy(&R.srv), 3);
	q_set_head(R.srv.shm.resp, 0);
	blk_srv_kick(&R.srv);
	CHECK(!pop_ids(0, 3, BLK_RESP_OK));
	rig_free();
}

TEST(stopping_takes_nothing_new)
{
	CHECK(!rig(8, 8, 4, 1, 64));
	peer_push(&R.srv.shm, BLK_REQ_READ, R0, 0, 1, 0);
	blk_srv_kick(&R.srv);
	R.srv.stopping = 1;
	peer_push(&R.srv.shm, BLK_REQ_READ, R0, 0, 1, 1);
	fake_run(&R.f, 0, 1);
	CHECK_INT(blk_srv_busy(&R.srv), 0);
	CHECK(!pop_ids(0, 1, BLK_RESP_OK));
	CHECK_INT(q_head(R.srv.shm.req), 1); /* the second stays queued */
	rig_free();
}

/* A kill at every step of publishing, then a new instance on the same shared memory and
 * journal: every request is answered exactly once. Step 0 = no kill. */
TEST(journal_restart_every_step)
{
	for (int with_journal = 1; with_journal >= 0; with_journal--) {
		for (int step = 0; step <= 4; step++) {
			uint32_t seen[6] = { 0 };
			blk_resp_t r;

			rig_setup(8, 8, 4, 1, 64);
			if (!with_journal)
				R.srv.jr = 0;
			CHECK(!rig_start());
			for (uint32_t i = 0; i < 4; i++)
				peer_push(&R.srv.shm, BLK_REQ_WRITE, R0, i, 1, i);
			R.srv.crash_at = step;
			blk_srv_kick(&R.srv);
			fake_run(&R.f, 0, 0);
			blk_srv_kick(&R.srv);
			CHECK_INT(R.srv.crashed, step != 0);
			/* the peer consumes whatever was published before the kill */
			while (!peer_pop(&R.srv.shm, &r))
				seen[r.id]++;
			/* restart: a fresh server over the same shm and journal */
			struct blk_shm keep = R.srv.shm;
			blk_srv_free(&R.srv);
			memset(&R.srv, 0, sizeof(R.srv));
			R.srv.shm = keep;
			R.srv.capacity = 64;
			R.srv.depth = 4;
			R.srv.chunk = 1;
			R.srv.jr = with_journal ? &R.j : 0;
			CHECK(!rig_start());
			peer_push(&R.srv.shm, BLK_REQ_READ, R0, 0, 1, 4);
			blk_srv_kick(&R.srv);
			fake_run(&R.f, 0, 1);
			while (!peer_pop(&R.srv.shm, &r))
				seen[r.id]++;
			for (int i = 0; i < 5; i++) {
				/* without the journal, a kill between tail and head (step 3)
				 * answers twice: the window the journal closes */
				int want = !with_journal && step == 3 && i < 4 ? 2 : 1;
				if (seen[i] != (uint32_t)want)
					check_fail(__FILE__, __LINE__, "journal %d step %d: id %d answered %u times",
						   with_journal, step, i, seen[i]);
				CHECK(seen[i] == (uint32_t)want);
			}
			CHECK_INT(q_head(R.srv.shm.req), 5);
			CHECK_INT(R.j.busy, 0);
			rig_free();
		}
	}
}

/* A kill in the middle of the journal's own recovery (after the head was fixed), and a
 * journal from other queues, are both handled. */
TEST(journal_recover_cases)
{
	struct shm_spec sp = { 8, 8, 1, { R0 }, { BS } };
	struct blk_journal j;
	struct blk_shm s;
	int fix;

	shm_alloc(&s, &sp);
	memset(&j, 0, sizeof(j));
	CHECK_INT(blk_journal_recover(&j, &s, 5, 9, &fix), 5); /* fresh: initialised */
	CHECK_INT(fix, 0);
	CHECK_INT(j.magic, BLK_JOURNAL_MAGIC);
	j.busy = 1, j.head = 5, j.tail = 9, j.n = 3;
	CHECK_INT(blk_journal_recover(&j, &s, 5, 12, &fix), 8);   /* published, head not moved */
	CHECK_INT(fix, 1);
	CHECK_INT(q_head(s.req), 8);
	CHECK_INT(j.busy, 0);
	j.busy = 1;
	CHECK_INT(blk_journal_recover(&j, &s, 5, 9, &fix), 5);    /* not published */
	CHECK_INT(fix, 0);
	j.busy = 1;
	CHECK_INT(blk_journal_recover(&j, &s, 8, 12, &fix), 8);   /* completed */
	CHECK_INT(fix, 0);
	j.busy = 1;
	CHECK_INT(blk_journal_recover(&j, &s, 6, 10, &fix), 6);   /* foreign state: trust queues */
	CHECK_INT(fix, 0);
	j.busy = 1, j.head = 0xfffffffeu, j.tail = 0xffffffffu, j.n = 4; /* across the wrap */
	CHECK_INT(blk_journal_recover(&j, &s, 0xfffffffeu, 3, &fix), 2);
	CHECK_INT(fix, 1);
	j.busy = 1, j.notify = 41;
	s.req_cap = 16; /* other queues: reset, keeping the notify counter */
	CHECK_INT(blk_journal_recover(&j, &s, 0xfffffffeu, 3, &fix), 0xfffffffeu);
	CHECK_INT(fix, 0);
	CHECK_INT(j.busy, 0);
	CHECK_INT(j.req_cap, 16);
	CHECK_INT(j.notify, 41);
	shm_free(&s);
}

/* The default bounce buffers follow the RAM: 16 x 64 KiB from 16 MiB up, then fewer I/Os
 * in flight, then smaller chunks, never below 4 x 16 KiB. */
TEST(size_buffers_by_ram)
{
	static const struct { uint64_t ram; unsigned long depth, chunk; } t[] = {
		{ 1ull << 40, 16, 64 }, { 128u << 20, 16, 64 }, { 16u << 20, 16, 64 },
		{ (16u << 20) - 1, 8, 64 }, { 8u << 20, 8, 64 }, { 5018u << 10, 4, 64 },
		{ 4u << 20, 4, 64 }, { 2970u << 10, 4, 32 }, { 2u << 20, 4, 32 },
		{ 1u << 20, 4, 16 }, { 0, 4, 16 },
	};

	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		unsigned long d, c;

		blk_size_buffers(t[i].ram, &d, &c);
		CHECK_INT(d, t[i].depth);
		CHECK_INT(c, t[i].chunk);
	}
}
