// SPDX-License-Identifier: BSD-2-Clause
/* modules.builtin lookups (core/modbuiltin.c): kernel-format paths, '-'/'_'
 * equivalence, no partial-name matches, a last line without newline, a missing file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "check.h"
#include "fake_sysfs.h"
#include "modbuiltin.h"

TEST(builtin_found_by_name)
{
	const char *root = fake_root();

	fake_write("modules.builtin", "kernel/drivers/uio/uio.ko\n"
				      "kernel/drivers/uio/uio_pdrv_genirq.ko\n"
				      "kernel/drivers/virtio/virtio-mmio.ko");
	CHECK_INT(module_builtin(root, "uio"), 1);
	CHECK_INT(module_builtin(root, "uio_pdrv_genirq"), 1);
	CHECK_INT(module_builtin(root, "uio-pdrv-genirq"), 1);
	CHECK_INT(module_builtin(root, "virtio_mmio"), 1);	/* last line, no newline */
	CHECK_INT(module_builtin(root, "uio_pdrv"), 0);
	CHECK_INT(module_builtin(root, "genirq"), 0);
	CHECK_INT(module_builtin(root, "virtio_blk"), 0);
	CHECK_INT(module_builtin(root, "ui"), 0);
	fake_cleanup();
}

TEST(builtin_missing_file)
{
	const char *root = fake_root();

	CHECK_INT(module_builtin(root, "uio"), -ENOENT);
	fake_cleanup();
}

/* A name past the first read()'s 4 KiB: lines straddling the buffer are joined. */
TEST(builtin_long_file)
{
	static char text[20000];
	const char *root = fake_root();
	size_t n = 0;

	for (int i = 0; i < 400; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "kernel/fs/f%03d/mod%03d.ko\n", i, i);
	fake_write("modules.builtin", text);
	CHECK_INT(module_builtin(root, "mod000"), 1);
	CHECK_INT(module_builtin(root, "mod170"), 1);
	CHECK_INT(module_builtin(root, "mod171"), 1);
	CHECK_INT(module_builtin(root, "mod399"), 1);
	CHECK_INT(module_builtin(root, "mod400"), 0);
	fake_cleanup();
}
