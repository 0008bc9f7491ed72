// SPDX-License-Identifier: BSD-2-Clause
/* The null device, for `make bench` only: wraps the real engine and completes every
 * READ, WRITE and FLUSH at once without touching the device, so that the bench can
 * measure the protocol alone (take, validate, bounce copy, publish, notify, the
 * interrupt path) as the ceiling of what the sDDF path can reach. The interrupt and
 * the stop signal still go through the wrapped engine, which sees no I/O.
 *
 * Compiled only into the bench's separate dvm build (tests/bench/bench.mk builds it
 * with -DDVM_BENCH_NULLDEV in its own build directory); a normal build has neither
 * this code nor the --null-device option, and rejects the option as unknown. */
#ifdef DVM_BENCH_NULLDEV
#include <stdlib.h>
#include "blk.h"

struct null_eng {
	struct blk_engine e;
	struct blk_engine *inner;
	unsigned n;
	struct blk_io *done[BLK_MAX_DEPTH];
};

static int null_submit(struct blk_engine *e, struct blk_io *io)
{
	struct null_eng *g = (struct null_eng *)e;

	/* at most one blk_io per slot is ever in flight: depth <= BLK_MAX_DEPTH */
	io->res = io->op == BLK_IO_FLUSH ? 0 : (int)io->len;
	g->done[g->n++] = io;
	return 0;
}

static int null_wait(struct blk_engine *e, struct blk_srv *srv)
{
	struct null_eng *g = (struct null_eng *)e;

	/* Nothing finished: sleep in the real engine (interrupt, signal). Otherwise hand
	 * the completions back without sleeping; blk_srv_done may submit the next chunk of
	 * a request, which lands on the same list and is handed back in this loop. */
	if (!g->n)
		return g->inner->wait(g->inner, srv);
	while (g->n) {
		struct blk_io *io = g->done[--g->n];
		blk_srv_done(srv, io);
	}
	return 0;
}

static void null_notify(struct blk_engine *e)
{
	struct null_eng *g = (struct null_eng *)e;

	g->inner->notify(g->inner);
}

struct blk_engine *blk_null_wrap(struct blk_engine *inner)
{
	struct null_eng *g = calloc(1, sizeof(*g));

	if (!g)
		return 0;
	g->e.submit = null_submit;
	g->e.wait = null_wait;
	g->e.notify = null_notify;
	g->inner = inner;
	return &g->e;
}
#else
typedef int blk_eng_null_absent; /* a normal build: nothing here (ISO C wants a declaration) */
#endif
