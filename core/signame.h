/* SPDX-License-Identifier: BSD-2-Clause */
/* Signal names <-> numbers, for killall's -SIGNAL and for init's "killed by signal"
 * messages. */
#ifndef DVM_SIGNAME_H
#define DVM_SIGNAME_H

/* "KILL", "SIGKILL", "kill" or "9" -> 9. Numbers 0..64 (0: only check the process
 * exists); returns -1 for anything else. */
int sig_parse(const char *s);

/* 9 -> "KILL"; NULL for a number without a name (real-time signals). */
const char *sig_name(int sig);

#endif
