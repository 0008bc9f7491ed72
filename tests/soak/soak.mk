# SPDX-License-Identifier: BSD-2-Clause
# `make soak` (not part of the test suite): the block and network end-to-end workloads
# again and again with fresh random seeds for SOAK_MINUTES (10), each run printed with
# its seed and the command that replays it, then a summary (tests/soak/soak.sh;
# docs/testing.md). The default suite runs fixed seeds only.
.PHONY: soak
SOAK_MINUTES ?= 10

soak: vmm-sim host-pack
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 dvm
	$(Q)BUILD=$(BUILD) SOAK_MINUTES=$(SOAK_MINUTES) tests/soak/soak.sh
