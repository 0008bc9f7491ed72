/* SPDX-License-Identifier: BSD-2-Clause */
/* The newc cpio format ("070701"), as the kernel's initramfs unpacker reads it: a
 * 110-byte header of 13 eight-digit hex fields, the NUL-terminated name, zero padding to
 * a 4-byte boundary, the data, zero padding again; the archive ends with an entry named
 * TRAILER!!!. Names are stored without a leading '/'. Hard links share an inode number
 * and the data travels with the last of them (as GNU cpio and gen_init_cpio do). */
#ifndef PACK_CPIO_H
#define PACK_CPIO_H
#include <stdint.h>
#include "stream.h"

#define CPIO_HDR_LEN 110
#define CPIO_NAME_MAX 4096		/* PATH_MAX, NUL included: the kernel's limit */
#define CPIO_TRAILER "TRAILER!!!"

struct cpio_hdr {
	uint32_t ino, mode, uid, gid, nlink, mtime, filesize;
	uint32_t devmajor, devminor, rdevmajor, rdevminor, namesize, check;
};

/* Write a header and its name (namesize is taken from name), padded. */
int cpio_write_header(struct ostream *os, const struct cpio_hdr *h, const char *name);
/* Zero padding after `size` bytes of data. */
int cpio_write_pad(struct ostream *os, uint64_t size);
int cpio_write_trailer(struct ostream *os);

/* Read the next header and its name (name must hold CPIO_NAME_MAX bytes), leaving the
 * stream at the entry's data. Returns 1 entry, 0 trailer, -1 error (bad magic, bad hex
 * digits, bad name size, truncation: reported with the offset). */
int cpio_read_header(struct istream *is, struct cpio_hdr *h, char *name);
/* Read (into buf, when not NULL and big enough) or skip an entry's data and its padding. */
int cpio_read_data(struct istream *is, const struct cpio_hdr *h, void *buf, size_t bufsz);

#endif
