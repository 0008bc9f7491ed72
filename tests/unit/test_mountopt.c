// SPDX-License-Identifier: BSD-2-Clause
/* core/mountopt.c: option parsing, and the mount(2) calls mountopt_mount() makes (with
 * a fake mount recording them) plus its error explanations. Nothing is mounted. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"
#include "log.h"
#include "mountopt.h"

static struct mountopt mo;

static void parse(const char *s)
{
	memset(&mo, 0, sizeof(mo));
	mountopt_parse(s, &mo);
}

TEST(flags_and_data)
{
	parse("ro,nosuid,mode=0755,size=1M");
	CHECK_INT(mo.flags, MS_RDONLY | MS_NOSUID);
	CHECK_STR(mo.data, "mode=0755,size=1M");
	CHECK_INT(mo.prop, 0);

	parse("nodev,noexec,sync,dirsync,noatime,nodiratime,relatime,strictatime,lazytime,"
	      "mand,iversion,nosymfollow,silent");
	CHECK_INT(mo.flags, MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS | MS_DIRSYNC | MS_NOATIME |
		  MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME | MS_LAZYTIME | MS_MANDLOCK |
		  MS_I_VERSION | MS_NOSYMFOLLOW | MS_SILENT);
	CHECK_STR(mo.data, "");

	/* the inverses undo them, in order */
	parse("ro,rw");
	CHECK_INT(mo.flags, 0);
	parse("nosuid,suid,nodev,dev,noexec,exec,sync,async,noatime,atime,nodiratime,diratime,"
	      "relatime,norelatime,strictatime,nostrictatime,lazytime,nolazytime,mand,nomand,"
	      "iversion,noiversion,nosymfollow,symfollow,silent,loud");
	CHECK_INT(mo.flags, 0);
	CHECK_STR(mo.data, "");
	parse("rw,ro");
	CHECK_INT(mo.flags, MS_RDONLY);
}

TEST(defaults_clears)
{
	parse("ro,nosuid,nodev,noexec,sync,noatime,defaults");
	CHECK_INT(mo.flags, MS_NOATIME);
	parse("defaults,ro");
	CHECK_INT(mo.flags, MS_RDONLY);
}

TEST(unknown_to_data_fstab_words_dropped)
{
	parse("foo,bar=1,noauto,auto,nofail,_netdev,user,nouser,users,owner,group,"
	      "x-systemd.automount,uid=0");
	CHECK_INT(mo.flags, 0);
	CHECK_STR(mo.data, "foo,bar=1,uid=0");
	/* "no" + a word without an inverse, or "no" alone, are filesystem options */
	parse("noro,no,nox,nobind,ro=1,RO");
	CHECK_INT(mo.flags, 0);
	CHECK_STR(mo.data, "noro,no,nox,nobind,ro=1,RO");
	parse(",,ro,,");
	CHECK_INT(mo.flags, MS_RDONLY);
	CHECK_STR(mo.data, "");
	parse("");
	CHECK_INT(mo.flags, 0);
	CHECK_STR(mo.data, "");
}

TEST(quoted_commas_stay_in_one_word)
{
	parse("context=\"system_u:object_r:tmp_t:s0:c127,c456\",ro,size=1M");
	CHECK_INT(mo.flags, MS_RDONLY);
	CHECK_STR(mo.data, "context=\"system_u:object_r:tmp_t:s0:c127,c456\",size=1M");
}

