// SPDX-License-Identifier: BSD-2-Clause
/* uio_blk: serve an sDDF block queue pair, shared by the VMM through UIO devices, with a
 * Linux block device. Options, set-up, and the event loop: kick the serving core, notify
 * the peer once per batch, block in the engine until an interrupt, a completion or a
 * signal. Design and guarantees: docs/uio_blk.md; the binding: docs/binding-blk.md. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>
#include "blk.h"
#include "log.h"
#include "opt.h"
#include "sigfd.h"
#include "uio.h"

const char uio_blk_usage[] =
	"Usage: uio_blk --capacity N [OPTIONS]\n"
	"Serve the sDDF 0.7 block request/response queues that the VMM shares through UIO\n"
	"devices (docs/binding-blk.md) with a Linux block device, until SIGTERM or SIGINT:\n"
	"then finish and answer the requests in progress and exit 0.\n"
	"\n"
	"  --uio NAME          dvm binding: primary UIO device: /sys/class/uio/*/name == NAME\n"
	"                      (default blk); devices named NAME-data add data regions\n"
	"  --prefix P          per-region binding (when region Preq exists): names P +\n"
	"                      req, resp, storage_info, data..., fault, irq (default blk_)\n"
	"  --device PATH       block device (or regular file) to serve (default /dev/vda)\n"
	"  --capacity N        entries of both queues, as the peer configured them\n"
	"                      (1..2147483648)\n"
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
	"                      larger requests run in chunks; with neither option given,\n"
	"                      fewer and smaller where 16 x 64 KiB exceeds 1/16 of the RAM\n"
	"  --copy              no zero-copy: always copy through bounce buffers\n"
	"  --poll-us N         once the device is idle, look at the request queue for up to\n"
	"                      N us with the interrupt still disabled (default " BLK_STR(BLK_POLL_US_DEFAULT) "; 0: no\n"
	"                      polling at all)\n"
	"  --poll-io-us N      with I/O in flight, look at the request queue and the\n"
	"                      completions for up to N us before sleeping (default " BLK_STR(BLK_POLL_IO_US_DEFAULT) ")\n"
	"  --journal PATH      restart journal on tmpfs (default /tmp/uio_blk-NAME.journal;\n"
	"                      'none' disables the exactly-once guarantee across restarts)\n"
	"  --read-only         open the device read-only (writes answer ERR_IO)\n"
	"  --buffered          no O_DIRECT (use the page cache)\n"
	"  --sync              no io_uring: synchronous pread/pwrite, one request at a time\n"
	"  -v, --verbose       trace every request (code, block, count, io, id -> status,\n"
	"                      count)\n"
#ifdef DVM_BENCH_NULLDEV
	"  --null-device       (bench build only) complete every I/O at once without the\n"
	"                      device: the protocol alone\n"
#endif
	"Environment: DVM_UIO_ROOT prefixes the /sys and /dev paths, --device /dev/... and\n"
	"its default included (tests, docs/uio_blk.md).\n"
	"\n"
	"Exit status: 0 stopped by SIGTERM or SIGINT, 1 failed (binding, device, I/O),\n"
	"2 bad usage.\n";

/* The options (core/opt.h reads them); the first OPT_FLAGS take a value. */
enum { OPT_CAP, OPT_REQCAP, OPT_RESPCAP, OPT_DEPTH, OPT_CHUNK, OPT_POLL, OPT_POLLIO, OPT_UIO,
       OPT_DEVICE,
       OPT_NOTIFY, OPT_JOURNAL, OPT_PREFIX, OPT_FLAGS, OPT_LEGACY = OPT_FLAGS, OPT_RO, OPT_BUFFERED,
       OPT_SYNC, OPT_VERBOSE, OPT_COPY,
#ifdef DVM_BENCH_NULLDEV
       OPT_NULLDEV, /* the bench's null device: no such option in a normal build */
#endif
       OPT_N };
static const struct opt opts[OPT_N] = {
	{ "capacity", 0, 0 }, { "req-capacity", 0, 0 }, { "resp-capacity", 0, 0 },
	{ "depth", 0, 0 }, { "chunk", 0, 0 }, { "poll-us", 0, 0 }, { "poll-io-us", 0, 0 },
	{ "uio", 0, 0 }, { "device", 0, 0 },
	{ "notify", 0, 0 }, { "journal", 0, 0 }, { "prefix", 0, 0 }, { "legacy-offsets", 1, 0 },
	{ "read-only", 1, 0 }, { "buffered", 1, 0 }, { "sync", 1, 0 }, { "verbose", 1, 'v' },
	{ "copy", 1, 0 },
#ifdef DVM_BENCH_NULLDEV
	{ "null-device", 1, 0 },
#endif
};

struct blk_args {
	const char *val[OPT_N];	/* strings as given; a flag given: "" */
	unsigned long req_cap, resp_cap, depth, chunk, poll_us, poll_io_us;
};

/* Every check that needs nothing but the arguments, so `init --check-config` finds a bad
 * one before the VM boots. Returns 0 or OPT_USAGE, with the error logged. */
