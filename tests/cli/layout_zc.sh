# SPDX-License-Identifier: BSD-2-Clause
# dvm-pack layout --zero-copy (pack/layout/dtbzc.c): the UIO data regions get /reserved-memory
# entries without no-map inside a memory node (added when none covers them), the no-map
# window is split around them, the queues and the notify page stay no-map, the vmemmap
# cost is noted in the map, PREFIX.system maps the data regions cached; a DTB without data regions is refused. Checked with dtc.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/../lib.sh"
T=$T_TMP

layout_inputs "$T"

# 1: the docs' example: the window at 0x4fc00000 is in no memory node (a new section)
expect layout_zc_example 0 "$PACK" layout -k "$T/Image" -i "$T/initrd" \
	-d "$ROOT/docs/examples/blk-vm.dts" --ram-size 60M --zero-copy -o "$T/a"
dtc -I dtb -O dts "$T/a.dtb" >"$T/a.dts" 2>/dev/null
# node NAME: the body of the first node NAME in a.dts (up to its closing brace)
node() { awk -v n="$1 {" 'index($0, n) { on = 1 } on { print } on && /};/ { exit }' "$2"; }
for r in blk-data@4fd00000:0x4fd00000:0x100000 blk-data-data1@4fe00000:0x4fe00000:0x100000 \
	 blk-data-data2@4ff00000:0x4ff00000:0x100000; do
	IFS=: read -r n a s <<<"$r"
	body=$(node "$n" "$T/a.dts")
	if [[ $body == *"reg = <0x00 $a 0x00 $s>"* && $body != *no-map* ]]; then
		pass "layout_zc_reserved_$n"
	else
		fail "layout_zc_reserved_$n" "got: $body"
	fi
	grep -q "memory@${a#0x} {" "$T/a.dts" && pass "layout_zc_memory_$n" ||
		fail "layout_zc_memory_$n" "no memory node for $a"
done
body=$(node "vmm@4fc00000" "$T/a.dts")
[[ $body == *"reg = <0x00 0x4fc00000 0x00 0x100000>"* && $body == *no-map* ]] &&
	pass layout_zc_window_split || fail layout_zc_window_split "got: $body"
grep -q "blk_data 0x4fd00000 + 0x100000 reserved without no-map; vmemmap: a 128 MiB section of its own" "$T/a.map" &&
	grep -q "blk-data_data1 0x4fe00000 + 0x100000 reserved without no-map; vmemmap: in a section that already has memory" "$T/a.map" &&
	pass layout_zc_vmemmap_noted || fail layout_zc_vmemmap_noted "$(grep zero-copy "$T/a.map")"
grep -q '<map mr="blk_data" vaddr="0x4fd00000" perms="rw" cached="true" />' "$T/a.system" &&
	grep -q '<map mr="blk_req" vaddr="0x4fc02000" perms="rw" cached="false" />' "$T/a.system" &&
	pass layout_zc_sdf_cached || fail layout_zc_sdf_cached "$(grep cached "$T/a.system")"

# 2: the window inside a memory node (QEMU's NUMA node 1 style) in guest RAM's section:
# nothing added, no new section
cat >"$T/b.dts" <<'DTS'
/dts-v1/;
/ { #address-cells = <2>; #size-cells = <2>;
    memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x4000000>; };
    memory@47000000 { device_type = "memory"; reg = <0 0x47000000 0 0x800000>; };
    reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;
        win@47000000 { reg = <0 0x47000000 0 0x800000>; no-map; }; };
    blk@47000000 { compatible = "generic-uio"; linux,uio-name = "blk";
        reg = <0 0x47000000 0 0x1000>, <0 0x47001000 0 0x1000>, <0 0x47002000 0 0x2000>,
              <0 0x47004000 0 0x1000>, <0 0x47100000 0 0x200000>;
        reg-names = "notify", "info", "req", "resp", "data"; interrupts = <0 12 1>; };
    chosen { }; };
DTS
expect layout_zc_in_window 0 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/b.dts" \
	--ram-size 60M --zero-copy -o "$T/b"
dtc -I dtb -O dts "$T/b.dtb" >"$T/b.out.dts" 2>/dev/null
body=$(node "win@47000000" "$T/b.out.dts")
[[ $body == *"reg = <0x00 0x47000000 0x00 0x100000 0x00 0x47300000 0x00 0x500000>"* && $body == *no-map* ]] &&
	pass layout_zc_window_two_ranges || fail layout_zc_window_two_ranges "got: $body"
[ "$(grep -c 'memory@' "$T/b.out.dts")" = 2 ] && pass layout_zc_no_memory_added ||
	fail layout_zc_no_memory_added "$(grep 'memory@' "$T/b.out.dts")"
grep -q "blk_data 0x47100000 + 0x200000 reserved without no-map; vmemmap: in a section that already has memory (no extra)" "$T/b.map" &&
	pass layout_zc_same_section || fail layout_zc_same_section "$(grep zero-copy "$T/b.map")"

# 3: without --zero-copy nothing changes; with it but no data region: refused
expect layout_zc_off 0 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/b.dts" --ram-size 60M -o "$T/c"
dtc -I dtb -O dts "$T/c.dtb" 2>/dev/null | grep -q "blk-data@" && fail layout_zc_off_untouched "entry written" ||
	pass layout_zc_off_untouched
sed 's/"data"; interrupts/"queue"; interrupts/' "$T/b.dts" >"$T/d.dts"
expect layout_zc_no_data 1 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/d.dts" --ram-size 60M --zero-copy -o "$T/d"
contains layout_zc_no_data_msg "--zero-copy: no UIO data region"
finish
