# `make bench`, block part (not part of the test suite): boots the block driver VM once
# and prints the sDDF path's throughput next to the same patterns issued directly to
# /dev/vda in the guest (tests/bench/blk.sh; docs/testing.md). blkbench is the guest-side
# tool, a static musl aarch64 program that is not part of dvm.
.PHONY: bench-blk blkbench
bench: bench-blk

ifeq ($(ARCH),arm64)
blkbench: $(B)/blkbench
$(B)/blkbench: tests/bench/blkbench.c | $(B)/kinc
	@echo "  CC      $@"
	$(Q)$(CC_DVM) $(COMMON_CFLAGS) $(ARCH_CFLAGS) -idirafter $(B)/kinc $(DVM_LDFLAGS) -o $@ $<
endif

bench-blk: vmm-sim host-pack
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 dvm blkbench
	$(Q)BUILD=$(BUILD) tests/bench/blk.sh
