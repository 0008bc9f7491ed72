# SPDX-License-Identifier: BSD-2-Clause
# dvm-pack end to end: build archives from specs, unpack them with GNU cpio and compare
# every file (contents, mode, owner, mtime, symlink targets, device numbers, hard
# links); modules with dependencies from a fake module tree; determinism; atomic
# output; --list; error messages and exit codes.
. "$(dirname "$0")/../lib.sh"
T=$T_TMP
MTIME=1700000000

# ---- inputs ----
mkdir -p "$T/src" "$T/mods/kernel/drivers/virtio" "$T/mods/kernel/drivers/block" \
	"$T/mods/kernel/drivers/uio" "$T/extra"
printf 'hello\n' > "$T/src/hello"
head -c 100003 /dev/urandom > "$T/src/random"	# odd size: padding after data
: > "$T/src/empty"
printf '#!/bin/sh\necho hi\n' > "$T/src/script"
printf 'uio_blk\n' > "$T/src/conf"

# Fake kernel modules: ELF relocatables whose .modinfo carries depends=.
mkko() { # PATH DEPENDS
	printf '__attribute__((section(".modinfo"), used)) static const char m[] = "license=GPL\\0depends=%s\\0vermagic=6.1.0";\n' "$2" > "$T/ko.c"
	gcc -c -o "$1" "$T/ko.c"
}
mkko "$T/mods/kernel/drivers/virtio/virtio.ko" ""
mkko "$T/mods/kernel/drivers/virtio/virtio_ring.ko" "virtio"
mkko "$T/mods/kernel/drivers/block/virtio_blk.ko" "virtio_ring,virtio"
mkko "$T/mods/kernel/drivers/uio/uio.ko" ""
mkko "$T/extra/uio_pdrv_genirq.ko" "uio"
mkko "$T/extra/gzmod.ko" "virtio"
gzip -n "$T/extra/gzmod.ko"

cat > "$T/inc.spec" <<'SPEC'
# included: paths relative to this file's directory
slink /bin/sh ${TOOL} 0777 0 0
SPEC
mkdir -p "$T/specs"
cat > "$T/specs/applets.spec" <<'SPEC'
slink /bin/mount dvm 0777 0 0
SPEC
cat > "$T/main.spec" <<SPEC
# the works
dir /bin 0755 0 0
file /bin/dvm $T/src/script 0755 0 0
file /bin/hello \${SRC}/hello 0644 1000 1001 /bin/hello2 /usr/share/hello3
file /empty $T/src/empty 0600 0 0
file /random $T/src/random 0444 5 6
include inc.spec
include specs/applets.spec
slink /init bin/dvm 0777 0 0
dir /tmp 1777 0 0
dir /etc 0700 0 0
file /etc/dvm.conf $T/src/conf 0644 0 0
file /sbin/suid $T/src/script 4755 0 0
nod /dev/vda 0660 0 6 b 254 0
nod /dev/null 0666 0 0 c 1 3
pipe /run/fifo 0600 0 0
sock /run/sock 0600 0 0
module virtio_blk uio-pdrv-genirq
module gzmod
SPEC

pack() { SRC=$T/src TOOL=dvm "$PACK" "$@"; }

# ---- build and unpack ----
expect pack_builds 0 pack -o "$T/out.cpio.gz" -m "$T/mods" -m "$T/extra" --mtime $MTIME "$T/main.spec"
if gzip -t "$T/out.cpio.gz" 2>/dev/null; then pass pack_output_is_gzip; else fail pack_output_is_gzip "gzip -t failed"; fi
mkdir "$T/x"
if (cd "$T/x" && gzip -dc ../out.cpio.gz | cpio -idm --quiet --no-absolute-filenames) 2>"$T/cpio.err"; then
	pass pack_gnu_cpio_extracts
else
	fail pack_gnu_cpio_extracts "$(cat "$T/cpio.err")"
fi
X=$T/x
ROOT=0
[ "$(id -u)" = 0 ] && ROOT=1

