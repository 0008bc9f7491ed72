#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# `make bench-blk` still runs: its figures are not pass/fail and the bench is not part of
# the suite, so this runs tests/bench/blk.sh itself, one round of short patterns (every
# kind: random, sequential, write; depth 1 and 4), in its default zero-copy mode. The
# simulator's own checks come out as PASS lines (every request answered once, every sDDF
# WRITE in the image, the image equal to the model); here, that the table has every
# pattern on all three sides with its ratios, and the guest's CPU on every side, the
# guest's and the host's state, and that the data regions did run zero-copy.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/e2e/lib.sh
need_dvm_uio
need_vmm_sim
make -s -C "$ROOT" BUILD="$BUILD" ARCH=arm64 dvm blkbench >/dev/null &&
	make -s -C "$ROOT" BUILD="$BUILD" bench-dvm >/dev/null ||
	{ echo "FAIL: bench: build of blkbench or the bench's dvm failed"; exit 1; }

# has NAME REGEX: a PASS/FAIL line for a line of the bench's output matching REGEX
has() {
	if printf '%s\n' "$OUT" | grep -qE -- "$2"; then pass "$1"; else fail "$1" "no line matching '$2'"; fi
}

log=$T_TMP/bench.console
OUT=$(BENCH_ROUNDS=1 BENCH_PATTERNS="q1:4096:1:r:200 q4:4096:4:r:400 s:131072:4:s:100 w:131072:4:w:100" \
	BENCH_DVM="$ROOT/$BUILD/bench-nulldev/arm64/dvm" BENCH_LOG="$log" BUILD="$BUILD" \
	bash tests/bench/blk.sh 2>&1)
rc=$?
printf '%s\n' "$OUT" | grep -E '^(PASS|FAIL):'
if [ "$rc" = 0 ]; then pass "bench: blk.sh exits 0"; else fail "bench: blk.sh exits 0" "exit $rc"; fi
n='[0-9]+\.[0-9]+'
for p in q1 q4 s w; do
	# pattern | direct | sDDF | null | sDDF/direct | null/direct | ...
	has "bench: $p: every side's figure and both ratios" \
		"^$p +\| $n \([0-9]+%\) +\| $n \([0-9]+%\) +\| $n \([0-9]+%\) +\| $n \($n-$n\) +\| $n \($n-$n\) +\|"
	has "bench: $p: the guest's CPU on every side" "^  $p +direct: user .* sDDF: user .* null: user "
done
has "bench: the guest's Meltdown state and command line" "^guest: meltdown="
has "bench: how QEMU's threads were placed on the host's CPUs" "^host: (QEMU's vCPU thread pinned to host CPU [0-9]+|not pinned)"
if grep -q "data region 0 (.*): zero-copy" "$log" && ! grep -q "data region [0-9]* (.*): copy" "$log"; then
	pass "bench: zero-copy by default: every data region zero-copy"
else
	fail "bench: zero-copy by default: every data region zero-copy" "$(grep -a "data region" "$log" | head -3)"
fi
[ "$T_FAILS" = 0 ] || printf '%s\n' "$OUT" | tail -n 30 | sed 's/^/    /'
finish
