/* uio_net: serve the sDDF network queues that the VMM shares through two UIO devices
 * with a Linux network interface. Options, set-up, and the event loop: one poll() over
 * both UIO interrupt fds, the socket and a signalfd (core/sigfd.c). It never spins: interrupts are
 * drained and re-enabled, a full socket is waited for with POLLOUT. Design and
 * guarantees: docs/uio_net.md; the binding: docs/binding-net.md. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>
#include "link.h"
#include "log.h"
#include "sigfd.h"
#include "net.h"
#include "uio.h"

const char uio_net_usage[] =
	"Usage: uio_net --rx-capacity N --tx-capacity N [OPTIONS]\n"
	"Serve the sDDF 0.7 network queues that the VMM shares through the UIO devices\n"
	"net-rx and net-tx (docs/binding-net.md) with a Linux network interface, until\n"
	"SIGTERM or SIGINT. SIGUSR1 logs the counters.\n"
	"\n"
	"  --if NAME           interface to serve (default eth0); brought up, promiscuous\n"
	"  --rx-capacity N     entries of the RX free and active queues, as the peer\n"
	"                      configured them (power of two, at most 32768)\n"
	"  --tx-capacity N     entries of the TX active and free queues (likewise)\n"
	"  --uio-rx NAME       RX UIO device name (default net-rx)\n"
	"  --uio-tx NAME       TX UIO device name (default net-tx); devices named NAME-data\n"
	"                      add client TX data regions\n"
	"  --stats SECONDS     log the counters at this interval when they changed\n"
	"                      (default 60, 0 = never)\n"
	"  -v                  debug messages (the TX data regions)\n"
	"Environment: DVM_UIO_ROOT prefixes the /sys and /dev paths (tests).\n";

/* "--name value" or "--name=value"; a table instead of getopt_long (size). */
enum { OPT_IF, OPT_RXCAP, OPT_TXCAP, OPT_UIORX, OPT_UIOTX, OPT_STATS, NOPT };
static const char opt_names[NOPT][12] = {
	"if", "rx-capacity", "tx-capacity", "uio-rx", "uio-tx", "stats",
};

