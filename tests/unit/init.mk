# Unit tests for the init applet's config parser and restart arithmetic, signal names
# (core/signame.c) and sleep's duration parsing.
UNIT_TESTS += test_init_conf
test_init_conf_SRCS := tests/unit/test_init_conf.c applets/init/conf.c core/cmdline.c \
	core/module.c core/modinfo.c core/log.c
test_init_conf_LIBS := -lz
UNIT_TESTS += test_init_misc
test_init_misc_SRCS := tests/unit/test_init_misc.c applets/init/restart.c core/signame.c \
	applets/sleep.c core/log.c core/cmdline.c
