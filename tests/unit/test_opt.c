// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests for the applets' option helper (core/opt.c): long options with values in
 * both forms, flags and their one-letter aliases, and every usage error naming the
 * option and the value. */
#include <string.h>
#include "check.h"
#include "log.h"
#include "opt.h"

static const struct opt o[] = {
	{ "capacity", 0, 0 }, { "journal", 0, 0 }, { "sync", 1, 0 }, { "verbose", 1, 'v' },
};

/* Parse words (NULL-terminated, after argv[0]) into val; the return value of opt_parse,
 * with its log in check_log. */
static int parse(const char **val, const char *const *words)
{
	char *argv[16] = { "applet" };
	int argc = 1, r;

	for (; *words; words++)
		argv[argc++] = (char *)*words;
	memset(val, 0, 4 * sizeof(*val));
	log_to_stderr();
	check_capture_start();
	r = opt_parse(argc, argv, o, 4, val);
	check_capture_end();
	return r;
}

TEST(values_and_flags)
{
	const char *val[4];

	CHECK_INT(parse(val, (const char *[]){ "--capacity", "64", "--journal=/tmp/j", "--sync",
					       "-v", NULL }), 0);
	CHECK_STR(val[0], "64");
	CHECK_STR(val[1], "/tmp/j");
	CHECK_STR(val[2], "");
	CHECK_STR(val[3], "");
	CHECK_STR(check_log, "");
	/* the last one given wins; an empty value is a value ("--journal=") */
	CHECK_INT(parse(val, (const char *[]){ "--capacity=1", "--capacity", "2", "--journal=",
					       NULL }), 0);
	CHECK_STR(val[0], "2");
	CHECK_STR(val[1], "");
	CHECK(val[2] == NULL);
	/* a value may itself start with '-' */
	CHECK_INT(parse(val, (const char *[]){ "--journal", "-", NULL }), 0);
	CHECK_STR(val[1], "-");
}

TEST(usage_errors)
{
	const char *val[4];

	CHECK_INT(parse(val, (const char *[]){ "--capacityx", "1", NULL }), -1);
	CHECK_LOG("unknown option '--capacityx'");
	CHECK_INT(parse(val, (const char *[]){ "-x", NULL }), -1);
	CHECK_LOG("unknown option '-x'");
	CHECK_INT(parse(val, (const char *[]){ "-vv", NULL }), -1);
	CHECK_LOG("unknown option '-vv'");
	CHECK_INT(parse(val, (const char *[]){ "extra", NULL }), -1);
	CHECK_LOG("unexpected argument 'extra'");
	CHECK_INT(parse(val, (const char *[]){ "--capacity", NULL }), -1);
	CHECK_LOG("--capacity needs a value");
	CHECK_INT(parse(val, (const char *[]){ "--sync=1", NULL }), -1);
	CHECK_LOG("--sync takes no value (got '--sync=1')");
	CHECK_INT(parse(val, (const char *[]){ "--", NULL }), -1);
	CHECK_LOG("unknown option '--'");
}

/* opt_num with its log captured. */
static int num(const char *v, unsigned long lo, unsigned long hi, unsigned long mult,
	       unsigned long *out)
{
	int r;

	check_capture_start();
	r = opt_num("depth", v, lo, hi, mult, out);
	check_capture_end();
	return r;
}

TEST(numbers)
{
	unsigned long x = 0;

	CHECK_INT(num("16", 1, 256, 1, &x), 0);
	CHECK_INT(x, 16);
	CHECK_INT(num("0x100", 1, 256, 1, &x), 0);
	CHECK_INT(x, 256);
	CHECK_INT(num("64", 4, 16384, 4, &x), 0);
	CHECK_INT(num("2147483648", 1, 0x80000000u, OPT_POW2, &x), 0);
	CHECK_INT(x, 0x80000000u);
	CHECK_INT(num("1", 1, 8, OPT_POW2, &x), 0);
	CHECK_INT(x, 1);
	CHECK_STR(check_log, "");
	x = 7;
	const char *bad[] = { "0", "257", "", " 1", "+1", "-1", "1x", "0x", "99999999999999999999999" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[100];
		CHECK_INT(num(bad[i], 1, 256, 1, &x), -1);
		snprintf(want, sizeof(want), "--depth '%s': expected a number from 1 to 256", bad[i]);
		CHECK_LOG(want);
		CHECK_INT(x, 7);	/* untouched */
	}
	CHECK_INT(num("3", 4, 16384, 4, &x), -1);
	CHECK_LOG("--depth '3': expected a multiple of 4 from 4 to 16384");
	CHECK_INT(num("6", 4, 16384, 4, &x), -1);
	CHECK_LOG("--depth '6': expected a multiple of 4 from 4 to 16384");
	CHECK_INT(num("0", 1, 64, OPT_POW2, &x), -1);
	CHECK_LOG("--depth '0': expected a power of two from 1 to 64");
	CHECK_INT(num("96", 1, 1024, OPT_POW2, &x), -1);
	CHECK_LOG("--depth '96': expected a power of two from 1 to 1024");
	CHECK_INT(num("128", 1, 64, OPT_POW2, &x), -1);
	CHECK_LOG("--depth '128': expected a power of two from 1 to 64");
}
