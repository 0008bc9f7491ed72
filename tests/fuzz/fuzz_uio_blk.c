// SPDX-License-Identifier: BSD-2-Clause
/* libFuzzer target: uio_blk's request processing (serve.c, xlate.c, journal.c) against a
 * peer and a device driven by the input: queue capacities of 1 to 2048 (powers of two
 * and 3, 384, 1000), starting indices near the 2^32 wrap, data regions anywhere (adjacent, at the top of the address space), requests
 * with any fields, completions in any order with errors and short transfers, plugging,
 * kills at any point (including inside publishing) followed by a restart.
 * The maps are exact-size heap buffers, so ASan reports any access outside them, and
 * every access iomem makes is checked for alignment. Two peers:
 * - honest (follows the protocol; with a capacity that is not a power of two it starts
 *   away from the wrap, where sDDF's own slot mapping jumps and entries queued across it
 *   collide: that case is the unit tests'): every request is answered exactly once, in order,
 *   with its id, with the status an independent check of the request predicts, never
 *   more unconsumed responses than the capacity, and everything is answered in the end;
 * - hostile (also rewrites indices, slots and flags at random): the driver must stay
 *   inside the maps and never crash. */
#include <stdlib.h>
#include <string.h>
#include "blk_peer.h"
#include "iomem.h"
#include "log.h"

#define BS 4096u
#define MAXREQ 4096

struct in {
	const uint8_t *p;
	size_t n;
};

static uint64_t take(struct in *in, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes; i++) {
		v <<= 8;
		if (in->n) {
			v |= *in->p++;
			in->n--;
		}
	}
	return v;
}

static void misaligned(const volatile void *p, unsigned w)
{
	if ((uintptr_t)p % w)
		abort();
}

static struct state {
	struct blk_srv srv;
	struct fake_eng f;
	struct blk_journal j;
	uint8_t disk[64 * BS];
	int honest;
	/* what the honest peer pushed, by request index (offset from the start) */
	uint32_t req0, resp0;
	uint32_t npushed, nanswered;
	blk_req_t pushed[MAXREQ];
} S;

static uint32_t q_used(volatile uint8_t *q) { return q_tail(q) - q_head(q); }

/* The status the request deserves before any I/O, computed independently. */
static uint32_t expect(const blk_req_t *r)
{
	const struct blk_shm *s = &S.srv.shm;
	uint64_t len = (uint64_t)r->count * BS;
	int found = 0;

	if (r->code == BLK_REQ_FLUSH || r->code == BLK_REQ_BARRIER)
		return BLK_RESP_OK;
	if (r->code > BLK_REQ_BARRIER || !r->count || r->io_or_offset % BS)
		return BLK_RESP_ERR_INVALID_PARAM;
	if (s->legacy) {
		unsigned __int128 end = (unsigned __int128)r->io_or_offset + len;
		found = end <= s->region[0].size;
	} else {
		for (int i = 0; i < s->nregions && !found; i++) {
			unsigned __int128 a = s->region[i].paddr, e = a + s->region[i].size;
			if (r->io_or_offset >= a && r->io_or_offset < e)
				found = (unsigned __int128)r->io_or_offset + len <= e ? 1 : -1;
		}
	}
	if (found != 1)
		return BLK_RESP_ERR_INVALID_PARAM;
	if ((unsigned __int128)r->block_number + r->count > S.srv.capacity)
		return BLK_RESP_ERR_INVALID_PARAM;
	if (r->code == BLK_REQ_WRITE && S.srv.read_only)
		return BLK_RESP_ERR_IO;
	return BLK_RESP_OK;
}

static void check_resp(const blk_resp_t *r)
{
	uint32_t k = S.nanswered++;
	const blk_req_t *q;

	if (!S.honest)
		return;
	if (k >= S.npushed)
		abort(); /* an answer to a request never made: answered twice */
	q = &S.pushed[k];
	if (r->id != q->id)
		abort(); /* out of order, lost or duplicated */
	uint32_t want = expect(q);
	if (want != BLK_RESP_OK) {
		if (r->status != want || r->success_count)
			abort();
	} else if (q->code == BLK_REQ_FLUSH || q->code == BLK_REQ_BARRIER) {
		if ((r->status != BLK_RESP_OK && r->status != BLK_RESP_ERR_IO) || r->success_count)
			abort();
	} else if (r->status == BLK_RESP_OK) {
		if (r->success_count != q->count)
			abort();
	} else if (r->status != BLK_RESP_ERR_IO || r->success_count >= q->count) {
		abort();
	}
}