static int parse(int argc, char **argv, struct blk_args *a)
{
	const char **val = a->val;
	unsigned long cap = 0;

	memset(a, 0, sizeof(*a));
	val[OPT_UIO] = "blk";
	val[OPT_DEVICE] = "/dev/vda";
	val[OPT_NOTIFY] = "auto";
	val[OPT_PREFIX] = "blk_";
	a->depth = BLK_DEPTH_DEFAULT;
	a->chunk = BLK_CHUNK_DEFAULT;
	a->poll_us = BLK_POLL_US_DEFAULT;
	a->poll_io_us = BLK_POLL_IO_US_DEFAULT;
	if (opt_parse(argc, argv, opts, OPT_N, val) ||
	    (val[OPT_CAP] && opt_num("capacity", val[OPT_CAP], 1, 0x80000000u, 1, &cap)) ||
	    (val[OPT_REQCAP] && opt_num("req-capacity", val[OPT_REQCAP], 1, 0x80000000u,
					1, &a->req_cap)) ||
	    (val[OPT_RESPCAP] && opt_num("resp-capacity", val[OPT_RESPCAP], 1, 0x80000000u,
					 1, &a->resp_cap)) ||
	    (val[OPT_DEPTH] && opt_num("depth", val[OPT_DEPTH], 1, BLK_MAX_DEPTH, 1, &a->depth)) ||
	    (val[OPT_CHUNK] && opt_num("chunk", val[OPT_CHUNK], 4, 16384, 4, &a->chunk)) ||
	    (val[OPT_POLL] && opt_num("poll-us", val[OPT_POLL], 0, 1000000, 1, &a->poll_us)) ||
	    (val[OPT_POLLIO] && opt_num("poll-io-us", val[OPT_POLLIO], 0, 1000000, 1,
					&a->poll_io_us)))
		return OPT_USAGE;
	if (!a->req_cap)
		a->req_cap = cap;
	if (!a->resp_cap)
		a->resp_cap = cap;
	if (!a->req_cap || !a->resp_cap) {
		err("--capacity N is required (or both --req-capacity and --resp-capacity): "
		    "the queue sizes the peer configured");
		return OPT_USAGE;
	}
	for (int c = OPT_UIO; c <= OPT_JOURNAL; c++)
		if (val[c] && !*val[c]) {
			err("--%s '': expected %s", opts[c].name, c == OPT_UIO ? "a UIO device name" :
			    c == OPT_JOURNAL ? "a file path, or none" : c == OPT_DEVICE ?
			    "a block device or file path" : "page, irq-ack or auto");
			return OPT_USAGE;
		}
	if (strcmp(val[OPT_NOTIFY], "auto") && strcmp(val[OPT_NOTIFY], "page") &&
	    strcmp(val[OPT_NOTIFY], "irq-ack")) {
		err("--notify '%s': expected page, irq-ack or auto", val[OPT_NOTIFY]);
		return OPT_USAGE;
	}
	return 0;
}

int uio_blk_check(int argc, char **argv)
{
	struct blk_args a;

	return parse(argc, argv, &a);
}

