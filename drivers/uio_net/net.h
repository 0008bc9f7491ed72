/* SPDX-License-Identifier: BSD-2-Clause */
/* uio_net internals: how the driver's files fit together.
 *   queue.c   one sDDF net queue seen from one side: u16 ring arithmetic, index checks,
 *             slot copies, the signalling handshake, the doorbell
 *   xlate.c   io_or_offset -> pointer into one data map, bounds-checked
 *   rx.c      received frames -> RX free buffers -> RX active
 *   tx.c      TX active -> validate, copy out, send in batches -> TX free, in order
 *   bind.c    UIO devices -> maps (docs/binding-net.md): dvm's net-rx / net-tx /
 *             net-tx-data, or one device per region (libvmm's network driver VM)
 *   passing.c libvmm's data_passing page: capacities and data addresses, validated
 *   link.c    the AF_PACKET socket: interface up, promiscuous, batched recv/send
 *   main.c    options, set-up, the event loop, statistics
 * Everything the peer writes is untrusted: descriptors are copied out of shared memory
 * once and validated on the copy; indices are checked before any slot is touched. */
#ifndef UIO_NET_NET_H
#define UIO_NET_NET_H
#include <stdint.h>
#include <sys/uio.h>
#include "sddf_net.h"

#define NET_BATCH 64          /* frames per system call; TX window (power of two) */
#define NET_MAX_TX_REGIONS 64 /* client TX data areas (maps, or data_passing's clients) */
#define ETH_HDR 14
#define ETH_MIN_FRAME ETH_HDR /* AF_PACKET refuses less than a link-layer header */

/* ---- statistics ------------------------------------------------------------------- */

enum {
	ST_RX_FRAMES, ST_RX_BYTES,
	ST_RX_NOBUF,    /* frame dropped: no RX free buffer (or RX active full) */
	ST_RX_TOOLONG,  /* frame dropped: longer than NET_BUFFER_SIZE */
	ST_RX_BADBUF,   /* RX free descriptor outside the RX data map or misaligned: unused */
	ST_RX_BADIDX,   /* RX free/active indices inconsistent (episodes) */
	ST_RX_KDROP,    /* dropped by the kernel before we read them (socket full) */
	ST_RX_NOTIFY,   /* doorbells rung on net-rx */
	ST_TX_FRAMES, ST_TX_BYTES,
	ST_TX_SHORT,    /* len < 14 (0 included): not sent, returned */
	ST_TX_OVERSIZE, /* len > NET_BUFFER_SIZE */
	ST_TX_TOOLONG,  /* len > what the interface sends (MTU + 14, + 4 when VLAN tagged) */
	ST_TX_BADADDR,  /* [io, io + len) not inside one TX data map */
	ST_TX_ERR,      /* the kernel refused the frame (EMSGSIZE, ENETDOWN, ...) */
	ST_TX_BADIDX,   /* TX active/free indices inconsistent (episodes) */
	ST_TX_BLOCKED,  /* sends that had to wait for socket space */
	ST_TX_NOTIFY,   /* doorbells rung on net-tx */
	ST_IRQ_RX, ST_IRQ_TX,
	NST
};
extern const char *const net_stat_names[NST];

/* ---- queues ----------------------------------------------------------------------- */

enum { Q_RX_FREE, Q_RX_ACTIVE, Q_TX_ACTIVE, Q_TX_FREE }; /* we consume free RX, active TX */

struct netq {
	volatile uint8_t *q;  /* the queue in its map */
	uint32_t cap;         /* 1..NETQ_MAX_CAP, and fits the map */
	uint16_t idx;         /* ours: head of a queue we consume, tail of one we produce */
	uint8_t bad;          /* indices inconsistent at the last look */
	uint8_t logged;       /* the inconsistency was logged (once per queue) */
	uint8_t asked;        /* consumer: we asked for a signal and have not cancelled */
	const char *name;     /* "RX free", ... */
	uint64_t *nbad;       /* statistic bumped per inconsistency episode */
};

/* Attach to a queue at start: our index continues from the shared one. */
void netq_init(struct netq *q, volatile uint8_t *mem, uint32_t cap, int consumer,
	       const char *name, uint64_t *nbad);

/* Consumer: entries the producer's tail makes available (acquire: slots may be read
 * after this). 0 when the tail claims more than cap entries (counted, logged once). */
