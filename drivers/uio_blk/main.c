/* uio_blk: serve an sDDF block queue pair, shared by the VMM through UIO devices, with a
 * Linux block device. Options, set-up, and the event loop: kick the serving core, notify
 * the peer once per batch, block in the engine until an interrupt, a completion or a
 * signal. Design and guarantees: docs/uio_blk.md; the binding: docs/binding-blk.md. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>
#include "blk.h"
#include "log.h"
#include "uio.h"

const char uio_blk_usage[] =
	"Usage: uio_blk --capacity N [OPTIONS]\n"
	"Serve the sDDF 0.7 block request/response queues that the VMM shares through UIO\n"
	"devices (docs/binding-blk.md) with a Linux block device, until SIGTERM or SIGINT:\n"
	"then finish and answer the requests in progress and exit 0.\n"
	"\n"
	"  --uio NAME          primary UIO device: /sys/class/uio/*/name == NAME (default blk);\n"
	"                      devices named NAME-data add data regions\n"
	"  --device PATH       block device (or regular file) to serve (default /dev/vda)\n"
	"  --capacity N        entries of both queues (power of two; as the peer configured)\n"
	"  --req-capacity N    request queue entries (overrides --capacity)\n"
	"  --resp-capacity N   response queue entries (overrides --capacity)\n"
	"  --notify MODE       how to notify the VMM: page (write a counter to the 'notify'\n"
	"                      map), irq-ack (disable+enable the UIO interrupt, libvmm style),\n"
	"                      auto (default: page when the maps have names and one is\n"
	"                      'notify', else irq-ack)\n"
	"  --legacy-offsets    io_or_offset is an offset into the first data map, not a\n"
	"                      physical address (libvmm's older layout)\n"
	"  --depth N           device I/Os in flight at once (default 16, 1..256)\n"
	"  --chunk KIB         bounce buffer per I/O, multiple of 4 (default 64, max 16384);\n"
	"                      larger requests run in chunks\n"
	"  --copy              no zero-copy: always copy through bounce buffers\n"
	"  --poll-us N         after answering, look at the request queue for up to N us with\n"
	"                      the interrupt still disabled (default " BLK_STR(BLK_POLL_US_DEFAULT) "; 0: off)\n"
	"  --journal PATH      restart journal on tmpfs (default /tmp/uio_blk-NAME.journal;\n"
	"                      'none' disables the exactly-once guarantee across restarts)\n"
	"  --read-only         open the device read-only (writes answer ERR_IO)\n"
	"  --buffered          no O_DIRECT (use the page cache)\n"
	"  --sync              no io_uring: synchronous pread/pwrite, one request at a time\n"
	"  -v, --verbose       trace every request (code, block, count, io, id -> status,\n"
	"                      count)\n"
	"Environment: DVM_UIO_ROOT prefixes the /sys and /dev paths (tests, docs/uio_blk.md).\n";

/* Options: "--name value" or "--name=value"; flags have no value. A small table instead
 * of getopt_long, which would cost several KiB in the static binary. */
enum { OPT_CAP, OPT_REQCAP, OPT_RESPCAP, OPT_DEPTH, OPT_CHUNK, OPT_POLL, /* numbers */
       OPT_UIO, OPT_NUMS = OPT_UIO, OPT_DEVICE, OPT_NOTIFY, OPT_JOURNAL, /* strings */
       OPT_LEGACY, OPT_FLAGS = OPT_LEGACY, OPT_RO, OPT_BUFFERED, OPT_SYNC, OPT_VERBOSE,
       OPT_COPY, OPT_N };
#define F(o) (1u << ((o) - OPT_FLAGS))
static const char opt_names[OPT_N][15] = {
	"capacity", "req-capacity", "resp-capacity", "depth", "chunk", "poll-us", "uio",
	"device", "notify", "journal", "legacy-offsets", "read-only", "buffered", "sync",
	"verbose", "copy",
};
static const uint32_t opt_max[OPT_NUMS] = { 0x80000000u, 0x80000000u, 0x80000000u,
					    BLK_MAX_DEPTH, 16384, 1000000 };

