# SPDX-License-Identifier: BSD-2-Clause
# dvm-pack layout and minram from the command line: DTB patching checked with fdtget
# and dtc (QEMU's own dumped DTB, DTS input, 32-bit cells, missing nodes, a blob that
# must grow), outputs (header, map, SVG, stub), every rejection with its message and
# exit status, atomic output; minram's search, timeout and clean-up driven by a
# readiness command that needs no QEMU boot (tests/e2e/layout_*.sh boot for real).
. "$(dirname "$0")/../lib.sh"
T=$T_TMP

# le, mkimage (a fake arm64 Image), layout_inputs: tests/lib.sh
# hdr PREFIX NAME: a macro's value from PREFIX.h
hdr() { awk -v n="GUEST_$2" '$1 == "#define" && $2 == n { print $3 }' "$1.h"; }
# same NAME GOT WANT
same() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', expected '$3'"; fi; }

MB=$((1 << 20))
layout_inputs "$T"
qemu-system-aarch64 -M virt,dumpdtb="$T/virt.dtb" -cpu cortex-a57 -m 256M -nographic >/dev/null 2>&1
[ -s "$T/virt.dtb" ] && pass layout_dumpdtb || fail layout_dumpdtb "qemu-system-aarch64 dumpdtb failed"

# ---- QEMU's DTB, fixed size ----
expect layout_qemu_dtb 0 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" \
	--ram-size 64M --bootargs "console=ttyAMA0 panic=-1" -o "$T/q"
contains layout_summary "guest RAM 0x40000000, 64 MiB: kernel 0x40000000, initramfs 0x41200000-0x412493e0"
same layout_mem_reg "$(fdtget -t x "$T/q.dtb" /memory@40000000 reg)" "0 40000000 0 4000000"
same layout_initrd_start "0x$(fdtget -t x "$T/q.dtb" /chosen linux,initrd-start | awk '{print $2}')" "$(hdr "$T/q" INIT_RAM_DISK_GPA)"
same layout_initrd_end "0x$(fdtget -t x "$T/q.dtb" /chosen linux,initrd-end | awk '{print $2}')" "$(hdr "$T/q" INIT_RAM_DISK_END)"
same layout_initrd_64bit "$(fdtget -t x "$T/q.dtb" /chosen linux,initrd-start | wc -w)" 2
same layout_bootargs "$(fdtget "$T/q.dtb" /chosen bootargs)" "console=ttyAMA0 panic=-1"
same layout_keeps_stdout_path "$(fdtget "$T/q.dtb" /chosen stdout-path)" "/pl011@9000000"
same layout_dtb_size "$(printf 0x%x "$(stat -c %s "$T/q.dtb")")" "$(hdr "$T/q" DTB_SIZE)"
same layout_dtb_packed "$(($(stat -c %s "$T/q.dtb") < 16384))" 1
same layout_dtb_top "$(hdr "$T/q" DTB_GPA)" 0x43ffe000
same layout_ram_size "$(hdr "$T/q" RAM_SIZE)" 0x4000000
OUT=$(dtc -q -I dtb -O dts "$T/q.dtb" 2>&1) && pass layout_dtc_decompiles || fail layout_dtc_decompiles "$OUT"
contains layout_dtc_initrd "linux,initrd-start = <0x00 0x41200000>;"
contains layout_dtc_memory "reg = <0x00 0x40000000 0x00 0x4000000>;"
OUT=$(cat "$T/q.map")
contains layout_map_kernel "0x40000000  0x41200000        18 MiB  kernel"
contains layout_map_free "free"
contains layout_map_dtb "dtb              DTB"
OUT=$(cat "$T/q.h")
contains layout_h_guard "#ifndef DVM_LAYOUT_Q_H"
contains layout_h_inputs "kernel  $T/Image (16777216 bytes, image_size 0x1200000, text_offset 0x0)"
contains layout_h_entry "#define GUEST_KERNEL_ENTRY         0x40000000"
contains layout_h_guest_start "guest_start(kernel_pc, GUEST_DTB_GPA, GUEST_INIT_RAM_DISK_GPA);"
printf '#include "%s"\n_Static_assert(GUEST_RAM_SIZE == 64 << 20, "size");\nint main(void){return 0;}\n' "$T/q.h" >"$T/h.c"
OUT=$(gcc -Wall -Werror -o "$T/h" "$T/h.c" 2>&1) && pass layout_h_compiles || fail layout_h_compiles "$OUT"
OUT=$(cat "$T/q.svg")
contains layout_svg_root "<svg xmlns=\"http://www.w3.org/2000/svg\""
contains layout_svg_kernel "kernel Image + BSS (image_size)"
contains layout_svg_addr ">0x40000000</text>"
if command -v rsvg-convert >/dev/null; then	# renders only well-formed SVG
	OUT=$(rsvg-convert -o "$T/q.png" "$T/q.svg" 2>&1) && [ -s "$T/q.png" ] && pass layout_svg_renders ||
		fail layout_svg_renders "$OUT"