static void invariants(void)
{
	struct blk_shm *s = &S.srv.shm;

	if (blk_srv_inflight(&S.srv) > S.srv.depth || S.f.npend > S.srv.depth)
		abort();
	if (!S.honest)
		return;
	/* never more responses than the queue holds; every taken request has a slot */
	if (q_used(s->resp) > s->resp_cap || q_used(s->resp) + blk_srv_busy(&S.srv) > s->resp_cap)
		abort();
	/* answered == removed from the request queue (outside a kill window) */
	if (!S.srv.crashed && q_head(s->req) - S.req0 != q_tail(s->resp) - S.resp0)
		abort();
}

static void pop_all(unsigned max)
{
	blk_resp_t r;

	if (max > 1024)
		max = 1024; /* a hostile peer's indices may claim billions */
	for (unsigned i = 0; i < max && !peer_pop(&S.srv.shm, &r); i++)
		check_resp(&r);
}

static int start(void)
{
	if (blk_srv_init(&S.srv))
		return -1;
	fake_init(&S.f, &S.srv, S.disk, S.srv.capacity * BS);
	return 0;
}

/* Kill the driver now (dropping its I/O, or letting it reach the disk first) and start
 * a new one on the same shared memory and journal. */
static int restart(int land_writes)
{
	struct blk_srv keep = S.srv;

	if (land_writes)
		while (S.f.npend)
			fake_complete(&S.f, 0); /* the kernel finishes I/O of a dead process */
	S.f.npend = 0;
	blk_srv_free(&S.srv);
	memset(&S.srv, 0, sizeof(S.srv));
	S.srv.shm = keep.shm;
	S.srv.capacity = keep.capacity;
	S.srv.read_only = keep.read_only;
	S.srv.depth = keep.depth;
	S.srv.chunk = keep.chunk;
	S.srv.jr = &S.j;
	return start();
}

static uint64_t pick_io(struct in *in)
{
	struct blk_shm *s = &S.srv.shm;
	unsigned b = (unsigned)take(in, 1);
	const struct blk_region *r = &s->region[b % s->nregions];
	uint64_t base = s->legacy ? 0 : r->paddr;

	switch (b >> 6) {
	case 0: return base + (take(in, 1) % 12) * BS;
	case 1: return base + r->size - (take(in, 1) % 3) * BS;
	case 2: return base + (take(in, 1) % 4) * BS + (take(in, 1) % 9) * 512;
	default: return take(in, 8);
	}
}

static void push(struct in *in)
{
	struct blk_shm *s = &S.srv.shm;
	blk_req_t r;
	unsigned c = (unsigned)take(in, 1);

	memset(&r, 0, sizeof(r));
	r.code = c < 240 ? c % 4 : (uint32_t)take(in, 4);
	r.io_or_offset = pick_io(in);
	r.block_number = take(in, 1) & 0x80 ? take(in, 8) : take(in, 1) % 70;
	r.count = take(in, 1) & 0x80 ? (uint16_t)take(in, 2) : (uint16_t)(take(in, 1) % 20);
	r.id = S.npushed * 7 + 3;
	if (S.honest) {
		if (q_used(s->req) >= s->req_cap || S.npushed >= MAXREQ)
			return;
		S.pushed[S.npushed++] = r;
	}
	peer_put_slot(s, q_tail(s->req), &r);
	q_set_tail(s->req, q_tail(s->req) + 1);
}

static void hostile(struct in *in)
{
	struct blk_shm *s = &S.srv.shm;
	blk_req_t r;

	switch (take(in, 1) % 5) {
	case 0: q_set_tail(s->req, q_tail(s->req) + (uint32_t)(int8_t)take(in, 1)); break;
	case 1: q_set_tail(s->req, (uint32_t)take(in, 4)); break;
	case 2: q_set_head(s->resp, q_head(s->resp) + (uint32_t)(int8_t)take(in, 1)); break;
	case 3: q_set_head(s->resp, (uint32_t)take(in, 4)); break;
	default:
		for (unsigned i = 0; i < sizeof(r); i++)
			((uint8_t *)&r)[i] = (uint8_t)take(in, 1);
		peer_put_slot(s, (uint32_t)take(in, 4), &r);
	}
}

