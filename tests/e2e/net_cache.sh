#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Network driver VM with cacheable data maps: dvm_uio (kernel/dvm_uio) instead of
# uio_pdrv_genirq, and vmm-sim net --cached-data reserving the data regions without
# no-map, as memory, so that dvm_uio maps them page-backed (normal cacheable memory) and
# uio_net's frame copies run at memory speed; the queues and doorbell pages stay no-map
# (Device memory, as with UIO). Boot 1, dvm's net-rx / net-tx / net-tx-data wiring, RX
# data and all three client TX data regions page-backed: frames of every size 60..1514
# both ways with payloads verified, and the hostile-input phases of net_main.sh (every
# refused descriptor class, bad RX buffers, an empty RX free queue, inconsistent indices
# on all four queues, racing bursts, SIGTERM and restart by init). Boot 2, libvmm's
# per-region wiring with only rx_data page-backed: every frame size both ways and the
# invalid descriptors, tx_data logged as not page-backed. After each boot, dvm_uio's
# per-device line and uio_net's per-region lines are checked: each region's log says
# page-backed exactly when it is. Fixed seeds (E2E_SEED overrides them).
cd "$(dirname "$0")/../.." || exit 1
# dvm_uio.ko: kernel/build builds it with dvm's kernels, scripts/setup out of tree for
# Debian's (tests/run also runs blk_zc on Debian's: E2E_ALSO).
. tests/lib.sh
. tests/e2e/lib.sh
kernel_needs "the restart phase stops the driver with SysRq-e" CONFIG_MAGIC_SYSRQ
need_dvm_uio
need_vmm_sim
rc=0

# lines LOG NAME WANT TEXT: a PASS/FAIL line for WANT console lines matching regex TEXT
lines() {
	local got
	got=$(grep -cE -- "$4" "$1")
	if [ "$got" = "$3" ]; then
		pass "$2"
	else
		fail "$2" "$got console lines match '$4', expected $3; uio_net's region lines:"
		grep -E "(data region|_data) .*(uio[0-9]+ map|page-backed)" "$1" | sed 's/^/    /'
	fi
}

# net_vm NAME CONF_TEXT VMM_SIM_ARGS...: pack tests/e2e/net_cache.spec with CONF_TEXT as
# /etc/dvm.conf and boot it under vmm-sim net (console log $T_TMP/NAME.log).
net_vm() {
	local name=$1
	printf '%s\n' "$2" >"$T_TMP/$name.conf"
	shift 2
	if ! pack_initrd "$T_TMP/$name.cpio.gz" "$ROOT/tests/e2e/net_cache.spec" "$T_TMP/$name.conf"; then
		fail "$name: pack the initramfs" "dvm-pack failed"
		rc=1
		return
	fi
	"$VMM_SIM" net "${VMM_KERNEL_ARGS[@]}" --initrd "$T_TMP/$name.cpio.gz" --name "$name" \
		--timeout "${NET_TIMEOUT:-200}" --log "$T_TMP/$name.log" "$@" || rc=1
}

CONF="module dvm_uio of_id=generic-uio
module virtio_mmio
module virtio_net
service net restart=always uio_net --if eth0 --stats 1"
PB="page-backed, cacheable"
NPB="not page-backed"

# boot 1: dvm's wiring, every data region page-backed; the restart logs everything twice
net_vm net-cache "${CONF/--if eth0/--if eth0 --rx-capacity 512 --tx-capacity 512}" \
	--cached-data rx,tx --seed "${E2E_SEED:-4141}" rx tx invalid nobuf indices race:1000 restart
log=$T_TMP/net-cache.log
lines "$log" "net-cache dvm_uio net-rx" 1 "net-rx: page-backed maps 0x8\b"
lines "$log" "net-cache dvm_uio net-tx" 1 "net-tx: page-backed maps 0x18\b"
lines "$log" "net-cache dvm_uio net-tx-data" 1 "net-tx-data: page-backed maps 0x1\b"
lines "$log" "net-cache RX data page-backed" 2 \
	"uio_net: RX data region \(uio[0-9]+ map3, 0x[0-9a-f]+ \+ 0x100000\): $PB"
for i in 0 1 2; do
	lines "$log" "net-cache TX data $i page-backed" 2 \
		"uio_net: TX data region $i \(uio[0-9]+ map[034], 0x[0-9a-f]+ \+ 0x40000\): $PB"
done
lines "$log" "net-cache no region uncached" 0 "uio_net: .*: $NPB"

# boot 2: libvmm's wiring (per-region, data_passing), only rx_data page-backed
net_vm net-cache-libvmm "$CONF" --libvmm --rx-capacity 384 --tx-capacity 1000 \
	--cached-data rx --seed "${E2E_SEED:-4242}" rx tx invalid
log=$T_TMP/net-cache-libvmm.log
lines "$log" "net-cache-libvmm dvm_uio rx_data" 1 "uio: page-backed maps 0x1\b"
lines "$log" "net-cache-libvmm dvm_uio others" 10 "uio: page-backed maps 0x0\b"
lines "$log" "net-cache-libvmm rx_data page-backed" 1 \
	"uio_net: rx_data \(uio[0-9]+ map0, 0x[0-9a-f]+ \+ 0xc0000\): $PB"
lines "$log" "net-cache-libvmm tx_data not page-backed" 1 \
	"uio_net: tx_data \(uio[0-9]+ map0, 0x[0-9a-f]+ \+ 0xc0000\): $NPB"
finish && [ $rc = 0 ]
