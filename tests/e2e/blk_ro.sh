#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Block driver VM with a read-only disk (QEMU readonly=on: the driver finds /dev/vda
# refusing writers) and UIO nodes without reg-names (the driver's positional map order):
# storage info says read_only, READs work, every WRITE is refused, the image is unchanged.
# Fixed seed (E2E_SEED overrides it; make soak tries fresh ones).
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/e2e/lib.sh
need_vmm_sim

blk_vm blk-ro "module uio_pdrv_genirq of_id=generic-uio
module virtio_mmio
module virtio_blk
service blk restart=always uio_blk --device /dev/vda --capacity 16 --notify page" \
	--capacity 16 --read-only --no-reg-names --disk 16M --seed "${E2E_SEED:-1616}" \
	mixed:500 invalid
