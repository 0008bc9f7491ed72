# SPDX-License-Identifier: BSD-2-Clause
# dvm-pack layout's outputs for the VMM side: the Microkit system-description fragment
# (PREFIX.system: well-formed XML, guest RAM and every UIO region of a per-region DTS and
# of dvm's own binding mapped at its guest physical address, fault pages unmapped), the
# header's libvmm 0.2.0 names and their old aliases, and docs/layout.md's VMM init()
# compiled against libvmm 0.2.0's signatures with the header dvm-pack wrote.
. "$(dirname "$0")/../lib.sh"
T=$T_TMP
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# a fake arm64 Image: 16 MiB file, 18 MiB image_size
layout_inputs "$T"
hdr() { awk -v n="GUEST_$2" '$1 == "#define" && $2 == n { print $3 }' "$1.h"; }
same() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', expected '$3'"; fi; }
# xpath NAME FILE EXPR WANT: xmllint's answer for EXPR
xpath() {
	local got
	got=$(xmllint --xpath "$3" "$2" 2>&1)
	same "$1" "$got" "$4"
}

# The block VM in the per-region binding (sdfgen's rules) with its shared window
# outside guest RAM, as on seL4.
cat >"$T/pr.dts" <<'DTS'
/dts-v1/;
/ { #address-cells = <2>; #size-cells = <2>;
    memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x8000000>; };
    chosen { };
    uio@30000000 { compatible = "generic-uio", "blk_storage_info"; reg = <0 0x30000000 0 0x1000>; };
    uio@30001000 { compatible = "generic-uio", "blk_req"; reg = <0 0x30001000 0 0x4000>; interrupts = <0 12 1>; };
    uio@30005000 { compatible = "generic-uio", "blk_resp"; reg = <0 0x30005000 0 0x2000>; };
    uio@30100000 { compatible = "generic-uio", "blk_fault"; reg = <0 0x30100000 0 0x1000>; };
    uio@30200000 { compatible = "generic-uio", "blk_data"; reg = <0 0x30200000 0 0x200000>; };
};
DTS
expect sdf_layout 0 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/pr.dts" --ram-size 64M -o "$T/pr"
contains sdf_summary "wrote $T/pr.{dtb,h,system,map,svg}"
OUT=$(xmllint --noout "$T/pr.system" 2>&1) && pass sdf_wellformed || fail sdf_wellformed "$OUT"
X=$T/pr.system
xpath sdf_ram_size "$X" 'string(/system/memory_region[@name="guest_ram"]/@size)' 0x4000000
xpath sdf_ram_pages "$X" 'string(/system/memory_region[@name="guest_ram"]/@page_size)' 0x200000
xpath sdf_vmm_map "$X" 'string(/system/protection_domain[@name="vmm"]/map[@mr="guest_ram"]/@setvar_vaddr)' guest_ram_vaddr
xpath sdf_vmm_vaddr "$X" 'string(/system/protection_domain/map[@mr="guest_ram"]/@vaddr)' 0x20000000
xpath sdf_vm_ram "$X" 'string(//virtual_machine[@name="guest"]/map[@mr="guest_ram"]/@vaddr)' "$(hdr "$T/pr" RAM_START_GPA)"
xpath sdf_vm_maps "$X" 'count(//virtual_machine/map)' 5
xpath sdf_req "$X" 'string(//virtual_machine/map[@mr="blk_req"]/@vaddr)' 0x30001000
xpath sdf_req_uncached "$X" 'string(//virtual_machine/map[@mr="blk_req"]/@cached)' false
xpath sdf_req_size "$X" 'string(/system/memory_region[@name="blk_req"]/@size)' 0x4000
xpath sdf_data "$X" 'string(//virtual_machine/map[@mr="blk_data"]/@vaddr)' 0x30200000
xpath sdf_fault_no_region "$X" 'count(//*[@name="blk_fault" or @mr="blk_fault"])' 0
OUT=$(cat "$X")
contains sdf_fault_comment "blk_fault at 0x30100000: left unmapped"
# every UIO node of the DTS is accounted for: mapped, or named as unmapped
for n in blk_storage_info blk_req blk_resp blk_data; do
	xpath "sdf_mapped_$n" "$X" "count(//virtual_machine/map[@mr=\"$n\"])" 1
done

# dvm's own binding: one node, regions named by reg-names; --vm-name, --vmm-vaddr
cat >"$T/own.dts" <<'DTS'
/dts-v1/;
/ { #address-cells = <2>; #size-cells = <2>;
    memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x8000000>; };
    blk@30000000 { compatible = "generic-uio"; linux,uio-name = "blk";
        reg = <0 0x30000000 0 0x1000>, <0 0x30001000 0 0x1000>, <0 0x30002000 0 0x2000>,
              <0 0x30004000 0 0x1000>, <0 0x30100000 0 0x100000>;
        reg-names = "notify", "info", "req", "resp", "data"; interrupts = <0 12 1>; };
};
DTS
expect sdf_own_layout 0 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/own.dts" --ram-size 64M \
	--vm-name blkvm --vmm-vaddr 0x10000000 -o "$T/own"
