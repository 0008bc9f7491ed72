/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel command line access, split the way the kernel splits it: words separated by
 * spaces, double quotes group (and are removed), "key=value" or a bare "key". */
#ifndef DVM_CMDLINE_H
#define DVM_CMDLINE_H
#include <stddef.h>

/* The kernel command line as the device tree gave it, for kernels without procfs. It
 * can differ from /proc/cmdline: a kernel built with CMDLINE_EXTEND or CMDLINE_FORCE
 * adds to it or replaces it. */
#define CMDLINE_DT "/sys/firmware/devicetree/base/chosen/bootargs"

/* /proc/cmdline, else CMDLINE_DT (or $DVM_CMDLINE when set, for tests and runs by
 * hand), read once found; "" when unreadable. */
const char *cmdline_read(void);
/* Which file cmdline_read() read: "/proc/cmdline", CMDLINE_DT, or NULL (none yet, or
 * $DVM_CMDLINE). */
extern const char *cmdline_src;
/* Read the command line from proc, else dt, into buf (n bytes, NUL-terminated); the
 * path read, or NULL (buf = ""). */
const char *cmdline_load(const char *proc, const char *dt, char *buf, size_t n);

/* Call fn for each word; val is NULL for a bare word. Stops early and returns fn's value
 * when it is non-zero. Words longer than 1023 bytes are truncated. */
int cmdline_foreach(const char *cmdline,
		    int (*fn)(const char *key, const char *val, void *ctx), void *ctx);

/* The value of the last "key=value" (1), a bare "key" (2, buf = ""), or absent (0). */
int cmdline_get(const char *cmdline, const char *key, char *buf, size_t n);

/* Parameters for module `mod` from words "mod.param=value" (module name and parameter
 * compared with '-' and '_' equivalent), appended to the NUL-terminated string already in
 * out as "param=value" separated by
 * spaces; values with spaces are double-quoted, as init_module expects. Returns the
 * number of parameters found, or -1 if out is too small. */
int cmdline_module_params(const char *cmdline, const char *mod, char *out, size_t n);

/* Compare two module or parameter names treating '-' and '_' as equal; n < 0: whole. */
int modname_eq(const char *a, const char *b, long n);

#endif
