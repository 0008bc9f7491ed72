// SPDX-License-Identifier: BSD-2-Clause
/* dvm-pack module resolver on fake module trees (tiny ELF .ko files with .modinfo, a
 * gzip'd one, a modules.dep tree with xz names): dependency order, the flat
 * modules.dep, lookup rules, and every error (missing, cycle, ambiguous, unreadable). */
#include <stdlib.h>
#include <sys/stat.h>
#include "check.h"
#include "cpio.h"
#include "modules.h"
#include "packtest.h"
#include "spec.h"
#include "util.h"

#define KO(dir, rel, info) free(pt_write_ko(dir, rel, info, sizeof(info), 0))
#define KOGZ(dir, rel, info) free(pt_write_ko(dir, rel, info, sizeof(info), 1))

static char *tree1, *tree2;

/* tree1: the virtio chain, a dashed name, a gzip'd module, a module needing one from
 * tree2's neighbour; tree2: an out-of-tree module needing tree1's uio. */
static void make_trees(void)
{
	if (tree1)
		return;
	tree1 = pt_tmpdir();
	tree2 = pt_tmpdir();
	KO(tree1, "kernel/drivers/virtio/virtio.ko", "license=GPL\0depends=\0vermagic=6.1");
	KO(tree1, "kernel/drivers/virtio/virtio_ring.ko", "depends=virtio\0license=GPL");
	KO(tree1, "kernel/drivers/block/virtio_blk.ko", "license=GPL\0depends=virtio_ring,virtio");
	KO(tree1, "kernel/drivers/misc/dash-name.ko", "depends=");
	KOGZ(tree1, "kernel/drivers/gz/gzmod.ko.gz", "depends=virtio-ring");
	KO(tree1, "kernel/drivers/uio/uio.ko", "depends=");
	KO(tree1, "kernel/nodeps/nodepends.ko", "license=GPL");
	KO(tree2, "uio_pdrv_genirq.ko", "alias=of:N*T*Cgeneric-uio\0depends=uio");
}

static int add(struct mods *ms, const char *name)
{
	perr_quiet = 1;
	return mods_add(ms, name, "t.spec:1");
}

static char *order_str(const struct mods *ms)
{
	char *s = xstrdup("");
	for (int i = 0; i < ms->norder; i++) {
		char *t = xasprintf("%s%s%s", s, i ? " " : "", ms->m[ms->order[i]].arcname);
		free(s);
		s = t;
	}
	return s;
}

TEST(dependencies_first_and_flat_depfile)
{
	struct mods ms;
	char *dirs[] = { NULL, NULL };
	make_trees();
	dirs[0] = tree1;
	dirs[1] = tree2;
	mods_init(&ms, dirs, 2);
	CHECK_INT(add(&ms, "virtio_blk"), 0);
	char *o = order_str(&ms);
	CHECK_STR(o, "virtio.ko virtio_ring.ko virtio_blk.ko");
	free(o);
	CHECK_INT(add(&ms, "uio-pdrv-genirq"), 0);	/* found in tree2, needs tree1's uio */
	CHECK_INT(add(&ms, "virtio_ring"), 0);		/* already there: nothing new */
	CHECK_INT(add(&ms, "gzmod"), 0);
	CHECK_INT(add(&ms, "dash_name"), 0);
	CHECK_INT(add(&ms, "nodepends"), 0);		/* no depends= at all */
	o = order_str(&ms);
	CHECK_STR(o, "virtio.ko virtio_ring.ko virtio_blk.ko uio.ko uio_pdrv_genirq.ko "
		  "gzmod.ko.gz dash_name.ko nodepends.ko");
	free(o);
	char *dep = mods_depfile(&ms);
	CHECK_STR(dep, "virtio.ko:\n"
		  "virtio_ring.ko: virtio.ko\n"
		  "virtio_blk.ko: virtio_ring.ko virtio.ko\n"
		  "uio.ko:\n"
		  "uio_pdrv_genirq.ko: uio.ko\n"
		  "gzmod.ko.gz: virtio_ring.ko virtio.ko\n"
		  "dash_name.ko:\n"
		  "nodepends.ko:\n");
	free(dep);
	char *want = xasprintf("%s/uio_pdrv_genirq.ko", tree2);
	CHECK_STR(ms.m[ms.order[4]].path, want);
	free(want);
	mods_free(&ms);
}

