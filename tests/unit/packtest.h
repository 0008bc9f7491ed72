/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers for the dvm-pack unit tests: temporary directories (removed at exit), files,
 * fake kernel modules (tiny ELF64 relocatables with a .modinfo section, optionally
 * gzip'd), and building an archive into memory. */
#ifndef DVM_PACKTEST_H
#define DVM_PACKTEST_H
#include <stddef.h>
#include <stdint.h>
#include "spec.h"
#include "stream.h"	/* struct membuf, membuf_sink */

/* A fresh directory under $TMPDIR, removed with everything in it at exit. */
char *pt_tmpdir(void);
/* Write `len` bytes (len -1: strlen) to dir/rel, creating parent directories;
 * returns the path (malloc'd). */
char *pt_write(const char *dir, const char *rel, const void *data, long len);
/* An ELF64 module image whose .modinfo holds `info` (NUL-separated "key=value"
 * strings, `len` bytes); returns its size. buf must hold len + 512 bytes. */
size_t pt_ko_image(unsigned char *buf, const char *info, size_t len);
/* Write such a module to dir/rel (gzip-compressed when gz); returns the path. */
char *pt_write_ko(const char *dir, const char *rel, const char *info, size_t len, int gz);
/* spec_finish + archive_write into memory. 0 or -1. */
int pt_build(struct spec *s, uint32_t mtime, int gzip, struct membuf *out);
/* Parse spec text (as file fname) into a fresh spec with the given module dirs; returns
 * the result of parsing and finishing, with perr messages kept out of stderr. */
int pt_parse(struct spec *s, const char *fname, const char *text, char **dirs, int ndirs);

#endif
