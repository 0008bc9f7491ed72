#!/usr/bin/env bash
# make bench, network part: one boot of the network driver VM. netbench (rdinit) first
# measures raw AF_PACKET receive and send of 64- and 1514-byte frames on eth0 and execs
# dvm's init; uio_net then serves the sDDF queues and vmm-sim sends and receives the
# same frames through them. Prints frames/s, Mb/s, guest CPU per frame and the ratios.
# Not part of the test suite: figures, not pass/fail (docs/uio_net.md).
#   NET_BENCH_SECONDS (3) per figure, NET_BENCH_ROUNDS (3): the best round is kept.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
. tests/e2e/lib.sh
SECS=${NET_BENCH_SECONDS:-3}
ROUNDS=${NET_BENCH_ROUNDS:-3}

cat >"$T_TMP/dvm.conf" <<CONF
module uio_pdrv_genirq of_id=generic-uio
module virtio_mmio
module virtio_net
service net restart=never uio_net --if eth0 --rx-capacity 512 --tx-capacity 512 --stats 1
CONF
printf '%s\n' "if eth0" "module virtio_mmio" "module virtio_net" "size 64" "size 1514" \
	"seconds $SECS" "rounds $ROUNDS" >"$T_TMP/netbench.conf"
NETBENCH="$B/netbench" NETBENCH_CONF="$T_TMP/netbench.conf" \
	pack_initrd "$T_TMP/bench.cpio.gz" tests/bench/net-bench.spec "$T_TMP/dvm.conf" || exit 1
"$VMM_SIM" net "${VMM_KERNEL_ARGS[@]}" --initrd "$T_TMP/bench.cpio.gz" \
	--append "rdinit=/bin/netbench" --timeout 900 --name net-bench ${NET_BENCH_LOG:+--log "$NET_BENCH_LOG"} "bench:$SECS:$ROUNDS"