TEST(spec_module_lines_make_entries)
{
	struct spec s;
	struct membuf m;
	char *dirs[2];
	make_trees();
	dirs[0] = tree1;
	dirs[1] = tree2;
	CHECK_INT(pt_parse(&s, "t.spec", "dir /bin 0755 0 0\nmodule uio_pdrv_genirq\n"
			   "module virtio_blk uio\n", dirs, 2), 0);
	CHECK_INT(spec_finish(&s), 0);
	const char *order[] = { "/bin", "/lib", "/lib/modules", "/lib/modules/uio.ko",
				"/lib/modules/uio_pdrv_genirq.ko", "/lib/modules/virtio.ko",
				"/lib/modules/virtio_ring.ko", "/lib/modules/virtio_blk.ko",
				"/lib/modules/modules.dep", "/dev", "/dev/console" };
	CHECK_INT(s.n, 11);
	for (int i = 0; i < 11; i++)
		CHECK_STR(s.e[i].name, order[i]);
	const struct entry *e = spec_find(&s, "/lib/modules/virtio_ring.ko");
	CHECK_INT(e->mode, S_IFREG | 0644);
	CHECK_INT(e->line, 3);
	struct stat st;
	CHECK_INT(stat(e->src, &st), 0);
	CHECK_INT(e->size, st.st_size);
	CHECK_INT(spec_find(&s, "/lib/modules/uio.ko")->line, 2);
	spec_free(&s);

	/* in the archive, modules.dep holds the generated text */
	CHECK_INT(pt_parse(&s, "t.spec", "module virtio_blk\n", dirs, 2), 0);
	CHECK_INT(pt_build(&s, 0, 0, &m), 0);
	struct istream is;
	struct cpio_hdr h;
	char name[CPIO_NAME_MAX], data[256] = "";
	int found = 0;
	CHECK_INT(is_open_mem(&is, m.p, m.n, "mem"), 0);
	while (cpio_read_header(&is, &h, name) > 0) {
		int dep = !strcmp(name, "lib/modules/modules.dep");
		CHECK_INT(cpio_read_data(&is, &h, dep ? data : NULL, sizeof(data) - 1), 0);
		found |= dep;
	}
	is_close(&is);
	CHECK(found);
	CHECK_STR(data, "virtio.ko:\nvirtio_ring.ko: virtio.ko\n"
		  "virtio_blk.ko: virtio_ring.ko virtio.ko\n");
	free(m.p);
	spec_free(&s);
}

TEST(modules_dep_of_the_tree_wins)
{
	struct mods ms;
	char *t = pt_tmpdir();
	/* xz modules: their .modinfo cannot be read, modules.dep must say it all; m3's
	 * own .modinfo claims a dependency the tree's modules.dep does not have */
	free(pt_write(t, "kernel/a/m1.ko.xz", "not really xz", -1));
	free(pt_write(t, "kernel/b/m2.ko.xz", "not really xz", -1));
	KO(t, "kernel/c/m3.ko", "depends=m1");
	free(pt_write(t, "kernel/d/lonely.ko.xz", "x", -1));
	free(pt_write(t, "modules.dep", "# comment\n\nkernel/a/m1.ko.xz: kernel/b/m2.ko.xz\n"
		 "kernel/b/m2.ko.xz:\nkernel/c/m3.ko:\n", -1));
	char *dirs[] = { t };
	mods_init(&ms, dirs, 1);
	CHECK_INT(add(&ms, "m1"), 0);
	CHECK_INT(add(&ms, "m3"), 0);
	char *o = order_str(&ms);
	CHECK_STR(o, "m2.ko.xz m1.ko.xz m3.ko");
	free(o);
	char *dep = mods_depfile(&ms);
	CHECK_STR(dep, "m2.ko.xz:\nm1.ko.xz: m2.ko.xz\nm3.ko:\n");
	free(dep);
	/* not listed in modules.dep and xz: a clear error */
	CHECK_INT(add(&ms, "lonely"), -1);
	char *want = xasprintf("t.spec:1: cannot read the dependencies of %s/kernel/d/lonely.ko.xz: "
			       "it is xz-compressed and dvm-pack only inflates gzip; add a "
			       "modules.dep listing it to %s", t, t);
	CHECK_STR(perr_last, want);
	free(want);
	mods_free(&ms);

	/* a malformed modules.dep line */
	char *t2 = pt_tmpdir();
	KO(t2, "x.ko", "depends=");
	free(pt_write(t2, "modules.dep", "no colon here\n", -1));
	dirs[0] = t2;
	mods_init(&ms, dirs, 1);
	CHECK_INT(add(&ms, "x"), -1);
	want = xasprintf("t.spec:1: %s/modules.dep:1: expected 'module.ko: deps...', got "
			 "'no colon here'", t2);
	CHECK_STR(perr_last, want);
	free(want);
	mods_free(&ms);
}