X=$T/own.system
OUT=$(xmllint --noout "$X" 2>&1) && pass sdf_own_wellformed || fail sdf_own_wellformed "$OUT"
xpath sdf_own_vm "$X" 'string(//virtual_machine/@name)' blkvm
xpath sdf_own_ram "$X" 'string(/system/protection_domain/map[@mr="blkvm_ram"]/@vaddr)' 0x10000000
xpath sdf_own_req "$X" 'string(//virtual_machine/map[@mr="blk_req"]/@vaddr)' 0x30002000
xpath sdf_own_notify "$X" 'count(//*[@mr="blk_notify"])' 0
xpath sdf_own_maps "$X" 'count(//virtual_machine/map)' 5
expect sdf_bad_vm_name 2 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/own.dts" --ram-size 64M \
	--vm-name 'a"b' -o "$T/bad"
contains sdf_bad_vm_name_msg "bad --vm-name 'a\"b'"
expect sdf_bad_vmm_vaddr 2 "$PACK" layout -k "$T/Image" -i "$T/initrd" -d "$T/own.dts" --ram-size 64M \
	--vmm-vaddr 0x10000800 -o "$T/bad"
contains sdf_bad_vmm_vaddr_msg "--vmm-vaddr 0x10000800 is not 4 KiB aligned"
[ ! -e "$T/bad.system" ] && pass sdf_bad_nothing_written || fail sdf_bad_nothing_written "$T/bad.system exists"

# The header: 0.2.0 names, old names as aliases of the same values
same sdf_h_dtb_alias "$(hdr "$T/pr" DTB_VADDR)" GUEST_DTB_GPA
same sdf_h_initrd_alias "$(hdr "$T/pr" INIT_RAM_DISK_VADDR)" GUEST_INIT_RAM_DISK_GPA
same sdf_h_ram_alias "$(hdr "$T/pr" RAM_VADDR)" GUEST_RAM_START_GPA

# docs/layout.md's VMM init(): the C block after the marker naming this test, compiled
# (and linked against stubs that check the arguments) with the header written above.
awk '/example: none .*tests\/cli\/layout_sdf.sh against libvmm/ { want = 1; next }
     want && /^```c$/ { on = 1; next }
     on && /^```$/ { exit }
     on { print }' "$ROOT/docs/layout.md" >"$T/vmm.c"
if [ ! -s "$T/vmm.c" ]; then
	fail sdf_doc_snippet "no C block after the layout_sdf.sh marker in docs/layout.md"
else
	pass sdf_doc_snippet
	cp "$T/pr.h" "$T/blk-vm.h"
	# stubs that play libvmm and check what init() passes against the header's values;
	# the images are linked in as the VMM's build does, with their end symbols
	{ echo '.section .note.GNU-stack,"",@progbits'; echo '.bss'
	  for i in "kernel KERNEL_FILE_SIZE" "dtb DTB_SIZE" "initrd INIT_RAM_DISK_SIZE"; do
		set -- $i
		printf '.globl _guest_%s_image, _guest_%s_image_end\n_guest_%s_image:\n.zero %d\n_guest_%s_image_end:\n' \
			"$1" "$1" "$1" "$(($(hdr "$T/pr" "$2")))" "$1"
	  done; } >"$T/images.s"
	cat >"$T/stubs.c" <<'STUBS'
#include <stdio.h>
#include <libvmm/guest.h>
#include <libvmm/arch/aarch64/linux.h>
#include "blk-vm.h"
static int calls;
bool guest_init(arch_guest_init_t g)
{
	calls |= 1;
	return g.gpa_start == GUEST_RAM_START_GPA && g.size == GUEST_RAM_SIZE;
}
uint64_t linux_setup_images(uint64_t ram, uintptr_t k, size_t ks, uintptr_t d, uint64_t dg,
			    size_t ds, uintptr_t i, uint64_t ig, size_t is)
{
	(void)k, (void)d, (void)i;
	calls |= 2;
	if (ram != GUEST_RAM_START_GPA || ks != GUEST_KERNEL_FILE_SIZE || dg != GUEST_DTB_GPA ||
	    ds != GUEST_DTB_SIZE || ig != GUEST_INIT_RAM_DISK_GPA || is != GUEST_INIT_RAM_DISK_SIZE)
		return 0;
	return GUEST_KERNEL_ENTRY;
}
bool guest_start(uintptr_t pc, uintptr_t dtb, uintptr_t initrd)
{
	calls |= pc == GUEST_KERNEL_ENTRY && dtb == GUEST_DTB_GPA &&
		 initrd == GUEST_INIT_RAM_DISK_GPA ? 4 : 8;
	return true;
}
void init(void);
int main(void)
{
	init();
	printf("libvmm calls %d (7: guest_init, linux_setup_images, guest_start as laid out)\n", calls);
	return calls != 7;
}
STUBS
	OUT=$(gcc -std=c11 -Wall -Wextra -Werror -I"$ROOT/tests/cli/include" -I"$T" -c -o "$T/vmm.o" "$T/vmm.c" 2>&1) &&
		pass sdf_doc_init_compiles || fail sdf_doc_init_compiles "$OUT"
	OUT=$(gcc -std=c11 -Wall -Wextra -Werror -I"$ROOT/tests/cli/include" -I"$T" -o "$T/vmm" \
		"$T/vmm.o" "$T/stubs.c" "$T/images.s" 2>&1 && "$T/vmm" 2>&1) &&
		pass sdf_doc_init_calls_libvmm || fail sdf_doc_init_calls_libvmm "$OUT"
fi
finish
