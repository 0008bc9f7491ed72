// SPDX-License-Identifier: BSD-2-Clause
/* The bench's null device (drivers/uio_blk/eng_null.c, built with -DDVM_BENCH_NULLDEV):
 * every READ, WRITE and FLUSH is answered OK with its full count without any I/O reaching
 * the wrapped engine, requests larger than a bounce chunk included (their next chunk is
 * submitted from inside the completion); with nothing finished, waiting is the wrapped
 * engine's; notifications go through it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "blk_peer.h"
#include "check.h"

#define BS 4096u
#define R0 0x40000000ull

static struct blk_srv srv;
static struct fake_eng inner;
static uint8_t disk[64 * BS], orig[64 * BS];

static struct blk_engine *setup(unsigned depth, unsigned chunk)
{
	struct shm_spec sp = { 16, 16, 1, { R0 }, { 32 * BS } };

	memset(&srv, 0, sizeof(srv));
	shm_alloc(&srv.shm, &sp);
	for (size_t i = 0; i < sizeof(disk); i++)
		disk[i] = (uint8_t)(i * 5 + 1);
	memcpy(orig, disk, sizeof(disk));
	srv.capacity = 64;
	srv.depth = depth;
	srv.chunk = chunk;
	if (blk_srv_init(&srv))
		return 0;
	fake_init(&inner, &srv, disk, sizeof(disk));
	srv.eng = blk_null_wrap(&inner.e);
	return srv.eng;
}

static void teardown(void)
{
	free(srv.eng);
	blk_srv_free(&srv);
	shm_free(&srv.shm);
}

TEST(null_answers_without_io)
{
	struct blk_engine *e = setup(4, 2);
	blk_resp_t r;

	CHECK(e);
	/* 5 blocks in chunks of 2: three submissions, the later ones from blk_srv_done */
	CHECK_INT(peer_push(&srv.shm, BLK_REQ_WRITE, R0, 3, 5, 1), 0);
	CHECK_INT(peer_push(&srv.shm, BLK_REQ_READ, R0 + 8 * BS, 60, 4, 2), 0);
	CHECK_INT(peer_push(&srv.shm, BLK_REQ_FLUSH, 0, 0, 0, 3), 0);
	blk_srv_kick(&srv);
	for (int i = 0; i < 8 && blk_srv_busy(&srv); i++) {
		CHECK_INT(e->wait(e, &srv), 0);
		blk_srv_kick(&srv);
	}
	for (uint32_t id = 1; id <= 3; id++) {
		CHECK_INT(peer_pop(&srv.shm, &r), 0);
		CHECK_INT(r.id, id);
		CHECK_INT(r.status, BLK_RESP_OK);
		CHECK_INT(r.success_count, id == 1 ? 5 : id == 2 ? 4 : 0);
	}
	CHECK(peer_pop(&srv.shm, &r));
	CHECK_INT(inner.nlog, 0);              /* no I/O reached the wrapped engine */
	CHECK(!memcmp(disk, orig, sizeof(disk)));
	teardown();
}

TEST(null_waits_in_the_wrapped_engine)
{
	struct blk_engine *e = setup(4, 2);

	CHECK(e);
	/* nothing finished: the fake engine's wait says it has nothing either */
	CHECK_INT(e->wait(e, &srv), -EDEADLK);
	e->notify(e);
	CHECK_INT(inner.nnotify, 1);
	teardown();
}
