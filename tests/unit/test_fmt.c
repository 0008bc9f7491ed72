// SPDX-License-Identifier: BSD-2-Clause
/* The integer-only formatter against the C library's snprintf, case by case. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include "check.h"
#include "fmt.h"

/* Odd flag combinations are tested on purpose. */
#pragma GCC diagnostic ignored "-Wformat"

static int ours(char *b, size_t n, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	int r = fmt_vsnprintf(b, n, f, ap);
	va_end(ap);
	return r;
}

/* Same format and arguments through both; compare text and return value. */
#define SAME(...)                                                                   \
	do {                                                                        \
		char x_[128], y_[128];                                              \
		int ra_ = ours(x_, sizeof(x_), __VA_ARGS__);                        \
		int rb_ = snprintf(y_, sizeof(y_), __VA_ARGS__);                    \
		CHECK_STR(x_, y_);                                                  \
		CHECK_INT(ra_, rb_);                                                \
	} while (0)

TEST(integers)
{
	SAME("%d %i %u", 0, -5, 42u);
	SAME("%d", INT32_MIN);
	SAME("%ld %lu", (long)INT64_MIN, (unsigned long)UINT64_MAX);
	SAME("%lld %llu", (long long)-1, 18446744073709551615ull);
	SAME("%zu %zd %jd %td", (size_t)77, (ssize_t)-3, (intmax_t)-9, (ptrdiff_t)12);
	SAME("%hd %hu %hhd %hhu", 70000, 70000, 300, 300);
	SAME("%x %X %o %#x %#X %#o", 255u, 255u, 8u, 255u, 255u, 8u);
	SAME("%#x %#o", 0u, 0u);
	SAME("%+d % d %+d", 5, 5, -5);
}

TEST(width_precision_flags)
{
	SAME("[%5d] [%-5d] [%05d] [%-05d]", 42, 42, 42, 42);
	SAME("[%08.3d] [%.0d] [%.0x] [%.3d]", 7, 0, 0u, -7);
	SAME("[%*d] [%-*d] [%*d]", 6, 1, 6, 1, -6, 1);
	SAME("[%08x] [%#010x] [%016llx]", 0xbeefu, 0xbeefu, 0x1234ull);
	SAME("[%05d] [%+05d]", -42, 42);
}

TEST(strings_chars_pointers)
{
	SAME("[%s] [%10s] [%-10s] [%.2s] [%.*s]", "abc", "abc", "abc", "abc", 1, "abc");
	SAME("[%c%c] [%3c] [%-3c]", 'o', 'k', 'x', 'y');
	SAME("100%% [%p]", (void *)0x1234);
}

TEST(truncation_and_length)
{
	char b[8];
	CHECK_INT(ours(b, sizeof(b), "%s-%d", "hello", 12345), 11);
	CHECK_STR(b, "hello-1");
	CHECK_INT(ours(b, 0, "%d", 5), 1);
	CHECK_INT(ours(b, 1, "%d", 5), 1);
	CHECK_STR(b, "");
}

TEST(unsupported_conversion_marked)
{
	char b[32];
	ours(b, sizeof(b), "a%fb", 1.0);
	CHECK_STR(b, "a%?b");
	ours(b, sizeof(b), "end%");
	CHECK_STR(b, "end%?");
}

TEST(every_length_on_every_conversion)
{
	SAME("%hhx %hx %x %lx %llx %zx %jx %tx", 0x1ff, 0x1ffff, ~0u, ~0ul, ~0ull, (size_t)-1,
	     (uintmax_t)-1, (ptrdiff_t)-1);
	SAME("%hho %ho %o %lo %llo %zo", 0x1ff, 0x1ffff, ~0u, ~0ul, ~0ull, (size_t)-1);
	SAME("%hhd %hd %d %ld %lld %zd %jd %td", 0x180, 0x18000, INT32_MIN, (long)INT64_MIN,
	     (long long)INT64_MIN, (ssize_t)-2, (intmax_t)INT64_MIN, (ptrdiff_t)-3);
	SAME("%hhu %hu %u %lu %llu %zu %ju", 0x1ff, 0x1ffff, ~0u, ~0ul, ~0ull, (size_t)-1,
	     (uintmax_t)-1);
	SAME("%hhi %+hi % li %lli", -1, -2, 3l, -4ll);
	/* arguments after a narrow one are still found in place */
	SAME("%hhd %lld %c %hu %s %ld", 300, -5ll, 'z', 70000, "s", 9l);
	SAME("[%5c] [%-4c] [%lc]", 'a', 'b', 'c');
}

TEST(strerror_m)
{
	errno = ENOENT;
	SAME("open: %m");
	errno = EACCES;
	SAME("[%30m] [%-30m] [%.5m]");
	errno = 0;
	SAME("%m, then %d", 5);
}
