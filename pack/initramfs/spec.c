// SPDX-License-Identifier: BSD-2-Clause
/* Spec parsing for dvm-pack; see spec.h and docs/pack.md. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cpio.h"
#include "spec.h"
#include "stream.h"
#include "util.h"

#define FIELDS_MAX 256		/* fields on one line */
#define INCLUDE_MAX 32		/* include nesting */
#define SPEC_MAX (16u << 20)	/* larger spec files are refused */
#define MAJOR_MAX 4095u		/* Linux dev_t: 12-bit major, 20-bit minor */
#define MINOR_MAX 1048575u

/* Where a line is, for messages: "FILE:LINE", or the file alone for generated entries. */
struct where {
	const char *file;
	int line;
	char s[512];
};

static void where_set(struct where *w, const char *file, int line)
{
	w->file = file;
	w->line = line;
	if (line)
		snprintf(w->s, sizeof(w->s), "%s:%d", file, line);
	else
		snprintf(w->s, sizeof(w->s), "%s", file);
}

/* ---- the name table ---- */

static unsigned hash_str(const char *s)
{
	unsigned h = 2166136261u;	/* FNV-1a */
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void hash_put(struct spec *s, int idx)
{
	unsigned i = hash_str(s->e[idx].name) & (s->hcap - 1);
	while (s->hash[i])
		i = (i + 1) & (s->hcap - 1);
	s->hash[i] = (unsigned)idx + 1;
}

static int find_idx(const struct spec *s, const char *name)
{
	if (!s->hcap)
		return -1;
	for (unsigned i = hash_str(name) & (s->hcap - 1); s->hash[i]; i = (i + 1) & (s->hcap - 1))
		if (!strcmp(s->e[s->hash[i] - 1].name, name))
			return (int)s->hash[i] - 1;
	return -1;
}

const struct entry *spec_find(const struct spec *s, const char *name)
{
	int i = find_idx(s, name);
	return i < 0 ? NULL : &s->e[i];
}

/* Append an entry (its strings become the spec's) without any checks. */
static struct entry *append(struct spec *s, const struct entry *e)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->e = xrealloc(s->e, sizeof(*s->e) * (size_t)s->cap);
	}
	if ((unsigned)(s->n + 1) * 2 > s->hcap) {
		s->hcap = s->hcap ? s->hcap * 2 : 128;
		free(s->hash);
		s->hash = xmalloc(sizeof(*s->hash) * s->hcap);
		memset(s->hash, 0, sizeof(*s->hash) * s->hcap);
		for (int i = 0; i < s->n; i++)
			hash_put(s, i);
	}
	s->e[s->n] = *e;
	hash_put(s, s->n);
	return &s->e[s->n++];
}

void spec_init(struct spec *s, char **moddirs, int nmoddirs)
{
	memset(s, 0, sizeof(*s));
	mods_init(&s->mods, moddirs, nmoddirs);
}

void spec_free(struct spec *s)
{
	for (int i = 0; i < s->n; i++) {
		free(s->e[i].name);
		free(s->e[i].target);
		free(s->e[i].src);
		free(s->e[i].data);
	}
	for (int i = 0; i < s->nfiles; i++)
		free(s->files[i]);
	free(s->e);
	free(s->hash);
	free(s->files);
	mods_free(&s->mods);
	memset(s, 0, sizeof(*s));
}

static const char *type_name(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return "a regular file";
	case S_IFDIR: return "a directory";
	case S_IFLNK: return "a symlink";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFIFO: return "a pipe";
	case S_IFSOCK: return "a socket";
	}
	return "an unknown type";
}

static void where_of(struct where *w, const struct entry *e)
{
	where_set(w, e->file, e->line);
}

/* Make sure every parent of `name` is a directory, adding missing ones (0755, root). */
static int ensure_parents(struct spec *s, const char *name, const struct where *w)
{
	char path[CPIO_NAME_MAX];
	for (const char *p = strchr(name + 1, '/'); p; p = strchr(p + 1, '/')) {
		memcpy(path, name, (size_t)(p - name));
		path[p - name] = 0;
		int i = find_idx(s, path);
		if (i < 0) {
			struct entry d = { .name = xstrdup(path), .mode = S_IFDIR | 0755,
					   .link_first = -1, .nlinks = 1, .file = w->file,
					   .line = w->line, .implicit = 1 };
			append(s, &d);
		} else if (!S_ISDIR(s->e[i].mode)) {
			struct where o;
			where_of(&o, &s->e[i]);
			perr("%s: %s needs %s to be a directory, but it is %s (declared at %s)",
			     w->s, name, path, type_name(s->e[i].mode), o.s);
			return -1;
		}
	}
	return 0;
}

