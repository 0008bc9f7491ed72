# SPDX-License-Identifier: BSD-2-Clause
# dvm-pack, the host tool (included by the top Makefile). Its two jobs have a directory
# each: pack/initramfs/ builds and reads initramfs archives (spec, cpio, modules,
# archive, list, stream, build), pack/layout/ lays out guest memory (image, place,
# layout, dtb*, fdtpatch, memmap, memsvg, vmmhdr, sdf, stub, minram, qprobe); pack/
# itself holds the command dispatch (main.c, cmds.h) and the helpers both use (util,
# numarg, wfile). It is built only for the host architecture: `make` (ARCH = host) builds
# $(B)/dvm-pack; with a cross ARCH (make ARCH=arm64 on x86_64) `pack` does nothing, as
# the images are always packed on the build machine (rootfs.mk calls the host build).
# Static musl, like dvm, with zlib (and libfdt, for the guest memory layout) by path.
PACK_SRCS := $(wildcard pack/*.c pack/initramfs/*.c pack/layout/*.c) core/modinfo.c
PACK_INC := -Ipack -Ipack/initramfs -Ipack/layout
PACK_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(PACK_SRCS))
PACK_LIBS := /usr/lib/$(GNU_TRIPLE)/libz.a /usr/lib/$(GNU_TRIPLE)/libfdt.a
# What `dvm-pack --version` prints: the source revision (git describe), or "unknown"
# outside a git checkout. Rewritten only when it changes, so main.o rebuilds then.
PACK_VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo unknown)

ifeq ($(ARCH),$(HOST_ARCH))
pack: $(B)/dvm-pack
$(PACK_OBJS): DVM_CFLAGS += $(PACK_INC)
$(B)/dvm-pack: $(PACK_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC_DVM) $(DVM_CFLAGS) $(DVM_LDFLAGS) -o $@ $(PACK_OBJS) $(PACK_LIBS)
$(B)/obj/pack/main.o: $(B)/gen/pack_version.h
$(B)/gen/pack_version.h: FORCE
	@mkdir -p $(dir $@)
	@printf '#define PACK_VERSION "%s"\n' '$(PACK_VERSION)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
-include $(PACK_OBJS:.o=.d)
else
pack:
	@:
endif