# check_file NAME SRC MODE UID GID: contents, permissions, owner (as root), mtime
check_file() {
	local n=$1 src=$2 mode=$3 uid=$4 gid=$5 got want
	if [ ! -f "$X$n" ] || [ -L "$X$n" ]; then fail "pack_file$n" "not a regular file"; return; fi
	if ! cmp -s "$src" "$X$n"; then fail "pack_file$n" "contents differ from $src"; return; fi
	got=$(stat -c '%a %Y' "$X$n")
	want="$mode $MTIME"
	if [ $ROOT = 1 ]; then got="$got $(stat -c '%u %g' "$X$n")"; want="$want $uid $gid"; fi
	if [ "$got" = "$want" ]; then pass "pack_file$n"; else fail "pack_file$n" "mode/mtime/owner '$got', expected '$want'"; fi
}
check_file /bin/dvm "$T/src/script" 755 0 0
check_file /bin/hello "$T/src/hello" 644 1000 1001
check_file /bin/hello2 "$T/src/hello" 644 1000 1001
check_file /usr/share/hello3 "$T/src/hello" 644 1000 1001
check_file /empty "$T/src/empty" 600 0 0
check_file /random "$T/src/random" 444 5 6
check_file /etc/dvm.conf "$T/src/conf" 644 0 0
check_file /sbin/suid "$T/src/script" 4755 0 0
check_file /lib/modules/virtio_blk.ko "$T/mods/kernel/drivers/block/virtio_blk.ko" 644 0 0
check_file /lib/modules/uio_pdrv_genirq.ko "$T/extra/uio_pdrv_genirq.ko" 644 0 0
check_file /lib/modules/gzmod.ko.gz "$T/extra/gzmod.ko.gz" 644 0 0

# hard links: one inode, three names
links=$(stat -c '%i %h' "$X/bin/hello" "$X/bin/hello2" "$X/usr/share/hello3" | sort -u)
if [ "$(echo "$links" | wc -l)" = 1 ] && [ "${links#* }" = 3 ]; then pass pack_hardlinks; else fail pack_hardlinks "inode/links: $links"; fi

# symlinks
for l in "/init bin/dvm" "/bin/sh dvm" "/bin/mount dvm"; do
	n=${l% *} want=${l#* }
	if [ -L "$X$n" ] && [ "$(readlink "$X$n")" = "$want" ]; then pass "pack_symlink$n"; else fail "pack_symlink$n" "readlink: $(readlink "$X$n" 2>&1)"; fi
done

# directories: declared modes, implicit parents 0755
for d in "/bin 755" "/tmp 1777" "/etc 700" "/usr 755" "/usr/share 755" "/sbin 755" "/lib/modules 755" "/run 755" "/dev 755"; do
	n=${d% *} want=${d#* }
	got=$(stat -c %a "$X$n" 2>&1)
	if [ -d "$X$n" ] && [ "$got" = "$want" ]; then pass "pack_dir$n"; else fail "pack_dir$n" "mode $got, expected $want"; fi
done

# special files: device numbers (cpio can make devices only as root), fifo, socket
if [ $ROOT = 1 ]; then
	for dv in "/dev/console c 5 1 600" "/dev/null c 1 3 666" "/dev/vda b 254 0 660"; do
		set -- $dv
		got=$(stat -c '%F %t %T %a' "$X$1" 2>&1)
		case $2 in c) type="character special file" ;; b) type="block special file" ;; esac
		want="$type $(printf '%x %x' "$3" "$4") $5"
		if [ "$got" = "$want" ]; then pass "pack_device$1"; else fail "pack_device$1" "'$got', expected '$want'"; fi
	done
fi
if [ -p "$X/run/fifo" ]; then pass pack_fifo; else fail pack_fifo "not a fifo"; fi

