// SPDX-License-Identifier: BSD-2-Clause
/* The serving core, independent of the I/O engine: take requests from the request queue,
 * validate them, run them on the engine in bounce-buffer chunks, and publish responses.
 *
 * Invariants (docs/uio_blk.md):
 * - Requests are taken in queue order into a window; the shared request head moves only
 *   when responses are published, and responses are published in request order. So an
 *   unanswered request is still in the queue for the next instance after a kill.
 * - A request is taken only when a response slot is free for it and every taken request
 *   before it: answers can always be published, nothing is dropped.
 * - FLUSH starts when every earlier WRITE has completed; BARRIER when every earlier
 *   request has, and nothing after a BARRIER starts before it was published. Both
 *   complete after fdatasync when any write completed since the last one. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include "blk.h"
#include "iomem.h"
#include "log.h"

#define BS BLK_TRANSFER_SIZE

static struct blk_entry *ent(struct blk_srv *s, uint32_t i)
{
	return &s->win[i & s->wmask];
}

int blk_validate(const struct blk_srv *s, const blk_req_t *r, volatile uint8_t **buf)
{
	switch (r->code) {
	case BLK_REQ_READ:
	case BLK_REQ_WRITE:
		if (!r->count)
			return BLK_RESP_ERR_INVALID_PARAM;
		*buf = blk_xlate(&s->shm, r->io_or_offset, r->count);
		if (!*buf)
			return BLK_RESP_ERR_INVALID_PARAM;
		if (r->block_number > s->capacity || r->count > s->capacity - r->block_number)
			return BLK_RESP_ERR_INVALID_PARAM;
		if (r->code == BLK_REQ_WRITE && s->read_only)
			return BLK_RESP_ERR_IO;
		return BLK_RESP_OK;
	case BLK_REQ_FLUSH:
	case BLK_REQ_BARRIER:
		return BLK_RESP_OK; /* the other fields mean nothing here */
	default:
		return BLK_RESP_ERR_INVALID_PARAM;
	}
}

/* Free response slots as the peer's head says; 0 (logged once) when the head is
 * inconsistent with our tail. */
static uint32_t resp_room(struct blk_srv *s)
{
	uint32_t used = s->tail - io_load32_acq(s->shm.resp + BLK_Q_HEAD);

	if (used > s->shm.resp_cap) {
		if (!s->bad_resp)
			warn("response queue inconsistent: tail %u - head = %u > %u", s->tail, used,
			     s->shm.resp_cap);
		s->bad_resp = 1;
		return 0;
	}
	s->bad_resp = 0;
	return s->shm.resp_cap - used;
}

/* Whether buf (validated: inside one region) lies in a zero-copy region. */
static int region_zc(const struct blk_shm *sh, volatile uint8_t *buf)
{
	for (int i = 0; i < sh->nregions; i++)
		if (buf >= sh->region[i].mem && buf < sh->region[i].mem + sh->region[i].size)
			return sh->region[i].zc;
	return 0;
}

static int take(struct blk_srv *s)
{
	volatile uint8_t *q = s->shm.req;
	uint32_t avail, room;
	int n = 0;

	if (s->stopping || io_load8(q + BLK_Q_PLUGGED))
		return 0;
	/* Acquire: the slots are read after the tail that published them. */
	avail = io_load32_acq(q + BLK_Q_TAIL) - s->head;
	if (avail > s->shm.req_cap) {
		if (!s->bad_req)
			warn("request queue inconsistent: tail %u - head %u = %u > %u",
			     s->head + avail, s->head, avail, s->shm.req_cap);
		s->bad_req = 1;
		return 0;
	}
	s->bad_req = 0;
	if (s->ntaken >= avail)
		return 0;
	room = resp_room(s);
	while (s->ntaken < avail && s->ntaken < s->wmax && s->ntaken < room) {
		uint32_t i = s->head + s->ntaken;
		struct blk_entry *e = ent(s, i);

		iomem_copy(&e->req, q + BLK_REQ_SLOTS + sizeof(blk_req_t) * (i % s->shm.req_cap),
			   sizeof(blk_req_t));
		e->buf = 0;
		e->done = 0;
		e->single = 0;
		e->status = (uint8_t)blk_validate(s, &e->req, &e->buf);
		e->zc = e->buf && region_zc(&s->shm, e->buf);
		e->state = e->status ? E_DONE : E_WAIT;
		s->ntaken++;
		n++;
	}
	return n;
}

