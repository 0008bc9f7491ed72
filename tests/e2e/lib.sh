# SPDX-License-Identifier: BSD-2-Clause
# Helpers for end-to-end tests that boot an arm64 kernel under QEMU (TCG) with a dvm
# initramfs (sourced after tests/lib.sh). Every boot is bounded by BOOT_TIMEOUT. The
# kernel is chosen by DVM_TEST_KERNEL (debian, base, lean or an env file; see
# tests/e2e/kernel.sh and docs/testing.md).
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
B="$ROOT/$BUILD/arm64"
HOST_PACK="$ROOT/$BUILD/$(uname -m | sed s/amd64/x86_64/)/dvm-pack"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-60}

. "$ROOT/tests/e2e/kernel.sh"

# QEMU machine flags shared by DTB dumps and boots (memory layout must match).
QEMU_MACHINE=(-M virt -cpu cortex-a57 -smp 1)

# pack_initrd OUT SPEC CONF: a driver VM initramfs with the arm64 dvm and init config CONF.
pack_initrd() {
	DVM="$B/dvm" DVM_CONF="$3" APPLETS_SPEC="$B/gen/applets.spec" \
		"$HOST_PACK" ${PACK_ARGS:-} -o "$1" -m "$MODULES_DIR" -m "$EXTRA_MODULES_DIR" "$2"
}

# make_dtb OUT DTSI MEMFLAGS...: QEMU's own virt DTB for these memory flags, plus the
# nodes in DTSI (a second "/ { }" block merges into the first).
make_dtb() {
	local out=$1 dtsi=$2
	shift 2
	qemu-system-aarch64 "${QEMU_MACHINE[@]}" "$@" -machine dumpdtb="$out.base" \
		-nographic >/dev/null 2>&1 || { echo "dumpdtb failed"; return 1; }
	dtc -q -I dtb -O dts "$out.base" >"$out.dts" &&
		cat "$dtsi" >>"$out.dts" &&
		dtc -q -I dts -O dtb -o "$out" "$out.dts"
}

# uio_test_dtsi OUT: a generic-uio node "blk" (3 maps, SPI 12) in a reserved no-map
# window at the top of 256 MiB of RAM, for boots that only need a UIO device to appear.
uio_test_dtsi() {
	cat >"$1" <<'EOF'
/ { reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;
      shm@4fc00000 { reg = <0 0x4fc00000 0 0x400000>; no-map; }; };
    blk@4fc00000 { compatible = "generic-uio"; linux,uio-name = "blk";
      reg = <0 0x4fc00000 0 0x1000>, <0 0x4fc01000 0 0xff000>, <0 0x4fd00000 0 0x300000>;
      reg-names = "notify", "queues", "data";
      interrupts = <0 12 4>; }; };
EOF
}

# boot LOG INITRD APPEND [QEMU ARGS...]: boot until power-off, console (ttyAMA0 or hvc0,
# as the kernel's env says) to LOG. Returns QEMU's status, or 124 on timeout.
# BOOT_SECONDS is set to the wall time. QEMU places the initramfs and its DTB by -m:
# give enough RAM (there is no shared window here; vmm-sim places them itself).
boot() {
	local log=$1 initrd=$2 append=$3 t0 rc
	shift 3
	t0=$(date +%s.%N)
	timeout --kill-after=5 "$BOOT_TIMEOUT" qemu-system-aarch64 "${QEMU_MACHINE[@]}" \
		-nographic -no-reboot -monitor none "${KERNEL_QEMU_CONSOLE[@]}" \
		-kernel "$KERNEL_IMAGE" -initrd "$initrd" -append "console=$KERNEL_CONSOLE panic=-1 $append" \
		"$@" </dev/null >"$log" 2>&1
	rc=$?
	BOOT_SECONDS=$(echo "$(date +%s.%N) - $t0" | bc)
	return $rc
}

# log_has NAME LOG PATTERN: an extended regex matches a console line.
log_has() {
	if grep -qE -- "$3" "$2"; then pass "$1"; else fail "$1" "console lacks /$3/"; fi
}

# show_log LOG: the console, for a failure's context.
show_log() { echo "---- console ($1):"; tail -n 60 "$1" | sed 's/^/    /'; }

# vmm-sim (tests/vmm, docs/testing.md): the host-side VMM + sDDF virtualiser simulator.
# need_vmm_sim builds it (a host tool, not part of `make all`) or fails the script.
VMM_SIM="$ROOT/$BUILD/host/vmm-sim"
# need_dvm_uio: the kernel's extra modules hold dvm_uio.ko (scripts/setup builds it out
# of tree for the Debian kernel), else the script skips, saying so.
need_dvm_uio() {
	[ -f "$EXTRA_MODULES_DIR/dvm_uio.ko" ] ||
		kernel_skip "no dvm_uio.ko among its extra modules (scripts/setup builds it for the Debian kernel)"
}

need_vmm_sim() {
	make -s -C "$ROOT" BUILD="$BUILD" vmm-sim >/dev/null ||
		{ echo "FAIL: build vmm-sim: make vmm-sim failed"; exit 1; }
}

# blk_vm NAME CONF_TEXT VMM_SIM_ARGS...: pack the block test VM (tests/e2e/blk.spec, i.e.
# rootfs/base.spec + uio, virtio_mmio, virtio_blk) with CONF_TEXT as /etc/dvm.conf, then
# boot it under vmm-sim blk, which prints the PASS/FAIL lines (names prefixed NAME) and
# shows the console on failure. Returns vmm-sim's status.
# E2E_BLK_MODE=zc (tests/run's zero-copy pass of the block suites): the same VM with
# dvm_uio instead of uio_pdrv_genirq and every data region page-backed (vmm-sim
# --zc-data), so that uio_blk runs zero-copy under the script's own workloads and checks.
blk_vm() {
	local name=$1 conf=$2 spec=${BLK_SPEC:-$ROOT/tests/e2e/blk.spec} zc=() log="" a prev="" rc
	shift 2
	if [ "${E2E_BLK_MODE:-}" = zc ]; then
		need_dvm_uio
		conf=$(printf '%s\n' "$conf" | sed 's/^module uio_pdrv_genirq /module dvm_uio /')
		# the console, to check below that the regions did run zero-copy
		log=$T_TMP/$name.zc.log
		for a in "$@"; do [ "$prev" = --log ] && log=$a; prev=$a; done
		spec=$ROOT/tests/e2e/blk_zc.spec zc=(--zc-data 16 --log "$log")
	fi
	printf '%s\n' "$conf" >"$T_TMP/$name.conf"
	# BLK_SPEC: another spec (tests/e2e/blk_zc.spec adds dvm_uio)
	if ! pack_initrd "$T_TMP/$name.cpio.gz" "$spec" "$T_TMP/$name.conf"; then
		fail "$name: pack the initramfs" "dvm-pack failed"
		return 1
	fi
	"$VMM_SIM" blk "${VMM_KERNEL_ARGS[@]}" --initrd "$T_TMP/$name.cpio.gz" --name "$name" \
		--timeout "${BLK_TIMEOUT:-150}" "${zc[@]}" "$@"
	rc=$?
	if [ -n "$log" ]; then
		if grep -q "data region 0 (.*): zero-copy" "$log" && ! grep -q "data region [0-9]* (.*): copy" "$log"; then
			pass "$name zero-copy mode: every data region zero-copy"
		else
			fail "$name zero-copy mode: every data region zero-copy" "$(grep "data region" "$log" | head -5)"
		fi
	fi
	return $rc
}
