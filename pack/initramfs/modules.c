// SPDX-License-Identifier: BSD-2-Clause
/* Module lookup and dependency resolution for dvm-pack; see modules.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "modinfo.h"
#include "modules.h"
#include "stream.h"
#include "util.h"

#define CHAIN_MAX 64			/* deepest dependency chain followed */
#define GUNZIP_MAX (1u << 30)		/* a .ko.gz inflating to more is refused */

/* Longest first, so ".ko.gz" is not taken for ".ko". rank = preference when one tree
 * holds the same module in several forms (uncompressed wins, as insmod's lookup does). */
static const struct {
	const char *s;
	int rank;
} suffixes[] = { { ".ko.zst", 3 }, { ".ko.xz", 2 }, { ".ko.gz", 1 }, { ".ko", 0 } };
static const char *const rank_what[] = { "", "gzip", "xz", "zstd" };
static const char *const rank_suffix[] = { ".ko", ".ko.gz", ".ko.xz", ".ko.zst" };

int mods_name_of(const char *path, char *out, size_t n, int *rank)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t bl = strlen(base);
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t sl = strlen(suffixes[i].s);
		if (bl <= sl || strcmp(base + bl - sl, suffixes[i].s))
			continue;
		if (bl - sl >= n)
			return -1;
		for (size_t j = 0; j < bl - sl; j++)
			out[j] = base[j] == '-' ? '_' : base[j];
		out[bl - sl] = 0;
		if (rank)
			*rank = suffixes[i].rank;
		return 0;
	}
	return -1;
}

void mods_init(struct mods *ms, char **dirs, int ndirs)
{
	memset(ms, 0, sizeof(*ms));
	ms->trees = xmalloc(sizeof(*ms->trees) * (size_t)(ndirs ? ndirs : 1));
	memset(ms->trees, 0, sizeof(*ms->trees) * (size_t)(ndirs ? ndirs : 1));
	for (int i = 0; i < ndirs; i++)
		ms->trees[i].dir = dirs[i];
	ms->ntrees = ndirs;
}

