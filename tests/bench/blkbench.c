// SPDX-License-Identifier: BSD-2-Clause
/* blkbench: the guest half of `make bench` (not part of dvm). It measures the access
 * patterns vmm-sim also runs through the sDDF path, issued directly to the block device
 * inside the driver VM with O_DIRECT and io_uring at the pattern's queue depth.
 *
 * dvm's init only runs dvm applets, so blkbench is started by the kernel instead
 * (rdinit=/bin/blkbench, PID 1): it forks, and the parent execs /init (dvm's init, still
 * PID 1), which sets the driver VM up as usual. The child waits for the device to appear,
 * prints the guest's state that bears on the figures (the Meltdown mitigation, i.e.
 * KPTI, and the kernel command line: "blkbench: guest meltdown='...' cmdline='...'"),
 * fills every pattern's buffers (so no page is first touched while timed), prints
 * "blkbench: ready" and serves commands read from the console (its stdin), one per line:
 *     blkbench NAME [OPS [SEQ]]  run pattern NAME once (OPS requests instead of the
 *                                pattern's) and print its result line
 *     blkbench cpu SEQ           print "blkbench-disk SEQ: " and the device's sysfs stat
 *                                line (requests, merges), then "blkbench-cpu SEQ: " and
 *                                the /proc/stat "cpu" line
 *     blkbench driver null|real  stop the running uio_blk (SIGTERM: it answers what it
 *                                holds and exits) and start it again with the same
 *                                arguments, from /bin/dvm-bench with --null-device added
 *                                (null) or from dvm itself (real); prints
 *                                "blkbench: driver MODE pid N" once it is started
 * so the simulator can interleave direct, sDDF and null-device runs of the same pattern
 * (the driver idle during direct runs). /etc/blkbench.conf names the device and the
 * patterns:
 *     device /dev/vda
 *     pattern NAME:BS:QD:KIND:OPS      KIND r = random read, s = sequential read,
 *                                      w = sequential write
 * Result: "blkbench: NAME bs=BS qd=QD kind=KIND ops=OPS usec=MICROSECONDS cpu_us=BUSY
 * seq=SEQ", BUSY being the guest's non-idle CPU time meanwhile (/proc/stat, 10 ms ticks;
 * the simulator measures the CPU time of both sides on QEMU's vCPU thread instead). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <linux/fs.h>
#include <linux/io_uring.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_QD 256

static void die(const char *fmt, const char *a, int e)
{
	fprintf(stderr, "blkbench: ");
	fprintf(stderr, fmt, a);
	if (e)
		fprintf(stderr, ": %s", strerror(e));
	fprintf(stderr, "\n");
	exit(1);
}

/* ---- io_uring ------------------------------------------------------------------------ */

struct ring {
	int fd;
	unsigned *sq_head, *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
	unsigned sq_local;
};

static void ring_init(struct ring *r, unsigned entries)
{
	struct io_uring_params p;
	char *sq, *cq;
	size_t sl, cl;

	memset(&p, 0, sizeof(p));
	r->fd = (int)syscall(SYS_io_uring_setup, entries, &p);
	if (r->fd < 0)
		die("io_uring_setup%s", "", errno);
	sl = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	cl = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP)
		sl = cl = sl > cl ? sl : cl;
	sq = mmap(0, sl, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	cq = p.features & IORING_FEAT_SINGLE_MMAP ? sq :
		mmap(0, cl, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_CQ_RING);
	r->sqes = mmap(0, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || r->sqes == MAP_FAILED)
		die("io_uring mmap%s", "", errno);
	r->sq_head = (unsigned *)(sq + p.sq_off.head);
	r->sq_tail = (unsigned *)(sq + p.sq_off.tail);
	r->sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned *)(sq + p.sq_off.array);
	r->cq_head = (unsigned *)(cq + p.cq_off.head);
	r->cq_tail = (unsigned *)(cq + p.cq_off.tail);
	r->cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	r->sq_local = *r->sq_tail;
}

static struct io_uring_sqe *ring_sqe(struct ring *r)
{
	unsigned i = r->sq_local & *r->sq_mask;
	struct io_uring_sqe *e = &r->sqes[i];

	memset(e, 0, sizeof(*e));
	r->sq_array[i] = i;
	r->sq_local++;
	return e;
}

