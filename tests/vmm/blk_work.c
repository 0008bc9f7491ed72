// SPDX-License-Identifier: BSD-2-Clause
/* Block workloads: storage-info check, the mixed random workload (optionally with the
 * driver killed mid-way), every class of invalid request, inconsistent queue indices,
 * more requests outstanding than the response queue holds, and the final image check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "blk_work.h"

/* ---- storage info -------------------------------------------------------------------- */

void check_info(struct blk_run *r, int read_only, const char *serial, int block_size,
		int queue_depth)
{
	struct sddf_info si;
	char want_serial[64] = { 0 };

	check_begin("info");
	memcpy(&si, (const void *)r->v->info, sizeof(si));
	if (si.ready != 1)
		fail("info: ready", "ready = %u, expected 1", si.ready);
	else
		pass("info: ready", "");
	if (si.capacity != r->d->nblk)
		fail("info: capacity", "capacity = %llu, expected %llu (disk of %llu bytes / 4096)",
		     (unsigned long long)si.capacity, (unsigned long long)r->d->nblk,
		     (unsigned long long)r->d->size);
	else
		pass("info: capacity", "%llu blocks", (unsigned long long)si.capacity);
	if (si.sector_size != 512)
		fail("info: sector_size", "sector_size = %u, expected 512", si.sector_size);
	else
		pass("info: sector_size", "512");
	if (block_size >= 0 && si.block_size != block_size)
		fail("info: block_size", "block_size = %u, expected %d (4 KiB units)",
		     si.block_size, block_size);
	else
		pass("info: block_size", "%u", si.block_size);
	if (si.read_only != read_only)
		fail("info: read_only", "read_only = %u, expected %d", si.read_only, read_only);
	else
		pass("info: read_only", "%u", si.read_only);
	if (serial)
		snprintf(want_serial, sizeof(want_serial), "%s", serial);
	if (memchr(si.serial_number, 0, sizeof(si.serial_number)) == 0 ||
	    memcmp(si.serial_number, want_serial, sizeof(want_serial)))
		fail("info: serial_number", "serial_number = '%.64s', expected '%s' (NUL-padded)",
		     si.serial_number, want_serial);
	else
		pass("info: serial_number", "'%s'", want_serial);
	/* CHS geometry: 0 (unknown) or a plausible one that fits the disk */
	if (!si.cylinders && !si.heads && !si.blocks)
		pass("info: geometry", "0/0/0 (unknown)");
	else if (!si.cylinders || !si.heads || !si.blocks || si.heads > 255 || si.blocks > 63 ||
		 (uint64_t)si.cylinders * si.heads * si.blocks * si.sector_size > r->d->size)
		fail("info: geometry", "cylinders %u heads %u blocks %u do not fit a disk of %llu "
		     "bytes", si.cylinders, si.heads, si.blocks, (unsigned long long)r->d->size);
	else
		pass("info: geometry", "%u/%u/%u", si.cylinders, si.heads, si.blocks);
	if (queue_depth >= 0 && si.queue_depth != queue_depth)
		fail("info: queue_depth", "queue_depth = %u, expected %d", si.queue_depth,
		     queue_depth);
	else if (queue_depth >= 0)
		pass("info: queue_depth", "%u", si.queue_depth);
}

/* ---- the mixed workload ---------------------------------------------------------------- */

/* Mostly small requests, some up to 32 blocks (128 KiB). */
static uint32_t pick_count(struct blk_run *r)
{
	uint64_t x = rnd_next(&r->rng) % 100;

	if (x < 50)
		return 1;
	if (x < 75)
		return 2 + (uint32_t)(rnd_next(&r->rng) % 7);
	return 9 + (uint32_t)(rnd_next(&r->rng) % 24);
}

/* n blocks overlapping one of the last READ/WRITEs submitted (often still in flight,
 * perhaps before a BARRIER since); a random place when that would touch the bad block. */
