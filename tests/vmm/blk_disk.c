// SPDX-License-Identifier: BSD-2-Clause
/* The disk image and its model; see blk_disk.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "blk_disk.h"
#include "blk_proto.h"
#include "util.h"

uint64_t rnd_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dull;
}

void rnd_fill(uint64_t *s, uint8_t *p, uint64_t n)
{
	uint64_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t x = rnd_next(s);
		memcpy(p + i, &x, 8);
	}
	for (; i < n; i++)
		p[i] = (uint8_t)rnd_next(s);
}

void disk_create(struct disk *d, const char *dir, uint64_t size, uint64_t seed)
{
	uint64_t s = seed | 1;

	memset(d, 0, sizeof(*d));
	if (!size || size % BLK_XFER)
		die("disk size %llu is not a positive multiple of 4 KiB", (unsigned long long)size);
	d->size = size;
	d->nblk = size / BLK_XFER;
	snprintf(d->path, sizeof(d->path), "%s/disk.img", dir);
	d->fd = open(d->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (d->fd < 0)
		die("cannot create %s: %s", d->path, strerror(errno));
	cleanup_file(d->path);
	d->model = malloc(size);
	if (!d->model)
		die("out of memory for a %llu MiB disk model", (unsigned long long)size >> 20);
	rnd_fill(&s, d->model, size);
	for (uint64_t off = 0; off < size;) {
		ssize_t n = pwrite(d->fd, d->model + off, size - off > (1 << 20) ? 1 << 20 : size - off,
				   (off_t)off);
		if (n <= 0)
			die("cannot write %s: %s", d->path, n ? strerror(errno) : "short write");
		off += (uint64_t)n;
	}
	d->wsub = xzalloc(d->nblk * sizeof(*d->wsub));
	d->dirty = xzalloc(d->nblk * sizeof(*d->dirty));
	d->isdirty = xzalloc(d->nblk);
	d->cepoch = xzalloc(d->nblk * sizeof(*d->cepoch));
	d->rcnt = xzalloc(d->nblk * sizeof(*d->rcnt));
	d->wcnt = xzalloc(d->nblk);
}

/* Counters left by an older epoch no longer apply: requests of a later epoch start
 * only after the barrier between them completed. */
static void epoch_sync(struct disk *d, uint64_t b, uint32_t epoch)
{
	if (d->cepoch[b] != epoch) {
		d->cepoch[b] = epoch;
		d->rcnt[b] = 0;
		d->wcnt[b] = 0;
	}
}

int disk_conflict(struct disk *d, int write, uint64_t blk, uint32_t n, uint32_t epoch)
{
	for (uint64_t b = blk; b < blk + n; b++) {
		epoch_sync(d, b, epoch);
		if (d->wcnt[b] || (write && d->rcnt[b]))
			return 1;
	}
	return 0;
}

void disk_busy(struct disk *d, int write, uint64_t blk, uint32_t n, uint32_t epoch)
{
	for (uint64_t b = blk; b < blk + n; b++) {
		epoch_sync(d, b, epoch);
		if (write)
			d->wcnt[b]++;
		else
			d->rcnt[b]++;
	}
}

void disk_unbusy(struct disk *d, int write, uint64_t blk, uint32_t n, uint32_t epoch)
{
	for (uint64_t b = blk; b < blk + n; b++) {
		if (d->cepoch[b] != epoch)
			continue; /* a later epoch reset the counters */
		if (write)
			d->wcnt[b]--;
		else
			d->rcnt[b]--;
	}
}

void disk_write_submitted(struct disk *d, uint64_t blk, uint32_t n, const uint8_t *data,
			  uint64_t seq)
{
	memcpy(d->model + blk * BLK_XFER, data, (size_t)n * BLK_XFER);
	for (uint64_t b = blk; b < blk + n; b++) {
		d->wsub[b] = seq;
		if (!d->isdirty[b]) {
			d->isdirty[b] = 1;
			d->dirty[d->ndirty++] = (uint32_t)b;
		}
	}
}

void disk_read_image(struct disk *d, uint64_t blk, uint32_t n, uint8_t *buf)
{
	size_t len = (size_t)n * BLK_XFER;
	ssize_t r = pread(d->fd, buf, len, (off_t)(blk * BLK_XFER));

	if (r != (ssize_t)len)
		die("cannot read %s at block %llu: %s", d->path, (unsigned long long)blk,
		    r < 0 ? strerror(errno) : "short read");
}

static uint64_t first_diff(const uint8_t *a, const uint8_t *b, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return i;
	return n;
}

int disk_check_durable(struct disk *d, uint64_t seq, char *why, int whylen)
{
	uint8_t buf[BLK_XFER];
	uint32_t keep = 0;
	int bad = 0;

	for (uint32_t i = 0; i < d->ndirty; i++) {
		uint32_t b = d->dirty[i];

		if (d->wsub[b] > seq) {
			d->dirty[keep++] = b; /* written again after this FLUSH: a later one */
			continue;
		}
		d->isdirty[b] = 0;
		d->checked++;
		disk_read_image(d, b, 1, buf);
		if (memcmp(buf, d->model + (uint64_t)b * BLK_XFER, BLK_XFER)) {
			if (!bad++)
				snprintf(why, whylen, "block %u differs in the image at byte %llu (its "
					 "latest WRITE was submitted before)", b,
					 (unsigned long long)first_diff(buf, d->model + (uint64_t)b * BLK_XFER,
									BLK_XFER));
		}
	}
	d->ndirty = keep;
	return bad;
}

int disk_compare_all(struct disk *d, char *why, int whylen)
{
	static uint8_t buf[1 << 20];

	for (uint64_t off = 0; off < d->size; off += sizeof(buf)) {
		uint64_t n = d->size - off < sizeof(buf) ? d->size - off : sizeof(buf);

		if (pread(d->fd, buf, n, (off_t)off) != (ssize_t)n)
			die("cannot read %s: %s", d->path, strerror(errno));
		if (memcmp(buf, d->model + off, n)) {
			uint64_t i = first_diff(buf, d->model + off, n);

			snprintf(why, whylen, "the image differs from the model at byte %llu (block %llu)",
				 (unsigned long long)(off + i), (unsigned long long)((off + i) / BLK_XFER));
			return -1;
		}
	}
	return 0;
}

void disk_reload(struct disk *d)
{
	for (uint64_t off = 0; off < d->size;) {
		ssize_t n = pread(d->fd, d->model + off, d->size - off, (off_t)off);

		if (n <= 0)
			die("cannot read %s: %s", d->path, n ? strerror(errno) : "short read");
		off += (uint64_t)n;
	}
}

void disk_resync(struct disk *d, uint64_t blk, uint32_t n)
{
	disk_read_image(d, blk, n, d->model + blk * BLK_XFER);
}
