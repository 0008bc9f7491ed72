// SPDX-License-Identifier: BSD-2-Clause
/* Kernel module loading for insmod and init; see module.h. Loading itself is one
 * syscall; most of this file explains failures, because a driver VM that cannot load
 * its driver is useless and the person debugging it sees only our log line. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "cmdline.h"
#include "inflate.h"
#include "log.h"
#include "modinfo.h"
#include "module.h"

#define MODULE_INIT_COMPRESSED_FILE 4 /* <linux/module.h>, kernel >= 5.17 */

enum { PLAIN, GZ, XZ, ZST };
static const char *const suffixes[] = { ".ko", ".ko.gz", ".ko.xz", ".ko.zst" };
/* Names as the kernel writes them in /sys/module/compression. */
static const char *const comp_names[] = { "", "gzip", "xz", "zstd" };

static long real_finit(int fd, const char *params, int flags)
{
	return syscall(SYS_finit_module, fd, params, flags);
}

static long real_init(const void *img, unsigned long len, const char *params)
{
	return syscall(SYS_init_module, img, len, params);
}

#ifdef DVM_UNIT_TEST
long (*module_sys_finit)(int, const char *, int) = real_finit;
long (*module_sys_init)(const void *, unsigned long, const char *) = real_init;
const char *module_sysfs = "/sys/module";
size_t module_max_size = MODULE_MAX_SIZE;
#else
#define module_sys_finit real_finit
#define module_sys_init real_init
#define module_sysfs "/sys/module"
#define module_max_size ((size_t)MODULE_MAX_SIZE)
#endif

/* Which suffixes[] entry `s` ends with, or -1. */
static int suffix_of(const char *s, size_t len)
{
	for (int i = ZST; i >= PLAIN; i--) {
		size_t l = strlen(suffixes[i]);
		if (len >= l && !memcmp(s + len - l, suffixes[i], l))
			return i;
	}
	return -1;
}

void module_name(const char *path, char *out, size_t n)
{
	const char *b = strrchr(path, '/');
	size_t len, i;
	int s;

	if (!n)
		return;
	b = b ? b + 1 : path;
	len = strlen(b);
	s = suffix_of(b, len);
	if (s >= 0)
		len -= strlen(suffixes[s]);
	if (len >= n)
		len = n - 1;
	for (i = 0; i < len; i++)
		out[i] = b[i] == '-' ? '_' : b[i];
	out[i] = 0;
}

int module_find(const char *dir, const char *name, char *out, size_t n)
{
	char want[MODULE_NAME_MAX];
	int best = -1, r = -ENOENT;
	struct dirent *d;
	DIR *dp;

	if (strchr(name, '/')) {
		if (strlen(name) >= n)
			return -ENAMETOOLONG;
		strcpy(out, name);
		return 0;
	}
	module_name(name, want, sizeof(want));
	dp = opendir(dir);
	if (!dp)
		return -ENOENT;
	/* Scan rather than guess spellings: "a-b_c" has many '-'/'_' variants. An
	 * uncompressed file wins over compressed ones (the order of suffixes[]). */
	while ((d = readdir(dp))) {
		size_t len = strlen(d->d_name);
		int s = suffix_of(d->d_name, len);
		size_t base = s >= 0 ? len - strlen(suffixes[s]) : 0;
		if (s < 0 || (best >= 0 && s >= best) || base != strlen(want) ||
		    !modname_eq(d->d_name, want, (long)base))
			continue;
		if ((size_t)snprintf(out, n, "%s/%s", dir, d->d_name) >= n) {
			r = -ENAMETOOLONG;
			continue;
		}
		best = s;
	}
	closedir(dp);
	return best >= 0 ? 0 : r;
}

/* ---- modules.dep ---- */

/* Call fn for the words of `deps` from the last to the first (depmod lists the deepest
 * dependency last, and it must load first). */
