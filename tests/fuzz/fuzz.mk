# libFuzzer targets (clang + libclang-rt: apt-get install -y clang libclang-rt-14-dev).
#   make fuzz                     build and run every target for FUZZ_SECONDS (default 60) each
#   make fuzz FUZZ_SECONDS=600 FUZZ_TARGETS=uio_blk FUZZ_ARGS=-jobs=4
#   FUZZ_UNIT_TIMEOUT=N (environment, default 25): one input running longer is a hang
# A target NAME is added from any fragment with
#   FUZZ_TARGETS += NAME
#   fuzz_NAME_SRCS := tests/fuzz/fuzz_NAME.c <sources under test>
# and a committed seed corpus in tests/fuzz/corpus-NAME/ (read-only); inputs the fuzzer
# finds go to $(HB)/fuzz/corpus-NAME/, crashes to $(HB)/fuzz/crash-NAME-*. The targets
# are compiled with -DDVM_UNIT_TEST (test hooks) under ASan and UBSan. The recipe reads
# FUZZ_TARGETS when it runs, so fragments included after this one can add targets.
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_CFLAGS := -std=gnu11 -g -O1 -D_GNU_SOURCE -DDVM_UNIT_TEST -DDVM_FUZZ -Icore \
	-Itests/unit -I$(HB)/gen -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer

FUZZ_TARGETS += uio_blk
fuzz_uio_blk_SRCS := tests/fuzz/fuzz_uio_blk.c tests/unit/blk_peer.c \
	drivers/uio_blk/serve.c drivers/uio_blk/xlate.c drivers/uio_blk/journal.c \
	core/iomem.c core/log.c core/cmdline.c core/lockfile.c

fuzz: $(HB)/gen/applets.h
	$(Q)$(foreach t,$(sort $(FUZZ_TARGETS)),tests/fuzz/run '$(t)' '$(HB)/fuzz' '$(FUZZ_SECONDS)' \
		'$(FUZZ_CC) $(FUZZ_CFLAGS)' '$(fuzz_$(t)_SRCS) $(fuzz_$(t)_LIBS)' '$(FUZZ_ARGS)' &&) true
