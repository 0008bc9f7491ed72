#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Every source file the project tracks carries an SPDX licence line in its first lines:
# BSD-2-Clause (LICENSE), except kernel code, which must be GPL-compatible for the kernel
# to load it (GPL-2.0, or dual "GPL-2.0 OR BSD-2-Clause"). One PASS/FAIL line per rule.
set -u
cd "$(dirname "$0")/../.."

# Source files: by name, or any tracked executable script (#! line).
sources() {
	git ls-files -z | while IFS= read -r -d '' f; do
		case $f in
		*.c | *.h | *.S | *.sh | *.mk | *.py | *.dts | *.dtsi | *.config | \
			Makefile | */Makefile | Kbuild | */Kbuild) echo "$f" ;;
		*) [ -f "$f" ] && head -c 2 "$f" | grep -q '^#!' && echo "$f" ;;
		esac
	done
}

missing=() wrong=() n=0
while IFS= read -r f; do
	n=$((n + 1))
	id=$(head -n 3 "$f" | sed -n 's/.*SPDX-License-Identifier: *\([^*]*[^* ]\).*/\1/p' | head -n 1)
	if [ -z "$id" ]; then
		missing+=("$f")
		continue
	fi
	case $f in
	kernel/*.c | kernel/*.h | kernel/*/*.c | kernel/*/*.h | kernel/*/Kbuild | kernel/Kbuild)
		case $id in
		GPL-2.0 | GPL-2.0-only | GPL-2.0-or-later | "GPL-2.0 OR BSD-2-Clause" | \
			"GPL-2.0-only OR BSD-2-Clause" | "BSD-2-Clause OR GPL-2.0") ;;
		*) wrong+=("$f: '$id' (kernel code must be GPL-2.0 or dual BSD/GPL)") ;;
		esac
		;;
	*) [ "$id" = BSD-2-Clause ] || wrong+=("$f: '$id' (expected BSD-2-Clause)") ;;
	esac
done < <(sources)

if [ "$n" -eq 0 ]; then
	echo "FAIL: spdx_sources: no source files found (not a git checkout?)"
	exit 1
fi
if [ ${#missing[@]} -eq 0 ]; then
	echo "PASS: spdx_present ($n source files)"
else
	echo "FAIL: spdx_present: ${#missing[@]} of $n source files lack an SPDX-License-Identifier line in their first 3 lines: ${missing[*]}"
fi
if [ ${#wrong[@]} -eq 0 ]; then
	echo "PASS: spdx_licences"
else
	printf 'FAIL: spdx_licences: %s\n' "${wrong[@]}"
fi
if [ -f LICENSE ] && grep -q 'Redistribution and use in source and binary forms' LICENSE; then
	echo "PASS: licence_file"
else
	echo "FAIL: licence_file: LICENSE with the BSD-2-Clause text is missing"
fi
