// SPDX-License-Identifier: BSD-2-Clause
/* The block bench: the same access patterns issued three ways in one boot, rounds
 * interleaving them: directly to /dev/vda inside the guest by tests/bench/blkbench.c
 * (which serves "blkbench NAME" commands typed on the console while the driver sits
 * idle), through the sDDF path (host enqueue -> interrupt -> uio_blk -> /dev/vda ->
 * response -> doorbell), and through the sDDF path with uio_blk's null device (the
 * bench build's --null-device: no I/O, the protocol alone), which blkbench switches to
 * and back from within each round. Each figure is the median of the rounds, with the
 * spread of the rounds next to it.
 *
 * What makes the comparison honest: the CPU time per request of every side is measured
 * the same way, on QEMU's vCPU thread (under TCG it runs only while the guest does);
 * the guest's KPTI/KASLR state is reported; the shared window is faulted in on the host
 * and a warm-up round (not counted) touches every buffer on both sides before timing;
 * the simulator does no verification in the timed path (WRITE tags are checked in the
 * image and the model reloaded after each run); runs last about a second or more. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include "blk_work.h"

/* NAME:BS:QD:KIND:OPS ..., KIND r (random read), s (sequential read), w (sequential
 * write). tests/bench/blk.sh hands the same list to the guest tool. */
const char *bench_patterns =
	"rr4k-qd1:4096:1:r:3000 rr4k-qd32:4096:32:r:24000 sr128k:131072:8:s:6144 "
	"sw128k:131072:8:w:4096";
unsigned bench_rounds = 5;

#define MAX_PAT 16
#define MAX_ROUNDS 20
#define NAP_US 2000 /* console polling while the guest works: costs little host CPU */

enum { S_DIRECT, S_SDDF, S_NULL, NSIDES };
static const char *const side_name[NSIDES] = { "direct", "sDDF", "null" };

struct pattern {
	char name[32];
	uint32_t bs, qd;
	char kind;
	uint64_t ops;
};

/* The guest's /proc/stat "cpu" line, through the guest tool: user, nice, system, idle,
 * iowait, irq, softirq (ticks); and the disk's requests (reads + writes, as the block
 * layer sent them to the device) and merges (requests merged into another before that),
 * from its sysfs stat line. */
struct gcpu {
	unsigned long long t[7];
	unsigned long long dev_rq, dev_merges;
	int have_disk;
};

