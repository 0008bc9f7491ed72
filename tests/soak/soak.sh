#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The soak: run the seeded e2e workloads (every tests/e2e script that takes its vmm-sim
# seed from E2E_SEED: blk_*.sh, net_main.sh) with fresh random seeds, one script after the other,
# until SOAK_MINUTES have passed (a run started in time is finished). Each run prints
# its seed and the exact command that replays it; a failing run's whole output is kept
# in $BUILD/soak-logs/. Ends with a summary; exit 1 when any run failed.
#   SOAK_MINUTES=10 SOAK_SCRIPTS="blk_main blk_kill" BUILD=build tests/soak/soak.sh
# Needs the builds `make soak` makes first (vmm-sim, dvm-pack, the arm64 dvm).
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
MINUTES=${SOAK_MINUTES:-10}
SCRIPTS=${SOAK_SCRIPTS:-$(grep -l E2E_SEED tests/e2e/*.sh | sed 's|.*/||; s|\.sh$||')}
LOGS=$BUILD/soak-logs

case $MINUTES in
'' | *[!0-9]*) echo "soak: SOAK_MINUTES '$MINUTES' is not a whole number of minutes" >&2; exit 2 ;;
esac
for s in $SCRIPTS; do
	if ! grep -q E2E_SEED "tests/e2e/$s.sh" 2>/dev/null; then
		echo "soak: SOAK_SCRIPTS: tests/e2e/$s.sh does not exist or takes no E2E_SEED" >&2
		exit 2
	fi
done
mkdir -p "$LOGS" || exit 1

# A fresh 40-bit seed (vmm-sim takes any 64-bit number; shorter ones are easier to copy).
new_seed() {
	local hi lo
	hi=$(od -An -N4 -tu4 /dev/urandom) && lo=$(od -An -N1 -tu1 /dev/urandom) || exit 1
	echo $(((hi << 8) | lo))
}

start=$(date +%s)
end=$((start + MINUTES * 60))
runs=0 failed=0
seeds=() failures=()
set -- $SCRIPTS
echo "soak: $* with fresh seeds for $MINUTES min; a failing run's output goes to $LOGS/"
while :; do
	for s in $SCRIPTS; do
		seed=$(new_seed)
		cmd="E2E_SEED=$seed BUILD=$BUILD bash tests/e2e/$s.sh"
		log="$LOGS/$s-$seed.log"
		t0=$(date +%s)
		echo "soak: run $((runs + 1)): $s seed $seed: $cmd"
		E2E_SEED=$seed BUILD=$BUILD bash "tests/e2e/$s.sh" >"$log" 2>&1 </dev/null
		rc=$?
		p=$(grep -c '^PASS: ' "$log")
		f=$(grep -c '^FAIL: ' "$log")
		runs=$((runs + 1))
		seeds+=("$s:$seed")
		if [ "$rc" -ne 0 ] || [ "$f" -gt 0 ] || [ "$p" -eq 0 ]; then
			failed=$((failed + 1))
			failures+=("$cmd")
			echo "FAIL: soak: $s seed $seed: exit $rc, $f checks failed; log $log; replay: $cmd"
			grep -E '^FAIL: |differs|no answer' "$log" | head -n 8 | sed 's/^/    /'
		else
			echo "soak: $s seed $seed: $p checks passed in $(($(date +%s) - t0)) s"
			rm -f "$log"
		fi
		[ "$(date +%s)" -ge "$end" ] && break 2
	done
done

echo "soak: $runs runs in $((($(date +%s) - start + 30) / 60)) min, $failed failed; seeds tried:"
printf '%s\n' "${seeds[@]}" | sed 's/^/    /'
if [ "$failed" -gt 0 ]; then
	echo "soak: replay the failures with:"
	printf '    %s\n' "${failures[@]}"
	echo "FAIL: soak: $failed of $runs runs failed"
	exit 1
fi
echo "PASS: soak: $runs runs with fresh seeds, every check passed"
