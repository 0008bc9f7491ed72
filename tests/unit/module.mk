# SPDX-License-Identifier: BSD-2-Clause
# Unit tests for module loading (core/module.c) and mount options (core/mountopt.c).
UNIT_TESTS += test_module
test_module_SRCS := tests/unit/test_module.c core/module.c core/inflate.c core/modinfo.c core/cmdline.c core/log.c
test_module_LIBS := -lz
UNIT_TESTS += test_mountopt
test_mountopt_SRCS := tests/unit/test_mountopt.c core/mountopt.c core/log.c core/cmdline.c
