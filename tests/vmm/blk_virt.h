/* SPDX-License-Identifier: BSD-2-Clause */
/* The simulated sDDF block virtualiser: the driver-facing half of sDDF's blk virt as
 * libvmm's VMM would wire it to a driver VM. It owns the layout of the block regions in
 * the shared window (notify page, storage info, request and response queues, data
 * regions in two UIO nodes), the DTB nodes describing them, request ids (0..1023, reused
 * as the virt does), data-buffer allocation, and the queue operations with sDDF's memory
 * ordering. Workloads (blk_work.c) build on it. */
#ifndef VMM_BLK_VIRT_H
#define VMM_BLK_VIRT_H
#include <stdint.h>
#include "blk_proto.h"
#include "doorbell.h"
#include "qemu.h"
#include "qtest.h"
#include "shm.h"

#define MAX_IDS 1024        /* the virt's driver-side id range */
#define MAX_REGIONS 6       /* data0 in the "blk" node, data1.. in "blk-data" */

enum { NOTIFY_PAGE, NOTIFY_IRQ_ACK };

struct data_region {
	char name[8];           /* reg-names entry: data, data1, data2, ... */
	uint64_t off, gpa, size;
	uint8_t *mem;           /* host view */
	uint8_t *used;          /* per 4 KiB block: allocated */
	uint32_t nblk, cursor;  /* allocator: next block to try */
};

/* One request the virt has enqueued and not yet seen answered. */
struct pend {
	struct sddf_req req;    /* as enqueued */
	int active;
	int region;             /* data buffer: region index or -1 */
	uint32_t boff;          /* first 4 KiB block of the buffer in the region */
	uint32_t nbuf;          /* buffer blocks */
	uint8_t *data;          /* READ: expected content; WRITE: what was written */
	int want_status;        /* expected status */
	uint16_t want_count;    /* expected success_count */
	uint64_t seq;           /* submission event number */
	uint32_t epoch;         /* barrier epoch it was submitted in */
	const char *what;       /* description for messages (invalid requests) */
	int custom;             /* the phase checks the answer itself (got) */
	struct sddf_resp got;
};

struct blk_virt {
	struct shm_win *win;
	struct vm *vm;
	struct qtest *qt;
	int spi;                /* the UIO interrupt */
	int irq_flags;          /* its trigger type in the DTB (IRQ_EDGE_RISING, ...) */
	int notify_mode;
	int legacy;             /* io_or_offset = offset into data region 0 */
	int zc_data;            /* data regions 0..zc_data-1 reserved without no-map */
	int per_region;         /* DTB: one sdfgen-style node per region (blk_req, ...) */
	uint32_t cap;           /* entries of each queue */
	uint64_t off_notify, off_info, off_req, off_resp;
	uint64_t sz_req, sz_resp;
	volatile uint8_t *notify, *info, *req, *resp;
	struct data_region reg[MAX_REGIONS];
	int nreg;
	uint64_t hole_gpa;      /* a page inside the window but in no map */
	struct doorbell db;

	uint32_t req_tail;      /* ours: we produce requests ... */
	uint32_t resp_head;     /* ... and consume responses */
	struct pend pend[MAX_IDS];
	uint16_t idq[MAX_IDS];  /* free ids, FIFO */
	uint32_t idq_head, idq_n;
	uint16_t quar[MAX_IDS]; /* answered ids held back from reuse (kill test) */
	uint32_t nquar;
	int quarantine;
	unsigned outstanding;
	uint64_t seq;           /* submission event numbers */
	uint64_t submitted, answered, notifies;
};

/* Lay the block regions out in the window: notify and info pages, queues for cap
 * entries, then data regions of the given sizes: the first in the "blk" node (adjacent
 * to the second, so a buffer can straddle them), the others in "blk-data"; a one-page
 * hole before the last one. */
void blk_layout(struct blk_virt *v, struct shm_win *w, uint32_t cap, const uint64_t *data_sz,
		int ndata);

/* Add /reserved-memory for the whole window and the UIO nodes. With names = 0, the
 * nodes carry no reg-names (the driver's positional fallback). With v->per_region, one
 * node per region instead, told apart by the second compatible string: blk_storage_info,
 * blk_req (with the interrupt), blk_resp, blk_fault (the notify page), blk_data,
 * blk_data1, ... (docs/binding-blk.md). */
void blk_dtb(struct blk_virt *v, void *fdt, int names);

/* Ids: allocate (-1 when all are in use or quarantined) and release. */
int id_alloc(struct blk_virt *v);
void id_release(struct blk_virt *v, uint32_t id);
/* Release every quarantined id. */
void id_unquarantine(struct blk_virt *v);

/* Data buffers of n blocks: region index and first block, -1 when none is free. pref is
 * the preferred region (-1: any, chosen by rnd). */
int buf_alloc(struct blk_virt *v, uint32_t n, int pref, uint64_t rnd, uint32_t *boff);
void buf_free(struct blk_virt *v, int region, uint32_t boff, uint32_t n);
static inline uint8_t *buf_ptr(struct blk_virt *v, int r, uint32_t boff)
{
	return v->reg[r].mem + (uint64_t)boff * BLK_XFER;
}
/* What goes in io_or_offset for a buffer: guest-physical address, or (legacy) the
 * offset into region 0. */
uint64_t buf_io(struct blk_virt *v, int r, uint32_t boff);

/* Free request slots, as the driver's head says (the driver moves it). */
uint32_t req_room(struct blk_virt *v);
/* Enqueue p->req (slot, release, tail++) and account for it. Caller checked room. */
void blk_enqueue(struct blk_virt *v, struct pend *p);
/* Tell the driver: inject the UIO interrupt. */
void blk_notify(struct blk_virt *v);
/* Unconsumed responses in the response queue (acquire on the driver's tail). */
uint32_t resp_avail(struct blk_virt *v);
/* Take one response (slot, release, head++); 0 when empty. */
int blk_dequeue(struct blk_virt *v, struct sddf_resp *r);

/* Wait for the driver to signal responses: in page mode the doorbell, in irq-ack mode
 * (where only the vGIC would see the ack) a non-empty response queue. 1, or 0 after
 * timeout_ns. */
int blk_wait_signal(struct blk_virt *v, uint64_t timeout_ns);

/* Wait for storage info ready (acquire); dies after timeout_ns with the console shown. */
void blk_wait_ready(struct blk_virt *v, uint64_t timeout_ns);

/* Describe a request ("READ blk 5 count 2 io 0x... id 7"). */
const char *req_str(const struct sddf_req *r);

#endif
