// SPDX-License-Identifier: BSD-2-Clause
/* uio_net: serve the sDDF network queues that the VMM shares through two UIO devices
 * with a Linux network interface. Options, set-up, and the event loop: one poll() over
 * both UIO interrupt fds, the socket and a signalfd (core/sigfd.c). It never spins: interrupts are
 * drained and re-enabled, a full socket is waited for with POLLOUT. Design and
 * guarantees: docs/uio_net.md; the binding: docs/binding-net.md. */
#include <errno.h>
#include <net/if.h>
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
#include "opt.h"
#include "uio.h"

const char uio_net_usage[] =
	"Usage: uio_net [--rx-capacity N --tx-capacity N] [OPTIONS]\n"
	"Serve the sDDF 0.7 network queues that the VMM shares through UIO devices\n"
	"(docs/binding-net.md) with a Linux network interface, until SIGTERM or SIGINT.\n"
	"SIGUSR1 logs the counters.\n"
	"\n"
	"  --if NAME           interface to serve (default eth0); brought up, promiscuous\n"
	"  --rx-capacity N     entries of the RX free and active queues, as the peer\n"
	"                      configured them (at most 32768; default: data_passing's)\n"
	"  --tx-capacity N     entries of the TX active and free queues (likewise)\n"
	"  --uio-rx NAME       RX UIO device name (default net-rx)\n"
	"  --uio-tx NAME       TX UIO device name (default net-tx); devices named NAME-data\n"
	"                      add client TX data regions\n"
	"  --prefix P          per-region binding (when region Prx_free exists): names P +\n"
	"                      rx_free, tx_active, ..., data_passing (default none)\n"
	"  --stats SECONDS     log the counters at this interval when they changed\n"
	"                      (default 60, 0 = never)\n"
	"  -v, --verbose       debug messages (the TX data regions)\n"
	"Environment: DVM_UIO_ROOT prefixes the /sys and /dev paths (tests).\n"
	"\n"
	"Exit status: 0 stopped by SIGTERM or SIGINT, 1 failed (binding, interface, I/O),\n"
	"2 bad usage.\n";

/* The options (core/opt.h reads them). */
enum { OPT_IF, OPT_RXCAP, OPT_TXCAP, OPT_UIORX, OPT_UIOTX, OPT_STATS, OPT_PREFIX, OPT_VERBOSE,
       NOPT };
static const struct opt opts[NOPT] = {
	{ "if", 0, 0 }, { "rx-capacity", 0, 0 }, { "tx-capacity", 0, 0 }, { "uio-rx", 0, 0 },
	{ "uio-tx", 0, 0 }, { "stats", 0, 0 }, { "prefix", 0, 0 }, { "verbose", 1, 'v' },
};

struct net_args {
	const char *val[NOPT];	/* strings as given; a flag given: "" */
	unsigned long cap[2], interval;
};

/* Every check that needs nothing but the arguments, so `init --check-config` finds a bad
 * one before the VM boots. Returns 0 or OPT_USAGE, with the error logged. */
static int parse(int argc, char **argv, struct net_args *a)
{
	const char **val = a->val;

	memset(a, 0, sizeof(*a));
	val[OPT_IF] = "eth0";
	val[OPT_UIORX] = "net-rx";
	val[OPT_UIOTX] = "net-tx";
	val[OPT_STATS] = "60";
	val[OPT_PREFIX] = "";
	if (opt_parse(argc, argv, opts, NOPT, val))
		return OPT_USAGE;
	/* capacities not given (0) come from data_passing, checked once bound */
	if ((val[OPT_RXCAP] &&
	     opt_num("rx-capacity", val[OPT_RXCAP], 1, NETQ_MAX_CAP, 1, &a->cap[0])) ||
	    (val[OPT_TXCAP] &&
	     opt_num("tx-capacity", val[OPT_TXCAP], 1, NETQ_MAX_CAP, 1, &a->cap[1])) ||
	    opt_num("stats", val[OPT_STATS], 0, 1UL << 24, 1, &a->interval))
		return OPT_USAGE;
	/* an interface name: 1 to IFNAMSIZ - 1 bytes, none of them '/' or blank */
	if (!*val[OPT_IF] || strlen(val[OPT_IF]) >= IFNAMSIZ || strpbrk(val[OPT_IF], "/ \t\n")) {
		err("--if '%s': expected an interface name (1 to %d characters, no '/' or blank)",
		    val[OPT_IF], IFNAMSIZ - 1);
		return OPT_USAGE;
	}
	for (int c = OPT_UIORX; c <= OPT_UIOTX; c++)
		if (!*val[c]) {
			err("--%s '': expected a UIO device name", opts[c].name);
			return OPT_USAGE;
		}
	return 0;
}

int uio_net_check(int argc, char **argv)
{
	struct net_args a;

	return parse(argc, argv, &a);
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
	struct net_args args;
	const char **val = args.val;
	unsigned long *cap, interval;
	static struct uio_dev devs[NET_MAX_DEVS];
	static struct net_srv srv;
	static struct link lk; /* zeroed: link_send relies on it */
	static uint64_t printed[NST];
	struct net_maps m;
	struct net_frame fr[NET_BATCH];
	struct pollfd p[4];
	struct timespec ts;
	long long next_stats = 0, retry_at = 0;
	int ndev = 0, rc = 1, sfd = -1, stop = 0, tx_more;
	sigset_t sigs;

	lk.fd = -1;
	/* Started by hand or by a test rather than by init: the caller wants the messages. */
	if (getpid() != 1 && getppid() != 1)
		log_to_stderr();
	if (parse(argc, argv, &args))
		return OPT_USAGE;
	if (val[OPT_VERBOSE])
		log_verbose();
	cap = args.cap;
	interval = args.interval;

	if (net_bind(&srv, &m, devs, &ndev, uio_root(), val[OPT_UIORX], val[OPT_UIOTX],
		     val[OPT_PREFIX], cap))
		goto out;
	for (int k = 0; k < 2; k++)
		if (!cap[k] && !(cap[k] = m.cap[k])) {
			err("--rx-capacity and --tx-capacity are required (the peer's queue "
			    "sizes): no data_passing region gives them");
			goto out;
		}
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
