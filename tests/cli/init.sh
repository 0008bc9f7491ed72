# SPDX-License-Identifier: BSD-2-Clause
# init, poweroff, reboot, sleep and killall from the command line. Nothing here may
# power off, reboot or signal the host: init and poweroff are only run where they must
# refuse, killall only targets processes this script started under unique names. As
# root on x86_64, init also runs for real as PID 1 of a new PID + mount namespace, where
# reboot(2) only ends the namespace (its init dies of SIGINT for a power-off, SIGHUP for
# a reboot: the kernel's documented PID-namespace behaviour).
. "$(dirname "$0")/../lib.sh"

# --- init outside PID 1 ---------------------------------------------------------------
mounts_before=$(cat /proc/self/mountinfo | wc -l)
devkmsg_before=$(cat /proc/sys/kernel/printk_devkmsg 2>/dev/null)
mkdir "$T_TMP/cwd"
OUT=$(cd "$T_TMP/cwd" && DVM_CMDLINE="dvm.conf=$T_TMP/none.conf" ${DVM_RUN:-} "$DVM" init 2>&1)
st=$?
[ $st = 1 ] && pass init_not_pid1_status || fail init_not_pid1_status "exit $st: $OUT"
contains init_not_pid1_msg "init: must run as PID 1 (the kernel's init); nothing done"
[ "$(cat /proc/self/mountinfo | wc -l)" = "$mounts_before" ] && pass init_not_pid1_no_mounts ||
	fail init_not_pid1_no_mounts "mount table changed"
[ "$(cat /proc/sys/kernel/printk_devkmsg 2>/dev/null)" = "$devkmsg_before" ] &&
	pass init_not_pid1_no_sysctl || fail init_not_pid1_no_sysctl "printk_devkmsg changed"
[ -z "$(ls -A "$T_TMP/cwd")" ] && pass init_not_pid1_no_files ||
	fail init_not_pid1_no_files "created $(ls -A "$T_TMP/cwd")"
expect init_help 0 dvm init --help
contains init_help_usage "Usage: init"
contains init_help_check "--check-config FILE"
expect init_check_no_file 2 dvm init --check-config
contains init_check_no_file_msg "usage: init --check-config FILE"

# --- init --check-config --------------------------------------------------------------
cat >"$T_TMP/good.conf" <<'EOF'
# a block driver VM
loglevel 5
restart-limit 3 30
module uio
module uio_pdrv_genirq of_id=generic-uio
mount tmpfs none /tmp "mode=1777,size=1M"
task pause sleep 0.1
service blk restart=on-failure sleep "inf"   # stands in for a driver
EOF
expect check_good 0 env DVM_CMDLINE= ${DVM_RUN:-} "$DVM" init --check-config "$T_TMP/good.conf"
want='loglevel 5
restart-backoff 100 10000
restart-limit 3 30
module uio
module uio_pdrv_genirq of_id=generic-uio
mount tmpfs none /tmp mode=1777,size=1M
task pause sleep 0.1
service blk restart=on-failure sleep inf'
[ "$OUT" = "$want" ] && pass check_good_output || fail check_good_output "got: $OUT"

expect check_overrides 0 env DVM_CMDLINE='quiet dvm.skip=uio,pause dvm.restart_limit=9/99 dvm.args.blk="2.5"' \
	${DVM_RUN:-} "$DVM" init --check-config "$T_TMP/good.conf"
contains check_overrides_skip_module "# skipped (dvm.skip): module uio"
contains check_overrides_keep_module "
module uio_pdrv_genirq of_id=generic-uio"
contains check_overrides_skip_task "# skipped (dvm.skip): task pause sleep 0.1"
contains check_overrides_limit "restart-limit 9 99"
contains check_overrides_args "service blk restart=on-failure sleep 2.5"

expect check_unknown_skip 0 env DVM_CMDLINE='dvm.skip=nothing' ${DVM_RUN:-} "$DVM" init --check-config "$T_TMP/good.conf"
contains check_unknown_skip_warning "init: kernel command line: dvm.skip: no service, task or module named 'nothing'"

printf '%s\n' 'service blk sleep inf' 'service blk sleep 1' 'mount tmpfs none tmp' \
	'task t "unterminated' 'restart-backoff 10 1' 'frobnicate' >"$T_TMP/bad.conf"
