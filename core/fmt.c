/* Integer-only formatter; see fmt.h. */
#include <stdint.h>
#include <string.h>
#include "fmt.h"

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

int fmt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct out o = { buf, n, 0 };

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
		p++;
		if (*p == '*') {
			width = va_arg(ap, int);
			if (width < 0)
				left = 1, width = -width;
			p++;
		} else {
			while (*p >= '0' && *p <= '9')
				width = width * 10 + (*p++ - '0');
		}
		if (*p == '.') {
			p++;
			prec = 0;
			if (*p == '*') {
				prec = va_arg(ap, int);
				p++;
			} else {
				while (*p >= '0' && *p <= '9')
					prec = prec * 10 + (*p++ - '0');
			}
		}
		/* len: 0 int, 1 long, 2 long long, -1 short, -2 char, 3 size_t/intmax/ptrdiff */
		for (;; p++) {
			if (*p == 'l') len = len == 1 ? 2 : 1;
			else if (*p == 'h') len = len == -1 ? -2 : -1;
			else if (*p == 'z' || *p == 'j' || *p == 't') len = 3;
			else break;
		}
		char c = *p, tmp[24];
		const char *s = tmp, *prefix = "";
		size_t sl = 0;
		uintmax_t v = 0;
		int base = 10, neg = 0, upper = 0;

		switch (c) {
		case '%':
			put(&o, '%', 1);
			continue;
		case 'c':
			tmp[0] = (char)va_arg(ap, int);
			sl = 1;
			prec = -1;
			break;
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			sl = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
			prec = -1;
			break;
		case 'd': case 'i': {
			intmax_t sv = len == 2 ? va_arg(ap, long long) : len == 1 ? va_arg(ap, long)
				    : len == 3 ? (intmax_t)va_arg(ap, intmax_t) : va_arg(ap, int);
			if (len == -1) sv = (short)sv;
			if (len == -2) sv = (signed char)sv;
			neg = sv < 0;
			v = neg ? -(uintmax_t)sv : (uintmax_t)sv;
			prefix = neg ? "-" : plus ? "+" : space ? " " : "";
			goto number;
		}
		case 'p':
			v = (uintptr_t)va_arg(ap, void *);
			base = 16;
			prefix = "0x";
			goto number_read;
		case 'X':
			upper = 1;
			/* fall through */
		case 'x':
			base = 16;
			goto unsigned_arg;
		case 'o':
			base = 8;
			/* fall through */
		case 'u':
		unsigned_arg:
			v = len == 2 ? va_arg(ap, unsigned long long) : len == 1 ? va_arg(ap, unsigned long)
			  : len == 3 ? va_arg(ap, uintmax_t) : va_arg(ap, unsigned);
			if (len == -1) v = (unsigned short)v;
			if (len == -2) v = (unsigned char)v;
			if (alt && v && base == 16)
				prefix = upper ? "0X" : "0x";
			if (alt && base == 8)
				prefix = "0";
		number_read:
		number: {
			char *e = tmp + sizeof(tmp), *d = e;
			const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
			while (v) {
				*--d = digits[v % (unsigned)base];
				v /= (unsigned)base;
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
	if (n)
		buf[o.len < n ? o.len : n - 1] = 0;
	return (int)o.len;
}