/* May `e` take its name? A directory declared after an implicit one takes its place. */
static int check_new(struct spec *s, const struct entry *e, const struct where *w)
{
	int i = find_idx(s, e->name);
	if (i < 0)
		return 0;
	struct entry *old = &s->e[i];
	struct where o;
	where_of(&o, old);
	if (old->implicit && S_ISDIR(e->mode)) {
		old->mode = e->mode;
		old->uid = e->uid;
		old->gid = e->gid;
		old->file = e->file;
		old->line = e->line;
		old->implicit = 0;
		return 1;
	}
	if (old->implicit)
		perr("%s: %s is already a directory, created implicitly (as a parent) at %s; "
		     "declare it before that line if it must be %s", w->s, e->name, o.s,
		     type_name(e->mode));
	else
		perr("%s: duplicate name %s (first declared at %s)", w->s, e->name, o.s);
	return -1;
}

static int add_entry(struct spec *s, struct entry *e, const struct where *w)
{
	int r;
	e->file = w->file;
	e->line = w->line;
	e->link_first = -1;
	e->nlinks = 1;
	if (ensure_parents(s, e->name, w) || (r = check_new(s, e, w)) < 0) {
		free(e->name);
		free(e->target);
		free(e->src);
		free(e->data);
		return -1;
	}
	if (r)
		free(e->name);	/* merged into the implicit directory */
	else
		append(s, e);
	return 0;
}

/* ---- fields ---- */

/* Expand ${VAR} in a field. */
static char *expand(const char *f, const struct where *w)
{
	size_t cap = strlen(f) + 1, n = 0;
	char *out = xmalloc(cap);
	for (const char *p = f; *p;) {
		const char *val = NULL;
		size_t vl;
		if (p[0] == '$' && p[1] == '{') {
			const char *end = strchr(p + 2, '}');
			char var[256];
			size_t l = end ? (size_t)(end - p - 2) : 0;
			if (!end) {
				perr("%s: unterminated '${' in '%s' (expected ${NAME})", w->s, f);
				goto fail;
			}
			if (!l || l >= sizeof(var) ||
			    strspn(p + 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				   "0123456789_") != l) {
				perr("%s: bad variable name '%.*s' in '%s' (expected letters, "
				     "digits and '_')", w->s, (int)(l + 3), p, f);
				goto fail;
			}
			memcpy(var, p + 2, l);
			var[l] = 0;
			val = getenv(var);
			if (!val) {
				perr("%s: environment variable %s is not set (used in '%s')",
				     w->s, var, f);
				goto fail;
			}
			vl = strlen(val);
			p = end + 1;
		} else {
			val = p++;
			vl = 1;
		}
		if (n + vl + 1 > cap) {
			cap = (n + vl + 1) * 2;
			out = xrealloc(out, cap);
		}
		memcpy(out + n, val, vl);
		n += vl;
	}
	out[n] = 0;
	return out;
fail:
	free(out);
	return NULL;
}

/* An absolute archive name, normalized: "//a/./" is refused for '.', "a//b/" -> "/a/b". */
static char *parse_name(const char *f, const struct where *w)
{
	char *out;
	size_t n = 0;

	if (f[0] != '/') {
		perr("%s: name '%s' is not absolute (expected a path starting with '/')", w->s, f);
		return NULL;
	}
	out = xmalloc(strlen(f) + 1);
	for (const char *p = f; *p;) {
		while (*p == '/')
			p++;
		size_t l = strcspn(p, "/");
		if (!l)
			break;
		if ((l == 1 && p[0] == '.') || (l == 2 && p[0] == '.' && p[1] == '.')) {
			perr("%s: name '%s' has a '%.*s' component (expected a plain path)",
			     w->s, f, (int)l, p);
			free(out);
			return NULL;
		}
		out[n++] = '/';
		memcpy(out + n, p, l);
		n += l;
		p += l;
	}
	out[n] = 0;
	if (!n) {
		perr("%s: name '%s' is the archive root (expected a path below '/')", w->s, f);
		free(out);
		return NULL;
	}
	if (n > CPIO_NAME_MAX) {	/* stored without the '/', plus a NUL */
		perr("%s: name '%.40s...' is %zu bytes long (at most %d)", w->s, f, n - 1,
		     CPIO_NAME_MAX - 1);
		free(out);
		return NULL;
	}
	return out;
}