static uint64_t pick_near(struct blk_run *r, uint32_t n)
{
	unsigned k = r->nrecent < 4 ? r->nrecent : 4, i;
	uint64_t b, lo;

	if (!k)
		return pick_block(r, n);
	i = (r->nrecent - 1 - (unsigned)(rnd_next(&r->rng) % k)) % 16;
	b = r->recent[i].blk + rnd_next(&r->rng) % r->recent[i].n; /* one of its blocks */
	lo = b >= n - 1 ? b - (n - 1) + rnd_next(&r->rng) % n : 0;  /* [lo, lo + n) holds b */
	if (lo + n > r->d->nblk)
		lo = r->d->nblk - n;
	if (lo <= r->bad_block && lo + n > r->bad_block)
		return pick_block(r, n);
	return lo;
}

static int gen_one(struct blk_run *r)
{
	uint64_t x = rnd_next(&r->rng) % 100;

	if (x < 6 || (r->overlap && x < 20)) /* overlap: more epochs to overlap across */
		return submit_sync(r, REQ_BARRIER, (int)(rnd_next(&r->rng) & 1));
	if (x < 14 + (r->overlap ? 14 : 0))
		return submit_sync(r, REQ_FLUSH, (int)(rnd_next(&r->rng) & 1));
	for (int tries = 0; tries < 4; tries++) {
		uint32_t n = r->overlap && x < 57 && (rnd_next(&r->rng) & 1)
				     ? 17 + (uint32_t)(rnd_next(&r->rng) % 16) /* several chunks */
				     : pick_count(r);
		uint64_t blk = r->overlap && rnd_next(&r->rng) % 100 < r->overlap ? pick_near(r, n)
										    : pick_block(r, n);

		if (submit_rw(r, x < 57 ? REQ_READ : REQ_WRITE, blk, n, -1))
			return 1;
	}
	return 0;
}

/* The kill test's bookkeeping: which requests were outstanding at the kill, and how long
 * answered ids stay out of reuse, so a second answer cannot pass for a new request's. */
struct kill_state {
	uint8_t at_kill[MAX_IDS];
	unsigned left;            /* of those, still unanswered */
	uint64_t release_at;      /* answered count at which the quarantine ends */
};

static void kill_now(struct blk_run *r, struct kill_state *k)
{
	struct blk_virt *v = r->v;

	k->left = 0;
	for (int i = 0; i < MAX_IDS; i++) {
		k->at_kill[i] = (uint8_t)v->pend[i].active;
		k->left += v->pend[i].active;
	}
	msg("%s: SysRq-i (SIGKILL to every process but init) with %u requests outstanding, "
	    "%llu answered", r->phase, v->outstanding, (unsigned long long)r->answered);
	v->quarantine = 1;
	k->release_at = 0;
	vm_sysrq(v->vm, 'i');
}

static void kill_track(struct blk_run *r, struct kill_state *k)
{
	struct blk_virt *v = r->v;

	if (!v->quarantine)
		return;
	if (k->left) {
		k->left = 0;
		for (int i = 0; i < MAX_IDS; i++)
			if (k->at_kill[i] && v->pend[i].active)
				k->left++;
		if (!k->left)
			k->release_at = r->answered + 2 * v->cap;
		return;
	}
	/* every request of the kill was answered, and 2 queues' worth after them: any
	 * second answer would have come by now */
	if (r->answered >= k->release_at || !v->idq_n) {
		id_unquarantine(v);
		v->quarantine = 0;
	}
}