# modules.dep: flat, every module, deepest dependency last
want='virtio.ko:
virtio_ring.ko: virtio.ko
virtio_blk.ko: virtio_ring.ko virtio.ko
uio.ko:
uio_pdrv_genirq.ko: uio.ko
gzmod.ko.gz: virtio.ko'
got=$(cat "$X/lib/modules/modules.dep" 2>&1)
if [ "$got" = "$want" ]; then pass pack_modules_dep; else fail pack_modules_dep "got: $got"; fi
n=$(ls "$X/lib/modules" | wc -l)
if [ "$n" = 7 ]; then pass pack_modules_only_needed; else fail pack_modules_only_needed "$(ls "$X/lib/modules")"; fi

# ---- --gzip-modules: uncompressed modules go in gzip'd, modules.dep names them so ----
expect pack_gzip_modules 0 pack --gzip-modules -o "$T/gzm.cpio.gz" -m "$T/mods" -m "$T/extra" --mtime $MTIME "$T/main.spec"
mkdir "$T/gzx"
(cd "$T/gzx" && gzip -dc ../gzm.cpio.gz | cpio -idm --quiet --no-absolute-filenames) 2>/dev/null
want='virtio.ko.gz:
virtio_ring.ko.gz: virtio.ko.gz
virtio_blk.ko.gz: virtio_ring.ko.gz virtio.ko.gz
uio.ko.gz:
uio_pdrv_genirq.ko.gz: uio.ko.gz
gzmod.ko.gz: virtio.ko.gz'
got=$(cat "$T/gzx/lib/modules/modules.dep" 2>&1)
if [ "$got" = "$want" ]; then pass pack_gzip_modules_dep; else fail pack_gzip_modules_dep "got: $got"; fi
if gzip -dc "$T/gzx/lib/modules/virtio_blk.ko.gz" 2>/dev/null | cmp -s - "$T/mods/kernel/drivers/block/virtio_blk.ko" &&
	cmp -s "$T/gzx/lib/modules/gzmod.ko.gz" "$T/extra/gzmod.ko.gz" && [ ! -e "$T/gzx/lib/modules/virtio_blk.ko" ]; then
	pass pack_gzip_modules_content
else
	fail pack_gzip_modules_content "$(ls -l "$T/gzx/lib/modules")"
fi
# reproducible: the same archive twice
pack --gzip-modules -o "$T/gzm2.cpio.gz" -m "$T/mods" -m "$T/extra" --mtime $MTIME "$T/main.spec" 2>/dev/null
if cmp -s "$T/gzm.cpio.gz" "$T/gzm2.cpio.gz"; then pass pack_gzip_modules_reproducible; else fail pack_gzip_modules_reproducible "two builds differ"; fi

# ---- --list ----
expect pack_list 0 "$PACK" --list "$T/out.cpio.gz"
contains pack_list_symlink "lrwxrwxrwx 0/0        7 init -> bin/dvm"
contains pack_list_device "crw------- 0/0        0 dev/console c 5,1"
contains pack_list_block "brw-rw---- 0/6        0 dev/vda b 254,0"
contains pack_list_file "-r--r--r-- 5/6   100003 random"
contains pack_list_suid "-rwsr-xr-x 0/0       18 sbin/suid"
contains pack_list_sticky "drwxrwxrwt 0/0        0 tmp"
contains pack_list_modules_dep "-rw-r--r-- 0/0      135 lib/modules/modules.dep"
lines=$(echo "$OUT" | wc -l)
entries=$(gzip -dc "$T/out.cpio.gz" | cpio -t --quiet 2>/dev/null | wc -l)
if [ "$lines" = "$entries" ]; then pass pack_list_every_entry; else fail pack_list_every_entry "$lines lines, cpio -t lists $entries"; fi
pack -o "$T/plain.cpio" --no-gzip -m "$T/mods" -m "$T/extra" --mtime $MTIME "$T/main.spec"
expect pack_list_plain 0 "$PACK" --list "$T/plain.cpio"
contains pack_list_plain_same "$("$PACK" --list "$T/out.cpio.gz" | head -3)"
expect pack_list_stdin 0 sh -c "'$PACK' --list - < '$T/out.cpio.gz'"
contains pack_list_stdin_same "lrwxrwxrwx 0/0        7 init -> bin/dvm"
if [ "$(head -c 6 "$T/plain.cpio")" = 070701 ]; then pass pack_no_gzip_is_newc; else fail pack_no_gzip_is_newc "starts with $(head -c 6 "$T/plain.cpio" | od -c | head -1)"; fi
if gzip -dc "$T/out.cpio.gz" | cmp -s - "$T/plain.cpio"; then pass pack_gzip_of_plain; else fail pack_gzip_of_plain "gunzipped archive differs from --no-gzip output"; fi
printf 'garbage that is no archive at all, longer than a header.............................................................' > "$T/junk"
expect pack_list_rejects_junk 1 "$PACK" --list "$T/junk"
contains pack_list_rejects_junk_msg "not a newc cpio header (magic 'garbag', expected 070701)"
head -c 300 "$T/plain.cpio" > "$T/cut.cpio"
expect pack_list_truncated 1 "$PACK" --list "$T/cut.cpio"
contains pack_list_truncated_msg "truncated archive"
expect pack_list_missing 1 "$PACK" --list "$T/nonexistent"
contains pack_list_missing_msg "cannot open $T/nonexistent: No such file or directory"
expect pack_list_usage 2 "$PACK" --list