static int parse_mode(const char *f, const char *name, const struct where *w, uint32_t *mode)
{
	unsigned long long v;
	if (parse_uint(f, 8, 07777, &v)) {
		perr("%s: bad mode '%s' for %s (expected octal permissions, at most 07777)",
		     w->s, f, name);
		return -1;
	}
	*mode = (uint32_t)v;
	return 0;
}

static int parse_id(const char *f, const char *what, const char *name, const struct where *w,
		    uint32_t *id)
{
	unsigned long long v;
	if (parse_uint(f, 10, 0xfffffffeu, &v)) {
		perr("%s: bad %s '%s' for %s (expected a decimal number below 4294967295)",
		     w->s, what, f, name);
		return -1;
	}
	*id = (uint32_t)v;
	return 0;
}

/* NAME MODE UID GID, the fields that start most directives (mode at f[mi]). */
static int common(struct entry *e, char **f, int mi, uint32_t type, const struct where *w)
{
	memset(e, 0, sizeof(*e));
	if (!(e->name = parse_name(f[0], w)))
		return -1;
	if (parse_mode(f[mi], e->name, w, &e->mode) ||
	    parse_id(f[mi + 1], "uid", e->name, w, &e->uid) ||
	    parse_id(f[mi + 2], "gid", e->name, w, &e->gid)) {
		free(e->name);
		return -1;
	}
	e->mode |= type;
	return 0;
}

/* ---- directives: f[] holds the expanded fields after the directive word ---- */

static int d_dir(struct spec *s, char **f, int n, const struct where *w)
{
	struct entry e;
	(void)n;
	return common(&e, f, 1, S_IFDIR, w) || add_entry(s, &e, w);
}

static int d_pipe(struct spec *s, char **f, int n, const struct where *w)
{
	struct entry e;
	(void)n;
	return common(&e, f, 1, S_IFIFO, w) || add_entry(s, &e, w);
}

static int d_sock(struct spec *s, char **f, int n, const struct where *w)
{
	struct entry e;
	(void)n;
	return common(&e, f, 1, S_IFSOCK, w) || add_entry(s, &e, w);
}

static int d_nod(struct spec *s, char **f, int n, const struct where *w)
{
	struct entry e;
	unsigned long long maj, min;
	uint32_t type;
	(void)n;
	if (!strcmp(f[4], "c")) {
		type = S_IFCHR;
	} else if (!strcmp(f[4], "b")) {
		type = S_IFBLK;
	} else {
		perr("%s: bad device type '%s' for %s (expected b or c)", w->s, f[4], f[0]);
		return -1;
	}
	if (parse_uint(f[5], 10, MAJOR_MAX, &maj)) {
		perr("%s: bad major number '%s' for %s (expected 0..%u)", w->s, f[5], f[0],
		     MAJOR_MAX);
		return -1;
	}
	if (parse_uint(f[6], 10, MINOR_MAX, &min)) {
		perr("%s: bad minor number '%s' for %s (expected 0..%u)", w->s, f[6], f[0],
		     MINOR_MAX);
		return -1;
	}
	if (common(&e, f, 1, type, w))
		return -1;
	e.rmajor = (uint32_t)maj;
	e.rminor = (uint32_t)min;
	return add_entry(s, &e, w);
}

static int d_slink(struct spec *s, char **f, int n, const struct where *w)
{
	struct entry e;
	size_t tl = strlen(f[1]);
	(void)n;
	if (!tl || tl >= CPIO_NAME_MAX) {
		perr("%s: bad symlink target for %s: %zu bytes (expected 1..%d)", w->s, f[0], tl,
		     CPIO_NAME_MAX - 1);
		return -1;
	}
	if (common(&e, f, 2, S_IFLNK, w))
		return -1;
	e.target = xstrdup(f[1]);
	e.size = tl;
	return add_entry(s, &e, w);
}