unsigned netq_avail(struct netq *q);
/* Producer: free slots the consumer's head leaves (acquire: it finished reading them).
 * 0 when the head is ahead of our tail or more than cap behind it. */
unsigned netq_room(struct netq *q);

/* Copy slot idx + i out of / into the queue. */
void netq_read(const struct netq *q, unsigned i, net_buff_desc_t *d);
void netq_write(const struct netq *q, unsigned i, const net_buff_desc_t *d);

/* Consumer: n entries done, head += n (release). Producer: n slots written, tail += n
 * (release). */
void netq_consume(struct netq *q, unsigned n);
void netq_publish(struct netq *q, unsigned n);

/* Consumer, queue drained: ask for a signal (flag 0), full fence, look again. Returns 1
 * when still empty (sleep: the producer will notify), 0 when entries arrived in the
 * meantime (the request is cancelled: go on consuming). */
int netq_sleep(struct netq *q);
#ifdef DVM_UNIT_TEST
/* Tests: called by netq_sleep just before the request, to act as a racing peer. */
extern void (*netq_race_hook)(struct netq *q);
#endif
/* Consumer: ask for a signal and keep asking whatever the queue holds. */
void netq_ask(struct netq *q);
/* Consumer: withdraw a request made earlier (no-op when none is outstanding). */
void netq_quiet(struct netq *q);
/* Producer, after netq_publish: full fence; when the consumer asked (flag 0), cancel
 * the request (flag 1) and return 1: ring the doorbell. */
int netq_want_signal(struct netq *q);

/* The doorbell: a write of a counter to the device's notify page. On seL4 the page is
 * unmapped: the store faults into the VMM, which notifies the virtualiser; reads are
 * rejected, so the page is never read. A simulator polls the word for changes. */
struct net_bell {
	volatile uint8_t *page;
	uint32_t count;
};
void net_ring(struct net_bell *b);

/* ---- data regions ----------------------------------------------------------------- */

struct net_region {
	uint64_t paddr, size; /* physical address and size of the map */
	volatile uint8_t *mem;
};

/* [io, io + len) inside one of the n regions (len >= 1), or NULL. Overflow-safe. */
volatile uint8_t *net_xlate(const struct net_region *r, int n, uint64_t io, uint64_t len);
/* An RX buffer: io at a multiple of NET_BUFFER_SIZE from the region's start, the whole
 * NET_BUFFER_SIZE bytes inside it; else NULL. */
volatile uint8_t *net_rx_buf(const struct net_region *r, uint64_t io);

/* ---- the server ------------------------------------------------------------------- */

struct net_frame {
	uint8_t *buf;  /* NET_BUFFER_SIZE bytes, 8-byte aligned */
	uint32_t len;  /* the frame's real length: may exceed NET_BUFFER_SIZE (truncated) */
};

/* Send n frames (iov[i] one frame each) in order. Returns how many were sent (>= 1 when
 * n >= 1), or -errno for the first: -EAGAIN (socket full: wait for POLLOUT), -ENOBUFS
 * (queue full: retry shortly), anything else: that frame is refused for good. */
typedef int net_send_fn(void *ctx, struct iovec *iov, unsigned n);

struct net_txe {
	net_buff_desc_t d; /* the descriptor as taken: returned unchanged */
	uint8_t ok;        /* valid: its frame is in the window's buffer */
};

enum { TXB_NONE, TXB_POLLOUT, TXB_RETRY };

struct net_srv {
	union { /* by name, or by Q_* index */
		struct { struct netq rx_free, rx_active, tx_active, tx_free; };
		struct netq q[4];
	};
	struct net_region rx;
	struct net_region tx[NET_MAX_TX_REGIONS];
	int ntx;
	struct net_bell rx_bell, tx_bell;
	unsigned max_frame;           /* MTU + 14 */
	net_send_fn *send;
	void *send_ctx;
	/* TX window: entries taken from TX active, in order. [head, send) are finished
	 * (sent or refused) and wait to go back on TX free; [send, tail) wait to be sent. */
	struct net_txe txw[NET_BATCH];
	uint8_t txbuf[NET_BATCH][NET_BUFFER_SIZE] __attribute__((aligned(64)));
	uint32_t tw_head, tw_send, tw_tail;
	int tx_blocked;               /* TXB_*: why sending waits */
	int tx_full_logged;
	int rx_notify, tx_notify;     /* published since the last doorbell check */
	unsigned logged;              /* bad-descriptor classes already logged (1 << ST_) */
	uint64_t st[NST];
};

