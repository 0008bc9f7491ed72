// SPDX-License-Identifier: BSD-2-Clause
/* dvm's strcspn (and so strpbrk, which musl builds on it). musl's is made for long
 * reject sets (a 256-bit table, 240 bytes of code); dvm's are one to three characters,
 * for which a plain loop is right and 200 bytes smaller. Defined here, it keeps musl's
 * out of the static binary, like core/printf.c does for printf.
 * Host unit tests build this file with the function renamed dvm_strcspn. */
#include <string.h>

#ifdef DVM_UNIT_TEST
#define strcspn dvm_strcspn
size_t strcspn(const char *s, const char *reject);
#endif

size_t strcspn(const char *s, const char *reject)
{
	const char *p = s;

	while (*p && !strchr(reject, *p))
		p++;
	return (size_t)(p - s);
}