fi

# ---- DTS input: 32-bit cells, append, a blob that must grow; missing nodes ----
cat >"$T/small.dts" <<'EOF2'
/dts-v1/;
/ { #address-cells = <1>; #size-cells = <1>;
    memory@40000000 { device_type = "memory"; reg = <0x40000000 0x20000000>; };
    chosen { bootargs = "console=ttyAMA0"; linux,initrd-start = <0>; linux,initrd-end = <0>; }; };
EOF2
LONG=$(head -c 1900 /dev/zero | tr '\0' 'a')	# grows the blob, within COMMAND_LINE_SIZE
expect layout_dts 0 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/small.dts" --ram-size 40M \
	--append-bootargs "$LONG" -o "$T/s"
OUT=$(dtc -q -I dtb -O dts "$T/s.dtb")
# (dtc shows this start as the string "A \0": its bytes look printable)
same layout_32bit_start "$(fdtget -t x "$T/s.dtb" /chosen linux,initrd-start)" 41200000
contains layout_32bit_end "linux,initrd-end = <0x412493e0>;"
contains layout_32bit_reg "reg = <0x40000000 0x2800000>;"
same layout_append_grow "$(fdtget "$T/s.dtb" /chosen bootargs)" "console=ttyAMA0 $LONG"
printf '/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>; };\n' >"$T/bare.dts"
expect layout_missing_nodes 0 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/bare.dts" --ram-size 40M \
	--bootargs "quiet" -o "$T/b"
same layout_created_memory "$(fdtget -t x "$T/b.dtb" /memory@40000000 reg)" "0 40000000 0 2800000"
same layout_created_type "$(fdtget "$T/b.dtb" /memory@40000000 device_type)" memory
same layout_created_chosen "$(fdtget "$T/b.dtb" /chosen bootargs)" quiet
OUT=$(cat "$T/b.map")
contains layout_map_notes "created /chosen"

# ---- auto size, pinned addresses, text_offset ----
expect layout_auto 0 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" --ram-size auto --work 8M -o "$T/a"
same layout_auto_size "$(hdr "$T/a" RAM_SIZE)" 0x1c00000	# 18 MiB + 300000 + 8 KiB + 8 MiB -> 28 MiB
mkimage "$T/Image80" $((8 * MB)) $((9 * MB)) 0x80000
expect layout_pinned 0 "$PACK" layout -k "$T/Image80" -i "$T/initrd" -d "$T/virt.dtb" --ram-base 0x80000000 \
	--ram-size 32M --initrd-at 0x81000000 --dtb-at 0x81e00008 -o "$T/p"
same layout_text_offset "$(hdr "$T/p" KERNEL_ENTRY)" 0x80080000
same layout_pinned_initrd "$(hdr "$T/p" INIT_RAM_DISK_GPA)" 0x81000000
same layout_pinned_dtb "$(hdr "$T/p" DTB_GPA)" 0x81e00008
same layout_pinned_reg "$(fdtget -t x "$T/p.dtb" /memory@80000000 reg)" "0 80000000 0 2000000"

