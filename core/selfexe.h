/* The path of this very executable, for re-running it as another applet (init's
 * services and tasks) and for telling whether PID 1 runs it (initctl): /proc/self/exe
 * when procfs is there, else the argv[0] dvm was started with (an absolute path for
 * init: the kernel runs /init or rdinit=), resolved against the start directory or
 * $PATH, else /bin/dvm (the rootfs's binary). */
#ifndef DVM_SELFEXE_H
#define DVM_SELFEXE_H

/* Record argv[0] as started (core/dispatch.c, before any chdir). */
void self_exe_set(const char *argv0);
/* The path to exec; the fallback is noted once in the log. */
const char *self_exe(void);

#endif
