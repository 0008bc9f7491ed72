/* The contract between dvm's init (PID 1) and the poweroff/reboot applets: which signal
 * asks init for what, and how to ask. */
#ifndef DVM_INITCTL_H
#define DVM_INITCTL_H
#include <signal.h>

/* init powers off on SIGTERM, SIGINT (ctrl-alt-del, once init has disabled the kernel's
 * own ctrl-alt-del handling) and SIGUSR2, and reboots on SIGUSR1. */
#define INITCTL_POWEROFF SIGUSR2
#define INITCTL_REBOOT SIGUSR1

/* 1 when paths a and b name the same file (stat dev/ino), 0 when not, -errno when
 * either cannot be looked at. */
int initctl_same_file(const char *a, const char *b);

/* Ask dvm's init to power off (restart = 0) or reboot (1). Refuses, with an error
 * logged, unless PID 1 runs this very executable (/proc/1/exe is /proc/self/exe): a
 * foreign init (systemd, busybox) gives these signals other meanings. Returns 0 once
 * init has been signalled, else -1. */
int initctl_ask(int restart);

/* sync() then reboot(2) now, without asking init: power off (restart = 0) or reboot
 * (1). Returns only on failure, with errno set. */
void initctl_halt(int restart);

#endif