# ---- rejections: exit 1, a message naming regions and addresses, nothing written ----
echo old >"$T/r.dtb"
reject() { # NAME MESSAGE ARGS...
	local name=$1 msg=$2
	shift 2
	expect "$name" 1 timeout 20 "$PACK" layout -i "$T/initrd" -o "$T/r" "$@"
	contains "${name}_message" "$msg"
}
reject layout_rej_dtb_cross "crosses the 2 MiB boundary at 0x42000000" -k "$T/Image" -d "$T/virt.dtb" --ram-size 64M --dtb-at 0x41fff000
reject layout_rej_bss "starts below the end of the kernel [0x40000000, 0x41200000)" -k "$T/Image" -d "$T/virt.dtb" --ram-size 64M --initrd-at 0x41000000
reject layout_rej_overlap "overlaps initramfs [0x41200000, 0x412493e0)" -k "$T/Image" -d "$T/virt.dtb" --ram-size 64M --dtb-at 0x41200000
reject layout_rej_outside "is outside guest RAM [0x40000000, 0x44000000)" -k "$T/Image" -d "$T/virt.dtb" --ram-size 64M --initrd-at 0x44000000
head -c $((4 * MB)) /dev/urandom >"$T/big"
expect layout_rej_initrd_fit 1 "$PACK" layout -k "$T/Image" -i "$T/big" -d "$T/virt.dtb" --ram-size 20M -o "$T/r"
contains layout_rej_initrd_fit_message "the initramfs (4194304 bytes) does not fit in guest RAM [0x40000000, 0x41400000)"
head -c $((2 * MB + 100)) /dev/zero >"$T/blob"
printf '/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>; big { data = /incbin/("%s"); }; };\n' "$T/blob" >"$T/huge.dts"
reject layout_rej_dtb_size "the DTB is 2097" -k "$T/Image" -d "$T/huge.dts" --ram-size 64M
contains layout_rej_dtb_size_2m "the arm64 boot protocol allows at most 2 MiB"
dtc -q -I dtb -O dts "$T/virt.dtb" >"$T/virt.dts"
cat "$T/virt.dts" - >"$T/uio.dts" <<'EOF2'
/ { blk@43c00000 { compatible = "generic-uio"; reg = <0 0x43c00000 0 0x1000>, <0 0x43c01000 0 0x3ff000>;
      reg-names = "notify", "queues"; }; };
EOF2
reject layout_rej_uio "UIO region /blk@43c00000 reg[0] (notify) [0x43c00000, 0x43c01000) lies in guest RAM [0x40000000, 0x44000000) but no /reserved-memory node with no-map covers 0x43c00000" \
	-k "$T/Image" -d "$T/uio.dts" --ram-size 64M
cat "$T/uio.dts" - >"$T/uio2.dts" <<'EOF2'
/ { reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;
      shm@43c00000 { reg = <0 0x43c00000 0 0x400000>; no-map; }; }; };
