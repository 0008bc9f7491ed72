// SPDX-License-Identifier: BSD-2-Clause
/* QEMU launch and teardown; see qemu.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "dtb.h"
#include "qemu.h"

static const char *qemu_bin(const struct vm_cfg *c)
{
	return c->qemu ? c->qemu : "qemu-system-aarch64";
}

/* Machine, CPU and memory flags. The window backend is a RAM backend for the DTB dump
 * (same layout, nothing mapped) and the shared file for the boot. */
static void machine_args(struct argv *a, const struct vm_cfg *c, int shared)
{
	argv_add(a, "%s", qemu_bin(c));
	argv_add(a, "-M");
	argv_add(a, "virt");
	argv_add(a, "-cpu");
	argv_add(a, "cortex-a57");
	argv_add(a, "-smp");
	argv_add(a, "1");
	argv_add(a, "-m");
	argv_add(a, "%lluK", (unsigned long long)c->ram_kb + (c->win_size >> 10));
	argv_add(a, "-object");
	argv_add(a, "memory-backend-ram,id=m0,size=%uK", c->ram_kb);
	argv_add(a, "-object");
	if (shared)
		argv_add(a, "memory-backend-file,id=m1,size=%lluM,mem-path=%s,share=on",
			 (unsigned long long)c->win_size >> 20, c->win_path);
	else
		argv_add(a, "memory-backend-ram,id=m1,size=%lluM",
			 (unsigned long long)c->win_size >> 20);
	argv_add(a, "-numa");
	argv_add(a, "node,nodeid=0,memdev=m0");
	argv_add(a, "-numa");
	argv_add(a, "node,nodeid=1,memdev=m1");
	argv_add(a, "-display");
	argv_add(a, "none");
	argv_add(a, "-monitor");
	argv_add(a, "none");
	argv_add(a, "-no-reboot");
	/* thread names ("CPU 0/TCG"), so the vCPU's CPU time can be found */
	argv_add(a, "-name");
	argv_add(a, "dvm,debug-threads=on");
}

static void trace_argv(const char *what, struct argv *a)
{
	char line[4096];
	int n = 0;

	if (!verbose)
		return;
	for (int i = 0; i < a->n && n < (int)sizeof(line) - 2; i++)
		n += snprintf(line + n, sizeof(line) - n, "%s%s", i ? " " : "", a->v[i]);
	trace("%s: %s", what, line);
}

const char *status_str(int status)
{
	static char buf[64];

	if (WIFEXITED(status))
		snprintf(buf, sizeof(buf), "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, sizeof(buf), "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, sizeof(buf), "wait status 0x%x", status);
	return buf;
}

/* fork + exec with stdin from in_fd (or /dev/null) and stdout+stderr to out_path. The
 * child dies with us (PR_SET_PDEATHSIG), even if we are SIGKILLed. */
static pid_t spawn(struct argv *a, int in_fd, const char *out_path)
{
	int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	pid_t pid;

	if (out < 0)
		die("cannot create %s: %s", out_path, strerror(errno));
	fflush(0);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		int in = in_fd >= 0 ? in_fd : open("/dev/null", O_RDONLY);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(127);
		signal(SIGPIPE, SIG_DFL);
		if (in < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
			_exit(127);
		execvp(a->v[0], a->v);
		fprintf(stderr, "%s: cannot run %s: %s\n", prog, a->v[0], strerror(errno));
		_exit(127);
	}
	close(out);
	cleanup_pid(pid);
	return pid;
}

void vm_dumpdtb(const struct vm_cfg *c, const char *out)
{
	struct argv a = { 0 };
	char log[300];
	int status;
	pid_t pid;

	machine_args(&a, c, 0);
	argv_add(&a, "-machine");
	argv_add(&a, "dumpdtb=%s", out);
	trace_argv("dumpdtb", &a);
	snprintf(log, sizeof(log), "%s.log", out);
	cleanup_file(log);
	pid = spawn(&a, -1, log);
	argv_free(&a);
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			die("waitpid: %s", strerror(errno));
		if (!deadline_left_ns())
			die("QEMU's DTB dump did not finish before the deadline");
		sleep_us(10000);
	}
	cleanup_forget_pid(pid);
	/* QEMU exits 0 after writing the DTB */
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		int fd = open(log, O_RDONLY | O_CLOEXEC);

		console_tail(fd, 2);
		die("QEMU's DTB dump failed (%s)", status_str(status));
	}
}

