/* QEMU launch and teardown for a driver VM under TCG: the machine flags (shared by the
 * DTB dump and the boot, so the memory layout matches), the shared window as NUMA node 1,
 * the serial console captured to a log file with its input on a pipe (for magic SysRq),
 * and qtest on a unix socket for interrupt injection. */
#ifndef VMM_QEMU_H
#define VMM_QEMU_H
#include <stdint.h>
#include <sys/types.h>
#include "shm.h"
#include "util.h"

#define GUEST_RAM_BASE 0x40000000ull /* virt: RAM starts at 1 GiB */

struct vm_cfg {
	const char *qemu;         /* binary (default qemu-system-aarch64) */
	const char *kernel, *initrd, *append;
	unsigned ram_mb;          /* NUMA node 0: ordinary guest RAM */
	uint64_t win_size;        /* NUMA node 1: the shared window ... */
	const char *win_path;     /* ... backed by this file */
	struct argv extra;        /* more QEMU arguments (drives, devices, -dtb) */
};

struct vm {
	pid_t pid;
	int con_fd;               /* write end of the console input pipe */
	int exited, status;       /* after vm_alive() saw it end */
	char log[256];            /* console (and QEMU's own messages) */
	int log_fd;               /* open on it for reading, so it may be unlinked */
	char sock[256];           /* qtest socket */
};

/* Guest-physical address of the shared window: right after node 0. */
static inline uint64_t vm_win_gpa(const struct vm_cfg *c)
{
	return GUEST_RAM_BASE + ((uint64_t)c->ram_mb << 20);
}

/* Dump QEMU's own DTB for this machine into out (bounded by the run deadline). */
void vm_dumpdtb(const struct vm_cfg *c, const char *out);

/* Start QEMU booting with dtb; console to log, qtest socket sock. */
void vm_start(struct vm *v, const struct vm_cfg *c, const char *dtb, const char *log,
	      const char *sock);

/* 1 while QEMU runs; 0 once it has exited (v->status holds the wait status). */
int vm_alive(struct vm *v);

/* Stop QEMU: SIGTERM, then SIGKILL if it lingers; reaps it. Idempotent. */
void vm_stop(struct vm *v);

/* Magic SysRq on the serial console: a BREAK (the mux's C-a b) then the key. Needs
 * sysrq_always_enabled on the kernel command line. */
void vm_sysrq(struct vm *v, char key);

/* Type text on the guest's serial console (no C-a in it: that is the mux's escape). */
void vm_console_write(struct vm *v, const char *text);

/* Console log helpers, reading through an open descriptor (the file may be unlinked):
 * print its last lines to fd (async-signal-safe); count the lines containing needle. */
void console_tail(int log_fd, int fd);
int console_count(int log_fd, const char *needle);

/* CPU time (ns) QEMU's vCPU thread has used so far, 0 when it cannot be read. Under TCG
 * the vCPU thread runs only while the guest does (it sleeps on WFI), so its share of
 * wall time is the guest's CPU load. */
uint64_t vm_vcpu_ns(struct vm *v);

/* Describe a wait status ("exit 1", "signal 9"). */
const char *status_str(int status);

#endif