static void ring_enter(struct ring *r, unsigned wait)
{
	unsigned submit;

	__atomic_store_n(r->sq_tail, r->sq_local, __ATOMIC_RELEASE);
	submit = r->sq_local - __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE);
	while (syscall(SYS_io_uring_enter, r->fd, submit, wait, IORING_ENTER_GETEVENTS, 0, 0) < 0)
		if (errno != EINTR)
			die("io_uring_enter%s", "", errno);
}

/* Non-idle CPU time of the whole guest so far, in microseconds (/proc/stat "cpu" line:
 * everything but idle and iowait). */
static unsigned long long busy_us(void)
{
	unsigned long long v[10] = { 0 }, sum = 0;
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return 0;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
		   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]);
	fclose(f);
	for (int i = 0; i < n; i++)
		if (i != 3 && i != 4)
			sum += v[i];
	return sum * (1000000ull / (unsigned long long)sysconf(_SC_CLK_TCK));
}

/* ---- patterns ------------------------------------------------------------------------ */

struct pattern {
	char name[32];
	unsigned bs, qd;
	char kind;
	unsigned long long ops;
	uint8_t *buf;   /* qd buffers of bs bytes, filled before any run */
};

static uint64_t rnd = 0x9e3779b97f4a7c15ull;

static uint64_t next_rnd(void)
{
	rnd ^= rnd >> 12;
	rnd ^= rnd << 25;
	rnd ^= rnd >> 27;
	return rnd * 0x2545f4914f6cdd1dull;
}

static void fill(struct pattern *p)
{
	p->buf = mmap(0, (size_t)p->qd * p->bs, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p->buf == MAP_FAILED)
		die("out of memory for %s", p->name, errno);
	for (size_t i = 0; i < (size_t)p->qd * p->bs; i += 8) {
		uint64_t x = next_rnd();
		memcpy(p->buf + i, &x, 8);
	}
}

