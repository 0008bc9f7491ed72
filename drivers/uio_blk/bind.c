// SPDX-License-Identifier: BSD-2-Clause
/* The device-tree bindings (docs/binding-blk.md), chosen by what the device tree has:
 * - per-region (sdfgen style): one UIO device per region, found by region name
 *   (PREFIX = "blk_"): PREFIXstorage_info, PREFIXreq, PREFIXresp, PREFIXdata and
 *   PREFIXdata0..15, PREFIXfault (notify page, optional), and the interrupt on
 *   PREFIXirq (a node without reg) or else on PREFIXreq; used when PREFIXreq exists;
 * - dvm's own: the primary UIO device by name, its maps by reg-names ("notify", "info",
 *   "req", "resp", "data...") or, when its maps are unnamed, by libvmm's index order;
 *   every map of the devices named NAME-data as further data regions.
 * Also: queue capacities against the map sizes. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include "blk.h"
#include "log.h"
#include "uio.h"

#define MAX_DEVS 4 /* dvm's own: primary + 3 data devices: <= BLK_MAX_REGIONS regions */

int blk_check_cap(const char *what, uint64_t cap, uint64_t need, uint64_t have)
{
	if (!cap || cap > 0x80000000u) {
		err("%s %llu: must be 1 to 2^31", what, (unsigned long long)cap);
		return -1;
	}
	if (need > have) {
		err("%s %llu: needs 0x%llx bytes, map has 0x%llx", what, (unsigned long long)cap,
		    (unsigned long long)need, (unsigned long long)have);
		return -1;
	}
	return 0;
}

static int add_region(struct blk_shm *s, const struct uio_dev *d, int m)
{
	const struct uio_map *mp = &d->map[m];

	if (s->nregions == BLK_MAX_REGIONS) {
		err("uio%d map%d: more than %d data regions", d->num, m, BLK_MAX_REGIONS);
		return -1;
	}
	s->region[s->nregions].paddr = mp->addr;
	s->region[s->nregions].size = mp->size;
	s->region[s->nregions].mem = mp->mem;
	s->region[s->nregions].uio = d->num;
	s->region[s->nregions].map = m;
	s->region[s->nregions].zc = 0;
	s->nregions++;
	return 0;
}

/* One region device PREFIXname with `maps` maps into devs[*ndev]: 1 opened, 0 absent
 * (when not required), -1. */
static int region(struct uio_dev *devs, int *ndev, const char *root, const char *prefix,
		  const char *name, int maps, int required)
{
	int r = uio_open_region(&devs[*ndev], root, prefix, name, maps, required);

	if (r > 0)
		(*ndev)++;
	return r;
}

/* The per-region binding; devs[0] carries the interrupt. */
static int bind_regions(struct blk_shm *s, struct uio_dev *devs, int *ndev, const char *root,
			const char *p)
{
	int r = region(devs, ndev, root, p, "irq", 0, 0), info, q;
	char name[16];

	if (r < 0)
		return -1;
	q = *ndev;
	if (region(devs, ndev, root, p, "req", 1, 1) < 0 ||
	    region(devs, ndev, root, p, "resp", 1, 1) < 0 ||
	    region(devs, ndev, root, p, "storage_info", 1, 1) < 0)
		return -1;
	info = *ndev - 1;
	s->info = devs[info].map[0].mem;
	if (devs[info].map[0].size < sizeof(blk_storage_info_t)) {
		err("uio%d: %sstorage_info too small", devs[info].num, p);
		return -1;
	}
	s->req = devs[q].map[0].mem;
	s->req_size = devs[q].map[0].size;
	s->req_addr = devs[q].map[0].addr;
	s->resp = devs[q + 1].map[0].mem;
	s->resp_size = devs[q + 1].map[0].size;
	s->resp_addr = devs[q + 1].map[0].addr;
	r = region(devs, ndev, root, p, "fault", 1, 0);
	if (r < 0)
		return -1;
	s->notify = r ? devs[*ndev - 1].map[0].mem : 0;
	s->nregions = 0;
	for (int i = -1; i < BLK_MAX_REGIONS; i++) {
		snprintf(name, sizeof(name), i < 0 ? "data" : "data%d", i);
		r = region(devs, ndev, root, p, name, 1, 0);
		if (r < 0 || (r && add_region(s, &devs[*ndev - 1], 0)))
			return -1;
	}
	if (!s->nregions) {
		err("no UIO device with the region name '%sdata' or '%sdata0'...", p, p);
		return -1;
	}
	info("per-region binding '%s*': interrupt on uio%d, %d data regions, notify %s", p,
	     devs[0].num, s->nregions, s->notify ? "page" : "none");
	return 2;
}