int uio_blk_main(int argc, char **argv)
{
	static struct uio_dev devs[BLK_MAX_DEVS];
	static struct blk_srv srv;
	struct blk_args a;
	const char **val = a.val;
	struct blk_notify nt = { 0 };
	struct blk_engine *eng = 0, *irqe;
	struct blk_dev dev = { .fd = -1 };
	const char *ename = "io_uring", *notify, *journal, *device;
	char jpath[128], dpath[256];
	uint32_t counter;
	unsigned long long nsleep = 0; /* waits with nothing ready: the batching, in the last line */
	sigset_t sigs;
	int ndev = 0, named, rc = 1, busy, sfd = -1;

	/* Started by hand or by a test rather than by init: the caller wants the messages. */
	if (getpid() != 1 && getppid() != 1)
		log_to_stderr();
	if (parse(argc, argv, &a))
		return OPT_USAGE;
	if (val[OPT_VERBOSE])
		log_verbose();
	notify = val[OPT_NOTIFY];
	/* A test tree stands in for /dev too: the default /dev/vda included. */
	device = val[OPT_DEVICE];
	if (*uio_root() && !strncmp(device, "/dev/", 5)) {
		snprintf(dpath, sizeof(dpath), "%s%s", uio_root(), device);
		device = dpath;
	}

	/* From here on SIGTERM/SIGINT arrive through the signalfd, even during set-up: a
	 * stop request is never lost and never kills us with requests half-served. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sfd = sigfd_open(&sigs);
	if (sfd < 0) {
		err("signalfd or self-pipe: %m");
		return 1;
	}
	named = blk_bind(&srv.shm, devs, &ndev, uio_root(), val[OPT_UIO], val[OPT_PREFIX]);
	if (named < 0)
		goto out;
	srv.shm.legacy = !!val[OPT_LEGACY];
	if (blk_check_cap("--req-capacity", a.req_cap, blk_req_queue_bytes(a.req_cap),
			  srv.shm.req_size) ||
	    blk_check_cap("--resp-capacity", a.resp_cap, blk_resp_queue_bytes(a.resp_cap),
			  srv.shm.resp_size))
		goto out;
	srv.shm.req_cap = (uint32_t)a.req_cap;
	srv.shm.resp_cap = (uint32_t)a.resp_cap;
	nt.ctl_fd = devs[0].ctl_fd;
	nt.mode = !strcmp(notify, "page") || (!strcmp(notify, "auto") && named && srv.shm.notify)
			  ? BLK_NOTIFY_PAGE : BLK_NOTIFY_IRQ_ACK;
	nt.page = srv.shm.notify;
	if (nt.mode == BLK_NOTIFY_PAGE && !nt.page) {
		err("--notify page: no 'notify' map");
		goto out;
	}

	if (blk_dev_open(&dev, device, !!val[OPT_RO], !!val[OPT_BUFFERED], uio_root()))
		goto out;
	srv.capacity = dev.capacity;
	srv.read_only = dev.read_only;
	if (!val[OPT_DEPTH] && !val[OPT_CHUNK]) {
		/* A small VM: the bounce buffers are resident (io_uring pins them), so their
		 * size follows the RAM unless chosen (docs/uio_blk.md, "Memory"). */
		struct sysinfo si;

		if (!sysinfo(&si)) {
			uint64_t ram = (uint64_t)si.totalram * (si.mem_unit ? si.mem_unit : 1);

			blk_size_buffers(ram, &a.depth, &a.chunk);
			if (a.depth != BLK_DEPTH_DEFAULT || a.chunk != BLK_CHUNK_DEFAULT)
				info("%llu KiB of RAM: %lu x %lu KiB of bounce buffers instead of "
				     "%u x %u (--depth, --chunk to choose)", (unsigned long long)(ram >> 10),
				     a.depth, a.chunk, BLK_DEPTH_DEFAULT, BLK_CHUNK_DEFAULT);
		}
	}
	srv.depth = (unsigned)a.depth;
	srv.chunk = (unsigned)a.chunk / 4;

	journal = val[OPT_JOURNAL];
	if (!journal) {
		snprintf(jpath, sizeof(jpath), "/tmp/uio_blk-%s.journal",
			 val[named == 2 ? OPT_PREFIX : OPT_UIO]);
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
	if (blk_srv_init(&srv))
		goto out;
	blk_zc_setup(&srv, uio_root(), dev.direct, dev.sector_size, val[OPT_COPY] != 0);

	if (!val[OPT_SYNC]) {
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
	irqe = eng; /* the interrupt side, also under the bench's null device */
	irqe->defer_enable = a.poll_us > 0;
#ifdef DVM_BENCH_NULLDEV
	if (val[OPT_NULLDEV]) {
		struct blk_engine *null = blk_null_wrap(eng);

		if (!null) {
			err("out of memory");
			goto out;
		}
		eng = null;
		ename = ename[0] == 'i' ? "io_uring, null device" : "sync, null device";
	}
#endif
	srv.eng = eng;

	/* UIO's handler disables the interrupt until it is re-enabled; a predecessor killed
	 * in between left it disabled, and nothing would ever wake us. */
	uio_irq_enable(devs[0].ctl_fd);
	blk_info_publish(srv.shm.info, &dev, (uint16_t)srv.depth);
	info("serving %s: %u x %lu KiB, %s, notify %s", device, srv.depth, a.chunk, ename, nt.mode == BLK_NOTIFY_PAGE ? "page" : "irq-ack");
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
		if (irqe->masked && !srv.stopping) {
			/* The interrupt is still disabled since the last event (NAPI-style):
			 * look at the request queue (and, with device I/O in flight, at the
			 * completions) for up to --poll-us once idle, --poll-io-us while busy,
			 * instead of sleeping; work that comes meanwhile is served without an
			 * interrupt or a wake-up. The short bound while busy catches the
			 * virtualiser's next requests, which follow the answers at once, and
			 * then sleeps through the transfer rather than spinning on it. */
			int io = blk_srv_inflight(&srv) > 0, r = 0;

			if (io && eng->flush)
				eng->flush(eng); /* what kick() started goes to the device now */
			if (!io || eng->ready)
				r = blk_srv_poll(&srv, (unsigned)(io ? a.poll_io_us : a.poll_us));
			if (r == BLK_POLL_WORK)
				continue;
			if (!r && !io) {
				irqe->irq_enable(irqe);
				/* Look once more after enabling: work published just before is
				 * served now, not after the next notification. */
				if (blk_srv_pending(&srv))
					continue;
			}
			/* A completion waits (wait() returns at once), or the time ran out
			 * with I/O in flight: its completion wakes us, the interrupt stays
			 * off until the device is idle. */
		}
		nsleep += !eng->ready || !eng->ready(eng);
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
	info("served %llu requests; zero-copy I/Os %llu, copied for alignment %llu; slept %llu "
	     "times", (unsigned long long)srv.nreq, (unsigned long long)srv.nzc,
	     (unsigned long long)srv.nzc_copy, nsleep);
out:
	for (int i = 0; i < ndev; i++)
		uio_close(&devs[i]);
	if (dev.fd >= 0)
		close(dev.fd);
	if (sfd >= 0)
		close(sfd);
	return rc;
}
