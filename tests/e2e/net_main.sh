#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Network driver VM (rootfs/net-vm.spec: virtio_net underneath, uio_net serving the sDDF
# net queues; vmm-sim net plays the VMM, virt_rx and virt_tx, and the far end of the
# wire, docs/uio_net.md). Boot 1, maps by reg-names: frames of every size 60..1514 both
# ways with payloads verified, every refused descriptor class, bad RX buffers, frames
# longer than a buffer, an empty RX free queue, inconsistent indices on all four queues,
# 2000 racing bursts each way (a lost wake-up fails), SIGTERM and restart by init. Boot
# 2, maps without reg-names (positional binding): a short round both ways. Boot 3,
# libvmm's network driver VM wiring (eleven UIO nodes named uio, told apart by the second
# compatible string; data_passing filled as libvmm's VMM fills it, so uio_net runs
# without capacity options; fault-page doorbells, IRQ-only nodes) with capacities that
# are not powers of two (RX 384, TX 1000): the whole workload again. The driver's
# counters are checked against its stats line after each phase. Fixed seeds (E2E_SEED
# overrides them; make soak tries fresh ones).
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/e2e/lib.sh
kernel_needs "the restart phase stops the driver with SysRq-e" CONFIG_MAGIC_SYSRQ
need_vmm_sim

cat >"$T_TMP/net.conf" <<'CONF'
module uio_pdrv_genirq of_id=generic-uio
module virtio_mmio
module virtio_net
service net restart=always uio_net --if eth0 --rx-capacity 512 --tx-capacity 512 --stats 1
CONF
if ! pack_initrd "$T_TMP/net.cpio.gz" "$ROOT/rootfs/net-vm.spec" "$T_TMP/net.conf"; then
	fail net-pack "dvm-pack failed"
	exit 1
fi
"$VMM_SIM" net "${VMM_KERNEL_ARGS[@]}" --initrd "$T_TMP/net.cpio.gz" --name net-named \
	--timeout "${NET_TIMEOUT:-150}" --seed "${E2E_SEED:-2121}" rx tx invalid nobuf indices race:2000 restart
rc1=$?
"$VMM_SIM" net "${VMM_KERNEL_ARGS[@]}" --initrd "$T_TMP/net.cpio.gz" --name net-positional \
	--timeout "${NET_TIMEOUT:-150}" --seed "${E2E_SEED:-2222}" --no-reg-names rx:60:300 tx:1200:1514 race:200
rc2=$?
sed 's/ --rx-capacity 512 --tx-capacity 512//' "$T_TMP/net.conf" >"$T_TMP/net-libvmm.conf"
if ! pack_initrd "$T_TMP/net-libvmm.cpio.gz" "$ROOT/rootfs/net-vm.spec" "$T_TMP/net-libvmm.conf"; then
	fail net-libvmm-pack "dvm-pack failed"
	exit 1
fi
"$VMM_SIM" net "${VMM_KERNEL_ARGS[@]}" --initrd "$T_TMP/net-libvmm.cpio.gz" --name net-libvmm \
	--timeout "${NET_TIMEOUT:-150}" --libvmm --rx-capacity 384 --tx-capacity 1000 --seed "${E2E_SEED:-10}" \
	rx tx invalid nobuf indices race:1000 restart
rc3=$?
[ $rc1 = 0 ] && [ $rc2 = 0 ] && [ $rc3 = 0 ]