const char *vm_console_arg(const char *s)
{
	if (strcmp(s, "ttyAMA0") && strcmp(s, "hvc0"))
		die("--console: '%s' is not ttyAMA0 (PL011) or hvc0 (virtio console)", s);
	return s;
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t file_size(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	off_t len;

	if (fd < 0)
		die("cannot open %s: %s", path, strerror(errno));
	len = lseek(fd, 0, SEEK_END);
	close(fd);
	if (len <= 0)
		die("%s is empty or unreadable", path);
	return (uint64_t)len;
}

/* The arm64 Image header (Documentation/arch/arm64/booting.rst): text_offset at 8,
 * image_size (the kernel's whole footprint, BSS included) at 16, "ARM\x64" at 56. */
static void image_header(const char *path, uint64_t *text_offset, uint64_t *image_size)
{
	uint8_t h[64];
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die("cannot open %s: %s", path, strerror(errno));
	if (pread(fd, h, sizeof(h), 0) != (ssize_t)sizeof(h))
		die("%s: shorter than an arm64 Image header", path);
	close(fd);
	if (memcmp(h + 56, "ARM\x64", 4))
		die("%s: no arm64 Image magic at offset 56 (a compressed vmlinuz? give the raw "
		    "Image)", path);
	*text_offset = le64(h + 8);
	*image_size = le64(h + 16);
	if (*text_offset % PAGE || *text_offset >= (2u << 20))
		die("%s: text_offset 0x%llx is not a multiple of 4 KiB below 2 MiB", path,
		    (unsigned long long)*text_offset);
	if (!*image_size)
		die("%s: image_size is 0 (a kernel before 3.17): its footprint is unknown, so "
		    "the initramfs cannot be placed safely", path);
}

/* Kernel at RAM + 2 MiB + text_offset; the initramfs on the next page above image_size
 * (above the BSS, which the kernel clears); the DTB on the page after it, moved to the
 * next 2 MiB boundary if it would cross one (the kernel maps it in one 2 MiB block). */
static void place(struct vm_images *m, const struct vm_cfg *c, uint32_t dtb_bytes)
{
	uint64_t text_offset, image_size, initrd_bytes = file_size(c->initrd);
	uint64_t ram_end = GUEST_RAM_BASE + ((uint64_t)c->ram_kb << 10);

	image_header(c->kernel, &text_offset, &image_size);
	if (image_size < file_size(c->kernel))
		die("%s: image_size %llu is smaller than the file (%llu bytes)", c->kernel,
		    (unsigned long long)image_size, (unsigned long long)file_size(c->kernel));
	m->kernel = GUEST_RAM_BASE + GUEST_KERNEL_BASE_OFF + text_offset;
	m->kernel_end = m->kernel + image_size;
	m->initrd = round_up(m->kernel_end, PAGE);
	m->initrd_end = m->initrd + initrd_bytes;
	m->dtb = round_up(m->initrd_end, PAGE);
	if ((m->dtb >> 21) != ((m->dtb + dtb_bytes - 1) >> 21))
		m->dtb = round_up(m->dtb, 2u << 20);
	m->dtb_end = m->dtb + dtb_bytes;
	if (m->dtb_end > ram_end)
		die("--ram %u KiB is too small for the boot images: kernel at +%llu KiB with "
		    "image_size %llu KiB, initramfs %llu KiB, DTB %u bytes end at +%llu KiB",
		    c->ram_kb, (unsigned long long)(m->kernel - GUEST_RAM_BASE) >> 10,
		    (unsigned long long)image_size >> 10, (unsigned long long)initrd_bytes >> 10,
		    dtb_bytes, (unsigned long long)(m->dtb_end - GUEST_RAM_BASE + 1023) >> 10);
	trace("images: kernel 0x%llx-0x%llx, initramfs 0x%llx-0x%llx, DTB 0x%llx-0x%llx, RAM "
	      "0x%llx-0x%llx", (unsigned long long)m->kernel, (unsigned long long)m->kernel_end,
	      (unsigned long long)m->initrd, (unsigned long long)m->initrd_end,
	      (unsigned long long)m->dtb, (unsigned long long)m->dtb_end,
	      (unsigned long long)GUEST_RAM_BASE, (unsigned long long)ram_end);
}

/* Rewrite the DTB file for the boot: guest RAM only, /chosen, then place everything
 * (the initramfs addresses are 64-bit cells, so the DTB's size does not depend on them). */
static void finish_dtb(struct vm_images *m, const struct vm_cfg *c, const char *path)
{
	char bootargs[1024];
	void *fdt = dtb_load(path);

	if ((size_t)snprintf(bootargs, sizeof(bootargs), "console=%s panic=-1 sysrq_always_enabled%s%s",
			     c->console ? c->console : "ttyAMA0", c->append ? " " : "",
			     c->append ? c->append : "") >= sizeof(bootargs))
		die("kernel command line longer than %zu bytes", sizeof(bootargs) - 1);
	dtb_set_memory(fdt, GUEST_RAM_BASE, (uint64_t)c->ram_kb << 10);
	if (c->trim_dt) {
		/* the virtio devices: the extra -device arguments and an hvc0 console */
		unsigned nv = c->console && !strcmp(c->console, "hvc0");

		for (int i = 0; i < c->extra.n; i++)
			nv += !strncmp(c->extra.v[i], "virtio-", 7) && strstr(c->extra.v[i], "-device");
		int gone = dtb_trim_virt(fdt, nv);

		msg("device tree: --trim-dt removed %d of QEMU virt's nodes, kept %u virtio-mmio "
		    "transport%s", gone, nv, nv == 1 ? "" : "s");
	}
	dtb_set_chosen(fdt, bootargs, 0, 0);
	place(m, c, dtb_size(fdt));
	dtb_set_chosen(fdt, bootargs, m->initrd, m->initrd_end);
	if (dtb_size(fdt) != m->dtb_end - m->dtb)
		die("device tree: its size changed while placing it");
	dtb_save(fdt, path);
	if (c->save_dtb)
		dtb_save(fdt, c->save_dtb);
	free(fdt);
}

/* The boot stub, as libvmm's guest_start() sets the boot CPU: x0 = DTB, x1..x3 = 0,
 * branch to the kernel. Position-independent (literal loads), written as five 64-bit
 * words by generic loaders: no file to clean up. */
static void stub_args(struct argv *a, const struct vm_images *m)
{
	static const uint32_t code[6] = {
		0x580000c0, /* ldr x0, .+24 (dtb) */
		0xaa1f03e1, /* mov x1, xzr */
		0xaa1f03e2, /* mov x2, xzr */
		0xaa1f03e3, /* mov x3, xzr */
		0x58000084, /* ldr x4, .+16 (entry) */
		0xd61f0080, /* br x4 */
	};
	uint64_t words[5], at = GUEST_RAM_BASE + GUEST_STUB_OFF;

	for (int i = 0; i < 3; i++)
		words[i] = code[2 * i] | (uint64_t)code[2 * i + 1] << 32;
	words[3] = m->dtb;
	words[4] = m->kernel;
	for (int i = 0; i < 5; i++) {
		argv_add(a, "-device");
		argv_add(a, "loader,addr=0x%llx,data=0x%llx,data-len=8",
			 (unsigned long long)(at + 8 * i), (unsigned long long)words[i]);
	}
	argv_add(a, "-device");
	argv_add(a, "loader,addr=0x%llx,cpu-num=0", (unsigned long long)at);
}

void vm_start(struct vm *v, const struct vm_cfg *c, const char *dtb, const char *log,
	      const char *sock)
{
	struct argv a = { 0 };
	int p[2];

	memset(v, 0, sizeof(*v));
	snprintf(v->log, sizeof(v->log), "%s", log);
	snprintf(v->sock, sizeof(v->sock), "%s", sock);
	v->hvc = c->console && !strcmp(c->console, "hvc0");
	finish_dtb(&v->img, c, dtb);
	machine_args(&a, c, 1);
	/* The console: stdio through a mux, so "C-a b" on our pipe sends a BREAK. */
	argv_add(&a, "-chardev");
	argv_add(&a, "stdio,id=con,mux=on,signal=off");
	if (v->hvc) {
		/* one port: the default 31 cost the guest ~8 MiB of RAM */
		argv_add(&a, "-serial");
		argv_add(&a, "none");
		argv_add(&a, "-device");
		argv_add(&a, "virtio-serial-device,max_ports=1");
		argv_add(&a, "-device");
		argv_add(&a, "virtconsole,chardev=con");
	} else {
		argv_add(&a, "-serial");
		argv_add(&a, "chardev:con");
	}
	argv_add(&a, "-accel");
	argv_add(&a, "tcg");
	argv_add(&a, "-qtest");
	argv_add(&a, "unix:%s,server=on,wait=off", sock);
	argv_add(&a, "-qtest-log");
	argv_add(&a, "/dev/null");
	argv_add(&a, "-device");
	argv_add(&a, "loader,file=%s,addr=0x%llx,force-raw=on", c->kernel,
		 (unsigned long long)v->img.kernel);
	argv_add(&a, "-device");
	argv_add(&a, "loader,file=%s,addr=0x%llx,force-raw=on", c->initrd,
		 (unsigned long long)v->img.initrd);
	argv_add(&a, "-device");
	argv_add(&a, "loader,file=%s,addr=0x%llx,force-raw=on", dtb,
		 (unsigned long long)v->img.dtb);
	stub_args(&a, &v->img);
	for (int i = 0; i < c->extra.n; i++)
		argv_add(&a, "%s", c->extra.v[i]);
	trace_argv("boot", &a);
	if (pipe2(p, O_CLOEXEC))
		die("pipe: %s", strerror(errno));
	v->pid = spawn(&a, p[0], log);
	close(p[0]);
	v->log_fd = open(log, O_RDONLY | O_CLOEXEC);
	if (v->log_fd < 0)
		die("cannot open %s: %s", log, strerror(errno));
	v->con_fd = p[1];
	argv_free(&a);
}

void vm_check_ram(struct vm *v, const struct vm_cfg *c)
{
	char line[1024], *p;
	unsigned long avail, total;

	if (!console_find(v->log_fd, "Memory: ", line, sizeof(line)) ||
	    !(p = strstr(line, "Memory: ")) ||
	    sscanf(p, "Memory: %luK/%luK available", &avail, &total) != 2) {
		msg("guest RAM not checked: no 'Memory: ...K/...K available' line on the console "
		    "(a kernel without printk, quiet, or hvc0, which starts after that line)");
		return;
	}
	if (total != (unsigned long)c->ram_kb + (c->zc_bytes >> 10))
		fail("guest RAM", "the kernel counts %lu KiB of RAM, --ram is %u KiB, "
		     "plus %llu KiB of zero-copy data regions (%s)", total, c->ram_kb,
		     (unsigned long long)c->zc_bytes >> 10, p);
	else
		pass("guest RAM", "the kernel counts exactly %u KiB (%luK/%luK available)",
		     c->ram_kb, avail, total);
}

/* Console lines after which the guest cannot serve: the run fails at once. */
static const char *const guest_fatal[] = {
	"Kernel panic - not syncing",
	"Out of memory: Killed process",
	"Attempted to kill init",
};

/* Look at the console's complete lines not looked at yet; die on a fatal one. */
static void scan_console(struct vm *v)
{
	char buf[8192];
	ssize_t n;

	if (v->log_fd < 0)
		return;
	while ((n = pread(v->log_fd, buf, sizeof(buf) - 1, v->scanned)) > 0) {
		char *line = buf, *nl;

		buf[n] = 0;
		while ((nl = memchr(line, '\n', (size_t)(buf + n - line)))) {
			*nl = 0;
			for (size_t i = 0; i < sizeof(guest_fatal) / sizeof(guest_fatal[0]); i++)
				if (strstr(line, guest_fatal[i])) {
					line[strcspn(line, "\r")] = 0;
					die("the guest cannot go on: %s", line);
				}
			line = nl + 1;
		}
		if (line == buf) {
			/* a line longer than the buffer: skip what we have of it */
			v->scanned += n;
			continue;
		}
		v->scanned += line - buf;
		if (n < (ssize_t)sizeof(buf) - 1)
			break;
	}
}

static int reaped(struct vm *v)
{
	if (v->exited || !v->pid)
		return 1;
	if (waitpid(v->pid, &v->status, WNOHANG) == v->pid) {
		v->exited = 1;
		cleanup_forget_pid(v->pid);
		return 1;
	}
	return 0;
}

int vm_alive(struct vm *v)
{
	uint64_t t;

	if (reaped(v))
		return 0;
	t = now_ns();
	if (t - v->scanned_at >= 20000000u) {
		v->scanned_at = t;
		scan_console(v);
	}
	return 1;
}

void vm_stop(struct vm *v)
{
	if (!v->pid)
		return;
	/* reaped(), not vm_alive(): what the guest prints while stopping does not matter */
	if (!reaped(v)) {
		kill(v->pid, SIGTERM);
		for (int i = 0; i < 200 && !reaped(v); i++)
			sleep_us(10000);
		if (!reaped(v)) {
			kill(v->pid, SIGKILL);
			waitpid(v->pid, &v->status, 0);
			v->exited = 1;
			cleanup_forget_pid(v->pid);
		}
	}
	if (v->con_fd >= 0)
		close(v->con_fd);
	v->con_fd = -1;
	v->pid = 0;
}

void vm_sysrq(struct vm *v, char key)
{
	char brk[2] = { 1, 'b' }, ctl_o = 0x0f;

	/* The BREAK (hvc: ^O) arms SysRq for the next character; a short pause keeps the
	 * two apart in the UART's receive path. */
	if (v->hvc ? write(v->con_fd, &ctl_o, 1) != 1 : write(v->con_fd, brk, 2) != 2)
		die("cannot write to the console pipe: %s", strerror(errno));
	sleep_us(50000);
	if (write(v->con_fd, &key, 1) != 1)
		die("cannot write to the console pipe: %s", strerror(errno));
}

void vm_console_write(struct vm *v, const char *text)
{
	size_t n = strlen(text);

	if (memchr(text, 1, n))
		die("console text with C-a, the QEMU mux's escape character");
	if (write(v->con_fd, text, n) != (ssize_t)n)
		die("cannot write to the console pipe: %s", strerror(errno));
}

void console_tail(int log_fd, int fd)
{
	static char buf[6144];
	static const char head[] = "---- console (last lines):\n";
	off_t end, start;
	ssize_t n, i = 0, r;

	if (log_fd < 0)
		return;
	end = lseek(log_fd, 0, SEEK_END);
	start = end > (off_t)sizeof(buf) ? end - (off_t)sizeof(buf) : 0;
	n = pread(log_fd, buf, sizeof(buf), start);
	if (n <= 0)
		return;
	if (start)
		while (i < n && buf[i++] != '\n')
			;
	r = write(fd, head, sizeof(head) - 1);
	while (i < n) {
		ssize_t j = i;

		while (j < n && buf[j] != '\n')
			j++;
		/* indented, so guest lines are never taken for results */
		r = write(fd, "    ", 4);
		r = write(fd, buf + i, (size_t)(j - i));
		r = write(fd, "\n", 1);
		i = j + 1;
	}
	(void)r;
}

/* The console log from its start, as a stream of its own (the log fd stays as it is). */
static FILE *console_open(int log_fd)
{
	int fd = dup(log_fd);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : 0;

	if (!f)
		die("cannot read the console log: %s", strerror(errno));
	rewind(f);
	return f;
}

int console_count(int log_fd, const char *needle)
{
	int n = 0;
	FILE *f;
	char line[1024];

	if (log_fd < 0)
		return 0;
	f = console_open(log_fd);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, needle))
			n++;
	fclose(f);
	return n;
}

