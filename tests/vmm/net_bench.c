// SPDX-License-Identifier: BSD-2-Clause
/* The network bench: frames/s and Mb/s in each direction for 64- and 1514-byte frames,
 * first raw AF_PACKET inside the guest (tests/bench/netbench.c, run as rdinit before
 * dvm's init), then through uio_net and the sDDF queues (host flood -> NIC -> uio_net
 * -> RX active -> simulator; simulator -> TX active -> uio_net -> NIC -> host), with
 * the ratios and the guest CPU time per frame (netbench's getrusage; uio_net's cpu_ms
 * against its frame counters, both from console lines). Figures, not pass/fail.
 *
 * Every phase is bounded, here and in the guest tool: a figure lasts its SECONDS, the
 * guest's lines are awaited for at most SECONDS + PHASE_SLACK_S, each loop that takes
 * frames or descriptors takes a bounded batch before it looks at the clock again. An
 * overrun fails the bench with the phase's name instead of stretching it. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "net_work.h"

static const unsigned sizes[] = { 64, 1514 };
static uint8_t bbuf[65536];
static unsigned bench_secs; /* length of each figure */
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))
#define MAX_ROUNDS 20
/* Margin over a figure's length for the guest's line to arrive (TCG under load). */
#define PHASE_SLACK_S 20
/* Frames or descriptors taken before the clock is read again. */
#define TAKE_BATCH 512

struct fig {
	double fps;       /* frames per second */
	double cpu_us;    /* guest CPU per frame, microseconds */
};

/* ---- the host's flood (a thread: the main thread serves the queues meanwhile) ------- */

struct flood {
	struct net_virt *v;
	unsigned size;
	volatile int stop;
	uint64_t sent;
	pthread_t t;
};

static void *flood_main(void *p)
{
	struct flood *f = p;
	static uint8_t frames[64][2048];
	struct mmsghdr m[64];
	struct iovec iov[64];

	for (int i = 0; i < 64; i++) {
		frame_make(frames[i], f->size, MAGIC_RX, (uint32_t)i, f->v->mac);
		iov[i].iov_base = frames[i];
		iov[i].iov_len = f->size;
		memset(&m[i], 0, sizeof(m[i]));
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
		m[i].msg_hdr.msg_name = &f->v->to;
		m[i].msg_hdr.msg_namelen = sizeof(f->v->to);
	}
	/* bursts of 64 every 500 us: 128k frames/s offered, above what the guest takes
	 * under TCG, without taking much host CPU from QEMU */
	while (!f->stop) {
		int n = sendmmsg(f->v->sock, m, 64, 0);
		if (n > 0)
			f->sent += (uint64_t)n;
		sleep_us(500);
	}
	return 0;
}

static void flood_start(struct flood *f, struct net_virt *v, unsigned size)
{
	memset(f, 0, sizeof(*f));
	f->v = v;
	f->size = size;
	if (pthread_create(&f->t, 0, flood_main, f))
		die("cannot start the flood thread");
}

static void flood_stop(struct flood *f)
{
	f->stop = 1;
	pthread_join(f->t, 0);
}

/* Empty the wire socket (frames the guest sent meanwhile). */
static void wire_flush(struct net_virt *v)
{
	static uint8_t b[65536];
	while (recv(v->sock, b, sizeof(b), MSG_DONTWAIT) >= 0)
		;
}

/* ---- console lines --------------------------------------------------------------------- */

/* The last console line containing key; 1 when found. */
static int console_line(struct net_virt *v, const char *key, char *out, size_t n)
{
	int fd = dup(v->vm->log_fd), found = 0;
	FILE *f = fd >= 0 ? fdopen(fd, "r") : 0;
	char line[2048];

	if (!f)
		die("cannot read the console log");
	rewind(f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, key) && strchr(line, '\n')) { /* complete lines only */
			snprintf(out, n, "%s", line);
			found = 1;
		}
	fclose(f);
	return found;
}

/* Wait for a console line, looking every 20 ms: reading the log costs host CPU, which
 * QEMU needs during a measurement. */
static void wait_line(struct net_virt *v, const char *key, char *out, uint64_t timeout_ns)
{
	uint64_t t0 = now_ns();

	while (!console_line(v, key, out, 2048)) {
		if (now_ns() - t0 > timeout_ns || !deadline_left_ns())
			die("bench: no console line '%s' within %llu s", key,
			    (unsigned long long)(timeout_ns / 1000000000u));
		if (!vm_alive(v->vm))
			die("QEMU ended (%s)", status_str(v->vm->status));
		sleep_us(20000);
	}
}

