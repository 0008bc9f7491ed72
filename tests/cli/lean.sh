# SPDX-License-Identifier: BSD-2-Clause
# dvm on a lean kernel, faked on the host: tests/cli/nosys.c runs dvm under a seccomp
# filter that fails signalfd, epoll, eventfd, timerfd, io_uring and file locking with
# ENOSYS (with -m every mount(2) with ENODEV), as a kernel built without them does.
# Then: uio_blk's and uio_net's sessions (signals through the self-pipe, the sync
# engine, the journal kept exclusive by a pid lock file, the journal without /tmp), and,
# as root, init as PID 1 of a PID + mount namespace without /proc, /dev/kmsg or a
# console on fds 0-2, its command line in a fake device tree, built-in modules listed in
# a fake /lib/modules/modules.builtin: services start, poweroff reaches init, killall and
# mount say why they cannot work. Nothing here touches the host: module loading is
# refused by the filter too, and every mount is inside a private namespace.
. "$(dirname "$0")/../lib.sh"

if [ -n "${DVM_RUN:-}" ]; then
	# the filter would apply to qemu-user itself
	echo "PASS: lean: host architecture only (the seccomp launcher filters the host's syscalls)"
	exit 0
fi
NOSYS=$T_TMP/nosys
if ! ${HOSTCC:-gcc} -O2 -Wall -Wextra -Werror -o "$NOSYS" "$(dirname "$0")/nosys.c"; then
	fail lean_build_nosys "cannot build tests/cli/nosys.c"
	exit 1
fi
until_log() { # FILE TEXT: wait up to 10 s for TEXT in FILE
	for _ in $(seq 200); do
		grep -qF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}
has() { # NAME FILE TEXT
	if grep -qF -- "$3" "$2"; then pass "$1"; else fail "$1" "lacks '$3': $(cat "$2")"; fi
}
hasnt() { # NAME FILE TEXT
	if grep -qF -- "$3" "$2"; then fail "$1" "has '$3': $(cat "$2")"; else pass "$1"; fi
}

# --- the drivers' own command-line suites, under the filter -----------------------------
for t in uio_blk uio_net; do
	# (timeout: a driver that died leaves the suite blocked opening its FIFO)
	DVM_RUN=$NOSYS timeout 120 bash "$(dirname "$0")/$t.sh" >"$T_TMP/$t.suite" 2>&1 ||
		fail "lean: $t suite" "exit $?: $(tail -c 300 "$T_TMP/$t.suite")"
	sed -n 's/^\(PASS\|FAIL\): /\1: lean: /p' "$T_TMP/$t.suite"
	T_FAILS=$((T_FAILS + $(grep -c '^FAIL: ' "$T_TMP/$t.suite")))
done

# --- uio_blk: self-pipe, sync engine, pid lock file ------------------------------------
R=$T_TMP/blk
blk_tree() { # blk_tree ROOT: the UIO device "blk" (tests/lib.sh), and a disk
	blk_uio_tree "$1"
	truncate -s 1M "$1/disk"
}
blk_tree "$R"
J=$T_TMP/journal
DVM_UIO_ROOT=$R "$NOSYS" "$DVM" uio_blk --device "$R/disk" --capacity 64 --journal "$J" \
	2>"$T_TMP/blk1.log" &
blk1=$!
if until_log "$T_TMP/blk1.log" "serving"; then pass lean_blk_serving; else fail lean_blk_serving "$(cat "$T_TMP/blk1.log")"; fi
has lean_blk_selfpipe "$T_TMP/blk1.log" "uio_blk: no signalfd (kernel without CONFIG_SIGNALFD): signals through a self-pipe"
has lean_blk_sync "$T_TMP/blk1.log" "uio_blk: no io_uring (Function not implemented): synchronous I/O"
has lean_blk_lockfile "$T_TMP/blk1.log" "uio_blk: no file locking (kernel without CONFIG_FILE_LOCKING): $J owned through $J.lock"
hasnt lean_blk_journal_kept "$T_TMP/blk1.log" "no journal"
[ "$(cat "$J.lock" 2>/dev/null)" = "$blk1" ] && pass lean_blk_lock_pid || fail lean_blk_lock_pid "lock file: $(cat "$J.lock" 2>&1)"

