# SPDX-License-Identifier: BSD-2-Clause
# kernel/kernel.mk: dvm's own arm64 driver-VM kernel (docs/kernel.md).
#   make kernel                        both profiles (base, lean), cached outside the clone
#   make kernel KERNEL_PROFILE=lean    one profile
#   make kernel KSRC=~/linux           from your own kernel tree instead of Debian's source
#   make kernel V=1                    kbuild's own lines (V=2: its commands)
#   make check-kernels                 the init and block-VM e2e suites on other kernels
#                                      (Debian 6.12; CHECK_KERNELS="debian-6.12 lean ...")
.PHONY: kernel check-kernels
KERNEL_PROFILE ?= base lean
kernel:
	kernel/build $(KERNEL_PROFILE)
check-kernels:
	kernel/check-kernels $(CHECK_KERNELS)
