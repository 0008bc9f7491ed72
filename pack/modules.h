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
};

struct module {
	char *name;			/* underscores */
	char *path;			/* host path */
	char *arcname;			/* file name under /lib/modules: NAME.ko[.gz|.xz|.zst] */
	uint64_t size;
	int *deps;			/* direct dependencies: indices into mods.m */
	int ndeps;
	int state;			/* 0 new, 1 being resolved, 2 resolved */
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
 * starts every error message. Returns 0 or -1 (reported). */
int mods_add(struct mods *ms, const char *name, const char *where);

/* The flat modules.dep for every resolved module, in load order:
 * "virtio_blk.ko: virtio_ring.ko virtio.ko\n", deepest dependency last. */
char *mods_depfile(const struct mods *ms);

/* Module name from a file name: basename without .ko[.gz|.xz|.zst], '-' -> '_'; rank
 * gets the suffix preference. Returns 0, or -1 when the name has no module suffix. */
int mods_name_of(const char *path, char *out, size_t n, int *rank);

#endif
