/* SPDX-License-Identifier: BSD-2-Clause */
/* Writing the entries of a parsed spec as a newc archive. */
#ifndef PACK_ARCHIVE_H
#define PACK_ARCHIVE_H
#include <stdint.h>
#include "spec.h"
#include "stream.h"

/* Every entry in order, then the trailer. Inode numbers count from 1 in archive order
 * (a hard-link group shares its first name's); every entry gets `mtime`. File contents
 * are streamed from their source files, which must still have the size seen when the
 * spec was parsed. Returns 0 or -1 (reported). */
int archive_write(const struct spec *s, uint32_t mtime, struct ostream *os);

#endif
