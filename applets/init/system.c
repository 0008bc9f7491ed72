// SPDX-License-Identifier: BSD-2-Clause
/* What init does to the system itself: the early set-up of a bare initramfs (/dev,
 * /proc, /sys, console, kernel log), the module and mount directives, and the report of
 * the UIO devices that the loaded modules produced. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cmdline.h"
#include "init.h"
#include "initctl.h"
#include "log.h"
#include "modbuiltin.h"
#include "module.h"
#include "mountopt.h"

long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/* Mount a kernel filesystem unless something is mounted on dir already (a kernel with
 * DEVTMPFS_MOUNT, or a test harness): dir on another device than / means it is.
 * 0, or the errno of the failure (ENODEV: the kernel has no such filesystem). */
static int early_mount(const char *type, const char *dir, unsigned long flags,
		       const char *data)
{
	struct stat d, r;

	if (mkdir(dir, 0755) && errno != EEXIST)
		warn("mkdir %s: %m", dir);
	if (!stat(dir, &d) && !stat("/", &r) && d.st_dev != r.st_dev) {
		info("%s already mounted", dir);
		return 0;
	}
	if (mount(type, dir, type, flags, data) && errno != EBUSY) {
		if (errno != ENODEV)
			err("mount %s on %s: %m", type, dir);
		return errno;
	}
	info("mounted %s on %s", type, dir);
	return 0;
}

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, s, strlen(s)) < 0)
		warn("%s: %m", path);
	if (fd >= 0)
		close(fd);
}

/* The kernel sizes kernel.threads-max from RAM (what it manages / 128 KiB, at least 20):
 * in an 8 MiB VM that is about the 20 threads the kernel itself already runs, and init
 * could start no service (fork: EAGAIN). A driver VM runs a handful of processes, so 64
 * is plenty, and a thread costs memory only when it exists. A larger limit (any host's)
 * is left alone. */
