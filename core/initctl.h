/* SPDX-License-Identifier: BSD-2-Clause */
/* The contract between dvm's init (PID 1) and the poweroff/reboot applets: which signal
 * asks init for what, and how to ask. */
#ifndef DVM_INITCTL_H
#define DVM_INITCTL_H
#include <signal.h>

/* init powers off on SIGTERM, SIGINT (ctrl-alt-del, once init has disabled the kernel's
 * own ctrl-alt-del handling) and SIGUSR2, and reboots on SIGUSR1. */
#define INITCTL_POWEROFF SIGUSR2
#define INITCTL_REBOOT SIGUSR1

/* Written by dvm's init as PID 1 (initctl_mark): "dvm-init\n". initctl_ask reads it
 * when /proc/1/exe cannot be looked at (no procfs). It lives on the devtmpfs (or the
 * initramfs's /dev), which every boot starts without it, and only dvm's init writes
 * it, so a foreign init never has one. */
#define INITCTL_MARK "/dev/.dvm-init"

/* 1 when paths a and b name the same file (stat dev/ino), 0 when not, -errno when
 * either cannot be looked at. */
int initctl_same_file(const char *a, const char *b);

/* init: create INITCTL_MARK (never over anything that exists). */
void initctl_mark(void);

/* Ask dvm's init to power off (restart = 0) or reboot (1). Refuses, with an error
 * logged, unless PID 1 is dvm's init: /proc/1/exe is /proc/self/exe, or without
 * procfs INITCTL_MARK is there: a foreign init (systemd, busybox)
 * gives these signals other meanings. Returns 0 once init has been signalled, else -1. */
int initctl_ask(int restart);

/* sync() then reboot(2) now, without asking init: power off (restart = 0) or reboot
 * (1). Returns only on failure, with errno set. */
void initctl_halt(int restart);

#endif
