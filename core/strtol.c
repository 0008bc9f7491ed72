// SPDX-License-Identifier: BSD-2-Clause
/* dvm's strtol family. Like core/printf.c, these definitions sit in dvm's own objects,
 * so the static link never pulls musl's versions, which parse through a FILE shim
 * (__intscan, shgetc, __uflow: about 2.6 KiB), out of libc.a. Same behaviour as musl's:
 * leading white space, an optional sign, base 0 (0x/0X: hex, 0: octal, else decimal) or
 * 2..36, where 16 also takes a 0x prefix ("0x" with no hex digit after it reads as 0);
 * out of range: the nearest limit and ERANGE (for the unsigned ones the limit even for a
 * negative number; "-1" is the largest value, without error); no digits: 0, *end = s
 * and EINVAL; an invalid base: 0 and EINVAL.
 * Host unit tests build this file with the functions renamed dvm_strtol etc. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>

#ifdef DVM_UNIT_TEST
#define strtol dvm_strtol
#define strtoul dvm_strtoul
#define strtoll dvm_strtoll
#define strtoull dvm_strtoull
#define strtoimax dvm_strtoimax
#define strtoumax dvm_strtoumax
long strtol(const char *restrict s, char **restrict end, int base);
unsigned long strtoul(const char *restrict s, char **restrict end, int base);
long long strtoll(const char *restrict s, char **restrict end, int base);
unsigned long long strtoull(const char *restrict s, char **restrict end, int base);
intmax_t strtoimax(const char *restrict s, char **restrict end, int base);
uintmax_t strtoumax(const char *restrict s, char **restrict end, int base);
#endif

/* The value of digit c in bases up to 36, or 36 for anything else. */
static unsigned digit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 32;
	return c >= 'a' && c <= 'z' ? c - 'a' + 10u : 36;
}

/* lim: the largest magnitude the type holds, ULLONG_MAX-like (odd) for an unsigned type
 * (a negative number is negated in it), 2^(bits-1) (even) for a signed one. */
static unsigned long long scan(const char *s, char **end, int base, unsigned long long lim)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long long v = 0, max;
	int neg = 0, over = 0;
	unsigned d;

	if (end)
		*end = (char *)s;
	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		return 0;
	}
	while (*p == ' ' || (unsigned)(*p - '\t') < 5)
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 32) == 'x' && digit(p[2]) < 16)
		p += 2, base = 16;
	else if (!base)
		base = *p == '0' ? 8 : 10;
	if (digit(*p) >= (unsigned)base) {
		errno = EINVAL;
		return 0;
	}
	for (; (d = digit(*p)) < (unsigned)base; p++)
		if (__builtin_mul_overflow(v, (unsigned)base, &v) ||
		    __builtin_add_overflow(v, d, &v))
			over = 1;
	if (end)
		*end = (char *)p;
	max = lim & 1 ? lim : lim - !neg;
	if (over || v > max) {
		errno = ERANGE;
		return lim & 1 ? lim : max;
	}
	return neg ? -v : v;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
	return (long)scan(s, end, base, 0UL + LONG_MIN);
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
	return (unsigned long)scan(s, end, base, ULONG_MAX);
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
	return (long long)scan(s, end, base, 0ULL + LLONG_MIN);
}

unsigned long long strtoull(const char *restrict s, char **restrict end, int base)
{
	return scan(s, end, base, ULLONG_MAX);
}

intmax_t strtoimax(const char *restrict s, char **restrict end, int base)
{
	return (intmax_t)scan(s, end, base, (uintmax_t)INTMAX_MAX + 1);
}

uintmax_t strtoumax(const char *restrict s, char **restrict end, int base)
{
	return scan(s, end, base, UINTMAX_MAX);
}
