/* SPDX-License-Identifier: BSD-2-Clause */
/* Read the .modinfo section of a kernel module image (ELF relocatable, 32- or 64-bit,
 * little-endian): NUL-separated "key=value" strings such as depends=, vermagic=, parm=.
 * Used by insmod (to explain errors) and by dvm-pack (to resolve dependencies). Every
 * offset in the image is bounds-checked: the file may be truncated or not ELF at all. */
#ifndef DVM_MODINFO_H
#define DVM_MODINFO_H
#include <stddef.h>

/* Call fn(key, value) for each entry; value is "" for an entry without '='. Returns 0,
 * fn's first non-zero value, or -1 with *why set to a static reason ("not an ELF file",
 * "truncated section headers", "no .modinfo section", ...). */
int modinfo_foreach(const void *img, size_t len,
		    int (*fn)(const char *key, const char *val, void *ctx), void *ctx,
		    const char **why);

/* Copy the value of the first `key` entry into buf (truncated to n-1). Returns 1 found,
 * 0 absent, -1 bad image (reason in *why when why is not NULL). */
int modinfo_get(const void *img, size_t len, const char *key, char *buf, size_t n,
		const char **why);

#endif