static int d_file(struct spec *s, char **f, int n, const struct where *w)
{
	struct entry e;
	struct stat st;
	int fd, first;

	if (common(&e, f, 2, S_IFREG, w))
		return -1;
	/* Open now, so a missing or unreadable file stops us before any output (and
	 * without blocking: a FIFO is refused, not waited on). */
	fd = open_input(f[1]);
	if (fd < 0) {
		perr("%s: cannot read '%s' for %s: %s", w->s, f[1], e.name, input_error());
		goto fail;
	}
	if (fstat(fd, &st)) {
		perr("%s: cannot read '%s' for %s: %s", w->s, f[1], e.name, strerror(errno));
		goto fail;
	}
	if ((uint64_t)st.st_size > 0xffffffffu) {
		perr("%s: '%s' for %s is %llu bytes; newc cpio holds at most 4294967295", w->s,
		     f[1], e.name, (unsigned long long)st.st_size);
		goto fail;
	}
	/* Files in /proc and /sys say they are empty but are not: their size is only
	 * known by reading, and they change; packing them would silently give 0 bytes. */
	if (!st.st_size) {
		char c;
		ssize_t r;
		while ((r = read(fd, &c, 1)) < 0 && errno == EINTR)
			;
		if (r != 0) {
			perr("%s: '%s' for %s reports a size of 0 but %s (a /proc or /sys "
			     "file?); copy it to a regular file and pack that", w->s, f[1], e.name,
			     r > 0 ? "has contents" : "cannot be read");
			goto fail;
		}
	}
	close(fd);
	fd = -1;
	e.src = xstrdup(f[1]);
	e.size = (uint64_t)st.st_size;

	/* Hard links: every name first gets its parents, then the group goes in as one
	 * run of entries so the names stay next to each other as gen_init_cpio has them. */
	char **names = xmalloc(sizeof(char *) * (size_t)(n - 4));
	int nn = 0, r = -1;
	names[nn++] = e.name;
	for (int i = 5; i < n; i++) {
		if (!(names[nn] = parse_name(f[i], w)))
			goto out;
		for (int j = 0; j < nn; j++) {
			if (!strcmp(names[j], names[nn])) {
				perr("%s: hard link %s repeats a name of the same line", w->s,
				     names[nn]);
				free(names[nn]);
				goto out;
			}
		}
		nn++;
	}
	/* All parents first: a name of the line may be the parent of another ("/a" and
	 * "/a/b"), which then clashes with the directory made for it. */
	for (int i = 0; i < nn; i++)
		if (ensure_parents(s, names[i], w))
			goto out;
	for (int i = 0; i < nn; i++) {
		struct entry probe = e;
		probe.name = names[i];
		probe.file = w->file;
		probe.line = w->line;
		if (check_new(s, &probe, w))
			goto out;
	}
	first = s->n;
	for (int i = 0; i < nn; i++) {
		struct entry l = e;
		l.name = names[i];
		l.src = i ? NULL : e.src;	/* owned once; the writer reads the group's first */
		l.file = w->file;
		l.line = w->line;
		l.link_first = nn > 1 ? first : -1;
		l.nlinks = nn;
		append(s, &l);
	}
	free(names);
	return 0;
out:
	for (int i = 0; i < nn; i++)
		free(names[i]);
	free(names);
	free(e.src);
	return r;
fail:
	if (fd >= 0)
		close(fd);
	free(e.name);
	return -1;
}