void wl_mixed(struct blk_run *r, uint64_t total, uint32_t depth, int nkill)
{
	struct blk_virt *v = r->v;
	struct kill_state ks = { 0 };
	uint64_t started = 0, t0 = now_ns();
	char name[160];
	int kills = 0, sysrq0 = console_count(v->vm->log_fd, "sysrq: Kill All Tasks");
	uint64_t checked0 = r->d->checked;

	run_phase(r, nkill ? "kill" : r->overlap ? "overlap" : "mixed");
	if (depth > v->cap)
		depth = v->cap;
	while (r->answered < total) {
		int n = 0;

		while (started < total && v->outstanding < depth && req_room(v) && gen_one(r)) {
			started++;
			n++;
		}
		if (n)
			blk_notify(v);
		if (kills < nkill && r->answered >= total * (uint64_t)(kills + 1) / (nkill + 1) &&
		    v->outstanding >= depth / 2) {
			kill_now(r, &ks);
			kills++;
		}
		if (pump(r) < 0)
			break;
		if (nkill)
			kill_track(r, &ks);
		if (!v->outstanding && started == total)
			break;
	}
	if (v->quarantine) {
		id_unquarantine(v);
		v->quarantine = 0;
	}
	msg("%s: %llu requests (%llu READ, %llu WRITE, %llu FLUSH, %llu BARRIER) in %.2f s, "
	    "%llu READs verified, data regions used %llu/%llu/%llu, %llu blocks checked in the "
	    "image after FLUSH/BARRIER", r->phase, (unsigned long long)r->answered,
	    (unsigned long long)r->nreq[0], (unsigned long long)r->nreq[1],
	    (unsigned long long)r->nreq[2], (unsigned long long)r->nreq[3],
	    (double)(now_ns() - t0) / 1e9, (unsigned long long)r->verified_reads,
	    (unsigned long long)r->per_region[0], (unsigned long long)r->per_region[1],
	    (unsigned long long)r->per_region[2], (unsigned long long)(r->d->checked - checked0));
	snprintf(name, sizeof(name), "%s: %llu requests answered", r->phase,
		 (unsigned long long)total);
	if (r->answered != total || r->stalled)
		fail(name, "%llu answered", (unsigned long long)r->answered);
	else
		pass(name, "");
	{
		int used = 0, want = v->legacy ? 1 : v->nreg;

		for (int i = 0; i < v->nreg; i++)
			used += r->per_region[i] != 0;
		snprintf(name, sizeof(name), "%s: buffers in every data region", r->phase);
		if (used == want)
			pass(name, "%d regions", used);
		else
			fail(name, "only %d of %d regions used", used, want);
	}
	if (nkill) {
		int seen = console_count(v->vm->log_fd, "sysrq: Kill All Tasks") - sysrq0;

		snprintf(name, sizeof(name), "%s: driver killed %d times mid-workload", r->phase,
			 nkill);
		if (kills == nkill && seen == nkill)
			pass(name, "");
		else
			fail(name, "%d kills sent, %d seen on the console", kills, seen);
	}
	run_report(r, v->notify_mode == NOTIFY_PAGE ? (r->readonly ? "0124" : "01234")
						     : (r->readonly ? "012" : "0123"));
	if (v->notify_mode == NOTIFY_IRQ_ACK) {
		/* irq-ack: the driver signals through the interrupt, never the page */
		snprintf(name, sizeof(name), "%s: irq-ack: the notify page stays untouched", r->phase);
		if (doorbell_rung(&v->db))
			fail(name, "the driver wrote %u to it", v->db.seen);
		else
			pass(name, "");
	}
}

void wl_final_image(struct blk_run *r)
{
	char why[256];

	run_phase(r, "image");
	if (!r->readonly) {
		submit_sync(r, REQ_FLUSH, 0);
		blk_notify(r->v);
	}
	if (drain_all(r) < 0 || r->nerr[E_STATUS] || r->nerr[E_DURABLE]) {
		fail("image: final FLUSH", "did not complete cleanly");
		return;
	}
	if (disk_compare_all(r->d, why, sizeof(why)))
		fail("image: the disk image equals the host's model", "%s", why);
	else
		pass("image: the disk image equals the host's model", "%llu MiB",
		     (unsigned long long)r->d->size >> 20);
}

/* ---- invalid requests -------------------------------------------------------------- */

struct bad {
	const char *what;
	uint32_t code;
	uint64_t io, blk;
	uint16_t count;
	int status;
};

