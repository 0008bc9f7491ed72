# SPDX-License-Identifier: BSD-2-Clause
# Unit tests for core/ pieces owned by no single area.
UNIT_TESTS += test_cmdline
test_cmdline_SRCS := tests/unit/test_cmdline.c core/cmdline.c tests/unit/fake_sysfs.c
UNIT_TESTS += test_modinfo
test_modinfo_SRCS := tests/unit/test_modinfo.c core/modinfo.c
UNIT_TESTS += test_fmt
test_fmt_SRCS := tests/unit/test_fmt.c core/fmt.c
UNIT_TESTS += test_malloc
test_malloc_SRCS := tests/unit/test_malloc.c core/malloc.c
UNIT_TESTS += test_strtol
test_strtol_SRCS := tests/unit/test_strtol.c core/strtol.c
UNIT_TESTS += test_strcspn
test_strcspn_SRCS := tests/unit/test_strcspn.c core/strcspn.c
UNIT_TESTS += test_modbuiltin
test_modbuiltin_SRCS := tests/unit/test_modbuiltin.c core/modbuiltin.c core/cmdline.c \
	tests/unit/fake_sysfs.c
UNIT_TESTS += test_memmove
test_memmove_SRCS := tests/unit/test_memmove.c core/memmove.c
UNIT_TESTS += test_inflate
test_inflate_SRCS := tests/unit/test_inflate.c core/inflate.c
test_inflate_LIBS := -lz
