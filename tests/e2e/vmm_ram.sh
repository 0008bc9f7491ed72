#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# vmm-sim runs with little RAM measure what they claim: the block driver VM, booted with
# --ram R (MiB, or KiB with a K) and a shared window, must see exactly R of RAM (the kernel's own
# "Memory: ...K/TOTALK available" line, checked by vmm-sim as "guest RAM") and leave every
# window byte outside the layout's regions untouched ("window": nothing of the boot
# images was loaded there and no window page served as RAM), then pass a verified mixed
# workload. With QEMU's -kernel placement the initramfs and DTB landed at half the total
# -m, inside the window, when it is large next to RAM: the guest freed them into its
# page allocator and the driver's queues were overwritten.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/e2e/lib.sh
need_vmm_sim

# RAM sizes by the kernel's footprint (image_size, at offset 16 of the Image): Debian's
# generic kernel (32 MiB of it) needs ~53 MiB of RAM; with a 96 MiB window,
# -kernel put the initramfs at (60 + 96) / 2 = 78 MiB, in the window. dvm's kernels:
# 12 MiB (what this workload needs is the kernel's business: the test is about the RAM
# the guest sees), and 18 MiB, where with the default 16 MiB window -kernel put the DTB
# on the window's first page (the notify page).
image_size=$(od -An -t u8 -j 16 -N 8 "$KERNEL_IMAGE" | tr -d ' ')
# A third run gives --ram in KiB (64 KiB more than whole MiB) with --trim-dt (only the
# guest's own devices in its DT, and the modules gzip'd in the rootfs, as measure-ram
# boots: init inflates them): still exactly that RAM. On dvm's
# kernels it is 8 MiB + 64 KiB, where the kernel sizes kernel.threads-max below what its
# own threads and the driver need: init must raise it (else: EAGAIN, nothing starts).
if [ "$((image_size >> 20))" -ge 16 ]; then
	RUNS="60:96M 64:16M 61504K:16M" TOO_SMALL=40
else
	RUNS="12:16M 18:16M 8256K:16M" TOO_SMALL=6
fi

CONF="module uio_pdrv_genirq of_id=generic-uio
module virtio_mmio
module virtio_blk
service blk restart=never uio_blk --device /dev/vda --capacity 32 --notify page"

