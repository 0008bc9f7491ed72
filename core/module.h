/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel module loading, shared by insmod and init. */
#ifndef DVM_MODULE_H
#define DVM_MODULE_H
#include <stddef.h>

#define MODULE_NAME_MAX 64		/* the kernel's MODULE_NAME_LEN is 56 */
#define MODULE_MAX_SIZE (64 << 20)	/* larger files, or .gz inflating to more, are refused */
#define MODULE_DEP_LINE_MAX 4096	/* modules.dep line buffer, newline included */

/* Load the module file at `path` with parameter string `params` ("a=1 b=\"x y\"", may be
 * ""). .ko goes through finit_module; .ko.gz/.ko.xz/.ko.zst are first offered to the
 * kernel with MODULE_INIT_COMPRESSED_FILE; where the kernel cannot decompress, .ko.gz is
 * inflated in memory (core/inflate.c) and loaded with init_module, and other formats fail with a
 * message saying the kernel lacks that decompressor.
 * The format is chosen by the file name's suffix.
 * Returns 0 on success, -EEXIST when already loaded (logged at info, not an error), or
 * another -errno after logging an explanation (wrong kernel, unknown symbol naming the
 * modules from .modinfo depends= that must come first, bad parameter, missing file,
 * permission, signature, corrupt or oversized .gz). Messages name the file. */
int module_load(const char *path, const char *params);

/* The module name of a file: basename without .ko[.gz|.xz|.zst], '-' turned into '_',
 * truncated to n-1 bytes. out may be path itself. */
void module_name(const char *path, char *out, size_t n);

/* Find module `name` (or a path, returned as is) in directory `dir`: NAME.ko, .ko.gz,
 * .ko.xz, .ko.zst, with '-' and '_' equivalent; a suffix on `name` is ignored. When
 * several exist the uncompressed one wins. Returns 0 and "dir/file" in out, -ENOENT, or
 * -ENAMETOOLONG when the path does not fit in n bytes. */
int module_find(const char *dir, const char *name, char *out, size_t n);

/* Dependencies of module `name` from `dir`/modules.dep (the flat format dvm-pack writes:
 * "name.ko: dep1.ko dep2.ko", deepest dependency last, like depmod; paths before the
 * names are allowed, blank lines and '#' comments skipped). Calls fn with each
 * dependency's module name (as module_name() gives it) in load order, deepest first.
 * Returns 0 (also when the file or entry is absent: no known dependencies), fn's
 * non-zero value, or -errno on a read error or a malformed line up to the entry (a line
 * without ':', longer than MODULE_DEP_LINE_MAX - 1 bytes, with a NUL byte, or a name too
 * long), logged as "FILE:LINE: what". */
int module_deps(const char *dir, const char *name,
		int (*fn)(const char *dep_name, void *ctx), void *ctx);

#ifdef DVM_UNIT_TEST
/* Test hooks: the syscalls (returning -1 with errno set, like syscall(2)), the
 * /sys/module directory (for "compression" and loaded-module checks) and the size cap. */
extern long (*module_sys_finit)(int fd, const char *params, int flags);
extern long (*module_sys_init)(const void *img, unsigned long len, const char *params);
extern const char *module_sysfs;
extern size_t module_max_size;
#endif

#endif
