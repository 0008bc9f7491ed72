// SPDX-License-Identifier: BSD-2-Clause
/* The io_uring engine: device reads, writes and fdatasyncs, the UIO interrupt read, the
 * interrupt re-enable write and the signalfd read all go through one ring, so the driver
 * waits for everything with a single io_uring_enter and submits a whole batch with it.
 * The bounce buffers are registered as one fixed buffer when the kernel allows. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include "blk.h"
#include "log.h"
#include "uio.h"
#include "uring.h"

enum { TAG_IRQ = 1, TAG_SIG, TAG_ENABLE }; /* user_data; I/O uses the blk_io pointer */

struct uring_eng {
	struct blk_engine e;
	struct uring u;
	int dev, uio, sig;
	int fixed, irq_armed, sig_armed, enable_failed, flush_failed;
	struct blk_notify *n;
	uint32_t irq_count;
	int32_t one;
	struct signalfd_siginfo si;
};

static struct io_uring_sqe *sqe(struct uring_eng *g)
{
	struct io_uring_sqe *q = uring_sqe(&g->u);

	/* Full of unsubmitted entries (cannot happen with the sizes chosen): submit now. */
	if (!q && !uring_enter(&g->u, 0))
		q = uring_sqe(&g->u);
	return q;
}

static void prep_rw(struct io_uring_sqe *q, int op, int fd, void *buf, unsigned len,
		    uint64_t off, uint64_t tag)
{
	q->opcode = (uint8_t)op;
	q->fd = fd;
	q->addr = (uintptr_t)buf;
	q->len = len;
	q->off = off;
	q->user_data = tag;
}

static int uring_submit(struct blk_engine *e, struct blk_io *io)
{
	struct uring_eng *g = (struct uring_eng *)e;
	struct io_uring_sqe *q = sqe(g);

	if (!q)
		return -EBUSY;
	if (io->op == BLK_IO_FLUSH) {
		prep_rw(q, IORING_OP_FSYNC, g->dev, 0, 0, 0, (uintptr_t)io);
		q->fsync_flags = IORING_FSYNC_DATASYNC;
	} else {
		int rd = io->op == BLK_IO_READ;
		/* The bounce buffers are registered; a zero-copy region cannot be (io_uring
		 * refuses to register pages of a device mapping), so it goes unregistered. */
		int op = g->fixed && !io->zc ? (rd ? IORING_OP_READ_FIXED : IORING_OP_WRITE_FIXED)
				  : (rd ? IORING_OP_READ : IORING_OP_WRITE);
		prep_rw(q, op, g->dev, io->buf, io->len, io->off, (uintptr_t)io);
		q->buf_index = 0;
	}
	return 0;
}

static int arm(struct uring_eng *g)
{
	struct io_uring_sqe *q;

	/* Offset -1: "the current position", valid for character devices and pipes. */
	if (!g->irq_armed) {
		if (!(q = sqe(g)))
			return -EBUSY;
		prep_rw(q, IORING_OP_READ, g->uio, &g->irq_count, 4, (uint64_t)-1, TAG_IRQ);
		g->irq_armed = 1;
	}
	if (!g->sig_armed) {
		if (!(q = sqe(g)))
			return -EBUSY;
		prep_rw(q, IORING_OP_READ, g->sig, &g->si, sizeof(g->si), (uint64_t)-1, TAG_SIG);
		g->sig_armed = 1;
	}
	return 0;
}

static int uring_wait(struct blk_engine *e, struct blk_srv *srv)
{
	struct uring_eng *g = (struct uring_eng *)e;
	struct io_uring_cqe *c;
	int ev = 0, r;

	if ((r = arm(g)))
		return r;
	/* One system call: submit the batch, sleep until something completes. */
	if ((r = uring_enter(&g->u, !uring_cqe(&g->u)))) {
		err("io_uring_enter: %s", strerror(-r));
		return r;
	}
	while ((c = uring_cqe(&g->u))) {
		uint64_t tag = c->user_data;
		int res = c->res;

		uring_cqe_seen(&g->u);
		if (tag == TAG_IRQ) {
			g->irq_armed = 0;
			if (res == 4) {
				struct io_uring_sqe *q;
				ev |= BLK_EV_IRQ;
				/* Re-arm the read before re-enabling: the next event is not missed
				 * (UIO's read compares event counts anyway). */
				if ((r = arm(g)))
					return r;
				if (e->defer_enable)
					e->masked = 1; /* the loop re-enables it when idle */
				else if ((q = sqe(g)))
					prep_rw(q, IORING_OP_WRITE, g->n->ctl_fd, &g->one, 4, (uint64_t)-1,
						TAG_ENABLE);
			} else if (res != -EINTR && res != -EAGAIN) {
				err("uio read: %s", res < 0 ? strerror(-res) : "short");
				return res < 0 ? res : -EIO;
			}
		} else if (tag == TAG_SIG) {
			g->sig_armed = 0;
			if (res == sizeof(g->si))
				ev |= BLK_EV_STOP;
		} else if (tag == TAG_ENABLE) {
			if (res < 0 && !g->enable_failed++)
				warn("uio irq enable: %s", strerror(-res));
		} else {
			struct blk_io *io = (struct blk_io *)(uintptr_t)tag;
			io->res = res;
			blk_srv_done(srv, io);
		}
	}
	return ev;
}

static void uring_irq_enable(struct blk_engine *e)
{
	struct uring_eng *g = (struct uring_eng *)e;
	struct io_uring_sqe *q = sqe(g);

	/* Submitted with the next io_uring_enter, the one that sleeps: an interrupt raised
	 * while it was disabled is pending in the kernel and fires when it is enabled. */
	if (q)
		prep_rw(q, IORING_OP_WRITE, g->n->ctl_fd, &g->one, 4, (uint64_t)-1, TAG_ENABLE);
	else
		uio_irq_enable(g->n->ctl_fd); /* no entry to be had: a write of its own, now */
	e->masked = 0;
}

static void uring_flush(struct blk_engine *e)
{
	struct uring_eng *g = (struct uring_eng *)e;
	int r = uring_enter(&g->u, 0);

	/* Not fatal here: the next wait() submits them again and reports the error. */
	if (r && !g->flush_failed++)
		warn("io_uring_enter (submit): %s", strerror(-r));
}

static int uring_ready(struct blk_engine *e)
{
	return uring_cqe(&((struct uring_eng *)e)->u) != NULL;
}

static void uring_notify(struct blk_engine *e)
{
	blk_notify_peer(((struct uring_eng *)e)->n);
}

struct blk_engine *blk_uring_new(int dev_fd, int uio_fd, int sig_fd, struct blk_notify *n,
				 void *bounce, size_t bounce_len, unsigned depth)
{
	struct uring_eng *g = calloc(1, sizeof(*g));
	struct iovec iov = { bounce, bounce_len };
	int r;

	if (!g)
		return 0;
	/* Room for every slot plus the interrupt read, its re-enable and the signal read. */
	r = uring_init(&g->u, depth + 4);
	if (r < 0) {
		free(g);
		errno = -r;
		return 0;
	}
	g->fixed = uring_register_buffers(&g->u, &iov, 1) == 0;
	g->e.submit = uring_submit;
	g->e.wait = uring_wait;
	g->e.notify = uring_notify;
	g->e.irq_enable = uring_irq_enable;
	g->e.flush = uring_flush;
	g->e.ready = uring_ready;
	g->dev = dev_fd;
	g->uio = uio_fd;
	g->sig = sig_fd;
	g->n = n;
	g->one = 1;
	return &g->e;
}
