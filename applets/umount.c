// SPDX-License-Identifier: BSD-2-Clause
/* umount: unmount the filesystems mounted on each DIR, explaining failures. */
#include <errno.h>
#include <string.h>
#include <sys/mount.h>
#include "applet.h"
#include "log.h"
#include "opt.h"

const char umount_usage[] =
	"Usage: umount [-l] [-f] [-v] DIR...\n"
	"\n"
	"Unmount the filesystem mounted on each DIR (a mount point, not a device).\n"
	"\n"
	"  -l  lazy: detach it now, and let the kernel clean up once it is no longer busy\n"
	"  -f  force (only some filesystems, such as NFS, honour it)\n"
	"  -v  verbose: report each unmount\n"
	"\n"
	"Exit status: 0 all unmounted, 1 any failed, 2 bad usage.\n";

static void explain(const char *dir, int e)
{
	errno = e; /* for %m */
	switch (e) {
	case EINVAL:
		err("%s: not a mount point", dir);
		break;
	case EBUSY:
		err("%s: busy (open files, a working directory, or a mount inside it); -l "
		    "detaches it lazily", dir);
		break;
	case ENOENT:
		err("%s: no such file or directory", dir);
		break;
	case EPERM:
		err("%s: operation not permitted: unmounting needs root (CAP_SYS_ADMIN)", dir);
		break;
	default:
		err("%s: %m", dir);
	}
}

/* The options: the index of the first DIR, with umount2 flags in *flags (and
 * *verbose); -1 after logging a usage error. */
static int parse(int argc, char **argv, int *flags, int *verbose)
{
	int i = 1;

	*flags = *verbose = 0;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		for (const char *c = argv[i] + 1; *c; c++) {
			if (*c == 'l')
				*flags |= MNT_DETACH;
			else if (*c == 'f')
				*flags |= MNT_FORCE;
			else if (*c == 'v')
				*verbose = 1;
			else {
				err("unknown option '-%c' (see umount --help)", *c);
				return -1;
			}
		}
	}
	if (i >= argc) {
		err("no mount point given (see umount --help)");
		return -1;
	}
	return i;
}

int umount_check(int argc, char **argv)
{
	int f, v;

	return parse(argc, argv, &f, &v) < 0 ? OPT_USAGE : 0;
}

int umount_main(int argc, char **argv)
{
	int flags, i, failed = 0, verbose;

	log_to_stderr(); /* a command: its errors go to whoever ran it */
	i = parse(argc, argv, &flags, &verbose);
	if (i < 0)
		return OPT_USAGE;
	if (verbose)
		log_verbose();
	for (; i < argc; i++) {
		if (umount2(argv[i], flags) < 0) {
			explain(argv[i], errno);
			failed = 1;
		} else {
			dbg("%s: unmounted", argv[i]);
		}
	}
	return failed;
}