int console_find(int log_fd, const char *needle, char *buf, size_t n)
{
	int found = 0;
	FILE *f;

	if (log_fd < 0 || !n)
		return 0;
	f = console_open(log_fd);
	while (!found && fgets(buf, (int)n, f))
		if (strstr(buf, needle)) {
			buf[strcspn(buf, "\r\n")] = 0;
			found = 1;
		}
	fclose(f);
	if (!found)
		buf[0] = 0;
	return found;
}

/* schedstat's first field: time on the CPU in ns (falls back to stat's utime + stime). */
static uint64_t thread_ns(const char *dir)
{
	char path[512], buf[512];
	unsigned long long ns, ut, st;
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/schedstat", dir);
	if ((f = fopen(path, "r"))) {
		ok = fscanf(f, "%llu", &ns) == 1;
		fclose(f);
		if (ok)
			return ns;
	}
	snprintf(path, sizeof(path), "%s/stat", dir);
	if (!(f = fopen(path, "r")))
		return 0;
	ok = fgets(buf, sizeof(buf), f) != 0;
	fclose(f);
	/* fields 14 and 15, after the ")" closing the command name */
	if (!ok || !strrchr(buf, ')') ||
	    sscanf(strrchr(buf, ')') + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
		   &ut, &st) != 2)
		return 0;
	return (ut + st) * (1000000000ull / (unsigned long long)sysconf(_SC_CLK_TCK));
}

