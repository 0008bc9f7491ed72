/* SPDX-License-Identifier: BSD-2-Clause */
/* The disk behind the driver VM's /dev/vda: a raw image file the simulator fills with
 * known random content before boot, and the host's model of what it must hold. The model
 * follows WRITEs in submission order; per-block bookkeeping says which requests may run
 * at once (no overlap with a WRITE inside one barrier epoch) and which blocks a FLUSH or
 * BARRIER must have made durable, so the image file can be checked when they answer. */
#ifndef VMM_BLK_DISK_H
#define VMM_BLK_DISK_H
#include <stdint.h>

struct disk {
	char path[256];
	int fd;
	uint64_t size, nblk;    /* bytes; 4 KiB blocks */
	uint8_t *model;
	uint64_t *wsub;         /* per block: submission seq of its latest WRITE (0: none) */
	uint32_t *dirty;        /* blocks written but not yet seen durable */
	uint8_t *isdirty;
	uint32_t ndirty;
	uint32_t *cepoch;       /* conflict counters below belong to this epoch */
	uint16_t *rcnt;         /* READs in flight on the block (in cepoch) */
	uint8_t *wcnt;          /* WRITEs in flight on the block (in cepoch) */
	uint64_t checked;       /* blocks verified in the image after FLUSHes */
};

/* Create DIR/disk.img of size bytes filled from the seed; the model starts equal. */
void disk_create(struct disk *d, const char *dir, uint64_t size, uint64_t seed);

/* 1 if [blk, blk+n) may not start now in epoch: a WRITE in flight on it in the same
 * epoch, or (for a WRITE) a READ. */
int disk_conflict(struct disk *d, int write, uint64_t blk, uint32_t n, uint32_t epoch);
void disk_busy(struct disk *d, int write, uint64_t blk, uint32_t n, uint32_t epoch);
void disk_unbusy(struct disk *d, int write, uint64_t blk, uint32_t n, uint32_t epoch);

/* A WRITE of data to [blk, blk+n) was submitted as event seq. */
void disk_write_submitted(struct disk *d, uint64_t blk, uint32_t n, const uint8_t *data,
			  uint64_t seq);

/* A FLUSH or BARRIER submitted as event seq answered OK. uio_blk starts them once every
 * earlier WRITE has completed and syncs (docs/uio_blk.md), so every block whose latest
 * WRITE was submitted before seq must now be in the image. (A weaker driver would only
 * promise this for WRITEs answered before the FLUSH was submitted.) Returns the number of
 * blocks found wrong (the first one described in why). */
int disk_check_durable(struct disk *d, uint64_t seq, char *why, int whylen);

/* Compare the whole image with the model; 0, or -1 with the first difference in why. */
int disk_compare_all(struct disk *d, char *why, int whylen);

/* Take the image file as the model again (after something else wrote the disk). */
void disk_reload(struct disk *d);

/* Take [blk, blk+n) of the image as the model (after a WRITE failed part-way). */
void disk_resync(struct disk *d, uint64_t blk, uint32_t n);

/* Read [blk, blk+n) of the image file into buf. */
void disk_read_image(struct disk *d, uint64_t blk, uint32_t n, uint8_t *buf);

/* Random bytes from a xorshift generator (the simulator's one PRNG). */
uint64_t rnd_next(uint64_t *s);
void rnd_fill(uint64_t *s, uint8_t *p, uint64_t n);

#endif