TEST(remount_bind_move_propagation)
{
	parse("remount,ro");
	CHECK_INT(mo.flags, MS_REMOUNT | MS_RDONLY);
	parse("bind,ro");
	CHECK_INT(mo.flags, MS_BIND | MS_RDONLY);
	parse("rbind");
	CHECK_INT(mo.flags, MS_BIND | MS_REC);
	parse("remount,bind,nosuid");
	CHECK_INT(mo.flags, MS_REMOUNT | MS_BIND | MS_NOSUID);
	parse("move");
	CHECK_INT(mo.flags, MS_MOVE);

	parse("rprivate");
	CHECK_INT(mo.flags, 0);
	CHECK_INT(mo.prop, MS_PRIVATE | MS_REC);
	parse("private");
	CHECK_INT(mo.prop, MS_PRIVATE);
	parse("shared,slave");
	CHECK_INT(mo.prop, MS_SLAVE);
	parse("rshared");
	CHECK_INT(mo.prop, MS_SHARED | MS_REC);
	parse("rslave");
	CHECK_INT(mo.prop, MS_SLAVE | MS_REC);
	parse("unbindable");
	CHECK_INT(mo.prop, MS_UNBINDABLE);
	parse("runbindable");
	CHECK_INT(mo.prop, MS_UNBINDABLE | MS_REC);
	/* rbind's MS_REC stays in flags; the propagation is not made recursive by it */
	parse("rbind,private");
	CHECK_INT(mo.flags, MS_BIND | MS_REC);
	CHECK_INT(mo.prop, MS_PRIVATE);
}

TEST(accumulates_and_overflows_safely)
{
	char big[5000];

	parse("ro,a=1");
	mountopt_parse("nosuid,b=2", &mo);
	CHECK_INT(mo.flags, MS_RDONLY | MS_NOSUID);
	CHECK_STR(mo.data, "a=1,b=2");

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	memset(&mo, 0, sizeof(mo));
	CHECK_INT(mountopt_parse(big, &mo), -1);
	CHECK_STR(mo.data, "");
	/* words after an oversized one still count (the caller reports the -1) */
	memset(&mo, 0, sizeof(mo));
	memcpy(big, "a=1,", 4);
	memcpy(big + 4500, ",ro,b=2", 8);
	CHECK_INT(mountopt_parse(big, &mo), -1);
	CHECK_INT(mo.flags, MS_RDONLY);
	CHECK_STR(mo.data, "a=1,b=2");

	/* exactly 4095 bytes of data fit */
	memset(&mo, 0, sizeof(mo));
	memset(big, 'y', 4095);
	big[4095] = 0;
	CHECK_INT(mountopt_parse(big, &mo), 0);
	CHECK_INT(strlen(mo.data), 4095);
	CHECK_INT(mountopt_parse("z", &mo), -1);
	CHECK_INT(strlen(mo.data), 4095);
}

/* ---- mountopt_mount with a fake mount(2) ---- */

static struct call {
	char src[64], dir[64], type[32], data[64];
	unsigned long flags;
} calls[8];
static int ncalls;
static int fail_errno[8];	/* errno for call i, 0 = success */

static void cp(char *d, const char *s, size_t n)
{
	snprintf(d, n, "%s", s ? s : "(null)");
}

static int fake_mount(const char *src, const char *dir, const char *type,
		      unsigned long flags, const void *data)
{
	int i = ncalls++;
	if (i < 8) {
		cp(calls[i].src, src, sizeof(calls[i].src));
		cp(calls[i].dir, dir, sizeof(calls[i].dir));
		cp(calls[i].type, type, sizeof(calls[i].type));
		cp(calls[i].data, data, sizeof(calls[i].data));
		calls[i].flags = flags;
		if (fail_errno[i]) {
			errno = fail_errno[i];
			return -1;
		}
	}
	return 0;
}

static char tmp[64];

static const char *tpath(const char *name)
{
	static char buf[4][256];
	static int k;
	char *b = buf[k++ & 3];
	if (!tmp[0]) {
		strcpy(tmp, "/tmp/dvm-test-mountopt.XXXXXX");
		if (!mkdtemp(tmp))
			abort();
		log_to_stderr();
	}
	snprintf(b, 256, "%s/%s", tmp, name);
	return b;
}

__attribute__((destructor)) static void cleanup(void)
{
	if (tmp[0]) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
		if (system(cmd)) {
		}
	}
}

