// SPDX-License-Identifier: BSD-2-Clause
/* The simulated sDDF block virtualiser's mechanics; see blk_virt.h. */
#include <stdio.h>
#include <string.h>
#include "blk_virt.h"
#include "dtb.h"

void blk_layout(struct blk_virt *v, struct shm_win *w, uint32_t cap, const uint64_t *data_sz,
		int ndata)
{
	v->win = w;
	v->cap = cap;
	if (ndata < 2 || ndata > MAX_REGIONS)
		die("block layout: %d data regions (2..%d)", ndata, MAX_REGIONS);
	v->off_notify = shm_alloc(w, "notify", PAGE, PAGE);
	v->off_info = shm_alloc(w, "info", PAGE, PAGE);
	v->sz_req = round_up(req_queue_bytes(cap), PAGE);
	v->sz_resp = round_up(resp_queue_bytes(cap), PAGE);
	v->off_req = shm_alloc(w, "req", v->sz_req, PAGE);
	v->off_resp = shm_alloc(w, "resp", v->sz_resp, PAGE);
	v->notify = shm_ptr(w, v->off_notify);
	v->info = shm_ptr(w, v->off_info);
	v->req = shm_ptr(w, v->off_req);
	v->resp = shm_ptr(w, v->off_resp);
	for (int i = 0; i < ndata; i++) {
		struct data_region *r = &v->reg[i];

		if (!data_sz[i] || data_sz[i] % BLK_XFER)
			die("data region %d: size %llu is not a positive multiple of 4 KiB", i,
			    (unsigned long long)data_sz[i]);
		if (i == ndata - 1) {
			/* a hole: inside the window, in no map */
			v->hole_gpa = shm_gpa(w, round_up(w->used, PAGE));
			shm_skip(w, PAGE);
		}
		snprintf(r->name, sizeof(r->name), i ? "data%d" : "data", i);
		r->off = shm_alloc(w, r->name, data_sz[i], PAGE);
		r->gpa = shm_gpa(w, r->off);
		r->size = data_sz[i];
		r->mem = shm_ptr(w, r->off);
		r->nblk = (uint32_t)(data_sz[i] / BLK_XFER);
		r->used = xzalloc(r->nblk);
	}
	v->nreg = ndata;
	for (uint32_t i = 0; i < MAX_IDS; i++)
		v->idq[i] = (uint16_t)i;
	v->idq_head = 0;
	v->idq_n = MAX_IDS;
	doorbell_init(&v->db, v->notify);
}

void blk_dtb(struct blk_virt *v, void *fdt, int names)
{
	struct uio_map m[5] = {
		{ "notify", shm_gpa(v->win, v->off_notify), PAGE },
		{ "info", shm_gpa(v->win, v->off_info), PAGE },
		{ "req", shm_gpa(v->win, v->off_req), v->sz_req },
		{ "resp", shm_gpa(v->win, v->off_resp), v->sz_resp },
		{ v->reg[0].name, v->reg[0].gpa, v->reg[0].size },
	};
	struct uio_map d[MAX_REGIONS];

	if (!v->zc_data) {
		dtb_reserve(fdt, "vmm-window", v->win->gpa, v->win->size);
	} else {
		/* --zc-data N: data regions 0..N-1 reserved without no-map (page-backed
		 * under dvm_uio), the rest of the window no-map as usual. The regions lie in
		 * ascending order. */
		uint64_t at = v->win->gpa, end = v->win->gpa + v->win->size;

		for (int i = 0; i < v->zc_data && i < v->nreg; i++) {
			if (v->reg[i].gpa > at)
				dtb_reserve(fdt, "vmm-window", at, v->reg[i].gpa - at);
			dtb_reserve_mapped(fdt, v->reg[i].name, v->reg[i].gpa, v->reg[i].size);
			at = v->reg[i].gpa + v->reg[i].size;
		}
		if (end > at)
			dtb_reserve(fdt, "vmm-window", at, end - at);
	}
	if (v->per_region) {
		char name[16];

		dtb_add_region(fdt, "blk_storage_info", m[1].gpa, m[1].size, -1, 0);
		dtb_add_region(fdt, "blk_req", m[2].gpa, m[2].size, v->spi, v->irq_flags);
		dtb_add_region(fdt, "blk_resp", m[3].gpa, m[3].size, -1, 0);
		dtb_add_region(fdt, "blk_fault", m[0].gpa, m[0].size, -1, 0);
		for (int i = 0; i < v->nreg; i++) {
			snprintf(name, sizeof(name), i ? "blk_data%d" : "blk_data", i);
			dtb_add_region(fdt, name, v->reg[i].gpa, v->reg[i].size, -1, 0);
		}
		return;
	}
	if (!names)
		for (int i = 0; i < 5; i++)
			m[i].name = 0;
	dtb_add_uio(fdt, "blk", "blk", m, 5, v->spi, v->irq_flags);
	for (int i = 1; i < v->nreg; i++) {
		d[i - 1].name = names ? v->reg[i].name : 0;
		d[i - 1].gpa = v->reg[i].gpa;
		d[i - 1].size = v->reg[i].size;
	}
	/* data regions beyond the first: a second node, without an interrupt */
	dtb_add_uio(fdt, "blk-data", "blk-data", d, v->nreg - 1, -1, 0);
}

/* ---- ids ----------------------------------------------------------------------------- */

int id_alloc(struct blk_virt *v)
{
	uint16_t id;

	if (!v->idq_n)
		return -1;
	id = v->idq[v->idq_head];
	v->idq_head = (v->idq_head + 1) % MAX_IDS;
	v->idq_n--;
	return id;
}

