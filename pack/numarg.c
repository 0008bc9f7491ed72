// SPDX-License-Identifier: BSD-2-Clause
/* Sizes and addresses on the command line, and sizes printed for people; see numarg.h. */
#include <stdio.h>
#include <string.h>
#include "numarg.h"
#include "util.h"

int parse_size(const char *s, const char *what, uint64_t *v)
{
	const char *p = s;
	unsigned base = 10, shift = 0;
	uint64_t x = 0;
	int digits = 0;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		base = 16, p += 2;
	for (;; p++) {
		unsigned d;
		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			break;
		if (x > (UINT64_MAX - d) / base)
			goto bad;
		x = x * base + d;
		digits++;
	}
	if (*p == 'k' || *p == 'K')
		shift = 10, p++;
	else if (*p == 'm' || *p == 'M')
		shift = 20, p++;
	else if (*p == 'g' || *p == 'G')
		shift = 30, p++;
	if (!digits || *p || (shift && x > (UINT64_MAX >> shift)))
		goto bad;
	*v = x << shift;
	return 0;
bad:
	perr("bad %s '%s' (expected a number, decimal or 0x hex, optionally with K, M or G; "
	     "at most 64 bits)", what, s);
	return -1;
}

const char *human_size(uint64_t n, char buf[32])
{
	static const char *const unit[] = { "KiB", "MiB", "GiB" };
	int u = -1;
	uint64_t d = 1;

	while (u < 2 && n >= d * 1024)
		d *= 1024, u++;
	if (u < 0)
		snprintf(buf, 32, "%llu bytes", (unsigned long long)n);
	else if (n % d == 0)
		snprintf(buf, 32, "%llu %s", (unsigned long long)(n / d), unit[u]);
	else
		snprintf(buf, 32, "%.2f %s", (double)n / (double)d, unit[u]);
	return buf;
}
