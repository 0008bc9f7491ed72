/* Runner for TEST()s registered by constructors; see check.h. Tests run in
 * registration order; argv[1], if given, runs only tests whose name contains it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"

#define MAX_TESTS 512
static struct {
	const char *file, *name;
	void (*fn)(void);
} tests[MAX_TESTS];
static int ntests;
int check_failed;

void check_register(const char *file, const char *name, void (*fn)(void))
{
	if (ntests == MAX_TESTS) {
		fprintf(stderr, "check: more than %d tests\n", MAX_TESTS);
		exit(2);
	}
	const char *b = strrchr(file, '/');
	tests[ntests].file = b ? b + 1 : file;
	tests[ntests].name = name;
	tests[ntests++].fn = fn;
}

void check_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	const char *b = strrchr(file, '/');

	check_failed = 1;
	printf("  at %s:%d: ", b ? b + 1 : file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int main(int argc, char **argv)
{
	int fails = 0, run = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < ntests; i++) {
		if (argc > 1 && !strstr(tests[i].name, argv[1]))
			continue;
		check_failed = 0;
		tests[i].fn();
		run++;
		fails += check_failed;
		printf("%s: %s:%s\n", check_failed ? "FAIL" : "PASS", tests[i].file,
		       tests[i].name);
	}
	if (!run) {
		printf("FAIL: no tests ran\n");
		return 1;
	}
	return fails ? 1 : 0;
}
