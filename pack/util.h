/* dvm-pack helpers: error reporting and allocation that never returns NULL. Errors are
 * reported once, where they are detected, with perr(); callers then just return -1.
 * The last message is kept in perr_last so unit tests can check it. */
#ifndef PACK_UTIL_H
#define PACK_UTIL_H
#include <stddef.h>

extern char perr_last[1024];	/* the last message, without "dvm-pack: " */
extern int perr_quiet;		/* 1: keep messages out of stderr (unit tests) */

void perr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Read a whole file (at most max bytes) into a NUL-terminated buffer. Returns it, or NULL
 * with errno set (EFBIG when larger than max). */
char *read_file(const char *path, size_t max, size_t *len);

/* Parse an unsigned number in `base` (8 or 10) into *v, at most max. 0 or -1. */
int parse_uint(const char *s, int base, unsigned long long max, unsigned long long *v);

#endif