void mods_free(struct mods *ms)
{
	for (int i = 0; i < ms->ntrees; i++) {
		struct deptree *t = &ms->trees[i];
		for (int j = 0; j < t->nfiles; j++) {
			free(t->files[j].name);
			free(t->files[j].path);
		}
		free(t->files);
		free(t->depfile);
		free(t->builtin);
	}
	for (int i = 0; i < ms->n; i++) {
		free(ms->m[i].name);
		free(ms->m[i].path);
		free(ms->m[i].arcname);
		free(ms->m[i].deps);
	}
	free(ms->trees);
	free(ms->m);
	free(ms->order);
	memset(ms, 0, sizeof(*ms));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collect the module files under `dir`, visiting entries in sorted order so the result
 * does not depend on the file system's directory order. Symlinks to directories are not
 * followed (a kernel tree's build/source links would lead far away). */
static int walk(struct deptree *t, const char *dir)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	int n = 0, r = 0;
	struct dirent *de;

	if (!d) {
		perr("cannot read module directory %s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		names = xrealloc(names, sizeof(*names) * (size_t)(n + 1));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n)	/* qsort(NULL, 0) is undefined */
		qsort(names, (size_t)n, sizeof(*names), cmp_str);
	for (int i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]), mod[MODNAME_MAX];
		struct stat st;
		int rank;
		if (r || lstat(path, &st)) {
			if (!r)
				perr("cannot stat %s: %s", path, strerror(errno));
			r = -1;
		} else if (S_ISDIR(st.st_mode)) {
			r = walk(t, path);
		} else if (!mods_name_of(names[i], mod, sizeof(mod), &rank) &&
			   !stat(path, &st) && S_ISREG(st.st_mode)) {
			t->files = xrealloc(t->files, sizeof(*t->files) * (size_t)(t->nfiles + 1));
			t->files[t->nfiles].name = xstrdup(mod);
			t->files[t->nfiles].path = path;
			t->files[t->nfiles++].rank = rank;
			path = NULL;
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return r;
}

/* DIR/NAME of a modules tree into *out (NUL-terminated), NULL when the tree has none;
 * -1 (reported) when it exists but cannot be read. */
static int read_optional(const struct deptree *t, const char *name, size_t max, char **out)
{
	char *path = xasprintf("%s/%s", t->dir, name);

	*out = read_file(path, max, NULL);
	if (!*out && errno != ENOENT) {
		perr("cannot read %s: %s", path, input_error());
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

static int index_tree(struct deptree *t)
{
	if (t->indexed)
		return 0;
	if (walk(t, t->dir))
		return -1;
	if (read_optional(t, "modules.dep", 64u << 20, &t->depfile))
		return -1;
	t->indexed = 1;
	return 0;
}

static int node_get(struct mods *ms, const char *name)
{
	for (int i = 0; i < ms->n; i++)
		if (!strcmp(ms->m[i].name, name))
			return i;
	ms->m = xrealloc(ms->m, sizeof(*ms->m) * (size_t)(ms->n + 1));
	memset(&ms->m[ms->n], 0, sizeof(*ms->m));
	ms->m[ms->n].name = xstrdup(name);
	return ms->n++;
}

/* "(needed by b, needed by a)" for the chain leading to a missing module. */
static char *needed_by(const char **chain, int depth)
{
	char *s = xstrdup("");
	for (int i = depth - 1; i >= 0; i--) {
		char *t = xasprintf("%s%sneeded by %s%s", s, i == depth - 1 ? " (" : ", ",
				    chain[i], i ? "" : ")");
		free(s);
		s = t;
	}
	return s;
}

static char *dir_list(const struct mods *ms)
{
	char *s = xstrdup("");
	for (int i = 0; i < ms->ntrees; i++) {
		char *t = xasprintf("%s%s%s", s, i ? ", " : "", ms->trees[i].dir);
		free(s);
		s = t;
	}
	return s;
}

/* Find module files for `name`: the first tree holding it wins; in that tree the
 * preferred suffix wins, and two files of the same kind are ambiguous. Returns 0 with
 * *found set, 1 when no tree has it, -1 on an error (reported). */
static int lookup(struct mods *ms, const char *name, const struct modfile **found,
		  int *tree, const char *where)
{
	for (int i = 0; i < ms->ntrees; i++) {
		struct deptree *t = &ms->trees[i];
		const struct modfile *best = NULL;
		if (index_tree(t))
			return -1;
		for (int j = 0; j < t->nfiles; j++) {
			const struct modfile *f = &t->files[j];
			if (strcmp(f->name, name))
				continue;
			if (best && best->rank == f->rank) {
				perr("%s: module '%s' is ambiguous: %s and %s", where, name,
				     best->path, f->path);
				return -1;
			}
			if (!best || f->rank < best->rank)
				best = f;
		}
		if (best) {
			*tree = i;
			*found = best;
			return 0;
		}
	}
	return 1;
}

/* Append dependency `dep` (a name or a file name from modules.dep) to a list. */
static void add_name(char ***list, int *n, const char *dep, size_t len)
{
	char tmp[256], mod[MODNAME_MAX];
	if (!len || len >= sizeof(tmp))
		return;
	memcpy(tmp, dep, len);
	tmp[len] = 0;
	if (mods_name_of(tmp, mod, sizeof(mod), NULL)) {
		/* a plain module name, as .modinfo depends= has them */
		if (len >= sizeof(mod))
			return;
		for (size_t i = 0; i <= len; i++)
			mod[i] = tmp[i] == '-' ? '_' : tmp[i];
	}
	*list = xrealloc(*list, sizeof(**list) * (size_t)(*n + 1));
	(*list)[(*n)++] = xstrdup(mod);
}

/* Dependencies from a depmod-format modules.dep: the line whose first word's module
 * name is `name`. Returns 1 found, 0 not listed, -1 malformed. */
static int deps_from_depfile(const struct deptree *t, const char *name, char ***list,
			     int *n, const char *where)
{
	const char *p = t->depfile;
	int line = 0;
	while (p && *p) {
		const char *eol = strchr(p, '\n'), *colon;
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char key[4096], mod[MODNAME_MAX];
		line++;
		if (!len || *p == '#')
			goto next;
		colon = memchr(p, ':', len);
		if (!colon || (size_t)(colon - p) >= sizeof(key)) {
			perr("%s: %s/modules.dep:%d: expected 'module.ko: deps...', got '%.*s'",
			     where, t->dir, line, (int)(len > 80 ? 80 : len), p);
			return -1;
		}
		memcpy(key, p, (size_t)(colon - p));
		key[colon - p] = 0;
		if (mods_name_of(key, mod, sizeof(mod), NULL) || strcmp(mod, name))
			goto next;
		for (const char *q = colon + 1, *end = p + len; q < end;) {
			while (q < end && (*q == ' ' || *q == '\t' || *q == '\r'))
				q++;
			const char *w = q;
			while (q < end && *q != ' ' && *q != '\t' && *q != '\r')
				q++;
			add_name(list, n, w, (size_t)(q - w));
		}
		return 1;
next:
		p = eol ? eol + 1 : p + len;
	}
	return 0;
}

/* Dependencies from the module's own .modinfo "depends=a,b". */
static int deps_from_modinfo(const struct modfile *f, const struct deptree *t,
			     char ***list, int *n, const char *where)
{
	unsigned char *img;
	size_t len = 0;
	int mapped = 0;
	char deps[512];
	const char *why = NULL;

	if (f->rank >= 2) {
		perr("%s: cannot read the dependencies of %s: it is %s-compressed and "
		     "dvm-pack only inflates gzip; add a modules.dep listing it to %s",
		     where, f->path, rank_what[f->rank], t->dir);
		return -1;
	}
	if (f->rank == 1) {
		img = gunzip_file(f->path, GUNZIP_MAX, &len);
		if (!img) {
			char why[sizeof(perr_last)];
			snprintf(why, sizeof(why), "%s", perr_last);
			perr("%s: %s", where, why);
			return -1;
		}
	} else {
		struct stat st;
		int fd = open(f->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st)) {
			perr("%s: cannot read %s: %s", where, f->path, strerror(errno));
			if (fd >= 0)
				close(fd);
			return -1;
		}
		len = (size_t)st.st_size;
		img = len ? mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
		close(fd);
		if (img == MAP_FAILED) {
			perr("%s: cannot map %s: %s", where, f->path, strerror(errno));
			return -1;
		}
		mapped = 1;
	}
	int r = modinfo_get(img, len, "depends", deps, sizeof(deps), &why);
	if (mapped) {
		if (img)
			munmap(img, len);
	} else {
		free(img);
	}
	if (r < 0) {
		perr("%s: %s is not a usable kernel module: %s", where, f->path, why);
		return -1;
	}
	for (const char *p = r ? deps : "", *c; *p; p = c + (*c != 0)) {
		c = strchr(p, ',');
		if (!c)
			c = p + strlen(p);
		add_name(list, n, p, (size_t)(c - p));
	}
	return 0;
}

static int visit(struct mods *ms, int i, const char *where, const char **chain, int depth)
{
	struct module *m = &ms->m[i];
	const struct modfile *f = NULL;
	char **deps = NULL;
	int ndeps = 0, tree, r = -1;
	struct stat st;

	if (m->state == 2)
		return 0;
	if (m->state == 1) {
		int k = depth - 1;
		while (k > 0 && strcmp(chain[k], m->name))
			k--;
		char *s = xstrdup(chain[k]);
		for (int j = k + 1; j < depth; j++) {
			char *t = xasprintf("%s -> %s", s, chain[j]);
			free(s);
			s = t;
		}
		perr("%s: module dependency cycle: %s -> %s", where, s, m->name);
		free(s);
		return -1;
	}
	if (depth >= CHAIN_MAX) {
		perr("%s: module dependencies nested more than %d deep at '%s'", where,
		     CHAIN_MAX, m->name);
		return -1;
	}
	chain[depth] = m->name;
	r = lookup(ms, m->name, &f, &tree, where);
	if (r > 0) {
		const char *bdir;
		int b = mods_is_builtin(ms, m->name, &bdir);
		if (b < 0)
			return -1;
		if (b) {
			pnote("%s: %s is built into the kernel (%s/modules.builtin): nothing to "
			      "pack", where, m->name, bdir);
			m->builtin = 1;
			m->state = 2;
			return 0;
		}
	}
	if (r) {
		if (r > 0) {
			char *nb = needed_by(chain, depth), *dl = dir_list(ms);
			perr("%s: module '%s'%s not found in -m %s (looked for %s.ko, .ko.gz, "
			     ".ko.xz, .ko.zst, '-' and '_' alike)", where, m->name, nb, dl,
			     m->name);
			free(nb);
			free(dl);
		}
		return -1;
	}
	r = -1;
	if (stat(f->path, &st)) {
		perr("%s: cannot stat %s: %s", where, f->path, strerror(errno));
		return -1;
	}
	if ((uint64_t)st.st_size > 0xffffffffu) {
		perr("%s: %s is %llu bytes, more than newc's limit of 4294967295", where,
		     f->path, (unsigned long long)st.st_size);
		return -1;
	}
	m->state = 1;
	m->path = xstrdup(f->path);
	m->size = (uint64_t)st.st_size;
	m->arcname = xasprintf("%s%s", m->name, rank_suffix[f->rank]);

	int found = ms->trees[tree].depfile ?
		deps_from_depfile(&ms->trees[tree], m->name, &deps, &ndeps, where) : 0;
	if (found < 0 || (!found && deps_from_modinfo(f, &ms->trees[tree], &deps, &ndeps, where)))
		goto out;
	for (int k = 0; k < ndeps; k++) {
		int j = node_get(ms, deps[k]);	/* may move ms->m */
		m = &ms->m[i];
		m->deps = xrealloc(m->deps, sizeof(int) * (size_t)(m->ndeps + 1));
		m->deps[m->ndeps++] = j;
		if (visit(ms, j, where, chain, depth + 1))
			goto out;
	}
	m = &ms->m[i];
	m->state = 2;
	ms->order = xrealloc(ms->order, sizeof(int) * (size_t)(ms->norder + 1));
	ms->order[ms->norder++] = i;
	r = 0;
out:
	for (int k = 0; k < ndeps; k++)
		free(deps[k]);
	free(deps);
	return r;
}

int mods_add(struct mods *ms, const char *name, const char *where)
{
	char norm[MODNAME_MAX];
	const char *chain[CHAIN_MAX];
	size_t len = strlen(name);

	if (!len || len >= sizeof(norm) || strspn(name, "abcdefghijklmnopqrstuvwxyz"
						  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != len) {
		perr("%s: bad module name '%s': expected up to %d letters, digits, '_' or '-' "
		     "(a name like virtio_blk, not a file name)", where, name, MODNAME_MAX - 1);
		return -1;
	}
	if (!ms->ntrees) {
		perr("%s: 'module %s' needs a module directory: give -m MODDIR", where, name);
		return -1;
	}
	for (size_t i = 0; i <= len; i++)
		norm[i] = name[i] == '-' ? '_' : name[i];
	return visit(ms, node_get(ms, norm), where, chain, 0);
}

static int read_builtin(struct deptree *t)
{
	if (t->builtin_read)
		return 0;
	if (read_optional(t, "modules.builtin", 16u << 20, &t->builtin))
		return -1;
	t->builtin_read = 1;
	return 0;
}

int mods_is_builtin(struct mods *ms, const char *name, const char **dir)
{
	for (int i = 0; i < ms->ntrees; i++) {
		struct deptree *t = &ms->trees[i];
		if (read_builtin(t))
			return -1;
		for (const char *p = t->builtin; p && *p;) {
			const char *eol = strchr(p, '\n');
			size_t len = eol ? (size_t)(eol - p) : strlen(p);
			char path[512], mod[MODNAME_MAX];
			if (len < sizeof(path)) {
				memcpy(path, p, len);
				path[len] = 0;
				if (!mods_name_of(path, mod, sizeof(mod), NULL) && !strcmp(mod, name)) {
					*dir = t->dir;
					return 1;
				}
			}
			p = eol ? eol + 1 : p + len;
		}
	}
	return 0;
}

int mods_builtin_text(struct mods *ms, const char **text, const char **dir)
{
	*text = *dir = NULL;
	for (int i = 0; i < ms->ntrees; i++) {
		if (read_builtin(&ms->trees[i]))
			return -1;
		if (ms->trees[i].builtin) {
			*dir = ms->trees[i].dir;
			*text = ms->trees[i].builtin;
			return 0;
		}
	}
	return 0;
}

/* Split an init config line into words as init does (docs/init.md): blanks separate,
 * "double quotes" group and are removed, '#' starting a word outside quotes ends the
 * line. Returns the number of words (at most max); buf holds them. */
static int conf_words(const char *line, size_t len, char *buf, char **w, int max)
{
	int n = 0;
	size_t i = 0;
	char *o = buf;
	while (i < len && n < max) {
		while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
			i++;
		if (i == len || line[i] == '#')
			break;
		w[n++] = o;
		for (int q = 0; i < len && (q || (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')); i++)
			if (line[i] == '"')
				q = !q;
			else
				*o++ = line[i];
		*o++ = 0;
	}
	return n;
}

int mods_check_conf(struct mods *ms, const char *text, const char *label)
{
	int lineno = 0;
	for (const char *p = text; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char *buf = xmalloc(len + 1), *w[64], mod[MODNAME_MAX];
		int n = conf_words(p, len, buf, w, 64), r = 0;
		const char *dir;
		lineno++;
		/* NAME or NAME.ko (a /PATH is a file of its own, never built in) */
		if (n >= 3 && !strcmp(w[0], "module") && w[1][0] != '/' && strlen(w[1]) < sizeof(mod)) {
			size_t l = strlen(w[1]);
			for (size_t i = 0; i <= l; i++)
				mod[i] = w[1][i] == '-' ? '_' : w[1][i];
			if (l > 3 && !strcmp(mod + l - 3, ".ko"))
				mod[l - 3] = 0;
			r = mods_is_builtin(ms, mod, &dir);
			if (r > 0) {
				perr("%s:%d: module %s is built into the kernel (%s/modules.builtin), so "
				     "init cannot give it the parameter '%s': put %s.%s on the kernel "
				     "command line instead (dvm-pack layout --bootargs or "
				     "--append-bootargs can add it) and remove it from this line",
				     label, lineno, mod, dir, w[2], mod, w[2]);
				r = -1;
			}
		}
		free(buf);
		if (r < 0)
			return -1;
		p = eol ? eol + 1 : p + len;
	}
	return 0;
}

/* Post-order walk of i's dependencies: out gets them deps-first, i excluded. */
static void closure(const struct mods *ms, int i, char *seen, int *out, int *n)
{
	for (int k = 0; k < ms->m[i].ndeps; k++) {
		int j = ms->m[i].deps[k];
		if (seen[j] || ms->m[j].builtin)
			continue;
		seen[j] = 1;
		closure(ms, j, seen, out, n);
		out[(*n)++] = j;
	}
}

char *mods_depfile(const struct mods *ms)
{
	char *s = xstrdup("");
	char *seen = xmalloc((size_t)ms->n + 1);
	int *list = xmalloc(sizeof(int) * ((size_t)ms->n + 1));
	for (int o = 0; o < ms->norder; o++) {
		int i = ms->order[o], n = 0;
		memset(seen, 0, (size_t)ms->n);
		seen[i] = 1;
		closure(ms, i, seen, list, &n);
		char *t = xasprintf("%s%s:", s, ms->m[i].arcname);
		free(s);
		s = t;
		/* deps-first reversed: the deepest dependency comes last */
		while (n--) {
			t = xasprintf("%s %s", s, ms->m[list[n]].arcname);
			free(s);
			s = t;
		}
		t = xasprintf("%s\n", s);
		free(s);
		s = t;
	}
	free(seen);
	free(list);
	return s;
}
