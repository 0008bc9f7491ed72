// SPDX-License-Identifier: BSD-2-Clause
/* vmm-sim: plays libvmm's VMM plus an sDDF virtualiser on the host, against a real Linux
 * driver VM under QEMU (docs/testing.md). One subcommand per device class; each lives in
 * its own files and uses the common parts (util, shm, dtb, qemu, qtest, doorbell). */
#include <stdio.h>
#include <string.h>
#include "util.h"

int blk_main(int argc, char **argv);
extern const char blk_usage[];
int net_main(int argc, char **argv);
extern const char net_usage[];
int trim_main(int argc, char **argv);
extern const char trim_usage[];

static const struct {
	const char *name;
	int (*main)(int, char **);
	const char *usage;
} cmds[] = {
	{ "blk", blk_main, blk_usage },
	{ "net", net_main, net_usage },
	{ "trim-dt", trim_main, trim_usage },
};

int main(int argc, char **argv)
{
	if (argc > 1)
		for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
			if (!strcmp(argv[1], cmds[i].name))
				return cmds[i].main(argc - 1, argv + 1);
	fprintf(argc > 1 && strcmp(argv[1], "--help") ? stderr : stdout,
		"Usage: vmm-sim CLASS [OPTIONS] PHASE...\n"
		"Plays the VMM and the sDDF virtualiser for a Linux driver VM under QEMU.\n"
		"Classes (and trim-dt, QEMU virt's tree as --trim-dt gives it):\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		printf("  %s    (vmm-sim %s --help)\n", cmds[i].name, cmds[i].name);
	return argc > 1 && strcmp(argv[1], "--help") ? 2 : 0;
}
