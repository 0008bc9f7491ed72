// SPDX-License-Identifier: BSD-2-Clause
/* The simulated sDDF network virtualisers' mechanics; see net_virt.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "dtb.h"
#include "net_virt.h"

#define Q_TAIL 0
#define Q_HEAD 2
#define Q_FLAG 4
#define Q_SLOTS 8

_Static_assert(sizeof(struct ndesc) == 16, "net_buff_desc_t is 16 bytes");

static uint64_t qbytes(uint32_t cap)
{
	return round_up(Q_SLOTS + 16ull * cap, PAGE);
}

static void fifo_init(struct fifo *f, uint32_t cap)
{
	f->d = xzalloc(sizeof(*f->d) * cap);
	f->cap = cap;
	f->head = f->n = 0;
}

static void fifo_put(struct fifo *f, const struct ndesc *d)
{
	if (f->n == f->cap)
		die("internal: descriptor bookkeeping full (%u)", f->cap);
	f->d[(f->head + f->n++) % f->cap] = *d;
}

static struct ndesc *fifo_front(struct fifo *f)
{
	return f->n ? &f->d[f->head] : 0;
}

static void fifo_drop(struct fifo *f)
{
	f->head = (f->head + 1) % f->cap;
	f->n--;
}

static void nq_init(struct nq *q, struct shm_win *w, uint64_t off, uint32_t cap)
{
	q->q = shm_ptr(w, off);
	q->cap = cap;
	q->idx = 0;
}

/* What libvmm's VMM writes into data_passing (net_drv_vm_data_passing_t, 616 bytes):
 * its own net_driver_config_t (magic, then for virt_rx and virt_tx the free and active
 * queues' VMM addresses and sizes, num_buffers and id), the RX data physical address,
 * the number of TX clients and their TX data physical addresses. */
static void fill_data_passing(struct net_virt *v, uint8_t *p)
{
	uint64_t q;
	int32_t n = NET_MAX_TXR;

	memcpy(p, "sDDF\5", 5);
	for (int k = 0; k < 2; k++) {
		uint8_t *c = p + 8 + 40 * k;
		uint16_t nb = (uint16_t)(k ? v->tx_cap : v->rx_cap);

		q = 0x20000000ull + 0x100000ull * (uint64_t)(2 * k); /* VMM addresses */
		memcpy(c, &q, 8);
		q = k ? v->qsz_tx : v->qsz_rx;
		memcpy(c + 8, &q, 8);
		q = 0x20000000ull + 0x100000ull * (uint64_t)(2 * k + 1);
		memcpy(c + 16, &q, 8);
		q = k ? v->qsz_tx : v->qsz_rx;
		memcpy(c + 24, &q, 8);
		memcpy(c + 32, &nb, 2);
		c[34] = (uint8_t)k;
	}
	memcpy(p + 88, &v->rx_gpa, 8);
	memcpy(p + 96, &n, 4);
	for (int i = 0; i < NET_MAX_TXR; i++)
		memcpy(p + 104 + 8 * i, &v->txr[i].gpa, 8);
}

