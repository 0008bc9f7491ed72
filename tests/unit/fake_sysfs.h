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
/* Remove the whole tree. */
void fake_cleanup(void);
#endif
