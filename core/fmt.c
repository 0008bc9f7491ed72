// SPDX-License-Identifier: BSD-2-Clause
/* Integer-only formatter; see fmt.h. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include "fmt.h"

/* z, j and t arguments are read as long (LP64: x86_64 and aarch64). */
_Static_assert(sizeof(long) == sizeof(size_t) && sizeof(long) == sizeof(intmax_t) &&
	       sizeof(long) == sizeof(ptrdiff_t), "fmt.c assumes LP64");

struct out {
	char *buf;
	size_t n, len;
};

static void put(struct out *o, char c, size_t count)
{
	for (; count; count--, o->len++)
		if (o->len + 1 < o->n)
			o->buf[o->len] = c;
}

static void puts_n(struct out *o, const char *s, size_t l)
{
	for (size_t i = 0; i < l; i++)
		put(o, s[i], 1);
}

/* The next integer argument, of the type its length modifier says: len 2 long long,
 * 1 long, else int (narrower ones arrive promoted to int). One place for these reads:
 * each va_arg is a dozen instructions on aarch64. */
static unsigned long long next_int(va_list *ap, int len)
{
	if (len > 1)
		return va_arg(*ap, unsigned long long);
	if (len == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned);
}

/* A width or precision at p: digits, or '*' for an int argument. */
static const char *width_or_prec(const char *p, int *v, va_list *ap)
{
	if (*p == '*') {
		*v = (int)next_int(ap, 0);
		return p + 1;
	}
	for (*v = 0; *p >= '0' && *p <= '9'; p++)
		*v = *v * 10 + (*p - '0');
	return p;
}

int fmt_vsnprintf(char *buf, size_t n, const char *fmt, va_list args)
{
	struct out o = { buf, n, 0 };
	va_list ap;

	va_copy(ap, args); /* a va_list of our own, so that its address can be passed */

	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			put(&o, *p, 1);
			continue;
		}
		int left = 0, zero = 0, plus = 0, space = 0, alt = 0, width = 0, prec = -1, len = 0;
		for (;; p++) {
			char c = p[1];
			if (c == '-') left = 1;
			else if (c == '0') zero = 1;
			else if (c == '+') plus = 1;
			else if (c == ' ') space = 1;
			else if (c == '#') alt = 1;
			else break;
		}
		p = width_or_prec(p + 1, &width, &ap);
		if (width < 0)
			left = 1, width = -width;
		if (*p == '.')
			p = width_or_prec(p + 1, &prec, &ap); /* a negative one counts as none */
		/* len: 0 int, 1 long (and size_t, intmax_t, ptrdiff_t), 2 long long, -1 short,
		 * -2 char */
		for (;; p++) {
			if (*p == 'l') len = len == 1 ? 2 : 1;
			else if (*p == 'h') len = len == -1 ? -2 : -1;
			else if (*p == 'z' || *p == 'j' || *p == 't') len = 1;
			else break;
		}
		char c = *p, tmp[24];
		const char *s = tmp, *prefix = "";
		size_t sl = 1;
		unsigned long long v;
		unsigned base = 10;

		switch (c) {
		case '%':
			put(&o, '%', 1);
			continue;
		case 'm':
			s = strerror(errno);
			goto string;
		case 's':
		case 'p': {
			/* void * and char * arguments may be read as each other */
			const void *ptr = va_arg(ap, void *);
			if (c == 'p') {
				v = (uintptr_t)ptr;
				base = 16;
				prefix = "0x";
				goto number;
			}
			s = ptr ? ptr : "(null)";
		}
		string:
			sl = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
			prec = -1;
			break;
		case 'c':
			len = 0;
			/* fall through */
		case 'd': case 'i': case 'u': case 'o': case 'x': case 'X':
			v = next_int(&ap, len); /* the conversions below narrow it */
			if (c == 'c') {
				tmp[0] = (char)v;
				prec = -1;
				break;
			}
			if (c == 'd' || c == 'i') {
				long long sv = len > 0 ? (long long)v : len == -1 ? (short)v
					     : len == -2 ? (signed char)v : (int)v;
				v = sv < 0 ? -(unsigned long long)sv : (unsigned long long)sv;
				prefix = sv < 0 ? "-" : plus ? "+" : space ? " " : "";
			} else {
				if (len == -1)
					v = (unsigned short)v;
				if (len == -2)
					v = (unsigned char)v;
				if (c != 'u')
					base = c == 'o' ? 8 : 16;
				if (alt && v && base == 16)
					prefix = c == 'X' ? "0X" : "0x";
				if (alt && base == 8)
					prefix = "0";
			}
		number: {
			char *e = tmp + sizeof(tmp), *d = e;
			const char *digits = c == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
			while (v) {
				*--d = digits[v % base];
				v /= base;
			}
			if (d == e && prec != 0 && !(base == 8 && *prefix))
				*--d = '0';
			s = d;
			sl = (size_t)(e - d);
			break;
		}
		default:
			puts_n(&o, "%?", 2);
			if (!c)
				p--;
			continue;
		}
		size_t pl = strlen(prefix), zeros = prec >= 0 && (size_t)prec > sl ? (size_t)prec - sl : 0;
		if (prec < 0 && zero && !left && (size_t)width > pl + sl && c != 's' && c != 'c')
			zeros = (size_t)width - pl - sl;
		size_t total = pl + zeros + sl, pad = (size_t)width > total ? (size_t)width - total : 0;
		if (!left)
			put(&o, ' ', pad);
		puts_n(&o, prefix, pl);
		put(&o, '0', zeros);
		puts_n(&o, s, sl);
		if (left)
			put(&o, ' ', pad);
	}
	va_end(ap);
	if (n)
		buf[o.len < n ? o.len : n - 1] = 0;
	return (int)o.len;
}
