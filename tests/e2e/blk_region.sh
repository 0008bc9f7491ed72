#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Block driver VM in the per-region binding (docs/binding-blk.md): one UIO node per
# region, all named uio, told apart by the second compatible string (blk_storage_info,
# blk_req with the interrupt, blk_resp, blk_fault, blk_data, blk_data1, blk_data2), as
# sdfgen reads them; uio_blk finds them with no option but the capacity. sdfgen's sizes:
# three clients of 128 give a queue capacity of 384 (not a power of two), one data region
# per client. Random requests with data and durability checks, the driver SIGKILLed and
# restarted twice in the middle, every class of invalid request, inconsistent indices,
# more requests outstanding than the response queue holds, a plugged request queue and
# I/O errors (QEMU fails block 12345). One boot (vmm-sim).
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/e2e/lib.sh
need_vmm_sim

blk_vm blk-region "module uio_pdrv_genirq of_id=generic-uio
module virtio_mmio
module virtio_blk
service blk restart=always uio_blk --device /dev/vda --capacity 384 --depth 16" \
	--per-region --capacity 384 --data 2M,2M,2M --seed "${E2E_SEED:-384}" \
	--bad-block 12345 mixed:3000 kill:3000:2 invalid indices overflow plugged ioerror
