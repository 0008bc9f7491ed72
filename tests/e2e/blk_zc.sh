#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Zero-copy block driver VM: dvm_uio (kernel/dvm_uio) instead of uio_pdrv_genirq, data
# regions 0 and 1 reserved without no-map (page-backed: cacheable, O_DIRECT straight
# between /dev/vda and the mapping), region 2 and the queues no-map (mapped non-cached, as
# UIO does; region 2 takes the copy). This proves the module on the Debian kernel: the
# version string (per map), mmap of both kinds, O_DIRECT reads and writes into the mapping
# with every byte checked by the simulator, the interrupt as with uio_pdrv_genirq; and
# uio_blk's zero-copy mode under the blk-main workloads, with kills (exactly once
# across restarts) and polling. A second boot runs the synchronous engine.
# Fixed seeds (E2E_SEED overrides them).
cd "$(dirname "$0")/../.." || exit 1
# dvm_uio.ko: kernel/build builds it with dvm's kernels, scripts/setup out of tree for
# Debian's (tests/run also runs blk_zc on Debian's: E2E_ALSO).
. tests/lib.sh
. tests/e2e/lib.sh
need_dvm_uio
need_vmm_sim
export BLK_SPEC=$ROOT/tests/e2e/blk_zc.spec

# has LOG NAME TEXT: a PASS/FAIL line for a console line containing TEXT
has() {
	if grep -qF -- "$3" "$1"; then pass "$2"; else fail "$2" "no console line '$3'"; fi
}

blk_vm blk-zc "restart-backoff 20 20
restart-limit 20 60
module dvm_uio of_id=generic-uio
module virtio_mmio
module virtio_blk
service blk restart=always uio_blk --device /dev/vda --capacity 128 --depth 16 --notify page" \
	--capacity 128 --data 2M,1M,1M --zc-data 2 --serial blk-zc-disk --queue-depth 16 \
	--log "$T_TMP/blk-zc.log" --bad-block 12345 --seed "${E2E_SEED:-7700771}" \
	mixed:4000 overlap:2000 invalid indices plugged overflow ioerror kill:1000:3
log=$T_TMP/blk-zc.log
has "$log" "blk-zc module version" "blk: page-backed maps 0x10"
has "$log" "blk-zc module version data" "blk-data: page-backed maps 0x1"
# region lines: uio numbers follow probe order, so they are not pinned
if grep -q "data region 0 (uio[0-9]* map4, 0x[0-9a-f]* + 0x200000): zero-copy" "$log" &&
	grep -q "data region 1 (uio[0-9]* map0, 0x[0-9a-f]* + 0x100000): zero-copy" "$log" &&
	grep -q "data region 2 (uio[0-9]* map1, 0x[0-9a-f]* + 0x100000): copy: map not page-backed" "$log"; then
	pass "blk-zc regions 0, 1 zero-copy, 2 copy"
else
	fail "blk-zc regions 0, 1 zero-copy, 2 copy" "console lines:"
	grep "data region [0-2] (" "$log" | sed 's/^/    /'
fi

blk_vm blk-zc-sync "module dvm_uio of_id=generic-uio
module virtio_mmio
module virtio_blk
service blk restart=always uio_blk --device /dev/vda --capacity 32 --notify page --sync" \
	--capacity 32 --data 1M,1M --zc-data 1 --log "$T_TMP/blk-zc-sync.log" \
	--seed "${E2E_SEED:-3232}" overlap:2000 mixed:1000 kill:1000:1
has "$T_TMP/blk-zc-sync.log" "blk-zc-sync region 0 zero-copy" "): zero-copy"
finish