void net_layout(struct net_virt *v, struct shm_win *w, uint32_t rx_cap, uint32_t tx_cap,
		uint64_t txr_size)
{
	uint64_t o;

	v->win = w;
	v->rx_cap = rx_cap;
	v->tx_cap = tx_cap;
	v->qsz_rx = qbytes(rx_cap);
	v->qsz_tx = qbytes(tx_cap);
	if (txr_size % NBUF || !txr_size || 3 * (txr_size / NBUF) > tx_cap)
		die("TX regions of %llu bytes: a multiple of 2048, and 3 regions' buffers must "
		    "not outnumber --tx-capacity %u", (unsigned long long)txr_size, tx_cap);
	if (v->libvmm)
		v->gpa_dp = shm_gpa(w, shm_alloc(w, "data_passing", PAGE, PAGE));
	o = shm_alloc(w, "rx-notify", PAGE, PAGE);
	v->gpa_rx_notify = shm_gpa(w, o);
	doorbell_init(&v->db_rx, shm_ptr(w, o));
	o = shm_alloc(w, "rx-free", v->qsz_rx, PAGE);
	v->gpa_rx_free = shm_gpa(w, o);
	nq_init(&v->rx_free, w, o, rx_cap);
	o = shm_alloc(w, "rx-active", v->qsz_rx, PAGE);
	v->gpa_rx_active = shm_gpa(w, o);
	nq_init(&v->rx_active, w, o, rx_cap);
	o = shm_alloc(w, "tx-notify", PAGE, PAGE);
	v->gpa_tx_notify = shm_gpa(w, o);
	doorbell_init(&v->db_tx, shm_ptr(w, o));
	o = shm_alloc(w, "tx-free", v->qsz_tx, PAGE);
	v->gpa_tx_free = shm_gpa(w, o);
	nq_init(&v->tx_free, w, o, tx_cap);
	o = shm_alloc(w, "tx-active", v->qsz_tx, PAGE);
	v->gpa_tx_active = shm_gpa(w, o);
	nq_init(&v->tx_active, w, o, tx_cap);
	v->rx_size = (uint64_t)rx_cap * NBUF;
	o = shm_alloc(w, "rx-data", v->rx_size, PAGE);
	v->rx_gpa = v->rx_map_gpa = shm_gpa(w, o);
	v->rx_data = shm_ptr(w, o);
	if (v->libvmm) {
		/* the virts' own addresses: RX at 6 GiB, client i at 8 GiB + i * 256 MiB
		 * (not adjacent); the guest maps the clients side by side in tx_data */
		if (txr_size % PAGE)
			die("--tx-region %llu: the libvmm wiring needs whole pages",
			    (unsigned long long)txr_size);
		v->rx_gpa = 0x180000000ull;
		v->hole_gpa = shm_gpa(w, round_up(w->used, PAGE));
		shm_skip(w, PAGE);
		v->txd_size = NET_MAX_TXR * txr_size;
		o = shm_alloc(w, "tx_data", v->txd_size, PAGE);
		v->txd_gpa = shm_gpa(w, o);
	}
	for (int i = 0; i < NET_MAX_TXR; i++) {
		struct txr *t = &v->txr[i];
		snprintf(t->name, sizeof(t->name), "data%d", i);
		t->size = txr_size;
		if (v->libvmm) {
			t->map_gpa = v->txd_gpa + i * txr_size;
			t->mem = shm_ptr(w, o + i * txr_size);
			t->gpa = 0x200000000ull + i * 0x10000000ull;
			continue;
		}
		if (i == 2) { /* a hole: inside the window, in no map */
			v->hole_gpa = shm_gpa(w, round_up(w->used, PAGE));
			shm_skip(w, PAGE);
		}
		o = shm_alloc(w, t->name, txr_size, PAGE);
		t->gpa = t->map_gpa = shm_gpa(w, o);
		t->mem = shm_ptr(w, o);
	}
	if (v->libvmm)
		fill_data_passing(v, shm_ptr(w, v->gpa_dp - w->gpa));
	/* The driver's consumer flags start at 1 ("no signal wanted"): the TX active one
	 * turning 0 says the driver is serving. Ours start at 1 too. */
	nq_set_flag(&v->rx_free, 1);
	nq_set_flag(&v->tx_active, 1);
	nq_set_flag(&v->rx_active, 1);
	nq_set_flag(&v->tx_free, 1);
	fifo_init(&v->rx_given, rx_cap + 64);
	fifo_init(&v->tx_given, tx_cap);
	v->rx_held = xzalloc(sizeof(*v->rx_held) * rx_cap);
	v->tx_pool = xzalloc(sizeof(*v->tx_pool) * tx_cap);
	/* pool order: region-interleaved, so consecutive frames use different regions */
	for (uint32_t k = txr_size / NBUF; k-- > 0;)
		for (int i = NET_MAX_TXR; i-- > 0;)
			v->tx_pool[v->n_pool++] = v->txr[i].gpa + (uint64_t)k * NBUF;
	/* virt_rx preloads every RX buffer */
	for (uint32_t i = 0; i < rx_cap; i++)
		rx_give(v, v->rx_gpa + (uint64_t)i * NBUF, 1);
}

/* The window: no-map (UIO's Device mappings), except the data regions v->cached names,
 * reserved without no-map and declared memory. Returns the bytes of those. */
struct data_map {
	const char *name;
	uint64_t gpa, size;
	int which; /* NET_CACHED_* */
};

