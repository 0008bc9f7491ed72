# SPDX-License-Identifier: BSD-2-Clause
# Unit tests for the init applet's config parser, restart arithmetic and wait directive,
# signal names (core/signame.c), sleep's duration parsing, and the applets' option
# helper (core/opt.c).
UNIT_TESTS += test_init_conf
test_init_conf_SRCS := tests/unit/test_init_conf.c applets/init/conf.c core/cmdline.c \
	core/module.c core/inflate.c core/modinfo.c core/log.c
test_init_conf_LIBS := -lz
UNIT_TESTS += test_init_misc
test_init_misc_SRCS := tests/unit/test_init_misc.c applets/init/restart.c core/signame.c \
	applets/sleep.c core/log.c core/cmdline.c
UNIT_TESTS += test_init_wait
test_init_wait_SRCS := tests/unit/test_init_wait.c applets/init/wait.c
UNIT_TESTS += test_opt
test_opt_SRCS := tests/unit/test_opt.c core/opt.c core/log.c core/cmdline.c
