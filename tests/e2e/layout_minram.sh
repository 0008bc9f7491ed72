# SPDX-License-Identifier: BSD-2-Clause
# dvm-pack minram against real boots: the smallest guest RAM with which (1) dvm's init
# reports "all drivers started" (a console pattern) and (2) the block driver VM serves
# vmm-sim: storage info ready and a read round trip (a readiness command). Each search
# must be consistent (a ready probe at the minimum, a failed one 1 MiB below), write
# the recommended layout, and leave no QEMU process or temporary file behind.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
VMM_SIM="$ROOT/$BUILD/host/vmm-sim"
mkdir -p "$T_TMP/tmp"
# search ranges around each kernel's minimum (Debian's generic kernel needs ~53 MiB)
if [ "$DVM_KERNEL_NAME" = debian ]; then
	RANGE_A="--min 48M --max 128M" RANGE_B="--min 48M --max 80M"
else
	# the pattern search from 7 MiB (base: not ready, an OOM report): with less, dvm's
	# base kernel prints nothing and such a probe costs the whole --timeout (30 s) at 4
	# MiB, or is an error for minram (QEMU ends before any output) at 6
	RANGE_A="--min 7M --max 64M" RANGE_B="--min 4M --max 64M"
fi

# check NAME OUTFILE PREFIX: the search's consistency and outputs
check() {
	local name=$1 out=$2 prefix=$3 min
	OUT=$(cat "$out")
	min=$(sed -n 's/^minimum: \([0-9]*\) MiB.*/\1/p' "$out")
	if [ -z "$min" ]; then
		fail "${name}_minimum" "no minimum: $(tail -n 5 "$out")"
		return
	fi
	pass "${name}_minimum"
	echo "$name: minimum $min MiB"
	grep -q "^probe $min MiB *ready " "$out" && pass "${name}_ready_at_min" ||
		fail "${name}_ready_at_min" "no ready probe at $min MiB"
	grep -q "^probe $((min - 1)) MiB *not ready " "$out" && pass "${name}_fails_below" ||
		fail "${name}_fails_below" "no failed probe at $((min - 1)) MiB"
	local size=$(awk '$2 == "GUEST_RAM_SIZE" { print $3 }' "$prefix.h")
	[ -n "$size" ] && [ $((size >> 20)) -ge $((min + 4)) ] && pass "${name}_recommended" ||
		fail "${name}_recommended" "GUEST_RAM_SIZE '$size' below minimum + 4 MiB"
	contains "${name}_rec_verified" "wrote $prefix.{dtb,h,system,map,svg}"
	if pgrep -f "$T_TMP/tmp" >/dev/null; then fail "${name}_no_qemu_left" "processes remain"; else pass "${name}_no_qemu_left"; fi
	[ -z "$(ls -A "$T_TMP/tmp")" ] && pass "${name}_tmp_clean" || fail "${name}_tmp_clean" "$(ls -A "$T_TMP/tmp")"
}

cat >"$T_TMP/extra.dtsi" <<'EOF2'
/ { reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;
      shm@4fc00000 { reg = <0 0x4fc00000 0 0x400000>; no-map; }; };
    blk@4fc00000 { compatible = "generic-uio"; linux,uio-name = "blk";
      reg = <0 0x4fc00000 0 0x1000>, <0 0x4fc01000 0 0xff000>, <0 0x4fd00000 0 0x300000>;
      reg-names = "notify", "queues", "data"; interrupts = <0 12 4>; }; };
EOF2
make_dtb "$T_TMP/virt.dtb" "$T_TMP/extra.dtsi" -m 256M || { fail minram_dtb "cannot build the DTB"; exit 1; }
BASE_SPEC=$ROOT/rootfs/base.spec
export BASE_SPEC
printf '%s\n' 'include ${BASE_SPEC}' 'module uio uio_pdrv_genirq virtio_mmio virtio_blk' >"$T_TMP/vm.spec"

# 1: console pattern (minram reads a PL011 console on its stdout: -serial stdio)
printf '%s\n' 'module uio_pdrv_genirq of_id=generic-uio' 'service idle sleep inf' >"$T_TMP/a.conf"
pack_initrd "$T_TMP/a.cpio.gz" "$T_TMP/vm.spec" "$T_TMP/a.conf" || { fail minram_pack "dvm-pack failed"; exit 1; }
: >"$T_TMP/a.out"
if [ "$KERNEL_CONSOLE" != ttyAMA0 ]; then
	echo "SKIP: minram_pattern: dvm-pack minram --ready-pattern reads only a PL011 console; this kernel's is $KERNEL_CONSOLE"
else
	TMPDIR="$T_TMP/tmp" "$HOST_PACK" minram -k "$KERNEL_IMAGE" -i "$T_TMP/a.cpio.gz" -d "$T_TMP/virt.dtb" \
		--bootargs "console=ttyAMA0 panic=-1 loglevel=7" --ready-pattern 'init: all drivers started' \
		$RANGE_A --timeout 30 -o "$T_TMP/a" >"$T_TMP/a.out" 2>&1
	rc=$?
	[ $rc = 0 ] && pass minram_pattern_exit || fail minram_pattern_exit "exit $rc: $(tail -n 3 "$T_TMP/a.out")"
	check minram_pattern "$T_TMP/a.out" "$T_TMP/a"
fi

# 2: the block driver VM, ready when vmm-sim sees storage info ready and a read completes
if ! make -s -C "$ROOT" BUILD="$BUILD" vmm-sim >"$T_TMP/make.log" 2>&1; then
	fail minram_vmm_sim_build "$(tail -n 5 "$T_TMP/make.log")"
	finish
	exit
fi
cat >"$T_TMP/b.conf" <<'EOF2'
module uio_pdrv_genirq of_id=generic-uio
module virtio_mmio
module virtio_blk
service blk restart=never uio_blk --device /dev/vda --capacity 128 --notify page
EOF2
pack_initrd "$T_TMP/b.cpio.gz" "$T_TMP/vm.spec" "$T_TMP/b.conf" || { fail minram_pack_b "dvm-pack failed"; exit 1; }
TMPDIR="$T_TMP/tmp" "$HOST_PACK" minram -k "$KERNEL_IMAGE" -i "$T_TMP/b.cpio.gz" -d "$T_TMP/virt.dtb" \
	--ready-cmd "$VMM_SIM blk --kernel \"\$DVM_KERNEL\" --console $KERNEL_CONSOLE --initrd \"\$DVM_INITRD\" --ram \$DVM_RAM_MB --disk 1M --timeout 25 --log $T_TMP/tmp-vmm.log" \
	$RANGE_B --timeout 40 -o "$T_TMP/b" >"$T_TMP/b.out" 2>&1
rc=$?
[ $rc = 0 ] && pass minram_vmm_exit || fail minram_vmm_exit "exit $rc: $(tail -n 3 "$T_TMP/b.out")"
rm -f "$T_TMP/tmp-vmm.log"
cat "$T_TMP/b.out" "$T_TMP/a.out" | grep probe
check minram_vmm "$T_TMP/b.out" "$T_TMP/b"
finish