/* One timed run of one pattern on one side. */
struct fig {
	double secs;            /* wall time (direct: the guest's clock) */
	double vcpu_s;          /* CPU time of QEMU's vCPU thread meanwhile */
	double sim_s, qtest_s;  /* sDDF/null: the simulator's CPU, its qtest round trips */
	uint64_t irqs, rings;   /* sDDF/null: interrupts injected, doorbell rings */
	struct gcpu cpu;        /* the guest's CPU time by kind */
	int ok, have_cpu;
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

/* ---- the console: new lines only, looked at every few milliseconds ------------------ */

static off_t log_size(struct blk_run *r)
{
	struct stat st;

	return fstat(r->v->vm->log_fd, &st) ? 0 : st.st_size;
}

/* The first complete line after *off containing needle, into out; *off moves past the
 * lines read. Reading only what is new keeps the host's cost flat as the log grows. */
static int console_scan(int fd, off_t *off, const char *needle, char *out, size_t outlen)
{
	static char buf[65536];

	for (;;) {
		ssize_t n = pread(fd, buf, sizeof(buf) - 1, *off);
		char *line = buf, *nl;

		if (n <= 0)
			return 0;
		buf[n] = 0;
		while ((nl = memchr(line, '\n', (size_t)(buf + n - line)))) {
			*nl = 0;
			*off += nl - line + 1;
			if (strstr(line, needle)) {
				size_t l = strlen(line) < outlen ? strlen(line) : outlen - 1;

				memcpy(out, line, l);
				out[l] = 0;
				return 1;
			}
			line = nl + 1;
		}
		if (line == buf && n == (ssize_t)sizeof(buf) - 1)
			*off += n; /* one line longer than the buffer: not ours */
		else if (n < (ssize_t)sizeof(buf) - 1 || line == buf)
			return 0; /* an incomplete last line: QEMU is writing it */
	}
}

static int wait_console(struct blk_run *r, off_t *off, const char *needle, char *out,
			size_t outlen, uint64_t timeout_ns)
{
	uint64_t t0 = now_ns();

	while (!console_scan(r->v->vm->log_fd, off, needle, out, outlen)) {
		if (now_ns() - t0 > timeout_ns)
			return 0;
		if (!vm_alive(r->v->vm))
			die("QEMU ended (%s) during the bench", status_str(r->v->vm->status));
		if (!deadline_left_ns())
			die("timeout: the run deadline passed during the bench");
		sleep_us(NAP_US);
	}
	return 1;
}

static uint64_t field(const char *line, const char *key)
{
	const char *p = strstr(line, key);

	return p ? strtoull(p + strlen(key), 0, 10) : 0;
}

/* ---- the three sides ----------------------------------------------------------------- */

static unsigned cmd_seq = 100000; /* six digits: "seq=N" never matches a longer N */

/* The guest tool runs p (ops requests) directly on /dev/vda. The vCPU time is taken
 * around the whole command, less what the console round trip of a command costs on its
 * own (measured first; each character typed or printed is an emulated UART access). */
static double bracket_s; /* vCPU time of a console round trip (an empty command) */

static int run_direct(struct blk_run *r, const struct pattern *p, uint64_t ops, struct fig *f)
{
	char cmd[96], key[32], line[512];
	off_t off = log_size(r);
	uint64_t v0;

	snprintf(key, sizeof(key), " seq=%u", ++cmd_seq);
	snprintf(cmd, sizeof(cmd), "blkbench %.31s %llu %u\n", p->name, (unsigned long long)ops,
		 cmd_seq);
	v0 = vm_vcpu_ns(r->v->vm);
	vm_console_write(r->v->vm, cmd);
	if (!wait_console(r, &off, key, line, sizeof(line), r->stall_ns + ops * 10000000ull))
		return 0;
	f->vcpu_s = (double)(vm_vcpu_ns(r->v->vm) - v0) / 1e9 - bracket_s;
	f->secs = (double)field(line, "usec=") / 1e6;
	f->ok = f->secs > 0 && field(line, "ops=") == ops;
	return f->ok;
}

static int guest_cpu_wait(struct blk_run *r, struct gcpu *c, uint64_t timeout_ns)
{
	char cmd[48], key[48], line[512];
	off_t off = log_size(r), off0 = off;
	unsigned long long *t = c->t;
	const char *at;

	snprintf(cmd, sizeof(cmd), "blkbench cpu %u\n", ++cmd_seq);
	snprintf(key, sizeof(key), "blkbench-cpu %u: cpu ", cmd_seq);
	vm_console_write(r->v->vm, cmd);
	if (!wait_console(r, &off, key, line, sizeof(line), timeout_ns))
		return 0;
	{
		/* printed just before the cpu line; fields 1, 2, 5, 6: read requests and
		 * merges, write requests and merges */
		char dkey[48], dline[512];
		unsigned long long d[8];
		off_t doff = off0;

		snprintf(dkey, sizeof(dkey), "blkbench-disk %u: ", cmd_seq);
		c->have_disk = console_scan(r->v->vm->log_fd, &doff, dkey, dline, sizeof(dline)) &&
			       sscanf(strstr(dline, dkey) + strlen(dkey),
				      "%llu %llu %llu %llu %llu %llu %llu %llu", &d[0], &d[1], &d[2],
				      &d[3], &d[4], &d[5], &d[6], &d[7]) == 8;
		if (c->have_disk) {
			c->dev_rq = d[0] + d[4];
			c->dev_merges = d[1] + d[5];
		}
	}
	at = strstr(line, key) + strlen(key);
	return sscanf(at, "%llu %llu %llu %llu %llu %llu %llu", &t[0], &t[1], &t[2], &t[3], &t[4],
		      &t[5], &t[6]) == 7;
}

static int guest_cpu(struct blk_run *r, struct gcpu *c)
{
	return guest_cpu_wait(r, c, 5000000000ull);
}

/* The guest tool serves commands (its buffers are filled): it answers one. Asked again
 * every 2 s for up to 60 s, as a line printed during the boot can come out cut by the
 * kernel's own messages on the same console. */
static int guest_ready(struct blk_run *r)
{
	for (int i = 0; i < 30; i++) {
		struct gcpu c;

		if (guest_cpu_wait(r, &c, 2000000000ull))
			return 1;
	}
	return 0;
}

static double self_cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* p through the sDDF path (whichever uio_blk serves it). Nothing but the protocol is
 * timed: enqueue, notify, wait for the doorbell, take the responses (ids and statuses
 * checked: a few comparisons). */
static void run_sddf(struct blk_run *r, const struct pattern *p, uint64_t ops, struct fig *f)
{
	struct blk_virt *v = r->v;
	uint32_t n = p->bs / BLK_XFER, qd = p->qd > v->cap ? v->cap : p->qd;
	uint64_t started = 0, next = 0, irq0 = v->qt->injected, ring0 = v->db.rings, t0;
	uint64_t blocks = r->d->nblk - r->d->nblk % n;

	r->answered = 0;
	t0 = now_ns();
	v->qt->ns = 0;
	f->vcpu_s = -(double)vm_vcpu_ns(v->vm) / 1e9;
	f->sim_s = -self_cpu_s();
	while (r->answered < ops) {
		int k = 0;

		/* The clients' part first (a WRITE's data, here its tags), then the
		 * virtualiser's: enqueue the batch in one tight loop and notify, as sDDF's
		 * virtualiser forwards what its clients queued. Enqueued while the tags were
		 * being written, a batch reached a polling driver in pieces, and the guest's
		 * block layer merged sequential 128 KiB writes half as well as direct ones. */
		r->hold = 1;
		while (started < ops && v->outstanding + r->nheld < qd && req_room(v) > r->nheld) {
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
		r->hold = 0;
		for (unsigned i = 0; i < r->nheld; i++)
			blk_enqueue(v, r->held[i]);
		r->nheld = 0;
		if (k)
			blk_notify(v);
		if (pump(r) < 0)
			break;
	}
	f->secs = (double)(now_ns() - t0) / 1e9;
	f->vcpu_s += (double)vm_vcpu_ns(v->vm) / 1e9;
	f->sim_s += self_cpu_s();
	f->irqs = v->qt->injected - irq0;
	f->rings = v->db.rings - ring0;
	f->qtest_s = (double)v->qt->ns / 1e9;
	f->ok = r->answered >= ops;
}

/* After an sDDF WRITE run: every block's last tag must be in the image (checked here,
 * outside the timed run); then the image becomes the model again. Returns the number
 * of blocks found wrong. */
static uint64_t check_tags(struct blk_run *r)
{
	static uint8_t chunk[1 << 20];
	uint64_t bad = 0, per = sizeof(chunk) / BLK_XFER;

	for (uint64_t b0 = 0; b0 < r->d->nblk; b0 += per) {
		uint64_t nb = r->d->nblk - b0 < per ? r->d->nblk - b0 : per;

		disk_read_image(r->d, b0, (uint32_t)nb, chunk);
		for (uint64_t i = 0; i < nb; i++) {
			uint64_t tag[2];

			if (!r->tags[b0 + i])
				continue;
			memcpy(tag, chunk + i * BLK_XFER, sizeof(tag));
			if ((tag[0] != r->tags[b0 + i] || tag[1] != b0 + i) && !bad++)
				msg("bench: block %llu does not hold its last sDDF WRITE (tag %016llx, "
				    "found %016llx/%llu)", (unsigned long long)(b0 + i),
				    (unsigned long long)r->tags[b0 + i], (unsigned long long)tag[0],
				    (unsigned long long)tag[1]);
		}
	}
	memset(r->tags, 0, r->d->nblk * sizeof(r->tags[0]));
	disk_reload(r->d);
	return bad;
}

/* blkbench restarts uio_blk as the null device or the real one; wait until the new one
 * serves. 0 when blkbench did not start it within 30 s. */
static int switch_driver(struct blk_run *r, const char *mode)
{
	char cmd[48], key[48], line[512];
	off_t off = log_size(r), off2 = off;

	snprintf(cmd, sizeof(cmd), "blkbench driver %s\n", mode);
	snprintf(key, sizeof(key), "blkbench: driver %s pid ", mode);
	vm_console_write(r->v->vm, cmd);
	if (!wait_console(r, &off, key, line, sizeof(line), 30000000000ull))
		return 0;
	/* its start-up message; should it come out cut by other console output, the next
	 * pass (untimed) finds out whether it serves: a stall is reported then */
	if (!wait_console(r, &off2, "serving /dev/", line, sizeof(line), 30000000000ull))
		msg("bench: no 'serving' line from uio_blk (%s) within 30 s", mode);
	return 1;
}

/* ---- figures ------------------------------------------------------------------------- */

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median, min and max of n values. */
static double median(const double *v, unsigned n, double *lo, double *hi)
{
	double s[MAX_ROUNDS];

	if (!n)
		return *lo = *hi = 0;
	memcpy(s, v, n * sizeof(double));
	qsort(s, n, sizeof(double), cmp_d);
	*lo = s[0];
	*hi = s[n - 1];
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* Per-round values of one side of one pattern: throughput (MB/s), vCPU per request (us),
 * and the ratio to the direct run of the same round. */
static unsigned collect(struct fig f[NSIDES][MAX_ROUNDS], const struct pattern *p, int side,
			unsigned rounds, double *mbs, double *cpu, double *ratio)
{
	unsigned n = 0;

	for (unsigned k = 0; k < rounds; k++) {
		const struct fig *a = &f[side][k], *d = &f[S_DIRECT][k];

		if (!a->ok || !d->ok)
			continue;
		mbs[n] = (double)p->bs * (double)p->ops / 1e6 / a->secs;
		cpu[n] = 1e6 * a->vcpu_s / (double)p->ops;
		ratio[n] = d->secs / a->secs;
		n++;
	}
	return n;
}

static struct fig figs[MAX_PAT][NSIDES][MAX_ROUNDS];

static void print_table(const struct pattern *p, int np, unsigned rounds, int have_null,
			double bracket_us)
{
	printf("%-9s | %-16s | %-16s | %-16s | %-16s | %-16s | %-17s | %-23s | %4s\n", "pattern",
	       "direct MB/s", "sDDF MB/s", "null MB/s", "sDDF/direct", "null/direct",
	       "vCPU us/rq d/s/n", "irq, bell/rq sDDF; null", "sim");
	for (int i = 0; i < np; i++) {
		double mbs[NSIDES][MAX_ROUNDS], cpu[NSIDES][MAX_ROUNDS], rat[NSIDES][MAX_ROUNDS];
		double m[NSIDES], c[NSIDES], q[NSIDES], lo, hi, qlo[NSIDES], qhi[NSIDES];
		double mlo[NSIDES], mhi[NSIDES], irq[NSIDES] = { 0 }, bell[NSIDES] = { 0 }, sim = 0;
		unsigned n[NSIDES];
		char col[NSIDES][40], rcol[NSIDES][40];

		for (int s = 0; s < NSIDES; s++) {
			double ops = 0, secs = 0;

			n[s] = collect(figs[i], &p[i], s, rounds, mbs[s], cpu[s], rat[s]);
			m[s] = median(mbs[s], n[s], &mlo[s], &mhi[s]);
			c[s] = median(cpu[s], n[s], &lo, &hi);
			q[s] = median(rat[s], n[s], &qlo[s], &qhi[s]);
			snprintf(col[s], sizeof(col[s]), n[s] ? "%.1f (%.0f%%)" : "-", m[s],
				 m[s] > 0 ? 100.0 * (mhi[s] - mlo[s]) / m[s] : 0.0);
			snprintf(rcol[s], sizeof(rcol[s]), n[s] ? "%.2f (%.2f-%.2f)" : "-", q[s],
				 qlo[s], qhi[s]);
			for (unsigned k = 0; k < rounds; k++) {
				const struct fig *f = &figs[i][s][k];

				if (!f->ok)
					continue;
				irq[s] += (double)f->irqs;
				bell[s] += (double)f->rings;
				ops += (double)p[i].ops;
				if (s == S_SDDF) {
					sim += f->sim_s;
					secs += f->secs;
				}
			}
			if (ops > 0) {
				irq[s] /= ops;
				bell[s] /= ops;
			}
			if (s == S_SDDF && secs > 0)
				sim = 100.0 * sim / secs;
		}
		if (!have_null)
			snprintf(col[S_NULL], sizeof(col[S_NULL]), "-");
		printf("%-9s | %-16s | %-16s | %-16s | %-16s | %-16s | %5.0f %5.0f %5.0f | "
		       "%5.2f %5.2f; %4.2f %4.2f | %3.0f%%\n",
		       p[i].name, col[S_DIRECT], col[S_SDDF], col[S_NULL], rcol[S_SDDF],
		       have_null ? rcol[S_NULL] : "-", c[S_DIRECT], c[S_SDDF], c[S_NULL],
		       irq[S_SDDF], bell[S_SDDF], irq[S_NULL], bell[S_NULL], sim);
	}
	printf("median of %u rounds, each running every pattern directly, through sDDF and "
	       "through sDDF with the null device, in that order; (N%%): the rounds' spread, "
	       "(max - min) / median; ratios: paired within each round, median (min-max), of "
	       "throughput. vCPU us/rq: CPU time of QEMU's vCPU thread per request, direct / "
	       "sDDF / null, the same measure for all three (direct: less the %.0f us a "
	       "console command and its answer cost per run). irq, bell/rq: interrupts injected and "
	       "doorbell rings per request. sim: the simulator's CPU use during the sDDF runs "
	       "(it shares the host's cores with QEMU).\n", rounds, bracket_us);
	printf("IOPS (median) direct / sDDF / null, and the vCPU busy share of the wall time:\n");
	for (int i = 0; i < np; i++) {
		double iops[NSIDES], busy[NSIDES];

		for (int s = 0; s < NSIDES; s++) {
			double v[MAX_ROUNDS], b[MAX_ROUNDS], lo, hi;
			unsigned n = 0;

			for (unsigned k = 0; k < rounds; k++)
				if (figs[i][s][k].ok) {
					v[n] = (double)p[i].ops / figs[i][s][k].secs;
					b[n++] = 100.0 * figs[i][s][k].vcpu_s / figs[i][s][k].secs;
				}
			iops[s] = median(v, n, &lo, &hi);
			busy[s] = median(b, n, &lo, &hi);
		}
		printf("  %-9s %7.0f %7.0f %7.0f   vCPU busy %3.0f%% %3.0f%% %3.0f%%\n", p[i].name,
		       iops[S_DIRECT], iops[S_SDDF], iops[S_NULL], busy[S_DIRECT], busy[S_SDDF],
		       busy[S_NULL]);
	}
	printf("guest CPU per side (/proc/stat over all rounds: shares of the wall time and us per "
	       "request; user is blkbench direct, mostly uio_blk otherwise; kernel includes "
	       "interrupts) and the disk's requests and merges per request (its sysfs stat):\n");
	for (int i = 0; i < np; i++) {
		printf("  %-9s", p[i].name);
		for (int s = 0; s < NSIDES; s++) {
			unsigned long long t[7] = { 0 }, drq = 0, dmg = 0;
			double secs = 0, rq = 0, drq_of = 0;

			for (unsigned k = 0; k < rounds; k++) {
				const struct fig *f = &figs[i][s][k];

				if (!f->ok || !f->have_cpu)
					continue;
				for (int j = 0; j < 7; j++)
					t[j] += f->cpu.t[j];
				secs += f->secs;
				rq += (double)p[i].ops;
				if (f->cpu.have_disk) {
					drq += f->cpu.dev_rq;
					dmg += f->cpu.dev_merges;
					drq_of += (double)p[i].ops;
				}
			}
			/* ticks are 10 ms: ticks per second is a percentage */
			if (secs > 0)
				printf("  %s: user %3.0f%% %3.0fus kernel %3.0f%% %3.0fus idle %3.0f%%",
				       side_name[s], (double)(t[0] + t[1]) / secs,
				       (double)(t[0] + t[1]) * 1e4 / rq,
				       (double)(t[2] + t[5] + t[6]) / secs,
				       (double)(t[2] + t[5] + t[6]) * 1e4 / rq, (double)(t[3] + t[4]) / secs);
			if (secs > 0 && drq_of > 0)
				printf(" disk rq %.2f merged %.2f", (double)drq / drq_of,
				       (double)dmg / drq_of);
		}
		printf("\n");
	}
}

/* ---- the phase ----------------------------------------------------------------------- */

/* One pass of every pattern on one side; timed (figures into round k) or a warm-up of
 * ops / div requests. Returns 0 when the run must stop (reported). */
static int pass_side(struct blk_run *r, const struct pattern *p, int np, int side, int k,
		     unsigned div, int *missing, uint64_t *bad_tags)
{
	for (int i = 0; i < np; i++) {
		struct fig one = { 0 };
		uint64_t ops = p[i].ops / div ? p[i].ops / div : 1;
		struct gcpu c0, c1;
		/* the guest's CPU and disk counts around the timed runs of every side */
		int have = div == 1 && guest_cpu(r, &c0);

		if (side == S_DIRECT) {
			if (!run_direct(r, &p[i], ops, &one))
				(*missing)++;
			/* the guest tool wrote the disk behind the simulator's back */
			if (p[i].kind == 'w')
				disk_reload(r->d);
		} else {
			run_sddf(r, &p[i], ops, &one);
		}
		if (have && guest_cpu(r, &c1)) {
			for (int j = 0; j < 7; j++)
				one.cpu.t[j] = c1.t[j] - c0.t[j];
			one.have_cpu = 1;
			if ((one.cpu.have_disk = c0.have_disk && c1.have_disk)) {
				one.cpu.dev_rq = c1.dev_rq - c0.dev_rq;
				one.cpu.dev_merges = c1.dev_merges - c0.dev_merges;
			}
		}
		if (side != S_DIRECT) {
			if (p[i].kind == 'w' && side == S_SDDF)
				*bad_tags += check_tags(r);
			else if (p[i].kind == 'w') /* the null device wrote nothing */
				memset(r->tags, 0, r->d->nblk * sizeof(r->tags[0]));
			if (r->stalled || r->nerr[E_ANSWER] || r->nerr[E_STATUS])
				return 0;
		}
		if (div == 1)
			figs[i][side][k] = one;
	}
	return 1;
}

void wl_bench(struct blk_run *r, int console_fd)
{
	struct pattern p[MAX_PAT];
	int np = parse_patterns(bench_patterns, p, MAX_PAT), missing = 0, have_null = 1;
	uint64_t bad_tags = 0, t_start = now_ns();
	unsigned rounds = bench_rounds > MAX_ROUNDS ? MAX_ROUNDS : bench_rounds;
	char line[512], state[600] = "", kaslr[200] = "KASLR: no boot message",
	     kpti[200] = "KPTI: no boot message", pinned[200] = "threads not pinned";
	double bracket_us = 0;
	off_t off = 0;

	(void)console_fd;
	r->light = 1;
	r->tags = calloc(r->d->nblk, sizeof(r->tags[0]));
	if (!r->tags)
		die("out of memory");
	run_phase(r, "bench");
	memset(figs, 0, sizeof(figs));

	/* the guest tool is ready (buffers filled); what the guest says of KPTI and KASLR
	 * (best effort: these boot-time lines may be cut by other console output) */
	if (!guest_ready(r))
		die("bench: blkbench did not answer on the console within 60 s (is /bin/blkbench "
		    "the kernel's rdinit?)");
	if (wait_console(r, &off, "blkbench: guest meltdown=", line, sizeof(line), 0))
		snprintf(state, sizeof(state), "%s", strstr(line, "meltdown="));
	off = 0;
	if (wait_console(r, &off, "] KASLR ", line, sizeof(line), 0))
		snprintf(kaslr, sizeof(kaslr), "%s", strstr(line, "KASLR"));
	off = 0;
	if (wait_console(r, &off, "kernel page table isolation", line, sizeof(line), 0))
		snprintf(kpti, sizeof(kpti), "%s", strstr(line, "kernel page table isolation"));

	/* $VMM_SIM_PIN=1 (tests/bench/blk.sh): the guest's vCPU gets a host CPU of its own,
	 * QEMU's device emulation and this simulator share the other, as on hardware, where
	 * the device and the virtualiser never take the driver VM's CPU time. Unpinned, a
	 * guest that polls kept QEMU's I/O threads waiting to run (docs/testing.md). */
	if (getenv("VMM_SIM_PIN") && parse_uint("VMM_SIM_PIN", getenv("VMM_SIM_PIN"), 1)) {
		int cv, cr, e = vm_pin(r->v->vm, &cv, &cr);

		if (e)
			snprintf(pinned, sizeof(pinned), "not pinned (%s)",
				 e == -ERANGE ? "fewer than 2 host CPUs" : strerror(-e));
		else
			snprintf(pinned, sizeof(pinned),
				 "QEMU's vCPU thread pinned to host CPU %d, its other threads and the "
				 "simulator to CPU %d", cv, cr);
	}

	/* fault the data regions in on the host (the first touch of a page of the window
	 * costs a host page fault, ~50 us), and measure what a console command costs */
	for (int i = 0; i < r->v->nreg; i++)
		for (uint64_t o = 0; o < r->v->reg[i].size; o += 4096)
			((volatile uint8_t *)r->v->reg[i].mem)[o] = 0;
	{
		double b[5], lo, hi;

		for (int i = 0; i < 5; i++) {
			struct gcpu c;
			uint64_t v0 = vm_vcpu_ns(r->v->vm);

			guest_cpu(r, &c);
			b[i] = (double)(vm_vcpu_ns(r->v->vm) - v0) / 1e9;
		}
		bracket_s = median(b, 5, &lo, &hi);
		bracket_us = bracket_s * 1e6;
	}

	/* warm-up round, not counted: every buffer on every side touched once */
	if (!pass_side(r, p, np, S_DIRECT, 0, 4, &missing, &bad_tags) ||
	    !pass_side(r, p, np, S_SDDF, 0, 4, &missing, &bad_tags))
		goto stop;
	for (unsigned k = 0; k < rounds; k++) {
		if (!pass_side(r, p, np, S_DIRECT, (int)k, 1, &missing, &bad_tags) ||
		    !pass_side(r, p, np, S_SDDF, (int)k, 1, &missing, &bad_tags))
			goto stop;
		if (!have_null)
			continue;
		if (!switch_driver(r, "null")) {
			fail("bench: uio_blk --null-device started (bench build, /bin/dvm-bench)",
			     "blkbench did not start it within 30 s; null-device figures skipped");
			have_null = 0;
		} else if (!pass_side(r, p, np, S_NULL, (int)k, 8, &missing, &bad_tags) ||
			   !pass_side(r, p, np, S_NULL, (int)k, 1, &missing, &bad_tags)) {
			goto stop;
		}
		if (!switch_driver(r, "real")) {
			fail("bench: uio_blk started again after the null device",
			     "blkbench did not start it within 30 s");
			goto stop;
		}
		/* the new process's bounce buffers touched before the next timed run */
		if (!pass_side(r, p, np, S_SDDF, 0, 8, &missing, &bad_tags))
			goto stop;
	}

	printf("\nbench: sDDF path (vmm-sim -> uio_blk -> /dev/vda) vs the same pattern issued "
	       "directly to /dev/vda in the guest (O_DIRECT, io_uring) vs the sDDF path with "
	       "uio_blk's null device (no I/O: the protocol alone); one boot, QEMU TCG\n");
	printf("guest: %s; %s; %s\nhost: %s\n", state[0] ? state : "meltdown state not reported",
	       kaslr, kpti, pinned);
	print_table(p, np, rounds, have_null, bracket_us);
	printf("bench time: %.0f s (warm-up included)\n\n", (double)(now_ns() - t_start) / 1e9);
	fflush(stdout);
	if (missing)
		fail("bench: direct figures from the guest", "%d runs gave no 'blkbench:' line",
		     missing);
	else
		pass("bench: direct figures from the guest", "");
	if (bad_tags)
		fail("bench: every sDDF WRITE in the image (checked after each run)",
		     "%llu blocks wrong (first one above)", (unsigned long long)bad_tags);
	else
		pass("bench: every sDDF WRITE in the image (checked after each run)", "");
stop:
	run_report(r, "01");
	r->light = 0;
	free(r->tags);
	r->tags = 0;
}