static void complete(struct in *in)
{
	unsigned b = (unsigned)take(in, 1);

	if (!S.f.npend)
		return;
	S.f.short_max = b & 1 ? (uint32_t)(take(in, 1) % 5) * BS + (b & 2 ? 100 : 0) : 0;
	S.f.zero_short = (b & 0x1c) == 0x1c;
	S.f.fail_at = b & 0x20 ? take(in, 1) % 64 * BS : UINT64_MAX;
	S.f.fail_whole = b >> 7;
	S.f.flush_err = b & 0x40 ? 5 : 0;
	fake_complete(&S.f, (b >> 2) % S.f.npend);
	S.f.short_max = 0, S.f.zero_short = 0, S.f.fail_at = UINT64_MAX, S.f.flush_err = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	struct shm_spec sp;
	static const uint64_t bases[] = { 0x40000000, 0x40008000, 0x80000000, 0, ~0ull << 15 };
	unsigned h = (unsigned)take(&in, 2);

	memset(&S.srv, 0, sizeof(S.srv));
	memset(&S.j, 0, sizeof(S.j));
	S.npushed = S.nanswered = 0;
	S.honest = h & 1;
	memset(&sp, 0, sizeof(sp));
	static const uint32_t caps[16] = { 1, 2, 3, 4, 8, 16, 32, 64, 128, 384, 1000, 2048,
					   5, 7, 12, 100 };
	sp.req_cap = caps[take(&in, 1) % 16];
	sp.resp_cap = caps[take(&in, 1) % 16];
	sp.nregions = 1 + (int)(take(&in, 1) % 3);
	for (int i = 0; i < sp.nregions; i++) {
		sp.paddr[i] = bases[take(&in, 1) % 5];
		sp.size[i] = (1 + take(&in, 1) % 8) * BS;
	}
	shm_alloc(&S.srv.shm, &sp);
	S.srv.shm.legacy = (h >> 1) & 1;
	S.srv.read_only = (h >> 2) & 1;
	S.srv.capacity = take(&in, 1) % 65;
	S.srv.depth = 1 + (unsigned)(take(&in, 1) % 8);
	S.srv.chunk = 1 + (unsigned)(take(&in, 1) % 4);
	S.srv.jr = &S.j;
	/* starting indices, often just below the 2^32 wrap */
	int nowrap = S.honest && ((sp.req_cap & (sp.req_cap - 1)) || (sp.resp_cap & (sp.resp_cap - 1)));
	uint32_t ri = (h >> 3) & 1 && !nowrap ? 0xffffffffu - (uint32_t)take(&in, 1)
					      : (uint32_t)take(&in, 4) % (nowrap ? 0xffff0000u : ~0u);
	uint32_t ro = (h >> 4) & 1 && !nowrap ? 0xffffffffu - (uint32_t)take(&in, 1)
					      : (uint32_t)take(&in, 4) % (nowrap ? 0xffff0000u : ~0u);
	q_set_head(S.srv.shm.req, ri);
	q_set_tail(S.srv.shm.req, ri);
	q_set_head(S.srv.shm.resp, ro);
	q_set_tail(S.srv.shm.resp, ro);
	S.req0 = ri, S.resp0 = ro;
	for (unsigned b = 0; b < sizeof(S.disk) / BS; b++)
		memset(S.disk + b * BS, (int)b, BS);
	if (start())
		abort();

	for (unsigned steps = 0; in.n && steps < 2000; steps++) {
		switch (take(&in, 1) % 10) {
		case 0: case 1: push(&in); break;
		case 2: blk_srv_kick(&S.srv); break;
		case 3: case 4: complete(&in); break;
		case 5: pop_all((unsigned)take(&in, 1) % 9); break;
		case 6:
			if (S.honest)
				peer_set_plugged(&S.srv.shm, (int)(take(&in, 1) & 1));
			else
				hostile(&in);
			break;
		case 7: /* a kill inside the next publication, or right now */
			S.srv.crash_at = (int)(take(&in, 1) % 6);
			blk_srv_kick(&S.srv);
			if (S.srv.crashed || S.srv.crash_at == 5) {
				if (restart((int)(take(&in, 1) & 1)))
					abort();
			}
			S.srv.crash_at = 0;
			break;
		case 8: fake_run(&S.f, (int)(take(&in, 1) & 1), 0); break;
		default: blk_srv_kick(&S.srv); pop_all(~0u); break;
		}
		invariants();
	}
	/* The end: an honest peer unplugs and keeps consuming; the device completes
	 * everything: every request must be answered. */
	if (S.honest) {
		peer_set_plugged(&S.srv.shm, 0);
		for (int k = 0; k < 100000 && S.nanswered < S.npushed; k++) {
			blk_srv_kick(&S.srv);
			fake_run(&S.f, k & 1, 0);
			pop_all(~0u);
			invariants();
		}
		if (S.nanswered != S.npushed)
			abort(); /* something was lost */
	} else {
		blk_srv_kick(&S.srv);
		fake_run(&S.f, 0, 1);
	}
	S.f.npend = 0;
	blk_srv_free(&S.srv);
	shm_free(&S.srv.shm);
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	iomem_trace = misaligned;
	log_level = 0; /* quiet: the peer's misbehaviour is logged otherwise */
	return 0;
}
