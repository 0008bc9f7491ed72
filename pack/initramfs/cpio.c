// SPDX-License-Identifier: BSD-2-Clause
/* newc cpio header writing and reading; see cpio.h. */
#include <stdio.h>
#include <string.h>
#include "cpio.h"
#include "util.h"

static const char zeros[4];

static unsigned pad4(uint64_t n)
{
	return (unsigned)(-n & 3);
}

int cpio_write_header(struct ostream *os, const struct cpio_hdr *h, const char *name)
{
	char b[CPIO_HDR_LEN + 1];
	size_t nl = strlen(name) + 1;

	snprintf(b, sizeof(b),
		 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 h->ino, h->mode, h->uid, h->gid, h->nlink, h->mtime, h->filesize,
		 h->devmajor, h->devminor, h->rdevmajor, h->rdevminor, (unsigned)nl, h->check);
	if (os_write(os, b, CPIO_HDR_LEN) || os_write(os, name, nl))
		return -1;
	/* The header starts 4-aligned, so pad what header + name add up to. */
	return os_write(os, zeros, pad4(CPIO_HDR_LEN + nl));
}

int cpio_write_pad(struct ostream *os, uint64_t size)
{
	return os_write(os, zeros, pad4(size));
}

int cpio_write_trailer(struct ostream *os)
{
	struct cpio_hdr h = { .nlink = 1 };
	return cpio_write_header(os, &h, CPIO_TRAILER);
}

static int hex8(const char *p, uint32_t *v)
{
	uint32_t x = 0;
	for (int i = 0; i < 8; i++) {
		char c = p[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -1;
		x = x << 4 | d;
	}
	*v = x;
	return 0;
}

/* Bytes that must be there: an end of data here is a truncated archive. */
static int need(struct istream *is, void *buf, size_t n)
{
	int r = is_read_full(is, buf, n);
	if (r > 0)
		perr("%s: truncated archive (ends at byte %llu)", is->name,
		     (unsigned long long)is->pos);
	return r ? -1 : 0;
}

int cpio_read_header(struct istream *is, struct cpio_hdr *h, char *name)
{
	char b[CPIO_HDR_LEN];
	uint64_t at = is->pos;
	uint32_t *f[] = { &h->ino, &h->mode, &h->uid, &h->gid, &h->nlink, &h->mtime,
			  &h->filesize, &h->devmajor, &h->devminor, &h->rdevmajor,
			  &h->rdevminor, &h->namesize, &h->check };
	int r = is_read_full(is, b, sizeof(b));

	if (r == 1)
		perr("%s: archive ends at byte %llu without a %s entry", is->name,
		     (unsigned long long)at, CPIO_TRAILER);
	else if (r == 2)
		perr("%s: truncated archive (ends at byte %llu)", is->name,
		     (unsigned long long)is->pos);
	if (r)
		return -1;
	/* 070702 is the "crc" variant: same layout plus a checksum we need not verify. */
	if (memcmp(b, "070701", 6) && memcmp(b, "070702", 6)) {
		perr("%s: byte %llu: not a newc cpio header (magic '%.6s', expected 070701)",
		     is->name, (unsigned long long)at, b);
		return -1;
	}
	for (int i = 0; i < 13; i++) {
		if (hex8(b + 6 + 8 * i, f[i])) {
			perr("%s: byte %llu: bad hex digits in header field %d ('%.8s')",
			     is->name, (unsigned long long)at, i + 1, b + 6 + 8 * i);
			return -1;
		}
	}
	if (h->namesize < 2 || h->namesize > CPIO_NAME_MAX) {
		perr("%s: byte %llu: name size %u out of range (2..%d)", is->name,
		     (unsigned long long)at, h->namesize, CPIO_NAME_MAX);
		return -1;
	}
	if (need(is, name, h->namesize))
		return -1;
	if (name[h->namesize - 1] || memchr(name, 0, h->namesize - 1)) {
		perr("%s: byte %llu: name is not a NUL-terminated string of %u bytes", is->name,
		     (unsigned long long)at, h->namesize);
		return -1;
	}
	char pad[4];
	if (need(is, pad, pad4(CPIO_HDR_LEN + h->namesize)))
		return -1;
	return strcmp(name, CPIO_TRAILER) != 0;
}

int cpio_read_data(struct istream *is, const struct cpio_hdr *h, void *buf, size_t bufsz)
{
	uint64_t left = h->filesize;
	char tmp[4096];

	if (!buf)
		bufsz = 0;
	if (bufsz > left)
		bufsz = (size_t)left;
	if (need(is, buf, bufsz))
		return -1;
	left -= bufsz;
	while (left) {
		size_t n = left < sizeof(tmp) ? (size_t)left : sizeof(tmp);
		if (need(is, tmp, n))
			return -1;
		left -= n;
	}
	return need(is, tmp, pad4(h->filesize));
}
