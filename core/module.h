/* Kernel module loading, shared by insmod and init. */
#ifndef DVM_MODULE_H
#define DVM_MODULE_H
#include <stddef.h>

/* Load the module file at `path` with parameter string `params` ("a=1 b=\"x y\"", may be
 * ""). .ko goes through finit_module; .ko.gz/.ko.xz/.ko.zst are first offered to the
 * kernel with MODULE_INIT_COMPRESSED_FILE; where the kernel cannot decompress, .ko.gz is
 * inflated with zlib in memory and loaded with init_module, and other formats fail with a
 * message saying the kernel lacks that decompressor.
 * Returns 0 on success, -EEXIST when already loaded (logged at info, not an error), or
 * another -errno after logging an explanation (wrong kernel, unknown symbol naming the
 * modules from .modinfo depends= that must come first, bad parameter, missing file,
 * permission). */
int module_load(const char *path, const char *params);

/* The module name of a file: basename without .ko[.gz|.xz|.zst], '-' turned into '_'. */
void module_name(const char *path, char *out, size_t n);

/* Find module `name` (or a path, returned as is) in directory `dir`: NAME.ko, .ko.gz,
 * .ko.xz, .ko.zst, with '-' and '_' equivalent. Returns 0 and the path in out, or
 * -ENOENT. */
int module_find(const char *dir, const char *name, char *out, size_t n);

/* Dependencies of module `name` from `dir`/modules.dep (the flat format dvm-pack writes:
 * "name.ko: dep1.ko dep2.ko", deepest dependency last, like depmod). Calls fn for each
 * dependency in load order (deepest first). Returns 0 (also when the file or entry is
 * absent: no known dependencies), fn's non-zero value, or -errno on a read error. */
int module_deps(const char *dir, const char *name,
		int (*fn)(const char *dep_name, void *ctx), void *ctx);

#endif