# ---- determinism ----
pack -o "$T/again.cpio.gz" -m "$T/mods" -m "$T/extra" --mtime $MTIME "$T/main.spec"
if cmp -s "$T/out.cpio.gz" "$T/again.cpio.gz"; then pass pack_deterministic; else fail pack_deterministic "two runs differ"; fi
SOURCE_DATE_EPOCH=$MTIME pack -o "$T/sde.cpio.gz" -m "$T/mods" -m "$T/extra" "$T/main.spec"
if cmp -s "$T/out.cpio.gz" "$T/sde.cpio.gz"; then pass pack_source_date_epoch; else fail pack_source_date_epoch "SOURCE_DATE_EPOCH=$MTIME differs from --mtime $MTIME"; fi
SOURCE_DATE_EPOCH=12345 pack -o "$T/sde2.cpio.gz" -m "$T/mods" -m "$T/extra" "$T/main.spec"
if ! cmp -s "$T/sde.cpio.gz" "$T/sde2.cpio.gz"; then pass pack_source_date_epoch_changes_bytes; else fail pack_source_date_epoch_changes_bytes "identical"; fi
SOURCE_DATE_EPOCH=12345 pack -o "$T/sde3.cpio.gz" --mtime $MTIME -m "$T/mods" -m "$T/extra" "$T/main.spec"
if cmp -s "$T/out.cpio.gz" "$T/sde3.cpio.gz"; then pass pack_mtime_beats_sde; else fail pack_mtime_beats_sde "--mtime did not win"; fi
env -u SOURCE_DATE_EPOCH SRC=$T/src TOOL=dvm "$PACK" -o "$T/zero.cpio" --no-gzip -m "$T/mods" -m "$T/extra" "$T/main.spec"
if "$PACK" --list "$T/zero.cpio" >/dev/null && [ "$(head -c 54 "$T/zero.cpio" | tail -c 8)" = 00000000 ]; then pass pack_default_mtime_zero; else fail pack_default_mtime_zero "first entry mtime $(head -c 54 "$T/zero.cpio" | tail -c 8)"; fi
touch -d @1 "$T/src/hello" "$T/src/script"
pack -o "$T/touched.cpio.gz" -m "$T/mods" -m "$T/extra" --mtime $MTIME "$T/main.spec"
if cmp -s "$T/out.cpio.gz" "$T/touched.cpio.gz"; then pass pack_ignores_source_mtimes; else fail pack_ignores_source_mtimes "archive depends on input file times"; fi
pack -m "$T/mods" -m "$T/extra" --mtime $MTIME "$T/main.spec" > "$T/stdout.cpio.gz"
if cmp -s "$T/out.cpio.gz" "$T/stdout.cpio.gz"; then pass pack_stdout; else fail pack_stdout "stdout output differs from -o output"; fi

