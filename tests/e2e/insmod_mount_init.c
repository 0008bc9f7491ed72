// SPDX-License-Identifier: BSD-2-Clause
/* Test PID 1 for tests/e2e/insmod_mount.sh: runs dvm's insmod, mount and umount
 * against the real Debian kernel and prints "RESULT label status" after each, then
 * powers off. Kept apart from dvm's init so these applets are tested on their own. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* run(label, applet, args..., NULL): /bin/dvm APPLET ARGS; prints its exit status */
static void run(const char *label, ...)
{
	char *argv[16];
	int n = 0, st = -1;
	va_list ap;

	va_start(ap, label);
	while (n < 15 && (argv[n] = va_arg(ap, char *)))
		n++;
	argv[n] = NULL;
	va_end(ap);
	pid_t p = fork();
	if (p == 0) {
		execv("/bin/dvm", argv);
		_exit(127);
	}
	if (p > 0)
		waitpid(p, &st, 0);
	printf("RESULT %s %d\n", label, WIFEXITED(st) ? WEXITSTATUS(st) : 128);
	fflush(stdout);
}

static void show(const char *label, const char *file)
{
	char b[256];
	int fd = open(file, O_RDONLY), n = fd >= 0 ? (int)read(fd, b, sizeof(b) - 1) : -1;

	b[n > 0 ? n : 0] = 0;
	printf("FILE %s %s\n", label, fd >= 0 ? b : "(absent)");
	fflush(stdout);
	if (fd >= 0)
		close(fd);
}

int main(void)
{
	/* no /dev/console in the archive: make one to talk through */
	mkdir("/dev", 0755);
	if (mount("dev", "/dev", "devtmpfs", 0, NULL) == 0) {
		int fd = open("/dev/console", O_RDWR);
		for (int i = 0; fd >= 0 && i < 3; i++)
			dup2(fd, i);
	}
	run("mount_proc", "mount", "-t", "proc", "proc", "/proc", NULL);
	run("mount_sys", "mount", "-t", "sysfs", "-o", "nosuid,nodev,noexec", "sysfs", "/sys", NULL);
	show("compression", "/sys/module/compression");

	run("vfat_nodep", "insmod", "/lib/modules/vfat.ko", NULL);
	run("fat_gz", "insmod", "-v", "/lib/modules/fat.ko.gz", NULL);
	run("vfat", "insmod", "/lib/modules/vfat.ko", NULL);
	run("vfat_again", "insmod", "/lib/modules/vfat.ko", NULL);
	run("loop_badparam", "insmod", "/lib/modules/loop.ko", "max_loop=abc", NULL);
	run("loop_byname", "insmod", "loop", "max_loop=3", NULL);
	show("max_loop", "/sys/module/loop/parameters/max_loop");
	run("badmagic", "insmod", "/lib/modules/badmagic.ko", NULL);
	run("notelf", "insmod", "/lib/modules/notelf.ko", NULL);
	run("uio_xz", "insmod", "/lib/modules/uio.ko.xz", NULL);

	run("mount_tmp", "mount", "-t", "tmpfs", "-o", "size=1M,mode=0700,nosuid", "tmp", "/tmp", NULL);
	run("remount_ro", "mount", "-o", "remount,ro", "/tmp", NULL);
	run("bind_ro", "mount", "--bind", "-o", "ro,nodev", "/tmp", "/mnt", NULL);
	run("list", "mount", NULL);
	run("nosuchfs", "mount", "-t", "nosuchfs", "x", "/mnt", NULL);
	run("badopt", "mount", "-t", "tmpfs", "-o", "bogus=1", "t", "/mnt", NULL);
	run("umount_mnt", "umount", "/mnt", NULL);
	run("umount_tmp", "umount", "-l", "/tmp", NULL);
	run("umount_again", "umount", "/tmp", NULL);
	run("list2", "mount", NULL);
	printf("DONE\n");
	fflush(stdout);
	reboot(RB_POWER_OFF);
	return 0;
}
