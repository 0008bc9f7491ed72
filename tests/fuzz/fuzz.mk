# SPDX-License-Identifier: BSD-2-Clause
# libFuzzer targets (clang + libclang-rt: apt-get install -y clang libclang-rt-14-dev).
#   make fuzz                     build and run every target for FUZZ_SECONDS (default 60) each
#   make fuzz FUZZ_TOTAL=300      ... or share FUZZ_TOTAL seconds out evenly among them
#   make fuzz FUZZ_SECONDS=600 FUZZ_TARGETS=uio_blk FUZZ_ARGS=-jobs=4
#   make fuzz-list                the target names (tests/run's fuzz group runs each)
#   FUZZ_UNIT_TIMEOUT=N (environment, default 25): one input running longer is a hang
# A target NAME is added from any fragment with
#   FUZZ_TARGETS += NAME
#   fuzz_NAME_SRCS := tests/fuzz/fuzz_NAME.c <sources under test>
# and a committed seed corpus in tests/fuzz/corpus-NAME/ (read-only); inputs the fuzzer
# finds go to $(FUZZ_OUT)/corpus-NAME/, crashes to $(FUZZ_OUT)/crash-NAME-* (FUZZ_OUT
# defaults to $(HB)/fuzz). The targets
# are compiled with -DDVM_UNIT_TEST (test hooks) under ASan and UBSan. The recipe reads
# FUZZ_TARGETS when it runs, so fragments included after this one can add targets.
FUZZ_SECONDS ?= 60
FUZZ_OUT ?= $(HB)/fuzz
FUZZ_CC ?= clang
FUZZ_CFLAGS := -std=gnu11 -g -O1 -D_GNU_SOURCE -DDVM_UNIT_TEST -DDVM_FUZZ -Icore -Ipack -Ipack/initramfs -Ipack/layout \
	-Iapplets/init -Itests/unit -I$(HB)/gen -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer

FUZZ_TARGETS += uio_blk
fuzz_uio_blk_SRCS := tests/fuzz/fuzz_uio_blk.c tests/unit/blk_peer.c \
	drivers/uio_blk/serve.c drivers/uio_blk/xlate.c drivers/uio_blk/journal.c \
	core/iomem.c core/log.c core/cmdline.c core/lockfile.c

# dvm-pack (pack/): the spec parser, the archive reader (--list), the DTB patcher.
FUZZ_TARGETS += pack_spec pack_list pack_dtb
FUZZ_PACK_SRCS := pack/initramfs/spec.c pack/initramfs/modules.c pack/initramfs/archive.c pack/initramfs/cpio.c pack/initramfs/stream.c \
	pack/util.c pack/initramfs/list.c core/modinfo.c
fuzz_pack_spec_SRCS := tests/fuzz/fuzz_pack_spec.c $(FUZZ_PACK_SRCS)
fuzz_pack_spec_LIBS := -lz
fuzz_pack_list_SRCS := tests/fuzz/fuzz_pack_list.c $(FUZZ_PACK_SRCS)
fuzz_pack_list_LIBS := -lz
fuzz_pack_dtb_SRCS := tests/fuzz/fuzz_pack_dtb.c pack/layout/dtbscan.c pack/layout/fdtpatch.c pack/layout/dtbload.c \
	pack/util.c
fuzz_pack_dtb_LIBS := -lfdt
# The deflate decoder (gzip'd modules, the --help texts), against zlib.
FUZZ_TARGETS += inflate
fuzz_inflate_SRCS := tests/fuzz/fuzz_inflate.c core/inflate.c
fuzz_inflate_LIBS := -lz

# init's configuration parser: the sources its unit test links (tests/unit/init.mk),
# taken when the recipe runs (that fragment is included after this one).
FUZZ_TARGETS += init_conf
fuzz_init_conf_SRCS = tests/fuzz/fuzz_init_conf.c \
	$(filter-out tests/unit/%,$(test_init_conf_SRCS))
fuzz_init_conf_LIBS = $(test_init_conf_LIBS)

# FUZZ_TOTAL (seconds for the whole run) overrides FUZZ_SECONDS with an even share.
fuzz_secs = $(if $(FUZZ_TOTAL),$(shell echo $$(( $(FUZZ_TOTAL) / $(words $(sort $(FUZZ_TARGETS))) ))),$(FUZZ_SECONDS))

fuzz: $(HB)/gen/applets.h
	$(Q)$(foreach t,$(sort $(FUZZ_TARGETS)),tests/fuzz/run '$(t)' '$(FUZZ_OUT)' '$(fuzz_secs)' \
		'$(FUZZ_CC) $(FUZZ_CFLAGS)' '$(fuzz_$(t)_SRCS) $(fuzz_$(t)_LIBS)' '$(FUZZ_ARGS)' &&) true

.PHONY: fuzz-list
fuzz-list:
	@echo $(sort $(FUZZ_TARGETS))
