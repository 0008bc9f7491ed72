/* SPDX-License-Identifier: BSD-2-Clause */
/* One minram probe: boot a layout under QEMU (kernel, initramfs, DTB and boot stub put
 * in place by -device loader, the CPU started at the stub) and decide whether the
 * guest became ready: a console line matching a pattern, or a readiness command that
 * does its own boot and exits 0. Every probe is bounded by a timeout and leaves no
 * process behind. */
#ifndef PACK_QPROBE_H
#define PACK_QPROBE_H
#include <regex.h>
#include <stdint.h>
#include "place.h"

#define QPROBE_MAX_ARGS 32

struct qprobe {
	const char *qemu;		/* qemu-system-aarch64 */
	const char *extra[QPROBE_MAX_ARGS];	/* more QEMU arguments */
	int nextra;
	unsigned mem_mb;		/* QEMU -m: must cover the RAM and the stub */
	const regex_t *ready;		/* console readiness pattern, or NULL ... */
	const char *ready_cmd;		/* ... a command (sh -c) that decides */
	const regex_t *fail;		/* console lines that mean "not ready" now */
	unsigned timeout_s;
	int hvc;			/* guest console on hvc0 (virtio console), not ttyAMA0 */
};

/* Paths of the files for one probe. */
struct qfiles {
	const char *kernel, *initrd, *dtb, *stub, *header, *log;
};

enum { PROBE_READY, PROBE_FAILED, PROBE_TIMEOUT, PROBE_ERROR };

/* Boot once. Returns a PROBE_* value; `why` gets a one-line reason (the failing
 * console line, the exit status...). The console goes to files->log, QEMU's own
 * messages too; readiness and failure patterns are matched only against what the
 * guest printed. PROBE_ERROR: QEMU (or sh) could not be started, or QEMU ended before
 * the guest printed anything. A guest that prints nothing until the timeout is
 * PROBE_TIMEOUT, with that reason (a kernel with too little RAM may die before its
 * console is up). */
int qprobe_run(const struct qprobe *q, const struct qfiles *f, const struct lay_out *l,
	       uint64_t stub_addr, char *why, size_t whylen, double *seconds);

/* Kill the probe in progress, if any (from a signal handler). */
void qprobe_kill(void);

#endif
