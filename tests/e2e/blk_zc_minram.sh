#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The RAM cost of zero-copy: dvm-pack minram of the block driver VM (ready when vmm-sim
# sees storage info ready and a read round trip) in copy mode (uio_pdrv_genirq, window
# no-map) and in zero-copy mode (dvm_uio, vmm-sim --zc-data 3: the data regions reserved
# without no-map, so the kernel has struct pages for them). The window lies right after
# guest RAM, in a memory node of its own (QEMU's NUMA node 1) in RAM's 128 MiB section:
# the zero-copy minimum must be within 1 MiB of the copy one (docs/layout.md).
cd "$(dirname "$0")/../.." || exit 1
# dvm_uio.ko: kernel/build builds it with dvm's kernels, scripts/setup out of tree for
# Debian's (tests/run also runs blk_zc on Debian's: E2E_ALSO).
. tests/lib.sh
. tests/e2e/lib.sh
need_dvm_uio
need_vmm_sim
mkdir -p "$T_TMP/tmp"
printf '%s\n' 'include ${BASE_SPEC}' 'module uio uio_pdrv_genirq virtio_mmio virtio_blk dvm_uio' >"$T_TMP/vm.spec"
BASE_SPEC=$ROOT/rootfs/base.spec
export BASE_SPEC
qemu-system-aarch64 -M virt,dumpdtb="$T_TMP/virt.dtb" -cpu cortex-a57 -m 256M -nographic >/dev/null 2>&1
# The search range by the kernel's footprint (image_size): Debian's generic kernel needs
# ~53 MiB, dvm's about 8. A minimum found at the bottom of the range measures nothing.
image_size=$(od -An -t u8 -j 16 -N 8 "$KERNEL_IMAGE" | tr -d ' ')
if [ "$((image_size >> 20))" -ge 16 ]; then MIN=40 MAX=80; else MIN=5 MAX=24; fi

# minram_of NAME UIO_MODULE SIM_ARGS: prints the minimum in MiB (empty on failure)
minram_of() {
	printf '%s\n' "module $2 of_id=generic-uio" 'module virtio_mmio' 'module virtio_blk' \
		'service blk restart=never uio_blk --device /dev/vda --capacity 128 --notify page' >"$T_TMP/$1.conf"
	pack_initrd "$T_TMP/$1.cpio.gz" "$T_TMP/vm.spec" "$T_TMP/$1.conf" || return 1
	TMPDIR="$T_TMP/tmp" "$HOST_PACK" minram -k "$KERNEL_IMAGE" -i "$T_TMP/$1.cpio.gz" -d "$T_TMP/virt.dtb" \
		--ready-cmd "$VMM_SIM blk --kernel \"\$DVM_KERNEL\" --console $KERNEL_CONSOLE --initrd \"\$DVM_INITRD\" --ram \$DVM_RAM_MB --disk 1M --timeout 25 $3" \
		--min ${MIN}M --max ${MAX}M --timeout 40 -o "$T_TMP/$1" >"$T_TMP/$1.out" 2>&1
	sed -n 's/^minimum: \([0-9]*\) MiB.*/\1/p' "$T_TMP/$1.out"
}

copy=$(minram_of copy uio_pdrv_genirq "")
zc=$(minram_of zc dvm_uio "--zc-data 3")
grep -h "^probe" "$T_TMP/copy.out" "$T_TMP/zc.out" | sed 's/^/    /'
echo "minimum RAM: copy ${copy:-?} MiB, zero-copy ${zc:-?} MiB"
if grep -q "ready already at --min" "$T_TMP/copy.out" "$T_TMP/zc.out"; then
	fail "blk-zc-minram: zero-copy minimum within 1 MiB of copy" "ready at --min ${MIN}M: the range is too high for this kernel"
elif [ -n "$copy" ] && [ -n "$zc" ] && [ "$zc" -le $((copy + 1)) ]; then
	pass "blk-zc-minram: zero-copy minimum within 1 MiB of copy: $zc vs $copy MiB"
else
	fail "blk-zc-minram: zero-copy minimum within 1 MiB of copy" "copy '${copy}' zero-copy '${zc}'; $(tail -n 3 "$T_TMP/zc.out")"
fi
finish
