/* SPDX-License-Identifier: BSD-2-Clause */
/* dvm-pack helpers: error reporting and allocation that never returns NULL. Errors are
 * reported once, where they are detected, with perr(); callers then just return -1.
 * The last message is kept in perr_last so unit tests can check it. */
#ifndef PACK_UTIL_H
#define PACK_UTIL_H
#include <stddef.h>

extern char perr_last[1024];	/* the last message, without "dvm-pack: " */
extern int perr_quiet;		/* 1: keep messages out of stderr (unit tests) */

void perr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A note, not an error ("dvm-pack: ..." on stderr too); kept in pnote_last. */
extern char pnote_last[1024];
void pnote(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Open an input file for reading without ever blocking in open() (a FIFO with no
 * writer would): only regular files are accepted. Returns the descriptor, or -1 with
 * the reason in input_error() ("No such file or directory", "a FIFO, not a regular
 * file", ...). "-" is not special here. */
int open_input(const char *path);
const char *input_error(void);

/* Read a whole regular file (at most max bytes; "-" reads standard input, whatever it
 * is) into a NUL-terminated buffer. Returns it, or NULL with the reason in
 * input_error() (and errno EFBIG when larger than max). */
char *read_file(const char *path, size_t max, size_t *len);

/* The option getopt_long just complained about (missing value or unknown), for the
 * message: "-o", "--ram-size". */
struct option;
const char *opt_named(int argc, char **argv, const struct option *opts, char buf[64]);

/* Parse an unsigned number in `base` (8 or 10) into *v, at most max. 0 or -1. */
int parse_uint(const char *s, int base, unsigned long long max, unsigned long long *v);

#endif
