#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# make bench, network part: one boot of the network driver VM. netbench (rdinit) first
# measures raw AF_PACKET receive and send of 64- and 1514-byte frames on eth0 and execs
# dvm's init; uio_net then serves the sDDF queues and vmm-sim sends and receives the
# same frames through them. Prints frames/s, Mb/s, guest CPU per frame and the ratios.
# Not part of the test suite: figures, not pass/fail (docs/uio_net.md).
#   NET_BENCH_SECONDS (3) per figure, NET_BENCH_ROUNDS (3): the best round is shown with
#   the rounds' spread. Each figure is bounded (guest and host); the whole run takes
#   about 5 s + ROUNDS x 28 s at the defaults (docs/testing.md), and a phase that
#   overruns its bound fails the run; --timeout below is the sum of the bounds.
#   By default dvm_uio, and the RX and TX data regions reserved without no-map, so that
#   uio_net's copies go through page-backed, cacheable maps (docs/uio_net.md "Cacheable
#   maps"); BENCH_ZC=0: uio_pdrv_genirq and Device-memory maps.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
. tests/e2e/lib.sh
SECS=${NET_BENCH_SECONDS:-3}
ROUNDS=${NET_BENCH_ROUNDS:-3}
LOG=${NET_BENCH_LOG:-$T_TMP/net-bench.log}

UIO_MOD=uio_pdrv_genirq SPEC=tests/bench/net-bench.spec CACHE_ARGS=
if [ "${BENCH_ZC:-1}" = 1 ]; then
	UIO_MOD=dvm_uio SPEC=tests/bench/net-bench-cache.spec CACHE_ARGS="--cached-data rx,tx"
	need_dvm_uio
fi
cat >"$T_TMP/dvm.conf" <<CONF
module $UIO_MOD of_id=generic-uio
module virtio_mmio
module virtio_net
service net restart=never uio_net --if eth0 --rx-capacity 512 --tx-capacity 512 --stats 1
CONF
printf '%s\n' "if eth0" "module virtio_mmio" "module virtio_net" "size 64" "size 1514" \
	"seconds $SECS" "rounds $ROUNDS" >"$T_TMP/netbench.conf"
NETBENCH="$B/netbench" NETBENCH_CONF="$T_TMP/netbench.conf" \
	pack_initrd "$T_TMP/bench.cpio.gz" "$SPEC" "$T_TMP/dvm.conf" || exit 1
# the host's load goes with the figures: other work on the 2 cores moves them
echo "bench: host load before:$(uptime | sed 's/.*load/ load/')"
"$VMM_SIM" net "${VMM_KERNEL_ARGS[@]}" --initrd "$T_TMP/bench.cpio.gz" $CACHE_ARGS \
	--append "rdinit=/bin/netbench" --timeout $((150 + ROUNDS * 8 * (SECS + 22))) --name net-bench --log "$LOG" "bench:$SECS:$ROUNDS"
rc=$?
# which maps the copies went through (uio_net's per-region lines)
grep -aE "uio_net: ((RX|TX) data region( [0-9]+)?|[a-z0-9_]*_data) \(" "$LOG" | sed 's/.*uio_net: /bench: uio_net: /'
echo "bench: host load after:$(uptime | sed 's/.*load/ load/')"
exit $rc
