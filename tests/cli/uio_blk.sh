#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# uio_blk as built (x86_64, and arm64 under qemu-user where io_uring is missing, so the
# synchronous engine runs): --help, option errors, and one real session against a fake
# UIO tree (DVM_UIO_ROOT; the device node is a FIFO, the maps a sparse file at their
# physical addresses): a WRITE and a READ queued before start are served without an
# interrupt, then a request raised by an interrupt, then SIGTERM exits 0.
. "$(dirname "$0")/../lib.sh"

if ! dvm --list | grep -qx uio_blk; then
	echo "PASS: uio_blk not built in (DRIVERS); nothing to test"
	exit 0
fi

expect "uio_blk --help" 0 dvm uio_blk --help
contains "uio_blk --help names --capacity" "--capacity N"
contains "uio_blk --help names --notify" "--notify MODE"
expect "uio_blk without --capacity" 2 dvm uio_blk --device /dev/null
contains "uio_blk without --capacity says so" "--capacity N is required (or both --req-capacity and --resp-capacity)"
expect "uio_blk --help" 0 dvm uio_blk --help
contains "uio_blk --help exit status" "Exit status: 0 stopped by SIGTERM or SIGINT, 1 failed"
contains "uio_blk --help DVM_UIO_ROOT covers --device" "--device /dev/... and"
# usage errors: exit 2, at parse time, naming the option and the value
bad() { # bad NAME MESSAGE ARGS...
	local name=$1 msg=$2
	shift 2
	expect "uio_blk $name" 2 dvm uio_blk "$@"
	contains "uio_blk $name message" "$msg"
}
bad "capacity 0" "--capacity '0': expected a number from 1 to 2147483648" --capacity 0
bad "capacity too big" "--capacity '0x100000000': expected a number from 1 to 2147483648" --capacity 0x100000000
bad "req-capacity 0" "--req-capacity '0': expected a number" --capacity 64 --req-capacity 0
bad "depth 0" "--depth '0': expected a number from 1 to 256" --capacity 64 --depth 0
bad "depth 257" "--depth '257': expected a number from 1 to 256" --capacity 64 --depth 257
bad "chunk 3" "--chunk '3': expected a multiple of 4 from 4 to 16384" --capacity 64 --chunk 3
bad "chunk 0" "--chunk '0': expected a multiple of 4 from 4 to 16384" --capacity 64 --chunk=0
bad "poll-us too big" "--poll-us '1000001': expected a number from 0 to 1000000" --capacity 64 --poll-us 1000001
bad "poll-io-us not a number" "--poll-io-us '20us': expected a number from 0 to 1000000" --capacity 64 --poll-io-us 20us
bad "empty journal" "--journal '': expected a file path, or none" --capacity 64 --journal ''
bad "empty device" "--device '': expected a block device or file path" --capacity 64 --device=
bad "bad notify" "--notify 'ring': expected page, irq-ack or auto" --capacity 64 --notify ring
bad "flag with value" "--sync takes no value (got '--sync=1')" --capacity 64 --sync=1
bad "missing value" "--depth needs a value" --capacity 64 --depth
bad "positional" "unexpected argument 'extra'" --capacity 64 extra

expect "uio_blk bad option" 2 dvm uio_blk --capacity 64 --frobnicate
contains "uio_blk bad option named" "unknown option '--frobnicate'"
expect "uio_blk bad number" 2 dvm uio_blk --capacity 0x1g
contains "uio_blk bad number named" "--capacity '0x1g': expected a number"

R=$T_TMP/root
blk_uio_tree "$R"
MAPS=$R/dev/uio0.maps
truncate -s 1M "$T_TMP/disk"

# DVM_UIO_ROOT: the default /dev/vda, and any --device /dev/..., is looked for under the
# prefix, never on the host
expect "uio_blk default device under DVM_UIO_ROOT" 1 env DVM_UIO_ROOT="$R" \
	${DVM_RUN:-} "$DVM" uio_blk --capacity 64 --journal none
contains "uio_blk default device under DVM_UIO_ROOT named" "cannot open $R/dev/vda"
expect "uio_blk --device /dev/... under DVM_UIO_ROOT" 1 env DVM_UIO_ROOT="$R" \
	${DVM_RUN:-} "$DVM" uio_blk --capacity 64 --journal none --device /dev/null