static int bad_cases(struct blk_run *r, struct bad *c, uint64_t okio)
{
	struct blk_virt *v = r->v;
	uint64_t cap = r->d->nblk;
	struct data_region *d0 = &v->reg[0], *dl = &v->reg[v->nreg - 1];
	int n = 0;
	/* a write to a read-only disk is refused before anything else is looked at */
	int inval = RESP_ERR_INVALID_PARAM;

#define BAD(w, c_, io_, b_, n_, s_) c[n++] = (struct bad){ w, c_, io_, b_, n_, s_ }
	BAD("unknown code 4", 4, okio, 0, 1, inval);
	BAD("unknown code 0xffffffff", 0xffffffffu, okio, 0, 1, inval);
	BAD("READ count 0", REQ_READ, okio, 0, 0, inval);
	BAD("READ block = capacity", REQ_READ, okio, cap, 1, inval);
	BAD("READ capacity-1 + 2 blocks", REQ_READ, okio, cap - 1, 2, inval);
	BAD("READ block 2^64-1 (wraps)", REQ_READ, okio, ~0ull, 2, inval);
	BAD("READ count 65535 (larger than any data region)", REQ_READ, okio, 0, 65535, inval);
	if (!v->legacy) {
		BAD("READ buffer in a window hole (no map)", REQ_READ, v->hole_gpa, 0, 1, inval);
		BAD("READ buffer on the request queue (a map, not data)", REQ_READ,
		    shm_gpa(v->win, v->off_req), 0, 1, inval);
		BAD("READ buffer on storage info", REQ_READ, shm_gpa(v->win, v->off_info), 0, 1, inval);
		BAD("READ buffer in guest RAM", REQ_READ, GUEST_RAM_BASE, 0, 1, inval);
		BAD("READ buffer at address 0", REQ_READ, 0, 0, 1, inval);
		BAD("READ buffer wrapping the address space", REQ_READ, ~0ull - 4095, 0, 2, inval);
		BAD("READ straddling data and data1", REQ_READ, d0->gpa + d0->size - BLK_XFER, 0, 2,
		    inval);
		BAD("READ past the end of the last data region", REQ_READ,
		    dl->gpa + dl->size - BLK_XFER, 0, 2, inval);
		BAD("READ io misaligned by 512", REQ_READ, d0->gpa + 512, 0, 1, inval);
		BAD("READ io misaligned by 1", REQ_READ, d0->gpa + 1, 0, 1, inval);
		BAD("READ io one byte before data", REQ_READ, d0->gpa - 1, 0, 1, inval);
	} else {
		BAD("READ offset = size of data", REQ_READ, d0->size, 0, 1, inval);
		BAD("READ offset at the end of data, 2 blocks", REQ_READ, d0->size - BLK_XFER, 0, 2,
		    inval);
		BAD("READ offset misaligned by 512", REQ_READ, 512, 0, 1, inval);
		BAD("READ offset 2^63", REQ_READ, 1ull << 63, 0, 1, inval);
		BAD("READ offset = a physical address", REQ_READ, d0->gpa, 0, 1, inval);
	}
	if (!r->readonly) {
		BAD("WRITE count 0", REQ_WRITE, okio, 0, 0, inval);
		BAD("WRITE block = capacity", REQ_WRITE, okio, cap, 1, inval);
		BAD("WRITE capacity-1 + 2 blocks", REQ_WRITE, okio, cap - 1, 2, inval);
		BAD("WRITE io misaligned by 2048", REQ_WRITE, okio + 2048, 5, 1, inval);
		if (!v->legacy) {
			BAD("WRITE buffer in a window hole", REQ_WRITE, v->hole_gpa, 7, 1, inval);
			BAD("WRITE straddling data and data1", REQ_WRITE,
			    d0->gpa + d0->size - BLK_XFER, 9, 2, inval);
		} else {
			BAD("WRITE offset = size of data", REQ_WRITE, d0->size, 7, 1, inval);
		}
	}
#undef BAD
	return n;
}