TEST(missing_modules_name_who_needs_them)
{
	struct mods ms;
	char *t = pt_tmpdir();
	KO(t, "c.ko", "depends=ghost");
	KO(t, "d.ko", "depends=c");
	char *dirs[] = { t, tree1 ? tree1 : t };
	mods_init(&ms, dirs, 1);
	CHECK_INT(add(&ms, "nothere"), -1);
	char *want = xasprintf("t.spec:1: module 'nothere' not found in -m %s (looked for "
			       "nothere.ko, .ko.gz, .ko.xz, .ko.zst, '-' and '_' alike)", t);
	CHECK_STR(perr_last, want);
	free(want);
	mods_free(&ms);
	mods_init(&ms, dirs, 1);
	CHECK_INT(add(&ms, "d"), -1);
	want = xasprintf("t.spec:1: module 'ghost' (needed by c, needed by d) not found in -m %s "
			 "(looked for ghost.ko, .ko.gz, .ko.xz, .ko.zst, '-' and '_' alike)", t);
	CHECK_STR(perr_last, want);
	free(want);
	mods_free(&ms);
	make_trees();
	dirs[1] = tree1;
	mods_init(&ms, dirs, 2);
	CHECK_INT(add(&ms, "ghost"), -1);
	want = xasprintf("t.spec:1: module 'ghost' not found in -m %s, %s (looked for "
			 "ghost.ko, .ko.gz, .ko.xz, .ko.zst, '-' and '_' alike)", t, tree1);
	CHECK_STR(perr_last, want);
	free(want);
	mods_free(&ms);
}

TEST(cycles_are_errors)
{
	struct mods ms;
	char *t = pt_tmpdir();
	KO(t, "a.ko", "depends=b");
	KO(t, "b.ko", "depends=c");
	KO(t, "c.ko", "depends=a");
	KO(t, "top.ko", "depends=b");
	KO(t, "self.ko", "depends=self");
	char *dirs[] = { t };
	mods_init(&ms, dirs, 1);
	CHECK_INT(add(&ms, "top"), -1);
	CHECK_STR(perr_last, "t.spec:1: module dependency cycle: b -> c -> a -> b");
	mods_free(&ms);
	mods_init(&ms, dirs, 1);
	CHECK_INT(add(&ms, "self"), -1);
	CHECK_STR(perr_last, "t.spec:1: module dependency cycle: self -> self");
	mods_free(&ms);
}