EOF2
expect layout_uio_nomap 0 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/uio2.dts" --ram-size 64M -o "$T/u"
same layout_uio_dtb_below "$(hdr "$T/u" DTB_GPA)" 0x43bfe000
reject layout_rej_base "guest RAM base 0x40100000 is not 2 MiB aligned" -k "$T/Image" -d "$T/virt.dtb" --ram-size 64M --ram-base 0x40100000
reject layout_rej_kernel_fit "kernel [0x40000000, 0x41200000) does not fit in guest RAM [0x40000000, 0x41000000)" -k "$T/Image" -d "$T/virt.dtb" --ram-size 16M
mkimage "$T/bad" $((MB)) $((2 * MB)) 0 10 0x12345678
reject layout_rej_magic "not an arm64 Image: magic at offset 56 is 0x12345678" -k "$T/bad" -d "$T/virt.dtb" --ram-size 64M
mkimage "$T/bad" $((MB)) $((2 * MB)) 0 0x1a
reject layout_rej_flags "flags 0x1a has reserved bits set" -k "$T/bad" -d "$T/virt.dtb" --ram-size 64M
printf '/dts-v1/;\n/ { oops\n' >"$T/broken.dts"
reject layout_rej_dtc "dtc failed to compile" -k "$T/Image" -d "$T/broken.dts" --ram-size 64M
reject layout_rej_dtb_magic "$T/initrd: not a DTB (magic 0x" -k "$T/Image" -d "$T/initrd" --ram-size 64M
contains layout_rej_dtb_magic_not_dts "expected 0xd00dfeed) and not a DTS (binary data: holds NUL bytes)"
# a DTB older than version 16: refused before libfdt (whose fdt_check_full crashes on
# some such blobs: tests/fuzz/corpus-pack_dtb/version4-libfdt-crash)
cp "$T/virt.dtb" "$T/v4.dtb"
printf '\0\0\0\4' | dd of="$T/v4.dtb" bs=1 seek=20 conv=notrunc 2>/dev/null
reject layout_rej_dtb_version "$T/v4.dtb: not a usable DTB: version 4 (dvm-pack reads versions 16 and 17" -k "$T/Image" -d "$T/v4.dtb" --ram-size 64M
tail -c +25 "$(dirname "$0")/../fuzz/corpus-pack_dtb/version4-libfdt-crash" >"$T/crash.dtb" 2>/dev/null &&
	reject layout_rej_dtb_libfdt_crash "not a usable DTB: version 4" -k "$T/Image" -d "$T/crash.dtb" --ram-size 64M
# a structure block whose tags do not move forward: libfdt 1.6.1's fdt_check_full() loops
# for ever on it (tests/fuzz/corpus-pack_dtb/tags-backwards-libfdt-hang); refused at once
# (reject's timeout 20 would fail the check)
tail -c +25 "$(dirname "$0")/../fuzz/corpus-pack_dtb/tags-backwards-libfdt-hang" >"$T/hang.dtb" 2>/dev/null &&
	reject layout_rej_dtb_libfdt_hang "$T/hang.dtb: not a valid DTB: FDT_ERR_BADSTRUCTURE" -k "$T/Image" -d "$T/hang.dtb" --ram-size 64M
printf 'console=hvc0 %02000d' 0 >"$T/args"
reject layout_rej_bootargs_long "the kernel command line (/chosen bootargs with --bootargs/--append-bootargs) is 4027 bytes; an arm64 kernel keeps at most 2047" \
	-k "$T/Image" -d "$T/virt.dtb" --ram-size 64M --bootargs "$(cat "$T/args") $(cat "$T/args")"
mkfifo "$T/fifo"
reject layout_rej_fifo_kernel "cannot read kernel $T/fifo: a FIFO, not a regular file" -k "$T/fifo" -d "$T/virt.dtb" --ram-size 64M
reject layout_rej_fifo_dtb "cannot read device tree $T/fifo: a FIFO, not a regular file" -k "$T/Image" -d "$T/fifo" --ram-size 64M
# a NOP in code0 and the branch in code1: an Image built without CONFIG_EFI
{ le 0xd503201f 4; le $((0x14000000 | 0x400)) 4; le 0 8; le $((18 * MB)) 8; le 10 8; le 0 24; le 0x644d5241 4; le 0x40 4; } >"$T/noefi"
truncate -s $((16 * MB)) "$T/noefi"
expect layout_noefi_image 0 "$PACK" layout -k "$T/noefi" -i "$T/initrd" -d "$T/virt.dtb" --ram-size 64M -o "$T/ne"
contains layout_noefi_kind "kernel $T/noefi: arm64 Image, no EFI stub (NOP code0, branch in code1)"
OUT=$(cat "$T/ne.map")
contains layout_noefi_kind_in_map "no EFI stub (NOP code0, branch in code1)"
same layout_rej_untouched "$(cat "$T/r.dtb")" old
same layout_rej_nothing_written "$(ls "$T" | grep -c '^r\.\(h\|map\|svg\)$\|^\.r\.')" 0

