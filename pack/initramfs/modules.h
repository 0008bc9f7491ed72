/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel module selection for dvm-pack: find modules by name in the -m trees, resolve
 * their dependencies (from the tree's modules.dep when it lists the module, else from
 * the module's own .modinfo depends=), order them deepest dependency first, and write
 * the flat modules.dep that dvm's insmod/init read. */
#ifndef PACK_MODULES_H
#define PACK_MODULES_H
#include <stdint.h>

#define MODNAME_MAX 56			/* the kernel's MODULE_NAME_LEN, NUL included */

struct modfile {			/* one module file found in a tree */
	char *name;			/* module name, '-' turned into '_' */
	char *path;			/* host path */
	int rank;			/* suffix preference: .ko 0, .gz 1, .xz 2, .zst 3 */
};

struct deptree {			/* one -m directory */
	const char *dir;
	struct modfile *files;
	int nfiles;
	char *depfile;			/* its modules.dep text, NULL when absent */
	int indexed;
	char *builtin;			/* its modules.builtin text, NULL when absent */
	int builtin_read;
};

struct module {
	char *name;			/* underscores */
	char *path;			/* host path */
	char *arcname;			/* file name under /lib/modules: NAME.ko[.gz|.xz|.zst] */
	uint64_t size;
	int *deps;			/* direct dependencies: indices into mods.m */
	int ndeps;
	int state;			/* 0 new, 1 being resolved, 2 resolved */
	int builtin;			/* built into the kernel: nothing to pack */
};

struct mods {
	struct deptree *trees;
	int ntrees;
	struct module *m;		/* every module seen */
	int n;
	int *order;			/* resolved modules, dependencies before users */
	int norder;
};

void mods_init(struct mods *ms, char **dirs, int ndirs);
void mods_free(struct mods *ms);

/* Add module `name` and everything it needs to the load order. `where` ("FILE:LINE")
 * starts every error message. A module no tree has as a file but one lists in its
 * modules.builtin is built into the kernel: accepted, noted on stderr, nothing
 * packed. Returns 0 or -1 (reported). */
int mods_add(struct mods *ms, const char *name, const char *where);

/* The flat modules.dep for every resolved module, in load order:
 * "virtio_blk.ko: virtio_ring.ko virtio.ko\n", deepest dependency last. */
char *mods_depfile(const struct mods *ms);

/* modules.builtin (depmod's format: one path per line, "kernel/drivers/uio/uio.ko"),
 * read from each tree on demand. Is `name` (underscores) built in? 1 yes (*dir: the
 * tree that says so), 0 no, -1 error reading a tree's file (reported). */
int mods_is_builtin(struct mods *ms, const char *name, const char **dir);
/* *text: the first tree's modules.builtin that exists (*dir: that tree), or NULL.
 * 0, or -1 when a tree's file cannot be read (reported). */
int mods_builtin_text(struct mods *ms, const char **text, const char **dir);
/* Check an init configuration (`label` names it in messages) against the built-in
 * modules: a `module NAME PARAM...` line naming one cannot pass it the parameters
 * (only the kernel command line can): an error saying so, with the fix. 0 or -1. */
int mods_check_conf(struct mods *ms, const char *text, const char *label);

/* Module name from a file name: basename without .ko[.gz|.xz|.zst], '-' -> '_'; rank
 * gets the suffix preference. Returns 0, or -1 when the name has no module suffix. */
int mods_name_of(const char *path, char *out, size_t n, int *rank);

#endif
