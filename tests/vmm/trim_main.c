// SPDX-License-Identifier: BSD-2-Clause
/* vmm-sim trim-dt IN OUT [--keep N]: QEMU virt's device tree as --trim-dt gives it to a
 * guest (dtb_trim_virt, tests/vmm/dtb.c), written to a file, for tools that boot QEMU
 * themselves (scripts/measure-ram hands it to dvm-pack minram): the one list of what a
 * libvmm VMM's tree leaves out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dtb.h"
#include "util.h"

const char trim_usage[] =
	"Usage: vmm-sim trim-dt IN OUT [--keep N]\n"
	"Write IN (a QEMU virt DTB, e.g. from -M virt,dumpdtb=IN) to OUT without what\n"
	"--trim-dt removes: the virtio-mmio transports but the N at the highest addresses\n"
	"(QEMU plugs its first -device there; default 0), GPIO and its keys, RTC, PCIe,\n"
	"fw-cfg, flash, the platform bus and the PMU. Prints how many nodes went.\n";

int trim_main(int argc, char **argv)
{
	const char *in = 0, *out = 0;
	unsigned keep = 0;
	void *fdt;
	int gone;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help")) {
			fputs(trim_usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--keep") && i + 1 < argc) {
			keep = (unsigned)parse_uint("--keep", argv[++i], 64);
		} else if (argv[i][0] != '-' && !in) {
			in = argv[i];
		} else if (argv[i][0] != '-' && !out) {
			out = argv[i];
		} else {
			fprintf(stderr, "vmm-sim trim-dt: unexpected argument '%s'\n%s", argv[i],
				trim_usage);
			return 2;
		}
	}
	if (!in || !out) {
		fprintf(stderr, "vmm-sim trim-dt: IN and OUT are needed\n%s", trim_usage);
		return 2;
	}
	fdt = dtb_load(in);
	gone = dtb_trim_virt(fdt, keep);
	dtb_save(fdt, out);
	free(fdt);
	printf("vmm-sim trim-dt: %s -> %s: removed %d nodes, kept %u virtio-mmio transport%s\n",
	       in, out, gone, keep, keep == 1 ? "" : "s");
	return 0;
}