static int d_module(struct spec *s, char **f, int n, const struct where *w)
{
	for (int i = 0; i < n; i++) {
		int old = s->mods.norder;
		if (mods_add(&s->mods, f[i], w->s))
			return -1;
		for (int k = old; k < s->mods.norder; k++) {
			struct module *m = &s->mods.m[s->mods.order[k]];
			struct entry e = { .mode = S_IFREG | 0644 };
			size_t l = strlen(m->arcname);

			if (s->gzip_modules && l > 3 && !strcmp(m->arcname + l - 3, ".ko")) {
				/* The rootfs keeps every module file for the VM's life: a third
				 * of the RAM gzip'd; init inflates it when loading (core/module.c). */
				size_t n, gz;
				char *raw = read_file(m->path, 1u << 30, &n), *z;

				if (!raw) {
					perr("%s: module %s: cannot read %s: %s", w->s, m->name, m->path,
					     input_error());
					return -1;
				}
				z = (char *)gzip_mem(raw, n, &gz);
				free(raw);
				if (!z)
					return -1;
				free(m->arcname);
				m->arcname = xasprintf("%s.ko.gz", m->name);
				e.data = z;
				e.size = gz;
			} else {
				e.src = xstrdup(m->path);
				e.size = m->size;
			}
			e.name = xasprintf("/lib/modules/%s", m->arcname);
			if (add_entry(s, &e, w))
				return -1;
		}
	}
	return 0;
}

static int parse_file_at(struct spec *s, const char *path, const struct where *from);

static int d_include(struct spec *s, char **f, int n, const struct where *w)
{
	const char *slash = strrchr(w->file, '/');
	char *path;
	int r;
	(void)n;
	if (f[0][0] == '/' || !slash)
		path = xstrdup(f[0]);
	else
		path = xasprintf("%.*s/%s", (int)(slash - w->file), w->file, f[0]);
	r = parse_file_at(s, path, w);
	free(path);
	return r;
}

static const struct directive {
	const char *word;
	int min, max;		/* fields after the word; max -1: no limit */
	const char *syntax;
	int (*fn)(struct spec *s, char **f, int n, const struct where *w);
} directives[] = {
	{ "file", 5, -1, "file NAME LOCATION MODE UID GID [HARDLINK...]", d_file },
	{ "dir", 4, 4, "dir NAME MODE UID GID", d_dir },
	{ "nod", 7, 7, "nod NAME MODE UID GID b|c MAJOR MINOR", d_nod },
	{ "slink", 5, 5, "slink NAME TARGET MODE UID GID", d_slink },
	{ "pipe", 4, 4, "pipe NAME MODE UID GID", d_pipe },
	{ "sock", 4, 4, "sock NAME MODE UID GID", d_sock },
	{ "module", 1, -1, "module NAME...", d_module },
	{ "include", 1, 1, "include FILE", d_include },
};

static int parse_line(struct spec *s, char *line, const struct where *w)
{
	char *f[FIELDS_MAX];
	int n = 0, r = -1;
	const struct directive *d = NULL;

	for (char *p = strtok(line, " \t\r"); p; p = strtok(NULL, " \t\r")) {
		if (n == FIELDS_MAX) {
			perr("%s: more than %d fields on one line", w->s, FIELDS_MAX);
			return -1;
		}
		f[n++] = p;
	}
	if (!n || f[0][0] == '#')
		return 0;
	for (size_t i = 0; i < sizeof(directives) / sizeof(directives[0]); i++)
		if (!strcmp(f[0], directives[i].word))
			d = &directives[i];
	if (!d) {
		perr("%s: unknown directive '%s' (expected file, dir, nod, slink, pipe, sock, "
		     "module or include)", w->s, f[0]);
		return -1;
	}
	if (n - 1 < d->min || (d->max >= 0 && n - 1 > d->max)) {
		perr("%s: '%s' takes %s%d field%s (%s), got %d", w->s, d->word,
		     d->max < 0 ? "at least " : "", d->min, d->min == 1 ? "" : "s", d->syntax,
		     n - 1);
		return -1;
	}
	/* Expand after splitting, so a value with blanks stays one field. */
	int k;
	for (k = 1; k < n; k++)
		if (!(f[k] = expand(f[k], w)))
			break;
	if (k == n) {
		for (int i = 1; i < n; i++) {
			if (!*f[i]) {
				perr("%s: field %d of '%s' is empty after expansion (%s)", w->s,
				     i, d->word, d->syntax);
				goto out;
			}
		}
		r = d->fn(s, f + 1, n - 1, w) ? -1 : 0;
	}
out:
	while (--k >= 1)
		free(f[k]);
	return r;
}

int spec_parse_text(struct spec *s, const char *fname, const char *text)
{
	struct where w;
	char *copy, *line, *next;
	int lineno = 0, r = 0;

	/* Keep the file name alive for the entries' messages. */
	s->files = xrealloc(s->files, sizeof(char *) * (size_t)(s->nfiles + 1));
	s->files[s->nfiles] = xstrdup(fname);
	fname = s->files[s->nfiles++];
	copy = xstrdup(text);
	for (line = copy; line && !r; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		where_set(&w, fname, ++lineno);
		r = parse_line(s, line, &w);
	}
	free(copy);
	return r;
}

