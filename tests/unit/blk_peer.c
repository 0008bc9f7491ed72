// SPDX-License-Identifier: BSD-2-Clause
/* Test doubles for uio_blk; see blk_peer.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "blk_peer.h"

static void *xcalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);
	if (!p)
		abort();
	return p;
}

void shm_alloc(struct blk_shm *s, const struct shm_spec *sp)
{
	memset(s, 0, sizeof(*s));
	s->info = xcalloc(sizeof(blk_storage_info_t));
	s->req_cap = sp->req_cap;
	s->resp_cap = sp->resp_cap;
	s->req_size = blk_req_queue_bytes(sp->req_cap);
	s->resp_size = blk_resp_queue_bytes(sp->resp_cap);
	/* Exact sizes: one byte past a queue is outside the heap block. */
	s->req = xcalloc(s->req_size);
	s->resp = xcalloc(s->resp_size);
	s->req_addr = 0x10000000;
	s->resp_addr = 0x10200000;
	s->nregions = sp->nregions;
	for (int i = 0; i < sp->nregions; i++) {
		s->region[i].paddr = sp->paddr[i];
		s->region[i].size = sp->size[i];
		s->region[i].mem = xcalloc(sp->size[i]);
	}
}

void shm_free(struct blk_shm *s)
{
	free((void *)s->info);
	free((void *)s->req);
	free((void *)s->resp);
	for (int i = 0; i < s->nregions; i++)
		free((void *)s->region[i].mem);
	memset(s, 0, sizeof(*s));
}

uint32_t q_head(volatile uint8_t *q)
{
	return __atomic_load_n((uint32_t *)(q + BLK_Q_HEAD), __ATOMIC_ACQUIRE);
}

uint32_t q_tail(volatile uint8_t *q)
{
	return __atomic_load_n((uint32_t *)(q + BLK_Q_TAIL), __ATOMIC_ACQUIRE);
}

void q_set_head(volatile uint8_t *q, uint32_t v)
{
	__atomic_store_n((uint32_t *)(q + BLK_Q_HEAD), v, __ATOMIC_RELEASE);
}

void q_set_tail(volatile uint8_t *q, uint32_t v)
{
	__atomic_store_n((uint32_t *)(q + BLK_Q_TAIL), v, __ATOMIC_RELEASE);
}

void peer_put_slot(struct blk_shm *s, uint32_t idx, const blk_req_t *r)
{
	memcpy((uint8_t *)s->req + BLK_REQ_SLOTS + 32 * (idx % s->req_cap), r, sizeof(*r));
}

int peer_push(struct blk_shm *s, uint32_t code, uint64_t io, uint64_t block, uint16_t count,
	      uint32_t id)
{
	uint32_t t = q_tail(s->req);
	blk_req_t r;

	if (t - q_head(s->req) >= s->req_cap)
		return -1;
	memset(&r, 0, sizeof(r));
	r.code = code;
	r.io_or_offset = io;
	r.block_number = block;
	r.count = count;
	r.id = id;
	peer_put_slot(s, t, &r);
	q_set_tail(s->req, t + 1);
	return 0;
}

int peer_pop(struct blk_shm *s, blk_resp_t *r)
{
	uint32_t h = q_head(s->resp);

	if (h == q_tail(s->resp))
		return -1;
	memcpy(r, (uint8_t *)s->resp + BLK_RESP_SLOTS + 12 * (h % s->resp_cap), sizeof(*r));
	q_set_head(s->resp, h + 1);
	return 0;
}

void peer_set_plugged(struct blk_shm *s, int on)
{
	*(volatile uint8_t *)(s->req + BLK_Q_PLUGGED) = (uint8_t)on;
}

static void logop(struct fake_eng *f, char what, const struct blk_io *io)
{
	if (f->nlog < FAKE_LOG)
		f->log[f->nlog++] = (struct fake_op){ what, io->op, io->ridx, q_tail(f->srv->shm.resp),
						      io->off, io->len, io->res };
}

static int fake_submit(struct blk_engine *e, struct blk_io *io)
{
	struct fake_eng *f = (struct fake_eng *)e;

	if (f->submit_err)
		return -f->submit_err;
	if (f->npend == BLK_MAX_DEPTH)
		abort(); /* more than depth in flight: a server bug */
	logop(f, 'S', io);
	f->pend[f->npend++] = io;
	return 0;
}

static int fake_wait(struct blk_engine *e, struct blk_srv *s)
{
	(void)s;
	return fake_run((struct fake_eng *)e, 0, 0) ? 0 : -EDEADLK;
}

static void fake_notify(struct blk_engine *e)
{
	((struct fake_eng *)e)->nnotify++;
}

void fake_init(struct fake_eng *f, struct blk_srv *srv, uint8_t *disk, uint64_t size)
{
	memset(f, 0, sizeof(*f));
	f->e.submit = fake_submit;
	f->e.wait = fake_wait;
	f->e.notify = fake_notify;
	f->srv = srv;
	f->disk = disk;
	f->disk_size = size;
	f->fail_at = UINT64_MAX;
	srv->eng = &f->e;
}

void fake_complete(struct fake_eng *f, unsigned i)
{
	struct blk_io *io = f->pend[i];

	memmove(&f->pend[i], &f->pend[i + 1], (f->npend - i - 1) * sizeof(f->pend[0]));
	f->npend--;
	if (io->op == BLK_IO_FLUSH) {
		io->res = f->flush_err ? -f->flush_err : 0;
		f->nflush += !f->flush_err;
	} else {
		uint64_t len = io->len, off = io->off;
		if (f->short_max && len > f->short_max)
			len = f->short_max;
		if (f->zero_short)
			len = 0;
		if (off > f->disk_size)
			len = 0;
		else if (len > f->disk_size - off)
			len = f->disk_size - off;
		if (f->fail_at >= off && f->fail_at < off + len)
			len = f->fail_whole ? 0 : f->fail_at - off; /* stops at the bad block */
		if (io->op == BLK_IO_READ)
			memcpy(io->buf, f->disk + off, len);
		else
			memcpy(f->disk + off, io->buf, len);
		io->res = (int)len;
		if (!len && f->fail_at != UINT64_MAX && f->fail_at >= off && f->fail_at < off + io->len)
			io->res = -EIO;
	}
	logop(f, 'C', io);
	blk_srv_done(f->srv, io);
}

unsigned fake_run(struct fake_eng *f, int reverse, int drain)
{
	unsigned n = 0;

	do {
		while (f->npend) {
			fake_complete(f, reverse ? f->npend - 1 : 0);
			n++;
		}
		if (drain)
			blk_srv_kick(f->srv);
	} while (drain && f->npend);
	return n;
}
