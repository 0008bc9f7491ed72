/* SPDX-License-Identifier: BSD-2-Clause */
/* A fake /sys/class/uio + /dev tree in a temporary directory, for core/uio and the
 * uio_blk binding tests (DVM_UIO_ROOT / the root argument point at it). */
#ifndef TEST_FAKE_SYSFS_H
#define TEST_FAKE_SYSFS_H
#include <stdint.h>

/* A fresh empty root (mkdtemp); returns its path. */
const char *fake_root(void);
/* Write a file under the root, creating its directories. */
void fake_write(const char *rel, const char *content);
/* Device uioN named `name`; dev/uioN is a regular file of `bytes` (maps) or, with fifo,
 * a FIFO with the maps in dev/uioN.maps. */
void fake_dev(int n, const char *name, uint64_t bytes, int fifo);
/* Map M of uioN in sysfs (name NULL: no name attribute). */
void fake_map(int n, int m, const char *name, uint64_t addr, uint64_t size, uint64_t offset);
/* The device-tree compatible of uioN: "generic-uio", second (second NULL: only
 * "generic-uio"), NUL-separated as sysfs shows it. */
void fake_compatible(int n, const char *second);
/* A per-region device: uioN named `node` (sysfs name), compatible "generic-uio",
 * `region`, with one map of `size` bytes at addr (size 0: no map, an interrupt-only
 * node), backed by a regular file. */
void fake_region(int n, const char *node, const char *region, uint64_t addr, uint64_t size);
/* Remove the whole tree. */
void fake_cleanup(void);
#endif