void wl_invalid(struct blk_run *r)
{
	struct blk_virt *v = r->v;
	struct bad c[48];
	uint32_t boff;
	int reg, n, ok_after = 0;
	uint8_t pattern[BLK_XFER * 2], *buf;
	char name[200];

	run_phase(r, "invalid");
	/* a valid buffer for the cases whose only fault is elsewhere; it must stay as is */
	reg = buf_alloc(v, 2, 0, 0, &boff);
	if (reg < 0)
		die("no buffer for the invalid-request phase");
	buf = buf_ptr(v, reg, boff);
	rnd_fill(&r->rng, pattern, sizeof(pattern));
	memcpy(buf, pattern, sizeof(pattern));
	n = bad_cases(r, c, buf_io(v, reg, boff));
	/* one at a time, each followed by a valid READ: the driver keeps serving */
	for (int i = 0; i < n; i++) {
		int before = r->nerr[E_STATUS] + r->nerr[E_ANSWER] + r->nerr[E_DATA];

		submit_raw(r, c[i].code, c[i].io, c[i].blk, c[i].count, c[i].status, c[i].what);
		while (!submit_rw(r, REQ_READ, pick_block(r, 1), 1, -1))
			if (pump(r) < 0)
				break;
		blk_notify(v);
		if (drain_all(r) < 0)
			break;
		snprintf(name, sizeof(name), "invalid: %s -> %s, then a valid READ works",
			 c[i].what, status_name((uint32_t)c[i].status));
		if (r->nerr[E_STATUS] + r->nerr[E_ANSWER] + r->nerr[E_DATA] == before) {
			pass(name, "");
			ok_after++;
		} else {
			fail(name, "see the messages above");
		}
	}
	/* all at once, interleaved with valid requests */
	if (!r->stalled) {
		int before = r->nerr[E_STATUS] + r->nerr[E_ANSWER] + r->nerr[E_DATA];

		for (int i = 0; i < n; i++) {
			while (req_room(v) < 2 || v->outstanding + 2 > v->cap) {
				blk_notify(v);
				if (pump(r) < 0)
					break;
			}
			submit_raw(r, c[i].code, c[i].io, c[i].blk, c[i].count, c[i].status, c[i].what);
			submit_rw(r, i & 1 ? REQ_WRITE : REQ_READ, pick_block(r, 1), 1, -1);
		}
		blk_notify(v);
		drain_all(r);
		if (r->nerr[E_STATUS] + r->nerr[E_ANSWER] + r->nerr[E_DATA] == before)
			pass("invalid: all cases in one batch among valid requests", "%d cases", n);
		else
			fail("invalid: all cases in one batch among valid requests", "see above");
	}
	if (memcmp(buf, pattern, sizeof(pattern)))
		fail("invalid: buffers of refused requests untouched", "the driver wrote into one");
	else
		pass("invalid: buffers of refused requests untouched", "");
	buf_free(v, reg, boff, 2);
	run_report(r, "01");
}

/* ---- I/O errors ---------------------------------------------------------------------- */

/* One request over the bad block, answered ERR_IO with success_count = the blocks before
 * the failing one (sDDF's definition; uio_blk retries block by block to find it), those
 * blocks holding the right data (checked by the engine). */
static void io_error_case(struct blk_run *r, int code, uint64_t blk, uint32_t n)
{
	struct blk_virt *v = r->v;
	uint32_t before = (uint32_t)(r->bad_block - blk), id;
	char name[160];

	while (!submit_rw(r, code, blk, n, -1))
		if (pump(r) < 0)
			return;
	id = r->last_id;
	v->pend[id].custom = 1;
	blk_notify(v);
	if (drain_all(r) < 0)
		return;
	snprintf(name, sizeof(name), "ioerror: %s of %u blocks, block %u failing: ERR_IO, "
		 "success_count %u", code == REQ_READ ? "READ" : "WRITE", n, before, before);
	if (v->pend[id].got.status != RESP_ERR_IO || v->pend[id].got.success_count != before)
		fail(name, "answered %s success_count %u", status_name(v->pend[id].got.status),
		     v->pend[id].got.success_count);
	else
		pass(name, "");
}

