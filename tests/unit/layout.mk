# SPDX-License-Identifier: BSD-2-Clause
# Unit tests of dvm-pack's guest memory layout (pack/layout*, image, place, dtb*, memmap).
# libfdt is linked statically by path, as in dvm-pack.
LAYOUT_FDT := /usr/lib/$(shell gcc -dumpmachine)/libfdt.a
UNIT_TESTS += test_layout_image test_layout_place test_layout_dtb
test_layout_image_SRCS := tests/unit/test_layout_image.c pack/layout/image.c pack/util.c
test_layout_place_SRCS := tests/unit/test_layout_place.c pack/layout/place.c pack/layout/image.c \
	pack/layout/memmap.c pack/layout/memsvg.c pack/layout/vmmhdr.c pack/layout/sdf.c pack/numarg.c pack/layout/stub.c pack/util.c
test_layout_dtb_SRCS := tests/unit/test_layout_dtb.c pack/layout/dtbload.c pack/layout/dtbscan.c \
	pack/layout/fdtpatch.c pack/util.c
test_layout_dtb_LIBS := $(LAYOUT_FDT)
