# SPDX-License-Identifier: BSD-2-Clause
# dvm top-level build.
#   make                      host (x86_64) static musl dvm + dvm-pack
#   make ARCH=arm64           cross-build dvm for aarch64
#   make DRIVERS="uio_blk"    choose driver applets (default: every drivers/* dir)
#   make check                unit + end-to-end tests (scripts/setup first)
#   make V=1                  show the commands
# Area-specific rules live in */*.mk fragments included below.

HOST_ARCH := $(shell uname -m | sed -e s/aarch64/arm64/ -e s/amd64/x86_64/)
ARCH ?= $(HOST_ARCH)
override ARCH := $(subst aarch64,arm64,$(subst amd64,x86_64,$(ARCH)))

ifeq ($(V),1)
Q :=
else
Q := @
endif

BUILD ?= build
B := $(BUILD)/$(ARCH)
HB := $(BUILD)/host

ifeq ($(ARCH),arm64)
CC_DVM := aarch64-linux-gnu-gcc -specs /usr/lib/aarch64-linux-musl/musl-gcc.specs
GNU_TRIPLE := aarch64-linux-gnu
# -mgeneral-regs-only: no FP/SIMD registers, so variadic functions (log_msg, the printf
# family) do not spill q0-q7, and float code (which dvm's printf cannot print) fails to
# compile. 250 bytes. -mcmodel=tiny: code and data within 1 MiB of each other (dvm is
# 200 KiB with its .bss), so one ADR instead of ADRP+ADD reaches a string or variable;
# ld fails the link ("relocation truncated to fit") should that ever stop holding.
# 2-3 KiB.
ARCH_CFLAGS := -mstrict-align -mgeneral-regs-only -mcmodel=tiny
else ifeq ($(ARCH),x86_64)
CC_DVM := musl-gcc
GNU_TRIPLE := x86_64-linux-gnu
ARCH_CFLAGS :=
else
$(error ARCH must be x86_64 or arm64, not '$(ARCH)')
endif