status=0
for run in $RUNS; do
	ram=${run%%:*} win=${run#*:} trim=""
	name=ram-$ram-win-$win
	pack_args=""
	case $ram in *K) trim="--trim-dt --save-dtb $T_TMP/$name.dtb" pack_args=--gzip-modules ;; esac
	out=$(PACK_ARGS=$pack_args blk_vm "$name" "$CONF" --ram "$ram" --window "$win" --capacity 32 $trim --log "$T_TMP/$name.log" \
		--data 512K,256K,256K --disk 8M --seed 7 mixed:400 2>&1)
	rc=$?
	printf '%s\n' "$out"
	if [ $rc != 0 ]; then # its FAIL lines are above
		status=1
		continue
	fi
	case $ram in *K) kib=${ram%K} ;; *) kib=$((ram * 1024)) ;; esac
	if kernel_has CONFIG_PRINTK && [ "$KERNEL_CONSOLE" = ttyAMA0 ]; then
		if printf '%s\n' "$out" | grep -q "^PASS: $name guest RAM: the kernel counts exactly $kib KiB"; then
			pass "$name: exactly $kib KiB"
		else
			fail "$name: exactly $kib KiB" "no 'guest RAM' PASS line from vmm-sim"
		fi
	else
		# hvc drops what is printed before virtio's console exists: the Memory: line
		echo "SKIP: $name: exactly $kib KiB: no 'Memory:' line to read (no printk, or a console on hvc0, which starts after it)"
	fi
	if [ "$ram" = 8256K ] && kernel_has CONFIG_PROC_SYSCTL; then
		if grep -q "init: kernel.threads-max [0-9]* (the kernel's default for this RAM) raised to 64" "$T_TMP/$name.log"; then
			pass "$name: init raised kernel.threads-max"
		else
			fail "$name: init raised kernel.threads-max" "no 'raised to 64' line on the console"
		fi
	fi
	if [ -n "$trim" ]; then
		# QEMU virt's 32 transports less those kept, and its 8 other nodes: GPIO, keys, RTC,
		# PCIe, fw-cfg, flash, platform bus, PMU; the disk's transport (and hvc0's) stay
		keep=1
		[ "$KERNEL_CONSOLE" = hvc0 ] && keep=2
		if printf '%s\n' "$out" | grep -q "device tree: --trim-dt removed $((32 - keep + 8)) of QEMU virt's nodes, kept $keep virtio-mmio"; then
			pass "$name: --trim-dt"
		else
			fail "$name: --trim-dt" "no 'removed $((32 - keep + 8)) ... kept $keep' line from vmm-sim"
		fi
		# --save-dtb wrote the tree the guest booted with: trimmed, RAM only, /chosen set
		dts=$(dtc -q -I dtb -O dts "$T_TMP/$name.dtb" 2>&1)
		got=$(printf '%s\n' "$dts" | grep -c 'virtio_mmio@')
		if [ "$got" = "$keep" ] && ! printf '%s\n' "$dts" | grep -qE '(pl061|pl031|pcie|fw-cfg|flash)@' &&
			printf '%s\n' "$dts" | grep -q "reg = <0x00 0x40000000 0x00 $(printf '0x%x' $((kib * 1024)))>" &&
			printf '%s\n' "$dts" | grep -q 'bootargs = "console=' &&
			printf '%s\n' "$dts" | grep -q 'linux,initrd-start'; then
			pass "$name: --save-dtb wrote the booted tree (trimmed, $kib KiB of RAM, /chosen)"
		else
			fail "$name: --save-dtb wrote the booted tree (trimmed, $kib KiB of RAM, /chosen)" \
				"$got virtio_mmio nodes (want $keep); memory and chosen: $(printf '%s\n' "$dts" | grep -E 'memory@|reg = <0x00 0x4000|bootargs' | head -4 | tr '\n' ' ')"
		fi
		# vmm-sim trim-dt (scripts/measure-ram's) leaves QEMU virt's own tree with the
		# same top-level nodes as the booted one, less what vmm-sim adds for the guest
		qemu-system-aarch64 -M virt,dumpdtb="$T_TMP/virt.dtb" -cpu cortex-a57 -m 256M -nographic >/dev/null 2>&1
		"$VMM_SIM" trim-dt "$T_TMP/virt.dtb" "$T_TMP/trimmed.dtb" --keep "$keep" >/dev/null
		booted=$(fdtget -l "$T_TMP/$name.dtb" / | grep -vE '^(reserved-memory|distance-map|blk|memory)' | sort | tr '\n' ' ')
		alone=$(fdtget -l "$T_TMP/trimmed.dtb" / | grep -vE '^(distance-map|memory)' | sort | tr '\n' ' ')
		if [ -n "$alone" ] && [ "$booted" = "$alone" ]; then
			pass "$name: vmm-sim trim-dt keeps the nodes the booted tree kept"
		else
			fail "$name: vmm-sim trim-dt keeps the nodes the booted tree kept" "trim-dt: $alone; booted: $booted"
		fi
	fi
	printf '%s\n' "$out" | grep -q "^PASS: $name window: " && pass "$name: window checked" ||
		fail "$name: window checked" "no 'window' PASS line from vmm-sim"
done
# Far too little RAM: the guest panics or the OOM killer takes the driver. The run must
# fail at once, naming it (or QEMU's end after a panic), not wait for its deadline.
name=ram-$TOO_SMALL-too-small
out=$(blk_vm "$name" "$CONF" --ram "$TOO_SMALL" --capacity 32 --data 512K,256K,256K \
	--disk 8M --seed 7 --timeout 60 2>&1)
rc=$?
line=$(printf '%s\n' "$out" | grep -m1 "^FAIL: $name boot: ")
case $rc:$line in
0:*) fail "$name: fails" "the run passed" ;;
*"the guest cannot go on: "* | *"QEMU ended"*) pass "$name: fails at once: ${line#FAIL: }" ;;
*) fail "$name: fails at once" "${line:-exit $rc, no boot FAIL line}" ;;
esac
finish && exit $status
