/* SPDX-License-Identifier: BSD-2-Clause */
/* A minimal io_uring over raw syscalls (musl has no liburing): set up the rings, hand out
 * submission entries, submit and wait with one io_uring_enter, walk the completions.
 * Single-threaded use only. */
#ifndef DVM_URING_H
#define DVM_URING_H
#include <linux/io_uring.h>
#include <stdint.h>
#include <sys/uio.h>

struct uring {
	int fd;
	unsigned sq_entries, cq_entries;
	unsigned *sq_head, *sq_tail, *sq_mask, *sq_array;
	unsigned *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
	void *sq_ring, *cq_ring;
	size_t sq_len, cq_len, sqes_len;
	unsigned sq_local; /* our tail: entries prepared, not necessarily submitted */
};

/* Set up a ring of `entries` submission entries (completion ring twice that), trying the
 * cheaper single-issuer/deferred task-run modes first. 0 or -errno (ENOSYS: no io_uring
 * in this kernel; EPERM: disabled by sysctl or a sandbox). */
int uring_init(struct uring *u, unsigned entries);
void uring_exit(struct uring *u);

/* The next submission entry, zeroed, or NULL when all are prepared but unsubmitted. It is
 * submitted by the next uring_enter. */
struct io_uring_sqe *uring_sqe(struct uring *u);

/* Submit what was prepared and, if wait, block until at least one completion is ready
 * (EINTR is retried). 0 or -errno. */
int uring_enter(struct uring *u, int wait);

/* The oldest completion not yet consumed, or NULL; uring_cqe_seen consumes it. */
struct io_uring_cqe *uring_cqe(struct uring *u);
void uring_cqe_seen(struct uring *u);

/* Register fixed buffers (for IORING_OP_READ_FIXED/WRITE_FIXED). 0 or -errno. */
int uring_register_buffers(struct uring *u, const struct iovec *iov, unsigned n);

#endif
