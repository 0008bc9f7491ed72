// SPDX-License-Identifier: BSD-2-Clause
/* mount: mount a filesystem (core/mountopt.c parses options, mounts and explains
 * failures), or list mounted filesystems. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>
#include "applet.h"
#include "log.h"
#include "mountopt.h"
#include "opt.h"

const char mount_usage[] =
	"Usage: mount [-r|-w] [-v] [-t TYPE] [-o OPTIONS] SOURCE DIR\n"
	"       mount [-o remount,OPTIONS | -o PROPAGATION] DIR\n"
	"       mount                 list mounted filesystems (/proc/mounts)\n"
	"\n"
	"Mount SOURCE (a block device such as /dev/vda, or any name for virtual filesystems\n"
	"like proc, sysfs, tmpfs, devtmpfs) on the existing directory DIR.\n"
	"\n"
	"  -t TYPE     filesystem type (ext4, vfat, tmpfs, proc, ...); without it, every\n"
	"              block filesystem in /proc/filesystems is tried in turn\n"
	"  -o OPTIONS  comma-separated, may be repeated. Flags: ro rw [no]suid [no]dev\n"
	"              [no]exec sync async dirsync [no]atime [no]diratime [no]relatime\n"
	"              [no]strictatime [no]lazytime [no]mand [no]iversion [no]symfollow\n"
	"              silent loud defaults; remount bind rbind move;\n"
	"              PROPAGATION: [r]shared [r]private [r]slave [r]unbindable.\n"
	"              Words only fstab tools use (auto noauto user nouser users owner\n"
	"              group nofail _netdev x-*) are ignored; anything else (mode=0755,\n"
	"              size=1M, ...) is passed to the filesystem\n"
	"  -r          read-only, as -o ro        -w  read-write, as -o rw\n"
	"  --bind, --rbind, --move, --make-[r]shared|private|slave|unbindable\n"
	"              the same as those -o words\n"
	"  -v          verbose\n"
	"\n"
	"A bind mount with ro, nosuid, ... is remounted to apply them, as mount(8) does.\n"
	"A remount sets ro, nosuid, ... anew: repeat the ones to keep.\n"
	"There is no /etc/fstab: SOURCE and DIR are both needed except for remount and\n"
	"propagation changes. Loop devices are not supported.\n"
	"\n"
	"Exit status: 0 mounted, 1 mount failed, 2 bad usage.\n";

static int list(void)
{
	char buf[4096];
	ssize_t n;
	int fd = open("/proc/mounts", O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		err("cannot list mounts: /proc/mounts: %m (no procfs)");
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(1, buf, (size_t)n) != n) {
			err("write: %m");
			close(fd);
			return 1;
		}
	close(fd);
	if (n < 0) {
		err("/proc/mounts: %m");
		return 1;
	}
	return 0;
}

static int add_opts(struct mountopt *mo, const char *opts)
{
	if (mountopt_parse(opts, mo) == 0)
		return 0;
	err("filesystem options too long (more than %d bytes): '%.40s...'",
	    MOUNTOPT_DATA_MAX - 1, mo->data);
	return -1;
}

/* What the arguments ask for; mo is 4 KiB, so the caller keeps it off the stack. */
struct mount_args {
	struct mountopt *mo;
	const char *type, *pos[2];
	int npos, opts_given, verbose;
};

/* Read the arguments into *m: 0, or -1 after logging a usage error. */
static int parse(int argc, char **argv, struct mount_args *m)
{
	struct mountopt *mo = m->mo;
	int options_end = 0;

	memset(mo, 0, sizeof(*mo));
	m->type = NULL;
	m->npos = m->opts_given = m->verbose = 0;
	/* Options may follow SOURCE and DIR, as with util-linux mount. */
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (options_end || a[0] != '-' || !a[1]) {
			if (m->npos == 2) {
				err("too many arguments: '%s' (see mount --help)", a);
				return -1;
			}
			m->pos[m->npos++] = a;
			continue;
		}
		m->opts_given = 1;
		if (a[1] == '-') {
			if (!a[2]) {
				options_end = 1;
			} else if (!strncmp(a, "--make-", 7) && a[7] && !strchr(a, ',')) {
				struct mountopt p = { 0 };
				/* only propagation words are meant here */
				if (mountopt_parse(a + 7, &p) || !p.prop || p.flags || p.data[0]) {
					err("unknown option '%s' (see mount --help)", a);
					return -1;
				}
				mo->prop = p.prop;
			} else if (!strcmp(a, "--bind") || !strcmp(a, "--rbind") ||
				   !strcmp(a, "--move")) {
				if (add_opts(mo, a + 2))
					return -1;
			} else {
				err("unknown option '%s' (see mount --help)", a);
				return -1;
			}
			continue;
		}
		for (char *c = a + 1; *c; c++) {
			if (*c == 't' || *c == 'o') {
				/* the value is the rest of this word, or the next argument */
				char *v = c[1] ? c + 1 : i + 1 < argc ? argv[++i] : NULL;
				if (!v) {
					err("option -%c needs a value (see mount --help)", *c);
					return -1;
				}
				if (*c == 't')
					m->type = v;
				else if (add_opts(mo, v))
					return -1;
				break;
			} else if (*c == 'r') {
				mo->flags |= MS_RDONLY;
			} else if (*c == 'w') {
				mo->flags &= ~(unsigned long)MS_RDONLY;
			} else if (*c == 'v') {
				m->verbose = 1;
			} else {
				err("unknown option '-%c' (see mount --help)", *c);
				return -1;
			}
		}
	}
	if (m->npos == 0 && m->opts_given) {
		err("nothing to mount: SOURCE and DIR are missing (see mount --help)");
		return -1;
	}
	if (m->npos == 1 && !(mo->flags & MS_REMOUNT) && !mo->prop) {
		err("need SOURCE and DIR (there is no /etc/fstab to look '%s' up in)", m->pos[0]);
		return -1;
	}
	return 0;
}

static struct mountopt mo; /* 4 KiB: keep it off the stack */

int mount_check(int argc, char **argv)
{
	struct mount_args m = { .mo = &mo };

	return parse(argc, argv, &m) ? OPT_USAGE : 0;
}

int mount_main(int argc, char **argv)
{
	struct mount_args m = { .mo = &mo };

	log_to_stderr(); /* a command: its errors go to whoever ran it */
	if (parse(argc, argv, &m))
		return OPT_USAGE;
	if (m.verbose)
		log_verbose();
	if (m.npos == 0)
		return list();
	const char *type = m.type, **pos = m.pos;
	int npos = m.npos;
	const char *src = npos == 2 ? pos[0] : NULL, *dir = pos[npos - 1];
	dbg("mount %s on %s type %s flags %#lx propagation %#lx options '%s'",
	    src ? src : "(none)", dir, type ? type : "(any)", mo.flags, mo.prop, mo.data);
	return mountopt_mount(src, dir, type, &mo) ? 1 : 0;
}
