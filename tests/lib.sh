# SPDX-License-Identifier: BSD-2-Clause
# Shared helpers for shell tests (sourced). Each check prints one PASS/FAIL line.
#   DVM      path of the dvm binary under test; DVM_RUN an optional runner (qemu-aarch64)
#   PACK     path of dvm-pack
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/dvm-test.XXXXXX")
trap 'rm -rf "$T_TMP"' EXIT
T_FAILS=0

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; T_FAILS=$((T_FAILS + 1)); }

# dvm ARGS...: run the binary under test (through DVM_RUN when set).
dvm() { ${DVM_RUN:-} "$DVM" "$@"; }

# expect NAME WANT_STATUS CMD...: run CMD, check its exit status; output in $OUT.
expect() {
	local name=$1 want=$2 got
	shift 2
	OUT=$("$@" 2>&1)
	got=$?
	if [ "$got" = "$want" ]; then pass "$name"; else fail "$name" "exit $got, expected $want; output: $(echo "$OUT" | head -c 400)"; fi
}

# contains NAME NEEDLE: $OUT contains NEEDLE (fixed string).
contains() {
	if printf '%s' "$OUT" | grep -qF -- "$2"; then pass "$1"; else fail "$1" "output lacks '$2': $(echo "$OUT" | head -c 400)"; fi
}

finish() { [ "$T_FAILS" -eq 0 ]; }