# Every directory under drivers/ is a driver applet unless DRIVERS says otherwise.
DRIVERS ?= $(notdir $(patsubst %/,%,$(wildcard drivers/*/)))
BAD_DRIVERS := $(filter-out $(notdir $(patsubst %/,%,$(wildcard drivers/*/))),$(DRIVERS))
ifneq ($(BAD_DRIVERS),)
$(error unknown driver(s) in DRIVERS: $(BAD_DRIVERS); available: $(notdir $(patsubst %/,%,$(wildcard drivers/*/))))
endif

# Applets always built in; each NAME has NAME_main and NAME_usage somewhere in applets/.
CORE_APPLETS := init insmod mount umount poweroff reboot sleep killall
APPLETS := $(sort $(CORE_APPLETS) $(DRIVERS))

WARN := -Wall -Wextra -Werror
# -fomit-frame-pointer: aarch64 GCC keeps the frame chain in x29 by default; nothing in
# dvm walks it. 1 KiB. -fno-pie: the binaries are static, not position-independent
# executables, so PIE code would only go through a GOT for nothing. 300-650 bytes.
COMMON_CFLAGS := -std=gnu11 $(WARN) -Os -ffunction-sections -fdata-sections \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-stack-protector -D_GNU_SOURCE \
	-fomit-frame-pointer -fno-pie
# Link-time optimisation: the whole program is optimised as one (a function called from one
# place inlined across files, arguments every caller passes alike propagated, what no
# path reaches dropped). 2.9 KiB. The objects stay fat (real code besides the LTO
# bytecode) so the usage texts can be cut out of them (below); one partition, as dvm is
# small: no parallel LTRANS jobs to set up.
LTO_CFLAGS := -flto -ffat-lto-objects
DVM_CFLAGS := $(COMMON_CFLAGS) $(ARCH_CFLAGS) $(LTO_CFLAGS) -Icore -I$(B)/gen -idirafter $(B)/kinc -idirafter $(B)/xinc $(EXTRA_CFLAGS)
# common-page-size=16: without it ld starts the data segment on a fresh file page
# whenever that spares a page of RAM, padding the file by up to 4 KiB.
DVM_LDFLAGS := -static -no-pie -s -Wl,--gc-sections -Wl,-z,max-page-size=4096 -Wl,-z,common-page-size=16 \
	-Wl,-z,norelro -Wl,--build-id=none -flto -flto-partition=one $(EXTRA_LDFLAGS)
HOSTCC ?= gcc

CORE_SRCS := $(wildcard core/*.c)
APPLET_SRCS := $(wildcard applets/*.c applets/*/*.c)
DRIVER_SRCS := $(foreach d,$(DRIVERS),$(wildcard drivers/$(d)/*.c))
DVM_SRCS := $(CORE_SRCS) $(APPLET_SRCS) $(DRIVER_SRCS)
DVM_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(DVM_SRCS))
# Code that runs once or rarely (all but the drivers and the UIO/io_uring/copy code
# under them; of the drivers, their set-up files, and main.c, whose event loops spend
# their time in system calls and in the hot files) trades a little speed for size,
# 850 bytes: -fno-move-loop-invariants
# (hoisting constants out of loops mostly costs callee-saved registers to spill),
# -fno-expensive-optimizations and -fno-optimize-sibling-calls (measured, not reasoned:
# both come out smaller with GCC 12 on aarch64).
COLD_OBJS := $(filter-out $(B)/obj/drivers/% $(B)/obj/core/uio.o $(B)/obj/core/uring.o \
	$(B)/obj/core/iomem.o,$(DVM_OBJS)) \
	$(filter $(B)/obj/drivers/%/bind.o $(B)/obj/drivers/%/passing.o $(B)/obj/drivers/%/info.o \
	$(B)/obj/drivers/%/main.o,$(DVM_OBJS))
$(COLD_OBJS): DVM_CFLAGS += -fno-move-loop-invariants -fno-expensive-optimizations \
	-fno-optimize-sibling-calls

.PHONY: all dvm pack check unit e2e demo bench fuzz clean setup sizes FORCE
all: dvm pack

dvm: $(B)/dvm
$(B)/dvm: $(DVM_OBJS) $(B)/obj/gen/usage.o $(B)/gen/discard.ld $(HB)/sstrip
	@echo "  LD      $@"
	$(Q)$(CC_DVM) $(DVM_CFLAGS) $(DVM_LDFLAGS) -Wl,-T,$(B)/gen/discard.ld -o $@ $(DVM_OBJS) \
		$(B)/obj/gen/usage.o
	$(Q)$(HB)/sstrip $@ || { rm -f $@; exit 1; }

# The section header table a stripped binary still ends with: 1 KiB that only tools like
# readelf read (see scripts/sstrip.c).
$(HB)/sstrip: scripts/sstrip.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -O2 $(WARN) -o $@ $<

# Added to ld's default script: drop the unwind tables that crtbegin (and for dvm-pack zlib)
# brings
# (nothing in dvm unwinds: no C++, no backtraces) and .comment. 1.1 KiB.
$(B)/gen/discard.ld:
	@mkdir -p $(dir $@)
	@echo 'SECTIONS { /DISCARD/ : { *(.eh_frame) *(.comment) } } INSERT AFTER .text;' >$@

# The --help texts: each applet's NAME_usage is cut out of its object (section
# .rodata.NAME_usage) and all are deflated together into $(B)/gen/usage.c by the host
# tool scripts/usagez.c; core/dispatch.c inflates them. The originals are then
# unreferenced and dropped by --gc-sections: 2 KiB smaller, 4 KiB with both drivers.
# The sections are found by readelf, which reads the object's own ELF tables (nm would
# read the LTO symbol table of the objects instead, where the usage texts are "D").
$(HB)/usagez: scripts/usagez.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -O2 $(WARN) -o $@ $< -lz

$(B)/gen/usage.c: $(DVM_OBJS) $(HB)/usagez
	@echo "  GEN     $@"
	$(Q)rm -rf $(B)/gen/usage && mkdir -p $(B)/gen/usage
	$(Q)for o in $(DVM_OBJS); do \
		for sym in $$($(GNU_TRIPLE)-readelf -SW $$o | \
				sed -n 's/.* \.rodata\.\([A-Za-z0-9_]*_usage\) .*/\1/p'); do \
			$(GNU_TRIPLE)-objcopy -O binary --only-section=.rodata.$$sym $$o \
				$(B)/gen/usage/$$sym || exit 1; \
		done; \
	done
	$(Q)$(HB)/usagez $(foreach a,$(APPLETS),$(B)/gen/usage/$(a)_usage) >$@.tmp
	$(Q)mv $@.tmp $@

$(B)/obj/gen/usage.o: $(B)/gen/usage.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC_DVM) $(DVM_CFLAGS) -c -o $@ $<

$(B)/obj/%.o: %.c $(B)/gen/applets.h | $(B)/kinc $(B)/xinc
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC_DVM) $(DVM_CFLAGS) -MMD -MP -c -o $@ $<

# The version `dvm --version` prints: `git describe` of the source tree (the same for the
# same commit, so builds stay reproducible), or DVM_VERSION_FALLBACK outside a git
# checkout. Rewritten only when it changes, so only dispatch.c rebuilds then.
DVM_VERSION_FALLBACK := 0.1
DVM_VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo $(DVM_VERSION_FALLBACK))
$(B)/gen/version.h: FORCE
	@mkdir -p $(dir $@)
	@printf '#define DVM_VERSION "%s"\n' '$(DVM_VERSION)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
$(B)/obj/core/dispatch.o: $(B)/gen/version.h

# The applet table: rewritten only when the selection changes, so objects rebuild then.
$(B)/gen/applets.h: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' '/* generated by make: compiled-in applets */' $(foreach a,$(APPLETS),'APPLET($(a))') > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

# musl's specs use -nostdinc: give it the kernel UAPI headers, and zlib/libfdt headers
# alone (not the whole glibc include dir).
$(B)/kinc:
	@mkdir -p $@
	$(Q)ln -sfn /usr/include/linux $@/linux
	$(Q)ln -sfn /usr/include/asm-generic $@/asm-generic
	$(Q)ln -sfn /usr/include/$(GNU_TRIPLE)/asm $@/asm
	$(Q)ln -sfn /usr/include/mtd $@/mtd
$(B)/xinc:
	@mkdir -p $@
	$(Q)for h in zlib.h zconf.h fdt.h libfdt.h libfdt_env.h; do ln -sfn /usr/include/$$h $@/$$h; done

clean:
	rm -rf $(BUILD)

setup:
	scripts/setup

# Size of the stripped binaries (figures for notes and README).
sizes: all
	@for f in $(B)/dvm; do printf '%-28s %8d bytes\n' $$f $$(stat -c %s $$f); done

-include $(wildcard pack/*.mk rootfs/*.mk tests/*.mk tests/*/*.mk drivers/*/*.mk kernel/*.mk)
-include $(DVM_OBJS:.o=.d)
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rule,$(t))))

# The README's commands: scripts/setup && make check / make demo.
check:
	tests/run
demo:
	scripts/demo