# ---- atomic output ----
mkdir "$T/o"
printf 'precious\n' > "$T/o/keep.cpio.gz"
printf 'dir /ok 0755 0 0\ndir /bad 0855 0 0\n' > "$T/bad.spec"
expect pack_bad_spec_fails 1 "$PACK" -o "$T/o/keep.cpio.gz" "$T/bad.spec"
contains pack_bad_mode_message "$T/bad.spec:2: bad mode '0855' for /bad (expected octal permissions, at most 07777)"
if [ "$(cat "$T/o/keep.cpio.gz")" = precious ] && [ "$(ls -A "$T/o")" = keep.cpio.gz ]; then
	pass pack_failure_leaves_output_untouched
else
	fail pack_failure_leaves_output_untouched "dir now: $(ls -A "$T/o")"
fi
printf 'file /f %s/src/hello 0644 0 0\n' "$T" > "$T/ok.spec"
expect pack_replaces_output 0 "$PACK" -o "$T/o/keep.cpio.gz" "$T/ok.spec"
if [ "$(ls -A "$T/o")" = keep.cpio.gz ] && gzip -t "$T/o/keep.cpio.gz"; then pass pack_no_temp_left; else fail pack_no_temp_left "dir now: $(ls -A "$T/o")"; fi
expect pack_unwritable_dir 1 "$PACK" -o "$T/nodir/x.cpio.gz" "$T/ok.spec"
contains pack_unwritable_dir_msg "cannot create a temporary file in $T/nodir"

# ---- never harm what -o points at: device nodes and FIFOs are written through, never
# replaced; a symlink is followed; a directory is refused (all made here, never /dev) ----
if mknod "$T/o/nulldev" c 1 3 2>/dev/null; then
	expect pack_output_device 0 "$PACK" -o "$T/o/nulldev" "$T/ok.spec"
	if [ -c "$T/o/nulldev" ] && [ "$(stat -c '%t,%T' "$T/o/nulldev")" = 1,3 ]; then
		pass pack_output_device_kept
	else
		fail pack_output_device_kept "now: $(ls -l "$T/o/nulldev")"
	fi
fi
mkfifo "$T/o/fifo"
timeout 10 cat "$T/o/fifo" > "$T/o/from-fifo" &
expect pack_output_fifo 0 timeout 10 "$PACK" -o "$T/o/fifo" "$T/ok.spec"
wait
if [ -p "$T/o/fifo" ] && cmp -s "$T/o/from-fifo" "$T/o/keep.cpio.gz"; then
	pass pack_output_fifo_written_through
else
	fail pack_output_fifo_written_through "fifo: $(ls -l "$T/o/fifo"); read $(stat -c %s "$T/o/from-fifo") bytes"
fi
ln -s target.cpio.gz "$T/o/link"
expect pack_output_symlink 0 "$PACK" -o "$T/o/link" "$T/ok.spec"
if [ -L "$T/o/link" ] && cmp -s "$T/o/target.cpio.gz" "$T/o/keep.cpio.gz"; then
	pass pack_output_symlink_followed
else
	fail pack_output_symlink_followed "$(ls -l "$T/o")"
fi
expect pack_output_directory 1 "$PACK" -o "$T/o" "$T/ok.spec"
contains pack_output_directory_msg "cannot write $T/o: it is a directory"
expect pack_output_dash_stdout 0 sh -c "'$PACK' -o - '$T/ok.spec' > '$T/o/dash.cpio.gz'"
if cmp -s "$T/o/dash.cpio.gz" "$T/o/keep.cpio.gz"; then pass pack_output_dash_same; else fail pack_output_dash_same "differs"; fi

