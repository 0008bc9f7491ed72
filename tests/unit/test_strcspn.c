// SPDX-License-Identifier: BSD-2-Clause
/* dvm's strcspn (core/strcspn.c, built here as dvm_strcspn) against the C library's. */
#include <string.h>
#include "check.h"

size_t dvm_strcspn(const char *s, const char *reject);

TEST(against_libc)
{
	static const char *const s[] = { "", "a", "abc", "a,b", ",", "line\nnext", "\n",
					 "no blanks", "tab\there", "x\r", "\xff\x80,z" };
	static const char *const r[] = { "", ",", "\n", " \t\r", " \t", "=", "abc", "\xff",
					 "z" };

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		for (size_t j = 0; j < sizeof(r) / sizeof(r[0]); j++)
			CHECK_INT(dvm_strcspn(s[i], r[j]), strcspn(s[i], r[j]));
}