TEST(lookup_rules)
{
	struct mods ms;
	char *a = pt_tmpdir(), *b = pt_tmpdir();
	KO(a, "x/both.ko", "depends=");
	KOGZ(a, "y/both.ko.gz", "depends=");		/* uncompressed wins in one tree */
	KO(a, "x/twice.ko", "depends=");
	KO(a, "y/twice.ko", "depends=");		/* same kind twice: ambiguous */
	KO(b, "first.ko", "depends=");
	KO(a, "z/first.ko", "depends=");		/* the earlier -m wins */
	free(pt_write(a, "bad/notelf.ko", "this is not an ELF file", -1));
	char *dirs[] = { b, a };
	mods_init(&ms, dirs, 2);
	CHECK_INT(add(&ms, "both"), 0);
	char *want = xasprintf("%s/x/both.ko", a);
	CHECK_STR(ms.m[ms.order[0]].path, want);
	free(want);
	CHECK_INT(add(&ms, "first"), 0);
	want = xasprintf("%s/first.ko", b);
	CHECK_STR(ms.m[ms.order[1]].path, want);
	free(want);
	CHECK_INT(add(&ms, "twice"), -1);
	want = xasprintf("t.spec:1: module 'twice' is ambiguous: %s/x/twice.ko and %s/y/twice.ko",
			 a, a);
	CHECK_STR(perr_last, want);
	free(want);
	CHECK_INT(add(&ms, "notelf"), -1);
	want = xasprintf("t.spec:1: %s/bad/notelf.ko is not a usable kernel module: not an ELF "
			 "file", a);
	CHECK_STR(perr_last, want);
	free(want);
	CHECK_INT(add(&ms, "bad name"), -1);
	CHECK_STR(perr_last, "t.spec:1: bad module name 'bad name': expected up to 55 letters, "
		  "digits, '_' or '-' (a name like virtio_blk, not a file name)");
	mods_free(&ms);

	/* a missing -m directory is reported when first searched */
	char *nodir[] = { "/nonexistent/modules" };
	mods_init(&ms, nodir, 1);
	CHECK_INT(add(&ms, "x"), -1);
	CHECK_STR(perr_last, "cannot read module directory /nonexistent/modules: No such file "
		  "or directory");
	mods_free(&ms);
}

TEST(corrupt_gzip_module)
{
	struct mods ms;
	char *t = pt_tmpdir();
	char *p = pt_write(t, "broken.ko.gz", "\x1f\x8b\x08\x00garbage-garbage-garbage", -1);
	char *dirs[] = { t };
	mods_init(&ms, dirs, 1);
	CHECK_INT(add(&ms, "broken"), -1);
	CHECK(!strncmp(perr_last, "t.spec:1: ", 10));
	CHECK(strstr(perr_last, p));
	CHECK(strstr(perr_last, "gzip"));
	mods_free(&ms);
	free(p);
}

TEST(generated_depfile_cannot_be_declared)
{
	struct spec s;
	char *dirs[1];
	make_trees();
	dirs[0] = tree1;
	CHECK_INT(pt_parse(&s, "t.spec", "slink /lib/modules/modules.dep x 0777 0 0\n"
			   "module uio\n", dirs, 1), 0);
	CHECK_INT(spec_finish(&s), -1);
	CHECK_STR(perr_last, "t.spec:1: /lib/modules/modules.dep is written by dvm-pack when "
		  "'module' lines include modules; remove this entry");
	spec_free(&s);
	/* without modules it is an ordinary file */
	CHECK_INT(pt_parse(&s, "t.spec", "slink /lib/modules/modules.dep x 0777 0 0\n", dirs, 1),
		  0);
	CHECK_INT(spec_finish(&s), 0);
	spec_free(&s);
	/* a module file name clashing with a declared entry */
	CHECK_INT(pt_parse(&s, "t.spec", "pipe /lib/modules/uio.ko 0600 0 0\nmodule uio\n",
			   dirs, 1), -1);
	CHECK_STR(perr_last, "t.spec:2: duplicate name /lib/modules/uio.ko (first declared at "
		  "t.spec:1)");
	spec_free(&s);
}

TEST(module_file_names)
{
	char n[MODNAME_MAX];
	int rank = -1;
	CHECK_INT(mods_name_of("/a/b/virtio-blk.ko", n, sizeof(n), &rank), 0);
	CHECK_STR(n, "virtio_blk");
	CHECK_INT(rank, 0);
	CHECK_INT(mods_name_of("x.ko.gz", n, sizeof(n), &rank), 0);
	CHECK_STR(n, "x");
	CHECK_INT(rank, 1);
	CHECK_INT(mods_name_of("x.ko.xz", n, sizeof(n), &rank), 0);
	CHECK_INT(rank, 2);
	CHECK_INT(mods_name_of("x.ko.zst", n, sizeof(n), &rank), 0);
	CHECK_INT(rank, 3);
	CHECK_INT(mods_name_of("x.kobj", n, sizeof(n), NULL), -1);
	CHECK_INT(mods_name_of(".ko", n, sizeof(n), NULL), -1);
	CHECK_INT(mods_name_of("modules.dep", n, sizeof(n), NULL), -1);
}

