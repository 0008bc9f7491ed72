/* Mount option parsing and mount(8)'s sequence of mount(2) calls; see mountopt.h. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include "log.h"
#include "mountopt.h"

#ifdef DVM_UNIT_TEST
static int real_mount(const char *s, const char *d, const char *t, unsigned long f,
		      const void *data)
{
	return mount(s, d, t, f, data);
}
int (*mountopt_sys_mount)(const char *, const char *, const char *, unsigned long,
			  const void *) = real_mount;
const char *mountopt_filesystems = "/proc/filesystems";
#else
#define mountopt_sys_mount mount
#define mountopt_filesystems "/proc/filesystems"
#endif

enum {
	SET,	/* the word sets flag */
	CLR,	/* the word clears flag */
	INV,	/* the word clears flag, "no" + word sets it ("suid": MS_NOSUID) */
	BOTH,	/* the word sets flag, "no" + word clears it */
	PROP,	/* propagation type (flag may include MS_REC) */
	IGN,	/* for fstab tools, not the kernel: dropped */
};

/* 16 bytes an entry: names fill all 11 bytes without a NUL ("runbindable"). */
static const struct opt {
	char name[11];
	unsigned char kind;
	unsigned int flag;
} opts[] = {
	{ "ro", SET, MS_RDONLY },
	{ "rw", CLR, MS_RDONLY },
	{ "suid", INV, MS_NOSUID },
	{ "dev", INV, MS_NODEV },
	{ "exec", INV, MS_NOEXEC },
	{ "sync", SET, MS_SYNCHRONOUS },
	{ "async", CLR, MS_SYNCHRONOUS },
	{ "dirsync", SET, MS_DIRSYNC },
	{ "remount", SET, MS_REMOUNT },
	{ "bind", SET, MS_BIND },
	{ "rbind", SET, MS_BIND | MS_REC },
	{ "move", SET, MS_MOVE },
	{ "atime", INV, MS_NOATIME },
	{ "diratime", INV, MS_NODIRATIME },
	{ "relatime", BOTH, MS_RELATIME },
	{ "strictatime", BOTH, MS_STRICTATIME },
	{ "lazytime", BOTH, MS_LAZYTIME },
	{ "mand", BOTH, MS_MANDLOCK },
	{ "iversion", BOTH, MS_I_VERSION },
	{ "symfollow", INV, MS_NOSYMFOLLOW },
	{ "silent", SET, MS_SILENT },
	{ "loud", CLR, MS_SILENT },
	{ "defaults", CLR, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS },
	{ "shared", PROP, MS_SHARED },
	{ "rshared", PROP, MS_SHARED | MS_REC },
	{ "private", PROP, MS_PRIVATE },
	{ "rprivate", PROP, MS_PRIVATE | MS_REC },
	{ "slave", PROP, MS_SLAVE },
	{ "rslave", PROP, MS_SLAVE | MS_REC },
	{ "unbindable", PROP, MS_UNBINDABLE },
	{ "runbindable", PROP, MS_UNBINDABLE | MS_REC },
	{ "auto", IGN, 0 },
	{ "noauto", IGN, 0 },
	{ "user", IGN, 0 },
	{ "nouser", IGN, 0 },
	{ "users", IGN, 0 },
	{ "owner", IGN, 0 },
	{ "group", IGN, 0 },
	{ "nofail", IGN, 0 },
	{ "_netdev", IGN, 0 },
};

static const struct opt *find(const char *w, size_t l)
{
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (strnlen(opts[i].name, sizeof(opts[i].name)) == l && !memcmp(opts[i].name, w, l))
			return &opts[i];
	return NULL;
}

/* The table entry for word w (l bytes); *neg when it is "no" + an INV/BOTH word. */
static const struct opt *lookup(const char *w, size_t l, int *neg)
{
	const struct opt *o = find(w, l);

	*neg = 0;
	if (!o && l > 2 && w[0] == 'n' && w[1] == 'o') {
		o = find(w + 2, l - 2);
		if (o && o->kind != INV && o->kind != BOTH)
			o = NULL;
		*neg = 1;
	}
	return o;
}

