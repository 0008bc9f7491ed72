// SPDX-License-Identifier: BSD-2-Clause
/* Raw io_uring set-up and ring handling; see uring.h. The ring indices are shared with
 * the kernel: our stores of sq tail and cq head are releases, our loads of sq head and cq
 * tail acquires. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "uring.h"

static long sys_setup(unsigned entries, struct io_uring_params *p)
{
	return syscall(SYS_io_uring_setup, entries, p);
}

static long sys_enter(int fd, unsigned submit, unsigned wait, unsigned flags)
{
	return syscall(SYS_io_uring_enter, fd, submit, wait, flags, NULL, 0);
}

int uring_init(struct uring *u, unsigned entries)
{
	/* No IORING_SETUP_DEFER_TASKRUN: on Debian's 6.1 kernel a read of a UIO fd (punted
	 * to io-wq) that completes while the task sleeps in io_uring_enter did not wake it,
	 * so an idle driver missed interrupts (found by tests/e2e/blk_*.sh). */
	static const unsigned tries[] = {
		IORING_SETUP_COOP_TASKRUN,
		0,
	};
	struct io_uring_params p;
	int fd = -1;

	memset(u, 0, sizeof(*u));
	u->fd = -1;
	for (unsigned i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		memset(&p, 0, sizeof(p));
		p.flags = tries[i];
		fd = (int)sys_setup(entries, &p);
		if (fd >= 0 || errno != EINVAL)
			break;
	}
	if (fd < 0)
		return -errno;
	u->fd = fd;
	u->sq_entries = p.sq_entries;
	u->cq_entries = p.cq_entries;
	u->sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	u->cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP) {
		if (u->cq_len > u->sq_len)
			u->sq_len = u->cq_len;
		u->cq_len = u->sq_len;
	}
	u->sq_ring = mmap(NULL, u->sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
			  fd, IORING_OFF_SQ_RING);
	if (u->sq_ring == MAP_FAILED)
		goto fail;
	if (p.features & IORING_FEAT_SINGLE_MMAP) {
		u->cq_ring = u->sq_ring;
	} else {
		u->cq_ring = mmap(NULL, u->cq_len, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_CQ_RING);
		if (u->cq_ring == MAP_FAILED)
			goto fail;
	}
	u->sqes_len = p.sq_entries * sizeof(struct io_uring_sqe);
	u->sqes = mmap(NULL, u->sqes_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		       fd, IORING_OFF_SQES);
	if (u->sqes == MAP_FAILED)
		goto fail;
	char *sq = u->sq_ring, *cq = u->cq_ring;
	u->sq_head = (unsigned *)(sq + p.sq_off.head);
	u->sq_tail = (unsigned *)(sq + p.sq_off.tail);
	u->sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
	u->sq_array = (unsigned *)(sq + p.sq_off.array);
	u->cq_head = (unsigned *)(cq + p.cq_off.head);
	u->cq_tail = (unsigned *)(cq + p.cq_off.tail);
	u->cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
	u->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	u->sq_local = *u->sq_tail;
	return 0;
fail:;
	int e = errno;
	uring_exit(u);
	return -e;
}

void uring_exit(struct uring *u)
{
	if (u->sqes && u->sqes != MAP_FAILED)
		munmap(u->sqes, u->sqes_len);
	if (u->cq_ring && u->cq_ring != MAP_FAILED && u->cq_ring != u->sq_ring)
		munmap(u->cq_ring, u->cq_len);
	if (u->sq_ring && u->sq_ring != MAP_FAILED)
		munmap(u->sq_ring, u->sq_len);
	if (u->fd >= 0)
		close(u->fd);
	memset(u, 0, sizeof(*u));
	u->fd = -1;
}

struct io_uring_sqe *uring_sqe(struct uring *u)
{
	unsigned head = __atomic_load_n(u->sq_head, __ATOMIC_ACQUIRE);
	struct io_uring_sqe *e;

	if (u->sq_local - head >= u->sq_entries)
		return NULL;
	unsigned i = u->sq_local & *u->sq_mask;
	e = &u->sqes[i];
	memset(e, 0, sizeof(*e));
	u->sq_array[i] = i;
	u->sq_local++;
	return e;
}

int uring_enter(struct uring *u, int wait)
{
	/* Publish the prepared entries (their contents before the tail). */
	__atomic_store_n(u->sq_tail, u->sq_local, __ATOMIC_RELEASE);
	for (;;) {
		unsigned submit = u->sq_local - __atomic_load_n(u->sq_head, __ATOMIC_ACQUIRE);
		if (!submit && !wait)
			return 0;
		if (sys_enter(u->fd, submit, wait ? 1 : 0, wait ? IORING_ENTER_GETEVENTS : 0) >= 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

struct io_uring_cqe *uring_cqe(struct uring *u)
{
	unsigned head = *u->cq_head;

	if (head == __atomic_load_n(u->cq_tail, __ATOMIC_ACQUIRE))
		return NULL;
	return &u->cqes[head & *u->cq_mask];
}

void uring_cqe_seen(struct uring *u)
{
	__atomic_store_n(u->cq_head, *u->cq_head + 1, __ATOMIC_RELEASE);
}

int uring_register_buffers(struct uring *u, const struct iovec *iov, unsigned n)
{
	if (syscall(SYS_io_uring_register, u->fd, IORING_REGISTER_BUFFERS, iov, n) < 0)
		return -errno;
	return 0;
}