static int parse_file_at(struct spec *s, const char *path, const struct where *from)
{
	size_t len;
	char *text;
	int r;

	if (s->depth >= INCLUDE_MAX) {
		perr("%s: includes nested more than %d deep (does '%s' include itself?)",
		     from->s, INCLUDE_MAX, path);
		return -1;
	}
	text = read_file(path, SPEC_MAX, &len);
	if (!text) {
		if (from)
			perr("%s: cannot read included spec '%s': %s", from->s, path,
			     input_error());
		else
			perr("cannot read spec '%s': %s", path, input_error());
		return -1;
	}
	if (!strcmp(path, "-"))
		path = "standard input";
	if (memchr(text, 0, len)) {
		perr("%s: not a text file (holds a NUL byte)", path);
		free(text);
		return -1;
	}
	s->depth++;
	r = spec_parse_text(s, path, text);
	s->depth--;
	free(text);
	return r;
}

int spec_parse_file(struct spec *s, const char *path)
{
	return parse_file_at(s, path, NULL);
}

/* With -m trees: ship the first tree's modules.builtin, so that init recognises
 * built-in modules, and check the init config's module lines against it. */
static int finish_builtin(struct spec *s)
{
	const struct entry *conf = spec_find(s, "/etc/dvm.conf"), *old;
	const char *dir, *text;
	struct where w, o;

	if (mods_builtin_text(&s->mods, &text, &dir))
		return -1;
	if (!text)
		return 0;
	if ((old = spec_find(s, "/lib/modules/modules.builtin"))) {
		where_of(&o, old);
		perr("%s: /lib/modules/modules.builtin is written by dvm-pack from %s when -m "
		     "trees have one; remove this entry", o.s, dir);
		return -1;
	}
	if (conf && S_ISREG(conf->mode) && (conf->src || conf->data)) {
		const struct entry *c = conf->link_first >= 0 ? &s->e[conf->link_first] : conf;
		char *t = c->data ? xstrdup(c->data) : read_file(c->src, 1u << 20, NULL);
		if (!t) {
			perr("cannot read %s for /etc/dvm.conf: %s", c->src, input_error());
			return -1;
		}
		char *label = xasprintf("%s (/etc/dvm.conf)", c->src ? c->src : "/etc/dvm.conf");
		int r = mods_check_conf(&s->mods, t, label);
		free(label);
		free(t);
		if (r)
			return -1;
	}
	struct entry e = { .name = xstrdup("/lib/modules/modules.builtin"), .mode = S_IFREG | 0644,
			   .data = xstrdup(text), .size = strlen(text) };
	where_set(&w, "dvm-pack (modules.builtin of -m trees)", 0);
	return add_entry(s, &e, &w);
}

int spec_finish(struct spec *s)
{
	struct where w;
	where_set(&w, "dvm-pack", 0);
	if (s->mods.norder) {
		const struct entry *old = spec_find(s, "/lib/modules/modules.dep");
		if (old) {
			struct where o;
			where_of(&o, old);
			perr("%s: /lib/modules/modules.dep is written by dvm-pack when 'module' "
			     "lines include modules; remove this entry", o.s);
			return -1;
		}
		char *dep = mods_depfile(&s->mods);
		struct entry e = { .name = xstrdup("/lib/modules/modules.dep"),
				   .mode = S_IFREG | 0644, .data = dep, .size = strlen(dep) };
		where_set(&w, "dvm-pack (generated modules.dep)", 0);
		if (add_entry(s, &e, &w))
			return -1;
	}
	if (s->mods.ntrees && finish_builtin(s))
		return -1;
	if (!spec_find(s, "/dev/console")) {
		struct entry e = { .name = xstrdup("/dev/console"), .mode = S_IFCHR | 0600,
				   .rmajor = 5, .rminor = 1 };
		where_set(&w, "dvm-pack (built-in /dev/console)", 0);
		if (add_entry(s, &e, &w))
			return -1;
	}
	return 0;
}
