# SPDX-License-Identifier: BSD-2-Clause
# vmm-sim: the host-side VMM + sDDF virtualiser simulator for end-to-end tests and the
# bench (docs/testing.md). A host tool built with the host gcc (glibc) and libfdt by
# path; not part of dvm. Common parts (util, shm, dtb, qemu, qtest, doorbell, main) are
# shared by device classes; blk_* is the block class.
VMM_SRCS := $(wildcard tests/vmm/*.c)
# -Wno-format-zero-length: pass(NAME, "") is how a check without details reports.
VMM_CFLAGS := -std=gnu11 $(WARN) -Wno-format-zero-length -O2 -g -D_GNU_SOURCE
VMM_LIBS := /usr/lib/$(shell gcc -dumpmachine)/libfdt.a

.PHONY: vmm-sim
vmm-sim: $(HB)/vmm-sim
$(HB)/vmm-sim: $(VMM_SRCS) $(wildcard tests/vmm/*.h)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)gcc $(VMM_CFLAGS) -o $@ $(VMM_SRCS) $(VMM_LIBS)
