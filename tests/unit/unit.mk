# SPDX-License-Identifier: BSD-2-Clause
# Host unit tests, built twice: plain, and under ASan+UBSan. An area adds its tests in
# its own fragment (tests/unit/<area>.mk):
#   UNIT_TESTS += test_foo
#   test_foo_SRCS := tests/unit/test_foo.c core/foo.c
# check.c (the shared main) is linked into every test. Extra libraries: test_foo_LIBS.
UNIT_CC ?= gcc
UNIT_CFLAGS := -std=gnu11 $(WARN) -g -O1 -D_GNU_SOURCE -DDVM_UNIT_TEST -Icore -Ipack -Ipack/initramfs -Ipack/layout -Itests/unit -I$(HB)/gen
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

UNIT_BINS = $(foreach t,$(UNIT_TESTS),$(HB)/unit/$(t) $(HB)/unit-san/$(t))
.PHONY: unit-build
unit-build: $(UNIT_BINS)

$(HB)/gen/applets.h:
	@mkdir -p $(dir $@)
	@printf '%s\n' '/* unit tests: applet table */' $(foreach a,$(APPLETS),'APPLET($(a))') > $@

define unit_rule
$(HB)/unit/$(1): $$($(1)_SRCS) tests/unit/check.c tests/unit/check.h $(HB)/gen/applets.h
	@mkdir -p $$(dir $$@)
	@echo "  UNIT    $$@"
	$$(Q)$$(UNIT_CC) $$(UNIT_CFLAGS) -o $$@ $$($(1)_SRCS) tests/unit/check.c $$($(1)_LIBS)
$(HB)/unit-san/$(1): $$($(1)_SRCS) tests/unit/check.c tests/unit/check.h $(HB)/gen/applets.h
	@mkdir -p $$(dir $$@)
	@echo "  UNITSAN $$@"
	$$(Q)$$(UNIT_CC) $$(UNIT_CFLAGS) $$(SAN_FLAGS) -o $$@ $$($(1)_SRCS) tests/unit/check.c $$($(1)_LIBS)
endef
# Expanded after every fragment has added to UNIT_TESTS (see the Makefile's last lines).
