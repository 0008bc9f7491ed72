// SPDX-License-Identifier: BSD-2-Clause
/* dvm's strtol family (core/strtol.c, built here as dvm_strtol etc.) against the C
 * library's: value, end pointer and ERANGE for fixed edge cases, every base, and many
 * random strings. Where no digit is found, glibc leaves errno alone and dvm (like musl)
 * sets EINVAL; that difference is checked explicitly. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include "check.h"

long dvm_strtol(const char *restrict s, char **restrict end, int base);
unsigned long dvm_strtoul(const char *restrict s, char **restrict end, int base);
long long dvm_strtoll(const char *restrict s, char **restrict end, int base);
unsigned long long dvm_strtoull(const char *restrict s, char **restrict end, int base);
intmax_t dvm_strtoimax(const char *restrict s, char **restrict end, int base);
uintmax_t dvm_strtoumax(const char *restrict s, char **restrict end, int base);

/* One function pair on one input: same value, same end, ERANGE alike; EINVAL from
 * dvm exactly when nothing was converted. */
#define SAME(fn, s, base)                                                               \
	do {                                                                            \
		char *e1_, *e2_;                                                        \
		errno = 0;                                                              \
		unsigned long long a_ = (unsigned long long)dvm_##fn(s, &e1_, base);    \
		int err1_ = errno;                                                      \
		errno = 0;                                                              \
		unsigned long long b_ = (unsigned long long)fn(s, &e2_, base);          \
		int err2_ = errno;                                                      \
		if (a_ != b_ || e1_ != e2_ || (err1_ == ERANGE) != (err2_ == ERANGE) || \
		    (err1_ == EINVAL) != (e1_ == (s) || err2_ == EINVAL)) {              \
			check_fail(__FILE__, __LINE__, "%s(\"%s\", %d): dvm %llu end +%d " \
				   "errno %d, libc %llu end +%d errno %d", #fn, s, base, \
				   a_, (int)(e1_ - (s)), err1_, b_, (int)(e2_ - (s)),    \
				   err2_);                                               \
			return 0;                                                       \
		}                                                                       \
	} while (0)

static int all_same(const char *s, int base)
{
	SAME(strtol, s, base);
	SAME(strtoul, s, base);
	SAME(strtoll, s, base);
	SAME(strtoull, s, base);
	SAME(strtoimax, s, base);
	SAME(strtoumax, s, base);
	return 1;
}

TEST(edge_cases)
{
	static const char *const in[] = {
		"", " ", "+", "-", "0", "-0", "+0", "00", "08", "0x", "0X", "0x1g", "0xg", "-0x",
		"0x0", "  \t\n\v\f\r42", "42abc", "- 5", "+-5", "--5", "12 34", "z", "Z", "zz",
		"077", "0b101", "1e5", "9223372036854775807", "9223372036854775808",
		"-9223372036854775808", "-9223372036854775809", "18446744073709551615",
		"18446744073709551616", "-18446744073709551615", "-18446744073709551616",
		"99999999999999999999999999", "-99999999999999999999999999",
		"0x7fffffffffffffff", "0x8000000000000000", "0xffffffffffffffff",
		"0x10000000000000000", "-0x8000000000000000", "01777777777777777777777",
		"02000000000000000000000", "1111111111111111111111111111111111111111111111111111111111111111",
		"10000000000000000000000000000000000000000000000000000000000000000",
		"-1", "-18446744073709551615x", "4294967295", "4294967296", "2147483648",
		"\x80" "1", "1\x80", "7fffffff", "zzzzzzzzzzzzz", "zzzzzzzzzzzzzz",
	};
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		for (int base = 0; base <= 36; base++)
			if (base != 1 && !all_same(in[i], base))
				return;
}

TEST(invalid_base)
{
	char *e;
	const char *s = "123";

	for (int base = -3; base < 40; base++) {
		if (base == 0 || (base >= 2 && base <= 36))
			continue;
		errno = 0;
		CHECK_INT(dvm_strtol(s, &e, base), 0);
		CHECK_INT(errno, EINVAL);
		CHECK(e == s);
		errno = 0;
		CHECK_INT(dvm_strtoull(s, &e, base), 0);
		CHECK_INT(errno, EINVAL);
	}
}

TEST(no_digits_sets_einval_and_end)
{
	char *e = NULL;
	const char *s = "  -x";

	errno = 0;
	CHECK_INT(dvm_strtol(s, &e, 10), 0);
	CHECK_INT(errno, EINVAL);
	CHECK(e == s);
	/* a NULL end pointer is allowed */
	CHECK_INT(dvm_strtol("17", NULL, 10), 17);
	CHECK_INT(dvm_strtoul("x", NULL, 0), 0);
}

TEST(random_strings)
{
	static const char alpha[] = " \t+-0123456789abcdefxXzZ07";
	unsigned x = 4242;
	char s[32];

	for (int r = 0; r < 200000; r++) {
		x = x * 1103515245 + 12345;
		int len = (x >> 16) % 28;
		for (int i = 0; i < len; i++) {
			x = x * 1103515245 + 12345;
			/* mostly digits, so long numbers (and overflow) are common */
			s[i] = (x >> 12) % 4 ? "0123456789abcdef"[(x >> 16) % 16]
					      : alpha[(x >> 16) % (sizeof(alpha) - 1)];
		}
		s[len] = 0;
		x = x * 1103515245 + 12345;
		int base = (int)((x >> 16) % 37);
		if (base == 1)
			base = 0;
		if (!all_same(s, base))
			return;
	}
}
