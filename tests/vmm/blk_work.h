/* SPDX-License-Identifier: BSD-2-Clause */
/* Block workloads run through the simulated virtualiser, and the checking of every
 * response: the engine (blk_run.c: submit, wait, verify) and the workloads built on it
 * (blk_work.c: mixed, invalid, overflow, kill, bogus indices; blk_bench.c: bench). */
#ifndef VMM_BLK_WORK_H
#define VMM_BLK_WORK_H
#include <stdint.h>
#include "blk_disk.h"
#include "blk_virt.h"

/* Kinds of failure a phase counts; each becomes one PASS/FAIL line. */
enum { E_ANSWER, E_STATUS, E_DATA, E_DURABLE, E_NOTIFY, E_NKIND };

struct blk_run {
	struct blk_virt *v;
	struct disk *d;
	uint64_t rng;
	uint32_t epoch;          /* barrier epoch of the next request */
	uint64_t stall_ns;       /* no answer for this long while requests wait: failure */
	const char *phase;       /* name prefix of the checks */
	int nerr[E_NKIND];
	uint64_t nreq[4];        /* answered per code (READ..BARRIER), this phase */
	uint64_t per_region[MAX_REGIONS];
	uint64_t answered;       /* this phase */
	uint64_t verified_reads;
	int readonly;            /* the disk is read-only: WRITEs answer ERR_IO */
	int light;               /* bench: no data snapshots, poison, READ checks or model
				    copies (the bench checks and reloads after each run) */
	uint64_t *tags;          /* light: per block, the tag of its last WRITE (0: none) */
	int hold;                /* submit_rw keeps the requests in held[] for the caller to
				    enqueue (the bench: the client's data first, then the
				    virtualiser's loop forwards the batch) */
	unsigned nheld;
	struct pend *held[256];
	uint64_t bad_block;      /* QEMU fails I/O touching it (~0: none) */
	uint32_t last_id;        /* of the last request submitted */
	int stalled;
	unsigned overlap;        /* mixed: % of READ/WRITEs put on a recent request's blocks */
	struct { uint64_t blk; uint32_t n; } recent[16]; /* the last READ/WRITEs submitted */
	unsigned nrecent;
};

/* Record a failure of kind k (the first few are printed). */
void run_err(struct blk_run *r, int kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Begin a phase: clear the counters. */
void run_phase(struct blk_run *r, const char *phase);
/* End: PASS/FAIL lines for the kinds listed (a string of E_* + '0'). */
void run_report(struct blk_run *r, const char *kinds);

/* A random first block for n blocks, not touching the bad block. */
uint64_t pick_block(struct blk_run *r, uint32_t n);

/* Fill in and enqueue a READ or WRITE of [blk, blk+n) with a fresh buffer in region
 * (pref, -1: any). 0 when no id, no buffer or a conflict stops it now. */
int submit_rw(struct blk_run *r, int code, uint64_t blk, uint32_t n, int pref);
/* FLUSH or BARRIER (garbage in the unused fields when junk). 0 when no id. */
int submit_sync(struct blk_run *r, int code, int junk);
/* Any request as given, with the expected status; the buffer (if any) stays with the
 * caller. 0 when no id. */
int submit_raw(struct blk_run *r, uint32_t code, uint64_t io, uint64_t blk, uint16_t count,
	       int want_status, const char *what);

/* Wait for the driver's signal and take every response, checking each. -1 when nothing
 * came within stall_ns while requests were outstanding (reported). */
int pump(struct blk_run *r);
/* Take (and check) every response in the queue now, without waiting. */
int take_all(struct blk_run *r);
/* Pump until nothing is outstanding; -1 on a stall. */
int drain_all(struct blk_run *r);

/* Workloads (blk_work.c). Each prints its PASS/FAIL lines. wl_mixed's phase is "kill"
 * with kills, else "overlap" when r->overlap is set, else "mixed". */
void check_info(struct blk_run *r, int read_only, const char *serial, int block_size,
		int queue_depth);
void wl_mixed(struct blk_run *r, uint64_t total, uint32_t depth, int nkill);
void wl_invalid(struct blk_run *r);
void wl_bogus_indices(struct blk_run *r);
void wl_overflow(struct blk_run *r);
void wl_plugged(struct blk_run *r);
void wl_ioerror(struct blk_run *r);
void wl_final_image(struct blk_run *r);

/* Bench (blk_bench.c): run the patterns through sDDF, compare with the guest's direct
 * figures found on the console. */
void wl_bench(struct blk_run *r, int console_fd);
extern const char *bench_patterns; /* the pattern list, also given to the guest tool */
extern unsigned bench_rounds;      /* runs of each pattern; the best counts */

#endif