expect layout_usage_missing 2 "$PACK" layout -k "$T/Image" -d "$T/virt.dtb" --ram-size 64M -o "$T/x"
contains layout_usage_missing_message "missing -i INITRD"
expect layout_usage_size 2 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" --ram-size 64Q -o "$T/x"
contains layout_usage_size_message "bad --ram-size '64Q'"
expect layout_usage_unknown 2 "$PACK" layout --frobnicate
contains layout_usage_unknown_message "unknown option: --frobnicate"
expect layout_usage_no_value 2 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" -o "$T/x" --ram-size
contains layout_usage_no_value_message "option needs a value: --ram-size"
expect layout_usage_no_value_short 2 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" --ram-size 64M -o
contains layout_usage_no_value_short_message "option needs a value: -o"
# every value is used or rejected by name: 2^64-1 is no "not given", 0 no "missing"
usage() { # NAME MESSAGE ARGS...
	local name=$1 msg=$2
	shift 2
	expect "$name" 2 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" -o "$T/x" "$@"
	contains "${name}_message" "$msg"
}
usage layout_usage_size_max "bad --ram-size '0xffffffffffffffff': must be a non-zero multiple of 4 KiB" --ram-size 0xffffffffffffffff
usage layout_usage_size_zero "bad --ram-size '0': must be a non-zero multiple of 4 KiB" --ram-size 0
usage layout_usage_initrd_max "bad --initrd-at '0xffffffffffffffff': not 4 KiB aligned" --ram-size 64M --initrd-at 0xffffffffffffffff
usage layout_usage_dtb_max "bad --dtb-at '0xffffffffffffffff': not 8-byte aligned" --ram-size 64M --dtb-at 0xffffffffffffffff
usage layout_usage_dtb_align "bad --dtb-at '0x41f00004': not 8-byte aligned" --ram-size 64M --dtb-at 0x41f00004
reject layout_rej_initrd_high "is outside guest RAM" -k "$T/Image" -d "$T/virt.dtb" --ram-size 64M --initrd-at 0xfffffffffffff000
reject layout_rej_dtb_high "DTB [0xfffffffffffffff8, 2^64 + 0x" -k "$T/Image" -d "$T/virt.dtb" --ram-size 64M --dtb-at 0xfffffffffffffff8
expect layout_help 0 "$PACK" layout --help
contains layout_help_text "Usage: dvm-pack layout"

# ---- the boot stub: dvm-pack's encoding equals the assembler's ----
expect layout_stub 0 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" --ram-size 64M -o "$T/q" --stub "$T/stub.bin"
cat >"$T/stub.S" <<EOF2
	ldr x0, dtb
	mov x1, xzr
	mov x2, xzr
	mov x3, xzr
	ldr x4, entry
	br x4
	.balign 8
	.globl _start
_start = 0
dtb:	.quad $(hdr "$T/q" DTB_GPA)
entry:	.quad $(hdr "$T/q" KERNEL_ENTRY)
EOF2
aarch64-linux-gnu-as -o "$T/stub.o" "$T/stub.S" && aarch64-linux-gnu-ld -Ttext=0 -o "$T/stub.elf" "$T/stub.o" &&
	aarch64-linux-gnu-objcopy -O binary "$T/stub.elf" "$T/stub.ref" &&
	cmp -s "$T/stub.bin" "$T/stub.ref" && pass layout_stub_matches_as || fail layout_stub_matches_as "stub differs from as output"

# ---- outputs never harm what they are pointed at, and appear together or not at all ----
mkdir "$T/set"
for x in dtb h map; do echo old >"$T/set/a.$x"; done
mkdir "$T/set/a.svg"	# the last output cannot be written
expect layout_set_fails 1 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" --ram-size 64M -o "$T/set/a"
contains layout_set_fails_message "cannot write $T/set/a.svg: it is a directory"
same layout_set_none_changed "$(cat "$T/set/a.dtb" "$T/set/a.h" "$T/set/a.map")" "old
old
old"
same layout_set_no_temp "$(ls -A "$T/set" | tr '\n' ' ')" "a.dtb a.h a.map a.svg "
rmdir "$T/set/a.svg"
expect layout_set_ok 0 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" --ram-size 64M -o "$T/set/a"
same layout_set_all_written "$(grep -lx old "$T/set/a."* | wc -l)" 0
if mknod "$T/set/nulldev" c 1 3 2>/dev/null; then
	expect layout_stub_device 0 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" --ram-size 64M -o "$T/set/b" --stub "$T/set/nulldev"
	same layout_stub_device_kept "$(stat -c '%F %t,%T' "$T/set/nulldev")" "character special file 1,3"
	ln -s nulldev "$T/set/c.dtb"
	expect layout_prefix_device 0 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" --ram-size 64M -o "$T/set/c"
	same layout_prefix_device_kept "$(stat -c '%F %t,%T' "$T/set/nulldev") $(readlink "$T/set/c.dtb")" "character special file 1,3 nulldev"