contains "uio_blk --device /dev/... under DVM_UIO_ROOT named" "cannot open $R/dev/null"

# put BYTES(printf escapes) at OFFSET of the maps file
put() { printf "$2" | dd of="$MAPS" bs=1 seek=$(($1)) conv=notrunc status=none; }
# u32 at OFFSET (little-endian), as a decimal number
get32() { od -An -tu4 -j $(($1)) -N4 "$MAPS" | tr -d ' '; }
# request slot I: code, io, block, count, id (all small enough for one byte each)
req() {
	put $((0x102010 + 32 * $1)) "\\x$2\\0\\0\\0\\0\\0\\0\\0\\0\\x$3\\x$4\\0\\0\\0\\0\\0\\x$5\\0\\0\\0\\0\\0\\0\\0\\x$6\\0\\0\\0\\x$7\\0\\0\\0"
}
wait_tail() { # wait_tail N: until the response tail reaches N (10 s)
	for _ in $(seq 200); do
		[ "$(get32 0x103004)" = "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

put 0x104000 'hello, block 2'
req 0 01 40 10 02 01 11   # WRITE io 0x104000 block 2 count 1 id 0x11
req 1 03 00 00 00 00 14   # BARRIER id 0x14: the read below sees the write
req 2 00 50 10 02 01 12   # READ  io 0x105000 block 2 count 1 id 0x12
put 0x102004 '\x03'       # request tail = 3
DVM_UIO_ROOT=$R ${DVM_RUN:-} "$DVM" uio_blk --device "$T_TMP/disk" --capacity 64 \
	--journal "$T_TMP/journal" -v 2>"$T_TMP/log" &
pid=$!
if wait_tail 3; then pass "uio_blk serves queued requests at start"; else fail "uio_blk serves queued requests at start" "response tail $(get32 0x103004); log: $(head -c 600 "$T_TMP/log")"; fi
OUT="$(od -An -tx1 -j $((0x103008)) -N36 "$MAPS" | tr -d '\n')"
contains "uio_blk answers WRITE ok, 1 block, id 0x11" " 00 00 00 00 01 00 00 00 11 00 00 00"
contains "uio_blk answers READ ok, 1 block, id 0x12" " 00 00 00 00 01 00 00 00 12 00 00 00"
OUT=$(dd if="$T_TMP/disk" bs=1 skip=$((2 * 4096)) count=14 status=none)
contains "uio_blk wrote the disk" "hello, block 2"
OUT=$(dd if="$MAPS" bs=1 skip=$((0x105000)) count=14 status=none)
contains "uio_blk read into the second data block" "hello, block 2"
OUT=$(od -An -tu1 -j $((0x101000 + 65)) -N1 "$MAPS" | tr -d ' ')
contains "uio_blk set storage info ready" "1"
OUT=$(od -An -tu8 -j $((0x101000 + 80)) -N8 "$MAPS" | tr -d ' ')
contains "uio_blk storage capacity 256 blocks" "256"
[ "$(get32 0x100000)" != 0 ] && pass "uio_blk rang the notify page" || fail "uio_blk rang the notify page" "still 0"

req 3 07 40 10 02 01 13   # unknown code 7: ERR_INVALID_PARAM
put 0x102004 '\x04'
printf '\x01\x00\x00\x00' >"$R/dev/uio0.irqtmp" && cat "$R/dev/uio0.irqtmp" >"$R/dev/uio0"
if wait_tail 4; then pass "uio_blk serves a request after an interrupt"; else fail "uio_blk serves a request after an interrupt" "tail $(get32 0x103004)"; fi
OUT="$(od -An -tx1 -j $((0x103008 + 36)) -N12 "$MAPS" | tr -d '\n')"
contains "uio_blk answers an unknown code ERR_INVALID_PARAM" " 02 00 00 00 00 00 00 00 13 00 00 00"
kill -TERM $pid
wait $pid
st=$?
[ $st = 0 ] && pass "uio_blk exits 0 on SIGTERM" || fail "uio_blk exits 0 on SIGTERM" "status $st; log: $(tail -c 400 "$T_TMP/log")"
OUT=$(cat "$T_TMP/log")
contains "uio_blk -v traces requests" "req 0: WRITE block 2 count 1 io 0x104000 id 17 -> status 0 count 1"
contains "uio_blk logs the total" "served 4 requests"
finish
