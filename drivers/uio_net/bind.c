// SPDX-License-Identifier: BSD-2-Clause
/* The device-tree bindings (docs/binding-net.md), chosen by what the device tree has:
 * - per-region (libvmm's network driver VM, sdfgen): one UIO device per region, found
 *   by region name (PREFIX "" by default): data_passing (optional), rx_free, rx_active,
 *   tx_free, tx_active, rx_data, tx_data, rx_fault, tx_fault (the doorbells), and the
 *   interrupts on rx_irq / tx_irq (nodes without reg) or else on rx_free / tx_active;
 *   used when PREFIXrx_free exists;
 * - dvm's own: the RX and TX sides are separate UIO devices (a node holds at most 5
 *   maps), found by name. Maps are picked by reg-names, or by index when unnamed:
 *   net-rx:       notify (0), free (1), active (2), data (3)
 *   net-tx:       notify (0), free (1), active (2), data0 (3), data1 (4): client TX data
 *   net-tx-data:  every map is one more client TX data region (data2, ...)
 * Queue sizes are checked against the capacities in main (net_check_cap).
 * Each data map is logged as page-backed (dvm_uio over reserved memory without no-map:
 * cacheable, so the frame copies run at memory speed) or not (UIO's Device mapping). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include "log.h"
#include "net.h"
#include "uio.h"

int net_check_cap(const char *opt, const char *queue, uint64_t cap, uint64_t map_size)
{
	if (!cap || cap > NETQ_MAX_CAP) {
		err("%s %llu: must be from 1 to %u (the queues count in u16)",
		    opt, (unsigned long long)cap, NETQ_MAX_CAP);
		return -1;
	}
	if (net_queue_bytes(cap) > map_size) {
		err("%s %llu: the %s queue needs 8 + 16 * %llu bytes, its map has 0x%llx", opt,
		    (unsigned long long)cap, queue, (unsigned long long)cap,
		    (unsigned long long)map_size);
		return -1;
	}
	return 0;
}

/* One line per data map (what: its name in the messages): page-backed or not. */
static void log_cache(const char *root, const struct uio_dev *d, int m, const char *what)
{
	const struct uio_map *mp = &d->map[m];

	info("%s (uio%d map%d, 0x%llx + 0x%llx): %s", what, d->num, m,
	     (unsigned long long)mp->addr, (unsigned long long)mp->size,
	     uio_pages(root, d->num) & (1u << m) ? "page-backed, cacheable" :
	     "not page-backed: Device memory (not dvm_uio, or reserved with no-map)");
}

static int add_tx(struct net_srv *s, const char *root, const struct uio_dev *d, int m)
{
	const struct uio_map *mp = &d->map[m];
	char what[24];

	if (s->ntx == NET_MAX_TX_REGIONS) {
		err("more than %d client TX data regions (uio%d map%d)", NET_MAX_TX_REGIONS,
		    d->num, m);
		return -1;
	}
	snprintf(what, sizeof(what), "TX data region %d", s->ntx);
	log_cache(root, d, m, what);
	s->tx[s->ntx].paddr = mp->addr;
	s->tx[s->ntx].size = mp->size;
	s->tx[s->ntx].mem = mp->mem;
	s->ntx++;
	dbg("TX data region %d: uio%d map%d 0x%llx+0x%llx", s->ntx - 1, d->num, m,
	    (unsigned long long)mp->addr, (unsigned long long)mp->size);
	return 0;
}

/* The per-region binding. */
enum { R_FREE_RX, R_ACT_RX, R_ACT_TX, R_FREE_TX, R_FAULT_RX, R_FAULT_TX, R_DATA_RX,
       R_DATA_TX, R_PASS, R_IRQ_RX, R_IRQ_TX, NR };
static const char region_names[NR][13] = {
	"rx_free", "rx_active", "tx_active", "tx_free", "rx_fault", "tx_fault", "rx_data",
	"tx_data", "data_passing", "rx_irq", "tx_irq",
};

static int bind_regions(struct net_srv *s, struct net_maps *m, struct uio_dev *devs,
			int *ndev, const char *root, const char *p, const unsigned long *cap)
{
	struct uio_dev *d[NR];
	struct net_region r[2];

	for (int i = 0; i < NR; i++) {
		int k = uio_open_region(&devs[*ndev], root, p, region_names[i], i < R_IRQ_RX,
					i < R_PASS);
		if (k < 0)
			return -1;
		d[i] = k ? &devs[(*ndev)++] : 0;
	}
	for (int i = 0; i < 4; i++) {
		m->q[i] = d[i]->map[0].mem;
		m->qsize[i] = d[i]->map[0].size;
	}
	m->bell[0] = d[R_FAULT_RX]->map[0].mem;
	m->bell[1] = d[R_FAULT_TX]->map[0].mem;
	/* the interrupts: the reg-less nodes, else the queues the virts signal through */
	int irq[2];
	for (int k = 0; k < 2; k++) {
		struct uio_dev *x = d[R_IRQ_RX + k] ? d[R_IRQ_RX + k] : d[k ? R_ACT_TX : R_FREE_RX];
		m->fd[k] = x->fd;
		m->ctl[k] = x->ctl_fd;
		irq[k] = x->num;
	}
	for (int k = 0; k < 2; k++) {
		const struct uio_map *mp = &d[R_DATA_RX + k]->map[0];
		char what[48];

		r[k] = (struct net_region){ mp->addr, mp->size, mp->mem };
		snprintf(what, sizeof(what), "%s%s", p, region_names[R_DATA_RX + k]);
		log_cache(root, d[R_DATA_RX + k], 0, what);
	}
	if (r[0].size < NET_BUFFER_SIZE) {
		err("%srx_data: 0x%llx bytes, less than a buffer", p, (unsigned long long)r[0].size);
		return -1;
	}
	if (d[R_PASS]) {
		if (net_passing(s, m, d[R_PASS]->map[0].mem, d[R_PASS]->map[0].size, &r[0], &r[1],
				cap))
			return -1;
	} else {
		/* no data_passing: the virts use the guest's own addresses, one TX region */
		s->rx = r[0];
		s->tx[0] = r[1];
		s->ntx = 1;
	}
	info("per-region binding '%s*': interrupts on uio%d, uio%d; %s; RX data 0x%llx bytes, "
	     "%d TX data area(s)", p, irq[0], irq[1],
	     d[R_PASS] ? "data_passing" : "no data_passing", (unsigned long long)s->rx.size,
	     s->ntx);
	return 0;
}