static void id_push(struct blk_virt *v, uint16_t id)
{
	v->idq[(v->idq_head + v->idq_n) % MAX_IDS] = id;
	v->idq_n++;
}

void id_release(struct blk_virt *v, uint32_t id)
{
	if (v->quarantine)
		v->quar[v->nquar++] = (uint16_t)id;
	else
		id_push(v, (uint16_t)id);
}

void id_unquarantine(struct blk_virt *v)
{
	for (uint32_t i = 0; i < v->nquar; i++)
		id_push(v, v->quar[i]);
	v->nquar = 0;
}

/* ---- data buffers -------------------------------------------------------------------- */

static int region_fit(struct data_region *r, uint32_t n, uint32_t *boff)
{
	/* first fit from a moving cursor: buffers wander over the whole region */
	for (uint32_t i = 0; i < r->nblk; i++) {
		uint32_t b = (r->cursor + i) % r->nblk, k = 0;

		if (n > r->nblk - b)
			continue;
		while (k < n && !r->used[b + k])
			k++;
		if (k == n) {
			memset(r->used + b, 1, n);
			*boff = b;
			r->cursor = (b + n) % r->nblk;
			return 1;
		}
	}
	return 0;
}

int buf_alloc(struct blk_virt *v, uint32_t n, int pref, uint64_t rnd, uint32_t *boff)
{
	int nreg = v->legacy ? 1 : v->nreg, first;

	if (pref >= 0 && pref < nreg)
		return region_fit(&v->reg[pref], n, boff) ? pref : -1;
	first = (int)(rnd % (uint64_t)nreg);
	for (int i = 0; i < nreg; i++) {
		int r = (first + i) % nreg;

		if (region_fit(&v->reg[r], n, boff))
			return r;
	}
	return -1;
}

void buf_free(struct blk_virt *v, int region, uint32_t boff, uint32_t n)
{
	memset(v->reg[region].used + boff, 0, n);
}

uint64_t buf_io(struct blk_virt *v, int r, uint32_t boff)
{
	if (v->legacy)
		return (uint64_t)boff * BLK_XFER;
	return v->reg[r].gpa + (uint64_t)boff * BLK_XFER;
}

/* ---- queues -------------------------------------------------------------------------- */

static inline uint32_t ld32(volatile uint8_t *p)
{
	return __atomic_load_n((volatile uint32_t *)p, __ATOMIC_ACQUIRE);
}

static inline void st32(volatile uint8_t *p, uint32_t x)
{
	__atomic_store_n((volatile uint32_t *)p, x, __ATOMIC_RELEASE);
}

uint32_t req_room(struct blk_virt *v)
{
	uint32_t used = v->req_tail - ld32(v->req + Q_HEAD);

	if (used > v->cap)
		die("the driver moved the request head past our tail (head %u, tail %u, cap %u)",
		    ld32(v->req + Q_HEAD), v->req_tail, v->cap);
	return v->cap - used;
}

void blk_enqueue(struct blk_virt *v, struct pend *p)
{
	volatile uint8_t *slot = v->req + REQ_SLOTS_OFF + (uint64_t)(v->req_tail % v->cap) * 32;

	memcpy((void *)slot, &p->req, sizeof(p->req));
	v->req_tail++;
	st32(v->req + Q_TAIL, v->req_tail); /* release: the slot before the tail */
	p->active = 1;
	p->seq = ++v->seq;
	v->outstanding++;
	v->submitted++;
	trace("enqueue %s", req_str(&p->req));
}

void blk_notify(struct blk_virt *v)
{
	qtest_irq(v->qt, (unsigned)v->spi);
	v->notifies++;
}

uint32_t resp_avail(struct blk_virt *v)
{
	uint32_t n = ld32(v->resp + Q_TAIL) - v->resp_head;

	if (n > v->cap)
		die("response queue claims %u entries (tail %u, our head %u, capacity %u)", n,
		    ld32(v->resp + Q_TAIL), v->resp_head, v->cap);
	return n;
}

int blk_dequeue(struct blk_virt *v, struct sddf_resp *r)
{
	volatile uint8_t *slot;

	if (!resp_avail(v))
		return 0;
	slot = v->resp + RESP_SLOTS_OFF + (uint64_t)(v->resp_head % v->cap) * 12;
	memcpy(r, (const void *)slot, sizeof(*r));
	v->resp_head++;
	st32(v->resp + Q_HEAD, v->resp_head); /* release: done reading the slot */
	return 1;
}

static int have_resp(void *ctx)
{
	return resp_avail(ctx) != 0;
}

int blk_wait_signal(struct blk_virt *v, uint64_t timeout_ns)
{
	if (v->notify_mode == NOTIFY_PAGE)
		return doorbell_wait(&v->db, v->vm, timeout_ns);
	return poll_until(v->vm, timeout_ns, have_resp, v);
}

static int is_ready(void *ctx)
{
	struct blk_virt *v = ctx;

	return __atomic_load_n(v->info + offsetof(struct sddf_info, ready), __ATOMIC_ACQUIRE);
}

void blk_wait_ready(struct blk_virt *v, uint64_t timeout_ns)
{
	if (!poll_until(v->vm, timeout_ns, is_ready, v))
		die("storage info not ready within %llu s of boot",
		    (unsigned long long)(timeout_ns / 1000000000u));
}

const char *req_str(const struct sddf_req *r)
{
	static char buf[160];

	snprintf(buf, sizeof(buf), "%s(%u) block %llu count %u io 0x%llx id %u",
		 code_name(r->code), r->code, (unsigned long long)r->block_number, r->count,
		 (unsigned long long)r->io_or_offset, r->id);
	return buf;
}
