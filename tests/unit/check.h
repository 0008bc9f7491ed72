/* SPDX-License-Identifier: BSD-2-Clause */
/* A minimal unit-test harness: TEST(name) { ... CHECK(...); } registers a test; the
 * shared main (check.c) runs every test and prints "PASS: file:name" or
 * "FAIL: file:name: reason" per test, which tests/run counts. A CHECK failure ends the
 * test at once. */
#ifndef DVM_CHECK_H
#define DVM_CHECK_H
#include <stdio.h>
#include <string.h>

void check_register(const char *file, const char *name, void (*fn)(void));
void check_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
extern int check_failed;

#define TEST(name)                                                                \
	static void name(void);                                                   \
	__attribute__((constructor)) static void reg_##name(void)                 \
	{                                                                         \
		check_register(__FILE__, #name, name);                            \
	}                                                                         \
	static void name(void)

#define CHECK(c)                                                                  \
	do {                                                                      \
		if (!(c)) {                                                       \
			check_fail(__FILE__, __LINE__, "%s", #c);                 \
			return;                                                   \
		}                                                                 \
	} while (0)

#define CHECK_INT(a, b)                                                           \
	do {                                                                      \
		long long a_ = (long long)(a), b_ = (long long)(b);               \
		if (a_ != b_) {                                                   \
			check_fail(__FILE__, __LINE__, "%s == %lld, expected %s == %lld", \
				   #a, a_, #b, b_);                               \
			return;                                                   \
		}                                                                 \
	} while (0)

#define CHECK_STR(a, b)                                                           \
	do {                                                                      \
		const char *a_ = (a), *b_ = (b);                                  \
		if (!a_ || !b_ || strcmp(a_, b_)) {                               \
			check_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", \
				   #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)");   \
			return;                                                   \
		}                                                                 \
	} while (0)

/* Capture what the code under test writes to stderr (its log): between
 * check_capture_start() and check_capture_end(), stderr goes to a temporary file; the end
 * restores it and returns the text, also kept in check_log. CHECK_LOG(needle) checks it. */
extern char check_log[16384];
void check_capture_start(void);
const char *check_capture_end(void);

#define CHECK_LOG(needle)                                                         \
	do {                                                                      \
		if (!strstr(check_log, needle)) {                                 \
			check_fail(__FILE__, __LINE__, "log lacks \"%s\"; log: %s", \
				   needle, check_log);                            \
			return;                                                   \
		}                                                                 \
	} while (0)

#endif
