# SPDX-License-Identifier: BSD-2-Clause
# Proof that a `dvm-pack layout` boots: the Debian arm64 kernel, a dvm initramfs and the
# patched DTB are put at exactly the computed addresses by QEMU's generic loader, with a
# boot stub (assembled here) that does what libvmm's guest_start() does: x0 = DTB,
# x1..x3 = 0, branch to the kernel entry. No -kernel/-initrd/-dtb: the kernel knows its
# RAM and its initramfs only from our DTB. A second boot with the initramfs loaded one
# page lower shows the test can fail. (QEMU's virt puts its own DTB in the first MiB of
# RAM when there is no -kernel, so the guest RAM here starts at 0x40200000 and the stub
# sits at 0x40100000, outside it.)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
kernel_needs "the proof reads the kernel's messages" CONFIG_PRINTK
# hvc0 shows nothing the kernel printed before the virtio console existed: the command
# line and memory lines this proof reads
[ "$KERNEL_CONSOLE" = ttyAMA0 ] || kernel_skip "the proof reads the kernel's early messages, which $KERNEL_CONSOLE never shows"
BOOT_TIMEOUT=30
STUB=0x40100000

uio_test_dtsi "$T_TMP/extra.dtsi"
make_dtb "$T_TMP/virt.dtb" "$T_TMP/extra.dtsi" -m 256M || { fail layout_boot_dtb "cannot build the DTB"; exit 1; }
printf '%s\n' 'include ${BASE_SPEC}' 'module uio uio_pdrv_genirq' >"$T_TMP/vm.spec"
printf '%s\n' 'module uio_pdrv_genirq of_id=generic-uio' 'task bye poweroff' >"$T_TMP/vm.conf"
BASE_SPEC=$ROOT/rootfs/base.spec pack_initrd "$T_TMP/vm.cpio.gz" "$T_TMP/vm.spec" "$T_TMP/vm.conf" ||
	{ fail layout_boot_pack "dvm-pack failed"; exit 1; }

"$HOST_PACK" layout -k "$KERNEL_IMAGE" -i "$T_TMP/vm.cpio.gz" -d "$T_TMP/virt.dtb" --ram-base 0x40200000 \
	--ram-size 80M --bootargs "console=$KERNEL_CONSOLE panic=-1 loglevel=7" -o "$T_TMP/lay" ||
	{ fail layout_boot_layout "dvm-pack layout failed"; exit 1; }
hdr() { awk -v n="GUEST_$1" '$1 == "#define" && $2 == n { print $3 }' "$T_TMP/lay.h"; }
KADDR=$(hdr KERNEL_ENTRY) IADDR=$(hdr INIT_RAM_DISK_GPA) DADDR=$(hdr DTB_GPA)

# the stub, as libvmm's guest_start() sets the boot CPU's registers
cat >"$T_TMP/stub.S" <<EOF2
	.globl _start
_start:	ldr x0, dtb
	mov x1, xzr
	mov x2, xzr
	mov x3, xzr
	ldr x4, entry
	br x4
	.balign 8
dtb:	.quad $DADDR
entry:	.quad $KADDR
EOF2
aarch64-linux-gnu-as -o "$T_TMP/stub.o" "$T_TMP/stub.S" &&
	aarch64-linux-gnu-ld -Ttext=$STUB -o "$T_TMP/stub.elf" "$T_TMP/stub.o" &&
	aarch64-linux-gnu-objcopy -O binary "$T_TMP/stub.elf" "$T_TMP/stub.bin" ||
	{ fail layout_boot_stub "cannot assemble the stub"; exit 1; }

# lboot LOG INITRD_ADDR: boot with the loader at the layout's addresses
lboot() {
	timeout --kill-after=5 "$BOOT_TIMEOUT" qemu-system-aarch64 "${QEMU_MACHINE[@]}" -m 256M \
		-nographic -no-reboot -monitor none "${KERNEL_QEMU_CONSOLE[@]}" \
		-device loader,file="$KERNEL_IMAGE",addr="$KADDR",force-raw=on \
		-device loader,file="$T_TMP/vm.cpio.gz",addr="$2",force-raw=on \
		-device loader,file="$T_TMP/lay.dtb",addr="$DADDR",force-raw=on \
		-device loader,file="$T_TMP/stub.bin",addr=$STUB,force-raw=on \
		-device loader,addr=$STUB,cpu-num=0 </dev/null >"$1" 2>&1
}

LOG=${KEEP_LOG:-$T_TMP}/layout.log
lboot "$LOG" "$IADDR"
rc=$?
OUT=$(tr -d '\r' <"$LOG")
[ $rc = 0 ] && pass layout_boot_poweroff_exit || fail layout_boot_poweroff_exit "qemu exit $rc"
contains layout_boot_cmdline "Kernel command line: console=$KERNEL_CONSOLE panic=-1 loglevel=7"
contains layout_boot_memory "K/81920K available"	# exactly the layout's 80 MiB
# "Trying to unpack rootfs image as initramfs" with BLK_DEV_RAM (Debian), else this
log_has layout_boot_unpack "$LOG" "Trying to unpack rootfs image as initramfs|Unpacking initramfs"
if printf '%s' "$OUT" | grep -q "Initramfs unpacking failed"; then
	fail layout_boot_unpack_ok "the initramfs was not found where the DTB says"
else
	pass layout_boot_unpack_ok
fi
contains layout_boot_freed "Freeing initrd memory"
contains layout_boot_init "init: starting (config /etc/dvm.conf)"
contains layout_boot_uio "init: uio0: blk (3 maps)"
contains layout_boot_task "init: started task bye"
contains layout_boot_off "reboot: Power down"
[ "$T_FAILS" -eq 0 ] || show_log "$LOG"

# control: the initramfs loaded one page lower than the DTB says cannot be unpacked
# (one page higher would be found anyway: the kernel skips leading zeros)
LOG2=${KEEP_LOG:-$T_TMP}/layout-off.log
lboot "$LOG2" "$(printf 0x%x $((IADDR - 4096)))"
OUT=$(tr -d '\r' <"$LOG2")
contains layout_boot_control_fails "Initramfs unpacking failed"
if printf '%s' "$OUT" | grep -q "init: starting"; then
	fail layout_boot_control_no_init "init ran from a misplaced initramfs"
else
	pass layout_boot_control_no_init
fi
finish
