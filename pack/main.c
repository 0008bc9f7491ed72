// SPDX-License-Identifier: BSD-2-Clause
/* dvm-pack: the host tool that builds a driver VM's initramfs. A small subcommand
 * dispatcher: argv[1] naming a command in the table runs it; anything else builds an
 * archive (cmd_build), so `dvm-pack -o x.cpio.gz spec` needs no command word. A new
 * subcommand is one line in cmds[] (and its file). A spec file whose name equals a
 * command word can still be given as ./NAME. */
#include <stdio.h>
#include <string.h>
#include "cmds.h"
#include "pack_version.h"

int print_version(void)
{
	printf("dvm-pack %s\n", PACK_VERSION);
	return 0;
}

static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} cmds[] = {
	{ "--list", cmd_list, "--list ARCHIVE   list the entries of a newc archive" },
	{ "layout", cmd_layout, "layout ...       place kernel, initramfs and DTB in guest RAM" },
	{ "minram", cmd_minram, "minram ...       find the smallest guest RAM that still boots" },
};

static int help(void)
{
	fputs(build_usage, stdout);
	fputs("Other commands (each answers --help):\n", stdout);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		printf("  dvm-pack %s\n", cmds[i].summary);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
			return help();
		if (!strcmp(argv[1], "--version"))
			return print_version();
		for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
			if (!strcmp(argv[1], cmds[i].name))
				return cmds[i].fn(argc - 1, argv + 1);
	}
	return cmd_build(argc, argv);
}