static int deps_reverse(char *deps, const char *file, unsigned line,
			int (*fn)(const char *, void *), void *ctx)
{
	char *end = deps + strlen(deps), name[MODULE_NAME_MAX];

	for (;;) {
		while (end > deps && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = 0;
		if (end == deps)
			return 0;
		char *w = end;
		while (w > deps && w[-1] != ' ' && w[-1] != '\t')
			w--;
		const char *b = strrchr(w, '/');
		if (strlen(b ? b + 1 : w) >= sizeof(name)) {
			err("%s:%u: dependency name '%.40s...' too long", file, line, w);
			return -EINVAL;
		}
		module_name(w, name, sizeof(name));
		int r = fn(name, ctx);
		if (r)
			return r;
		end = w;
	}
}

int module_deps(const char *dir, const char *name,
		int (*fn)(const char *dep_name, void *ctx), void *ctx)
{
	char file[512], want[MODULE_NAME_MAX], have[MODULE_NAME_MAX];
	char buf[MODULE_DEP_LINE_MAX + 1];
	size_t fill = 0;
	unsigned line = 0;
	int fd, r = 0, eof = 0;

	if ((size_t)snprintf(file, sizeof(file), "%s/modules.dep", dir) >= sizeof(file))
		return -ENAMETOOLONG;
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		r = -errno;
		err("%s: %m", file);
		return r;
	}
	module_name(name, want, sizeof(want));
	for (;;) {
		char *nl = memchr(buf, '\n', fill);
		if (!nl && !eof && fill < sizeof(buf) - 1) {
			ssize_t got = read(fd, buf + fill, sizeof(buf) - 1 - fill);
			if (got < 0) {
				if (errno == EINTR)
					continue;
				r = -errno;
				err("%s: %m", file);
				break;
			}
			eof = got == 0;
			fill += (size_t)got;
			continue;
		}
		if (!nl && !fill)
			break; /* end of file */
		line++;
		if (!nl && !eof) {
			err("%s:%u: line longer than %d bytes", file, line, MODULE_DEP_LINE_MAX - 1);
			r = -EINVAL;
			break;
		}
		size_t len = nl ? (size_t)(nl - buf) : fill;
		buf[len] = 0;
		if (memchr(buf, 0, len)) {
			err("%s:%u: NUL byte in line", file, line);
			r = -EINVAL;
			break;
		}
		if (len && buf[0] != '#') {
			char *colon = strchr(buf, ':');
			if (!colon) {
				err("%s:%u: missing ':' in '%.60s'", file, line, buf);
				r = -EINVAL;
				break;
			}
			*colon = 0;
			module_name(buf, have, sizeof(have));
			if (!strcmp(have, want)) {
				r = deps_reverse(colon + 1, file, line, fn, ctx);
				break;
			}
		}
		/* drop the line (and its '\n') from the buffer */
		len += nl ? 1 : 0;
		memmove(buf, buf + len, fill - len);
		fill -= len;
	}
	close(fd);
	return r;
}

/* ---- gzip ---- */

/* CRC-32 (IEEE, reflected) four bits at a time: a 16-entry table is plenty for a
 * module of a few hundred KiB and costs 64 bytes instead of zlib's 9 KiB of tables. */
static uint32_t crc32_update(uint32_t crc, const unsigned char *p, size_t n)
{
	static uint32_t t[16];

	if (!t[1])
		for (uint32_t i = 0; i < 16; i++) {
			uint32_t c = i;
			for (int k = 0; k < 4; k++)
				c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
			t[i] = c;
		}
	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ t[crc & 15];
		crc = (crc >> 4) ^ t[crc & 15];
	}
	return ~crc;
}

static uint32_t le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Length of the gzip member header at p (RFC 1952), 0 if it is not one. */
static size_t gzip_header_len(const unsigned char *p, size_t n)
{
	size_t h = 10;

	if (n < 18 || p[0] != 0x1f || p[1] != 0x8b || p[2] != 8 || (p[3] & 0xe0))
		return 0;
	if (p[3] & 4) { /* FEXTRA */
		h += 2 + (p[10] | (size_t)p[11] << 8);
		if (h > n)
			return 0;
	}
	for (int f = 8; f <= 16; f <<= 1) /* FNAME, FCOMMENT: NUL-terminated */
		if (p[3] & f) {
			const unsigned char *z = memchr(p + h, 0, n - h);
			if (!z)
				return 0;
			h = (size_t)(z - p) + 1;
		}
	if (p[3] & 2) /* FHCRC */
		h += 2;
	return h <= n ? h : 0;
}

