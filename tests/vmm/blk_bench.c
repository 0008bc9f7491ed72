/* The block bench: the same access patterns issued through the sDDF path (host enqueue
 * -> interrupt -> the driver VM's uio_blk -> /dev/vda -> response -> doorbell) and directly
 * to /dev/vda inside the guest by tests/bench/blkbench.c, which serves "blkbench NAME"
 * commands typed on the console while the driver sits idle. Rounds interleave the two;
 * the best run of each side counts. Prints both with their ratio, plus where the sDDF
 * path's time goes: guest CPU per request and by kind, interrupts and doorbells per
 * request, host time spent in qtest, the simulator's own CPU use. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "blk_work.h"

/* NAME:BS:QD:KIND:OPS ..., KIND r (random read), s (sequential read), w (sequential
 * write). tests/bench/blk.sh hands the same list to the guest tool. */
const char *bench_patterns =
	"rr4k-qd1:4096:1:r:2000 rr4k-qd32:4096:32:r:8000 sr128k:131072:8:s:1024 "
	"sw128k:131072:8:w:1024";
unsigned bench_rounds = 3;

struct pattern {
	char name[32];
	uint32_t bs, qd;
	char kind;
	uint64_t ops;
};

static int parse_patterns(const char *s, struct pattern *p, int max)
{
	int n = 0;

	while (*s) {
		int used = 0;

		while (*s == ' ' || *s == ',')
			s++;
		if (!*s)
			break;
		if (n == max)
			die("bench: more than %d patterns", max);
		if (sscanf(s, "%31[^:]:%u:%u:%c:%llu%n", p[n].name, &p[n].bs, &p[n].qd, &p[n].kind,
			   (unsigned long long *)&p[n].ops, &used) != 5 ||
		    !p[n].bs || p[n].bs % BLK_XFER || p[n].bs / BLK_XFER > 65535 || !p[n].qd ||
		    !p[n].ops || !strchr("rsw", p[n].kind) || (s[used] && s[used] != ' ' && s[used] != ','))
			die("bench: bad pattern '%.40s' (NAME:BS:QD:r|s|w:OPS, BS a multiple of 4096)", s);
		s += used;
		n++;
	}
	return n;
}

/* The guest tool's result lines for p: "blkbench: NAME bs=B qd=Q kind=K ops=N usec=T
 * cpu_us=C". Returns how many there are, with the best (shortest) one's figures. */
static int find_direct(int log_fd, const struct pattern *p, uint64_t *usec, uint64_t *cpu)
{
	int fd = dup(log_fd), found = 0;
	FILE *f = fd >= 0 ? fdopen(fd, "r") : 0;
	char line[512], want[128];

	if (!f)
		die("cannot read the console log");
	rewind(f);
	snprintf(want, sizeof(want), "blkbench: %.31s bs=%u qd=%u kind=%c ops=%llu usec=", p->name,
		 p->bs, p->qd, p->kind, (unsigned long long)p->ops);
	while (fgets(line, sizeof(line), f)) {
		char *at = strstr(line, want);
		unsigned long long t, c = 0;

		/* whole lines only: QEMU may be writing this one right now */
		if (at && strchr(at, '\n') &&
		    sscanf(at + strlen(want), "%llu cpu_us=%llu", &t, &c) == 2 && t) {
			if (!found || t < *usec) {
				*usec = t;
				*cpu = c;
			}
			found++;
		}
	}
	fclose(f);
	return found;
}

struct direct_wait {
	int log_fd, want;
	const struct pattern *p;
	uint64_t usec, cpu;
};

static int direct_done(void *ctx)
{
	struct direct_wait *w = ctx;

	return find_direct(w->log_fd, w->p, &w->usec, &w->cpu) >= w->want;
}

/* Have the guest tool run p once more (its round-th run); 0 when no result came. */
static int run_direct(struct blk_run *r, int log_fd, const struct pattern *p, int round,
		      uint64_t *usec, uint64_t *cpu)
{
	struct direct_wait w = { log_fd, round + 1, p, 0, 0 };
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "blkbench %.31s\n", p->name);
	vm_console_write(r->v->vm, cmd);
	if (!poll_until(r->v->vm, r->stall_ns, direct_done, &w))
		return 0;
	*usec = w.usec;
	*cpu = w.cpu;
	return 1;
}