static void apply(const struct opt *o, int neg, struct mountopt *mo)
{
	switch (o->kind) {
	case SET:
		mo->flags |= o->flag;
		break;
	case CLR:
		mo->flags &= ~o->flag;
		break;
	case INV:
	case BOTH:
		if (neg == (o->kind == INV))
			mo->flags |= o->flag;
		else
			mo->flags &= ~o->flag;
		break;
	case PROP:
		mo->prop = o->flag;
		break;
	}
}

int mountopt_parse(const char *s, struct mountopt *mo)
{
	size_t dl = strnlen(mo->data, sizeof(mo->data));
	int r = 0;

	if (dl == sizeof(mo->data))
		return -1;
	while (*s) {
		/* a word ends at a comma outside double quotes (SELinux contexts have commas) */
		size_t l = 0;
		int q = 0, neg;
		while (s[l] && (q || s[l] != ',')) {
			q ^= s[l] == '"';
			l++;
		}
		const struct opt *o = l ? lookup(s, l, &neg) : NULL;
		if (o)
			apply(o, neg, mo);
		else if (l && !(l >= 2 && s[0] == 'x' && s[1] == '-')) {
			if (dl + (dl > 0) + l >= sizeof(mo->data)) {
				r = -1;
			} else {
				if (dl)
					mo->data[dl++] = ',';
				memcpy(mo->data + dl, s, l);
				dl += l;
				mo->data[dl] = 0;
			}
		}
		s += l + (s[l] == ',');
	}
	return r;
}

/* ---- mounting ---- */

/* Per-mount flags a bind mount takes only through a second, remounting call. */
#define PER_MOUNT (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | \
		   MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME | MS_NOSYMFOLLOW)

static int missing(const char *path)
{
	struct stat st;
	return stat(path, &st) < 0 && errno == ENOENT;
}

/* Log why mount(2) failed with errno e; returns -e. */
static int explain(int e, const char *src, const char *dir, const char *type,
		   const struct mountopt *mo)
{
	const char *s = src ? src : "(none)";
	struct stat st;

	switch (e) {
	case ENODEV:
		err("%s on %s: filesystem type '%s' is not supported by this kernel (not in "
		    "/proc/filesystems; maybe its module is not loaded)", s, dir, type);
		break;
	case ENOENT:
		if (missing(dir))
			err("%s on %s: mount point %s does not exist", s, dir, dir);
		else if (src && missing(src)) /* the kernel looks it up as we do */
			err("%s on %s: source %s does not exist", s, dir, src);
		else
			err("%s on %s: no such file or directory (the source, or a path in the "
			    "options)", s, dir);
		break;
	case ENOTDIR:
		err("%s on %s: mount point %s is not a directory (or a component of a path is "
		    "not)", s, dir, dir);
		break;
	case EBUSY:
		err("%s on %s: busy: already mounted there, or the source is in use or mounted "
		    "read-write elsewhere", s, dir);
		break;
	case EPERM:
		err("%s on %s: operation not permitted: mounting needs root (CAP_SYS_ADMIN)",
		    s, dir);
		break;
	case EACCES:
		err("%s on %s: permission denied%s", s, dir,
		    mo->flags & MS_RDONLY ? "" : " (a read-only device? try -r)");
		break;
	case EROFS:
		err("%s on %s: %s is read-only: mount it with -r (-o ro)", s, dir, s);
		break;
	case ENOTBLK:
		err("%s on %s: %s is not a block device, which filesystem type '%s' needs", s,
		    dir, s, type ? type : "?");
		break;
	case ENXIO:
		err("%s on %s: no device behind %s (is its driver loaded?)", s, dir, s);
		break;
	case EINVAL:
		if (mo->flags & MS_REMOUNT)
			err("%s on %s: invalid: %s is not a mount point, or an option cannot change "
			    "on remount (options '%s')", s, dir, dir, mo->data);
		else if (mo->flags & MS_MOVE)
			err("%s on %s: invalid move: %s is not a mount point, or its parent is "
			    "shared", s, dir, s);
		else if (mo->flags & MS_BIND)
			err("%s on %s: invalid bind mount (source unbindable, or in another "
			    "namespace)", s, dir);
		else
			err("%s on %s: invalid: not a '%s' filesystem, a bad superblock, or a bad "
			    "option in '%s' (dmesg says which)%s", s, dir, type ? type : "?",
			    mo->data, src && !stat(src, &st) && S_ISREG(st.st_mode)
			    ? "; the source is a regular file, and loop devices are not supported"
			    : "");
		break;
	default:
		err("%s on %s: %s", s, dir, strerror(e));
	}
	return -e;
}