/* Inflate gzip data (every member, as gzip -d does) into *out, checking each member's
 * CRC and length. *out is module_max_size bytes of address space mapped up front: pages
 * cost memory only once written, and no buffer ever has to grow (free with munmap).
 * Each member's deflate data is decoded by core/inflate.c straight into *out; the gzip
 * framing is parsed here. */
static int gunzip(const char *path, const unsigned char *in, size_t n,
		  unsigned char **out, size_t *outlen)
{
	unsigned char *buf;
	size_t pos = 0, len = 0;
	int r = 0;

	buf = mmap(NULL, module_max_size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (buf == MAP_FAILED) {
		err("%s: no memory to decompress it", path);
		return -ENOMEM;
	}
	do {
		size_t h = gzip_header_len(in + pos, n - pos), used, got;
		const char *msg;
		if (!h) {
			err("%s: %s", path, pos ? "data after the gzip stream is not gzip"
					      : "not gzip data (or a truncated header)");
			r = -EINVAL;
			break;
		}
		/* a member's back references stay within its own output */
		int z = inflate_raw(in + pos + h, n - pos - h, &used, buf + len,
				    module_max_size - len, &got, &msg);
		pos += h + used;
		if (z == INFLATE_FULL) {
			err("%s: decompresses to more than %zu MiB; refusing (a corrupt file or "
			    "a decompression bomb)", path, module_max_size >> 20);
			r = -EFBIG;
		} else if (z == INFLATE_BAD) {
			err("%s: corrupt gzip data (%s)", path, msg);
			r = -EINVAL;
		} else if (z != INFLATE_OK || n - pos < 8) {
			err("%s: truncated gzip data", path);
			r = -EINVAL;
		} else if (le32(in + pos) != crc32_update(0, buf + len, got) ||
			   le32(in + pos + 4) != (uint32_t)got) {
			err("%s: gzip checksum or length mismatch: the file is corrupt", path);
			r = -EINVAL;
		}
		if (r)
			break;
		len += got;
		pos += 8;
		/* zero padding after the last member is common (tape blocks) */
		while (pos < n && !in[pos])
			pos++;
	} while (pos < n);
	if (r) {
		munmap(buf, module_max_size);
		return r;
	}
	*out = buf;
	*outlen = len;
	return 0;
}

/* ---- loading ---- */

/* The module file, mapped; for .ko.gz also its inflated image. */
struct mod {
	const char *path, *params;
	char name[MODULE_NAME_MAX];
	int fd, comp, img_err;
	unsigned char *map, *img; /* img: inflated .gz, module_max_size bytes mapped */
	size_t map_len, img_len;
};

static int map_file(struct mod *m)
{
	struct stat st;

	if (m->map)
		return 0;
	if (fstat(m->fd, &st) < 0) {
		int e = errno;
		err("%s: %m", m->path);
		return -e;
	}
	if (!S_ISREG(st.st_mode)) {
		err("%s: not a regular file", m->path);
		return -EINVAL;
	}
	if ((uint64_t)st.st_size > module_max_size) {
		err("%s: %lld bytes: larger than the %zu MiB a module may have", m->path,
		    (long long)st.st_size, module_max_size >> 20);
		return -EFBIG;
	}
	if (!st.st_size) {
		err("%s: empty file", m->path);
		return -ENOEXEC;
	}
	void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, m->fd, 0);
	if (p == MAP_FAILED) {
		int e = errno;
		err("%s: cannot map: %m", m->path);
		return -e;
	}
	m->map = p;
	m->map_len = (size_t)st.st_size;
	return 0;
}

/* The uncompressed module image (for .modinfo, or init_module): NULL for .xz/.zst,
 * or after an error, which has been logged and is kept in img_err. */