static void run(int fd, uint64_t size, const struct pattern *p, unsigned long long ops,
		unsigned seq_no)
{
	static struct ring r;
	static int ready;
	uint64_t blocks = size / p->bs, seq = 0;
	unsigned long long submitted = 0, done = 0, sleeps = 0;
	unsigned inflight = 0, nfree = p->qd, free_slot[MAX_QD];
	struct timespec t0, t1;
	unsigned long long cpu0;
	uint8_t *buf = p->buf;

	if (!ready) {
		ring_init(&r, MAX_QD);
		ready = 1;
	}
	for (unsigned i = 0; i < p->qd; i++)
		free_slot[i] = i;
	cpu0 = busy_us();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (done < ops) {
		struct io_uring_cqe *c;

		while (inflight < p->qd && submitted < ops) {
			struct io_uring_sqe *e = ring_sqe(&r);
			unsigned slot = free_slot[--nfree];
			uint64_t blk = p->kind == 'r' ? next_rnd() % blocks : seq++ % blocks;

			e->opcode = p->kind == 'w' ? IORING_OP_WRITE : IORING_OP_READ;
			e->fd = fd;
			e->addr = (uintptr_t)(buf + (size_t)slot * p->bs);
			e->len = p->bs;
			e->off = blk * p->bs;
			e->user_data = slot;
			inflight++;
			submitted++;
		}
		/* a wait that finds nothing ready sleeps: counted, the batching in the line */
		sleeps += *r.cq_head == __atomic_load_n(r.cq_tail, __ATOMIC_ACQUIRE);
		ring_enter(&r, 1);
		while (*r.cq_head != __atomic_load_n(r.cq_tail, __ATOMIC_ACQUIRE)) {
			c = &r.cqes[*r.cq_head & *r.cq_mask];
			if (c->res != (int)p->bs)
				die("%s: short or failed I/O", p->name, c->res < 0 ? -c->res : 0);
			free_slot[nfree++] = (unsigned)c->user_data;
			__atomic_store_n(r.cq_head, *r.cq_head + 1, __ATOMIC_RELEASE);
			inflight--;
			done++;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("blkbench: %s bs=%u qd=%u kind=%c ops=%llu usec=%llu cpu_us=%llu sleeps=%llu "
	       "seq=%u\n", p->name, p->bs, p->qd, p->kind, ops,
	       (unsigned long long)((t1.tv_sec - t0.tv_sec) * 1000000ll +
				    (t1.tv_nsec - t0.tv_nsec) / 1000),
	       busy_us() - cpu0, sleeps, seq_no);
	fflush(stdout);
}

/* ---- the driver: stop it, start it again as the real or the null device ---------- */

static char *drv_argv[64];   /* the uio_blk command line init started */
static pid_t drv_pid;        /* the running uio_blk, once known */
static int drv_ours;         /* started by us (we reap it), not by init */

/* /proc/PID/WHAT into buf (NUL-terminated); its length, or -1 when unreadable. */
static long read_proc(const char *pid, const char *what, char *buf, size_t size)
{
	char path[64];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%.20s/%s", pid, what);
	if (!(f = fopen(path, "r")))
		return -1;
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = 0;
	return (long)n;
}

/* The uio_blk that init started: its pid (0 when none); its command line is kept. */
static pid_t find_driver(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t pid = 0;

	while (d && !pid && (de = readdir(d))) {
		char buf[4096];
		long n;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		if (read_proc(de->d_name, "comm", buf, sizeof(buf)) < 0 || strcmp(buf, "uio_blk\n"))
			continue;
		if ((n = read_proc(de->d_name, "cmdline", buf, sizeof(buf))) < 0)
			continue;
		if (!drv_argv[0]) {
			int k = 0;

			for (long i = 0; i < n && k < 62; i += (long)strlen(buf + i) + 1)
				drv_argv[k++] = strdup(buf + i);
			drv_argv[k] = 0;
		}
		pid = (pid_t)atoi(de->d_name);
	}
	if (d)
		closedir(d);
	return pid;
}

/* SIGTERM the running driver and wait (20 s at most) until it is gone. */
static int stop_driver(void)
{
	if (!drv_pid)
		drv_pid = find_driver();
	if (!drv_pid) {
		printf("blkbench: no uio_blk running\n");
		return -1;
	}
	kill(drv_pid, SIGTERM);
	for (int i = 0; i < 2000; i++) {
		if (drv_ours ? waitpid(drv_pid, 0, WNOHANG) == drv_pid : kill(drv_pid, 0) < 0) {
			drv_pid = 0;
			return 0;
		}
		usleep(10000);
	}
	printf("blkbench: uio_blk (pid %d) did not stop within 20 s\n", (int)drv_pid);
	return -1;
}

static void switch_driver(const char *mode)
{
	char *argv[66];
	int k = 0, null = !strcmp(mode, "null");
	pid_t pid;

	if (!null && strcmp(mode, "real")) {
		printf("blkbench: driver %s: not null or real\n", mode);
		return;
	}
	if (stop_driver())
		return;
	for (; drv_argv[k]; k++)
		argv[k] = drv_argv[k];
	if (null)
		argv[k++] = "--null-device";
	argv[k] = 0;
	pid = fork();
	if (pid == 0) {
		setsid();
		/* dvm picks the applet from argv[0] ("uio_blk"); PID 1 is dvm's init */
		execv(null ? "/bin/dvm-bench" : "/proc/1/exe", argv);
		fprintf(stderr, "blkbench: cannot run uio_blk: %s\n", strerror(errno));
		_exit(127);
	}
	if (pid < 0) {
		printf("blkbench: fork: %s\n", strerror(errno));
		return;
	}
	drv_pid = pid;
	drv_ours = 1;
	printf("blkbench: driver %s pid %d\n", mode, (int)pid);
}

/* The first line of path into buf ("" when unreadable). */
static void read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	if (f) {
		if (!fgets(buf, (int)size, f))
			buf[0] = 0;
		fclose(f);
	}
}

/* The guest's KPTI state and command line (KASLR, kpti= and the like), one line. */
static void guest_state(void)
{
	char melt[160], cmd[512];

	read_line("/sys/devices/system/cpu/vulnerabilities/meltdown", melt, sizeof(melt));
	read_line("/proc/cmdline", cmd, sizeof(cmd));
	if (!melt[0])
		snprintf(melt, sizeof(melt), "unknown");
	melt[strcspn(melt, "\n")] = 0;
	cmd[strcspn(cmd, "\n")] = 0;
	printf("blkbench: guest meltdown='%s' cmdline='%s'\n", melt, cmd);
}

/* Wait for the device (init loads its driver), up to 60 s. This runs before init has
 * even mounted devtmpfs, and a node can be there before its disk is ready to open:
 * ENXIO and ENODEV mean "not yet" as ENOENT does. */
static int open_device(const char *path)
{
	for (int i = 0; i < 6000; i++) {
		int fd = open(path, O_RDWR | O_DIRECT | O_CLOEXEC);

		if (fd >= 0 || (errno != ENOENT && errno != ENXIO && errno != ENODEV))
			return fd;
		usleep(10000);
	}
	errno = ENOENT;
	return -1;
}

static void serve(const char *device, struct pattern *p, int np)
{
	char line[256], name[64], disk_stat[300];
	uint64_t size = 0;
	int fd = open_device(device);

	/* the block layer's counts (requests and merges) of /dev/NAME */
	snprintf(disk_stat, sizeof(disk_stat), "/sys/class/block/%s/stat",
		 strrchr(device, '/') ? strrchr(device, '/') + 1 : device);
	if (fd < 0)
		die("cannot open %s", device, errno);
	if (ioctl(fd, BLKGETSIZE64, &size) || !size)
		die("cannot get the size of %s", device, errno);
	guest_state();
	for (int i = 0; i < np; i++)
		fill(&p[i]);
	printf("blkbench: ready\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		unsigned long long ops = 0;
		unsigned seq = 0;
		char mode[16];
		int i;

		if (sscanf(line, "blkbench %63s", name) != 1)
			continue;
		if (!strcmp(name, "driver")) {
			if (sscanf(line, "blkbench driver %15s", mode) == 1)
				switch_driver(mode);
			fflush(stdout);
			continue;
		}
		if (!strcmp(name, "cpu")) {
			/* the guest's CPU time by kind and the disk's request counts, around
			 * every run of the simulator's */
			char stat[256] = "", disk[256] = "";
			unsigned seq;

			read_line("/proc/stat", stat, sizeof(stat));
			read_line(disk_stat, disk, sizeof(disk));
			seq = (unsigned)atoi(line + strlen("blkbench cpu"));
			printf("blkbench-disk %u: %s", seq, disk[0] ? disk : "unavailable\n");
			printf("blkbench-cpu %u: %s", seq, stat[0] ? stat : "cpu unavailable\n");
			fflush(stdout);
			continue;
		}
		for (i = 0; i < np && strcmp(p[i].name, name); i++)
			;
		sscanf(line, "blkbench %*s %llu %u", &ops, &seq);
		if (i == np)
			printf("blkbench: no pattern %s\n", name);
		else
			run(fd, size, &p[i], ops ? ops : p[i].ops, seq);
		fflush(stdout);
	}
	exit(0);
}

int main(int argc, char **argv)
{
	const char *conf = argc > 1 ? argv[1] : "/etc/blkbench.conf";
	char line[256], device[200] = "/dev/vda";
	struct pattern p[16];
	int np = 0;
	FILE *f;

	f = fopen(conf, "r");
	if (!f)
		die("cannot open %s", conf, errno);
	while (fgets(line, sizeof(line), f)) {
		char word[64], arg[160];

		if (sscanf(line, "%63s %159s", word, arg) != 2 || word[0] == '#')
			continue;
		if (!strcmp(word, "device")) {
			snprintf(device, sizeof(device), "%s", arg);
		} else if (!strcmp(word, "pattern") && np < 16) {
			struct pattern *q = &p[np];

			if (sscanf(arg, "%31[^:]:%u:%u:%c:%llu", q->name, &q->bs, &q->qd, &q->kind,
				   &q->ops) != 5 || !q->bs || q->bs % 512 || !q->qd || q->qd > MAX_QD ||
			    !strchr("rsw", q->kind) || !q->ops)
				die("bad pattern '%s' (NAME:BS:QD:r|s|w:OPS)", arg, 0);
			np++;
		} else {
			die("%s: unknown line (device or pattern)", line, 0);
		}
	}
	fclose(f);
	if (getpid() != 1) {
		serve(device, p, np); /* by hand, e.g. from a shell */
		return 0;
	}
	/* PID 1: the child serves, PID 1 becomes dvm's init */
	if (fork() == 0)
		serve(device, p, np);
	execl("/init", "init", (char *)0);
	die("cannot exec %s", "/init", errno);
	return 1;
}