# ---- inputs that are not regular files are refused, never waited on ----
mkfifo "$T/in.fifo"
expect pack_input_fifo_spec 1 timeout 10 "$PACK" -o "$T/e.cpio.gz" "$T/in.fifo"
contains pack_input_fifo_spec_msg "cannot read spec '$T/in.fifo': a FIFO, not a regular file"
printf 'include %s/in.fifo\n' "$T" > "$T/incfifo.spec"
expect pack_input_fifo_include 1 timeout 10 "$PACK" -o "$T/e.cpio.gz" "$T/incfifo.spec"
contains pack_input_fifo_include_msg "$T/incfifo.spec:1: cannot read included spec '$T/in.fifo': a FIFO, not a regular file"
printf 'file /x %s/in.fifo 0644 0 0\n' "$T" > "$T/filefifo.spec"
expect pack_input_fifo_file 1 timeout 10 "$PACK" -o "$T/e.cpio.gz" "$T/filefifo.spec"
contains pack_input_fifo_file_msg "$T/filefifo.spec:1: cannot read '$T/in.fifo' for /x: a FIFO, not a regular file"
expect pack_input_devnull_spec 1 "$PACK" -o "$T/e.cpio.gz" /dev/null
contains pack_input_devnull_spec_msg "cannot read spec '/dev/null': a character device, not a regular file"
expect pack_list_fifo 1 timeout 10 "$PACK" --list "$T/in.fifo"
contains pack_list_fifo_msg "cannot open $T/in.fifo: a FIFO, not a regular file"
printf 'file /status /proc/self/status 0644 0 0\n' > "$T/proc.spec"
expect pack_input_proc_file 1 "$PACK" -o "$T/e.cpio.gz" "$T/proc.spec"
contains pack_input_proc_file_msg "'/proc/self/status' for /status reports a size of 0 but has contents"
expect pack_spec_stdin 0 sh -c "'$PACK' -o '$T/o/stdin.cpio.gz' - < '$T/ok.spec'"
if cmp -s "$T/o/stdin.cpio.gz" "$T/o/keep.cpio.gz"; then pass pack_spec_stdin_same; else fail pack_spec_stdin_same "differs from the file's archive"; fi
printf 'dir /a 0755 0 0\ndir /b 0855 0 0\n' | { OUT=$("$PACK" -o "$T/e.cpio.gz" - 2>&1); echo "$OUT" > "$T/stdin.err"; }
OUT=$(cat "$T/stdin.err")
contains pack_spec_stdin_errors_named "standard input:2: bad mode '0855'"

# ---- name length: 4095 bytes stored (PATH_MAX with the NUL) is the limit ----
long=$(head -c 4095 /dev/zero | tr '\0' a)
printf 'dir /%s 0755 0 0\n' "$long" > "$T/long.spec"
expect pack_name_4095 0 "$PACK" -o "$T/o/long.cpio" --no-gzip "$T/long.spec"
printf 'dir /%sb 0755 0 0\n' "$long" > "$T/long2.spec"
expect pack_name_4096 1 "$PACK" -o "$T/e.cpio.gz" "$T/long2.spec"
contains pack_name_4096_msg "is 4096 bytes long (at most 4095)"