expect check_bad 1 env DVM_CMDLINE= ${DVM_RUN:-} "$DVM" init --check-config "$T_TMP/bad.conf"
want="init: $T_TMP/bad.conf:2: service blk: name already used at line 1
init: $T_TMP/bad.conf:3: mount: DIR 'tmp' is not an absolute path
init: $T_TMP/bad.conf:4: unterminated quote
init: $T_TMP/bad.conf:5: restart-backoff: MIN_MS 10 is greater than MAX_MS 1
init: $T_TMP/bad.conf:6: unknown directive 'frobnicate' (expected module, mount, service, task, wait, loglevel, restart-backoff or restart-limit)
init: $T_TMP/bad.conf: 5 errors"
[ "$OUT" = "$want" ] && pass check_bad_messages || fail check_bad_messages "got: $OUT"

expect check_missing 1 dvm init --check-config "$T_TMP/missing.conf"
contains check_missing_msg "init: $T_TMP/missing.conf: cannot read: No such file or directory"
expect check_bad_override 1 env DVM_CMDLINE='dvm.args.nope=1 dvm.restart_limit=5' \
	${DVM_RUN:-} "$DVM" init --check-config "$T_TMP/good.conf"
contains check_bad_override_args "init: kernel command line: dvm.args.nope: no service or task named 'nope'"
contains check_bad_override_limit "init: kernel command line: dvm.restart_limit=5: expected COUNT/WINDOW_S"

# the applets' own argument checks, also after dvm.args; the dvm.* options themselves
expect check_args_bad 1 env DVM_CMDLINE='dvm.args.blk="1 2"' ${DVM_RUN:-} "$DVM" init --check-config "$T_TMP/good.conf"
contains check_args_bad_msg "init: $T_TMP/good.conf:8: service blk: sleep: expected one argument, SECONDS"
printf '%s\n' 'service blk restart=always uio_blk' 'task t killall -s' 'service m mount -o' \
	'wait /dev/mmcblk0 timeout=10s' >"$T_TMP/args.conf"
expect check_args_applets 1 env DVM_CMDLINE= ${DVM_RUN:-} "$DVM" init --check-config "$T_TMP/args.conf"
contains check_args_uio_blk "init: $T_TMP/args.conf:1: service blk: uio_blk: --capacity N is required"
contains check_args_killall "init: $T_TMP/args.conf:2: task t: killall: -s needs a SIGNAL"
contains check_args_mount "init: $T_TMP/args.conf:3: service m: mount: option -o needs a value"
contains check_args_count "init: $T_TMP/args.conf: 3 errors"
expect check_dvm_options 1 env DVM_CMDLINE='dvm.skp=blk dvm.loglevel=9 dvm.loglevel=abc dvm.loglevel=7' \
	${DVM_RUN:-} "$DVM" init --check-config "$T_TMP/good.conf"
contains check_dvm_unknown "init: kernel command line: unknown option 'dvm.skp', ignored (dvm's are dvm.conf, dvm.loglevel, dvm.skip, dvm.restart_limit, dvm.args.NAME)"
contains check_dvm_loglevel_9 "init: kernel command line: dvm.loglevel=9: expected a number 0..7"
contains check_dvm_loglevel_abc "init: kernel command line: dvm.loglevel=abc: expected a number 0..7"
contains check_dvm_count "good.conf: 2 errors"
expect check_dvm_unknown_only 0 env DVM_CMDLINE='dvm.skp=blk' ${DVM_RUN:-} "$DVM" init --check-config "$T_TMP/good.conf"
contains check_dvm_unknown_only_warns "unknown option 'dvm.skp'"

# --- poweroff / reboot: PID 1 here is not dvm's init, so both must refuse --------------
for a in poweroff reboot; do
	expect ${a}_refuses 1 dvm $a
	contains ${a}_refuses_msg "nothing done"
	[ $a = poweroff ] && w="power off" || w=reboot
	contains ${a}_refuses_says_f_is_immediate "'$a -f' would $w this machine at once, without stopping anything"
	expect ${a}_bad_arg 2 dvm $a -x
	contains ${a}_bad_arg_msg "$a: unexpected argument '-x'"
	expect ${a}_help 0 dvm $a --help
	contains ${a}_help_usage "Usage: $a [-f]"
done