fi
mkfifo "$T/set/stub.fifo"
timeout 10 cat "$T/set/stub.fifo" >"$T/set/from-fifo" &
expect layout_stub_fifo 0 timeout 10 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" --ram-size 64M -o "$T/set/b" --stub "$T/set/stub.fifo"
wait
same layout_stub_fifo_through "$(stat -c %F "$T/set/stub.fifo") $(stat -c %s "$T/set/from-fifo")" "fifo 40"
ln -s real-stub.bin "$T/set/stub-link"
expect layout_stub_symlink 0 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" --ram-size 64M -o "$T/set/b" --stub "$T/set/stub-link"
same layout_stub_symlink_followed "$(readlink "$T/set/stub-link") $(stat -c %s "$T/set/real-stub.bin")" "real-stub.bin 40"

# alive PID: the process exists and is not a zombie (killed, waiting for its reaper)
alive() { [ -r "/proc/$1/stat" ] && ! awk '{ exit $3 == "Z" ? 0 : 1 }' "/proc/$1/stat"; }

# ---- minram with a readiness command (no boot): "ready" from 41 MiB ----
mkdir -p "$T/tmp"
READY='test -s "$DVM_DTB" && test -s "$DVM_STUB" && case "$DVM_LOADER_ARGS" in *loader,file=*) ;; *) exit 3;; esac && test "$DVM_RAM_MB" -ge 41'
expect minram_cmd 0 env TMPDIR="$T/tmp" "$PACK" minram -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" \
	--ready-cmd "$READY" --min 16M --max 64M -o "$T/m"
contains minram_min "minimum: 41 MiB"
contains minram_fit "probe 16 MiB     does not fit: kernel [0x40200000, 0x41400000) does not fit"
contains minram_rec "recommended: 48 MiB = minimum + 25% of that (at least 4 MiB)"
first=$(echo "$OUT" | grep '^probe' | awk '{print $2 $3, $4}')
same minram_written "$(hdr "$T/m" RAM_SIZE)" 0x3000000
same minram_target_base "$(hdr "$T/m" RAM_START_GPA)" 0x40000000
same minram_tmp_clean "$(ls -A "$T/tmp")" ""
env TMPDIR="$T/tmp" "$PACK" minram -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" \
	--ready-cmd "$READY" --min 16M --max 64M -o "$T/m2" >"$T/m2.out" 2>&1
same minram_deterministic "$(grep '^probe' "$T/m2.out" | awk '{print $2 $3, $4}')" "$first"
expect minram_never 1 "$PACK" minram -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" --ready-cmd false --min 20M --max 64M -o "$T/m3"
contains minram_never_message "does not become ready even with --max 64 MiB"

# a hanging readiness command is killed at the timeout, with what it started
expect minram_timeout 1 env TMPDIR="$T/tmp" "$PACK" minram -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" \
	--ready-cmd "sleep 30 & echo \$! > $T/child; wait" --timeout 1 --min 20M --max 64M -o "$T/m4"
contains minram_timeout_message "the readiness command did not finish within 1 s"
sleep 0.2
if alive "$(cat "$T/child")"; then fail minram_timeout_kills "sleep survived"; else pass minram_timeout_kills; fi
# SIGINT: the probe and the temporary files go too
env TMPDIR="$T/tmp" "$PACK" minram -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" \
	--ready-cmd "sleep 30 & echo \$! > $T/child2; wait" --min 20M --max 64M -o "$T/m5" >/dev/null 2>&1 &
