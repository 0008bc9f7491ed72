# Unit tests of dvm-pack's guest memory layout (pack/layout*, image, place, dtb*, memmap).
# libfdt is linked statically by path, as in dvm-pack.
LAYOUT_FDT := /usr/lib/$(shell gcc -dumpmachine)/libfdt.a
UNIT_TESTS += test_layout_image test_layout_place test_layout_dtb
test_layout_image_SRCS := tests/unit/test_layout_image.c pack/image.c pack/util.c
test_layout_place_SRCS := tests/unit/test_layout_place.c pack/place.c pack/image.c \
	pack/memmap.c pack/memsvg.c pack/vmmhdr.c pack/sdf.c pack/numarg.c pack/stub.c pack/util.c
test_layout_dtb_SRCS := tests/unit/test_layout_dtb.c pack/dtbload.c pack/dtbscan.c \
	pack/fdtpatch.c pack/util.c
test_layout_dtb_LIBS := $(LAYOUT_FDT)