/* Call fn(dir, comm, ctx) for each thread of QEMU (dir: /proc/PID/task/TID, comm
 * without its newline) until it returns non-zero, which is returned; 0 otherwise. */
static int each_thread(struct vm *v, int (*fn)(const char *dir, const char *comm, void *ctx),
		       void *ctx)
{
	char dir[64], path[400], comm[64];
	struct dirent *de;
	int r = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/task", (int)v->pid);
	if (!v->pid || !(d = opendir(dir)))
		return 0;
	while (!r && (de = readdir(d))) {
		FILE *f;
		int ok;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/comm", dir, de->d_name);
		if (!(f = fopen(path, "r")))
			continue;
		ok = fgets(comm, sizeof(comm), f) != 0;
		fclose(f);
		if (!ok)
			continue;
		comm[strcspn(comm, "\n")] = 0;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		r = fn(path, comm, ctx);
	}
	closedir(d);
	return r;
}

static int vcpu_ns(const char *dir, const char *comm, void *ctx)
{
	if (strncmp(comm, "CPU 0/", 6))
		return 0;
	*(uint64_t *)ctx = thread_ns(dir);
	return 1;
}

uint64_t vm_vcpu_ns(struct vm *v)
{
	uint64_t ns = 0;

	each_thread(v, vcpu_ns, &ns);
	return ns;
}