/* An empty module directory: nothing found, no qsort(NULL, 0) (UBSan). */
TEST(empty_module_dir)
{
	struct mods ms;
	char *dirs[1] = { pt_tmpdir() };
	mods_init(&ms, dirs, 1);
	CHECK_INT(add(&ms, "virtio"), -1);
	CHECK(strstr(perr_last, "module 'virtio' not found in -m "));
	mods_free(&ms);
}

/* Parse and finish (modules.dep, modules.builtin, the config check). */
static int parse_finish(struct spec *s, const char *fname, const char *text, char **dirs, int n)
{
	int r = pt_parse(s, fname, text, dirs, n);
	return r ? r : spec_finish(s);
}

/* A tree's modules.builtin: a built-in module is accepted (noted, nothing packed, left
 * out of modules.dep, also as a dependency); the file goes to the archive at
 * /lib/modules/modules.builtin; an init config giving a built-in module parameters is
 * an error naming the fix. */
TEST(builtin_modules)
{
	static const char builtin[] = "kernel/drivers/uio/uio.ko\n"
				      "kernel/drivers/uio/uio_pdrv_genirq.ko\n"
				      "kernel/fs/binfmt-script.ko\n";
	struct spec s;
	char *dir = pt_tmpdir(), *dirs[1] = { dir };
	free(pt_write(dir, "modules.builtin", builtin, -1));
	KO(dir, "kernel/drivers/virtio/virtio.ko", "depends=");
	KO(dir, "extra/needs_uio.ko", "depends=uio,virtio");

	CHECK_INT(parse_finish(&s, "t.spec", "module uio\nmodule needs_uio binfmt_script\n", dirs, 1), 0);
	CHECK(strstr(pnote_last, "t.spec:2: binfmt_script is built into the kernel ("));
	CHECK(!spec_find(&s, "/lib/modules/uio.ko"));
	CHECK(spec_find(&s, "/lib/modules/needs_uio.ko"));
	const struct entry *dep = spec_find(&s, "/lib/modules/modules.dep");
	const struct entry *b = spec_find(&s, "/lib/modules/modules.builtin");
	CHECK(dep && b);
	CHECK_STR(dep->data, "virtio.ko:\nneeds_uio.ko: virtio.ko\n");
	CHECK_STR(b->data, builtin);
	CHECK_INT(b->mode, S_IFREG | 0644);
	spec_free(&s);

	/* shipped whenever a tree has one, even with no module line */
	CHECK_INT(parse_finish(&s, "t.spec", "dir /etc 0755 0 0\n", dirs, 1), 0);
	CHECK(spec_find(&s, "/lib/modules/modules.builtin"));
	spec_free(&s);

	/* the init config: parameters for a built-in module cannot reach it */
	char *conf = pt_write(dir, "dvm.conf", "module virtio\nmodule uio\n"
			      "module \"uio-pdrv-genirq.ko\" \"of_id=generic-uio\" # the UIO nodes\n", -1);
	char *text = xasprintf("file /etc/dvm.conf %s 0644 0 0\n", conf);
	CHECK_INT(parse_finish(&s, "t.spec", text, dirs, 1), -1);
	char want[1024];
	snprintf(want, sizeof(want), "%s (/etc/dvm.conf):3: module uio_pdrv_genirq is built "
		 "into the kernel (%s/modules.builtin), so init cannot give it the parameter "
		 "'of_id=generic-uio': put uio_pdrv_genirq.of_id=generic-uio on the kernel "
		 "command line instead (dvm-pack layout --bootargs or --append-bootargs can add "
		 "it) and remove it from this line", conf, dir);
	CHECK_STR(perr_last, want);
	free(conf);
	spec_free(&s);
	free(text);
	conf = pt_write(dir, "ok.conf", "module uio # no parameters: fine\nmodule virtio x=1\n", -1);
	text = xasprintf("file /etc/dvm.conf %s 0644 0 0\n", conf);
	CHECK_INT(parse_finish(&s, "t.spec", text, dirs, 1), 0);
	spec_free(&s);
	free(text);
	free(conf);

	/* declared by the spec as well: an error, as for modules.dep */
	CHECK_INT(parse_finish(&s, "t.spec", "dir /lib/modules/modules.builtin 0755 0 0\n", dirs, 1), -1);
	CHECK(strstr(perr_last, "t.spec:1: /lib/modules/modules.builtin is written by dvm-pack"));
	spec_free(&s);
}
