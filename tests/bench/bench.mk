# SPDX-License-Identifier: BSD-2-Clause
# `make bench`, block part (not part of the test suite): boots the block driver VM once
# and prints the sDDF path's throughput next to the same patterns issued directly to
# /dev/vda in the guest (tests/bench/blk.sh; docs/testing.md). blkbench is the guest-side
# tool, a static musl aarch64 program that is not part of dvm.
.PHONY: bench-blk blkbench bench-dvm
bench: bench-blk

# The bench's own dvm: the same sources plus the null device (drivers/uio_blk/eng_null.c,
# uio_blk --null-device), compiled with -DDVM_BENCH_NULLDEV in a build directory of its
# own, so that no object or binary of the normal build ever has it. The bench VM boots
# the normal dvm; blkbench starts this one only for the null-device runs.
BENCH_DVM_BUILD := $(BUILD)/bench-nulldev
bench-dvm:
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 BUILD=$(BENCH_DVM_BUILD) \
		EXTRA_CFLAGS=-DDVM_BENCH_NULLDEV dvm

ifeq ($(ARCH),arm64)
blkbench: $(B)/blkbench
$(B)/blkbench: tests/bench/blkbench.c | $(B)/kinc
	@echo "  CC      $@"
	$(Q)$(CC_DVM) $(COMMON_CFLAGS) $(ARCH_CFLAGS) -idirafter $(B)/kinc $(DVM_LDFLAGS) -o $@ $<
endif

bench-blk: vmm-sim host-pack
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 dvm blkbench
	$(Q)$(MAKE) --no-print-directory bench-dvm
	$(Q)BUILD=$(BUILD) BENCH_DVM=$(BENCH_DVM_BUILD)/arm64/dvm tests/bench/blk.sh
