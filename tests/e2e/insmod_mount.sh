# SPDX-License-Identifier: BSD-2-Clause
# insmod, mount and umount against a real arm64 kernel under QEMU: a test PID 1
# (insmod_mount_init.c) runs them on modules taken from the kernel's module tree (vfat,
# fat, loop and uio: kernel/test.config builds them for dvm's base kernel), some altered
# to provoke each failure, and prints "RESULT label status" lines checked here.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

R=$T_TMP/root
mkdir -p "$R/bin" "$R/lib/modules" "$R/proc" "$R/sys" "$R/dev" "$R/tmp" "$R/mnt"
CC_ARM64="aarch64-linux-gnu-gcc -specs /usr/lib/aarch64-linux-musl/musl-gcc.specs"
if ! $CC_ARM64 -static -Os -o "$R/init" "$(dirname "$0")/insmod_mount_init.c"; then
	fail e2e_insmod_mount_build "cannot build the test init"
	exit 1
fi
cp "$B/dvm" "$R/bin/dvm"
K=$MODULES_DIR/kernel
for m in fs/fat/vfat.ko fs/fat/fat.ko drivers/block/loop.ko drivers/uio/uio.ko; do
	[ -f "$K/$m" ] || kernel_skip "no $m in $MODULES_DIR (the modules of kernel/test.config)"
done
cp "$K/fs/fat/vfat.ko" "$K/drivers/block/loop.ko" "$R/lib/modules/"
gzip -9 -c "$K/fs/fat/fat.ko" >"$R/lib/modules/fat.ko.gz"
xz --check=crc32 -c "$K/drivers/uio/uio.ko" >"$R/lib/modules/uio.ko.xz"
echo "not a module" >"$R/lib/modules/notelf.ko"
# Another architecture in vermagic: objcopy drops the appended signature first (a
# tampered signed module fails the signature check instead, EKEYREJECTED).
aarch64-linux-gnu-objcopy "$K/drivers/uio/uio.ko" "$R/lib/modules/badmagic.ko"
sed -i 's/modversions aarch64/modversions aarch65/' "$R/lib/modules/badmagic.ko"
grep -q "aarch65" "$R/lib/modules/badmagic.ko" || fail e2e_badmagic_prep "vermagic not patched"
(cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) >"$T_TMP/initrd.gz"

# KEEP_LOG=FILE keeps the console log for a look afterwards.
LOG=${KEEP_LOG:-$T_TMP/console.log}
boot "$LOG" "$T_TMP/initrd.gz" "quiet" -m 128M
grep -q '^DONE' "$LOG" && pass boot_done || { fail boot_done "the test init did not finish"; show_log "$LOG"; }
OUT=$(tr -d '\r' <"$LOG")

# result LABEL STATUS: the applet run under LABEL exited with STATUS.
result() {
	if printf '%s\n' "$OUT" | grep -qx "RESULT $1 $2"; then pass "$1_status"; else
		fail "$1_status" "wanted exit $2: $(printf '%s\n' "$OUT" | grep "^RESULT $1 ")"; fi
}

result mount_proc 0
result mount_sys 0
result vfat_nodep 1
contains vfat_nodep_msg "insmod: /lib/modules/vfat.ko: unknown symbol: module vfat needs this module loaded first: fat (missing)"
result fat_gz 0
contains fat_gz_loaded "insmod: /lib/modules/fat.ko.gz: loaded"
result vfat 0
result vfat_again 1
contains vfat_again_msg "insmod: /lib/modules/vfat.ko: module vfat is already loaded"
result loop_badparam 1
contains loop_badparam_msg "rejected: invalid parameter in 'max_loop=abc'"
result loop_byname 0
contains loop_param_set "FILE max_loop 3"
result badmagic 1
contains badmagic_msg "rejected as invalid module format: built for kernel '6.1"
contains badmagic_vermagic "modversions aarch65', running "
result notelf 1
contains notelf_msg "(not an ELF file; running "
if printf '%s\n' "$OUT" | grep -q "^FILE compression xz"; then
	result uio_xz 0
else
	result uio_xz 1
	contains uio_xz_msg "insmod: /lib/modules/uio.ko.xz: this kernel"
	contains uio_xz_advice "ship the module uncompressed or as .ko.gz"
fi

result mount_tmp 0
result remount_ro 0
result bind_ro 0
# a remount sets the per-mount flags anew: nosuid went with it (as mount(2) does)
contains list_tmp "tmp /tmp tmpfs ro,relatime,size=1024k,mode=700"
contains list_bind "tmp /mnt tmpfs ro,nodev,relatime,size=1024k,mode=700"
contains list_sys "sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime"
result nosuchfs 1
contains nosuchfs_msg "mount: x on /mnt: filesystem type 'nosuchfs' is not supported by this kernel"
result badopt 1
contains badopt_msg "a bad option in 'bogus=1'"
result umount_mnt 0
result umount_tmp 0
result umount_again 1
contains umount_again_msg "umount: /tmp: not a mount point"
[ "$T_FAILS" -eq 0 ] || show_log "$LOG"
finish
