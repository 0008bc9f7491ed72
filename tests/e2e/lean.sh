#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# dvm on the lean profile kernel (kernel/lean.config: no procfs, signalfd, io_uring, file
# locking, printk, SysRq; UIO and UIO_PDRV_GENIRQ built in; console on hvc0): init with
# built-in modules and their parameter on the kernel command line, the log lines naming
# each missing facility, a service, an orderly power-off; then the block VM on the sync
# engine with vmm-sim's full verified mixed workload and the final image check.
# Runs on the lean kernel whatever the default, or on a kernel named by an env file in
# DVM_TEST_KERNEL that is as lean (e.g. your own); other named kernels SKIP.
cd "$(dirname "$0")/../.." || exit 1
E2E_KERNELS=lean E2E_KERNELS_WHY="it checks what dvm does without procfs, signalfd, io_uring, file locking and printk"
. tests/lib.sh
. tests/e2e/lib.sh
need_vmm_sim

# A kernel named by file must be lean too: the checks below expect the fallbacks.
for o in CONFIG_PROC_FS CONFIG_SIGNALFD CONFIG_IO_URING CONFIG_FILE_LOCKING CONFIG_PRINTK; do
	kernel_has "$o" && kernel_skip "has $o: this script checks dvm without it"
done

# a parameter for a built-in module cannot reach it through insmod: dvm-pack says where
printf '%s\n' 'module uio_pdrv_genirq of_id=generic-uio' >"$T_TMP/p.conf"
if pack_initrd "$T_TMP/p.cpio.gz" "$ROOT/tests/e2e/blk.spec" "$T_TMP/p.conf" >"$T_TMP/pack.log" 2>&1; then
	fail lean_pack_builtin_param "dvm-pack accepted of_id= for a built-in module"
else
	OUT=$(cat "$T_TMP/pack.log")
	contains lean_pack_builtin_param "put uio_pdrv_genirq.of_id=generic-uio on the kernel command line"
fi

# 1: init as PID 1, a UIO device from the test DTB, a virtio disk, then poweroff.
uio_test_dtsi "$T_TMP/extra.dtsi"
make_dtb "$T_TMP/test.dtb" "$T_TMP/extra.dtsi" -m 256M || { fail lean_dtb "cannot build the DTB"; exit 1; }
cat >"$T_TMP/a.conf" <<'EOF2'
module uio_pdrv_genirq
module virtio_mmio
module virtio_blk
mount tmpfs none /tmp/scratch mode=0700
service idle sleep inf
task settle sleep 0.2
service bye restart=never poweroff
EOF2
pack_initrd "$T_TMP/a.cpio.gz" "$ROOT/tests/e2e/blk.spec" "$T_TMP/a.conf" >"$T_TMP/pack.log" 2>&1 ||
	{ cat "$T_TMP/pack.log"; fail lean_pack "dvm-pack failed"; exit 1; }
OUT=$(cat "$T_TMP/pack.log")
contains lean_pack_builtin "uio_pdrv_genirq is built into the kernel"
LOG=${KEEP_LOG:-$T_TMP}/lean-a.log
truncate -s 16M "$T_TMP/disk.img"
boot "$LOG" "$T_TMP/a.cpio.gz" "uio_pdrv_genirq.of_id=generic-uio" -m 256M -dtb "$T_TMP/test.dtb" \
	-drive file="$T_TMP/disk.img",if=none,format=raw,id=d0 -device virtio-blk-device,drive=d0
rc=$?
OUT=$(tr -d '\r' <"$LOG")
[ $rc = 0 ] && pass lean_poweroff_exit || fail lean_poweroff_exit "qemu exit $rc"
contains lean_init_start "init: starting (config /etc/dvm.conf)"
# what is missing, said once each
contains lean_no_kmsg "no /dev/kmsg (kernel without PRINTK?): logging to the console"
contains lean_no_signalfd "no signalfd (kernel without CONFIG_SIGNALFD): signals through a self-pipe"
contains lean_no_procfs "no /proc/self/exe (no procfs): this executable is "
contains lean_builtin "init: module uio_pdrv_genirq: built into the kernel"
contains lean_loaded_blk "init: loaded virtio_blk"
contains lean_uio "init: uio0: blk (3 maps)"
contains lean_mount "init: mounted none on /tmp/scratch"
contains lean_service "init: started idle (pid "
contains lean_all_started "init: all drivers started"
contains lean_powering_off "init: powering off"
for m in "no signalfd" "no /dev/kmsg"; do
	n=$(printf '%s\n' "$OUT" | grep -c "$m")
	[ "$n" -le 1 ] && pass "lean_once: $m" || fail "lean_once: $m" "said $n times"
done
[ "$T_FAILS" -eq 0 ] || show_log "$LOG"

# 2: the block VM on the sync engine (no io_uring), the full verified mixed workload
# (vmm-sim checks every READ's data, the WRITEs after FLUSH and the whole image).
fails_before=$T_FAILS
blk_vm lean-blk "module uio_pdrv_genirq
module virtio_mmio
module virtio_blk
service blk restart=always uio_blk --device /dev/vda --capacity 128 --notify page" \
	--append "uio_pdrv_genirq.of_id=generic-uio" --log "$T_TMP/lean-blk.log" \
	--capacity 128 --data 2M,1M,1M --seed "${E2E_SEED:-8128}" mixed:4000 overlap:1000 invalid
OUT=$(tr -d '\r' <"$T_TMP/lean-blk.log")
contains lean_blk_sync "uio_blk: no io_uring"
contains lean_blk_nolock "no file locking (kernel without CONFIG_FILE_LOCKING)"
finish