void wl_ioerror(struct blk_run *r)
{
	uint64_t bad = r->bad_block;

	run_phase(r, "ioerror");
	if (bad == ~0ull || bad < 2 || bad + 2 > r->d->nblk)
		die("the ioerror phase needs --bad-block N with 2 <= N <= blocks - 2");
	io_error_case(r, REQ_READ, bad - 2, 4);
	if (!r->stalled)
		io_error_case(r, REQ_READ, bad, 1);
	if (!r->stalled && bad >= 33 && bad + 7 <= r->d->nblk)
		io_error_case(r, REQ_READ, bad - 33, 40);
	if (!r->stalled && !r->readonly)
		io_error_case(r, REQ_WRITE, bad - 2, 4);
	if (r->stalled) {
		run_report(r, "0");
		return;
	}
	/* the driver goes on: the neighbours read fine */
	submit_rw(r, REQ_READ, bad - 2, 2, -1);
	submit_rw(r, REQ_READ, bad + 1, 1, -1);
	blk_notify(r->v);
	drain_all(r);
	run_report(r, "012");
}

/* ---- inconsistent queue indices ------------------------------------------------------ */

static void st32(volatile uint8_t *p, uint32_t x)
{
	__atomic_store_n((volatile uint32_t *)p, x, __ATOMIC_RELEASE);
}

static uint32_t ld32(volatile uint8_t *p)
{
	return __atomic_load_n((volatile uint32_t *)p, __ATOMIC_ACQUIRE);
}

static int never(void *ctx)
{
	(void)ctx;
	return 0;
}

/* Give the driver time to (wrongly) act, touching nothing. */
static void settle(struct blk_run *r, uint64_t ns)
{
	poll_until(r->v->vm, ns, never, 0);
}

void wl_bogus_indices(struct blk_run *r)
{
	struct blk_virt *v = r->v;
	uint32_t head, rtail;
	char name[200];

	run_phase(r, "indices");
	/* 1. the request tail claims more entries than the queue holds */
	head = ld32(v->req + Q_HEAD);
	rtail = ld32(v->resp + Q_TAIL);
	st32(v->req + Q_TAIL, v->req_tail + v->cap + 3);
	blk_notify(v);
	settle(r, 300000000u);
	snprintf(name, sizeof(name), "indices: request tail claiming capacity + 3 entries: "
		 "nothing taken or answered");
	if (ld32(v->req + Q_HEAD) != head || ld32(v->resp + Q_TAIL) != rtail)
		fail(name, "request head %u -> %u, response tail %u -> %u", head,
		     ld32(v->req + Q_HEAD), rtail, ld32(v->resp + Q_TAIL));
	else
		pass(name, "tail %u, head %u, capacity %u", v->req_tail + v->cap + 3, head, v->cap);
	st32(v->req + Q_TAIL, v->req_tail);
	submit_rw(r, REQ_READ, 3, 1, -1);
	blk_notify(v);
	drain_all(r);
	if (r->nerr[E_STATUS] || r->nerr[E_ANSWER] || r->nerr[E_DATA])
		fail("indices: request tail corrected: a valid READ works", "see above");
	else
		pass("indices: request tail corrected: a valid READ works", "");

	/* 2. the response head runs ahead of the driver's tail */
	rtail = ld32(v->resp + Q_TAIL);
	st32(v->resp + Q_HEAD, v->resp_head + 5);
	submit_rw(r, REQ_READ, 4, 1, -1);
	blk_notify(v);
	settle(r, 300000000u);
	snprintf(name, sizeof(name), "indices: response head 5 ahead of the tail: no response "
		 "published into the inconsistent queue");
	if (ld32(v->resp + Q_TAIL) != rtail)
		fail(name, "response tail moved %u -> %u", rtail, ld32(v->resp + Q_TAIL));
	else
		pass(name, "");
	st32(v->resp + Q_HEAD, v->resp_head);
	blk_notify(v);
	drain_all(r);
	if (r->nerr[E_STATUS] || r->nerr[E_ANSWER] || r->nerr[E_DATA] || r->stalled)
		fail("indices: response head corrected: the waiting READ is answered", "see above");
	else
		pass("indices: response head corrected: the waiting READ is answered", "");
}