/* The guest's /proc/stat "cpu" line, through the guest tool: user, nice, system, idle,
 * iowait, irq, softirq (ticks). 0 when it did not answer. */
struct gcpu {
	unsigned long long t[7];
};

struct cpu_wait {
	int log_fd;
	unsigned seq;
	struct gcpu *c;
};

static int cpu_answered(void *ctx)
{
	struct cpu_wait *w = ctx;
	int fd = dup(w->log_fd), found = 0;
	FILE *f = fd >= 0 ? fdopen(fd, "r") : 0;
	char line[512], want[48];

	if (!f)
		return 0;
	rewind(f);
	snprintf(want, sizeof(want), "blkbench-cpu %u: cpu ", w->seq);
	while (!found && fgets(line, sizeof(line), f)) {
		char *at = strstr(line, want);
		unsigned long long *t = w->c->t;

		found = at && strchr(at, '\n') &&
			sscanf(at + strlen(want), "%llu %llu %llu %llu %llu %llu %llu", &t[0], &t[1],
			       &t[2], &t[3], &t[4], &t[5], &t[6]) == 7;
	}
	fclose(f);
	return found;
}

static int guest_cpu(struct blk_run *r, int log_fd, struct gcpu *c)
{
	static unsigned seq;
	struct cpu_wait w = { log_fd, ++seq, c };
	char cmd[48];

	snprintf(cmd, sizeof(cmd), "blkbench cpu %u\n", w.seq);
	vm_console_write(r->v->vm, cmd);
	return poll_until(r->v->vm, 5000000000ull, cpu_answered, &w);
}

struct result {
	double secs;
	uint64_t irqs, rings;
	double qtest_s;
	double vcpu_s, sim_s;   /* CPU time of QEMU's vCPU thread and of the simulator */
	struct gcpu cpu;        /* the guest's CPU time by kind during the run */
	int have_cpu;
};

static double self_cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void run_pattern(struct blk_run *r, const struct pattern *p, struct result *res)
{
	struct blk_virt *v = r->v;
	uint32_t n = p->bs / BLK_XFER, qd = p->qd > v->cap ? v->cap : p->qd;
	uint64_t started = 0, next = 0, irq0 = v->qt->injected, ring0 = v->db.rings, t0;
	uint64_t blocks = r->d->nblk - r->d->nblk % n;

	t0 = now_ns();
	v->qt->ns = 0;
	res->vcpu_s = -(double)vm_vcpu_ns(v->vm) / 1e9;
	res->sim_s = -self_cpu_s();
	while (r->answered < p->ops) {
		int k = 0;

		while (started < p->ops && v->outstanding < qd && req_room(v)) {
			uint64_t blk;

			if (p->kind == 'r')
				blk = (rnd_next(&r->rng) % (blocks / n)) * n;
			else
				blk = next, next = (next + n) % blocks;
			if (!submit_rw(r, p->kind == 'w' ? REQ_WRITE : REQ_READ, blk, n, -1))
				break;
			started++;
			k++;
		}
		if (k)
			blk_notify(v);
		if (pump(r) < 0)
			break;
	}
	res->secs = (double)(now_ns() - t0) / 1e9;
	res->vcpu_s += (double)vm_vcpu_ns(v->vm) / 1e9;
	res->sim_s += self_cpu_s();
	res->irqs = v->qt->injected - irq0;
	res->rings = v->db.rings - ring0;
	res->qtest_s = (double)v->qt->ns / 1e9;
}

