/* SPDX-License-Identifier: BSD-2-Clause */
/* uio_blk internals: how the driver's files fit together.
 *   bind.c     UIO devices -> struct blk_shm (maps by reg-names, data regions)
 *   xlate.c    io_or_offset -> pointer into one data region, bounds-checked
 *   serve.c    the request engine-independent core: take, validate, schedule, publish
 *   journal.c  restart journal (exactly-once answers across SIGKILL + restart)
 *   info.c     open the backing device, fill and publish storage info
 *   zc.c       zero-copy: which data regions the device may transfer to directly
 *   eng_uring.c / eng_sync.c   I/O engines: io_uring, or pread/pwrite + poll
 *   eng_null.c the bench's null device (built only with -DDVM_BENCH_NULLDEV)
 *   main.c     options, set-up, the event loop
 * Everything the peer writes is untrusted: requests are copied out of shared memory
 * once and validated on the copy; queue indices are checked before any slot is touched. */
#ifndef UIO_BLK_BLK_H
#define UIO_BLK_BLK_H
#include <stdint.h>
#include <stddef.h>
#include "sddf_blk.h"

#define BLK_MAX_REGIONS 16
#define BLK_MAX_DEPTH 256
#define BLK_POLL_US_DEFAULT 300 /* --poll-us: see docs/uio_blk.md "Polling" */
#define BLK_POLL_IO_US_DEFAULT 20 /* --poll-io-us: idem */
#define BLK_STR_(x) #x
#define BLK_STR(x) BLK_STR_(x)

/* ---- shared memory ---------------------------------------------------------------- */

struct blk_region {
	uint64_t paddr, size; /* physical address (sysfs addr) and size */
	volatile uint8_t *mem;
	int uio, map;         /* uioN and map index it came from */
	int zc;               /* zero-copy: device I/O straight to and from mem (zc.c) */
};

struct blk_shm {
	volatile uint8_t *info; /* storage info, >= sizeof(blk_storage_info_t) */
	volatile uint8_t *req, *resp;
	uint64_t req_size, resp_size;   /* map sizes, for validation */
	uint64_t req_addr, resp_addr;   /* physical addresses: identify the queues (journal) */
	uint32_t req_cap, resp_cap;     /* validated against the sizes */
	volatile uint8_t *notify;       /* notify page, or NULL */
	struct blk_region region[BLK_MAX_REGIONS];
	int nregions;
	int legacy; /* io_or_offset is an offset into region[0] */
};

/* Find and map the UIO devices (docs/binding-blk.md): the per-region binding when a
 * device has the region name PREFIXreq, else dvm's own (devs[0] the primary device
 * `name`, devs[1..] the `name`-data devices). devs[0] carries the interrupt. Fills s
 * except the capacities and legacy flag. *ndev = devices opened (close them even on
 * failure). Returns 2 (per-region), 1 (dvm's, maps by name), 0 (dvm's, maps by index),
 * -1 on error (logged). */
#define BLK_MAX_DEVS (5 + 1 + BLK_MAX_REGIONS) /* irq, req, resp, info, fault, data */
struct uio_dev;
int blk_bind(struct blk_shm *s, struct uio_dev *devs, int *ndev, const char *root,
	     const char *name, const char *prefix);

/* Check a queue capacity: 1..2^31 (any: slots are index % capacity, as sDDF's), whose
 * queue fits the map. 0, or -1 after logging which option, value and map size. */
int blk_check_cap(const char *what, uint64_t cap, uint64_t need, uint64_t have);

/* The data buffer [io, io + count * 4096) inside one data region, or NULL when it is
 * misaligned, outside every region, straddles regions or wraps around. */
volatile uint8_t *blk_xlate(const struct blk_shm *s, uint64_t io, uint32_t count);

/* ---- I/O engines ------------------------------------------------------------------ */

enum { BLK_IO_READ, BLK_IO_WRITE, BLK_IO_FLUSH };

struct blk_io {
	uint8_t op;
	uint16_t slot;  /* index in srv->io */
	uint32_t ridx;  /* request index it serves */
	uint32_t len;   /* bytes */
	uint64_t off;   /* byte offset on the device */
	void *buf;      /* what the device reads or writes: bounce or the region itself */
	void *bounce;   /* page-aligned bounce buffer of the slot (chunk bytes) */
	uint8_t zc;     /* buf is in a data region: no copy */
	uint32_t gen;   /* FLUSH: write generation it makes durable */
	int res;        /* at completion: bytes transferred or -errno */
};

struct blk_srv;
enum { BLK_EV_IRQ = 1, BLK_EV_STOP = 2 };