static int number(int opt, const char *s, unsigned long max, unsigned long *v)
{
	unsigned long x = 0;
	const char *p = s;

	for (; *p >= '0' && *p <= '9' && x <= max; p++)
		x = x * 10 + (unsigned)(*p - '0');
	if (p == s || *p || x > max) {
		err("--%s '%s': expected a number from 0 to %lu", opt_names[opt], s, max);
		return -1;
	}
	*v = x;
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void stats(struct net_srv *s, struct link *l, const char *what)
{
	char line[640];
	struct rusage ru;

	s->st[ST_RX_KDROP] = link_kdrops(l);
	getrusage(RUSAGE_SELF, &ru);
	net_stats_fmt(s, line, sizeof(line));
	log_msg(LOG_NOTICE, "%s: %s cpu_ms=%ld", what, line,
		(long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
		(long)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000);
}

/* An interrupt: read the event count without blocking, re-enable the line (UIO
 * disabled it), so a level interrupt cannot fire again for the same notification. */
static int irq(int fd, int ctl, uint64_t *count)
{
	int r = uio_drain(fd);

	if (r >= 0)
		r = uio_irq_enable(ctl);
	if (r < 0) {
		err("UIO interrupt: %s", strerror(-r));
		return -1;
	}
	++*count;
	return 0;
}

int uio_net_main(int argc, char **argv)
{
	const char *val[NOPT] = { "eth0", 0, 0, "net-rx", "net-tx", "60" };
	unsigned long cap[2], interval;
	static struct uio_dev devs[NET_MAX_DEVS];
	static struct net_srv srv;
	static struct link lk; /* zeroed: link_send relies on it */
	static uint64_t printed[NST];
	struct net_maps m;
	struct net_frame fr[NET_BATCH];
	struct pollfd p[4];
	struct timespec ts;
	long long next_stats = 0, retry_at = 0;
	int ndev = 0, rc = 1, sfd = -1, stop = 0, tx_more, c;
	sigset_t sigs;

	lk.fd = -1;
	/* Started by hand or by a test rather than by init: the caller wants the messages. */
	if (getpid() != 1 && getppid() != 1)
		log_to_stderr();
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *eq;
		size_t len;

		if (!strcmp(a, "-v")) {
			log_verbose();
			continue;
		}
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a) : strlen(a);
		for (c = 0; c < NOPT; c++)
			if (a[0] == '-' && a[1] == '-' && len == 2 + strlen(opt_names[c]) &&
			    !strncmp(opt_names[c], a + 2, len - 2))
				break;
		if (c == NOPT) {
			err("unknown argument '%s'; see uio_net --help", a);
			return 2;
		}
		val[c] = eq ? eq + 1 : i + 1 < argc ? argv[++i] : 0;
		if (!val[c]) {
			err("option --%s needs a value", opt_names[c]);
			return 2;
		}
	}
	if (!val[OPT_RXCAP] || !val[OPT_TXCAP]) {
		err("--rx-capacity and --tx-capacity are required (the peer's queue sizes)");
		return 2;
	}
	/* Capacities are checked here for what they are, then against the maps. */
	if (number(OPT_RXCAP, val[OPT_RXCAP], 1UL << 20, &cap[0]) ||
	    number(OPT_TXCAP, val[OPT_TXCAP], 1UL << 20, &cap[1]) ||
	    number(OPT_STATS, val[OPT_STATS], 1UL << 24, &interval) ||
	    net_check_cap("--rx-capacity", "RX", cap[0], ~0ULL) ||
	    net_check_cap("--tx-capacity", "TX", cap[1], ~0ULL))
		return 2;

	if (net_bind(&srv, &m, devs, &ndev, uio_root(), val[OPT_UIORX], val[OPT_UIOTX]))
		goto out;
	for (int i = 0; i < 4; i++)
		if (net_check_cap(i < 2 ? "--rx-capacity" : "--tx-capacity",
				  i & 1 ? "active" : "free", cap[i / 2], m.qsize[i]))
			goto out;
	if (link_open(&lk, val[OPT_IF]))
		goto out;
	if (lk.mtu + ETH_HDR > NET_BUFFER_SIZE)
		warn("%s: MTU %u: frames over %u bytes will be dropped", lk.ifname, lk.mtu,
		     NET_BUFFER_SIZE);
	net_srv_init(&srv, &m, (uint32_t)cap[0], (uint32_t)cap[1]);
	srv.max_frame = lk.mtu + ETH_HDR;
	srv.send = link_send;
	srv.send_ctx = &lk;
	/* The doorbell word must change at every notification, also across restarts. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	srv.rx_bell.count = srv.tx_bell.count = (uint32_t)(ts.tv_sec * 1000003 + ts.tv_nsec);

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGUSR1);
	sfd = sigfd_open(&sigs);
	if (sfd < 0 || uio_irq_enable(m.ctl[0]) || uio_irq_enable(m.ctl[1])) {
		err("signalfd or enabling the UIO interrupts: %s", strerror(errno));
		goto out;
	}
	p[0] = (struct pollfd){ m.fd[0], POLLIN, 0 };
	p[1] = (struct pollfd){ m.fd[1], POLLIN, 0 };
	p[2] = (struct pollfd){ lk.fd, POLLIN, 0 };
	p[3] = (struct pollfd){ sfd, POLLIN, 0 };
	info("%s: MTU %u, MAC %02x:%02x:%02x:%02x:%02x:%02x, up, promiscuous; queues RX %lu, "
	     "TX %lu; serving", lk.ifname, lk.mtu, lk.mac[0], lk.mac[1], lk.mac[2], lk.mac[3],
	     lk.mac[4], lk.mac[5], cap[0], cap[1]);

	/* Work queued before we started; then ask for TX signals. */
	net_rx_irq(&srv);
	tx_more = net_tx(&srv);
	net_notify(&srv);
	if (interval)
		next_stats = now_ms() + (long long)interval * 1000;
	rc = 0;
	while (!stop) {
		long long now = now_ms(), until = srv.tx_blocked == TXB_RETRY ? retry_at : -1;
		int rxk = 0, txk = tx_more, timeout;

		if (interval && (until < 0 || next_stats < until))
			until = next_stats;
		timeout = tx_more || (until >= 0 && until <= now) ? 0 : until < 0 ? -1 :
			  (int)(until - now);
		p[2].events = POLLIN | (srv.tx_blocked == TXB_POLLOUT ? POLLOUT : 0);
		if (poll(p, 4, timeout) < 0 && errno != EINTR) {
			err("poll: %s", strerror(errno));
			rc = 1;
			break;
		}
		if ((p[0].revents && irq(m.fd[0], m.ctl[0], &srv.st[ST_IRQ_RX])) ||
		    (p[1].revents && irq(m.fd[1], m.ctl[1], &srv.st[ST_IRQ_TX]))) {
			rc = 1;
			break;
		}
		if (p[0].revents)
			net_rx_irq(&srv);
		txk |= !!p[1].revents;
		rxk = !!(p[2].revents & (POLLIN | POLLERR));
		if ((p[2].revents & POLLOUT) && srv.tx_blocked == TXB_POLLOUT)
			srv.tx_blocked = TXB_NONE, txk = 1;
		if (p[3].revents) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGUSR1)
					stats(&srv, &lk, "stats");
				else
					stop = 1;
			}
		}
		now = now_ms();
		if (srv.tx_blocked == TXB_RETRY && now >= retry_at)
			srv.tx_blocked = TXB_NONE, retry_at = 0, txk = 1;
		/* A bounded number of RX batches per round keeps TX served under a flood.
		 * No more frames than buffers; with none, drop without copying. */
		for (int round = 0; rxk && round < 4; round++) {
			unsigned want = net_rx_space(&srv), max = want ? want : NET_BATCH;
			int k = link_recv(&lk, fr, max, want > 0);
			if (k < 0) {
				warn("%s: receive: %s", lk.ifname, strerror(-k));
				break;
			}
			if (want)
				net_rx(&srv, fr, (unsigned)k);
			else
				net_rx_drop(&srv, fr, (unsigned)k);
			if ((unsigned)lk.last_n < max)
				break;
		}
		tx_more = txk ? net_tx(&srv) : 0;
		if (srv.tx_blocked == TXB_RETRY && !retry_at)
			retry_at = now + 1; /* the qdisc dropped: POLLOUT would not wait */
		net_notify(&srv);
		if (interval && now >= next_stats) {
			next_stats = now + (long long)interval * 1000;
			if (memcmp(printed, srv.st, sizeof(printed))) {
				memcpy(printed, srv.st, sizeof(printed));
				stats(&srv, &lk, "stats");
			}
		}
	}
	/* Give the peer its TX buffers back, sent or not. */
	net_tx_flush(&srv);
	net_notify(&srv);
	stats(&srv, &lk, rc ? "failed" : "stopped");
out:
	link_close(&lk);
	for (int i = 0; i < ndev; i++)
		uio_close(&devs[i]);
	if (sfd >= 0)
		close(sfd);
	return rc;
}