static struct blk_io *get_io(struct blk_srv *s, uint32_t ridx, int op)
{
	struct blk_io *io = &s->io[s->free_io[--s->nfree]];

	io->op = (uint8_t)op;
	io->ridx = ridx;
	io->res = 0;
	return io;
}

static void submit(struct blk_srv *s, struct blk_io *io)
{
	int r = s->eng->submit(s->eng, io);

	if (r < 0) {
		io->res = r;
		blk_srv_done(s, io);
	}
}

static void start_rw(struct blk_srv *s, struct blk_entry *e, uint32_t ridx)
{
	int wr = e->req.code == BLK_REQ_WRITE;
	struct blk_io *io = get_io(s, ridx, wr ? BLK_IO_WRITE : BLK_IO_READ);
	uint32_t left = e->req.count - e->done, n = left < s->chunk ? left : s->chunk;

	if (e->single)
		n = 1;
	io->len = n * BS;
	io->off = (e->req.block_number + e->done) * BS; /* < capacity * 4096: validated */
	io->buf = io->bounce;
	io->zc = 0;
	if (e->zc) {
		/* Straight between the device and the client's region when O_DIRECT's
		 * alignment rules hold for this I/O; otherwise this I/O is copied. */
		void *p = (void *)(uintptr_t)(e->buf + (size_t)e->done * BS);
		if (blk_zc_fits(s, p, io->len, io->off)) {
			io->buf = p;
			io->zc = 1;
			s->nzc++;
		} else {
			s->nzc_copy++;
		}
	}
	if (wr && !io->zc)
		iomem_copy(io->buf, e->buf + (size_t)e->done * BS, io->len);
	e->state = E_RUN;
	submit(s, io);
}

static void start_sync(struct blk_srv *s, struct blk_entry *e, uint32_t ridx)
{
	struct blk_io *io = get_io(s, ridx, BLK_IO_FLUSH);

	io->len = 0;
	io->off = 0;
	io->gen = s->wgen;
	e->state = E_RUN;
	submit(s, io);
}

/* Start what may start, in queue order. The rules (docs/uio_blk.md, "Ordering"):
 * - a FLUSH starts once every earlier WRITE has completed;
 * - a BARRIER starts once every earlier request (READ, WRITE, FLUSH, all chunks of each)
 *   has completed: sDDF's "all requests before the barrier must be completed ... before
 *   any of the requests after the barrier are initiated";
 * - nothing after a BARRIER starts while the BARRIER is still in the window, i.e. until
 *   it and everything before it were published. So a driver killed later never serves a
 *   request from before a barrier again after one from behind it already ran (a READ
 *   redone after a later WRITE would read the wrong data). The response slots were
 *   reserved at take(), so that publication is never held up for long. */
static int start(struct blk_srv *s)
{
	int n = 0, wpend = 0, pend = 0; /* an earlier WRITE / request has not completed */

	for (uint32_t k = 0; k < s->ntaken; k++) {
		uint32_t i = s->head + k;
		struct blk_entry *e = ent(s, i);
		int barrier = e->req.code == BLK_REQ_BARRIER;

		if (e->state == E_WAIT) {
			if (barrier || e->req.code == BLK_REQ_FLUSH) {
				if (barrier ? pend : wpend) {
					/* waits for earlier requests */
				} else if (s->wgen == s->synced) {
					e->state = E_DONE; /* nothing written since the last sync */
					n++;
				} else if (s->nfree) {
					start_sync(s, e, i);
					n++;
				}
			} else if (s->nfree) {
				start_rw(s, e, i);
				n++;
			} else {
				break; /* in order: nothing later gets a slot first */
			}
		}
		if (barrier)
			break; /* unpublished: nothing after it starts yet */
		if (e->state != E_DONE) {
			pend = 1;
			if (e->req.code == BLK_REQ_WRITE)
				wpend = 1;
		}
	}
	return n;
}

