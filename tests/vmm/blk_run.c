// SPDX-License-Identifier: BSD-2-Clause
/* The block workload engine: submitting requests with their expectations, waiting for
 * the driver, and checking every response (id outstanding and answered once, status,
 * success_count, READ data against the model, WRITE buffers untouched, image contents
 * after FLUSH). See blk_work.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "blk_work.h"

#define SHOW_ERRORS 5 /* per kind and phase; the rest are only counted */

static const char *const kind_check[E_NKIND] = {
	[E_ANSWER] = "every request answered exactly once, no unknown ids",
	[E_STATUS] = "statuses and success counts as expected",
	[E_DATA] = "READ data equals the disk, WRITE buffers untouched",
	[E_DURABLE] = "WRITEs in the disk image after FLUSH",
	[E_NOTIFY] = "the driver notified every batch of responses",
};

void run_err(struct blk_run *r, int kind, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (r->nerr[kind]++ >= SHOW_ERRORS)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	msg("%s: %s", r->phase, buf);
}

void run_phase(struct blk_run *r, const char *phase)
{
	r->phase = phase;
	memset(r->nerr, 0, sizeof(r->nerr));
	memset(r->nreq, 0, sizeof(r->nreq));
	memset(r->per_region, 0, sizeof(r->per_region));
	r->answered = 0;
	r->verified_reads = 0;
	r->stalled = 0;
	check_begin(phase);
}

void run_report(struct blk_run *r, const char *kinds)
{
	char name[256];

	for (const char *k = kinds; *k; k++) {
		int i = *k - '0';

		snprintf(name, sizeof(name), "%s: %s", r->phase, kind_check[i]);
		if (r->nerr[i])
			fail(name, "%d failures (first ones above)", r->nerr[i]);
		else
			pass(name, "");
	}
}

uint64_t pick_block(struct blk_run *r, uint32_t n)
{
	for (;;) {
		uint64_t b = rnd_next(&r->rng) % (r->d->nblk - n + 1);

		if (b > r->bad_block || b + n <= r->bad_block)
			return b;
	}
}

static struct pend *new_pend(struct blk_run *r, int *idp)
{
	int id = id_alloc(r->v);
	struct pend *p;

	if (id < 0)
		return 0;
	p = &r->v->pend[id];
	free(p->data);
	memset(p, 0, sizeof(*p));
	p->req.id = (uint32_t)id;
	p->region = -1;
	p->epoch = r->epoch;
	r->last_id = (uint32_t)id;
	*idp = id;
	return p;
}

int submit_rw(struct blk_run *r, int code, uint64_t blk, uint32_t n, int pref)
{
	struct blk_virt *v = r->v;
	int write = code == REQ_WRITE, reg, id;
	uint32_t boff;
	struct pend *p;
	uint8_t *buf;

	if (disk_conflict(r->d, write, blk, n, r->epoch))
		return 0;
	reg = buf_alloc(v, n, pref, rnd_next(&r->rng), &boff);
	if (reg < 0)
		return 0;
	p = new_pend(r, &id);
	if (!p) {
		buf_free(v, reg, boff, n);
		return 0;
	}
	p->req.code = (uint32_t)code;
	p->req.io_or_offset = buf_io(v, reg, boff);
	p->req.block_number = blk;
	p->req.count = (uint16_t)n;
	p->region = reg;
	p->boff = boff;
	p->nbuf = n;
	buf = buf_ptr(v, reg, boff);
	if (r->light) {
		/* bench: touch as little as a real virtualiser (which never touches data): a
		 * WRITE tags each block, and the tag is noted for the bench to check in the
		 * image once the timed run is over (the model is reloaded then, not copied
		 * here); READs are not checked */
		if (write) {
			for (uint32_t b = 0; b < n; b++) {
				uint64_t tag[2] = { rnd_next(&r->rng) | 1, blk + b };
				memcpy(buf + (size_t)b * BLK_XFER, tag, sizeof(tag));
				if (r->tags)
					r->tags[blk + b] = tag[0];
			}
		}
	} else {
		p->data = malloc((size_t)n * BLK_XFER);
		if (!p->data)
			die("out of memory");
		if (write) {
			rnd_fill(&r->rng, p->data, (uint64_t)n * BLK_XFER);
			memcpy(buf, p->data, (size_t)n * BLK_XFER);
		} else {
			memcpy(p->data, r->d->model + blk * BLK_XFER, (size_t)n * BLK_XFER);
			/* poison: a READ answered without filling the buffer cannot pass */
			rnd_fill(&r->rng, buf, (uint64_t)n * BLK_XFER);
		}
	}
	if (write && r->readonly) {
		p->want_status = RESP_ERR_IO;
		p->want_count = 0;
	} else {
		p->want_status = RESP_OK;
		p->want_count = (uint16_t)n;
	}
	disk_busy(r->d, write, blk, n, r->epoch);
	r->recent[r->nrecent++ % 16].blk = blk;
	r->recent[(r->nrecent - 1) % 16].n = n;
	if (r->hold && r->nheld < sizeof(r->held) / sizeof(r->held[0]))
		r->held[r->nheld++] = p;
	else
		blk_enqueue(v, p);
	if (write && !r->readonly && !r->light)
		disk_write_submitted(r->d, blk, n, p->data ? p->data : buf, p->seq);
	return 1;
}

int submit_sync(struct blk_run *r, int code, int junk)
{
	struct pend *p;
	int id;

	p = new_pend(r, &id);
	if (!p)
		return 0;
	p->req.code = (uint32_t)code;
	if (junk) {
		/* the fields mean nothing for FLUSH and BARRIER; the driver must not care */
		p->req.io_or_offset = rnd_next(&r->rng);
		p->req.block_number = rnd_next(&r->rng);
		p->req.count = (uint16_t)rnd_next(&r->rng);
	}
	p->want_status = RESP_OK;
	p->want_count = 0;
	blk_enqueue(r->v, p);
	if (code == REQ_BARRIER)
		r->epoch++;
	return 1;
}