static void reset(const char *opts)
{
	parse(opts);
	memset(calls, 0, sizeof(calls));
	memset(fail_errno, 0, sizeof(fail_errno));
	ncalls = 0;
	mountopt_sys_mount = fake_mount;
	mountopt_filesystems = tpath("filesystems");
	int fd = open(tpath("filesystems"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	const char fs[] = "nodev\tsysfs\nnodev\ttmpfs\n\text4\nnodev\tproc\n\tvfat\n";
	if (fd < 0 || write(fd, fs, sizeof(fs) - 1) < 0)
		abort();
	close(fd);
}

static int run(const char *src, const char *dir, const char *type)
{
	check_capture_start();
	int r = mountopt_mount(src, dir, type, &mo);
	check_capture_end();
	return r;
}


TEST(plain_mount_one_call)
{
	reset("nosuid,mode=0755");
	CHECK_INT(run("tmpfs", "/mnt", "tmpfs"), 0);
	CHECK_INT(ncalls, 1);
	CHECK_STR(calls[0].src, "tmpfs");
	CHECK_STR(calls[0].dir, "/mnt");
	CHECK_STR(calls[0].type, "tmpfs");
	CHECK_INT(calls[0].flags, MS_NOSUID);
	CHECK_STR(calls[0].data, "mode=0755");
	/* no options: data is NULL, not "" */
	reset("");
	CHECK_INT(run("proc", "/proc", "proc"), 0);
	CHECK_STR(calls[0].data, "(null)");
	/* no source for a virtual filesystem is fine when the type is given */
	reset("");
	CHECK_INT(run(NULL, "/sys", "sysfs"), 0);
	CHECK_STR(calls[0].src, "(null)");
}

TEST(bind_with_flags_remounts)
{
	reset("bind,ro,nosuid");
	CHECK_INT(run("/a", "/b", NULL), 0);
	CHECK_INT(ncalls, 2);
	CHECK_STR(calls[0].src, "/a");
	CHECK_INT(calls[0].flags, MS_BIND | MS_RDONLY | MS_NOSUID);
	CHECK_STR(calls[1].src, "(null)");
	CHECK_STR(calls[1].dir, "/b");
	CHECK_INT(calls[1].flags, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID);
	/* without per-mount flags: one call */
	reset("rbind");
	CHECK_INT(run("/a", "/b", NULL), 0);
	CHECK_INT(ncalls, 1);
	CHECK_INT(calls[0].flags, MS_BIND | MS_REC);
	/* remount,bind,ro is already the remount */
	reset("remount,bind,ro");
	CHECK_INT(run(NULL, "/b", NULL), 0);
	CHECK_INT(ncalls, 1);
	CHECK_INT(calls[0].flags, MS_REMOUNT | MS_BIND | MS_RDONLY);
	/* the remount failing is reported */
	reset("bind,ro");
	fail_errno[1] = EPERM;
	CHECK_INT(run("/a", "/b", NULL), -EPERM);
	CHECK_LOG("/a on /b: bound, but applying its flags");
}

TEST(propagation_is_a_separate_call)
{
	reset("private,size=1M");
	CHECK_INT(run("tmpfs", "/t", "tmpfs"), 0);
	CHECK_INT(ncalls, 2);
	CHECK_INT(calls[0].flags, 0);
	CHECK_STR(calls[0].data, "size=1M");
	CHECK_INT(calls[1].flags, MS_PRIVATE);
	CHECK_STR(calls[1].dir, "/t");
	CHECK_STR(calls[1].type, "(null)");
	/* propagation only: no source */
	reset("rshared");
	CHECK_INT(run(NULL, "/", NULL), 0);
	CHECK_INT(ncalls, 1);
	CHECK_INT(calls[0].flags, MS_SHARED | MS_REC);
	/* not a mount point */
	reset("rprivate");
	fail_errno[0] = EINVAL;
	CHECK_INT(run(NULL, "/x", NULL), -EINVAL);
	CHECK_LOG("/x: cannot change propagation: not a mount point");
	/* remount with propagation: both */
	reset("remount,ro,slave");
	CHECK_INT(run(NULL, "/r", NULL), 0);
	CHECK_INT(ncalls, 2);
	CHECK_INT(calls[0].flags, MS_REMOUNT | MS_RDONLY);
	CHECK_INT(calls[1].flags, MS_SLAVE);
}

TEST(probe_without_type)
{
	reset("ro");
	fail_errno[0] = EINVAL;
	CHECK_INT(run("/dev/vda", "/mnt", NULL), 0);
	CHECK_INT(ncalls, 2);
	CHECK_STR(calls[0].type, "ext4");
	CHECK_STR(calls[1].type, "vfat");
	CHECK_INT(calls[1].flags, MS_RDONLY);

	reset("");
	fail_errno[0] = fail_errno[1] = EINVAL;
	CHECK_INT(run("/dev/vda", "/mnt", ""), -EINVAL);
	CHECK_INT(ncalls, 2);
	CHECK_LOG("/dev/vda on /mnt: no filesystem type recognised it (tried: ext4 vfat)");

	/* another error stops the probing and is explained */
	reset("");
	fail_errno[0] = EACCES;
	CHECK_INT(run("/dev/vda", "/mnt", NULL), -EACCES);
	CHECK_INT(ncalls, 1);
	CHECK_LOG("permission denied (a read-only device? try -r)");

	reset("");
	mountopt_filesystems = tpath("nonexistent");
	CHECK_INT(run("/dev/vda", "/mnt", NULL), -ENODEV);
	CHECK_INT(ncalls, 0);
	CHECK_LOG("no filesystem type given (-t)");

	reset("");
	CHECK_INT(run(NULL, "/mnt", NULL), -EINVAL);
	CHECK_INT(ncalls, 0);
	CHECK_LOG("no source given");
}

TEST(errors_explained)
{
	mkdir(tpath("dir"), 0755);

	reset("");
	fail_errno[0] = ENODEV;
	CHECK_INT(run("none", "/mnt", "nosuchfs"), -ENODEV);
	CHECK_LOG("none on /mnt: filesystem type 'nosuchfs' is not supported by this kernel");

	reset("");
	fail_errno[0] = ENOENT;
	run("tmpfs", tpath("missing"), "tmpfs");
	CHECK_LOG("mount point ");
	CHECK_LOG("missing does not exist");

	reset("");
	fail_errno[0] = ENOENT;
	run(tpath("nodev"), tpath("dir"), "ext4");
	CHECK_LOG("source ");
	CHECK_LOG("nodev does not exist");

	reset("");
	fail_errno[0] = EBUSY;
	CHECK_INT(run("/dev/vda", "/mnt", "ext4"), -EBUSY);
	CHECK_LOG("/dev/vda on /mnt: busy");

	reset("");
	fail_errno[0] = EPERM;
	run("/dev/vda", "/mnt", "ext4");
	CHECK_LOG("mounting needs root (CAP_SYS_ADMIN)");

	reset("ro");
	fail_errno[0] = EACCES;
	run("/dev/vda", "/mnt", "ext4");
	CHECK_LOG("permission denied");
	CHECK(!strstr(check_log, "try -r"));

	reset("");
	fail_errno[0] = ENOTBLK;
	run("/etc/passwd", "/mnt", "ext4");
	CHECK_LOG("/etc/passwd is not a block device, which filesystem type 'ext4' needs");

	reset("remount,ro");
	fail_errno[0] = EINVAL;
	run(NULL, "/x", NULL);
	CHECK_LOG("/x is not a mount point, or an option cannot change on remount");

	reset("mode=bogus");
	fail_errno[0] = EINVAL;
	run("tmpfs", "/t", "tmpfs");
	CHECK_LOG("invalid: not a 'tmpfs' filesystem, a bad superblock, or a bad option in "
		  "'mode=bogus'");

	reset("");
	fail_errno[0] = EINVAL;
	run(tpath("filesystems"), "/t", "ext4");
	CHECK_LOG("loop devices are not supported");

	reset("");
	fail_errno[0] = EROFS;
	run("/dev/vda", "/mnt", "ext4");
	CHECK_LOG("/dev/vda is read-only: mount it with -r");

	reset("");
	fail_errno[0] = ELOOP;
	CHECK_INT(run("/dev/vda", "/mnt", "ext4"), -ELOOP);
	CHECK_LOG(strerror(ELOOP));
}
