# SPDX-License-Identifier: BSD-2-Clause
# Source checks that keep the dvm binary small: no format string in dvm's sources (core/,
# applets/, drivers/) may use a floating-point conversion (%f %F %e %E %g %G %a %A).
# dvm's printf (core/fmt.c) has no float code and prints those as "%?"; musl's, which
# has, is kept out of the binary (core/printf.c). String literals are found by a rough
# C tokenizer (comments and character constants skipped, adjacent literals joined).
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# float_formats FILE...: print "FILE: "literal"" for each literal with a float conversion.
float_formats() {
	perl -e '
	my $conv = qr/%[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+)?)?(?:hh|h|ll|l|L|q|j|z|t)?[fFeEgGaA]/;
	for my $f (@ARGV) {
		open(my $fh, "<", $f) or die "$f: $!\n";
		local $/;
		my $src = <$fh>;
		my ($lit, $gap) = (undef, "");
		my $check = sub {
			return unless defined $lit;
			(my $s = $lit) =~ s/%%//g;
			print "$f: \"$lit\"\n" if $s =~ $conv;
			$lit = undef;
		};
		while ($src =~ m{\G(?:(/\*.*?\*/|//[^\n]*)|"((?:\\.|[^"\\\n])*)"|(\x27(?:\\.|[^\x27\\\n])*\x27)|(\s+)|(.))}gs) {
			if (defined $2) { $lit = defined $lit ? $lit . $2 : $2; }
			elsif (defined $1 || defined $4) { }    # comments, blanks: literals still join
			else { $check->(); }
		}
		$check->();
	}' "$@"
}

# The checker itself must see what it is looking for (and nothing in its decoys).
cat >"$T_TMP/decoy.c" <<'EOF'
/* "%f" in a comment */
// "%g" too
static const char *a = "ok %d %s %% %%f %-5.3lu 50%";
static const char b = '"';
static const char *c = "rate %" "5.2f";
static const char *d = "%-08.3Lg";
static const char *e = "time %.*f", *f = "x";
EOF
OUT=$(float_formats "$T_TMP/decoy.c")
expected="$T_TMP/decoy.c: \"rate %5.2f\"
$T_TMP/decoy.c: \"%-08.3Lg\"
$T_TMP/decoy.c: \"time %.*f\""
[ "$OUT" = "$expected" ] && pass fmt_guard_self_check ||
	fail fmt_guard_self_check "the checker found: $OUT"

srcs=$(cd "$ROOT" && find core applets drivers -name '*.[ch]' | sort)
[ -n "$srcs" ] && OUT=$(cd "$ROOT" && float_formats $srcs)
[ -n "$srcs" ] && [ -z "$OUT" ] && pass no_float_formats ||
	fail no_float_formats "dvm's printf cannot print floats; found: $OUT"
finish
