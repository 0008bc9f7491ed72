#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Block driver VM with uio_blk's synchronous engine (--sync: pread/pwrite/fdatasync, the
# fallback when io_uring is missing): requests overlapping across BARRIERs (the order
# sDDF's barrier rule demands, checked on every READ), a mixed workload and a kill.
# Fixed seed (E2E_SEED overrides it; make soak tries fresh ones).
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/e2e/lib.sh
need_vmm_sim

blk_vm blk-sync "restart-backoff 20 20
module uio_pdrv_genirq of_id=generic-uio
module virtio_mmio
module virtio_blk
service blk restart=always uio_blk --device /dev/vda --capacity 32 --notify page --sync" \
	--capacity 32 --data 1M,1M --seed "${E2E_SEED:-3232}" overlap:2000 mixed:1000 kill:1000:1
