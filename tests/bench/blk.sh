#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# make bench, block part: one boot of the block driver VM. The kernel starts blkbench
# (rdinit), which forks a server for bench commands on the console and execs dvm's init;
# uio_blk serves the sDDF queues. vmm-sim then runs each pattern in rounds: through the
# guest tool directly on /dev/vda, through sDDF, and through sDDF with uio_blk's null
# device (blkbench restarts it from the bench build, /bin/dvm-bench, and back), and
# prints the medians with ratios. Not part of the test suite: figures, not pass/fail
# (docs/testing.md).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
. tests/e2e/lib.sh

# NAME:BS:QD:KIND:OPS; KIND r random read, s sequential read, w sequential write
PATTERNS=${BENCH_PATTERNS:-"rr4k-qd1:4096:1:r:3000 rr4k-qd32:4096:32:r:24000 sr128k:131072:8:s:6144 sw128k:131072:8:w:4096"}
CAP=128
ROUNDS=${BENCH_ROUNDS:-5}
# BENCH_DRIVER_ARGS: more uio_blk options, e.g. "--sync" or "--chunk 64"

# Zero-copy by default: dvm_uio, and the data regions as reserved memory without no-map,
# so that uio_blk transfers straight to and from them (docs/uio_blk.md). BENCH_ZC=0:
# uio_pdrv_genirq and the bounce copy.
UIO_MOD=uio_pdrv_genirq SPEC=tests/bench/blk-bench.spec ZC_ARGS=
if [ "${BENCH_ZC:-1}" = 1 ]; then
	UIO_MOD=dvm_uio SPEC=tests/bench/blk-bench-zc.spec ZC_ARGS="--zc-data 3"
	need_dvm_uio
fi
cat >"$T_TMP/dvm.conf" <<CONF
module $UIO_MOD of_id=generic-uio
module virtio_mmio
module virtio_blk
service blk restart=never uio_blk --device /dev/vda --capacity $CAP --depth 32 --chunk 128 --notify page ${BENCH_DRIVER_ARGS:-}
CONF
{
	echo "device /dev/vda"
	for p in $PATTERNS; do echo "pattern $p"; done
} >"$T_TMP/blkbench.conf"

BENCH_DVM=${BENCH_DVM:-$BUILD/bench-nulldev/arm64/dvm}
[ -x "$BENCH_DVM" ] || { echo "FAIL: bench: no $BENCH_DVM (make bench-dvm)"; exit 1; }
BENCH_DVM="$BENCH_DVM" BLKBENCH="$B/blkbench" BLKBENCH_CONF="$T_TMP/blkbench.conf" \
	pack_initrd "$T_TMP/bench.cpio.gz" "$SPEC" "$T_TMP/dvm.conf" || exit 1
# The simulator plays the virtualiser, which seL4 notifies at once: in the bench it
# spins while it waits for the guest instead of napping (the e2e tests' 10-100 us naps
# were most of a depth-1 request's round trip; docs/testing.md, "Bench results").
# It spins in the SCHED_IDLE class, on what QEMU's threads leave of the 2 cores. The
# disk image is write-back cached on the host (as a disk's volatile write cache: the
# guest's FLUSH makes data durable): write-through synced every write to the host's own
# disk, whose flushes then paced the write figures on both sides (docs/testing.md).
# QEMU's vCPU thread runs alone on one host CPU, its device threads and the simulator
# on the other (VMM_SIM_PIN).
export VMM_SIM_SPIN_US=${VMM_SIM_SPIN_US:-1000000} VMM_SIM_SCHED_IDLE=${VMM_SIM_SCHED_IDLE:-1}
export VMM_SIM_PIN=${VMM_SIM_PIN:-1}
# the host's load goes with the figures: other work on the 2 cores moves them
echo "bench: host load before:$(uptime | sed 's/.*load/ load/')"
"$VMM_SIM" blk "${VMM_KERNEL_ARGS[@]}" --initrd "$T_TMP/bench.cpio.gz" --capacity $CAP \
	--window 16M --data 4M,4M,4M $ZC_ARGS --disk-cache writeback --append "rdinit=/bin/blkbench" --bench "$PATTERNS" --bench-rounds "$ROUNDS" \
	--timeout 1500 --stall 30 ${BENCH_LOG:+--log "$BENCH_LOG"} bench
rc=$?
echo "bench: host load after:$(uptime | sed 's/.*load/ load/')"
exit $rc