int uio_blk_main(int argc, char **argv)
{
	const char *val[OPT_FLAGS] = { [OPT_UIO] = "blk", [OPT_DEVICE] = "/dev/vda",
				       [OPT_NOTIFY] = "auto" };
	unsigned long num[OPT_NUMS] = { [OPT_DEPTH] = 16, [OPT_CHUNK] = 64,
					[OPT_POLL] = BLK_POLL_US_DEFAULT };
	unsigned flags = 0;
	int c, ndev = 0, named, rc = 1, busy;
	static struct uio_dev devs[BLK_MAX_DEVS];
	static struct blk_srv srv;
	struct blk_notify nt = { 0 };
	struct blk_engine *eng = 0;
	struct blk_dev dev = { .fd = -1 };
	const char *ename = "io_uring", *notify, *journal;
	char jpath[128];
	uint32_t counter;
	sigset_t sigs;
	int sfd = -1;

	/* Started by hand or by a test rather than by init: the caller wants the messages. */
	if (getpid() != 1 && getppid() != 1)
		log_to_stderr();
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v, *eq;
		size_t len;

		if (!strcmp(a, "-v")) {
			flags |= F(OPT_VERBOSE);
			continue;
		}
		if (strncmp(a, "--", 2)) {
			err("unexpected argument '%s'", a);
			return 2;
		}
		a += 2;
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a) : strlen(a);
		for (c = 0; c < OPT_N; c++)
			if (strlen(opt_names[c]) == len && !strncmp(opt_names[c], a, len))
				break;
		if (c == OPT_N) {
			err("unknown option '%s'", argv[i]);
			return 2;
		}
		if (c >= OPT_FLAGS) {
			if (eq) {
				err("--%s takes no value", opt_names[c]);
				return 2;
			}
			flags |= F(c);
			continue;
		}
		v = eq ? eq + 1 : i + 1 < argc ? argv[++i] : 0;
		if (!v) {
			err("--%s needs a value", opt_names[c]);
			return 2;
		}
		val[c] = v;
	}
	for (c = 0; c < OPT_NUMS; c++) {
		char *end;
		const char *v = val[c];

		if (!v)
			continue;
		errno = 0;
		num[c] = strtoul(v, &end, 0);
		if (*v < '0' || *v > '9' || *end || errno || num[c] > opt_max[c]) {
			err("--%s '%s': bad number (max %u)", opt_names[c], v, opt_max[c]);
			return 2;
		}
	}
	if (flags & F(OPT_VERBOSE))
		log_verbose();
	if (!num[OPT_REQCAP])
		num[OPT_REQCAP] = num[OPT_CAP];
	if (!num[OPT_RESPCAP])
		num[OPT_RESPCAP] = num[OPT_CAP];
	if (!num[OPT_REQCAP] || !num[OPT_RESPCAP]) {
		err("--capacity N (or --req-capacity and --resp-capacity) is required");
		return 2;
	}
	if (!num[OPT_DEPTH] || !num[OPT_CHUNK] || num[OPT_CHUNK] % 4) {
		err("--depth >= 1, --chunk a multiple of 4");
		return 2;
	}
	notify = val[OPT_NOTIFY];
	if (strcmp(notify, "auto") && strcmp(notify, "page") && strcmp(notify, "irq-ack")) {
		err("--notify '%s': not page, irq-ack or auto", notify);
		return 2;
	}

	/* From here on SIGTERM/SIGINT arrive through the signalfd, even during set-up: a
	 * stop request is never lost and never kills us with requests half-served. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigprocmask(SIG_BLOCK, &sigs, 0);
	sfd = signalfd(-1, &sigs, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd < 0) {
		err("signalfd: %m");
		return 1;
	}
	named = blk_bind(&srv.shm, devs, &ndev, uio_root(), val[OPT_UIO]);
	if (named < 0)
		goto out;
	srv.shm.legacy = !!(flags & F(OPT_LEGACY));
	if (blk_check_cap("--req-capacity", num[OPT_REQCAP], blk_req_queue_bytes(num[OPT_REQCAP]),
			  srv.shm.req_size) ||
	    blk_check_cap("--resp-capacity", num[OPT_RESPCAP],
			  blk_resp_queue_bytes(num[OPT_RESPCAP]), srv.shm.resp_size))
		goto out;
	srv.shm.req_cap = (uint32_t)num[OPT_REQCAP];
	srv.shm.resp_cap = (uint32_t)num[OPT_RESPCAP];
	nt.ctl_fd = devs[0].ctl_fd;
	nt.mode = !strcmp(notify, "page") || (!strcmp(notify, "auto") && named && srv.shm.notify)
			  ? BLK_NOTIFY_PAGE : BLK_NOTIFY_IRQ_ACK;
	nt.page = srv.shm.notify;
	if (nt.mode == BLK_NOTIFY_PAGE && !nt.page) {
		err("--notify page: no 'notify' map");
		goto out;
	}

	if (blk_dev_open(&dev, val[OPT_DEVICE], flags & F(OPT_RO), flags & F(OPT_BUFFERED),
			 uio_root()))
		goto out;
	srv.capacity = dev.capacity;
	srv.read_only = dev.read_only;
	srv.depth = (unsigned)num[OPT_DEPTH];
	srv.chunk = (unsigned)num[OPT_CHUNK] / 4;

	journal = val[OPT_JOURNAL];
	if (!journal) {
		snprintf(jpath, sizeof(jpath), "/tmp/uio_blk-%s.journal", val[OPT_UIO]);
		journal = jpath;
	}
	if (strcmp(journal, "none")) {
		srv.jr = blk_journal_open(journal, &busy);
		if (busy)
			goto out;
		if (!srv.jr)
			warn("no journal: no exactly-once across restarts");
	}
	/* The doorbell word must change at every notification, also across restarts. */
	if (srv.jr) {
		nt.counter = &srv.jr->notify;
	} else {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		counter = (uint32_t)(ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
		nt.counter = &counter;
	}
	blk_zc_setup(&srv, uio_root(), dev.direct, dev.sector_size, !!(flags & F(OPT_COPY)));
	if (blk_srv_init(&srv))
		goto out;

	if (!(flags & F(OPT_SYNC))) {
		eng = blk_uring_new(dev.fd, devs[0].fd, sfd, &nt, srv.bounce, srv.bounce_len,
				    srv.depth);
		if (!eng)
			warn("no io_uring (%m): synchronous I/O");
	}
	if (!eng) {
		eng = blk_sync_new(dev.fd, devs[0].fd, sfd, &nt, srv.depth);
		ename = "sync";
	}
	if (!eng) {
		err("out of memory");
		goto out;
	}
	srv.eng = eng;
	eng->defer_enable = num[OPT_POLL] > 0;

	/* UIO's handler disables the interrupt until it is re-enabled; a predecessor killed
	 * in between left it disabled, and nothing would ever wake us. */
	uio_irq_enable(devs[0].ctl_fd);
	blk_info_publish(srv.shm.info, &dev, (uint16_t)srv.depth);
	info("serving %s: %u x %lu KiB, %s, notify %s", val[OPT_DEVICE], srv.depth,
	     num[OPT_CHUNK], ename, nt.mode == BLK_NOTIFY_PAGE ? "page" : "irq-ack");
	eng->notify(eng); /* storage info is ready */

	rc = 0;
	for (;;) {
		int ev;

		blk_srv_kick(&srv);
		if (srv.notify) {
			eng->notify(eng);
			srv.notify = 0;
		}
		if (srv.stopping && !blk_srv_inflight(&srv)) {
			if (blk_srv_busy(&srv))
				warn("%u answers unpublished (response queue inconsistent)",
				     blk_srv_busy(&srv));
			break;
		}
		if (eng->masked && !blk_srv_inflight(&srv)) {
			/* Idle with the interrupt still disabled since the last event
			 * (NAPI-style): work that arrives within --poll-us is served without
			 * one. While device I/O is in flight its completion wakes us, so the
			 * interrupt stays off then. */
			if (!srv.stopping && blk_srv_poll(&srv, (unsigned)num[OPT_POLL]))
				continue;
			eng->irq_enable(eng);
			/* Look once more after enabling: work published just before is served
			 * now, not after the next notification. */
			if (blk_srv_pending(&srv))
				continue;
		}
		ev = eng->wait(eng, &srv);
		if (ev < 0) {
			rc = 1;
			break;
		}
		if ((ev & BLK_EV_STOP) && !srv.stopping) {
			info("stopping, %u requests to finish", blk_srv_busy(&srv));
			srv.stopping = 1;
		}
	}
	info("served %llu requests; zero-copy I/Os %llu, copied for alignment %llu",
	     (unsigned long long)srv.nreq, (unsigned long long)srv.nzc,
	     (unsigned long long)srv.nzc_copy);
out:
	for (int i = 0; i < ndev; i++)
		uio_close(&devs[i]);
	if (dev.fd >= 0)
		close(dev.fd);
	if (sfd >= 0)
		close(sfd);
	return rc;
}