mpid=$!
for i in $(seq 50); do [ -s "$T/child2" ] && break; sleep 0.1; done
kill -INT $mpid
wait $mpid
rc=$?
same minram_sigint_status $rc 130
sleep 0.2
if alive "$(cat "$T/child2")"; then fail minram_sigint_kills "sleep survived"; else pass minram_sigint_kills; fi
same minram_sigint_tmp_clean "$(ls -A "$T/tmp")" ""
# QEMU that cannot start, or says things on its own stderr, is never a ready guest:
# readiness is matched only in what the guest printed
expect minram_no_qemu 1 "$PACK" minram -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" \
	--qemu "$T/nonexistent" --ready-pattern such --min 20M --max 64M -o "$T/mq"
contains minram_no_qemu_message "could not boot: cannot run $T/nonexistent: No such file or directory"
printf '#!/bin/sh\necho "qemu: no such thing, such a pity" >&2\nexit 1\n' >"$T/qemu-fails"
chmod +x "$T/qemu-fails"
expect minram_qemu_fails 1 "$PACK" minram -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" \
	--qemu "$T/qemu-fails" --ready-pattern such --min 20M --max 64M -o "$T/mq"
contains minram_qemu_fails_message "QEMU exited with status 1 before the guest printed anything: qemu: no such thing, such a pity"
same minram_qemu_fails_nothing_written "$(ls "$T" | grep -c '^mq\.')" 0
# the console: ttyAMA0 by default, hvc0 (a one-port virtio console) when asked or when
# the bootargs name it; a fake QEMU records its arguments and "boots" when -m is >= 41M
cat >"$T/qemu-fake" <<EOF2
#!/bin/sh
echo "\$*" >"$T/qemu.args"
echo "guest: all drivers started"
EOF2
chmod +x "$T/qemu-fake"
expect minram_console_serial 0 "$PACK" minram -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" \
	--qemu "$T/qemu-fake" --ready-pattern 'all drivers started' --min 20M --max 64M -o "$T/mc"
contains minram_console_serial_said "probes read the console on ttyAMA0"
OUT=$(cat "$T/qemu.args")
contains minram_console_serial_args "-serial stdio"
expect minram_console_hvc 0 "$PACK" minram -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" \
	--qemu "$T/qemu-fake" --ready-pattern 'all drivers started' --min 20M --max 64M \
	--console hvc0 --bootargs "panic=-1" -o "$T/mc"
contains minram_console_hvc_said "probes read the console on hvc0"
same minram_console_hvc_bootargs "$(fdtget "$T/mc.dtb" /chosen bootargs)" "panic=-1 console=hvc0"
OUT=$(cat "$T/qemu.args")
contains minram_console_hvc_no_serial "-serial none"
contains minram_console_hvc_args "-chardev stdio,id=dvmcon -device virtio-serial-device,max_ports=1 -device virtconsole,chardev=dvmcon"
expect minram_console_auto 0 "$PACK" minram -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" \
	--qemu "$T/qemu-fake" --ready-pattern 'all drivers started' --min 20M --max 64M \
	--bootargs "console=ttyAMA0 console=hvc0" -o "$T/mc"
contains minram_console_auto_said "probes read the console on hvc0"
expect minram_console_bad 2 "$PACK" minram -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" \
	--ready-cmd true --console ttyS0 -o "$T/mc"
contains minram_console_bad_message "bad --console 'ttyS0' (ttyAMA0 or hvc0)"
expect minram_usage_both 2 "$PACK" minram -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" --ready-cmd true --ready-pattern x -o "$T/m6"
expect minram_usage_range 2 "$PACK" minram -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" --ready-cmd true --min 64M --max 32M -o "$T/m6"
expect minram_usage_regex 2 "$PACK" minram -k "$T/Image" -i "$T/initrd" -d "$T/virt.dtb" --ready-pattern 'a(' -o "$T/m6"
contains minram_usage_regex_message "bad --ready-pattern 'a('"
finish