struct blk_engine {
	/* Start io; report it later through blk_srv_done(). 0, or -errno when it could
	 * not be started (the request then fails with ERR_IO). */
	int (*submit)(struct blk_engine *e, struct blk_io *io);
	/* Block until something happens; completions are handed to blk_srv_done() inside.
	 * Returns BLK_EV_* bits, or -errno on a fatal error. */
	int (*wait)(struct blk_engine *e, struct blk_srv *s);
	/* Notify the peer (after responses were published). */
	void (*notify)(struct blk_engine *e);
	/* Polling (--poll-us): with defer_enable set, wait() leaves the interrupt disabled
	 * after an event (masked = 1) and the loop re-enables it with irq_enable() (NULL
	 * in engines without interrupts) before it sleeps. */
	void (*irq_enable)(struct blk_engine *e);
	/* Polling while I/O is in flight (NULL in engines that cannot): submit what was
	 * prepared without waiting; whether a completion waits, so that wait() returns
	 * without sleeping. Both without a system call when there is nothing to submit. */
	void (*flush)(struct blk_engine *e);
	int (*ready)(struct blk_engine *e);
	int defer_enable, masked;
};

/* ---- restart journal -------------------------------------------------------------- */

/* A page in a MAP_SHARED tmpfs file: it outlives a killed driver, so the next one knows
 * whether a batch of responses was published before its request-queue head moved. */
struct blk_journal {
	uint32_t magic, version;
	uint64_t req_addr, resp_addr;
	uint32_t req_cap, resp_cap;
	uint32_t busy;       /* 1 from just before publishing until the head moved */
	uint32_t head, tail; /* busy: request head and response tail before the batch */
	uint32_t n;          /* busy: responses in the batch */
	uint32_t notify;     /* notify-page counter, kept across restarts */
};
#define BLK_JOURNAL_MAGIC 0x4a4d5644u /* "DVMJ" */

/* Open (creating) and lock the journal file; NULL after logging when impossible. A
 * journal locked by a live process is an error (-1 through *busy). */
struct blk_journal *blk_journal_open(const char *path, int *busy);

/* At start: given the shared request head and response tail, finish an interrupted
 * publication (rewriting the shared request head when the batch was published; *fix set
 * then). Returns the request head to use. A journal for other queues is reset. */
uint32_t blk_journal_recover(struct blk_journal *j, const struct blk_shm *s, uint32_t head,
			     uint32_t tail, int *fix);

/* ---- the serving core ------------------------------------------------------------- */

enum { E_WAIT, E_RUN, E_DONE };

struct blk_entry {
	blk_req_t req;          /* private copy: the peer cannot change it under us */
	volatile uint8_t *buf;  /* translated data buffer (READ/WRITE) */
	uint16_t done;          /* blocks transferred */
	uint8_t state, status;
	uint8_t single;         /* after a failed multi-block I/O: one block at a time */
	uint8_t zc;             /* buf is in a zero-copy region */
};

struct blk_srv {
	struct blk_shm shm;
	struct blk_engine *eng;
	struct blk_journal *jr;  /* NULL: no journal */
	uint64_t capacity;       /* device size in 4 KiB blocks */
	int read_only;
	unsigned depth, chunk;   /* I/O slots; blocks per slot */
	struct blk_io *io;
	uint8_t *bounce;         /* depth * chunk blocks, page-aligned (mmap) */
	size_t bounce_len;
	uint16_t *free_io;       /* stack of free slot numbers */
	unsigned nfree;
	struct blk_entry *win;   /* taken requests: index i at win[i & wmask] */
	uint32_t wmask, wmax;    /* wmax = window size limit */
	uint32_t head, ntaken;   /* our request-queue head; requests taken beyond it */
	uint32_t tail;           /* our response-queue tail */
	uint32_t wgen, synced;   /* write completions; generation made durable */
	int stopping, notify;
	int bad_req, bad_resp;   /* inconsistent-index warnings already logged */
	uint64_t nreq;           /* requests answered */
	unsigned zc_align;       /* zero-copy: buffer alignment (>= 4096, >= logical block) */
	unsigned lbs;            /* zero-copy: logical block size; offsets, lengths multiple */
	uint64_t nzc, nzc_copy;  /* I/Os in zero-copy regions: direct; copied (alignment) */
#ifdef DVM_UNIT_TEST
	int crash_at, crashed;   /* tests: abandon publishing at step crash_at */
#endif
};

/* Set up srv (shm, eng, capacity, read_only, depth, chunk filled in by the caller) and
 * reconcile with the queues as a previous instance left them. 0 or -1 (logged). */
int blk_srv_init(struct blk_srv *s);
void blk_srv_free(struct blk_srv *s);

/* The default --depth and --chunk (KiB) for a system with `ram` bytes of RAM: 16 x 64 KiB
 * (1 MiB of bounce buffers, all resident: io_uring pins them), less where that would be
 * more than 1/16 of the RAM, down to 4 x 16 KiB. */