struct pin {
	cpu_set_t vcpu, rest;
	int nvcpu, err;
};

static int pin_one(const char *dir, const char *comm, void *ctx)
{
	struct pin *p = ctx;
	int vcpu = !strncmp(comm, "CPU ", 4);
	pid_t tid = (pid_t)atoi(strrchr(dir, '/') + 1);

	if (sched_setaffinity(tid, sizeof(cpu_set_t), vcpu ? &p->vcpu : &p->rest) && errno != ESRCH)
		p->err = errno;
	p->nvcpu += vcpu;
	return 0;
}

int vm_pin(struct vm *v, int *cpu_vcpu, int *cpu_rest)
{
	struct pin p = { .err = 0 };
	cpu_set_t have;
	int c[2], n = 0;

	if (sched_getaffinity(0, sizeof(have), &have))
		return -errno;
	for (int i = 0; i < CPU_SETSIZE && n < 2; i++)
		if (CPU_ISSET(i, &have))
			c[n++] = i;
	if (n < 2)
		return -ERANGE;
	CPU_ZERO(&p.vcpu);
	CPU_ZERO(&p.rest);
	CPU_SET(c[0], &p.vcpu);
	CPU_SET(c[1], &p.rest);
	each_thread(v, pin_one, &p);
	if (!p.err && sched_setaffinity(0, sizeof(cpu_set_t), &p.rest))
		p.err = errno;
	if (p.err)
		return -p.err;
	if (!p.nvcpu)
		return -ENOENT;
	*cpu_vcpu = c[0];
	*cpu_rest = c[1];
	return 0;
}