static const unsigned char *image(struct mod *m, size_t *len)
{
	if (m->comp == XZ || m->comp == ZST || m->img_err)
		return NULL;
	if (!m->map && (m->img_err = map_file(m)))
		return NULL;
	if (m->comp == PLAIN) {
		*len = m->map_len;
		return m->map;
	}
	if (!m->img && (m->img_err = gunzip(m->path, m->map, m->map_len, &m->img, &m->img_len)))
		return NULL;
	*len = m->img_len;
	return m->img;
}

/* Why image() gave nothing, for a message that already has its own context. */
static const char *no_image(const struct mod *m)
{
	return m->img_err ? "the file is unreadable" : "its .modinfo is compressed";
}

/* The kernel's own module decompressor ("gzip", "xz", "zstd"), or "" when it has none
 * or /sys is not mounted. */
static void kernel_compression(char *buf, size_t n)
{
	char path[256];
	ssize_t got = -1;
	int fd;

	snprintf(path, sizeof(path), "%s/compression", module_sysfs);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		got = read(fd, buf, n - 1);
		close(fd);
	}
	buf[got > 0 ? got : 0] = 0;
	buf[strcspn(buf, "\n")] = 0;
}

static int is_loaded(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", module_sysfs, name);
	return access(path, F_OK) == 0;
}

struct dep_report {
	char *out;
	size_t n, len;
	int missing;
};

/* Append " dep (missing)" or " dep (loaded)" for each name of a depends= list. */
static void report_deps(struct dep_report *d, const char *list)
{
	char name[MODULE_NAME_MAX];

	while (*list) {
		size_t l = strcspn(list, ",");
		if (l && l < sizeof(name)) {
			memcpy(name, list, l);
			name[l] = 0;
			module_name(name, name, sizeof(name));
			int loaded = is_loaded(name);
			d->missing += !loaded;
			int w = snprintf(d->out + d->len, d->n - d->len, "%s%s (%s)",
					 d->len ? ", " : "", name, loaded ? "loaded" : "missing");
			if (w > 0 && (size_t)w < d->n - d->len)
				d->len += (size_t)w;
		}
		list += l + (list[l] == ',');
	}
}

static void explain_unknown_symbol(struct mod *m)
{
	char deps[512], list[512];
	struct dep_report d = { list, sizeof(list), 0, 0 };
	size_t len = 0;
	const unsigned char *img = image(m, &len);
	const char *why = no_image(m);
	int r = img ? modinfo_get(img, len, "depends", deps, sizeof(deps), &why) : -1;

	list[0] = 0;
	if (r == 1 && deps[0]) {
		report_deps(&d, deps);
		err("%s: unknown symbol: module %s needs %s loaded first: %s%s", m->path, m->name,
		    strchr(deps, ',') ? "these modules" : "this module", list,
		    d.missing ? "" : "; all are loaded, so it was built for another kernel "
				     "(see dmesg)");
	} else {
		err("%s: unknown symbol (%s); module %s was built against another kernel or "
		    "needs a module its .modinfo does not list; see dmesg", m->path,
		    r < 0 ? why : "no depends= in its .modinfo", m->name);
	}
}

static void explain_exec_format(struct mod *m)
{
	char vermagic[256];
	struct utsname u;
	size_t len = 0;
	const unsigned char *img = image(m, &len);
	const char *why = no_image(m);
	int r = img ? modinfo_get(img, len, "vermagic", vermagic, sizeof(vermagic), &why) : -1;

	if (uname(&u) < 0)
		strcpy(u.release, "?");
	if (r == 1) {
		size_t rl = strcspn(vermagic, " ");
		int same = rl == strlen(u.release) && !memcmp(vermagic, u.release, rl);
		err("%s: rejected as invalid module format: built for kernel '%s', running %s%s",
		    m->path, vermagic, u.release,
		    same ? " (same release: a different configuration or architecture, or a "
			   "corrupt file; see dmesg)" : "");
	} else {
		err("%s: rejected as invalid module format: built for another kernel or not a "
		    "module at all (%s; running %s)", m->path, r < 0 ? why : "no vermagic",
		    u.release);
	}
}

