/* SPDX-License-Identifier: BSD-2-Clause */
/* Reading a newc archive back: the listing behind `dvm-pack --list`. */
#ifndef PACK_LIST_H
#define PACK_LIST_H
#include <stdio.h>
#include <stdint.h>
#include "stream.h"

/* "drwxr-xr-x" for a mode, like ls -l (setuid/setgid/sticky as s/S, t/T). */
void mode_string(uint32_t mode, char out[11]);

/* One line per entry up to the trailer: MODE UID/GID SIZE NAME, then "-> TARGET" for
 * symlinks, "c MAJ,MIN" / "b MAJ,MIN" for devices. Returns 0 or -1 (reported). */
int archive_list(struct istream *is, FILE *out);

#endif
