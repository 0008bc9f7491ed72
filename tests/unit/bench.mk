# SPDX-License-Identifier: BSD-2-Clause
# Unit test of the bench's null device (drivers/uio_blk/eng_null.c), which only the
# bench's dvm build compiles in: here it is built with -DDVM_BENCH_NULLDEV.
# (= not :=: BLK_CORE comes from tests/unit/uio_blk.mk, included after this file)
UNIT_TESTS += test_blk_null
test_blk_null_SRCS = tests/unit/test_blk_null.c drivers/uio_blk/eng_null.c $(BLK_CORE)
$(HB)/unit/test_blk_null $(HB)/unit-san/test_blk_null: UNIT_CFLAGS += -DDVM_BENCH_NULLDEV
