// SPDX-License-Identifier: BSD-2-Clause
/* Long options and numbers for the applets; see opt.h. A small table instead of
 * getopt_long, which would cost several KiB in the static binary. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"
#include "opt.h"

int opt_parse(int argc, char **argv, const struct opt *o, int n, const char **val)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *eq = NULL;
		int c = n;

		if (a[0] == '-' && a[1] == '-') {
			size_t len = strcspn(a + 2, "=");
			if (a[2 + len])
				eq = a + 2 + len;
			for (c = 0; c < n && (strncmp(o[c].name, a + 2, len) || o[c].name[len]); c++)
				;
		} else if (a[0] == '-' && a[1] && !a[2]) {
			for (c = 0; c < n && o[c].short_name != a[1]; c++)
				;
		}
		if (c == n) {
			err(a[0] == '-' ? "unknown option '%s' (see --help)" :
			    "unexpected argument '%s' (see --help)", a);
			return -1;
		}
		if (o[c].flag) {
			if (eq) {
				err("--%s takes no value (got '%s')", o[c].name, a);
				return -1;
			}
			val[c] = "";
			continue;
		}
		val[c] = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
		if (!val[c]) {
			err("--%s needs a value", o[c].name);
			return -1;
		}
	}
	return 0;
}

int opt_num(const char *name, const char *v, unsigned long lo, unsigned long hi,
	    unsigned long mult, unsigned long *out)
{
	char *end;
	unsigned long x;

	errno = 0;
	x = strtoul(v, &end, 0);
	/* strtoul would take blanks and a sign; an option value is digits only */
	if (*v >= '0' && *v <= '9' && !*end && !errno && x >= lo && x <= hi &&
	    (mult == OPT_POW2 ? !(x & (x - 1)) && x : !(x % mult))) {
		*out = x;
		return 0;
	}
	if (mult == OPT_POW2)
		err("--%s '%s': expected a power of two from %lu to %lu", name, v, lo, hi);
	else if (mult > 1)
		err("--%s '%s': expected a multiple of %lu from %lu to %lu", name, v, mult, lo,
		    hi);
	else
		err("--%s '%s': expected a number from %lu to %lu", name, v, lo, hi);
	return -1;
}
