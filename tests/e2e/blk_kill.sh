#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Block driver VM: uio_blk SIGKILLed 5 times in the middle of a 4000-request mixed
# workload (magic SysRq-i on the console, with a full queue in flight), restarted by init
# each time; every request must still be answered exactly once (docs/uio_blk.md), with
# the data verified. Fast restarts and a higher restart limit keep it short.
# Fixed seed (E2E_SEED overrides it; make soak tries fresh ones): with 2123459381227 a
# READ before a BARRIER saw a WRITE after it (issue 8), in most runs.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/e2e/lib.sh
kernel_needs "the kill phase sends SysRq-i and counts the kernel's sysrq lines" CONFIG_MAGIC_SYSRQ CONFIG_PRINTK
need_vmm_sim

blk_vm blk-kill "restart-backoff 20 20
restart-limit 20 60
module uio_pdrv_genirq of_id=generic-uio
module virtio_mmio
module virtio_blk
service blk restart=always uio_blk --device /dev/vda --capacity 64 --notify page" \
	--capacity 64 --data 1M,1M,512K --seed "${E2E_SEED:-2123459381227}" kill:4000:5
