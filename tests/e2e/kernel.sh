# SPDX-License-Identifier: BSD-2-Clause
# The kernel the e2e tests, vmm-sim boots, the bench and scripts/measure boot (sourced,
# with ROOT set to the repo root). DVM_TEST_KERNEL picks it:
#   debian  .cache/kernel.env       Debian's generic arm64 kernel (scripts/setup)
#   base    .cache/kernel-base.env  dvm's driver-VM kernel (make kernel)
#   lean    .cache/kernel-lean.env  its lean profile (make kernel)
#   FILE    any file of the same form (a path containing a slash, or ending in .env)
# An env file sets KVER, KERNEL_IMAGE, MODULES_DIR, EXTRA_MODULES_DIR (absolute, or
# relative to the repo root) and optionally CONSOLE (ttyAMA0 or hvc0) and KERNEL_CONFIG
# (the kernel's .config; else MODULES_DIR/build/.config, or config or .config next to
# the Image, is used). A script may set, before sourcing its lib:
#   E2E_KERNELS="debian ..."   the named kernels it can run on (default: all), and
#   E2E_KERNELS_WHY="..."      why, for the SKIP line when another one is asked for.
# Without DVM_TEST_KERNEL a script runs on DVM_TEST_KERNEL_DEFAULT, or on the first of
# its E2E_KERNELS when the default is not among them.

# The default kernel: dvm's own (make kernel; scripts/setup builds it). tests/run also runs
# init.sh and blk_main.sh on debian, and lean.sh on lean.
DVM_TEST_KERNEL_DEFAULT=base

# kernel_skip WHY: this script does not run on the chosen kernel; say so and stop.
kernel_skip() {
	echo "SKIP: $(basename "$0" .sh): kernel '$DVM_KERNEL_NAME': $1"
	exit 0
}

kernel_select() {
	local want=${DVM_TEST_KERNEL:-} env k
	if [ -z "$want" ]; then
		want=$DVM_TEST_KERNEL_DEFAULT
		if [ -n "${E2E_KERNELS:-}" ] && ! [[ " $E2E_KERNELS " == *" $want "* ]]; then
			want=${E2E_KERNELS%% *}
		fi
	fi
	DVM_KERNEL_NAME=$want
	case $want in
	debian) env=$ROOT/.cache/kernel.env ;;
	base | lean) env=$ROOT/.cache/kernel-$want.env ;;
	*/* | *.env) env=$want ;;
	*)
		echo "FAIL: kernel: DVM_TEST_KERNEL='$want' is not debian, base, lean or an env file"
		exit 1
		;;
	esac
	case $want in
	*/* | *.env) ;;
	*)
		if [ -n "${E2E_KERNELS:-}" ] && ! [[ " $E2E_KERNELS " == *" $want "* ]]; then
			kernel_skip "this script runs on: $E2E_KERNELS${E2E_KERNELS_WHY:+ ($E2E_KERNELS_WHY)}"
		fi
		;;
	esac
	if [ ! -f "$env" ]; then
		case $want in
		debian) echo "FAIL: kernel: no $env (run scripts/setup)" ;;
		base | lean) echo "FAIL: kernel: no $env (run make kernel)" ;;
		*) echo "FAIL: kernel: no env file $env" ;;
		esac
		exit 1
	fi
	# only what the file says counts, not the caller's environment
	unset KVER KERNEL_IMAGE MODULES_DIR EXTRA_MODULES_DIR CONSOLE KERNEL_CONFIG
	. "$env"
	for k in KERNEL_IMAGE MODULES_DIR EXTRA_MODULES_DIR KERNEL_CONFIG; do
		case ${!k:-} in
		'' | /*) ;;
		*) printf -v "$k" '%s' "$ROOT/${!k}" ;;
		esac
	done
	if [ -z "${KERNEL_IMAGE:-}" ] || [ ! -r "$KERNEL_IMAGE" ]; then
		echo "FAIL: kernel: $env names no readable KERNEL_IMAGE ('${KERNEL_IMAGE:-}')"
		exit 1
	fi
	# the kernel's .config: named, or the build tree modules_install links to, or a
	# config (.config) file next to the Image (make kernel's cache)
	if [ -z "${KERNEL_CONFIG:-}" ]; then
		for k in "${MODULES_DIR:-/nonexistent}/build/.config" "${KERNEL_IMAGE%/*}/config" \
			"${KERNEL_IMAGE%/*}/.config"; do
			if [ -f "$k" ]; then
				KERNEL_CONFIG=$k
				break
			fi
		done
	fi
	KERNEL_CONSOLE=${CONSOLE:-}
	if [ -z "$KERNEL_CONSOLE" ]; then
		KERNEL_CONSOLE=ttyAMA0
		if [ -n "${KERNEL_CONFIG:-}" ] && ! kernel_has CONFIG_SERIAL_AMBA_PL011_CONSOLE &&
			kernel_has CONFIG_VIRTIO_CONSOLE; then
			KERNEL_CONSOLE=hvc0
		fi
	fi
	case $KERNEL_CONSOLE in
	ttyAMA0 | hvc0) ;;
	*)
		echo "FAIL: kernel: $env: CONSOLE='$KERNEL_CONSOLE' is not ttyAMA0 or hvc0"
		exit 1
		;;
	esac
}

# kernel_has CONFIG_X: the option is =y in the kernel's .config. Without a known config
# (Debian's generic kernel: the env names none) every option counts as present.
kernel_has() {
	[ -z "${KERNEL_CONFIG:-}" ] && return 0
	grep -qx "$1=y" "$KERNEL_CONFIG"
}

# kernel_needs WHY CONFIG_X...: skip the script (a SKIP line, exit 0) on a kernel without
# them, naming what is missing and why the script needs it.
kernel_needs() {
	local why=$1 missing="" o
	shift
	for o in "$@"; do
		kernel_has "$o" || missing="$missing $o"
	done
	[ -z "$missing" ] || kernel_skip "needs$missing ($why)"
}

# The console's QEMU arguments and kernel word, for -kernel boots with the console on
# stdio (KERNEL_QEMU_CONSOLE) and for vmm-sim (VMM_KERNEL_ARGS: --kernel, --console).
# hvc0 is a virtio console with one port: the default 31 cost the guest ~8 MiB of RAM.
kernel_console_args() {
	if [ "$KERNEL_CONSOLE" = hvc0 ]; then
		KERNEL_QEMU_CONSOLE=(-serial none -chardev stdio,id=con,signal=off
			-device virtio-serial-device,max_ports=1 -device virtconsole,chardev=con)
	else
		KERNEL_QEMU_CONSOLE=(-serial stdio)
	fi
	VMM_KERNEL_ARGS=(--kernel "$KERNEL_IMAGE" --console "$KERNEL_CONSOLE")
}

kernel_select
kernel_console_args