# --- sleep ----------------------------------------------------------------------------
expect sleep_fraction 0 dvm sleep 0.05
expect sleep_zero 0 dvm sleep 0
expect sleep_bad 2 dvm sleep 1x
contains sleep_bad_msg "sleep: '1x' is not a number of seconds"
expect sleep_negative 2 dvm sleep -1
expect sleep_no_arg 2 dvm sleep
contains sleep_no_arg_msg "expected one argument"
# running: PID has exec'd a command line containing TEXT (not the forked shell any more,
# which must not get our signals: it would run lib.sh's EXIT trap)
running() { # PID TEXT
	for i in $(seq 500); do
		tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2" && return 0
		sleep 0.01
	done
	return 1
}
# interruptible, and killed by the signal's default action
${DVM_RUN:-} "$DVM" sleep inf &
pid=$!
running $pid "sleep inf" && kill -TERM $pid
wait $pid
st=$?
[ $st = 143 ] && pass sleep_inf_killed || fail sleep_inf_killed "exit $st, expected 143"

# --- killall: victims are copies of the host's sleep under names of our own -----------
V=dvmkt$$		# short: the whole name fits in comm (15 characters)
cp "$(command -v sleep)" "$T_TMP/$V"
# every signal at its default action: a suite started with SIGHUP ignored (nohup) passes
# that on, and the HUP victim would live on
victim() { env --default-signal "$T_TMP/$V" 30 & VPID=$!; running $VPID "$V 30"; }
waitfor() { # NAME PID WANT_STATUS
	local st
	{
		wait "$2"
		st=$?
	} 2>/dev/null	# bash's "Killed" notices
	[ "$st" = "$3" ] && pass "$1" || fail "$1" "victim exit $st, expected $3"
}

victim
expect killall_term 0 dvm killall "$V"
waitfor killall_term_default "$VPID" 143
victim
expect killall_dash_sig 0 dvm killall -KILL "$V"
waitfor killall_dash_sig_kill "$VPID" 137
victim
expect killall_s_sig 0 dvm killall -s 1 "$V"
waitfor killall_s_sig_hup "$VPID" 129
victim
expect killall_sigalrm 0 dvm killall -SIGALRM "$V"
waitfor killall_sigalrm_alrm "$VPID" 142
victim
expect killall_zero 0 dvm killall -0 "$V"
kill -0 "$VPID" 2>/dev/null && pass killall_zero_alive || fail killall_zero_alive "victim died"
expect killall_path 0 dvm killall -USR1 "$T_TMP/$V"
waitfor killall_path_usr1 "$VPID" 138
# by argv[0] only (comm is the file name)
("$BASH" -c 'exec -a "$1" "$2" 30' x "dvmkt_argv$$" "$T_TMP/$V") &
VPID=$!
running $VPID "dvmkt_argv$$ 30"
expect killall_argv0 0 dvm killall -TERM "dvmkt_argv$$"
waitfor killall_argv0_term "$VPID" 143
# a name longer than comm's 15 characters, run through a symlink of that name
L=dvm_killall_test_long_name_$$
ln -s "$T_TMP/$V" "$T_TMP/$L"
"$T_TMP/$L" 30 &
VPID=$!
running $VPID "$L 30"
expect killall_long_name 0 dvm killall "$L"
waitfor killall_long_name_term "$VPID" 143

expect killall_none 1 dvm killall "dvm_no_such_process_$$"
contains killall_none_msg "killall: dvm_no_such_process_$$: no process found"
victim
expect killall_some_missing 1 dvm killall "$V" "dvm_no_such_process_$$"
waitfor killall_some_missing_still_kills "$VPID" 143
expect killall_bad_signal 2 dvm killall -FOO "$V"
contains killall_bad_signal_msg "killall: unknown signal 'FOO'"
expect killall_no_name 2 dvm killall -9
contains killall_no_name_msg "expected NAME"
expect killall_s_no_signal 2 dvm killall -s
expect killall_missing_path 1 dvm killall "$T_TMP/missing"
contains killall_missing_path_msg "$T_TMP/missing: No such file or directory"

# --- init as PID 1 in a PID + mount namespace -------------------------------------------
if [ "$(id -u)" != 0 ] || [ -n "${DVM_RUN:-}" ] || ! unshare -fpm --mount-proc true 2>/dev/null; then
	echo "SKIP: init as PID 1 in a namespace (needs root, unshare, and the host's arch)"
	finish
	exit
fi

