/* SPDX-License-Identifier: BSD-2-Clause */
/* dvm-pack subcommands, dispatched by main.c: each takes argv from its own name on
 * and returns the exit status (0, 1 error, 2 usage). */
#ifndef PACK_CMDS_H
#define PACK_CMDS_H

int cmd_build(int argc, char **argv);	/* the default: build an archive */
int cmd_list(int argc, char **argv);	/* --list ARCHIVE */
int cmd_layout(int argc, char **argv);	/* layout: guest memory layout (layout.c) */
int cmd_minram(int argc, char **argv);	/* minram: smallest RAM that boots (minram.c) */
int print_version(void);	/* --version (main.c) */
extern const char build_usage[];
extern const char list_usage[];

#endif
