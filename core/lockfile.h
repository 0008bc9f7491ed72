/* SPDX-License-Identifier: BSD-2-Clause */
/* Exclusive ownership of a file by one live process: flock(2), or on a kernel without
 * FILE_LOCKING (flock fails with ENOSYS) a lock file PATH.lock created with O_EXCL that
 * holds the owner's pid. A flock dies with its holder; a lock file outlives a SIGKILLed
 * owner, so one whose pid is no longer alive is stale and taken over (also after a
 * clean exit: the file is left, its pid gone). Two processes taking over the same stale
 * lock file at the same instant could both win, and an owner's pid reused by another
 * process reads as alive: callers run under a supervisor that starts one instance at a
 * time (dvm's init), in a VM that forks far fewer than pid_max processes. */
#ifndef DVM_LOCKFILE_H
#define DVM_LOCKFILE_H

/* Take the lock on the open file fd (named path) for the rest of this process's life.
 * 0: taken; -EWOULDBLOCK: a live process holds it (its pid in *owner, 0 if unknown);
 * else -errno. The fallback is noted once in the log. */
int lock_take(int fd, const char *path, int *owner);

#endif
