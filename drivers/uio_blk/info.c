// SPDX-License-Identifier: BSD-2-Clause
/* The backing device: open it (O_DIRECT when it allows, read-only when asked or when it
 * refuses writers), learn its geometry from the block ioctls and its serial number from
 * sysfs, and publish all of that as sDDF storage info before setting `ready`. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "blk.h"
#include "iomem.h"
#include "log.h"

static int open_dev(const char *path, int flags, int buffered, int *direct)
{
	int fd = -1;

	if (!buffered) {
		fd = open(path, flags | O_DIRECT);
		/* tmpfs and some file systems refuse O_DIRECT with EINVAL */
		if (fd >= 0)
			*direct = 1;
		else if (errno != EINVAL)
			return -1;
	}
	if (fd < 0)
		fd = open(path, flags);
	return fd;
}

/* The serial number from sysfs: the disk's own attribute, its device's, or (for a
 * partition) its parent disk's. Stored without trailing whitespace, NUL-padded, at most
 * 63 characters so it stays a C string. */
void blk_read_serial(char serial[64], const char *root, unsigned maj, unsigned min)
{
	static const char *const where[] = { "serial", "device/serial", "../serial",
					     "../device/serial" };
	char path[256], buf[128];

	for (unsigned i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		int fd, n;

		snprintf(path, sizeof(path), "%s/sys/dev/block/%u:%u/%s", root, maj, min, where[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = (int)read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ' || buf[n - 1] == '\t' ||
				 buf[n - 1] == 0))
			n--;
		if (!n)
			continue;
		if (n > 63)
			n = 63;
		memset(serial, 0, 64);
		memcpy(serial, buf, (size_t)n);
		return;
	}
}

static uint16_t units(uint64_t bytes)
{
	uint64_t u = bytes / BLK_TRANSFER_SIZE;
	return u < 1 ? 1 : u > 0xffff ? 0xffff : (uint16_t)u;
}

int blk_dev_open(struct blk_dev *d, const char *path, int read_only, int buffered,
		 const char *root)
{
	struct stat st;
	uint64_t bytes;

	memset(d, 0, sizeof(*d));
	d->read_only = read_only ? 1 : 0;
	d->fd = open_dev(path, (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC, buffered, &d->direct);
	if (d->fd < 0 && !read_only && (errno == EROFS || errno == EACCES || errno == EPERM)) {
		warn("%s: %m: read-only", path);
		d->read_only = 1;
		d->fd = open_dev(path, O_RDONLY | O_CLOEXEC, buffered, &d->direct);
	}
	if (d->fd < 0) {
		err("cannot open %s: %m", path);
		return -1;
	}
	if (fstat(d->fd, &st))
		goto bad;
	if (S_ISBLK(st.st_mode)) {
		int ssz = 0, ro = 0;
		unsigned opt = 0, pbsz = 0;

		if (ioctl(d->fd, BLKGETSIZE64, &bytes) || ioctl(d->fd, BLKSSZGET, &ssz))
			goto bad;
		if (ioctl(d->fd, BLKROGET, &ro) == 0 && ro)
			d->read_only = 1;
		if (ioctl(d->fd, BLKIOOPT, &opt))
			opt = 0;
		if (ioctl(d->fd, BLKPBSZGET, &pbsz))
			pbsz = 0;
		d->sector_size = ssz > 0 && ssz <= 0xffff ? (uint16_t)ssz : 512;
		d->block_size = units(opt ? opt : pbsz);
		blk_read_serial(d->serial, root, major(st.st_rdev), minor(st.st_rdev));
	} else if (S_ISREG(st.st_mode)) {
		bytes = (uint64_t)st.st_size;
		d->sector_size = 512;
		d->block_size = units((uint64_t)st.st_blksize);
	} else {
		err("%s: not a block device or file", path);
		close(d->fd);
		return -1;
	}
	d->capacity = bytes / BLK_TRANSFER_SIZE;
	if (bytes % BLK_TRANSFER_SIZE)
		warn("%s: last %u bytes unused (size not a multiple of 4096)", path,
		     (unsigned)(bytes % BLK_TRANSFER_SIZE));
	info("%s: %llu blocks%s%s", path, (unsigned long long)d->capacity,
	     d->read_only ? ", read-only" : "", d->direct ? ", direct" : "");
	return 0;
bad:
	err("%s: size: %m", path);
	close(d->fd);
	return -1;
}

void blk_info_publish(volatile uint8_t *info, const struct blk_dev *d, uint16_t queue_depth)
{
	blk_storage_info_t si;
	size_t ready = offsetof(blk_storage_info_t, ready);

	memset(&si, 0, sizeof(si));
	memcpy(si.serial_number, d->serial, sizeof(si.serial_number));
	si.read_only = d->read_only;
	si.sector_size = d->sector_size;
	si.block_size = d->block_size;
	si.queue_depth = queue_depth;
	si.capacity = d->capacity; /* geometry stays 0: not known for these devices */
	/* Everything but `ready`, which may still be 1 from a previous instance: readers
	 * treat Ready->Ready as Not-Ready->Ready (sDDF design doc). */
	iomem_copy(info, &si, ready);
	iomem_copy(info + ready + 1, (uint8_t *)&si + ready + 1, sizeof(si) - ready - 1);
	io_store8_rel(info + ready, 1);
}