static uint64_t reserve_window(struct net_virt *v, void *fdt)
{
	struct data_map r[1 + NET_MAX_TXR] = {
		{ "rx-data", v->rx_map_gpa, v->rx_size, NET_CACHED_RX },
	};
	uint64_t at = v->win->gpa, end = v->win->gpa + v->win->size, mem = 0;
	int n = 1;

	/* the client TX data: libvmm's one tx_data map, or dvm's data0..2 */
	if (v->libvmm)
		r[n++] = (struct data_map){ "tx-data", v->txd_gpa, v->txd_size, NET_CACHED_TX };
	else
		for (int i = 0; i < NET_MAX_TXR; i++)
			r[n++] = (struct data_map){ v->txr[i].name, v->txr[i].map_gpa, v->txr[i].size,
						 NET_CACHED_TX };
	/* net_layout placed them in this order, after the queues */
	for (int i = 0; i < n; i++) {
		if (!(v->cached & r[i].which))
			continue;
		if (r[i].gpa < at)
			die("internal: data region %s below 0x%llx", r[i].name,
			    (unsigned long long)at);
		if (r[i].gpa > at)
			dtb_reserve(fdt, "vmm-window", at, r[i].gpa - at);
		dtb_reserve_mapped(fdt, r[i].name, r[i].gpa, r[i].size);
		at = r[i].gpa + r[i].size;
		mem += r[i].size;
	}
	if (end > at)
		dtb_reserve(fdt, "vmm-window", at, end - at);
	return mem;
}

uint64_t net_dtb(struct net_virt *v, void *fdt)
{
	uint64_t mem;

	struct uio_map rx[4] = {
		{ "notify", v->gpa_rx_notify, PAGE },
		{ "free", v->gpa_rx_free, v->qsz_rx },
		{ "active", v->gpa_rx_active, v->qsz_rx },
		{ "data", v->rx_gpa, v->rx_size },
	};
	struct uio_map tx[5] = {
		{ "notify", v->gpa_tx_notify, PAGE },
		{ "free", v->gpa_tx_free, v->qsz_tx },
		{ "active", v->gpa_tx_active, v->qsz_tx },
		{ v->txr[0].name, v->txr[0].gpa, v->txr[0].size },
		{ v->txr[1].name, v->txr[1].gpa, v->txr[1].size },
	};
	struct uio_map td[1] = { { v->txr[2].name, v->txr[2].gpa, v->txr[2].size } };

	if (v->libvmm) {
		/* as libvmm's network driver VM example: eleven nodes named uio */
		mem = reserve_window(v, fdt);
		dtb_add_region(fdt, "data_passing", v->gpa_dp, PAGE, -1, 0);
		dtb_add_region(fdt, "rx_free", v->gpa_rx_free, v->qsz_rx, -1, 0);
		dtb_add_region(fdt, "tx_free", v->gpa_tx_free, v->qsz_tx, -1, 0);
		dtb_add_region(fdt, "rx_active", v->gpa_rx_active, v->qsz_rx, -1, 0);
		dtb_add_region(fdt, "tx_active", v->gpa_tx_active, v->qsz_tx, -1, 0);
		dtb_add_region(fdt, "rx_fault", v->gpa_rx_notify, PAGE, -1, 0);
		dtb_add_region(fdt, "tx_fault", v->gpa_tx_notify, PAGE, -1, 0);
		dtb_add_region(fdt, "rx_irq", 0, 0, v->spi_rx, IRQ_LEVEL_HIGH);
		dtb_add_region(fdt, "tx_irq", 0, 0, v->spi_tx, IRQ_LEVEL_HIGH);
		dtb_add_region(fdt, "rx_data", v->rx_map_gpa, v->rx_size, -1, 0);
		dtb_add_region(fdt, "tx_data", v->txd_gpa, v->txd_size, -1, 0);
		return mem;
	}
	if (!v->names) {
		for (int i = 0; i < 4; i++)
			rx[i].name = 0;
		for (int i = 0; i < 5; i++)
			tx[i].name = 0;
		td[0].name = 0;
	}
	mem = reserve_window(v, fdt);
	dtb_add_uio(fdt, "net-rx", "net-rx", rx, 4, v->spi_rx, IRQ_LEVEL_HIGH);
	dtb_add_uio(fdt, "net-tx", "net-tx", tx, 5, v->spi_tx, IRQ_LEVEL_HIGH);
	dtb_add_uio(fdt, "net-tx-data", "net-tx-data", td, 1, -1, 0);
	return mem;
}

