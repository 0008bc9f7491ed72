# SPDX-License-Identifier: BSD-2-Clause
# `make bench`, network part (not part of the test suite): boots the network driver VM
# once; netbench (a static musl aarch64 program, not part of dvm) measures raw AF_PACKET
# receive and send in the guest, then uio_net serves the sDDF queues and vmm-sim pushes
# the same frames through them, printing both with their ratio (tests/bench/net.sh).
.PHONY: bench-net netbench
bench: bench-net

ifeq ($(ARCH),arm64)
netbench: $(B)/netbench
$(B)/netbench: tests/bench/netbench.c | $(B)/kinc
	@echo "  CC      $@"
	$(Q)$(CC_DVM) $(COMMON_CFLAGS) $(ARCH_CFLAGS) -idirafter $(B)/kinc $(DVM_LDFLAGS) -o $@ $<
endif

bench-net: vmm-sim host-pack
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 dvm netbench
	$(Q)BUILD=$(BUILD) tests/bench/net.sh