/* Log why loading failed with errno e; returns -e. */
static int explain(struct mod *m, int e)
{
	errno = e; /* for %m */
	switch (e) {
	case EEXIST:
		info("%s: module %s is already loaded", m->path, m->name);
		break;
	case ENOEXEC:
		explain_exec_format(m);
		break;
	case ENOENT:
		explain_unknown_symbol(m);
		break;
	case EINVAL:
		if (*m->params)
			err("%s: rejected: invalid parameter in '%s' (or a symbol version "
			    "mismatch); dmesg names it", m->path, m->params);
		else
			err("%s: rejected as invalid (a symbol version mismatch or a bad module; "
			    "dmesg says which)", m->path);
		break;
	case EPERM:
	case EACCES:
		err("%s: permission denied: loading modules needs root (CAP_SYS_MODULE) and "
		    "kernel.modules_disabled=0", m->path);
		break;
	case EKEYREJECTED:
	case ENOKEY:
	case EBADMSG:
		err("%s: signature check failed (%m): the module was changed after signing, or "
		    "this kernel enforces signatures (module.sig_enforce) and does not trust "
		    "its key or it has none", m->path);
		break;
	case ENOSYS:
		err("%s: this kernel was built without module support", m->path);
		break;
	case EBUSY:
		err("%s: module %s is busy: being loaded or unloaded right now", m->path, m->name);
		break;
	default:
		err("%s: cannot load module %s: %m", m->path, m->name);
	}
	return -e;
}

/* .ko.gz/.xz/.zst after the kernel refused MODULE_INIT_COMPRESSED_FILE with errno e:
 * inflate a .gz ourselves and hand over the image; others cannot be helped. */
static int load_uncompressed_here(struct mod *m, int e)
{
	const char *fmt = comp_names[m->comp];
	char kc[16];
	size_t len;

	kernel_compression(kc, sizeof(kc));
	/* The kernel decompresses this very format: its EINVAL is about the module. */
	if (e == EINVAL && !strcmp(kc, fmt))
		return explain(m, e);
	if (m->comp == GZ) {
		dbg("%s: the kernel cannot decompress it (%s); inflating here", m->path,
		    strerror(e));
		if (!image(m, &len))
			return m->img_err;
		if (module_sys_init(m->img, len, m->params) < 0)
			return explain(m, errno);
		return 0;
	}
	if (e == EOPNOTSUPP)
		err("%s: this kernel has no module decompressor, so it cannot load %s "
		    "modules; ship the module uncompressed or as .ko.gz", m->path, fmt);
	else if (*kc)
		err("%s: this kernel decompresses only %s modules, not %s; ship the module "
		    "uncompressed or as .ko.gz", m->path, kc, fmt);
	else
		err("%s: rejected: either this kernel cannot decompress %s modules (older than "
		    "5.17, or built with another decompressor; /sys/module/compression tells) "
		    "or a parameter in '%s' is invalid; an uncompressed or .ko.gz module would "
		    "tell which", m->path, fmt, m->params);
	return -EOPNOTSUPP;
}

int module_load(const char *path, const char *params)
{
	struct mod m = { .path = path, .params = params ? params : "" };
	int r = 0;

	module_name(path, m.name, sizeof(m.name));
	m.comp = suffix_of(path, strlen(path));
	if (m.comp < 0)
		m.comp = PLAIN;
	m.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (m.fd < 0) {
		r = -errno;
		if (errno == ENOENT)
			err("%s: no such module file", path);
		else
			err("%s: cannot open: %m", path);
		return r;
	}
	dbg("loading %s (%s) params '%s'", m.name, path, m.params);
	if (module_sys_finit(m.fd, m.params, m.comp == PLAIN ? 0 : MODULE_INIT_COMPRESSED_FILE) < 0) {
		int e = errno;
		/* EINVAL: flag unknown (< 5.17) or another decompressor built in;
		 * EOPNOTSUPP: no decompressor (CONFIG_MODULE_DECOMPRESS=n). */
		if (m.comp != PLAIN && (e == EINVAL || e == EOPNOTSUPP))
			r = load_uncompressed_here(&m, e);
		else
			r = explain(&m, e);
	}
	if (m.map)
		munmap(m.map, m.map_len);
	if (m.img)
		munmap(m.img, module_max_size);
	close(m.fd);
	return r;
}