/* ---- queues -------------------------------------------------------------------------- */

static volatile uint16_t *u16p(struct nq *q, int off) { return (volatile uint16_t *)(q->q + off); }

uint32_t nq_used(struct nq *q)
{
	uint16_t t = __atomic_load_n(u16p(q, Q_TAIL), __ATOMIC_ACQUIRE);
	uint16_t h = __atomic_load_n(u16p(q, Q_HEAD), __ATOMIC_ACQUIRE);
	return (uint16_t)(t - h);
}

int nq_push(struct nq *q, const struct ndesc *d)
{
	uint16_t h = __atomic_load_n(u16p(q, Q_HEAD), __ATOMIC_ACQUIRE);

	if ((uint16_t)(q->idx - h) >= q->cap)
		return -1;
	memcpy((void *)(q->q + Q_SLOTS + 16 * ((uint16_t)q->idx % q->cap)), d, 16);
	q->idx++;
	__atomic_store_n(u16p(q, Q_TAIL), q->idx, __ATOMIC_RELEASE);
	return 0;
}

int nq_pop(struct nq *q, struct ndesc *d)
{
	uint16_t t = __atomic_load_n(u16p(q, Q_TAIL), __ATOMIC_ACQUIRE);

	if (t == q->idx)
		return -1;
	memcpy(d, (const void *)(q->q + Q_SLOTS + 16 * ((uint16_t)q->idx % q->cap)), 16);
	q->idx++;
	__atomic_store_n(u16p(q, Q_HEAD), q->idx, __ATOMIC_RELEASE);
	return 0;
}

void nq_set_flag(struct nq *q, uint32_t v)
{
	__atomic_store_n((volatile uint32_t *)(q->q + Q_FLAG), v, __ATOMIC_RELAXED);
}

uint32_t nq_flag(struct nq *q)
{
	return __atomic_load_n((volatile uint32_t *)(q->q + Q_FLAG), __ATOMIC_RELAXED);
}

static void producer_notify(struct net_virt *v, struct nq *q, int spi)
{
	/* sDDF's producer side: published (release), full fence, then the flag */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (nq_flag(q))
		return;
	nq_set_flag(q, 1);
	qtest_irq(v->qt, (unsigned)spi);
	v->irqs++;
}

void notify_rx_free(struct net_virt *v) { producer_notify(v, &v->rx_free, v->spi_rx); }
void notify_tx_active(struct net_virt *v) { producer_notify(v, &v->tx_active, v->spi_tx); }

struct wctx {
	struct nq *q;
	struct doorbell *db;
	int rung;
};

static int nonempty_or_rung(void *p)
{
	struct wctx *c = p;

	if (doorbell_rung(c->db))
		c->rung = 1;
	return c->rung;
}

static int consumer_wait(struct net_virt *v, struct nq *q, struct doorbell *db,
			 uint64_t timeout_ns, const char *what)
{
	uint64_t t0 = now_ns();

	for (;;) {
		struct wctx c = { q, db, 0 };
		uint64_t t = now_ns() - t0;

		if (nq_used(q))
			return 1;
		doorbell_rung(db); /* forget rings for entries already taken */
		nq_set_flag(q, 0);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (nq_used(q)) {
			nq_set_flag(q, 1);
			return 1;
		}
		if (t >= timeout_ns || !poll_until(v->vm, timeout_ns - t, nonempty_or_rung, &c)) {
			if (nq_used(q)) {
				v->lost++;
				fail(what, "lost wake-up: %u entries published but no doorbell "
				     "within %llu ms of our request", nq_used(q),
				     (unsigned long long)(timeout_ns / 1000000));
				return 1;
			}
			return 0;
		}
		/* rung: the driver cancelled our request when it rang */
	}
}

int wait_rx_active(struct net_virt *v, uint64_t timeout_ns, const char *what)
{
	return consumer_wait(v, &v->rx_active, &v->db_rx, timeout_ns, what);
}

int wait_tx_free(struct net_virt *v, uint64_t timeout_ns, const char *what)
{
	return consumer_wait(v, &v->tx_free, &v->db_tx, timeout_ns, what);
}

/* ---- RX buffers ---------------------------------------------------------------------- */

