// SPDX-License-Identifier: BSD-2-Clause
/* Runner for TEST()s registered by constructors; see check.h. Tests run in
 * registration order; argv[1], if given, runs only tests whose name contains it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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

char check_log[16384];
static FILE *cap_file;
static int cap_saved = -1;

void check_capture_start(void)
{
	fflush(stderr);
	cap_file = tmpfile();
	cap_saved = dup(2);
	if (!cap_file || cap_saved < 0 || dup2(fileno(cap_file), 2) < 0) {
		perror("check: capturing stderr");
		exit(2);
	}
}

const char *check_capture_end(void)
{
	ssize_t n;

	fflush(stderr);
	n = pread(fileno(cap_file), check_log, sizeof(check_log) - 1, 0);
	check_log[n > 0 ? n : 0] = 0;
	dup2(cap_saved, 2);
	close(cap_saved);
	fclose(cap_file);
	cap_file = NULL;
	return check_log;
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
