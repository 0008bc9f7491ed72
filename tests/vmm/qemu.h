/* SPDX-License-Identifier: BSD-2-Clause */
/* QEMU launch and teardown for a driver VM under TCG: the machine flags (shared by the
 * DTB dump and the boot, so the memory layout matches), the shared window as NUMA node 1,
 * the console (PL011 ttyAMA0, or a virtio console hvc0) captured to a log file with its
 * input on a pipe (for magic SysRq), and qtest on a unix socket for interrupt injection.
 *
 * The kernel, initramfs and DTB are placed inside guest RAM by vmm-sim itself and loaded
 * with QEMU's generic loader, with a boot stub as libvmm's guest_start() (x0 = DTB):
 * QEMU's -kernel would place the initramfs and DTB by the total -m, which includes the
 * window, so with little RAM they would land in the window (docs/testing.md). */
#ifndef VMM_QEMU_H
#define VMM_QEMU_H
#include <stdint.h>
#include <sys/types.h>
#include "shm.h"
#include "util.h"

#define GUEST_RAM_BASE 0x40000000ull /* virt: RAM starts at 1 GiB */
/* Without -kernel QEMU writes its own DTB (1 MiB) at the RAM base at reset: the boot
 * stub goes right above it and the kernel at the next 2 MiB boundary, where -kernel puts
 * it too. The kernel uses the RAM below itself like any other. */
#define GUEST_STUB_OFF (1ull << 20)
#define GUEST_KERNEL_BASE_OFF (2ull << 20)

struct vm_cfg {
	const char *qemu;         /* binary (default qemu-system-aarch64) */
	const char *kernel, *initrd;
	const char *append;       /* more command-line words (may be NULL) */
	const char *console;      /* "ttyAMA0" (PL011, the default) or "hvc0" (virtio) */
	unsigned ram_kb;          /* NUMA node 0: ordinary guest RAM (KiB) */
	uint64_t win_size;        /* NUMA node 1: the shared window ... */
	const char *win_path;     /* ... backed by this file */
	uint64_t zc_bytes;        /* blk --zc-data: window regions declared as memory too */
	int trim_dt;              /* --trim-dt: only the devices the guest is given (dtb.h) */
	const char *save_dtb;     /* --save-dtb: a copy of the tree the guest boots with */
	struct argv extra;        /* more QEMU arguments (drives, devices, -dtb) */
};

/* Where the boot images went (guest-physical; ends exclusive). */
struct vm_images {
	uint64_t kernel, kernel_end;   /* load address .. + image_size (BSS included) */
	uint64_t initrd, initrd_end;
	uint64_t dtb, dtb_end;
};

struct vm {
	pid_t pid;
	struct vm_images img;
	int con_fd;               /* write end of the console input pipe */
	int exited, status;       /* after vm_alive() saw it end */
	char log[256];            /* console (and QEMU's own messages) */
	int log_fd;               /* open on it for reading, so it may be unlinked */
	int hvc;                  /* console on hvc0 (SysRq is ^O, not a BREAK) */
	off_t scanned;            /* console bytes looked at for a guest failure ... */
	uint64_t scanned_at;      /* ... and when (now_ns) */
	char sock[256];           /* qtest socket */
};

/* Guest-physical address of the shared window: right after node 0. */
static inline uint64_t vm_win_gpa(const struct vm_cfg *c)
{
	return GUEST_RAM_BASE + ((uint64_t)c->ram_kb << 10);
}

/* Dump QEMU's own DTB for this machine into out (bounded by the run deadline). */
void vm_dumpdtb(const struct vm_cfg *c, const char *out);

/* Parse a --console value; dies naming it unless ttyAMA0 or hvc0. */
const char *vm_console_arg(const char *s);

/* Start QEMU booting with dtb (QEMU's dump plus the class's nodes); console to log,
 * qtest socket sock. The DTB file is rewritten first with guest RAM as its only memory,
 * the command line ("console=C panic=-1 sysrq_always_enabled" + append) and the
 * initramfs in /chosen; the images are placed in RAM (v->img), or the run dies saying
 * why they do not fit. */
void vm_start(struct vm *v, const struct vm_cfg *c, const char *dtb, const char *log,
	      const char *sock);

/* The guest kernel's own count of its RAM ("Memory: ...K/TOTALK available") must be
 * exactly --ram: PASS/FAIL "guest RAM". A kernel that prints no such line (no printk,
 * quiet) is noted, not checked. */
void vm_check_ram(struct vm *v, const struct vm_cfg *c);

/* 1 while QEMU runs; 0 once it has exited (v->status holds the wait status). While it
 * runs, new console lines are looked at (every 20 ms at most) for a guest that cannot go
 * on: a kernel panic or an OOM kill dies at once, quoting the line, instead of leaving
 * the run to its timeout (a VM with too little RAM, e.g. under dvm-pack minram). */
int vm_alive(struct vm *v);

/* Stop QEMU: SIGTERM, then SIGKILL if it lingers; reaps it. Idempotent. */
void vm_stop(struct vm *v);

/* Magic SysRq on the console: on ttyAMA0 a BREAK (the mux's C-a b) then the key; on
 * hvc0 the hvc driver's ^O then the key. Needs sysrq_always_enabled on the kernel command
 * line (vm_start puts it there) and CONFIG_MAGIC_SYSRQ. */
void vm_sysrq(struct vm *v, char key);

/* Type text on the guest's serial console (no C-a in it: that is the mux's escape). */
void vm_console_write(struct vm *v, const char *text);

/* Console log helpers, reading through an open descriptor (the file may be unlinked):
 * print its last lines to fd (async-signal-safe); count the lines containing needle. */
void console_tail(int log_fd, int fd);
int console_count(int log_fd, const char *needle);
/* The first console line containing needle, without its line end, into buf; 0 if none. */
int console_find(int log_fd, const char *needle, char *buf, size_t n);

/* CPU time (ns) QEMU's vCPU thread has used so far, 0 when it cannot be read. Under TCG
 * the vCPU thread runs only while the guest does (it sleeps on WFI), so its share of
 * wall time is the guest's CPU load. */
uint64_t vm_vcpu_ns(struct vm *v);

/* Pin QEMU's vCPU threads to the first CPU this process may use, and QEMU's other
 * threads (device emulation, I/O workers; the ones they create later inherit it) and
 * the calling process to the second. 0 (*cpu_vcpu, *cpu_rest set), or -errno: -ERANGE
 * with fewer than two CPUs, -ENOENT when no vCPU thread was found. */
int vm_pin(struct vm *v, int *cpu_vcpu, int *cpu_rest);

/* Describe a wait status ("exit 1", "signal 9"). */
const char *status_str(int status);

#endif