# a second driver on the same journal is refused while the first lives
# (timeout: without exclusion it would serve, for ever)
expect lean_blk_second_refused 1 env DVM_UIO_ROOT=$R timeout 10 "$NOSYS" "$DVM" uio_blk \
	--device "$R/disk" --capacity 64 --journal "$J"
contains lean_blk_second_msg "uio_blk: journal $J locked: another uio_blk runs (pid $blk1)"

# killed: its lock file is stale, the next one takes over
{ kill -KILL $blk1; wait $blk1; } 2>/dev/null	# (no "Killed" notice from bash)
DVM_UIO_ROOT=$R "$NOSYS" "$DVM" uio_blk --device "$R/disk" --capacity 64 --journal "$J" \
	2>"$T_TMP/blk2.log" &
blk2=$!
if until_log "$T_TMP/blk2.log" "serving"; then pass lean_blk_stale_taken; else fail lean_blk_stale_taken "$(cat "$T_TMP/blk2.log")"; fi
has lean_blk_stale_msg "$T_TMP/blk2.log" "uio_blk: $J.lock: stale lock of pid $blk1 (gone): taking it over"
kill -TERM $blk2
wait $blk2
st=$?
[ $st = 0 ] && pass lean_blk_sigterm || fail lean_blk_sigterm "exit $st: $(cat "$T_TMP/blk2.log")"
has lean_blk_stopped "$T_TMP/blk2.log" "uio_blk: served 0 requests"

# --- uio_blk without /tmp: the journal on the root (a chroot stands for the initramfs) --
if [ "$(id -u)" = 0 ]; then
	C=$T_TMP/chroot
	blk_tree "$C"
	cp "$DVM" "$C/dvm"
	DVM_UIO_ROOT=/ "$NOSYS" chroot "$C" /dvm uio_blk --device /disk --capacity 64 \
		2>"$T_TMP/blk3.log" &
	blk3=$!
	if until_log "$T_TMP/blk3.log" "serving"; then pass lean_blk_no_tmp; else fail lean_blk_no_tmp "$(cat "$T_TMP/blk3.log")"; fi
	has lean_blk_no_tmp_msg "$T_TMP/blk3.log" "uio_blk: journal /tmp/uio_blk-blk.journal: No such file or directory; using /uio_blk-blk.journal on the initramfs root"
	[ -s "$C/uio_blk-blk.journal" ] && pass lean_blk_no_tmp_file || fail lean_blk_no_tmp_file "no $C/uio_blk-blk.journal"
	kill -TERM $blk3
	wait $blk3
else
	echo "PASS: lean: journal without /tmp needs root (chroot); skipped"
fi