/* dvm's own: opens devs[0] (primary) and devs[1..] (NAME-data). */
static int bind_own(struct blk_shm *s, struct uio_dev *devs, int *ndev, const char *root,
		    const char *name)
{
	struct uio_want w[] = {
		{ "notify", 0, -1 }, { "info", 1, -1 }, { "req", 2, -1 }, { "resp", 3, -1 },
		{ "data", 4, -1 },
	};
	int nums[MAX_DEVS], n, named;
	char dname[UIO_NAME_MAX + 8];
	struct uio_dev *d = &devs[0];

	*ndev = 0;
	n = uio_find(root, name, nums, 1);
	if (n < 0)
		return -1;
	if (!n) {
		err("no UIO device named '%s'", name);
		return -1;
	}
	if (n > 1)
		warn("%d UIO devices are named '%s'; using uio%d", n, name, nums[0]);
	if (uio_open(d, root, nums[0], O_NONBLOCK))
		return -1;
	*ndev = 1;
	named = uio_pick_maps(d, w, 5);
	for (int i = 1; i < 4; i++)
		if (w[i].idx < 0) {
			if (named)
				err("uio%d: no map named '%s'", d->num, w[i].name);
			else
				err("uio%d: %d unnamed maps; need notify, info, req, resp, data",
				    d->num, d->nmaps);
			return -1;
		}
	if (d->map[w[1].idx].size < sizeof(blk_storage_info_t)) {
		err("uio%d: info map too small", d->num);
		return -1;
	}
	s->notify = w[0].idx >= 0 ? d->map[w[0].idx].mem : 0;
	s->info = d->map[w[1].idx].mem;
	s->req = d->map[w[2].idx].mem;
	s->req_size = d->map[w[2].idx].size;
	s->req_addr = d->map[w[2].idx].addr;
	s->resp = d->map[w[3].idx].mem;
	s->resp_size = d->map[w[3].idx].size;
	s->resp_addr = d->map[w[3].idx].addr;
	s->nregions = 0;
	if (named) {
		for (int m = 0; m < d->nmaps; m++)
			if (!strncmp(d->map[m].name, "data", 4) && add_region(s, d, m))
				return -1;
	} else if (w[4].idx >= 0 && add_region(s, d, w[4].idx)) {
		return -1;
	}
	snprintf(dname, sizeof(dname), "%s-data", name);
	n = uio_find(root, dname, nums, MAX_DEVS - 1);
	if (n > MAX_DEVS - 1) {
		err("more than %d '%s' devices", MAX_DEVS - 1, dname);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		struct uio_dev *x = &devs[*ndev];
		if (uio_open(x, root, nums[i], 0))
			return -1;
		(*ndev)++;
		for (int m = 0; m < x->nmaps; m++)
			if (add_region(s, x, m))
				return -1;
	}
	if (!s->nregions) {
		err("uio%d: no data region", d->num);
		return -1;
	}
	info("dvm binding '%s': uio%d, maps by %s, %d data regions", name, d->num,
	     named ? "name" : "index", s->nregions);
	return named;
}

int blk_bind(struct blk_shm *s, struct uio_dev *devs, int *ndev, const char *root,
	     const char *name, const char *prefix)
{
	char req[UIO_NAME_MAX];
	int num, n;

	*ndev = 0;
	snprintf(req, sizeof(req), "%sreq", prefix);
	n = uio_find_region(root, req, &num, 1);
	if (n < 0)
		return -1;
	return n ? bind_regions(s, devs, ndev, root, prefix) : bind_own(s, devs, ndev, root, name);
}
