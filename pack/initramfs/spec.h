/* SPDX-License-Identifier: BSD-2-Clause */
/* The dvm-pack spec: the Linux kernel's usr/gen_init_cpio input format (file, dir, nod,
 * slink, pipe, sock) plus `module NAME...` and `include FILE`, with ${VAR} expanded in
 * every field. Parsing turns it into the list of archive entries in archive order:
 * spec order, missing parent directories added just before the first entry that needs
 * them, modules (dependencies first) where their `module` line is, and at the end the
 * generated /lib/modules/modules.dep and, unless declared, /dev/console. */
#ifndef PACK_SPEC_H
#define PACK_SPEC_H
#include <stdint.h>
#include "modules.h"

struct entry {
	char *name;		/* normalized, with the leading '/': "/bin/dvm" */
	uint32_t mode;		/* S_IFxxx | permission bits */
	uint32_t uid, gid;
	uint32_t rmajor, rminor;	/* device nodes */
	char *target;		/* symlink target */
	char *src;		/* host file holding the contents (file, module) */
	char *data;		/* or the contents themselves (modules.dep) */
	uint64_t size;		/* regular files */
	int link_first;		/* hard links: index of the group's first name, else -1 */
	int nlinks;		/* names in the hard-link group (1 when none) */
	const char *file;	/* where it was declared */
	int line;		/* 0: added by dvm-pack itself */
	int implicit;		/* a parent directory nobody declared */
};

struct spec {
	struct entry *e;
	int n, cap;
	unsigned *hash;		/* name -> index + 1, open addressing */
	unsigned hcap;
	char **files;		/* spec file names, kept for the entries' messages */
	int nfiles;
	int depth;		/* include nesting */
	struct mods mods;
	int gzip_modules;	/* --gzip-modules: uncompressed modules go in as NAME.ko.gz */
};

void spec_init(struct spec *s, char **moddirs, int nmoddirs);
void spec_free(struct spec *s);

/* Parse a spec file, or spec text as if read from `fname` (includes are relative to
 * fname's directory). Returns 0 or -1 after reporting "FILE:LINE: ..." with perr(). */
int spec_parse_file(struct spec *s, const char *path);
int spec_parse_text(struct spec *s, const char *fname, const char *text);

/* Add what dvm-pack adds at the end: modules.dep (when modules were included) and
 * /dev/console (c 5 1, 0600) when the spec did not declare it. */
int spec_finish(struct spec *s);

/* The entry called `name` (normalized form), or NULL. */
const struct entry *spec_find(const struct spec *s, const char *name);

#endif