# --- uio_net: self-pipe, in a network namespace of its own (lo stands for the NIC) ------
N=$T_TMP/net
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
	mkdir -p "$N/sys/class/uio/uio3" "$N/sys/class/uio/uio5" "$N/dev"
	echo net-rx >"$N/sys/class/uio/uio3/name"
	echo net-tx >"$N/sys/class/uio/uio5/name"
	mkfifo "$N/dev/uio3" "$N/dev/uio5"
	truncate -s $((0x50000000)) "$N/dev/uio3.maps" "$N/dev/uio5.maps"
	uio_map "$N" 3 0 notify 0x4fc00000 0x1000
	uio_map "$N" 3 1 free 0x4fc01000 0x1000
	uio_map "$N" 3 2 active 0x4fc02000 0x1000
	uio_map "$N" 3 3 data 0x4fd00000 0x10000
	uio_map "$N" 5 0 notify 0x4fc10000 0x1000
	uio_map "$N" 5 1 free 0x4fc11000 0x1000
	uio_map "$N" 5 2 active 0x4fc12000 0x1000
	uio_map "$N" 5 3 data0 0x4fe00000 0x10000
	uio_map "$N" 5 4 data1 0x4fe10000 0x10000
	DVM_UIO_ROOT=$N unshare -n "$NOSYS" "$DVM" uio_net --rx-capacity 128 --tx-capacity 128 \
		--if lo 2>"$T_TMP/net.log" &
	net=$!
	if until_log "$T_TMP/net.log" "serving"; then pass lean_net_serving; else fail lean_net_serving "$(cat "$T_TMP/net.log")"; fi
	has lean_net_selfpipe "$T_TMP/net.log" "uio_net: no signalfd (kernel without CONFIG_SIGNALFD): signals through a self-pipe"
	kill -USR1 $net
	if until_log "$T_TMP/net.log" "uio_net: stats: "; then pass lean_net_sigusr1; else fail lean_net_sigusr1 "$(cat "$T_TMP/net.log")"; fi
	kill -TERM $net
	wait $net
	st=$?
	[ $st = 0 ] && pass lean_net_sigterm || fail lean_net_sigterm "exit $st: $(cat "$T_TMP/net.log")"
	has lean_net_stopped "$T_TMP/net.log" "uio_net: stopped: "
else
	echo "PASS: lean: uio_net session needs root (network namespace); skipped"
fi

# --- init as PID 1 without /proc, /dev/kmsg, console or signalfd ------------------------
if [ "$(id -u)" != 0 ] || ! unshare -fpm true 2>/dev/null; then
	echo "PASS: lean: init as PID 1 needs root and unshare; skipped"
	finish
	exit
fi
# lean_ns NAME BOOTARGS [PRE]: init in a new PID + mount namespace: /proc unmounted, /dev
# a tmpfs with null and hvc0 (a file, bound to $T_TMP/NAME.console) but no console or
# kmsg, /sys/firmware/devicetree/base/chosen/bootargs = BOOTARGS, /lib/modules holding
# only modules.builtin; init starts with fds 0-2 closed, under nosys -m (no mount works).
# PRE runs in the namespace first. Sets ST to unshare's status, CON to the console file.
lean_ns() {
	CON=$T_TMP/$1.console
	: >"$CON"
	printf '%s\0' "$2" >"$T_TMP/bootargs"
	printf '%s\n' kernel/drivers/uio/uio.ko kernel/drivers/uio/uio_pdrv_genirq.ko \
		>"$T_TMP/modules.builtin"
	{
		timeout -s KILL 30 unshare --kill-child -fpm sh -c '
			mount -t tmpfs none /dev && mknod -m 666 /dev/null c 1 3 &&
			touch /dev/hvc0 && mount --bind "$1" /dev/hvc0 &&
			mount -t tmpfs none /sys/firmware &&
			mkdir -p /sys/firmware/devicetree/base/chosen &&
			cp "$2" /sys/firmware/devicetree/base/chosen/bootargs &&
			mkdir -p /lib/modules && mount -t tmpfs none /lib/modules &&
			cp "$3" /lib/modules/modules.builtin && umount -l /proc || exit 99
			eval "$4"
			exec "$5" -m "$6" init 0<&- 1>&- 2>&-' sh "$CON" "$T_TMP/bootargs" \
			"$T_TMP/modules.builtin" "${3:-}" "$NOSYS" "$DVM" >"$T_TMP/$1.out" 2>&1
		ST=$?
	} 2>/dev/null
}
cat >"$T_TMP/lean1.conf" <<'EOF'
module uio
module uio_pdrv_genirq of_id=generic-uio
service idle sleep inf
task nokill killall sleep
task nolist mount
task bye poweroff
EOF
lean_ns lean1 "console=hvc0 dvm.conf=$T_TMP/lean1.conf dvm.loglevel=7"
[ "$ST" = 130 ] && pass lean_init_poweroff || fail lean_init_poweroff "exit $ST (want 130, SIGINT: the namespace's power-off); console: $(cat "$CON"; cat "$T_TMP/lean1.out")"
has lean_init_hvc0 "$CON" "init: starting (config $T_TMP/lean1.conf)"
has lean_init_selfpipe "$CON" "init: no signalfd (kernel without CONFIG_SIGNALFD): signals through a self-pipe"
has lean_init_no_kmsg "$CON" "init: no /dev/kmsg (kernel without PRINTK?): logging to the console"
has lean_init_no_proc "$CON" "init: no /proc (kernel without PROC_FS): no killall, no mount list"
has lean_init_cmdline_dt "$CON" "init: no /proc/cmdline: kernel command line from the device tree (/sys/firmware/devicetree/base/chosen/bootargs)"
has lean_init_builtin "$CON" "init: module uio: built into the kernel (/lib/modules/modules.builtin)"
hasnt lean_init_builtin_not_missing "$CON" "not found in /lib/modules"
has lean_init_builtin_param "$CON" "init: module uio_pdrv_genirq is built in: of_id=generic-uio must be on the kernel command line as uio_pdrv_genirq.of_id=generic-uio, which lacks it"
has lean_init_selfexe "$CON" "init: no /proc/self/exe (no procfs): this executable is $DVM"
has lean_init_service "$CON" "init: started idle (pid "
hasnt lean_init_no_127 "$CON" "exited with status 127"
has lean_init_killall "$CON" "killall: cannot find processes: no procfs on /proc (No such file or directory)"
has lean_init_mount_list "$CON" "mount: cannot list mounts: /proc/mounts: No such file or directory (no procfs)"
has lean_init_poweroff_signal "$CON" ": power off"
has lean_init_stopped "$CON" "init: idle killed by signal 15 (TERM)"
has lean_init_final "$CON" "init: powering off"

