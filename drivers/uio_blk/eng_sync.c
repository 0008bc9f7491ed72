// SPDX-License-Identifier: BSD-2-Clause
/* The synchronous engine: pread/pwrite/fdatasync done at submission, completions handed
 * back at the next wait; waiting is one poll() on the UIO fd and the signalfd. The
 * fallback when io_uring is unavailable; correct, one request at a time. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include "blk.h"
#include "log.h"
#include "uio.h"

struct sync_eng {
	struct blk_engine e;
	int dev, uio, sig;
	struct blk_notify *n;
	unsigned ndone;
	struct blk_io *done[];
};

static int sync_submit(struct blk_engine *e, struct blk_io *io)
{
	struct sync_eng *s = (struct sync_eng *)e;
	ssize_t r;

	do {
		if (io->op == BLK_IO_READ)
			r = pread(s->dev, io->buf, io->len, (off_t)io->off);
		else if (io->op == BLK_IO_WRITE)
			r = pwrite(s->dev, io->buf, io->len, (off_t)io->off);
		else
			r = fdatasync(s->dev);
	} while (r < 0 && errno == EINTR);
	io->res = r < 0 ? -errno : (int)r;
	s->done[s->ndone++] = io;
	return 0;
}

static int sync_wait(struct blk_engine *e, struct blk_srv *srv)
{
	struct sync_eng *s = (struct sync_eng *)e;
	struct pollfd p[2] = { { .fd = s->uio, .events = POLLIN }, { .fd = s->sig, .events = POLLIN } };
	int ev = 0;

	/* Block only when nothing is waiting to be handed back. */
	if (poll(p, 2, s->ndone ? 0 : -1) < 0 && errno != EINTR)
		return -errno;
	if (p[0].revents & (POLLERR | POLLNVAL)) {
		err("uio: poll error (no interrupt?)");
		return -EIO;
	}
	if (p[0].revents & POLLIN) {
		int r = uio_drain(s->uio);
		if (r < 0) {
			err("uio read: %s", strerror(-r));
			return r;
		}
		ev |= BLK_EV_IRQ;
		if (e->defer_enable)
			e->masked = 1; /* the loop re-enables it when idle */
		else
			uio_irq_enable(s->n->ctl_fd);
	}
	if (p[1].revents & POLLIN) {
		struct signalfd_siginfo si;
		if (read(s->sig, &si, sizeof(si)) == sizeof(si))
			ev |= BLK_EV_STOP;
	}
	for (unsigned i = 0; i < s->ndone; i++)
		blk_srv_done(srv, s->done[i]);
	s->ndone = 0;
	return ev;
}

static void sync_irq_enable(struct blk_engine *e)
{
	uio_irq_enable(((struct sync_eng *)e)->n->ctl_fd);
	e->masked = 0;
}

static void sync_notify(struct blk_engine *e)
{
	blk_notify_peer(((struct sync_eng *)e)->n);
}

struct blk_engine *blk_sync_new(int dev_fd, int uio_fd, int sig_fd, struct blk_notify *n,
				unsigned depth)
{
	struct sync_eng *s = calloc(1, sizeof(*s) + depth * sizeof(s->done[0]));

	if (!s)
		return 0;
	s->e.submit = sync_submit;
	s->e.wait = sync_wait;
	s->e.notify = sync_notify;
	s->e.irq_enable = sync_irq_enable;
	s->dev = dev_fd;
	s->uio = uio_fd;
	s->sig = sig_fd;
	s->n = n;
	return &s->e;
}