void blk_srv_done(struct blk_srv *s, struct blk_io *io)
{
	struct blk_entry *e = ent(s, io->ridx);
	uint32_t blocks;

	s->free_io[s->nfree++] = io->slot;
	if (io->op == BLK_IO_FLUSH) {
		if (io->res < 0) {
			warn("flush failed: %s", strerror(-io->res));
			e->status = BLK_RESP_ERR_IO;
		} else if ((int32_t)(io->gen - s->synced) > 0) {
			s->synced = io->gen;
		}
		e->state = E_DONE;
		return;
	}
	if (io->op == BLK_IO_WRITE)
		s->wgen++;
	/* Whole blocks only; a partial block is redone with the rest. */
	blocks = io->res > 0 ? (uint32_t)io->res / BS : 0;
	if (blocks > io->len / BS)
		blocks = io->len / BS;
	if (io->op == BLK_IO_READ && blocks && !io->zc)
		iomem_copy(e->buf + (size_t)e->done * BS, io->buf, (size_t)blocks * BS);
	e->done = (uint16_t)(e->done + blocks);
	if (!blocks && io->len > BS) {
		/* A multi-block transfer failed as a whole: find the first bad block one
		 * block at a time, so success_count is exact (sDDF: the blocks before it). */
		e->single = 1;
		e->state = E_WAIT;
	} else if (!blocks) {
		/* An error, or no progress at all (end of device): fail with what was done. */
		warn("%s block %llu: %s", io->op == BLK_IO_READ ? "read" : "write",
		     (unsigned long long)(e->req.block_number + e->done),
		     io->res < 0 ? strerror(-io->res) : "short");
		e->status = BLK_RESP_ERR_IO;
		e->state = E_DONE;
	} else {
		e->state = e->done == e->req.count ? E_DONE : E_WAIT;
	}
}

static const char *code_name(uint32_t c)
{
	static const char names[][8] = { "READ", "WRITE", "FLUSH", "BARRIER" };
	return c < 4 ? names[c] : "INVALID";
}

#ifdef DVM_UNIT_TEST
#define CRASH(step) do { if (s->crash_at == (step)) { s->crashed = 1; return 0; } } while (0)
#else
#define CRASH(step) do { } while (0)
#endif

static int publish(struct blk_srv *s)
{
	volatile uint8_t *rq = s->shm.resp;
	struct blk_journal *j = s->jr;
	uint32_t n = 0, room;

	while (n < s->ntaken && ent(s, s->head + n)->state == E_DONE)
		n++;
	if (!n)
		return 0;
	room = resp_room(s);
	if (n > room)
		n = room;
	if (!n)
		return 0;
	if (j) {
		/* "Answering requests head..head+n-1 at response tail": see journal.c. */
		j->head = s->head;
		j->tail = s->tail;
		j->n = n;
		__atomic_store_n(&j->busy, 1, __ATOMIC_RELEASE);
	}
	CRASH(1);
	for (uint32_t k = 0; k < n; k++) {
		struct blk_entry *e = ent(s, s->head + k);
		blk_resp_t r;

		memset(&r, 0, sizeof(r));
		r.status = e->status;
		r.success_count = e->status ? e->done : e->req.count;
		if (e->req.code != BLK_REQ_READ && e->req.code != BLK_REQ_WRITE)
			r.success_count = 0;
		r.id = e->req.id;
		iomem_copy(rq + BLK_RESP_SLOTS + sizeof(r) * ((s->tail + k) % s->shm.resp_cap), &r,
			   sizeof(r));
		dbg("req %u: %s block %llu count %u io 0x%llx id %u -> status %u count %u",
		    s->head + k, code_name(e->req.code), (unsigned long long)e->req.block_number,
		    e->req.count, (unsigned long long)e->req.io_or_offset, e->req.id, r.status,
		    r.success_count);
	}
	CRASH(2);
	/* Release: the slots before the tail; our reads of the requests before the head. */
	io_store32_rel(rq + BLK_Q_TAIL, s->tail + n);
	CRASH(3);
	io_store32_rel(s->shm.req + BLK_Q_HEAD, s->head + n);
	CRASH(4);
	if (j)
		__atomic_store_n(&j->busy, 0, __ATOMIC_RELEASE);
	s->tail += n;
	s->head += n;
	s->ntaken -= n;
	s->nreq += n;
	s->notify = 1;
	return (int)n;
}

int blk_srv_pending(struct blk_srv *s)
{
	volatile uint8_t *q = s->shm.req;
	uint32_t avail, used, room;

	used = s->tail - io_load32_acq(s->shm.resp + BLK_Q_HEAD);
	room = used > s->shm.resp_cap ? 0 : s->shm.resp_cap - used;
	if (s->ntaken && ent(s, s->head)->state == E_DONE && room)
		return 1;
	if (s->stopping || io_load8(q + BLK_Q_PLUGGED))
		return 0;
	avail = io_load32_acq(q + BLK_Q_TAIL) - s->head;
	return avail <= s->shm.req_cap && avail > s->ntaken && s->ntaken < s->wmax &&
	       s->ntaken < room;
}

