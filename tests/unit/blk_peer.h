/* SPDX-License-Identifier: BSD-2-Clause */
/* Test doubles for uio_blk, shared by the unit tests and the fuzzer: shared memory made
 * of exact-size heap buffers (so ASan catches any access outside a map), the sDDF peer's
 * side of the queues, and an in-memory I/O engine whose operations complete only when the
 * test says so, in any order, with injectable errors and short transfers. */
#ifndef TEST_BLK_PEER_H
#define TEST_BLK_PEER_H
#include "../../drivers/uio_blk/blk.h"

/* ---- shared memory -------------------------------------------------------------- */
struct shm_spec {
	uint32_t req_cap, resp_cap;
	int nregions;
	uint64_t paddr[BLK_MAX_REGIONS], size[BLK_MAX_REGIONS];
};
void shm_alloc(struct blk_shm *s, const struct shm_spec *sp);
void shm_free(struct blk_shm *s);

/* ---- the peer (virtualiser) side -------------------------------------------------- */
uint32_t q_head(volatile uint8_t *q);
uint32_t q_tail(volatile uint8_t *q);
void q_set_head(volatile uint8_t *q, uint32_t v);
void q_set_tail(volatile uint8_t *q, uint32_t v);
/* Enqueue a request (slot at tail, then tail + 1); -1 when full. */
int peer_push(struct blk_shm *s, uint32_t code, uint64_t io, uint64_t block, uint16_t count,
	      uint32_t id);
/* Write a request slot without moving the tail. */
void peer_put_slot(struct blk_shm *s, uint32_t idx, const blk_req_t *r);
/* Dequeue a response; -1 when empty. */
int peer_pop(struct blk_shm *s, blk_resp_t *r);
void peer_set_plugged(struct blk_shm *s, int on);

/* ---- the fake engine -------------------------------------------------------------- */
struct fake_op { /* one log line: 'S'ubmitted or 'C'ompleted */
	char what;
	uint8_t op;
	uint32_t ridx;
	uint32_t rtail;  /* the response queue's tail then: what was answered by that time */
	uint64_t off;
	uint32_t len;
	int res;
};
#define FAKE_LOG 4096
struct fake_eng {
	struct blk_engine e;
	struct blk_srv *srv;
	uint8_t *disk;
	uint64_t disk_size;
	struct blk_io *pend[BLK_MAX_DEPTH];
	unsigned npend;
	uint64_t fail_at;    /* byte offset whose block fails with EIO (UINT64_MAX: none) */
	int fail_whole;      /* a transfer touching it fails whole (-EIO), as O_DIRECT does */
	uint32_t short_max;  /* at most this many bytes per transfer (0: no limit) */
	int zero_short;      /* transfers return 0 bytes (end of device) */
	int flush_err;       /* fdatasync fails with this errno */
	int submit_err;      /* submit fails with this errno */
	unsigned nflush, nnotify;
	struct fake_op log[FAKE_LOG];
	unsigned nlog;
};
void fake_init(struct fake_eng *f, struct blk_srv *srv, uint8_t *disk, uint64_t size);
/* Complete pending operation i (moving data now) and hand it to blk_srv_done. */
void fake_complete(struct fake_eng *f, unsigned i);
/* Complete everything pending, newest first when reverse; repeat until none is left
 * (kicking the server in between) when drain. Returns operations completed. */
unsigned fake_run(struct fake_eng *f, int reverse, int drain);

#endif