# ---- errors ----
printf 'dir /a 0755 0 0\n\nfil /b x 0644 0 0\n' > "$T/e1.spec"
expect pack_unknown_directive 1 "$PACK" -o "$T/e.cpio.gz" "$T/e1.spec"
contains pack_unknown_directive_msg "$T/e1.spec:3: unknown directive 'fil' (expected file, dir, nod, slink, pipe, sock, module or include)"
printf 'file /x %s/nothere 0644 0 0\n' "$T" > "$T/e2.spec"
expect pack_missing_input 1 "$PACK" -o "$T/e.cpio.gz" "$T/e2.spec"
contains pack_missing_input_msg "$T/e2.spec:1: cannot read '$T/nothere' for /x: No such file or directory"
printf 'dir /x 0755 0 0\ndir /x/../y 0755 0 0\n' > "$T/e3.spec"
expect pack_dotdot 1 "$PACK" -o "$T/e.cpio.gz" "$T/e3.spec"
contains pack_dotdot_msg "$T/e3.spec:2: name '/x/../y' has a '..' component"
printf 'dir /x 0755 0 0\nslink /x y 0777 0 0\n' > "$T/e4.spec"
expect pack_duplicate 1 "$PACK" -o "$T/e.cpio.gz" "$T/e4.spec"
contains pack_duplicate_msg "$T/e4.spec:2: duplicate name /x (first declared at $T/e4.spec:1)"
printf 'slink /x ${PACK_TEST_UNSET} 0777 0 0\n' > "$T/e5.spec"
expect pack_unset_var 1 env -u PACK_TEST_UNSET "$PACK" -o "$T/e.cpio.gz" "$T/e5.spec"
contains pack_unset_var_msg "$T/e5.spec:1: environment variable PACK_TEST_UNSET is not set"
printf 'module virtio_blk\n' > "$T/e6.spec"
expect pack_module_without_dir 1 "$PACK" -o "$T/e.cpio.gz" "$T/e6.spec"
contains pack_module_without_dir_msg "$T/e6.spec:1: 'module virtio_blk' needs a module directory: give -m MODDIR"
printf '\nmodule ghost_mod\n' > "$T/e7.spec"
expect pack_missing_module 1 "$PACK" -o "$T/e.cpio.gz" -m "$T/mods" "$T/e7.spec"
contains pack_missing_module_msg "$T/e7.spec:2: module 'ghost_mod' not found in -m $T/mods"
mkko "$T/mods/kernel/needy.ko" "ghost_dep"
printf 'module needy\n' > "$T/e8.spec"
expect pack_missing_dependency 1 "$PACK" -o "$T/e.cpio.gz" -m "$T/mods" "$T/e8.spec"
contains pack_missing_dependency_msg "$T/e8.spec:1: module 'ghost_dep' (needed by needy) not found in -m $T/mods"
mkdir "$T/cyc"
mkko "$T/cyc/ca.ko" "cb"
mkko "$T/cyc/cb.ko" "ca"
printf 'module ca\n' > "$T/e9.spec"
expect pack_cycle 1 "$PACK" -o "$T/e.cpio.gz" -m "$T/cyc" "$T/e9.spec"
contains pack_cycle_msg "$T/e9.spec:1: module dependency cycle: ca -> cb -> ca"
printf 'dir /x 0755 0\n' > "$T/e10.spec"
expect pack_field_count 1 "$PACK" -o "$T/e.cpio.gz" "$T/e10.spec"
contains pack_field_count_msg "$T/e10.spec:1: 'dir' takes 4 fields (dir NAME MODE UID GID), got 3"
expect pack_missing_spec 1 "$PACK" -o "$T/e.cpio.gz" "$T/nope.spec"
contains pack_missing_spec_msg "cannot read spec '$T/nope.spec': No such file or directory"
expect pack_bad_moddir 1 "$PACK" -o "$T/e.cpio.gz" -m "$T/nomods" "$T/ok.spec"
contains pack_bad_moddir_msg "module directory -m $T/nomods: No such file or directory"
expect pack_bad_sde 1 env SOURCE_DATE_EPOCH=yesterday "$PACK" -o "$T/e.cpio.gz" "$T/ok.spec"
contains pack_bad_sde_msg "SOURCE_DATE_EPOCH 'yesterday' is not a number of seconds"
if [ ! -e "$T/e.cpio.gz" ]; then pass pack_errors_write_nothing; else fail pack_errors_write_nothing "e.cpio.gz exists"; fi