int rx_give(struct net_virt *v, uint64_t io, int expect_back)
{
	struct ndesc d = { .io = io, .len = 0, .oid = (uint8_t)(io >> 11 & 0x3f),
			   .pad = { 0xa1, 0xa2, 0xa3, 0xa4, 0xa5 } };

	if (nq_push(&v->rx_free, &d))
		return -1;
	if (expect_back)
		fifo_put(&v->rx_given, &d);
	return 0;
}

int rx_take(struct net_virt *v, uint8_t *buf, uint32_t *len, uint64_t *io)
{
	struct ndesc d, *w;
	uint64_t off;

	if (nq_pop(&v->rx_active, &d))
		return 0;
	w = fifo_front(&v->rx_given);
	*io = d.io;
	*len = d.len;
	if (!w) {
		fail("rx: descriptor", "RX active gave io 0x%llx len %u, but the driver holds no "
		     "buffer of ours", (unsigned long long)d.io, d.len);
		return -1;
	}
	if (d.io != w->io || d.oid != w->oid || memcmp(d.pad, w->pad, 5)) {
		fail("rx: descriptor", "RX active gave io 0x%llx (oid %u), expected the next "
		     "free buffer io 0x%llx (oid %u) unchanged", (unsigned long long)d.io, d.oid,
		     (unsigned long long)w->io, w->oid);
		return -1;
	}
	fifo_drop(&v->rx_given);
	off = d.io - v->rx_gpa;
	if (d.io < v->rx_gpa || off >= v->rx_size || !d.len || d.len > NBUF) {
		fail("rx: descriptor", "io 0x%llx len %u: not a frame in an RX buffer",
		     (unsigned long long)d.io, d.len);
		return -1;
	}
	memcpy(buf, v->rx_data + off, d.len);
	return 1;
}

void rx_return(struct net_virt *v, uint64_t io, int hold)
{
	if (hold) {
		v->rx_held[v->n_held++] = (uint32_t)((io - v->rx_gpa) / NBUF);
		return;
	}
	if (rx_give(v, io, 1))
		die("internal: RX free full while returning a buffer");
}

void rx_release_held(struct net_virt *v)
{
	for (uint32_t i = 0; i < v->n_held; i++)
		rx_return(v, v->rx_gpa + (uint64_t)v->rx_held[i] * NBUF, 0);
	v->n_held = 0;
	notify_rx_free(v);
}

/* ---- TX buffers ---------------------------------------------------------------------- */

uint64_t tx_buf(struct net_virt *v)
{
	return v->n_pool ? v->tx_pool[--v->n_pool] : 0;
}

uint8_t *tx_ptr(struct net_virt *v, uint64_t io)
{
	for (int i = 0; i < NET_MAX_TXR; i++)
		if (io >= v->txr[i].gpa && io - v->txr[i].gpa < v->txr[i].size)
			return v->txr[i].mem + (io - v->txr[i].gpa);
	return 0;
}

/* A whole, aligned buffer of a TX region (what the pool hands out). */
static int tx_is_buf(struct net_virt *v, uint64_t io)
{
	for (int i = 0; i < NET_MAX_TXR; i++)
		if (io >= v->txr[i].gpa && io - v->txr[i].gpa < v->txr[i].size)
			return !((io - v->txr[i].gpa) % NBUF);
	return 0;
}

int tx_push(struct net_virt *v, uint64_t io, uint16_t len)
{
	static uint32_t n;
	struct ndesc d = { .io = io, .len = len, .oid = (uint8_t)(n & 0x3f),
			   .pad = { (uint8_t)n, (uint8_t)(n >> 8), 0x5a, 0xc3, (uint8_t)~n } };

	if (nq_push(&v->tx_active, &d))
		return -1;
	n++;
	fifo_put(&v->tx_given, &d);
	return 0;
}

int tx_back(struct net_virt *v, int pool, struct ndesc *out)
{
	struct ndesc d, *w;

	if (nq_pop(&v->tx_free, &d))
		return 0;
	w = fifo_front(&v->tx_given);
	if (!w || memcmp(&d, w, sizeof(d))) {
		fail("tx: descriptor returned", "TX free gave io 0x%llx len %u oid %u, expected "
		     "%s io 0x%llx len %u oid %u unchanged", (unsigned long long)d.io, d.len, d.oid,
		     w ? "the next one pushed:" : "nothing (none outstanding):",
		     w ? (unsigned long long)w->io : 0ull, w ? w->len : 0, w ? w->oid : 0);
		return -1;
	}
	fifo_drop(&v->tx_given);
	v->tx_back++;
	if (pool && tx_is_buf(v, d.io))
		v->tx_pool[v->n_pool++] = d.io;
	if (out)
		*out = d;
	return 1;
}

