# SPDX-License-Identifier: BSD-2-Clause
# Unit tests of dvm-pack (pack/): spec parser, cpio writer, module resolver, reader.
PACK_TEST_SRCS := tests/unit/packtest.c pack/initramfs/spec.c pack/initramfs/modules.c pack/initramfs/archive.c \
	pack/initramfs/cpio.c pack/initramfs/stream.c pack/util.c pack/initramfs/list.c core/modinfo.c
UNIT_TESTS += test_pack_spec test_pack_cpio test_pack_modules test_pack_list
test_pack_spec_SRCS := tests/unit/test_pack_spec.c $(PACK_TEST_SRCS)
test_pack_spec_LIBS := -lz
test_pack_cpio_SRCS := tests/unit/test_pack_cpio.c $(PACK_TEST_SRCS)
test_pack_cpio_LIBS := -lz
test_pack_modules_SRCS := tests/unit/test_pack_modules.c $(PACK_TEST_SRCS)
test_pack_modules_LIBS := -lz
test_pack_list_SRCS := tests/unit/test_pack_list.c $(PACK_TEST_SRCS)
test_pack_list_LIBS := -lz