static uint64_t field(const char *line, const char *key)
{
	const char *p = strstr(line, key);
	return p ? strtoull(p + strlen(key), 0, 10) : 0;
}

/* The i-th (0-based) "uio_net: stats:" line's cpu_ms and frame counter. */
static int stats_nth(struct net_virt *v, int i, const char *counter, uint64_t *cpu, uint64_t *frames)
{
	int fd = dup(v->vm->log_fd), k = 0;
	FILE *f = fd >= 0 ? fdopen(fd, "r") : 0;
	char line[2048], key[40];

	if (!f)
		die("cannot read the console log");
	rewind(f);
	snprintf(key, sizeof(key), " %s=", counter);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "uio_net: stats: ") && k++ == i) {
			*cpu = field(line, " cpu_ms=");
			*frames = field(line, key);
			if (!strstr(line, key))
				*frames = field(line, ": rx_frames="); /* the first field */
			fclose(f);
			return 0;
		}
	fclose(f);
	return -1;
}

/* Guest CPU per frame from the stats lines printed between two line counts. */
static double driver_cpu(struct net_virt *v, int first, int last, const char *counter)
{
	uint64_t c0, f0, c1, f1;

	if (last - first < 2 || stats_nth(v, first + 1, counter, &c0, &f0) ||
	    stats_nth(v, last - 1, counter, &c1, &f1) || f1 <= f0)
		return -1;
	return (double)(c1 - c0) * 1000.0 / (double)(f1 - f0);
}

/* ---- raw AF_PACKET in the guest (netbench) ------------------------------------------ */

/* How long the guest tool's "ready" line may take: the first one comes after the boot
 * and the module loading, the others right after the previous figure. */
static uint64_t ready_ns(unsigned round, unsigned size)
{
	return (round == 1 && size == sizes[0] ? 120 : PHASE_SLACK_S) * 1000000000ull;
}

static void raw_rx(struct net_run *r, unsigned round, unsigned size, struct fig *out)
{
	struct net_virt *v = r->v;
	char key[64], line[2048];
	struct flood f;

	snprintf(key, sizeof(key), "netbench: r%u rx %u ready", round, size);
	wait_line(v, key, line, ready_ns(round, size));
	flood_start(&f, v, size);
	snprintf(key, sizeof(key), "netbench: r%u rx %u frames=", round, size);
	wait_line(v, key, line, (bench_secs + PHASE_SLACK_S) * 1000000000ull);
	flood_stop(&f);
	out->fps = (double)field(line, "frames=") * 1e6 / (double)field(line, "usec=");
	out->cpu_us = (double)field(line, "cpu_us=") / (double)field(line, "frames=");
	if (field(line, "usec=") > (bench_secs + 1) * 1000000ull)
		msg("bench: raw rx %u, round %u: the guest's figure lasted %.1f s, not %u", size,
		    round, (double)field(line, "usec=") / 1e6, bench_secs);
}

static void raw_tx(struct net_run *r, unsigned round, unsigned size, struct fig *out)
{
	struct net_virt *v = r->v;
	char key[64], line[2048];
	uint64_t n = 0, t0 = 0, t1 = 0, gframes;

	uint64_t start, limit = (bench_secs + PHASE_SLACK_S) * 1000000000ull;

	snprintf(key, sizeof(key), "netbench: r%u tx %u ready", round, size);
	wait_line(v, key, line, PHASE_SLACK_S * 1000000000ull);
	wire_flush(v);
	start = now_ns();
	snprintf(key, sizeof(key), "netbench: r%u tx %u frames=", round, size);
	for (;;) {
		/* the end: the wire quiet for 300 ms and the guest's line there */
		int len = wire_recv(v, bbuf, 300000000ull);

		if (now_ns() - start > limit)
			die("bench: raw tx %u, round %u: no end within %u s (the guest's line: %s)",
			    size, round, bench_secs + PHASE_SLACK_S,
			    console_line(v, key, line, sizeof(line)) ? "there" : "missing");
		if (len < 0) {
			if (t0 && console_line(v, key, line, sizeof(line)))
				break;
			if (!deadline_left_ns())
				die("bench: raw TX did not end");
			continue;
		}
		if (len != (int)size)
			continue;
		t1 = now_ns();
		if (!t0)
			t0 = t1;
		n++;
	}
	gframes = field(line, "frames=");
	out->fps = n > 1 ? (double)(n - 1) * 1e9 / (double)(t1 - t0) : 0;
	out->cpu_us = gframes ? (double)field(line, "cpu_us=") / (double)gframes : -1;
	if (n < gframes * 95 / 100)
		msg("bench: raw tx %u: the guest sent %llu frames, the host got %llu", size,
		    (unsigned long long)gframes, (unsigned long long)n);
}