#define BLK_DEPTH_DEFAULT 16
#define BLK_CHUNK_DEFAULT 64
void blk_size_buffers(uint64_t ram, unsigned long *depth, unsigned long *chunk_kib);

/* Take new requests, start what may start, publish finished responses. Sets s->notify
 * when responses were published. */
void blk_srv_kick(struct blk_srv *s);

/* An engine reports io finished (io->res set). */
void blk_srv_done(struct blk_srv *s, struct blk_io *io);

/* Whether take() or publish() could make progress now (new requests it may take, or a
 * finished answer it may publish); reads the queues, changes nothing. */
int blk_srv_pending(struct blk_srv *s);

/* Spin for at most us microseconds until blk_srv_pending() (BLK_POLL_WORK) or, with
 * I/O in flight and an engine that can tell, a completion waits (BLK_POLL_DONE); 0 when
 * the time ran out with neither. */
enum { BLK_POLL_WORK = 1, BLK_POLL_DONE = 2 };
int blk_srv_poll(struct blk_srv *s, unsigned us);

/* Requests being served (taken, not yet answered), and I/O slots in use. */
static inline unsigned blk_srv_busy(const struct blk_srv *s) { return s->ntaken; }
static inline unsigned blk_srv_inflight(const struct blk_srv *s) { return s->depth - s->nfree; }

/* The status a request gets before any I/O (0 = valid); sets *buf for READ/WRITE. */
int blk_validate(const struct blk_srv *s, const blk_req_t *r, volatile uint8_t **buf);

/* ---- backing device and storage info ---------------------------------------------- */

struct blk_dev {
	int fd;
	int direct;        /* opened O_DIRECT */
	uint64_t capacity; /* 4 KiB blocks */
	uint16_t sector_size, block_size;
	uint8_t read_only;
	char serial[64];   /* NUL-padded, always NUL-terminated */
};

/* Open path (O_DIRECT unless buffered, falling back when refused; read-only when asked or
 * when the device refuses writing) and gather what storage info needs; sysfs paths under
 * root. 0 or -1 (logged). */
int blk_dev_open(struct blk_dev *d, const char *path, int read_only, int buffered,
		 const char *root);

/* The serial number of block device maj:min from sysfs under root (its own attribute,
 * device/serial, or its parent disk's for a partition); left alone when none. */
void blk_read_serial(char serial[64], const char *root, unsigned maj, unsigned min);

/* Write storage info (everything but ready), then set ready with a release store. */
void blk_info_publish(volatile uint8_t *info, const struct blk_dev *d, uint16_t queue_depth);

/* ---- zero-copy (zc.c) -------------------------------------------------------------- */

/* Decide, and log, for each data region whether device I/O may use it directly: not
 * disabled (off), the device open O_DIRECT (direct), the map page-backed (dvm_uio's
 * /sys/class/uio/uioN/version under root) and direct I/O accepted on the mapping (probed
 * through s->bounce: after blk_srv_init). Sets s->zc_align and s->lbs from the logical
 * block size. Returns the zero-copy regions. */
int blk_zc_setup(struct blk_srv *s, const char *root, int direct, unsigned lbs, int off);

/* Whether an I/O of len bytes at device offset off may use p directly (O_DIRECT rules). */
static inline int blk_zc_fits(const struct blk_srv *s, const void *p, uint32_t len, uint64_t off)
{
	return !((uintptr_t)p % s->zc_align) && !(len % s->lbs) && !(off % s->lbs);
}

/* ---- engines ---------------------------------------------------------------------- */

struct blk_notify {
	int mode;             /* BLK_NOTIFY_* */
	int ctl_fd;           /* UIO interrupt control (irq-ack doorbell, re-enable) */
	volatile uint8_t *page;
	uint32_t *counter;    /* in the journal when there is one */
};
enum { BLK_NOTIFY_PAGE, BLK_NOTIFY_IRQ_ACK };
void blk_notify_peer(struct blk_notify *n);

/* io_uring engine over the device fd, with the UIO fd read and the signalfd read as
 * ring entries. NULL (errno set) when io_uring is unavailable. */
struct blk_engine *blk_uring_new(int dev_fd, int uio_fd, int sig_fd, struct blk_notify *n,
				 void *bounce, size_t bounce_len, unsigned depth);
/* Synchronous pread/pwrite/fdatasync engine, waiting with poll(). */
struct blk_engine *blk_sync_new(int dev_fd, int uio_fd, int sig_fd, struct blk_notify *n,
				unsigned depth);
#ifdef DVM_BENCH_NULLDEV
/* The bench's null device (eng_null.c, bench builds only): completes every I/O at once
 * without the device; waiting and notifying go through inner. NULL when out of memory. */
struct blk_engine *blk_null_wrap(struct blk_engine *inner);
#endif

#endif
