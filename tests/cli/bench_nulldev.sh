#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The bench's null device (drivers/uio_blk/eng_null.c) exists only in the bench's own dvm
# build (tests/bench/bench.mk, -DDVM_BENCH_NULLDEV): a normal build rejects the option as
# unknown, does not mention it in --help and carries none of its code.
. "$(dirname "$0")/../lib.sh"

if ! dvm --list | grep -qx uio_blk; then
	echo "PASS: uio_blk not built in (DRIVERS); nothing to test"
	exit 0
fi

expect "uio_blk --null-device refused by a normal build" 2 dvm uio_blk --capacity 64 --null-device
contains "uio_blk --null-device named as unknown" "unknown option '--null-device'"
expect "uio_blk --null-device=1 refused by a normal build" 2 dvm uio_blk --capacity 64 --null-device=1
contains "uio_blk --null-device=1 named as unknown" "unknown option '--null-device=1'"
expect "uio_blk --help of a normal build" 0 dvm uio_blk --help
if printf '%s' "$OUT" | grep -q null-device; then
	fail "uio_blk --help of a normal build has no --null-device" "it mentions it"
else
	pass "uio_blk --help of a normal build has no --null-device"
fi
if grep -qa null-device "$DVM"; then
	fail "a normal dvm has no null-device code" "the string 'null-device' is in $DVM"
else
	pass "a normal dvm has no null-device code"
fi
finish