/* ---- through uio_net ----------------------------------------------------------------- */

static int stats_lines(struct net_virt *v)
{
	return console_count(v->vm->log_fd, "uio_net: stats: ");
}

static void drv_rx(struct net_run *r, unsigned size, unsigned seconds, struct fig *out)
{
	struct net_virt *v = r->v;
	uint64_t n = 0, t0 = 0, t = 0, t1 = 0;
	struct flood f;
	int l0, l1;
	uint32_t len;
	uint64_t io;

	flood_start(&f, v, size);
	l0 = stats_lines(v);
	for (;;) {
		int k = 0;

		while (k < TAKE_BATCH && rx_take(v, bbuf, &len, &io) == 1) {
			rx_return(v, io, 0);
			k++;
		}
		if (k) {
			notify_rx_free(v);
			t1 = now_ns();
			if (!t0)
				t0 = t1;
			n += (uint64_t)k;
		}
		if (t0 && now_ns() - t0 >= seconds * 1000000000ull)
			break;
		if (!t0 && !wait_rx_active(v, 5000000000ull, "bench"))
			die("bench: no frame through uio_net for 5 s");
		/* like a virtualiser woken per batch: 512 buffers cover 200 us of frames */
		sleep_us(200);
	}
	l1 = stats_lines(v);
	flood_stop(&f);
	/* let the rest drain, so the next test starts with every buffer given: until RX is
	 * quiet for 300 ms, for at most PHASE_SLACK_S */
	t = now_ns();
	while (wait_rx_active(v, 300000000ull, "bench")) {
		for (int k = 0; k < TAKE_BATCH && rx_take(v, bbuf, &len, &io) == 1; k++)
			rx_return(v, io, 0);
		notify_rx_free(v);
		if (now_ns() - t > PHASE_SLACK_S * 1000000000ull)
			die("bench: RX through uio_net still busy %u s after the flood stopped",
			    PHASE_SLACK_S);
	}
	notify_rx_free(v);
	out->fps = (double)n * 1e9 / (double)(t1 - t0);
	out->cpu_us = driver_cpu(v, l0, l1, "rx_frames");
}

static void drv_tx(struct net_run *r, unsigned size, unsigned seconds, struct fig *out)
{
	struct net_virt *v = r->v;
	uint64_t n = 0, t0 = 0, t1 = 0, start = now_ns();
	int l0 = -1, l1 = 0;

	/* every pool buffer holds a test frame of this size */
	for (uint32_t i = 0; i < v->n_pool; i++)
		frame_make(tx_ptr(v, v->tx_pool[i]), size, MAGIC_TX, i, (const uint8_t *)"\2\0\0\0\0\2");
	wire_flush(v);
	for (;;) {
		uint64_t io;
		int len;

		while (tx_back(v, 1, 0) == 1)
			;
		/* refill in batches, as a virtualiser woken per client batch would: fewer,
		 * larger notifications, and the host CPU left to QEMU in between */
		if (v->n_pool >= 64 || !v->tx_given.n) {
			while ((io = tx_buf(v)))
				tx_push(v, io, (uint16_t)size);
			notify_tx_active(v);
		}
		for (int k = 0; k < TAKE_BATCH &&
				(len = (int)recv(v->sock, bbuf, 65536, MSG_DONTWAIT)) >= 0; k++) {
			if (len != (int)size)
				continue;
			t1 = now_ns();
			if (!t0) {
				t0 = t1;
				l0 = stats_lines(v);
			}
			n++;
		}
		if (t0 && t1 - t0 >= seconds * 1000000000ull)
			break;
		if (now_ns() - start > (seconds + PHASE_SLACK_S) * 1000000000ull)
			die("bench: TX %u through uio_net: %s within %u s", size,
			    t0 ? "no end" : "no frame on the wire", seconds + PHASE_SLACK_S);
		if (!deadline_left_ns())
			die("bench: TX through uio_net did not end");
		sleep_us(100);
	}
	l1 = stats_lines(v);
	while (v->tx_given.n && wait_tx_free(v, 2000000000ull, "bench"))
		while (tx_back(v, 1, 0) == 1)
			;
	wire_flush(v);
	out->fps = n > 1 ? (double)(n - 1) * 1e9 / (double)(t1 - t0) : 0;
	out->cpu_us = driver_cpu(v, l0, l1, "tx_frames");
}

/* The best round (the host is shared: QEMU's threads, the simulator, whatever else
 * runs; the best round is the least disturbed) and the spread of the rounds: "best
 * (worst-best)" frames/s in a 24-column field. */
