# SPDX-License-Identifier: BSD-2-Clause
# Unit tests of the uio_blk driver and the core pieces it brought (uio, iomem, uring).
BLK_CORE := drivers/uio_blk/serve.c drivers/uio_blk/xlate.c drivers/uio_blk/journal.c \
	drivers/uio_blk/bind.c drivers/uio_blk/info.c core/iomem.c core/uio.c core/log.c \
	core/cmdline.c core/lockfile.c tests/unit/blk_peer.c

UNIT_TESTS += test_iomem
test_iomem_SRCS := tests/unit/test_iomem.c core/iomem.c
UNIT_TESTS += test_uio
test_uio_SRCS := tests/unit/test_uio.c tests/unit/fake_sysfs.c core/uio.c core/uring.c core/log.c core/cmdline.c
UNIT_TESTS += test_blk_serve
test_blk_serve_SRCS := tests/unit/test_blk_serve.c $(BLK_CORE)
UNIT_TESTS += test_blk_run
test_blk_run_SRCS := tests/unit/test_blk_run.c tests/unit/fake_sysfs.c $(BLK_CORE) drivers/uio_blk/main.c \
	drivers/uio_blk/notify.c drivers/uio_blk/zc.c drivers/uio_blk/eng_sync.c drivers/uio_blk/eng_uring.c core/uring.c core/opt.c \
	core/sigfd.c
UNIT_TESTS += test_blk_order
test_blk_order_SRCS := tests/unit/test_blk_order.c $(BLK_CORE)
