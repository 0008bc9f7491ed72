# SPDX-License-Identifier: BSD-2-Clause
# dvm-pack layout --zero-copy on the network driver VM (pack/layout/dtbzc.c; uio_net's
# cacheable data maps, docs/uio_net.md): the RX data and every client TX data region get
# /reserved-memory entries without no-map inside memory nodes, while the queues, the
# notify pages and libvmm's VMM-filled data_passing page stay in the no-map window and
# map uncached in PREFIX.system. dvm's wiring (docs/examples/net-vm.dts: net-rx,
# net-tx, net-tx-data) and libvmm's per-region wiring (rx_data, tx_data). Checked with dtc.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/../lib.sh"
T=$T_TMP

layout_inputs "$T"
# node NAME FILE: the body of the first node NAME in FILE (up to its closing brace)
node() { awk -v n="$1 {" 'index($0, n) { on = 1 } on { print } on && /};/ { exit }' "$2"; }
# reserved NAME FILE ADDR SIZE: /reserved-memory/NAME is [ADDR, +SIZE) without no-map,
# inside a memory node
reserved() {
	local body
	body=$(node "$1" "$2")
	if [[ $body == *"reg = <0x00 $3 0x00 $4>"* && $body != *no-map* ]] &&
		grep -q "memory@${3#0x} {" "$2"; then
		pass "layout_zc_net_reserved_$1"
	else
		fail "layout_zc_net_reserved_$1" "got: $body; memory nodes: $(grep -o 'memory@[0-9a-f]*' "$2" | tr '\n' ' ')"
	fi
}
# cached PREFIX NAME true|false: the map of NAME in PREFIX.system
cached() {
	grep -q "<map mr=\"$2\" .* cached=\"$3\" />" "$1.system" && pass "layout_zc_net_cached_$2_$3" ||
		fail "layout_zc_net_cached_$2_$3" "$(grep "mr=\"$2\"" "$1.system")"
}

# 1: dvm's wiring, the docs' example
expect layout_zc_net_dvm 0 "$PACK" layout -k "$T/Image" -i "$T/initrd" \
	-d "$ROOT/docs/examples/net-vm.dts" --ram-size 60M --zero-copy -o "$T/a"
dtc -I dtb -O dts "$T/a.dtb" >"$T/a.dts" 2>/dev/null
reserved net-rx-data@4fd00000 "$T/a.dts" 0x4fd00000 0x100000
reserved net-tx-data0@4fe00000 "$T/a.dts" 0x4fe00000 0x80000
reserved net-tx-data1@4fe80000 "$T/a.dts" 0x4fe80000 0x80000
reserved net-tx-data-data2@4ff00000 "$T/a.dts" 0x4ff00000 0x80000
# the queues and notify pages (0x4fc00000..0x4fc17000) stay no-map, the rest too
body=$(node "vmm@4fc00000" "$T/a.dts")
[[ $body == *"reg = <0x00 0x4fc00000 0x00 0x100000 0x00 0x4ff80000 0x00 0x80000>"* &&
   $body == *no-map* ]] && pass layout_zc_net_window_split || fail layout_zc_net_window_split "got: $body"
[ "$(grep -c 'reserved without no-map' "$T/a.map")" = 4 ] && pass layout_zc_net_four_regions ||
	fail layout_zc_net_four_regions "$(grep zero-copy "$T/a.map")"
for m in net-rx_data net-tx_data0 net-tx_data1 net-tx-data_data2; do cached "$T/a" $m true; done
for m in net-rx_free net-rx_active net-tx_free net-tx_active; do cached "$T/a" $m false; done
grep -q "net-rx_notify at 0x4fc00000: left unmapped" "$T/a.system" && pass layout_zc_net_notify_unmapped ||
	fail layout_zc_net_notify_unmapped "$(grep notify "$T/a.system")"

# 2: libvmm's per-region wiring: rx_data and tx_data; data_passing (VMM-filled) is not data
{
	echo '/dts-v1/;'
	echo '/ { #address-cells = <2>; #size-cells = <2>;'
	echo '  memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x4000000>; };'
	echo '  reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;'
	echo '    vmm@4fc00000 { reg = <0 0x4fc00000 0 0x400000>; no-map; }; };'
	for r in data_passing:4fc00000:0x1000 rx_free:4fc01000:0x3000 rx_active:4fc04000:0x3000 \
		 tx_free:4fc07000:0x3000 tx_active:4fc0a000:0x3000 rx_fault:4fc0d000:0x1000 \
		 tx_fault:4fc0e000:0x1000 rx_data:4fd00000:0x100000 tx_data:4fe00000:0x180000; do
		IFS=: read -r n a s <<<"$r"
		echo "  uio@$a { compatible = \"generic-uio\", \"$n\"; linux,uio-name = \"uio\";"
		echo "    reg = <0 0x$a 0 $s>; };"
	done
	echo '  uio@irq13 { compatible = "generic-uio", "rx_irq"; linux,uio-name = "uio"; interrupts = <0 13 4>; };'
	echo '  uio@irq14 { compatible = "generic-uio", "tx_irq"; linux,uio-name = "uio"; interrupts = <0 14 4>; };'
	echo '  chosen { }; };'
} >"$T/l.dts"
expect layout_zc_net_libvmm 0 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/l.dts" \
	--ram-size 60M --zero-copy -o "$T/l"
dtc -I dtb -O dts "$T/l.dtb" >"$T/l.out.dts" 2>/dev/null
reserved rx-data@4fd00000 "$T/l.out.dts" 0x4fd00000 0x100000
reserved tx-data@4fe00000 "$T/l.out.dts" 0x4fe00000 0x180000
body=$(node "vmm@4fc00000" "$T/l.out.dts")
[[ $body == *"reg = <0x00 0x4fc00000 0x00 0x100000 0x00 0x4ff80000 0x00 0x80000>"* &&
   $body == *no-map* ]] && pass layout_zc_net_libvmm_window || fail layout_zc_net_libvmm_window "got: $body"
[ "$(grep -c 'reserved without no-map' "$T/l.map")" = 2 ] &&
	! grep -q "data_passing.*reserved without no-map" "$T/l.map" && pass layout_zc_net_data_passing_kept ||
	fail layout_zc_net_data_passing_kept "$(grep zero-copy "$T/l.map")"
cached "$T/l" rx_data true
cached "$T/l" tx_data true
cached "$T/l" data_passing false
cached "$T/l" rx_free false
finish