#define THREADS_MAX_MIN 64
static void raise_threads_max(void)
{
	char b[24];
	long v;
	ssize_t n;
	int fd = open("/proc/sys/kernel/threads-max", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return;
	n = read(fd, b, sizeof(b) - 1);
	if (n > 0) {
		b[n] = 0;
		v = strtol(b, NULL, 10);
		if (v < THREADS_MAX_MIN) {
			n = snprintf(b, sizeof(b), "%d\n", THREADS_MAX_MIN);
			if (pwrite(fd, b, (size_t)n, 0) == n)
				info("kernel.threads-max %ld (the kernel's default for this RAM) "
				     "raised to %d", v, THREADS_MAX_MIN);
			else
				warn("kernel.threads-max %ld: cannot raise it: %m", v);
		}
	}
	close(fd);
}

/* PATH=/bin for the children. The kernel gives init HOME and TERM but no PATH; done by
 * hand, since setenv() would cost more binary than this whole function. */
static void set_path(void)
{
	static char path[] = "PATH=/bin";
	char **e;
	size_t n = 0;

	for (; environ[n]; n++)
		if (!strncmp(environ[n], "PATH=", 5)) {
			environ[n] = path;
			return;
		}
	e = malloc((n + 2) * sizeof(*e));
	if (!e)
		return;
	memcpy(e, environ, n * sizeof(*e));
	e[n] = path;
	e[n + 1] = NULL;
	environ = e;
}

/* fd 0-2 on the console: /dev/console, or the console= device of the kernel command
 * line (hvc0 when the virtio console registers after the kernel looked for one). */
static int open_console(void)
{
	char dev[64] = "/dev/";
	int c = open("/dev/console", O_RDWR | O_NOCTTY);

	if (c < 0 && cmdline_get(cmdline_read(), "console", dev + 5, sizeof(dev) - 5) == 1) {
		dev[strcspn(dev, ",")] = 0;	/* ttyAMA0,115200 */
		c = open(dev, O_RDWR | O_NOCTTY);
	}
	return c < 0 ? open("/dev/null", O_RDWR) : c;
}

void system_setup(void)
{
	int dev = early_mount("devtmpfs", "/dev", MS_NOSUID, "mode=0755"), proc, sys;

	log_reopen();
	proc = early_mount("proc", "/proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	/* Without this the kernel keeps ~10 lines per 5 s from userspace and drops the
	 * rest, our boot messages included. */
	if (!proc) {
		write_file("/proc/sys/kernel/printk_devkmsg", "on\n");
		raise_threads_max();
	}
	sys = early_mount("sysfs", "/sys", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);

	/* The kernel gives init the console as fds 0-2 when /dev/console existed in the
	 * initramfs; otherwise open it now that devtmpfs has it. /dev/console never
	 * becomes a controlling terminal, so ^C on it cannot reach init. */
	for (int fd = 0; fd < 3; fd++) {
		struct stat st;
		if (!fstat(fd, &st))
			continue;
		int c = open_console();
		if (c < 0)
			break;
		if (c != fd) {
			dup2(c, fd);
			close(c);
		}
	}
	/* ctrl-alt-del then arrives as SIGINT instead of an immediate reboot (EINVAL in a
	 * PID namespace, where it does not apply). */
	if (reboot(RB_DISABLE_CAD) && errno != EINVAL)
		warn("cannot disable ctrl-alt-del: %m");
	setsid();
	umask(022);
	if (chdir("/"))
		warn("chdir /: %m");
	set_path();
	/* What a lean kernel lacks, said once now that the console is there. */
	if (dev)
		warn("no devtmpfs (%s): /dev is the initramfs's own", strerror(dev));
	if (!log_reopen())
		info("no /dev/kmsg (kernel without PRINTK?): logging to the console");
	if (proc)
		warn("no /proc (%s): no killall, no mount list",
		     proc == ENODEV ? "kernel without PROC_FS" : strerror(proc));
	if (sys)
		err("no /sys (%s): no UIO device can be found", strerror(sys));
	initctl_mark();
}

struct builtin_ctx {
	const char *name;
	char have[1024];	/* NAME.PARAM= words of the command line, as PARAM=VALUE */
};

/* A config parameter of a built-in module: the kernel took its parameters from the
 * command line at boot, and nothing can set them now. Say whether it is there. */
static int builtin_param(const char *key, const char *val, void *p)
{
	struct builtin_ctx *b = p;
	char v[512];
	int f = cmdline_get(b->have, key, v, sizeof(v));
	const char *eq = val ? "=" : "", *vs = val ? val : "";

	if (val ? f == 1 && !strcmp(v, val) : f == 2)
		info("module %s: built in; %s.%s%s%s is on the kernel command line", b->name,
		     b->name, key, eq, vs);
	else
		warn("module %s is built in: %s%s%s must be on the kernel command line as "
		     "%s.%s%s%s, which %s", b->name, key, eq, vs, b->name, key, eq, vs,
		     f ? "sets it differently" : "lacks it");
	return 0;
}

/* Load one module: a name found in MODULES_DIR, or a path. params from the config (or
 * none, for a dependency) plus NAME.param=value words of the kernel command line, since
 * the kernel applies those only to modules it loads itself. */
static int load_one(const char *mod, char *params, size_t size, const char *cmdline)
{
	char path[512], name[MODULE_NAME_MAX];
	int r;

	module_name(mod, name, sizeof(name));
	r = module_find(MODULES_DIR, mod, path, sizeof(path));
	if (r) {
		if (module_builtin(MODULES_DIR, name) == 1) {
			struct builtin_ctx b = { name, "" };
			info("module %s: built into the kernel (%s/modules.builtin)", name,
			     MODULES_DIR);
			cmdline_module_params(cmdline, name, b.have, sizeof(b.have));
			cmdline_foreach(params, builtin_param, &b);
			return 0;
		}
		snprintf(path, sizeof(path), "/sys/module/%s", name);
		if (!access(path, F_OK)) {
			info("module %s: no file in %s; built into the kernel or already loaded",
			     name, MODULES_DIR);
			if (*params)
				warn("module %s: parameters '%s' not applied (for a built-in "
				     "module: %s.PARAM=VALUE on the kernel command line)", name,
				     params, name);
			return 0;
		}
		err("module %s: not found in %s (expected %s.ko) nor built in", name,
		    MODULES_DIR, name);
		return r;
	}
	if (cmdline_module_params(cmdline, name, params, size) < 0) {
		err("module %s: parameters too long", name);
		return -E2BIG;
	}
	r = module_load(path, params);
	if (!r)
		info("loaded %s%s%s", name, *params ? " " : "", params);
	return r == -EEXIST ? 0 : r;
}

static int load_dep(const char *dep, void *ctx)
{
	char path[256], params[1024];

	/* a dependency loaded by an earlier line, or built in: nothing to do */
	snprintf(path, sizeof(path), "/sys/module/%s", dep);
	if (!access(path, F_OK))
		return 0;
	params[0] = 0;
	if (load_one(dep, params, sizeof(params), ctx))
		warn("dependency %s failed; loading the module anyway", dep);
	return 0;
}

void load_module(const struct entry *e, const char *cmdline)
{
	char params[2048];
	size_t len = 0;

	params[0] = 0; /* not = "", which clears all 2 KiB */

	/* config words, values with blanks re-quoted the way the kernel splits them */
	for (int i = 1; i < e->argc; i++) {
		const char *w = e->argv[i], *eq = strchr(w, '=');
		int q = eq && strpbrk(eq, " \t");
		int n = snprintf(params + len, sizeof(params) - len, q ? "%s%.*s\"%s\"" :
				 "%s%.*s%s", len ? " " : "", (int)(eq ? eq + 1 - w : 0), w,
				 eq ? eq + 1 : w);
		if (n < 0 || (size_t)n >= sizeof(params) - len) {
			err("module %s: parameters too long", e->name);
			return;
		}
		len += n;
	}
	int r = module_deps(MODULES_DIR, e->name, load_dep, (void *)cmdline);
	if (r < 0)
		warn("module %s: cannot read dependencies: %s", e->name, strerror(-r));
	load_one(e->argv[0], params, sizeof(params), cmdline);
}

static void mkdir_p(char *dir)
{
	for (char *p = dir + 1;; p++) {
		if (*p && *p != '/')
			continue;
		char c = *p;
		*p = 0;
		if (mkdir(dir, 0755) && errno != EEXIST)
			warn("mkdir %s: %m", dir);
		*p = c;
		if (!c)
			return;
	}
}

void do_mount(const struct entry *e)
{
	struct mountopt mo;
	char dir[512];
	const char *type = e->argv[0];

	memset(&mo, 0, sizeof(mo));
	if (e->argc > 3 && mountopt_parse(e->argv[3], &mo)) {
		err("mount %s: options too long", e->argv[2]);
		return;
	}
	snprintf(dir, sizeof(dir), "%s", e->argv[2]);
	mkdir_p(dir);
	if (!strcmp(type, "auto"))
		type = NULL;
	if (!mountopt_mount(e->argv[1], e->argv[2], type, &mo))
		info("mounted %s on %s", e->argv[1], e->argv[2]);
}

/* Count the entries of dir whose names start with prefix; -1 if dir cannot be read. */
static int count_dir(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += !strncmp(de->d_name, prefix, strlen(prefix));
	closedir(d);
	return n;
}

void uio_report(void)
{
	DIR *d = opendir("/sys/class/uio");
	struct dirent *de;
	int found = 0;

	while (d && (de = readdir(d))) {
		char path[300], name[64] = "?";
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/uio/%s/name", de->d_name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			ssize_t n = read(fd, name, sizeof(name) - 1);
			close(fd);
			name[n > 0 ? n : 0] = 0;
			name[strcspn(name, "\n")] = 0;
		}
		snprintf(path, sizeof(path), "/sys/class/uio/%s/maps", de->d_name);
		int maps = count_dir(path, "map");
		info("%s: %s (%d map%s)", de->d_name, name, maps < 0 ? 0 : maps,
		     maps == 1 ? "" : "s");
		found++;
	}
	if (d)
		closedir(d);
	if (!found)
		info("no UIO devices (device tree nodes need compatible = \"generic-uio\" and "
		     "uio_pdrv_genirq loaded with of_id=generic-uio)");
}