/* ---- plugged ------------------------------------------------------------------------- */

void wl_plugged(struct blk_run *r)
{
	struct blk_virt *v = r->v;
	uint32_t head = ld32(v->req + Q_HEAD), rtail = ld32(v->resp + Q_TAIL);
	volatile uint8_t *plugged = v->req + Q_PLUGGED;

	run_phase(r, "plugged");
	/* the client sets plugged to batch requests: the driver must not take any */
	__atomic_store_n(plugged, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < 4; i++)
		submit_rw(r, REQ_READ, pick_block(r, 1), 1, -1);
	blk_notify(v);
	settle(r, 300000000u);
	if (ld32(v->req + Q_HEAD) != head || ld32(v->resp + Q_TAIL) != rtail)
		fail("plugged: nothing taken while the request queue is plugged",
		     "request head %u -> %u, response tail %u -> %u", head, ld32(v->req + Q_HEAD),
		     rtail, ld32(v->resp + Q_TAIL));
	else
		pass("plugged: nothing taken while the request queue is plugged", "");
	/* unplugged, and notified (as the client must): everything is served */
	__atomic_store_n(plugged, 0, __ATOMIC_RELEASE);
	blk_notify(v);
	drain_all(r);
	if (r->stalled)
		fail("plugged: unplugged and notified: the requests are answered", "see above");
	else
		pass("plugged: unplugged and notified: the requests are answered", "");
	run_report(r, "012");
}

/* ---- more outstanding than the response queue holds ---------------------------------- */

static int have_room(void *ctx)
{
	return req_room(ctx) != 0;
}

static int resp_full(void *ctx)
{
	struct blk_virt *v = ctx;

	return ld32(v->resp + Q_TAIL) - v->resp_head == v->cap;
}

void wl_overflow(struct blk_run *r)
{
	struct blk_virt *v = r->v;
	uint32_t cap = v->cap, n = 0;
	char name[200];

	run_phase(r, "overflow");
	if (2 * cap > MAX_IDS)
		die("overflow test needs 2 x capacity <= %d ids", MAX_IDS);
	/* 1. a full queue of requests; the driver answers them all into a full response
	 * queue that we do not consume */
	for (uint32_t i = 0; i < cap; i++)
		if (!submit_rw(r, REQ_READ, pick_block(r, 1), 1, -1))
			die("overflow: no buffer or id for request %u", i);
	blk_notify(v);
	if (!poll_until(v->vm, r->stall_ns, resp_full, v)) {
		fail("overflow: response queue filled", "only %u of %u answers arrived",
		     ld32(v->resp + Q_TAIL) - v->resp_head, cap);
		drain_all(r);
		return;
	}
	/* 2. another full queue of requests while no response slot is free */
	while (n < cap) {
		if (!req_room(v)) {
			if (!poll_until(v->vm, 2000000000u, have_room, v))
				break;
			continue;
		}
		if (!submit_rw(r, REQ_READ, pick_block(r, 1), 1, -1))
			die("overflow: no buffer or id");
		n++;
		blk_notify(v);
	}
	settle(r, 500000000u);
	snprintf(name, sizeof(name), "overflow: 2 x capacity requests outstanding, response "
		 "queue full: the driver waits, overwrites nothing");
	if (n != cap)
		fail(name, "only %u of the second %u requests could be queued", n, cap);
	else if (ld32(v->resp + Q_TAIL) - v->resp_head != cap)
		fail(name, "response tail %u with our head %u", ld32(v->resp + Q_TAIL), v->resp_head);
	else
		pass(name, "%u outstanding, %u-entry response queue", cap + n, cap);
	/* 3. consume, tell the driver there is room, and everything gets answered */
	take_all(r);
	blk_notify(v);
	drain_all(r);
	snprintf(name, sizeof(name), "overflow: all answered once the responses were consumed");
	if (r->answered != cap + n || r->stalled)
		fail(name, "%llu answered", (unsigned long long)r->answered);
	else
		pass(name, "");
	run_report(r, "012");
}