struct net_maps;
/* Attach the four queues of m (capacities already checked against the maps) and the
 * doorbells. */
void net_srv_init(struct net_srv *s, const struct net_maps *m, uint32_t rx_cap,
		  uint32_t tx_cap);

/* Deliver n received frames: one RX free buffer each, enqueued on RX active. Frames that
 * are too long, or find no usable buffer, are dropped and counted. */
void net_rx(struct net_srv *s, const struct net_frame *f, unsigned n);
/* Frames that can be delivered now: usable RX free entries, room on RX active, at most
 * NET_BATCH (0 also when either queue's indices are inconsistent). */
unsigned net_rx_space(struct net_srv *s);
/* Count n frames read without data because no buffer was free (too long ones as such),
 * and ask for an RX free signal. */
void net_rx_drop(struct net_srv *s, const struct net_frame *f, unsigned n);
/* The RX interrupt (the virt returned free buffers after we asked). */
void net_rx_irq(struct net_srv *s);

/* Take TX active descriptors, send them, return them on TX free, until TX active is
 * empty (a signal requested: returns 0), sending must wait (s->tx_blocked set: 0), or
 * NET_TX_BUDGET descriptors were taken (returns 1: call again soon, after other work). */
#define NET_TX_BUDGET (4 * NET_BATCH)
int net_tx(struct net_srv *s);
/* Stopping: return every taken descriptor, sent or not, on TX free. */
void net_tx_flush(struct net_srv *s);

/* Ring the doorbells the batch needs (producer handshake on RX active and TX free). */
void net_notify(struct net_srv *s);

/* "rx_frames=N rx_bytes=N ..." into buf. */
void net_stats_fmt(const struct net_srv *s, char *buf, unsigned n);

/* ---- binding ---------------------------------------------------------------------- */

struct uio_dev;
#define NET_MAX_DEVS 11 /* dvm's: net-rx, net-tx, 3 net-tx-data; per-region: 11 */
struct net_maps {
	union { /* the queues, by name or by Q_* index */
		struct { volatile uint8_t *rx_free, *rx_active, *tx_active, *tx_free; };
		volatile uint8_t *q[4];
	};
	uint64_t qsize[4];              /* their map sizes */
	union {
		struct { volatile uint8_t *rx_notify, *tx_notify; };
		volatile uint8_t *bell[2];
	};
	int fd[2], ctl[2];              /* RX, TX: interrupt fd (read), control fd (write) */
	uint32_t cap[2];                /* RX, TX capacities from data_passing; 0: none */
};
/* Find and map the UIO devices (docs/binding-net.md): the per-region binding when a
 * device has the region name PREFIXrx_free, else dvm's own (rx_name, tx_name). Fills m
 * and s->rx, s->tx, s->ntx; with a data_passing region also m->cap, after checking
 * them and the addresses (cap: the --rx/--tx-capacity options, 0 when not given, win
 * over data_passing's). *ndev = devices opened (close them even on failure). 0 or -1
 * (logged). */
int net_bind(struct net_srv *s, struct net_maps *m, struct uio_dev *devs, int *ndev,
	     const char *root, const char *rx_name, const char *tx_name, const char *prefix,
	     const unsigned long *cap);
/* The data_passing page (size bytes at mem): capacities (cap[] when non-zero, else its
 * num_buffers) into m->cap; RX data at its rx_data_paddr over the rx map; client i's TX
 * area at tx_data_paddrs[i], at i * (tx size / num_tx_clients) in the tx map. Checks
 * counts, alignment, ranges and sizes. 0, or -1 after logging field and value. */
int net_passing(struct net_srv *s, struct net_maps *m, const volatile uint8_t *mem,
		uint64_t size, const struct net_region *rx, const struct net_region *tx,
		const unsigned long *cap);
/* A capacity against its queue's map: 1..NETQ_MAX_CAP whose queue fits. 0, or -1 after
 * logging the option (or field), value and sizes. */
int net_check_cap(const char *opt, const char *queue, uint64_t cap, uint64_t map_size);

#endif
