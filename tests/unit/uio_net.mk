# SPDX-License-Identifier: BSD-2-Clause
# Unit tests of the uio_net driver's core (queues, translation, RX, TX, binding).
NET_CORE := drivers/uio_net/queue.c drivers/uio_net/xlate.c drivers/uio_net/rx.c \
	drivers/uio_net/tx.c drivers/uio_net/stats.c drivers/uio_net/bind.c drivers/uio_net/passing.c core/iomem.c \
	core/uio.c core/log.c core/cmdline.c tests/unit/net_peer.c

UNIT_TESTS += test_uio_net
test_uio_net_SRCS := tests/unit/test_uio_net.c tests/unit/fake_sysfs.c $(NET_CORE)
test_uio_net_LIBS := -lpthread