# the built-in module's parameter on the command line: said to be there
# (and a module the host's /sys/module has but modules.builtin does not list: present
# already, so its config parameter cannot be applied: said)
printf '%s\n' 'module uio_pdrv_genirq of_id=generic-uio' 'module printk time=1' 'task bye reboot' \
	>"$T_TMP/lean2.conf"
lean_ns lean2 "console=hvc0 uio_pdrv_genirq.of_id=generic-uio dvm.conf=$T_TMP/lean2.conf"
[ "$ST" = 129 ] && pass lean_init_reboot || fail lean_init_reboot "exit $ST (want 129, SIGHUP: the namespace's reboot); console: $(cat "$CON")"
has lean_init_builtin_param_ok "$CON" "init: module uio_pdrv_genirq: built in; uio_pdrv_genirq.of_id=generic-uio is on the kernel command line"
has lean_init_reboot_signal "$CON" ": reboot"
if [ -d /sys/module/printk ]; then
	has lean_init_present_param "$CON" "init: module printk: parameters 'time=1' not applied (for a built-in module: printk.PARAM=VALUE on the kernel command line)"
else
	echo "PASS: lean: no /sys/module/printk on this host; present-module check skipped"
fi

# poweroff without /proc when PID 1 is not dvm's init: refused, the host untouched
unshare -fpm sh -c 'umount -l /proc && mount -t tmpfs none /dev || exit 99
	"$1" poweroff; echo "rc=$?"
	echo "systemd" >/dev/.dvm-init
	"$1" reboot; echo "rc=$?"' sh "$DVM" >"$T_TMP/foreign.out" 2>&1
OUT=$(cat "$T_TMP/foreign.out")
contains lean_poweroff_foreign "poweroff: cannot tell whether PID 1 is dvm init: /proc/1/exe: No such file or directory, /dev/.dvm-init: No such file or directory; nothing done; 'poweroff -f' would power off this machine at once"
contains lean_reboot_foreign_mark "reboot: PID 1 is not dvm init (its signals may mean something else): nothing done; 'reboot -f' would reboot this machine at once"
[ "$(grep -c 'rc=1' "$T_TMP/foreign.out")" = 2 ] && pass lean_poweroff_foreign_status ||
	fail lean_poweroff_foreign_status "$OUT"
finish
