/* SPDX-License-Identifier: BSD-2-Clause */
/* The simulated sDDF network virtualisers (virt_rx and virt_tx, driver-facing halves) as
 * libvmm's VMM would wire them to a network driver VM running uio_net: the layout of
 * the net-rx / net-tx / net-tx-data regions in the shared window, their DTB nodes, the
 * queues with sDDF's memory ordering and the full signalling handshake on our side too,
 * RX and TX buffer bookkeeping (every descriptor must come back exactly as given, in
 * order), and the wire: a UDP socket that is the other end of the guest NIC (QEMU's
 * dgram netdev carries raw Ethernet frames in datagrams). Workloads: net_work.c. */
#ifndef VMM_NET_VIRT_H
#define VMM_NET_VIRT_H
#include <netinet/in.h>
#include <stdint.h>
#include "doorbell.h"
#include "qemu.h"
#include "qtest.h"
#include "shm.h"

#define NBUF 2048u                /* NET_BUFFER_SIZE */
#define NET_MAX_TXR 3             /* data0, data1 in net-tx; data2 in net-tx-data */
#define ETH_TYPE_TEST 0x88b5      /* IEEE local experimental ethertype */
#define MAGIC_RX 0x52584656u      /* "RXFV": host -> guest test frames */
#define MAGIC_TX 0x54584656u      /* "TXFV": guest -> host */
#define NET_CACHED_RX 1
#define NET_CACHED_TX 2

struct ndesc {                    /* net_buff_desc_t, 16 bytes */
	uint64_t io;
	uint16_t len;
	uint8_t oid;
	uint8_t pad[5];
};

struct nq {                       /* a queue from the virt's side */
	volatile uint8_t *q;
	uint32_t cap;
	uint16_t idx;                 /* ours: tail (we produce) or head (we consume) */
};

struct txr {                      /* a client TX data region */
	char name[8];
	uint64_t gpa, size;           /* gpa: what io_or_offset carries (see net_virt) */
	uint64_t map_gpa;             /* where the guest maps it */
	uint8_t *mem;
};

/* Descriptors handed to the driver and not yet back, in order. */
struct fifo {
	struct ndesc *d;
	uint32_t cap, head, n;
};

struct net_virt {
	struct shm_win *win;
	struct vm *vm;
	struct qtest *qt;
	int spi_rx, spi_tx, names;
	/* libvmm's network driver VM: one UIO node per region, all named "uio", with the
	 * data_passing page; the virts' io addresses (rx_gpa, txr[].gpa) are then physical
	 * addresses of their own, not where the guest maps the data (rx_map_gpa, tx_data) */
	int libvmm;
	/* --cached-data: NET_CACHED_RX (the RX data region) and NET_CACHED_TX (the client TX
	 * data) reserved without no-map, as memory: page-backed and cacheable under dvm_uio */
	int cached;
	uint64_t gpa_dp, rx_map_gpa, txd_gpa, txd_size;
	uint32_t rx_cap, tx_cap;
	uint64_t gpa_rx_notify, gpa_rx_free, gpa_rx_active, gpa_tx_notify, gpa_tx_free,
		 gpa_tx_active, qsz_rx, qsz_tx;
	uint8_t *rx_data;
	uint64_t rx_gpa, rx_size;
	struct txr txr[NET_MAX_TXR];
	uint64_t hole_gpa;            /* a page in the window but in no map */
	struct nq rx_free, rx_active, tx_active, tx_free;
	struct doorbell db_rx, db_tx;
	struct fifo rx_given;         /* RX buffers the driver holds (free queue, in order) */
	struct fifo tx_given;         /* TX descriptors not yet back on TX free */
	uint32_t *rx_held;            /* RX buffers we hold back (indices) */
	uint32_t n_held;
	uint64_t *tx_pool;            /* free TX buffers (io), LIFO */
	uint32_t n_pool;
	uint32_t tx_rr;
	/* the wire */
	int sock;
	struct sockaddr_in to;        /* QEMU's end */
	uint8_t mac[6];               /* the guest NIC's */
	/* accounting */
	uint32_t rx_seq, rx_next;     /* host frames sent / expected next on RX active */
	uint32_t tx_seq, tx_next;     /* TX frames pushed / expected next at the host */
	uint64_t rx_got, tx_got, tx_back, other_frames, irqs, lost;
};

