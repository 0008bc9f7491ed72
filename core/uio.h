/* SPDX-License-Identifier: BSD-2-Clause */
/* Linux UIO devices (uio_pdrv_genirq with generic-uio device-tree nodes) shared by the
 * driver applets: find a device by its name (/sys/class/uio/uioN/name, from
 * linux,uio-name), read its maps from sysfs and mmap them, wait for and re-enable its
 * interrupt.
 * Paths are taken under a root prefix ($DVM_UIO_ROOT, normally empty) so tests and a
 * host-side simulator can use a fake tree: regular files for the sysfs attributes, and
 * for /dev/uioN either a regular file holding map M at offset M * pagesize as the kernel
 * does (maps only, no interrupt), or a FIFO: then a simulator writes a u32 to the FIFO to
 * raise the interrupt, interrupt-control writes (s32 1 / 0) are appended to
 * /dev/uioN.ctl (created when missing), and the maps come from the regular file
 * /dev/uioN.maps at file offset = their physical address (sysfs addr), like /dev/mem, so
 * maps of any size never overlap and several devices can share one (sparse) file. */
#ifndef DVM_UIO_H
#define DVM_UIO_H
#include <stdint.h>
#include <stddef.h>

#define UIO_MAX_MAPS 5 /* the kernel's MAX_UIO_MAPS */
#define UIO_NAME_MAX 64

struct uio_map {
	char name[UIO_NAME_MAX];  /* reg-names entry; "" or the node name when unnamed */
	uint64_t addr, size;      /* physical address and size (sysfs) */
	uint64_t offset;          /* offset of addr in its page (sysfs) */
	volatile uint8_t *mem;    /* the region: mapping + offset */
	void *base;               /* the mapping, for munmap */
	size_t len;
};

struct uio_dev {
	int fd;     /* /dev/uioN: read for interrupts */
	int ctl_fd; /* write for interrupt control: fd, or /dev/uioN.ctl in a fake tree */
	int num; /* N of uioN */
	char name[UIO_NAME_MAX];
	int nmaps;
	struct uio_map map[UIO_MAX_MAPS];
};

/* $DVM_UIO_ROOT, or "" for the real /sys and /dev. */
const char *uio_root(void);

/* Numbers N of the devices named `name`, ascending, at most max of them; returns how many
 * there are (may exceed max), or -1 (logged) when /sys/class/uio cannot be read. */
int uio_find(const char *root, const char *name, int *nums, int max);

/* The per-region binding (docs/binding-blk.md, binding-net.md): one region per UIO
 * device, identified by its region name: the second string of the node's compatible
 * ("generic-uio\0<name>", read from device/of_node/compatible), else the sysfs name
 * (linux,uio-name, or the node name). Stores it in buf (n bytes); "" when unreadable. */
void uio_region_name(const char *root, int num, char *buf, size_t n);
/* As uio_find, matching region names. */
int uio_find_region(const char *root, const char *name, int *nums, int max);
/* Open (O_NONBLOCK) the one device whose region name is prefix + name, checking it has
 * exactly `maps` maps. Returns 1 when opened, 0 when there is none and it is not
 * required, -1 (logged: missing, duplicates, wrong map count, name over 31 characters,
 * open errors). */
int uio_open_region(struct uio_dev *d, const char *root, const char *prefix,
		    const char *name, int maps, int required);

/* Open /dev/uioN (O_RDWR | O_CLOEXEC | flags), read its name and maps from sysfs and mmap
 * every map. Returns 0, or -1 after logging what failed (path, value, errno); d is then
 * closed. */
int uio_open(struct uio_dev *d, const char *root, int num, int flags);
void uio_close(struct uio_dev *d);

/* Index of the map named `name`, or -1. */
int uio_map_index(const struct uio_dev *d, const char *name);

/* Choosing maps: each wanted map has a reg-names name and an index to use when the
 * device's maps are unnamed. If any map of d carries one of the wanted names, every
 * wanted map is looked up by name (idx = -1 when absent); otherwise each gets its
 * fallback index (-1 when the device has no such map). Returns 1 (by name) or 0. */
struct uio_want {
	const char *name;
	int fallback;
	int idx;
};
int uio_pick_maps(const struct uio_dev *d, struct uio_want *w, int n);

/* Wait for an interrupt: a blocking read of the u32 event count (EINTR retried; an
 * O_NONBLOCK fd is polled). Returns 0 and stores the count, or -errno. */
int uio_wait(int fd, uint32_t *count);
/* Re-enable (write s32 1) or disable (s32 0) the interrupt, through ctl_fd. With
 * uio_pdrv_genirq the write changes the IRQ state only when it differs. 0 or -errno. */
int uio_irq_enable(int fd);
int uio_irq_disable(int fd);
/* Read pending interrupt events without blocking: returns how many reads succeeded
 * (0 when none was pending), or -errno. */
int uio_drain(int fd);

/* Which maps of uioN dvm_uio (kernel/dvm_uio) maps page-backed, i.e. cacheable and
 * usable for direct I/O: bit i for map i, from /sys/class/uio/uioN/version
 * ("dvm_uio pages=0xM"). 0 under any other driver (uio_pdrv_genirq: every map is
 * Device memory) and when the string is unreadable or malformed. */
unsigned uio_pages(const char *root, int num);

/* Parse a sysfs map number: 64-bit hexadecimal, "0x" optional, one trailing newline
 * allowed. 0 on success, -1 on anything else (empty, junk, more than 64 bits). */
int uio_parse_hex(const char *s, uint64_t *v);

#endif
