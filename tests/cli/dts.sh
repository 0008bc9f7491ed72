# SPDX-License-Identifier: BSD-2-Clause
# The device trees in rootfs/ (*.dts): each compiles with dtc and has its generic-uio
# nodes; those of the per-region binding (blk-vm.dts, net-vm.dts) follow sdfgen's rules
# for Linux UIO nodes (microkit_sdf_gen parseUios / LinuxUio): compatible exactly
# "generic-uio", "<name>"; names unique and at most 31 characters; exactly one reg entry
# (optional on sdfgen's network-driver-VM branch: net-vm.dts), page-aligned address and
# size; at most one interrupt; fewer than 16 UIO nodes. A tree breaking each rule checks
# that the checker sees it. Booting them: tests/e2e/dts_boot.sh.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

if ! command -v dtc >/dev/null || ! command -v fdtget >/dev/null; then
	fail dts_tools "dtc and fdtget (device-tree-compiler) are needed"
	finish
	exit
fi

# sdfgen_rules DTB REG: the rule violations of DTB's UIO nodes, one per line (REG: one
# = exactly one reg entry, optional = at most one).
sdfgen_rules() {
	local dtb=$1 reg=$2 n=0 names=" " node compat cells c
	for node in $(fdtget -l "$dtb" /); do
		compat=$(fdtget -t s "$dtb" "/$node" compatible 2>/dev/null) || continue
		case " $compat " in *" generic-uio "*) ;; *) continue ;; esac
		n=$((n + 1))
		set -- $compat
		[ $# = 2 ] && [ "$1" = generic-uio ] ||
			echo "/$node: compatible '$compat' is not exactly \"generic-uio\", \"<name>\""
		c=${2:-}
		[ ${#c} -le 31 ] || echo "/$node: name '$c' longer than 31 characters"
		case "$names" in *" $c "*) echo "/$node: name '$c' used twice" ;; esac
		names="$names$c "
		cells=$(fdtget -t x "$dtb" "/$node" reg 2>/dev/null)
		set -- $cells
		if [ $# = 0 ]; then
			[ "$reg" = optional ] || echo "/$node: no reg"
		elif [ $# != 4 ]; then
			echo "/$node: $(($# / 4)) reg entries, not one"
		elif [ $((0x$2 % 0x1000)) != 0 ] || [ $((0x$4 % 0x1000)) != 0 ]; then
			echo "/$node: reg 0x$2 size 0x$4 not page-aligned"
		fi
		cells=$(fdtget -t x "$dtb" "/$node" interrupts 2>/dev/null)
		set -- $cells
		[ $# -le 3 ] || echo "/$node: $(($# / 3)) interrupts, at most one allowed"
	done
	[ $n -lt 16 ] || echo "$n UIO nodes: sdfgen takes fewer than 16"
	[ $n -gt 0 ] || echo "no UIO node"
}

for f in blk-vm blk-vm-dvm net-vm net-vm-dvm; do
	if dtc -q -I dts -O dtb -o "$T_TMP/$f.dtb" "$ROOT/rootfs/$f.dts" 2>"$T_TMP/dtc.err"; then
		pass "dts_${f}_compiles"
	else
		fail "dts_${f}_compiles" "$(head -c 400 "$T_TMP/dtc.err")"
		continue
	fi
	OUT=$(fdtget -l "$T_TMP/$f.dtb" / | grep -c -e '^uio@' -e '^blk' -e '^net-')
	[ "$OUT" -ge 2 ] && pass "dts_${f}_uio_nodes" || fail "dts_${f}_uio_nodes" "$OUT UIO nodes"
	OUT=$(fdtget -t s "$T_TMP/$f.dtb" /chosen stdout-path; fdtget -l "$T_TMP/$f.dtb" / | grep '^memory@')
	contains "dts_${f}_complete" "memory@40000000"
done
OUT=$(sdfgen_rules "$T_TMP/blk-vm.dtb" one)
[ -z "$OUT" ] && pass dts_blk_vm_sdfgen_rules || fail dts_blk_vm_sdfgen_rules "$OUT"
OUT=$(fdtget -l "$T_TMP/blk-vm.dtb" / | grep -c '^uio@')
[ "$OUT" = 7 ] && pass dts_blk_vm_7_regions || fail dts_blk_vm_7_regions "$OUT uio nodes"
OUT=$(sdfgen_rules "$T_TMP/net-vm.dtb" optional)
[ -z "$OUT" ] && pass dts_net_vm_sdfgen_rules || fail dts_net_vm_sdfgen_rules "$OUT"
OUT=$(fdtget -l "$T_TMP/net-vm.dtb" / | grep -c '^uio@')
[ "$OUT" = 11 ] && pass dts_net_vm_11_regions || fail dts_net_vm_11_regions "$OUT uio nodes"
# dvm's own binding is not sdfgen's: the checker must say so (multi-reg nodes)
OUT=$(sdfgen_rules "$T_TMP/blk-vm-dvm.dtb" one)
contains dts_dvm_binding_not_sdfgen "reg entries, not one"

# The checker against a tree breaking each rule.
{
	echo '/dts-v1/; / { #address-cells = <2>; #size-cells = <2>;'
	echo 'a@1000 { compatible = "generic-uio", "x", "y"; reg = <0 0x1000 0 0x1000>; };'
	echo 'b@2000 { compatible = "generic-uio", "dup"; reg = <0 0x2000 0 0x1000>; };'
	echo 'c@3000 { compatible = "generic-uio", "dup"; reg = <0 0x3000 0 0x1000 0 0x4000 0 0x1000>; };'
	echo 'd@5000 { compatible = "generic-uio", "d"; reg = <0 0x5800 0 0x1000>; };'
	echo 'e@6000 { compatible = "generic-uio", "e"; reg = <0 0x6000 0 0x1000>; interrupts = <0 1 4 0 2 4>; };'
	echo 'f@7000 { compatible = "generic-uio", "a_name_of_thirty_two_characters_"; reg = <0 0x7000 0 0x1000>; };'
	echo 'g { compatible = "generic-uio", "g"; };'
	for i in 0 1 2 3 4 5 6 7 8; do echo "h$i@1$i""000 { compatible = \"generic-uio\", \"h$i\"; reg = <0 0x1${i}000 0 0x1000>; };"; done
	echo '};'
} >"$T_TMP/bad.dts"
dtc -q -I dts -O dtb -o "$T_TMP/bad.dtb" "$T_TMP/bad.dts"
OUT=$(sdfgen_rules "$T_TMP/bad.dtb" one)
contains dts_rule_two_strings "/a@1000: compatible 'generic-uio x y' is not exactly"
contains dts_rule_unique "/c@3000: name 'dup' used twice"
contains dts_rule_one_reg "/c@3000: 2 reg entries, not one"
contains dts_rule_aligned "/d@5000: reg 0x5800 size 0x1000 not page-aligned"
contains dts_rule_one_irq "/e@6000: 2 interrupts, at most one allowed"
contains dts_rule_31_chars "/f@7000: name 'a_name_of_thirty_two_characters_' longer than 31"
contains dts_rule_reg_needed "/g: no reg"
contains dts_rule_under_16 "16 UIO nodes: sdfgen takes fewer than 16"
finish
