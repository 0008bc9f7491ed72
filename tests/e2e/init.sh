# SPDX-License-Identifier: BSD-2-Clause
# dvm's init as the real PID 1 of the Debian arm64 kernel under QEMU: early set-up
# (devtmpfs, /proc, /sys, console, kernel log), modules with dependencies and parameters
# from the config and from the kernel command line, the UIO device report, a mount, a
# service, the boot-time line, the dvm.* overrides, and an orderly power-off that QEMU
# sees as the guest ending (-no-reboot).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

uio_test_dtsi "$T_TMP/extra.dtsi"
make_dtb "$T_TMP/test.dtb" "$T_TMP/extra.dtsi" -m 256M || { fail e2e_init_dtb "cannot build the DTB"; exit 1; }

printf '%s\n' 'include ${BASE_SPEC}' 'module uio uio_pdrv_genirq virtio_mmio virtio_blk' >"$T_TMP/vm.spec"
BASE_SPEC=$ROOT/rootfs/base.spec
export BASE_SPEC
# the applet links, from the binary itself (a fresh build dir has no gen/applets.spec)
qemu-aarch64 "$B/dvm" --list | sed 's|.*|slink /bin/& dvm 0777 0 0|' >"$T_TMP/applets.spec"
pack() { # OUT CONF
	DVM="$B/dvm" DVM_CONF="$2" APPLETS_SPEC="$T_TMP/applets.spec" \
		"$HOST_PACK" -o "$1" -m "$MODULES_DIR" -m "$EXTRA_MODULES_DIR" "$T_TMP/vm.spec"
}

# 1: a driver VM's config; the last task asks init to power off.
cat >"$T_TMP/a.conf" <<'EOF'
module uio_pdrv_genirq of_id=generic-uio
module virtio_mmio
module virtio_blk
mount tmpfs none /tmp/scratch mode=0700
service idle sleep inf
task settle sleep 0.2
task kill killall -KILL sleep
task wait sleep 0.5
service bye restart=never poweroff
EOF
pack "$T_TMP/a.cpio.gz" "$T_TMP/a.conf" || { fail e2e_init_pack "dvm-pack failed"; exit 1; }
LOG=${KEEP_LOG:-$T_TMP}/a.log
truncate -s 16M "$T_TMP/disk.img"
boot "$LOG" "$T_TMP/a.cpio.gz" "loglevel=7" -m 256M -dtb "$T_TMP/test.dtb" \
	-drive file="$T_TMP/disk.img",if=none,format=raw,id=d0 -device virtio-blk-device,drive=d0
rc=$?
OUT=$(tr -d '\r' <"$LOG")
[ $rc = 0 ] && pass e2e_init_poweroff_exit || fail e2e_init_poweroff_exit "qemu exit $rc"
contains e2e_init_no_panic_a "init: starting (config /etc/dvm.conf)"
contains e2e_init_dep_loaded "init: loaded uio"
# a kernel that ships .ko.xz (Debian 6.12) gets them packed as they are: init hands them
# to the kernel's decompressor (finit_module with MODULE_INIT_COMPRESSED_FILE)
if "$HOST_PACK" --list "$T_TMP/a.cpio.gz" | grep -q '/uio\.ko\.xz'; then
	if printf '%s\n' "$OUT" | grep -qE 'init: loaded uio$'; then pass e2e_init_xz_loaded; else
		fail e2e_init_xz_loaded "uio.ko.xz was packed but not loaded"; fi
fi
contains e2e_init_param "init: loaded uio_pdrv_genirq of_id=generic-uio"
contains e2e_init_uio "init: uio0: blk (3 maps)"
contains e2e_init_mount "init: mounted none on /tmp/scratch"
contains e2e_init_devtmpfs "init: mounted devtmpfs on /dev"
contains e2e_init_proc "init: mounted proc on /proc"
contains e2e_init_sysfs "init: mounted sysfs on /sys"
# The virtio index depends on the kernel's probe order (virtio1 on Debian's 6.12).
log_has e2e_init_virtio_blk "$LOG" 'virtio_blk virtio[0-9]+: \[vda\] 32768 512-byte logical blocks'
contains e2e_init_service "init: started idle (pid "
contains e2e_init_killed "init: idle killed by signal 9 (KILL); restarting in 100 ms"
[ "$(printf '%s' "$OUT" | grep -c 'init: started idle (pid ')" = 2 ] && pass e2e_init_restarted ||
	fail e2e_init_restarted "idle was not started exactly twice"
contains e2e_init_boot_time "init: all drivers started (2 services) "
contains e2e_init_signal "init: SIGUSR2 from pid "
contains e2e_init_stopped "init: idle killed by signal 15 (TERM)"
contains e2e_init_powering_off "init: powering off"
contains e2e_init_kernel_off "reboot: Power down"
if printf '%s' "$OUT" | grep -qE "Kernel panic|Attempted to kill init"; then
	fail e2e_init_no_panic "kernel panic"
else
	pass e2e_init_no_panic
fi
[ "$T_FAILS" -eq 0 ] || show_log "$LOG"

# 2: kernel command line overrides: a module parameter the config lacks, dvm.skip,
# dvm.args, dvm.loglevel; a service that keeps failing hits the restart limit.
cat >"$T_TMP/b.conf" <<'EOF'
restart-backoff 10 40
restart-limit 3 60
module uio_pdrv_genirq
module virtio_blk
service idle sleep inf
service crash killall dvm_no_such_process_1
EOF
fails_before=$T_FAILS
pack "$T_TMP/b.cpio.gz" "$T_TMP/b.conf" || { fail e2e_init_pack_b "dvm-pack failed"; exit 1; }
LOG=${KEEP_LOG:-$T_TMP}/b.log
boot "$LOG" "$T_TMP/b.cpio.gz" "loglevel=7 uio_pdrv_genirq.of_id=generic-uio dvm.skip=virtio_blk dvm.args.crash=dvm_no_such_process_2 dvm.loglevel=7" \
	-m 256M -dtb "$T_TMP/test.dtb"
rc=$?
OUT=$(tr -d '\r' <"$LOG")
[ $rc = 0 ] && pass e2e_init_limit_exit || fail e2e_init_limit_exit "qemu exit $rc"
contains e2e_init_cmdline_param "init: loaded uio_pdrv_genirq of_id=generic-uio"
contains e2e_init_cmdline_uio "init: uio0: blk (3 maps)"
contains e2e_init_cmdline_skip "init: skipping module virtio_blk (dvm.skip)"
contains e2e_init_cmdline_args "init: started crash (pid "
contains e2e_init_cmdline_args_value "): killall dvm_no_such_process_2"
contains e2e_init_limit_restart "init: crash exited with status 1; restarting in 10 ms"
contains e2e_init_limit_hit "init: crash exited with status 1: that is 3 failures within 60 s (restart-limit 3 60); powering off"
contains e2e_init_limit_off "reboot: Power down"
[ "$T_FAILS" -eq "$fails_before" ] || show_log "$LOG"
finish