# usage errors: exit 2
expect pack_usage_no_spec 2 "$PACK" -o "$T/e.cpio.gz"
contains pack_usage_no_spec_msg "no SPEC file given"
expect pack_usage_bad_option 2 "$PACK" --bogus "$T/ok.spec"
contains pack_usage_bad_option_msg "unknown option: --bogus"
expect pack_usage_missing_value 2 "$PACK" "$T/ok.spec" -o
contains pack_usage_missing_value_msg "option needs a value: -o"
expect pack_usage_missing_value_long 2 "$PACK" "$T/ok.spec" --mtime
contains pack_usage_missing_value_long_msg "option needs a value: --mtime"
expect pack_version 0 "$PACK" --version
if printf '%s' "$OUT" | grep -qE '^dvm-pack [^ ]+$'; then pass pack_version_text; else fail pack_version_text "$OUT"; fi
expect pack_usage_bad_mtime 2 "$PACK" --mtime -5 -o "$T/e.cpio.gz" "$T/ok.spec"
contains pack_usage_bad_mtime_msg "--mtime '-5' is not a number of seconds"
expect pack_help 0 "$PACK" --help
contains pack_help_text "Usage: dvm-pack [-o OUT.cpio.gz] [-m MODDIR]... [--gzip-modules] [--no-gzip] [--mtime N]"
contains pack_help_lists_commands "dvm-pack --list ARCHIVE"

# ---- built-in modules (the tree's modules.builtin) ----
mkdir -p "$T/bi/kernel/drivers/virtio"
mkko "$T/bi/kernel/drivers/virtio/virtio.ko" ""
printf 'kernel/drivers/uio/uio.ko\nkernel/drivers/uio/uio_pdrv_genirq.ko\n' >"$T/bi/modules.builtin"
printf 'module uio virtio\n' >"$T/bi.spec"
expect pack_builtin_module 0 "$PACK" -o "$T/bi.cpio" --no-gzip -m "$T/bi" "$T/bi.spec"
contains pack_builtin_module_noted "$T/bi.spec:1: uio is built into the kernel ($T/bi/modules.builtin): nothing to pack"
OUT=$("$PACK" --list "$T/bi.cpio")
contains pack_builtin_shipped "-rw-r--r-- 0/0       64 lib/modules/modules.builtin"
if printf '%s' "$OUT" | grep -q 'uio\.ko'; then fail pack_builtin_not_packed "$OUT"; else pass pack_builtin_not_packed; fi
printf 'module uio_pdrv_genirq of_id=generic-uio\n' >"$T/bi.conf"
printf 'file /etc/dvm.conf %s 0644 0 0\nmodule virtio\n' "$T/bi.conf" >"$T/bi2.spec"
expect pack_builtin_param 1 "$PACK" -o "$T/e.cpio.gz" -m "$T/bi" "$T/bi2.spec"
contains pack_builtin_param_msg "$T/bi.conf (/etc/dvm.conf):1: module uio_pdrv_genirq is built into the kernel ($T/bi/modules.builtin), so init cannot give it the parameter 'of_id=generic-uio': put uio_pdrv_genirq.of_id=generic-uio on the kernel command line instead"

# ---- the real Debian module tree, when scripts/setup has fetched it ----
if [ -f .cache/kernel.env ]; then
	. ./.cache/kernel.env
	if [ -d "$MODULES_DIR" ] && [ -f "$EXTRA_MODULES_DIR/uio_pdrv_genirq.ko" ]; then
		printf 'module virtio_blk uio uio_pdrv_genirq\n' > "$T/real.spec"
		expect pack_real_modules 0 "$PACK" -o "$T/real.cpio.gz" -m "$MODULES_DIR" -m "$EXTRA_MODULES_DIR" "$T/real.spec"
		mkdir "$T/r"
		(cd "$T/r" && gzip -dc ../real.cpio.gz | cpio -idm --quiet 2>/dev/null)
		if grep -qx 'uio_pdrv_genirq.ko: uio.ko' "$T/r/lib/modules/modules.dep" &&
		   cmp -s "$T/r/lib/modules/virtio_blk.ko" "$(find "$MODULES_DIR" -name virtio_blk.ko | head -1)" &&
		   { [ ! -f "$MODULES_DIR/modules.builtin" ] || cmp -s "$T/r/lib/modules/modules.builtin" "$MODULES_DIR/modules.builtin"; }; then
			pass pack_real_modules_content
		else
			fail pack_real_modules_content "modules.dep: $(cat "$T/r/lib/modules/modules.dep" 2>&1)"
		fi
	fi
fi

finish