/* Try each block filesystem the kernel knows; mount(8) without -t, minus blkid. */
static int probe(const char *src, const char *dir, const struct mountopt *mo)
{
	char buf[4096], tried[256] = "";
	size_t tl = 0;
	ssize_t n = -1;
	int fd = open(mountopt_filesystems, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	if (n < 0) {
		err("%s on %s: no filesystem type given (-t) and %s is unreadable (is /proc "
		    "mounted?)", src, dir, mountopt_filesystems);
		return -ENODEV;
	}
	buf[n] = 0;
	for (char *line = buf, *next; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = 0;
		else if (n == (ssize_t)sizeof(buf) - 1)
			break; /* a partial last line of a very long file */
		/* "nodev\tproc" or "\text4" */
		if (!strncmp(line, "nodev", 5))
			continue;
		char *type = line;
		while (*type == ' ' || *type == '\t')
			type++;
		if (!*type)
			continue;
		if (!mountopt_sys_mount(src, dir, type, mo->flags, mo->data[0] ? mo->data : NULL)) {
			dbg("%s on %s: mounted as %s", src, dir, type);
			return 0;
		}
		if (errno != EINVAL)
			return explain(errno, src, dir, type, mo);
		size_t l = strlen(type);
		if (tl + l + 2 < sizeof(tried)) {
			if (tl)
				tried[tl++] = ' ';
			memcpy(tried + tl, type, l + 1);
			tl += l;
		}
	}
	err("%s on %s: no filesystem type recognised it (tried: %s); give -t TYPE", src, dir,
	    tl ? tried : "none, no block filesystem in /proc/filesystems");
	return -EINVAL;
}

int mountopt_mount(const char *src, const char *dir, const char *type,
		   const struct mountopt *mo)
{
	const void *data = mo->data[0] ? mo->data : NULL;
	unsigned long f = mo->flags;
	int r;

	if (type && !*type)
		type = NULL;
	if (src || (f & MS_REMOUNT) || !mo->prop) {
		if (!type && !(f & (MS_BIND | MS_MOVE | MS_REMOUNT))) {
			if (!src) {
				err("(none) on %s: no source given", dir);
				return -EINVAL;
			}
			r = probe(src, dir, mo);
			if (r)
				return r;
		} else if (mountopt_sys_mount(src, dir, type, f, data)) {
			return explain(errno, src, dir, type, mo);
		}
		if ((f & MS_BIND) && !(f & MS_REMOUNT) && (f & PER_MOUNT) &&
		    mountopt_sys_mount(NULL, dir, NULL, MS_REMOUNT | MS_BIND | (f & PER_MOUNT),
				       NULL)) {
			int e = errno;
			err("%s on %s: bound, but applying its flags (ro, nosuid, ...) failed: %s",
			    src ? src : "(none)", dir, strerror(e));
			return -e;
		}
	}
	if (mo->prop && mountopt_sys_mount(NULL, dir, NULL, mo->prop, NULL)) {
		int e = errno;
		if (e == EINVAL)
			err("%s: cannot change propagation: not a mount point", dir);
		else
			err("%s: cannot change propagation: %s", dir, strerror(e));
		return -e;
	}
	return 0;
}