static const struct fig *best_of(const struct fig *f, unsigned n)
{
	const struct fig *b = &f[0];

	for (unsigned i = 1; i < n; i++)
		if (f[i].fps > b->fps)
			b = &f[i];
	return b;
}

static const char *spread(const struct fig *f, unsigned n, char *buf, size_t len)
{
	double lo = f[0].fps;

	for (unsigned i = 1; i < n; i++)
		if (f[i].fps < lo)
			lo = f[i].fps;
	snprintf(buf, len, "%.0f (%.0f-%.0f)", best_of(f, n)->fps, lo, best_of(f, n)->fps);
	return buf;
}

static void cpu_str(const struct fig *f, char *buf, size_t len)
{
	if (f->cpu_us >= 0)
		snprintf(buf, len, "%.1fus", f->cpu_us);
	else
		snprintf(buf, len, "n/a");
}

void phase_bench(struct net_run *r, unsigned seconds, unsigned rounds)
{
	static struct fig raw[NSIZES][2][MAX_ROUNDS], drv[NSIZES][2][MAX_ROUNDS];
	char line[2048];
	uint64_t t0 = now_ns(), t_raw;

	check_begin("bench");
	if (rounds > MAX_ROUNDS)
		die("bench: at most %d rounds", MAX_ROUNDS);
	bench_secs = seconds;
	memset(raw, 0, sizeof(raw));
	memset(drv, 0, sizeof(drv));
	for (unsigned k = 0; k < rounds; k++)
		for (size_t i = 0; i < NSIZES; i++) {
			raw_rx(r, k + 1, sizes[i], &raw[i][0][k]);
			raw_tx(r, k + 1, sizes[i], &raw[i][1][k]);
		}
	wait_line(r->v, "netbench: done", line, PHASE_SLACK_S * 1000000000ull);
	wait_serving(r, 60000000000ull);
	t_raw = now_ns();
	for (unsigned k = 0; k < rounds; k++)
		for (size_t i = 0; i < NSIZES; i++) {
			drv_rx(r, sizes[i], seconds, &drv[i][0][k]);
			drv_tx(r, sizes[i], seconds, &drv[i][1][k]);
		}
	printf("\nnet bench: best of %u rounds of %u s per figure (the rounds' spread in "
	       "brackets); QEMU TCG (1 vCPU), virtio-net, its wire a host UDP socket\n",
	       rounds, seconds);
	printf("%-4s %5s | %24s %7s %7s | %24s %7s %7s | %5s %11s\n", "dir", "size",
	       "raw f/s", "Mb/s", "cpu/f", "uio_net f/s", "Mb/s", "cpu/f", "ratio", "(rounds)");
	for (size_t i = 0; i < NSIZES; i++)
		for (int d = 0; d < 2; d++) {
			const struct fig *a = best_of(raw[i][d], rounds), *b = best_of(drv[i][d], rounds);
			char ca[16], cb[16], sa[40], sb[40];
			double rlo = 9, rhi = 0;

			/* the ratio within each round, raw and uio_net of the same round */
			for (unsigned k = 0; k < rounds; k++) {
				double q = raw[i][d][k].fps > 0 ? drv[i][d][k].fps / raw[i][d][k].fps : 0;

				rlo = q < rlo ? q : rlo;
				rhi = q > rhi ? q : rhi;
			}
			cpu_str(a, ca, sizeof(ca));
			cpu_str(b, cb, sizeof(cb));
			printf("%-4s %5u | %24s %7.1f %7s | %24s %7.1f %7s | %5.2f (%.2f-%.2f)\n",
			       d ? "tx" : "rx", sizes[i], spread(raw[i][d], rounds, sa, sizeof(sa)),
			       a->fps * sizes[i] * 8 / 1e6, ca,
			       spread(drv[i][d], rounds, sb, sizeof(sb)), b->fps * sizes[i] * 8 / 1e6,
			       cb, a->fps > 0 ? b->fps / a->fps : 0, rlo, rhi);
		}
	printf("raw: netbench (AF_PACKET, recvmmsg/sendmmsg of 64) in the same guest; uio_net: "
	       "the same frames through the sDDF queues.\ncpu/f: guest CPU time per frame of "
	       "netbench, and of uio_net (user + system, getrusage), in the best round. ratio: "
	       "best / best, and the range of round k's uio_net / round k's raw.\n"
	       "time: raw figures %.0f s, uio_net figures %.0f s\n",
	       (double)(t_raw - t0) / 1e9, (double)(now_ns() - t_raw) / 1e9);
	fflush(stdout);
}