# run_ns NAME CONF [CMDLINE...]: init as PID 1 of a new namespace with config CONF. In
# the namespace /dev is a tmpfs whose kmsg is a plain file (init's log, then in $LOG),
# and printk_devkmsg and threads-max are files too (THREADS_MAX: the latter's value), so
# the host's kernel log and settings stay untouched. A process started before init (PRE, a shell command) becomes init's
# child without being a service: an orphan to reap. Sets ST to unshare's status.
run_ns() {
	local name=$1 conf=$2
	shift 2
	LOG=$T_TMP/$name.log
	: >"$LOG"
	echo ratelimit >"$T_TMP/devkmsg"
	echo "${THREADS_MAX:-100000}" >"$T_TMP/threads-max"
	# (stderr of the group: bash's "Hangup" notice when unshare dies of the signal)
	{
		DVM_CMDLINE="dvm.conf=$conf $*" timeout 30 unshare -fpm --mount-proc sh -c '
			mount -t tmpfs none /dev && touch /dev/kmsg &&
			mknod -m 666 /dev/null c 1 3 &&
			mount --bind "$1" /dev/kmsg &&
			mount --bind "$2" /proc/sys/kernel/printk_devkmsg &&
			mount --bind "$5" /proc/sys/kernel/threads-max || exit 99
			eval "$3"
			exec "$4" init' sh "$LOG" "$T_TMP/devkmsg" "${PRE:-}" "$DVM" "$T_TMP/threads-max" >"$T_TMP/$name.out" 2>&1
		ST=$?
	} 2>/dev/null
}
log_has() { # NAME TEXT: init's log has TEXT (fixed string)
	if grep -qF -- "$2" "$LOG"; then pass "$1"; else fail "$1" "log lacks '$2': $(cat "$LOG")"; fi
}
status_is() {
	[ "$ST" = "$2" ] && pass "$1" || fail "$1" "exit $ST, expected $2; log: $(cat "$LOG")"
}

cat >"$T_TMP/ns1.conf" <<EOF
restart-backoff 20 100
service idle sleep inf
service once restart=never sleep 0
task pause sleep 0.1
task bye poweroff
EOF
devkmsg_host=$(cat /proc/sys/kernel/printk_devkmsg)
PRE="sleep 0.2 & (sleep 0.3 &)" run_ns ns_poweroff "$T_TMP/ns1.conf" dvm.loglevel=7
status_is ns_poweroff_status 130	# init killed by SIGINT: the namespace's power-off
log_has ns_poweroff_started "init: started idle (pid "
log_has ns_poweroff_never "init: once exited with status 0; not restarted (restart=never)"
log_has ns_poweroff_task "init: task pause exited with status 0"
log_has ns_poweroff_signal ": power off"
log_has ns_poweroff_stopping "<5>init: powering off: stopping all processes"
log_has ns_poweroff_stopped "init: idle killed by signal 15 (TERM)"
log_has ns_poweroff_final "<5>init: powering off"
log_has ns_poweroff_orphans "init: reaped pid "
[ "$(grep -c 'reaped pid' "$LOG")" -ge 2 ] && pass ns_poweroff_all_orphans ||
	fail ns_poweroff_all_orphans "$(cat "$LOG")"
[ "$(head -n1 "$T_TMP/devkmsg")" = on ] && pass ns_printk_devkmsg || fail ns_printk_devkmsg "$(cat "$T_TMP/devkmsg")"
[ "$(cat /proc/sys/kernel/printk_devkmsg)" = "$devkmsg_host" ] && pass ns_host_untouched ||
	fail ns_host_untouched "host printk_devkmsg changed"

# a small VM's kernel.threads-max (20 at 8 MiB): init raises it to 64; a large one
# (the default 100000 above, as any host's) it leaves alone
printf '%s\n' 'service idle sleep inf' 'task bye poweroff' >"$T_TMP/ns8.conf"
THREADS_MAX=20 run_ns ns_threads "$T_TMP/ns8.conf"
log_has ns_threads_raised "init: kernel.threads-max 20 (the kernel's default for this RAM) raised to 64"
[ "$(cat "$T_TMP/threads-max")" = 64 ] && pass ns_threads_written ||
	fail ns_threads_written "threads-max holds '$(cat "$T_TMP/threads-max")'"
[ "$(cat /proc/sys/kernel/threads-max)" -ge 64 ] && pass ns_threads_host_untouched ||
	fail ns_threads_host_untouched "$(cat /proc/sys/kernel/threads-max)"
if grep -q "threads-max" "$T_TMP/ns_poweroff.log"; then
	fail ns_threads_large_left_alone "$(grep threads-max "$T_TMP/ns_poweroff.log")"