void wl_bench(struct blk_run *r, int console_fd)
{
	struct pattern p[16];
	struct result res[16];
	uint64_t usec[16] = { 0 }, dcpu[16] = { 0 };
	int np = parse_patterns(bench_patterns, p, 16), missing = 0;

	r->light = 1;
	run_phase(r, "bench");
	memset(res, 0, sizeof(res));
	/* rounds of: each pattern direct (guest tool, driver idle), then through sDDF */
	for (unsigned k = 0; k < bench_rounds; k++) {
		for (int i = 0; i < np; i++) {
			struct result one = { 0 };

			if (!run_direct(r, console_fd, &p[i], (int)k, &usec[i], &dcpu[i]))
				missing++;
			/* the guest tool wrote the disk behind the simulator's back */
			if (p[i].kind == 'w')
				disk_reload(r->d);
			r->answered = 0;
			{
				struct gcpu c0, c1;
				int ok = guest_cpu(r, console_fd, &c0);

				run_pattern(r, &p[i], &one);
				if (ok && guest_cpu(r, console_fd, &c1)) {
					for (int j = 0; j < 7; j++)
						one.cpu.t[j] = c1.t[j] - c0.t[j];
					one.have_cpu = 1;
				}
			}
			if (r->stalled || r->nerr[E_ANSWER] || r->nerr[E_STATUS]) {
				run_report(r, "01");
				r->light = 0;
				return;
			}
			if (!k || one.secs < res[i].secs)
				res[i] = one;
		}
	}
	printf("\nbench: sDDF path (vmm-sim -> uio_blk -> /dev/vda) vs the same pattern issued "
	       "directly to /dev/vda in the guest (O_DIRECT, io_uring), one boot, TCG\n");
	printf("%-9s %6s %2s %5s | %9s %6s %6s | %9s %6s %6s | %5s | %6s %6s %6s %5s\n",
	       "pattern", "bs", "qd", "ops", "direct", "IOPS", "cpu/rq", "sDDF", "IOPS", "cpu/rq",
	       "ratio", "irq/rq", "bell/rq", "qtest", "sim");
	for (int i = 0; i < np; i++) {
		double dsecs = (double)usec[i] / 1e6, mb = (double)p[i].bs * (double)p[i].ops / 1e6;
		double ops = (double)p[i].ops;

		printf("%-9s %6u %2u %5llu | %4.0f MB/s %6.0f %4.0fus | %4.0f MB/s %6.0f %4.0fus | "
		       "%5.2f | %6.2f %6.2f %5.1f%% %4.0f%%\n",
		       p[i].name, p[i].bs, p[i].qd, (unsigned long long)p[i].ops,
		       usec[i] ? mb / dsecs : 0.0, usec[i] ? ops / dsecs : 0.0,
		       (double)dcpu[i] / ops, mb / res[i].secs, ops / res[i].secs,
		       1e6 * res[i].vcpu_s / ops, usec[i] ? dsecs / res[i].secs : 0.0,
		       (double)res[i].irqs / ops, (double)res[i].rings / ops,
		       100.0 * res[i].qtest_s / res[i].secs, 100.0 * res[i].sim_s / res[i].secs);
	}
	printf("guest CPU during the best sDDF run (/proc/stat, ticks of 10 ms, as shares of the "
	       "run's wall time; user is mostly uio_blk, kernel includes interrupts):\n");
	for (int i = 0; i < np; i++) {
		const unsigned long long *t = res[i].cpu.t;
		double tick = 100.0 * 0.01 / res[i].secs;

		if (!res[i].have_cpu)
			continue;
		/* irq and softirq time is only split out with IRQ_TIME_ACCOUNTING */
		printf("  %-9s user %3.0f%%  kernel %3.0f%%  idle %3.0f%%\n", p[i].name,
		       (double)(t[0] + t[1]) * tick, (double)(t[2] + t[5] + t[6]) * tick,
		       (double)(t[3] + t[4]) * tick);
	}
	printf("best of %u rounds each, direct and sDDF runs interleaved. ratio: sDDF / direct "
	       "throughput. cpu/rq: guest CPU time per request (direct: the guest's /proc/stat, "
	       "10 ms ticks; sDDF: QEMU's vCPU thread). irq/rq, bell/rq: interrupts injected and "
	       "doorbell rings per request. qtest: share of the sDDF time spent sending "
	       "interrupts. sim: the simulator's own CPU use (it shares the host's cores with "
	       "QEMU).\n\n", bench_rounds);
	fflush(stdout);
	r->light = 0;
	if (missing)
		fail("bench: direct figures from the guest", "%d runs gave no 'blkbench:' line "
		     "(is /bin/blkbench the kernel's rdinit?)", missing);
	else
		pass("bench: direct figures from the guest", "");
	run_report(r, "01");
}
