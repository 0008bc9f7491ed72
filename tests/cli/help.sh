# SPDX-License-Identifier: BSD-2-Clause
# `APPLET --help` for every applet: the texts are stored deflated together and cut apart
# again by core/dispatch.c, so each must come out whole and alone: its own "Usage: NAME"
# first line, no other applet's, ending in a newline.
. "$(dirname "$0")/../lib.sh"

applets=$(dvm --list)
[ -n "$applets" ] && pass help_list || fail help_list "dvm --list printed nothing"
for a in $applets; do
	dvm "$a" --help >"$T_TMP/$a.txt" 2>"$T_TMP/$a.err"
	st=$?
	[ $st = 0 ] && [ ! -s "$T_TMP/$a.err" ] && pass "help_${a}_status" ||
		fail "help_${a}_status" "exit $st, stderr: $(head -c 300 "$T_TMP/$a.err")"
	first=$(head -n 1 "$T_TMP/$a.txt")
	case $first in
	"Usage: $a" | "Usage: $a "*) pass "help_${a}_first_line" ;;
	*) fail "help_${a}_first_line" "first line '$first'" ;;
	esac
	n=$(grep -c '^Usage: ' "$T_TMP/$a.txt")
	[ "$n" = 1 ] && pass "help_${a}_alone" || fail "help_${a}_alone" "$n 'Usage:' lines"
	[ "$(tail -c 1 "$T_TMP/$a.txt" | od -An -c | tr -d ' ')" = '\n' ] &&
		pass "help_${a}_newline" || fail "help_${a}_newline" "does not end in a newline"
	[ "$(tr -d '\000' <"$T_TMP/$a.txt" | wc -c)" = "$(wc -c <"$T_TMP/$a.txt")" ] &&
		pass "help_${a}_text" || fail "help_${a}_text" "NUL bytes in the text"
done
# dvm --version: one line, "dvm VERSION" (git describe at build time, or the fallback).
OUT=$(dvm --version 2>&1)
st=$?
[ $st = 0 ] && printf '%s\n' "$OUT" | grep -qxE 'dvm [0-9A-Za-z][-.0-9A-Za-z+_]*' &&
	pass help_version || fail help_version "exit $st: '$OUT'"
OUT=$(dvm --help 2>&1)
contains help_names_version "dvm --version"
# The same texts through a link named after the applet.
ln -s "$DVM" "$T_TMP/sleep"
OUT=$(${DVM_RUN:-} "$T_TMP/sleep" --help 2>&1)
[ "$OUT" = "$(cat "$T_TMP/sleep.txt")" ] && pass help_via_link ||
	fail help_via_link "differs from dvm sleep --help: $OUT"
finish
