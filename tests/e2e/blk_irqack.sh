#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Block driver VM in libvmm's older style: --notify irq-ack (the simulator polls the
# response queue, as it cannot see the guest's interrupt acknowledgement) and
# --legacy-offsets (io_or_offset is an offset into the first data region): mixed
# workload, invalid requests, a full response queue, and a kill. Fixed seed (E2E_SEED
# overrides it; make soak tries fresh ones).
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/e2e/lib.sh
need_vmm_sim
# the kill phase sends SysRq-i and counts the kernel's "sysrq:" lines
KILL=kill:1000:1
if ! kernel_has CONFIG_MAGIC_SYSRQ || ! kernel_has CONFIG_PRINTK; then
	echo "SKIP: blk-irqack kill: kernel '$DVM_KERNEL_NAME' lacks CONFIG_MAGIC_SYSRQ or CONFIG_PRINTK"
	KILL=
fi

blk_vm blk-irqack "module uio_pdrv_genirq of_id=generic-uio
module virtio_mmio
module virtio_blk
service blk restart=always uio_blk --device /dev/vda --capacity 32 --notify irq-ack --legacy-offsets" \
	--capacity 32 --notify irq-ack --legacy-offsets --data 1M,1M --seed "${E2E_SEED:-1717}" \
	mixed:2000 invalid overflow $KILL
