#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Tests of the kernel configuration tools and fragments (no kernel build): kconfig-merge
# (last setting wins, bad lines named), kconfig-check (every option kconfig did not give
# as requested is named), and the fragments themselves (they merge, every setting has a
# reason comment above it, every option exists in the kernel source when it is cached).
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh
K=kernel

# --- kconfig-merge
printf '%s\n' '# a' 'CONFIG_A=y' 'CONFIG_B=m' 'CONFIG_S="x y"' >"$T_TMP/1.config"
printf '%s\n' '# b' '# CONFIG_A is not set' 'CONFIG_B=y' 'CONFIG_C=14' >"$T_TMP/2.config"
expect merge_ok 0 $K/kconfig-merge "$T_TMP/1.config" "$T_TMP/2.config"
want=$(printf '%s\n' '# CONFIG_A is not set' 'CONFIG_B=y' 'CONFIG_S="x y"' 'CONFIG_C=14')
if [ "$OUT" = "$want" ]; then pass merge_last_wins; else fail merge_last_wins "got: $OUT"; fi
printf '%s\n' '# c' 'CONFIG_A=y' 'VIRTIO_BLK=m' >"$T_TMP/bad.config"
expect merge_bad_line 1 $K/kconfig-merge "$T_TMP/bad.config"
contains merge_bad_line_named "bad.config:3: not a Kconfig setting or comment: VIRTIO_BLK=m"
printf '%s\n' 'CONFIG_A=' >"$T_TMP/empty.config"
expect merge_empty_value 1 $K/kconfig-merge "$T_TMP/empty.config"
contains merge_empty_value_named "empty.config:1: empty value for CONFIG_A"

# --- kconfig-check
printf '%s\n' 'CONFIG_Y=y' 'CONFIG_M=m' '# CONFIG_OFF is not set' '# CONFIG_GONE is not set' \
	'CONFIG_N=14' 'CONFIG_S="a"' >"$T_TMP/req"
printf '%s\n' '# comment' 'CONFIG_Y=y' 'CONFIG_M=m' '# CONFIG_OFF is not set' 'CONFIG_N=14' \
	'CONFIG_S="a"' 'CONFIG_OTHER=y' >"$T_TMP/good.config"
expect check_ok 0 $K/kconfig-check "$T_TMP/req" "$T_TMP/good.config"
printf '%s\n' '# CONFIG_Y is not set' 'CONFIG_M=y' 'CONFIG_OFF=y' 'CONFIG_S="b"' >"$T_TMP/bad.config"
expect check_bad 1 $K/kconfig-check "$T_TMP/req" "$T_TMP/bad.config"
contains check_dropped "CONFIG_Y: requested y, got n"
contains check_forced_builtin "CONFIG_M: requested m, got y"
contains check_forced_on "CONFIG_OFF: requested n, got y"
contains check_missing "CONFIG_N: requested 14, got n (not in .config: a dependency is off)"
contains check_string 'CONFIG_S: requested "a", got "b"'
contains check_count "5 option(s) not as requested"
if printf '%s' "$OUT" | grep -q CONFIG_GONE; then fail check_absent_is_off "$OUT"; else pass check_absent_is_off; fi

# --- the fragments
for p in base lean; do
	frags=()
	for f in $(sed -n "/^fragments()/,/^}/s/^\t$p) echo \(.*\) ;;/\1/p" $K/build); do
		frags+=("$K/$f.config")
	done
	if [ ${#frags[@]} -lt 2 ]; then fail "fragments_$p" "no fragment list in kernel/build"; continue; fi
	expect "fragments_${p}_merge" 0 $K/kconfig-merge "${frags[@]}"
done
# A setting must follow a comment or another setting (a group under one reason).
for f in $K/*.config; do
	bad=$(awk '/^(# )?CONFIG_/ { if (prev == "" || prev == "blank") print FILENAME ":" FNR ": " $0;
		prev = "set"; next } /^#/ { prev = "comment"; next } /^$/ { prev = "blank" }' "$f")
	if [ -z "$bad" ]; then pass "reason_$(basename "$f" .config)"; else fail "reason_$(basename "$f" .config)" "no reason above: $bad"; fi
done
# Every option exists in the cached linux-source tree (a typo would only show at build).
if [ -f .cache/linux-source.env ] && . .cache/linux-source.env && [ -d "${LINUX_SOURCE:-}" ]; then
	find "$LINUX_SOURCE" -name 'Kconfig*' -exec sed -nE 's/^[ \t]*(menu)?config[ \t]+([A-Za-z0-9_]+).*/CONFIG_\2/p' {} + |
		sort -u >"$T_TMP/known"
	sed -nE 's/^(# )?(CONFIG_[A-Za-z0-9_]+)[= ].*/\2/p' $K/*.config | sort -u >"$T_TMP/used"
	unknown=$(comm -23 "$T_TMP/used" "$T_TMP/known" | tr '\n' ' ')
	if [ -z "$unknown" ]; then pass fragments_known_options; else fail fragments_known_options "not in $LINUX_SOURCE: $unknown"; fi
fi
finish
