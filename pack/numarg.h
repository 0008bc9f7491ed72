/* SPDX-License-Identifier: BSD-2-Clause */
/* Sizes and addresses on dvm-pack's command line: "0x40000000", "1073741824", "64M",
 * "512K", "1G", "2m". */
#ifndef PACK_NUMARG_H
#define PACK_NUMARG_H
#include <stdint.h>

/* Parse a size or address: decimal or 0x hex, optionally followed by K, M or G
 * (binary: KiB, MiB, GiB; either case). Returns 0, or -1 after perr() naming `what`
 * and the value. */
int parse_size(const char *s, const char *what, uint64_t *v);

/* "32 MiB", "7.4 KiB", "123 bytes": a size for people (exact when a whole unit). */
const char *human_size(uint64_t n, char buf[32]);

#endif
