/* SPDX-License-Identifier: BSD-2-Clause */
/* The path of this very executable, for re-running it as another applet (init's
 * services and tasks): /proc/self/exe when procfs is there, else the argv[0] dvm was
 * started with when it is absolute (init's is: the kernel runs /init, or rdinit=),
 * else /bin/dvm (the rootfs's binary). */
#ifndef DVM_SELFEXE_H
#define DVM_SELFEXE_H

/* Record argv[0] as started (core/dispatch.c); kept by pointer. */
void self_exe_set(const char *argv0);
/* The path to exec; the fallback is noted once in the log. */
const char *self_exe(void);

#endif