static int bind_own(struct net_srv *s, struct net_maps *m, struct uio_dev *devs, int *ndev,
		    const char *root, const char *rx_name, const char *tx_name)
{
	static const char *const want[4] = { "notify", "free", "active", "data" };
	const char *name[2] = { rx_name, tx_name };
	char dname[UIO_NAME_MAX + 8];
	int nums[NET_MAX_DEVS - 2], n, named = 0;

	*ndev = 0;
	s->ntx = 0;
	for (int k = 0; k < 2; k++) { /* 0: RX, 1: TX */
		struct uio_dev *d = &devs[k];
		struct uio_want w[4];
		int nw = k ? 3 : 4, num;

		n = uio_find(root, name[k], &num, 1);
		if (n <= 0) {
			if (!n)
				err("no UIO device named '%s' (linux,uio-name; %s chooses the name)",
				    name[k], k ? "--uio-tx" : "--uio-rx");
			return -1;
		}
		if (n > 1)
			warn("%d UIO devices are named '%s'; using uio%d", n, name[k], num);
		if (uio_open(d, root, num, O_NONBLOCK))
			return -1;
		*ndev = k + 1;
		for (int i = 0; i < nw; i++)
			w[i] = (struct uio_want){ want[i], i, -1 };
		named = uio_pick_maps(d, w, nw);
		for (int i = 0; i < nw; i++)
			if (w[i].idx < 0) {
				err(named ? "uio%d (%s): no map named '%s' (reg-names)" :
				    "uio%d (%s): too few maps for '%s' (unnamed maps: notify, free, "
				    "active, data...)", d->num, name[k], w[i].name);
				return -1;
			}
		m->bell[k] = d->map[w[0].idx].mem;
		m->q[k ? Q_TX_FREE : Q_RX_FREE] = d->map[w[1].idx].mem;
		m->qsize[k ? Q_TX_FREE : Q_RX_FREE] = d->map[w[1].idx].size;
		m->q[k ? Q_TX_ACTIVE : Q_RX_ACTIVE] = d->map[w[2].idx].mem;
		m->qsize[k ? Q_TX_ACTIVE : Q_RX_ACTIVE] = d->map[w[2].idx].size;
		m->fd[k] = d->fd;
		m->ctl[k] = d->ctl_fd;
		if (!k) {
			const struct uio_map *mp = &d->map[w[3].idx];
			s->rx.paddr = mp->addr;
			s->rx.size = mp->size;
			s->rx.mem = mp->mem;
			log_cache(root, d, w[3].idx, "RX data region");
			if (mp->size < NET_BUFFER_SIZE) {
				err("uio%d (%s): data map of 0x%llx bytes, less than a buffer", d->num,
				    name[k], (unsigned long long)mp->size);
				return -1;
			}
			continue;
		}
		/* TX: maps named data..., or unnamed ones after the queues */
		for (int i = named ? 0 : 3; i < d->nmaps; i++)
			if ((!named || !strncmp(d->map[i].name, "data", 4)) && add_tx(s, root, d, i))
				return -1;
	}
	snprintf(dname, sizeof(dname), "%s-data", tx_name);
	n = uio_find(root, dname, nums, NET_MAX_DEVS - 2);
	if (n < 0)
		return -1;
	if (n > NET_MAX_DEVS - 2) {
		err("%d UIO devices named '%s'; at most %d are supported", n, dname,
		    NET_MAX_DEVS - 2);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		struct uio_dev *x = &devs[*ndev];
		if (uio_open(x, root, nums[i], O_NONBLOCK))
			return -1;
		(*ndev)++;
		for (int j = 0; j < x->nmaps; j++)
			if (add_tx(s, root, x, j))
				return -1;
	}
	if (!s->ntx) {
		err("%s: no client TX data region (maps named data..., or a %s device)", tx_name,
		    dname);
		return -1;
	}
	info("dvm binding: uio%d '%s', uio%d '%s': maps by %s; RX data 0x%llx bytes, %d TX "
	     "data region(s)", devs[0].num, rx_name, devs[1].num, tx_name,
	     named ? "name" : "index", (unsigned long long)s->rx.size, s->ntx);
	return 0;
}

int net_bind(struct net_srv *s, struct net_maps *m, struct uio_dev *devs, int *ndev,
	     const char *root, const char *rx_name, const char *tx_name, const char *prefix,
	     const unsigned long *cap)
{
	char name[UIO_NAME_MAX];
	int num, n;

	*ndev = 0;
	s->ntx = 0;
	m->cap[0] = m->cap[1] = 0;
	snprintf(name, sizeof(name), "%srx_free", prefix);
	n = uio_find_region(root, name, &num, 1);
	if (n < 0)
		return -1;
	return n ? bind_regions(s, m, devs, ndev, root, prefix, cap)
		 : bind_own(s, m, devs, ndev, root, rx_name, tx_name);
}
