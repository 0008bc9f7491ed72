#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Boot test of the device trees in rootfs/: each DTS is compiled with dtc and booted under
# vmm-sim (--dtb), which first checks that its UIO nodes and reserved window are exactly
# the ones it lays out for the configuration the file's header names; then the driver,
# bound through those nodes by uio_pdrv_genirq, must serve a short workload. Four boots:
# block and network VM, each in the per-region binding and in dvm's own.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/e2e/lib.sh
need_vmm_sim

for f in blk-vm blk-vm-dvm net-vm net-vm-dvm; do
	if ! dtc -q -I dts -O dtb -o "$T_TMP/$f.dtb" "rootfs/$f.dts"; then
		fail "$f: dtc" "rootfs/$f.dts does not compile"
	fi
done
MODS="module uio_pdrv_genirq of_id=generic-uio
module virtio_mmio"
blk_vm dts-blk-vm "$MODS
module virtio_blk
service blk uio_blk --device /dev/vda --capacity 384" \
	--dtb "$T_TMP/blk-vm.dtb" --per-region --capacity 384 --data 2M,2M,2M --seed 1 mixed:300
rc1=$?
blk_vm dts-blk-vm-dvm "$MODS
module virtio_blk
service blk uio_blk --device /dev/vda --capacity 128" \
	--dtb "$T_TMP/blk-vm-dvm.dtb" --capacity 128 --data 2M,1M,1M --seed 2 mixed:300
rc2=$?
net_boot() { # NAME DTB CONF-OPTIONS VMM-SIM-OPTIONS...
	local name=$1 dtb=$2 opts=$3
	shift 3
	printf '%s\nmodule virtio_net\nservice net uio_net --if eth0 --stats 1%s\n' "$MODS" \
		"$opts" >"$T_TMP/$name.conf"
	if ! pack_initrd "$T_TMP/$name.cpio.gz" "$ROOT/rootfs/net-vm.spec" "$T_TMP/$name.conf"; then
		fail "$name: pack" "dvm-pack failed"
		return 1
	fi
	"$VMM_SIM" net "${VMM_KERNEL_ARGS[@]}" --initrd "$T_TMP/$name.cpio.gz" --name "$name" \
		--timeout "${NET_TIMEOUT:-150}" --dtb "$dtb" --seed 3 "$@" rx:60:300 tx:60:300
}
net_boot dts-net-vm "$T_TMP/net-vm.dtb" "" --libvmm --rx-capacity 512 --tx-capacity 1024
rc3=$?
net_boot dts-net-vm-dvm "$T_TMP/net-vm-dvm.dtb" " --rx-capacity 512 --tx-capacity 512"
rc4=$?
[ $rc1 = 0 ] && [ $rc2 = 0 ] && [ $rc3 = 0 ] && [ $rc4 = 0 ] && [ "$T_FAILS" = 0 ]