/* Lay out and map the regions (queues for the capacities, RX data of rx_cap buffers,
 * three client TX regions of txr_size each: data0 and data1 adjacent, a hole page, then
 * data2). Preloads RX free with every RX buffer, and sets the driver's consumer flags
 * to 1 (the TX active one turning 0 says the driver serves). */
void net_layout(struct net_virt *v, struct shm_win *w, uint32_t rx_cap, uint32_t tx_cap,
		uint64_t txr_size);
/* /reserved-memory for the window and the UIO nodes (dvm's three, or libvmm's eleven).
 * Returns the bytes of data regions that v->cached declares as memory (the guest kernel
 * counts them as RAM). */
uint64_t net_dtb(struct net_virt *v, void *fdt);

/* Queues (sDDF ordering: slot, release, index). push: -1 when full. pop: -1 empty. */
int nq_push(struct nq *q, const struct ndesc *d);
int nq_pop(struct nq *q, struct ndesc *d);
uint32_t nq_used(struct nq *q);        /* entries in the queue */
void nq_set_flag(struct nq *q, uint32_t v);
uint32_t nq_flag(struct nq *q);

/* Producer side: after pushing, notify the driver if it asked (flag 0 -> 1, IRQ). */
void notify_rx_free(struct net_virt *v);
void notify_tx_active(struct net_virt *v);

/* Consumer side with the handshake: return 1 as soon as q (RX active or TX free) holds
 * entries; otherwise ask (flag 0), fence, look again, and wait for the doorbell up to
 * timeout_ns. 0 on timeout with q empty. A timeout with entries present is a lost
 * wake-up: counted in v->lost and reported by fail() under `what`. */
int wait_rx_active(struct net_virt *v, uint64_t timeout_ns, const char *what);
int wait_tx_free(struct net_virt *v, uint64_t timeout_ns, const char *what);

/* RX: give buffer i (0..rx_cap-1) or an arbitrary io to the driver (RX free), in order. */
int rx_give(struct net_virt *v, uint64_t io, int expect_back);
/* Take one descriptor from RX active and check it is the next buffer given (io
 * unchanged, len set): the frame's bytes are copied to buf. 1, 0 empty, -1 (failed). */
int rx_take(struct net_virt *v, uint8_t *buf, uint32_t *len, uint64_t *io);
/* A taken RX buffer back on RX free (or held back with hold). */
void rx_return(struct net_virt *v, uint64_t io, int hold);
void rx_release_held(struct net_virt *v);

/* TX: a buffer from the pool (round robin over the regions), or 0 when none. */
uint64_t tx_buf(struct net_virt *v);
uint8_t *tx_ptr(struct net_virt *v, uint64_t io);  /* NULL: not in a TX region */
/* Push a descriptor on TX active (remembered, with distinctive oid/pad bytes). */
int tx_push(struct net_virt *v, uint64_t io, uint16_t len);
/* Pop one from TX free and check it is the next one pushed, unchanged. Its buffer goes
 * back to the pool when pool is set. 1, 0 empty, -1 (failed). */
int tx_back(struct net_virt *v, int pool, struct ndesc *out);

/* Frames: fill / check a test frame (magic, sequence number, length, pattern). */
void frame_make(uint8_t *f, unsigned len, uint32_t magic, uint32_t seq, const uint8_t *dst);
int frame_check(const uint8_t *f, unsigned len, uint32_t magic, uint32_t seq, unsigned want_len);

/* The wire. wire_open binds 127.0.0.1:0 and returns our port; QEMU's is qemu_port. */
int wire_open(struct net_virt *v, int *our_port, int qemu_port);
void wire_send(struct net_virt *v, const uint8_t *f, unsigned len);
/* Next datagram (a frame from the guest) into f (>= 65536 bytes); its length, or -1 after
 * timeout_ns. */
int wire_recv(struct net_virt *v, uint8_t *f, uint64_t timeout_ns);

/* The driver's counters from its last "uio_net: stats:" console line; -1 if none yet. */
int stats_read(struct net_virt *v, const char *name, uint64_t *val);

#endif