static int poll_once(struct blk_srv *s, int io)
{
	if (blk_srv_pending(s))
		return BLK_POLL_WORK;
	return io && s->eng->ready(s->eng) ? BLK_POLL_DONE : 0;
}

int blk_srv_poll(struct blk_srv *s, unsigned us)
{
	struct timespec t0, t;
	int64_t ns = (int64_t)us * 1000;
	int io = blk_srv_inflight(s) && s->eng->ready, r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned i = 1;; i++) {
		if ((r = poll_once(s, io)))
			return r;
		if (!(i & 7)) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			if ((t.tv_sec - t0.tv_sec) * 1000000000ll + (t.tv_nsec - t0.tv_nsec) >= ns)
				return poll_once(s, io);
		}
	}
}

void blk_srv_kick(struct blk_srv *s)
{
	for (;;) {
		int p = publish(s);
#ifdef DVM_UNIT_TEST
		if (s->crashed)
			return;
#endif
		p += take(s);
		p += start(s);
		if (!p)
			return;
	}
}

static uint32_t pow2_floor(uint32_t x)
{
	while (x & (x - 1))
		x &= x - 1;
	return x;
}

void blk_size_buffers(uint64_t ram, unsigned long *depth, unsigned long *chunk_kib)
{
	uint64_t budget = ram / 16;

	*depth = BLK_DEPTH_DEFAULT;
	*chunk_kib = BLK_CHUNK_DEFAULT;
	/* Fewer I/Os in flight first (4 still keep a virtio disk busy), then smaller chunks
	 * (large requests just take more of them). */
	while ((uint64_t)*depth * *chunk_kib * 1024 > budget && *depth > 4)
		*depth /= 2;
	while ((uint64_t)*depth * *chunk_kib * 1024 > budget && *chunk_kib > 16)
		*chunk_kib /= 2;
}

int blk_srv_init(struct blk_srv *s)
{
	uint32_t w;
	int fix = 0;

	if (s->depth < 1 || s->depth > BLK_MAX_DEPTH || s->chunk < 1 || s->chunk > 4096) {
		err("bad depth %u / chunk %u", s->depth, s->chunk);
		return -1;
	}
	/* The window: enough to keep every slot busy while earlier requests finish out of
	 * order; never more than either queue holds (any capacity): wmax entries in an
	 * array of the next power of two. */
	w = pow2_floor(s->depth * 4 - 1) * 2;
	if (w > s->shm.req_cap)
		w = s->shm.req_cap;
	if (w > s->shm.resp_cap)
		w = s->shm.resp_cap;
	s->wmax = w;
	if (w & (w - 1))
		w = pow2_floor(w) * 2;
	s->wmask = w - 1;
	s->bounce_len = (size_t)s->depth * s->chunk * BS;
	s->io = calloc(s->depth, sizeof(*s->io));
	s->free_io = calloc(s->depth, sizeof(*s->free_io));
	s->win = calloc(w, sizeof(*s->win));
	s->bounce = mmap(NULL, s->bounce_len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!s->io || !s->free_io || !s->win || s->bounce == MAP_FAILED) {
		if (s->bounce == MAP_FAILED)
			s->bounce = 0;
		err("out of memory");
		blk_srv_free(s);
		return -1;
	}
	for (unsigned i = 0; i < s->depth; i++) {
		s->io[i].slot = (uint16_t)i;
		s->io[i].bounce = s->bounce + (size_t)i * s->chunk * BS;
		s->io[i].buf = s->io[i].bounce;
		s->free_io[i] = (uint16_t)(s->depth - 1 - i);
	}
	s->nfree = s->depth;
	s->ntaken = 0;
	if (!s->zc_align)
		s->zc_align = 4096;
	if (!s->lbs)
		s->lbs = 512;
	/* Unknown durability state at start: the first FLUSH always syncs. */
	s->wgen = 1;
	s->synced = 0;
	s->head = io_load32(s->shm.req + BLK_Q_HEAD);
	s->tail = io_load32(s->shm.resp + BLK_Q_TAIL);
	if (s->jr)
		s->head = blk_journal_recover(s->jr, &s->shm, s->head, s->tail, &fix);
	return 0;
}

void blk_srv_free(struct blk_srv *s)
{
	free(s->io);
	free(s->free_io);
	free(s->win);
	if (s->bounce)
		munmap(s->bounce, s->bounce_len);
	s->io = 0;
	s->free_io = 0;
	s->win = 0;
	s->bounce = 0;
}