else
	pass ns_threads_large_left_alone
fi

printf '%s\n' 'service idle sleep inf' 'task bye reboot' >"$T_TMP/ns2.conf"
run_ns ns_reboot "$T_TMP/ns2.conf"
status_is ns_reboot_status 129	# SIGHUP: the namespace's reboot
log_has ns_reboot_signal ": reboot"
log_has ns_reboot_final "<5>init: rebooting"

printf '%s\n' 'restart-backoff 10 40' 'restart-limit 3 60' 'service idle sleep inf' \
	'service crash killall dvm_no_such_process' >"$T_TMP/ns3.conf"
run_ns ns_limit "$T_TMP/ns3.conf"
status_is ns_limit_status 130
log_has ns_limit_restart1 "init: crash exited with status 1; restarting in 10 ms"
log_has ns_limit_restart2 "init: crash exited with status 1; restarting in 20 ms"
log_has ns_limit_hit "<3>init: crash exited with status 1: that is 3 failures within 60 s (restart-limit 3 60); powering off"
log_has ns_limit_stops "init: idle killed by signal 15 (TERM)"
log_has ns_limit_all_started "<5>init: all drivers started (2 services) "

printf '%s\n' 'service idle sleep inf' 'service x sleep' 'bogus line' >"$T_TMP/ns4.conf"
run_ns ns_badconf "$T_TMP/ns4.conf"
status_is ns_badconf_status 130
log_has ns_badconf_error "<3>init: $T_TMP/ns4.conf:3: unknown directive 'bogus'"
log_has ns_badconf_args "<3>init: $T_TMP/ns4.conf:2: service x: sleep: expected one argument, SECONDS"
log_has ns_badconf_refuse "refusing to start from a bad configuration"
if grep -qF "started" "$LOG"; then fail ns_badconf_nothing_started "$(cat "$LOG")"; else pass ns_badconf_nothing_started; fi

printf '%s\n' 'service idle sleep inf' 'service skipme sleep inf' 'task bye poweroff' >"$T_TMP/ns5.conf"
run_ns ns_cmdline "$T_TMP/ns5.conf" dvm.skip=skipme 'dvm.args.idle="1000 "'
status_is ns_cmdline_status 130
log_has ns_cmdline_args "init: started idle (pid"
log_has ns_cmdline_args_value "): sleep 1000"
log_has ns_cmdline_skip "init: skipping service skipme (dvm.skip)"

# wait: a path that appears 0.3 s after init starts (as a late MMC card would), then
# one that never does; services stay supervised and boot goes on after the timeout
cat >"$T_TMP/ns7.conf" <<EOF
service idle sleep inf
wait $T_TMP/late timeout=10s
wait $T_TMP/never timeout=200ms
task bye poweroff
EOF
PRE="(sleep 0.3; touch '$T_TMP/late') &" run_ns ns_wait "$T_TMP/ns7.conf"
status_is ns_wait_status 130
log_has ns_wait_late "ms for $T_TMP/late"
log_has ns_wait_timeout "<3>init: wait: $T_TMP/never did not appear within 200 ms; going on"
log_has ns_wait_goes_on "init: started task bye"

# SIGTERM from outside the namespace (the VMM's orderly shutdown, in effect)
printf '%s\n' 'service idle sleep inf' >"$T_TMP/ns6.conf"
run_ns ns_sigterm "$T_TMP/ns6.conf" &
bg=$!
for i in $(seq 100); do grep -q "all drivers started" "$T_TMP/ns_sigterm.log" 2>/dev/null && break; sleep 0.05; done
nsinit=$(pgrep -f -n "^$DVM init\$")
[ -n "$nsinit" ] && kill -TERM "$nsinit"
wait $bg
LOG=$T_TMP/ns_sigterm.log
grep -qF "SIGTERM from the kernel: power off" "$LOG" && pass ns_sigterm_logged || fail ns_sigterm_logged "$(cat "$LOG")"
log_has ns_sigterm_stops "init: idle killed by signal 15 (TERM)"

# killall never signals itself or PID 1
unshare -fp --mount-proc sh -c '"$1" killall -0 sh dvm; echo "rc=$?"' sh "$DVM" >"$T_TMP/ka.out" 2>&1
OUT=$(cat "$T_TMP/ka.out")
contains killall_not_pid1 "killall: sh: no process found"
contains killall_not_self "killall: dvm: no process found"
contains killall_not_self_status "rc=1"

finish
