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

# le VALUE BYTES: VALUE as little-endian bytes on stdout
le() { local i; for ((i = 0; i < $2; i++)); do printf "\\x$(printf %02x $((($1 >> (8 * i)) & 255)))"; done; }
# mkimage FILE FILE_SIZE IMAGE_SIZE [TEXT_OFFSET [FLAGS [MAGIC]]]: a fake arm64 Image
# (EFI "MZ" code0, a branch in code1), for the layout tests: no kernel behind it
mkimage() {
	{ le 0xfa405a4d 4; le $((0x14000000 | 0x400)) 4; le "${4:-0}" 8; le "$3" 8; le "${5:-10}" 8
	  le 0 24; le "${6:-0x644d5241}" 4; le 0x40 4; } >"$1"
	truncate -s "$2" "$1"
}

# layout_inputs DIR: the layout tests' boot images, DIR/Image (a fake Image of 16 MiB
# whose image_size is 18 MiB) and DIR/initrd (300,000 random bytes)
layout_inputs() {
	mkimage "$1/Image" $((16 << 20)) $((18 << 20))
	head -c 300000 /dev/urandom >"$1/initrd"
}

# uio_map ROOT DEV M NAME ADDR SIZE: map M of the fake UIO device uioDEV under ROOT (a
# DVM_UIO_ROOT tree) as sysfs shows it: name, addr and size as 0x%016x, offset 0
uio_map() {
	local d=$1/sys/class/uio/uio$2/maps/map$3
	mkdir -p "$d"
	echo "$4" >"$d/name"
	printf '0x%016x\n' "$5" >"$d/addr"
	printf '0x%016x\n' "$6" >"$d/size"
	echo 0x0 >"$d/offset"
}

# blk_uio_tree ROOT: under ROOT, the UIO device uio0 "blk" with dvm's five block maps
# (notify info req resp data), its /dev/uio0 (a FIFO: reads block like the real one) and
# the file /dev/uio0.maps that stands for its mappings
blk_uio_tree() {
	mkdir -p "$1/sys/class/uio/uio0" "$1/dev"
	echo blk >"$1/sys/class/uio/uio0/name"
	uio_map "$1" 0 0 notify $((0x100000)) 4096
	uio_map "$1" 0 1 info $((0x101000)) 4096
	uio_map "$1" 0 2 req $((0x102000)) 4096
	uio_map "$1" 0 3 resp $((0x103000)) 4096
	uio_map "$1" 0 4 data $((0x104000)) 65536
	mkfifo "$1/dev/uio0"
	truncate -s $((0x114000)) "$1/dev/uio0.maps"
}
