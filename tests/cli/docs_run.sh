# SPDX-License-Identifier: BSD-2-Clause
# The docs test runner (tests/docs/run) on a fixture: it must fail an unmarked command
# block, a failing example, a `none` without a reason and a DTS block that differs from
# its file, and pass good examples of each kind, one line per example with file:line.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
M=$T_TMP/fixture.md
cat >"$M" <<'EOF'
# fixture

<!-- example: sh -->
```
dvm --list >/dev/null
test -n "$REPO" && test -d "$REPO/$BUILD"
```

<!-- example: sh -->
```
false
echo not reached
```

```
dvm --list
```

```text
free text needs no marker
```

<!-- example: none -->
```
x
```

<!-- example: none an output transcript -->
```
x
```

<!-- example: init-conf -->
```
service blk uio_blk --capacity 128
```

<!-- example: init-conf -->
```
service blk uio_blk
```

<!-- example: dts -->
```
/dts-v1/;
/ { compatible = "x"; };
```

<!-- example: dts docs/examples/blk-vm.dts -->
```
/dts-v1/;
/ { };
```

<!-- example: c -->
```c
int f(void) { return 0; }
```

<!-- example: c -->
```c
int f(void) { int unused; return 0; }
```
EOF
OUT=$(cd "$ROOT" && BUILD=${BUILD:-build} tests/docs/run "$M" 2>&1)
st=$?
[ $st != 0 ] && pass docs_run_fails || fail docs_run_fails "exit 0: $OUT"
contains docs_run_sh_pass "PASS: $M:4 (sh)"
contains docs_run_sh_fail "FAIL: $M:10 (sh): exit 1"
contains docs_run_unmarked "FAIL: $M:15: fenced block without an <!-- example: ... --> marker"
if printf '%s' "$OUT" | grep -qF "$M:19"; then fail docs_run_text_free "$OUT"; else pass docs_run_text_free; fi
contains docs_run_none_reason "FAIL: $M:24: <!-- example: none --> needs a REASON"
contains docs_run_none_skip "SKIP: $M:29 (none: an output transcript)"
contains docs_run_conf_pass "PASS: $M:34 (init-conf)"
contains docs_run_conf_fail "FAIL: $M:39 (init-conf)"
contains docs_run_conf_why "uio_blk: --capacity N is required"
contains docs_run_dts_pass "PASS: $M:44 (dts)"
contains docs_run_dts_differs "the block differs from docs/examples/blk-vm.dts"
contains docs_run_c_pass "PASS: $M:56 (c)"
contains docs_run_c_fail "FAIL: $M:61 (c)"
contains docs_run_count "docs: 4 examples executed and passed, 6 failed, 1 not run (none)"
finish
