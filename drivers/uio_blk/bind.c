/* The device-tree binding (docs/binding-blk.md): find the primary UIO device by name,
 * pick its maps by reg-names ("notify", "info", "req", "resp", "data...") or, when its
 * maps are unnamed, by libvmm's index order; add every map of the devices named
 * NAME-data as further data regions; check queue capacities against the map sizes. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include "blk.h"
#include "log.h"
#include "uio.h"

#define MAX_DEVS BLK_MAX_DEVS /* primary + 3 data devices: <= BLK_MAX_REGIONS regions */

int blk_check_cap(const char *what, uint64_t cap, uint64_t need, uint64_t have)
{
	if (!cap || (cap & (cap - 1)) || cap > 0x80000000u) {
		err("%s %llu: not a power of two", what, (unsigned long long)cap);
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

/* Opens devs[0] (primary) and devs[1..] (NAME-data); *ndev says how many to close. */
int blk_bind(struct blk_shm *s, struct uio_dev *devs, int *ndev, const char *root,
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
	info("uio%d: maps by %s, %d data regions", d->num, named ? "name" : "index", s->nregions);
	return named;
}
