// SPDX-License-Identifier: BSD-2-Clause
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

/* The option words: name, kind, MS_* flag(s). */
#define WORDS(X) \
	X(ro, SET, MS_RDONLY) \
	X(rw, CLR, MS_RDONLY) \
	X(suid, INV, MS_NOSUID) \
	X(dev, INV, MS_NODEV) \
	X(exec, INV, MS_NOEXEC) \
	X(sync, SET, MS_SYNCHRONOUS) \
	X(async, CLR, MS_SYNCHRONOUS) \
	X(dirsync, SET, MS_DIRSYNC) \
	X(remount, SET, MS_REMOUNT) \
	X(bind, SET, MS_BIND) \
	X(rbind, SET, MS_BIND | MS_REC) \
	X(move, SET, MS_MOVE) \
	X(atime, INV, MS_NOATIME) \
	X(diratime, INV, MS_NODIRATIME) \
	X(relatime, BOTH, MS_RELATIME) \
	X(strictatime, BOTH, MS_STRICTATIME) \
	X(lazytime, BOTH, MS_LAZYTIME) \
	X(mand, BOTH, MS_MANDLOCK) \
	X(iversion, BOTH, MS_I_VERSION) \
	X(symfollow, INV, MS_NOSYMFOLLOW) \
	X(silent, SET, MS_SILENT) \
	X(loud, CLR, MS_SILENT) \
	X(defaults, CLR, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS) \
	X(shared, PROP, MS_SHARED) \
	X(rshared, PROP, MS_SHARED | MS_REC) \
	X(private, PROP, MS_PRIVATE) \
	X(rprivate, PROP, MS_PRIVATE | MS_REC) \
	X(slave, PROP, MS_SLAVE) \
	X(rslave, PROP, MS_SLAVE | MS_REC) \
	X(unbindable, PROP, MS_UNBINDABLE) \
	X(runbindable, PROP, MS_UNBINDABLE | MS_REC) \
	X(auto, IGN, 0) \
	X(noauto, IGN, 0) \
	X(user, IGN, 0) \
	X(nouser, IGN, 0) \
	X(users, IGN, 0) \
	X(owner, IGN, 0) \
	X(group, IGN, 0) \
	X(nofail, IGN, 0) \
	X(_netdev, IGN, 0)

/* Kept as two compact tables: the names one after the other, NUL-separated, and for
 * each the flags with the kind in the top 4 bits (MS_* flags stay below bit 28). */
#define NAME(n, k, f) #n "\0"
#define FLAGS(n, k, f) (unsigned)(k) << 28 | (f),
static const char names[] = WORDS(NAME);
static const unsigned int words[] = { WORDS(FLAGS) };
#define NWORDS (sizeof(words) / sizeof(words[0]))
#define KIND(w) ((w) >> 28)
#define FLAG(w) ((w) & 0x0fffffffu)
_Static_assert((MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS | MS_REMOUNT |
		MS_MANDLOCK | MS_DIRSYNC | MS_NOSYMFOLLOW | MS_NOATIME | MS_NODIRATIME | MS_BIND |
		MS_MOVE | MS_REC | MS_SILENT | MS_UNBINDABLE | MS_PRIVATE | MS_SLAVE | MS_SHARED |
		MS_RELATIME | MS_I_VERSION | MS_STRICTATIME | MS_LAZYTIME) < 1u << 28,
	       "mount flags overlap the kind bits");

/* The words[] entry for word w (l bytes), or 0 (no entry is 0: every kind but SET is
 * non-zero, and every SET word has a flag). */
static unsigned find(const char *w, size_t l)
{
	const char *n = names;

	for (size_t i = 0; i < NWORDS; i++, n += strlen(n) + 1)
		if (!strncmp(n, w, l) && !n[l])
			return words[i];
	return 0;
}

/* The entry for word w (l bytes), or 0; *neg when it is "no" + an INV/BOTH word. */
static unsigned lookup(const char *w, size_t l, int *neg)
{
	unsigned o = find(w, l);

	*neg = 0;
	if (!o && l > 2 && w[0] == 'n' && w[1] == 'o') {
		o = find(w + 2, l - 2);
		if (KIND(o) != INV && KIND(o) != BOTH)
			o = 0;
		*neg = 1;
	}
	return o;
}

static void apply(unsigned o, int neg, struct mountopt *mo)
{
	unsigned long flag = FLAG(o);

	switch (KIND(o)) {
	case SET:
		mo->flags |= flag;
		break;
	case CLR:
		mo->flags &= ~flag;
		break;
	case INV:
	case BOTH:
		if (neg == (KIND(o) == INV))
			mo->flags |= flag;
		else
			mo->flags &= ~flag;
		break;
	case PROP:
		mo->prop = flag;
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
		unsigned o = l ? lookup(s, l, &neg) : 0;
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

	errno = e; /* for %m */
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
		err("%s on %s: %m", s, dir);
	}
	return -e;
}

/* Try each block filesystem the kernel knows; mount(8) without -t, minus blkid. */
static int probe(const char *src, const char *dir, const struct mountopt *mo)
{
	char buf[4096], tried[256];
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
			err("%s on %s: bound, but applying its flags (ro, nosuid, ...) failed: %m",
			    src ? src : "(none)", dir);
			return -e;
		}
	}
	if (mo->prop && mountopt_sys_mount(NULL, dir, NULL, mo->prop, NULL)) {
		int e = errno;
		if (e == EINVAL)
			err("%s: cannot change propagation: not a mount point", dir);
		else
			err("%s: cannot change propagation: %m", dir);
		return -e;
	}
	return 0;
}
