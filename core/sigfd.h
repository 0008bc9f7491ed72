/* SPDX-License-Identifier: BSD-2-Clause */
/* Signals as a readable fd: a signalfd, or on a kernel built without CONFIG_SIGNALFD a
 * self-pipe fed by signal handlers. Either way the fd yields struct signalfd_siginfo
 * records (in the fallback only ssi_signo and ssi_pid are filled in), so the event loops
 * (init, uio_blk's engines, uio_net) read it the same way. */
#ifndef DVM_SIGFD_H
#define DVM_SIGFD_H
#include <signal.h>

/* Take the signals in set from now on: they are blocked and go to a signalfd, or (no
 * signalfd) their handlers write them to a pipe, noted once in the log. Non-blocking,
 * close-on-exec. One per process. Returns the fd to read, or -1 with errno set.
 * Children must restore the mask (blocked with signalfd) before exec; handlers are
 * reset by exec. */
int sigfd_open(const sigset_t *set);

#endif
