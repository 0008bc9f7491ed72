/* SPDX-License-Identifier: BSD-2-Clause */
/* dvm's memmove. musl's copies a word at a time (370 bytes); dvm moves a few KiB of a
 * line buffer now and then (core/module.c, core/modbuiltin.c: the unread rest to the
 * front), for which a byte loop is right and 330 bytes smaller. Defined here, it keeps
 * musl's out of the static binary, like core/strcspn.c does for strcspn.
 * Host unit tests build this file with the function renamed dvm_memmove. */
#include <string.h>

#ifdef DVM_UNIT_TEST
#define memmove dvm_memmove
void *memmove(void *dst, const void *src, size_t n);
#endif

/* The attribute: GCC would otherwise turn the loops into a call to memmove itself. */
__attribute__((optimize("no-tree-loop-distribute-patterns")))
void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s)
		while (n--)
			*d++ = *s++;
	else
		while (n--)
			d[n] = s[n];
	return dst;
}