/* ---- frames and the wire ------------------------------------------------------------- */

static uint8_t pat(uint32_t seq, unsigned i)
{
	return (uint8_t)(seq * 7 + i * 13 + (i >> 8));
}

void frame_make(uint8_t *f, unsigned len, uint32_t magic, uint32_t seq, const uint8_t *dst)
{
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0x02 };

	for (unsigned i = 0; i < len; i++)
		f[i] = pat(seq, i);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = ETH_TYPE_TEST >> 8;
	f[13] = ETH_TYPE_TEST & 0xff;
	if (len >= 24) {
		uint32_t m = htonl(magic), s = htonl(seq);
		uint16_t l = htons((uint16_t)len);
		memcpy(f + 14, &m, 4);
		memcpy(f + 18, &s, 4);
		memcpy(f + 22, &l, 2);
	}
}

int frame_check(const uint8_t *f, unsigned len, uint32_t magic, uint32_t seq, unsigned want_len)
{
	static uint8_t want[NBUF];
	uint8_t dst[6];

	if (len != want_len || len > NBUF)
		return -1;
	memcpy(dst, f, 6);
	frame_make(want, len, magic, seq, dst);
	return memcmp(f, want, len) ? -2 : 0;
}

int wire_open(struct net_virt *v, int *our_port, int qemu_port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t l = sizeof(a);
	int big = 8 << 20;

	v->sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (v->sock < 0 || bind(v->sock, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(v->sock, (struct sockaddr *)&a, &l))
		die("UDP socket on 127.0.0.1: %s", strerror(errno));
	setsockopt(v->sock, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	setsockopt(v->sock, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	*our_port = ntohs(a.sin_port);
	v->to.sin_family = AF_INET;
	v->to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	v->to.sin_port = htons((uint16_t)qemu_port);
	return 0;
}

void wire_send(struct net_virt *v, const uint8_t *f, unsigned len)
{
	for (;;) {
		ssize_t n = sendto(v->sock, f, len, 0, (struct sockaddr *)&v->to, sizeof(v->to));
		if (n == (ssize_t)len)
			return;
		if (n < 0 && (errno == EINTR || errno == ENOBUFS || errno == EAGAIN)) {
			sleep_us(100);
			continue;
		}
		/* QEMU not listening yet answers ECONNREFUSED via ICMP: retry */
		if (n < 0 && errno == ECONNREFUSED)
			continue;
		die("sending a frame to QEMU: %s", n < 0 ? strerror(errno) : "short send");
	}
}

int wire_recv(struct net_virt *v, uint8_t *f, uint64_t timeout_ns)
{
	uint64_t t0 = now_ns();

	for (;;) {
		struct pollfd p = { v->sock, POLLIN, 0 };
		uint64_t t = now_ns() - t0;
		ssize_t n;

		if (t >= timeout_ns)
			return -1;
		if (poll(&p, 1, (int)((timeout_ns - t) / 1000000) + 1) < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		n = recv(v->sock, f, 65536, MSG_DONTWAIT);
		if (n >= 0)
			return (int)n;
		if (errno != EAGAIN && errno != EINTR && errno != ECONNREFUSED)
			die("receiving from QEMU: %s", strerror(errno));
		if (!vm_alive(v->vm))
			die("QEMU ended (%s)", status_str(v->vm->status));
	}
}

/* ---- the driver's counters ----------------------------------------------------------- */

int stats_read(struct net_virt *v, const char *name, uint64_t *val)
{
	int fd = dup(v->vm->log_fd);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : 0;
	char line[2048], last[2048] = "", key[40];
	const char *p;

	if (!f)
		die("cannot read the console log: %s", strerror(errno));
	rewind(f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "uio_net: stats: ") || strstr(line, "uio_net: stopped: "))
			memcpy(last, line, sizeof(last));
	fclose(f);
	snprintf(key, sizeof(key), " %s=", name);
	p = strstr(last, key);
	if (!p) {
		snprintf(key, sizeof(key), ": %s=", name);
		p = strstr(last, key);
	}
	if (!p)
		return -1;
	*val = strtoull(p + strlen(key), 0, 10);
	return 0;
}