int submit_raw(struct blk_run *r, uint32_t code, uint64_t io, uint64_t blk, uint16_t count,
	       int want_status, const char *what)
{
	struct pend *p;
	int id;

	p = new_pend(r, &id);
	if (!p)
		return 0;
	p->req.code = code;
	p->req.io_or_offset = io;
	p->req.block_number = blk;
	p->req.count = count;
	p->want_status = want_status;
	p->want_count = 0;
	p->what = what;
	blk_enqueue(r->v, p);
	return 1;
}

static void handle(struct blk_run *r, const struct sddf_resp *rs)
{
	struct blk_virt *v = r->v;
	struct pend *p;
	int tracked;

	if (rs->id >= MAX_IDS || !v->pend[rs->id].active) {
		run_err(r, E_ANSWER, "response (status %u %s, success_count %u) for id %u, which is "
			"not outstanding: an unknown id or a second answer", rs->status,
			status_name(rs->status), rs->success_count, rs->id);
		return;
	}
	p = &v->pend[rs->id];
	p->active = 0;
	v->outstanding--;
	v->answered++;
	r->answered++;
	tracked = p->region >= 0;
	if (p->custom) {
		/* an I/O error: the phase judges status and count; here the blocks reported
		 * done must hold the right data, and a WRITE's others are unknown: take them
		 * from the image */
		uint32_t ok = rs->success_count < p->nbuf ? rs->success_count : p->nbuf;

		p->got = *rs;
		if (tracked && p->data && p->req.code == REQ_READ &&
		    memcmp(buf_ptr(v, p->region, p->boff), p->data, (size_t)ok * BLK_XFER))
			run_err(r, E_DATA, "%s: the %u blocks reported read differ from the disk",
				req_str(&p->req), ok);
		if (tracked && p->req.code == REQ_WRITE && ok < p->nbuf)
			disk_resync(r->d, p->req.block_number + ok, p->nbuf - ok);
	} else if (rs->status != (uint32_t)p->want_status || rs->success_count != p->want_count) {
		run_err(r, E_STATUS, "%s%s%s: answered %s (%u) success_count %u, expected %s count %u",
			p->what ? p->what : "", p->what ? ": " : "", req_str(&p->req),
			status_name(rs->status), rs->status, rs->success_count,
			status_name((uint32_t)p->want_status), p->want_count);
	} else if (rs->status == RESP_OK && tracked && p->data) {
		const uint8_t *buf = buf_ptr(v, p->region, p->boff);

		if (memcmp(buf, p->data, (size_t)p->nbuf * BLK_XFER))
			run_err(r, E_DATA, "%s: %s", req_str(&p->req),
				p->req.code == REQ_READ ? "the data read differs from the disk image"
							: "the driver changed the WRITE's buffer");
		else if (p->req.code == REQ_READ)
			r->verified_reads++;
	} else if (rs->status == RESP_OK && !r->readonly &&
		   (p->req.code == REQ_FLUSH || p->req.code == REQ_BARRIER)) {
		char why[256];

		if (disk_check_durable(r->d, p->seq, why, sizeof(why)))
			run_err(r, E_DURABLE, "%s id %u answered OK: %s", code_name(p->req.code),
				p->req.id, why);
	}
	if (tracked) {
		int write = p->req.code == REQ_WRITE;

		disk_unbusy(r->d, write, p->req.block_number, p->req.count, p->epoch);
		buf_free(v, p->region, p->boff, p->nbuf);
		r->per_region[p->region]++;
	}
	if (p->req.code < 4)
		r->nreq[p->req.code]++;
	free(p->data);
	p->data = 0;
	trace("answer id %u status %u count %u", rs->id, rs->status, rs->success_count);
	id_release(v, rs->id);
}

static void describe_stall(struct blk_run *r)
{
	char ids[256];
	int n = 0, k = 0;

	for (int i = 0; i < MAX_IDS && n < (int)sizeof(ids) - 12; i++)
		if (r->v->pend[i].active && k++ < 16)
			n += snprintf(ids + n, sizeof(ids) - n, " %d", i);
	ids[n] = 0;
	run_err(r, E_ANSWER, "no answer within %llu s while %u requests were outstanding "
		"(ids%s%s); request queue head %u tail %u, response queue head %u tail %u",
		(unsigned long long)(r->stall_ns / 1000000000u), r->v->outstanding, ids,
		k > 16 ? " ..." : "", *(volatile uint32_t *)(r->v->req + Q_HEAD), r->v->req_tail,
		r->v->resp_head, *(volatile uint32_t *)(r->v->resp + Q_TAIL));
}

int pump(struct blk_run *r)
{
	struct blk_virt *v = r->v;

	if (!blk_wait_signal(v, r->stall_ns)) {
		if (!resp_avail(v)) {
			describe_stall(r);
			r->stalled = 1;
			return -1;
		}
		run_err(r, E_NOTIFY, "%u responses waited %llu s in the queue without the "
			"doorbell ringing", resp_avail(v),
			(unsigned long long)(r->stall_ns / 1000000000u));
	}
	take_all(r);
	return 0;
}

int take_all(struct blk_run *r)
{
	struct sddf_resp rs;
	int n = 0;

	while (blk_dequeue(r->v, &rs)) {
		handle(r, &rs);
		n++;
	}
	return n;
}

int drain_all(struct blk_run *r)
{
	while (r->v->outstanding)
		if (pump(r) < 0)
			return -1;
	return 0;
}
