# SPDX-License-Identifier: BSD-2-Clause
# The uio_net fuzz target (see fuzz.mk): descriptor processing against a hostile peer.
FUZZ_TARGETS += uio_net
fuzz_uio_net_SRCS := tests/fuzz/fuzz_uio_net.c tests/unit/net_peer.c \
	drivers/uio_net/queue.c drivers/uio_net/xlate.c drivers/uio_net/rx.c \
	drivers/uio_net/tx.c drivers/uio_net/stats.c core/iomem.c core/log.c core/cmdline.c
