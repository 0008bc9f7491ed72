/* QEMU launch and teardown; see qemu.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
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
	argv_add(a, "%lluM", (unsigned long long)c->ram_mb + (c->win_size >> 20));
	argv_add(a, "-object");
	argv_add(a, "memory-backend-ram,id=m0,size=%uM", c->ram_mb);
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

void vm_start(struct vm *v, const struct vm_cfg *c, const char *dtb, const char *log,
	      const char *sock)
{
	struct argv a = { 0 };
	int p[2];

	memset(v, 0, sizeof(*v));
	snprintf(v->log, sizeof(v->log), "%s", log);
	snprintf(v->sock, sizeof(v->sock), "%s", sock);
	machine_args(&a, c, 1);
	/* The console: stdio through a mux, so "C-a b" on our pipe sends a BREAK. */
	argv_add(&a, "-chardev");
	argv_add(&a, "stdio,id=con,mux=on,signal=off");
	argv_add(&a, "-serial");
	argv_add(&a, "chardev:con");
	argv_add(&a, "-accel");
	argv_add(&a, "tcg");
	argv_add(&a, "-qtest");
	argv_add(&a, "unix:%s,server=on,wait=off", sock);
	argv_add(&a, "-qtest-log");
	argv_add(&a, "/dev/null");
	argv_add(&a, "-kernel");
	argv_add(&a, "%s", c->kernel);
	argv_add(&a, "-initrd");
	argv_add(&a, "%s", c->initrd);
	argv_add(&a, "-append");
	argv_add(&a, "%s", c->append);
	argv_add(&a, "-dtb");
	argv_add(&a, "%s", dtb);
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

int vm_alive(struct vm *v)
{
	pid_t r;

	if (v->exited || !v->pid)
		return 0;
	r = waitpid(v->pid, &v->status, WNOHANG);
	if (r == v->pid) {
		v->exited = 1;
		cleanup_forget_pid(v->pid);
		return 0;
	}
	return 1;
}

void vm_stop(struct vm *v)
{
	if (!v->pid)
		return;
	if (vm_alive(v)) {
		kill(v->pid, SIGTERM);
		for (int i = 0; i < 200 && vm_alive(v); i++)
			sleep_us(10000);
		if (vm_alive(v)) {
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
	char brk[2] = { 1, 'b' };

	/* The BREAK arms SysRq for the next character; a short pause keeps the two apart
	 * in the UART's receive path. */
	if (write(v->con_fd, brk, 2) != 2)
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

int console_count(int log_fd, const char *needle)
{
	int fd, n = 0;
	FILE *f;
	char line[1024];

	if (log_fd < 0)
		return 0;
	fd = dup(log_fd);
	f = fd >= 0 ? fdopen(fd, "r") : 0;
	if (!f)
		die("cannot read the console log: %s", strerror(errno));
	rewind(f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, needle))
			n++;
	fclose(f);
	return n;
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

uint64_t vm_vcpu_ns(struct vm *v)
{
	char dir[64], path[400], comm[64];
	struct dirent *de;
	uint64_t ns = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/task", (int)v->pid);
	if (!v->pid || !(d = opendir(dir)))
		return 0;
	while ((de = readdir(d))) {
		FILE *f;
		int ok;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/comm", dir, de->d_name);
		if (!(f = fopen(path, "r")))
			continue;
		ok = fgets(comm, sizeof(comm), f) && !strncmp(comm, "CPU 0/", 6);
		fclose(f);
		if (ok) {
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			ns = thread_ns(path);
			break;
		}
	}
	closedir(d);
	return ns;
}
