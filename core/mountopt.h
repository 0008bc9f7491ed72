/* SPDX-License-Identifier: BSD-2-Clause */
/* Mount options and mounting the way mount(8) does, shared by the mount applet and
 * init (whose config can mount filesystems). */
#ifndef DVM_MOUNTOPT_H
#define DVM_MOUNTOPT_H
#include <stddef.h>

/* The kernel copies at most a page of option data. */
#define MOUNTOPT_DATA_MAX 4096

struct mountopt {
	unsigned long flags;		/* MS_* for mount(2) */
	unsigned long prop;		/* MS_SHARED/PRIVATE/SLAVE/UNBINDABLE [|MS_REC], or 0 */
	char data[MOUNTOPT_DATA_MAX];	/* the filesystem's own options, comma-separated */
};

/* Parse "ro,nosuid,mode=0755,size=1M" into mo, on top of what mo already holds (so
 * several -o accumulate; start from a zeroed struct). Flag words set or clear MS_* bits
 * (ro rw suid nosuid dev nodev exec noexec sync async dirsync remount bind rbind move
 * atime noatime diratime nodiratime relatime norelatime strictatime nostrictatime
 * lazytime nolazytime mand nomand iversion noiversion symfollow nosymfollow silent loud,
 * defaults = rw,suid,dev,exec,async); [r]shared [r]private [r]slave [r]unbindable set
 * the propagation, the last one winning; words only fstab tools care about (auto noauto
 * user nouser users owner group nofail _netdev x-*) are dropped; anything else goes to
 * data. Empty words are skipped. Returns 0, or -1 when data would exceed
 * MOUNTOPT_DATA_MAX - 1 bytes (mo->data then holds what fit). */
int mountopt_parse(const char *opts, struct mountopt *mo);

/* Mount like mount(8): mount(2) with mo->flags and mo->data; then, for a bind mount
 * with per-mount flags (ro, nosuid, ...), the remount that applies them (the kernel
 * ignores them when binding); then the propagation change, a call of its own. With
 * src NULL and no remount, only the propagation changes. With type NULL or "" and no
 * bind, move or remount, each type in /proc/filesystems not marked nodev is tried in
 * turn, as long as the kernel answers EINVAL (wrong type). A remount sets the per-mount
 * flags to exactly mo->flags (nothing is merged from the current mount). Returns 0, or
 * -errno after logging an explanation naming the source, directory, type and options. */
int mountopt_mount(const char *src, const char *dir, const char *type,
		   const struct mountopt *mo);

#ifdef DVM_UNIT_TEST
/* Test hooks: mount(2) (returns -1 with errno set), and the /proc/filesystems path. */
extern int (*mountopt_sys_mount)(const char *src, const char *dir, const char *type,
				 unsigned long flags, const void *data);
extern const char *mountopt_filesystems;
#endif

#endif
