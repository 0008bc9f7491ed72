// SPDX-License-Identifier: BSD-2-Clause
/* Device-tree editing with libfdt; see dtb.h. Cell counts are taken from the parent
 * nodes (QEMU's virt uses 2 address and 2 size cells at the root). */
#include <errno.h>
#include <fcntl.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dtb.h"
#include "util.h"

#define DTB_SLACK 16384 /* room for the nodes we add */

static void chk(int r, const char *what)
{
	if (r < 0)
		die("device tree: %s: %s", what, fdt_strerror(r));
}

void *dtb_load(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	off_t len;
	char *buf;

	if (fd < 0)
		die("cannot open %s: %s", path, strerror(errno));
	len = lseek(fd, 0, SEEK_END);
	if (len <= 0 || len > (16 << 20))
		die("%s: unexpected size %lld", path, (long long)len);
	buf = xzalloc((size_t)len + DTB_SLACK);
	if (pread(fd, buf, (size_t)len, 0) != len)
		die("cannot read %s: %s", path, strerror(errno));
	close(fd);
	if (fdt_check_header(buf) || fdt_totalsize(buf) > (uint32_t)len)
		die("%s is not a valid DTB", path);
	chk(fdt_open_into(buf, buf, (int)len + DTB_SLACK), path);
	return buf;
}

static int cells(const void *fdt, int node, const char *prop, int dflt)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, prop, &len);

	return p && len == 4 ? (int)fdt32_to_cpu(*p) : dflt;
}

/* Append (gpa, size) in the cell widths of the node's parent to buf. */
static int put_reg(uint8_t *buf, int ac, int sc, uint64_t gpa, uint64_t size)
{
	int n = 0;
	fdt32_t c;

	if ((ac == 1 && gpa >> 32) || (sc == 1 && size >> 32) || ac < 1 || ac > 2 || sc < 1 ||
	    sc > 2)
		die("device tree: cannot express 0x%llx+0x%llx in %d/%d cells",
		    (unsigned long long)gpa, (unsigned long long)size, ac, sc);
	if (ac == 2) {
		c = cpu_to_fdt32((uint32_t)(gpa >> 32));
		memcpy(buf + n, &c, 4), n += 4;
	}
	c = cpu_to_fdt32((uint32_t)gpa);
	memcpy(buf + n, &c, 4), n += 4;
	if (sc == 2) {
		c = cpu_to_fdt32((uint32_t)(size >> 32));
		memcpy(buf + n, &c, 4), n += 4;
	}
	c = cpu_to_fdt32((uint32_t)size);
	memcpy(buf + n, &c, 4), n += 4;
	return n;
}

static void reserve(void *fdt, const char *name, uint64_t gpa, uint64_t size, int nomap)
{
	int root = fdt_path_offset(fdt, "/"), rm, node, ac, sc, n;
	char nname[64];
	uint8_t reg[16];

	chk(root, "/");
	rm = fdt_subnode_offset(fdt, root, "reserved-memory");
	if (rm == -FDT_ERR_NOTFOUND) {
		rm = fdt_add_subnode(fdt, root, "reserved-memory");
		chk(rm, "add /reserved-memory");
		/* same cells as the root, identity ranges */
		chk(fdt_setprop_u32(fdt, rm, "#address-cells", (uint32_t)cells(fdt, root, "#address-cells", 2)),
		    "reserved-memory #address-cells");
		chk(fdt_setprop_u32(fdt, rm, "#size-cells", (uint32_t)cells(fdt, root, "#size-cells", 1)),
		    "reserved-memory #size-cells");
		chk(fdt_setprop(fdt, rm, "ranges", 0, 0), "reserved-memory ranges");
	}
	chk(rm, "/reserved-memory");
	ac = cells(fdt, rm, "#address-cells", 2);
	sc = cells(fdt, rm, "#size-cells", 1);
	snprintf(nname, sizeof(nname), "%s@%llx", name, (unsigned long long)gpa);
	node = fdt_add_subnode(fdt, rm, nname);
	chk(node, nname);
	n = put_reg(reg, ac, sc, gpa, size);
	chk(fdt_setprop(fdt, node, "reg", reg, n), "reserved reg");
	if (nomap)
		chk(fdt_setprop(fdt, node, "no-map", 0, 0), "no-map");
}

void dtb_reserve(void *fdt, const char *name, uint64_t gpa, uint64_t size)
{
	reserve(fdt, name, gpa, size, 1);
}

void dtb_reserve_mapped(void *fdt, const char *name, uint64_t gpa, uint64_t size)
{
	int root = fdt_path_offset(fdt, "/"), node, n;
	char nname[64];
	uint8_t reg[16];

	reserve(fdt, name, gpa, size, 0);
	/* and memory the kernel knows (in NUMA node 0, guest RAM's), kept by
	 * dtb_set_memory */
	chk(root, "/");
	snprintf(nname, sizeof(nname), "memory@%llx", (unsigned long long)gpa);
	node = fdt_add_subnode(fdt, root, nname);
	chk(node, nname);
	n = put_reg(reg, cells(fdt, root, "#address-cells", 2), cells(fdt, root, "#size-cells", 1),
		    gpa, size);
	chk(fdt_setprop_string(fdt, node, "device_type", "memory"), "memory device_type");
	chk(fdt_setprop(fdt, node, "reg", reg, n), "memory reg");
	chk(fdt_setprop_u32(fdt, node, "numa-node-id", 0), "numa-node-id");
	chk(fdt_setprop(fdt, node, "dvm,zero-copy", 0, 0), "dvm,zero-copy");
}

void dtb_add_uio(void *fdt, const char *name, const char *uio_name, const struct uio_map *m,
		 int n, int spi, int irq_flags)
{
	int root = fdt_path_offset(fdt, "/"), node, ac, sc, len = 0, nlen = 0;
	uint8_t reg[5 * 16];
	char names[5 * 32], nname[64];

	chk(root, "/");
	if (n < 1 || n > 5)
		die("UIO node %s: %d maps (1..5 allowed)", name, n);
	ac = cells(fdt, root, "#address-cells", 2);
	sc = cells(fdt, root, "#size-cells", 1);
	snprintf(nname, sizeof(nname), "%s@%llx", name, (unsigned long long)m[0].gpa);
	node = fdt_add_subnode(fdt, root, nname);
	chk(node, nname);
	chk(fdt_setprop_string(fdt, node, "compatible", "generic-uio"), "compatible");
	chk(fdt_setprop_string(fdt, node, "linux,uio-name", uio_name), "linux,uio-name");
	for (int i = 0; i < n; i++) {
		len += put_reg(reg + len, ac, sc, m[i].gpa, m[i].size);
		if (m[i].name) {
			size_t l = strlen(m[i].name) + 1;

			if (nlen + l > sizeof(names))
				die("UIO node %s: reg-names too long", name);
			memcpy(names + nlen, m[i].name, l);
			nlen += (int)l;
		}
	}
	chk(fdt_setprop(fdt, node, "reg", reg, len), "reg");
	if (nlen)
		chk(fdt_setprop(fdt, node, "reg-names", names, nlen), "reg-names");
	if (spi >= 0) {
		/* GIC: <type (0 = SPI) number flags>; interrupt-parent is inherited from
		 * the root. */
		fdt32_t irq[3] = { cpu_to_fdt32(0), cpu_to_fdt32((uint32_t)spi),
				   cpu_to_fdt32((uint32_t)irq_flags) };

		chk(fdt_setprop(fdt, node, "interrupts", irq, sizeof(irq)), "interrupts");
	}
}

void dtb_add_region(void *fdt, const char *region, uint64_t gpa, uint64_t size, int spi,
		    int irq_flags)
{
	int root = fdt_path_offset(fdt, "/"), node, len;
	uint8_t reg[16];
	char compat[64], nname[64];

	chk(root, "/");
	if (size)
		snprintf(nname, sizeof(nname), "uio@%llx", (unsigned long long)gpa);
	else
		snprintf(nname, sizeof(nname), "uio@irq%d", spi);
	node = fdt_add_subnode(fdt, root, nname);
	chk(node, nname);
	/* "generic-uio\0<region>\0": exactly two strings, what sdfgen reads */
	len = snprintf(compat, sizeof(compat), "generic-uio%c%s", 0, region) + 1;
	if (len > (int)sizeof(compat) || strlen(region) > 31)
		die("UIO region name '%s' too long", region);
	chk(fdt_setprop(fdt, node, "compatible", compat, len), "compatible");
	if (size) {
		len = put_reg(reg, cells(fdt, root, "#address-cells", 2),
			      cells(fdt, root, "#size-cells", 1), gpa, size);
		chk(fdt_setprop(fdt, node, "reg", reg, len), "reg");
	}
	if (spi >= 0) {
		fdt32_t irq[3] = { cpu_to_fdt32(0), cpu_to_fdt32((uint32_t)spi),
				   cpu_to_fdt32((uint32_t)irq_flags) };

		chk(fdt_setprop(fdt, node, "interrupts", irq, sizeof(irq)), "interrupts");
	}
}

/* Every property of node `na` of a also in node `nb` of b, byte for byte. */
static void same_props(const void *a, int na, const void *b, int nb, const char *path)
{
	int p;

	fdt_for_each_property_offset(p, a, na) {
		const char *name;
		int la, lb;
		const void *va = fdt_getprop_by_offset(a, p, &name, &la);
		const void *vb = fdt_getprop(b, nb, name, &lb);

		if (!vb || la != lb || memcmp(va, vb, (size_t)la))
			die("--dtb: %s: property %s %s what the simulated VMM lays out", path, name,
			    vb ? "differs from" : "missing; it is in");
	}
}

static int is_uio(const void *fdt, int node)
{
	int len;
	const char *c = fdt_getprop(fdt, node, "compatible", &len);

	return c && len >= 11 && !strncmp(c, "generic-uio", 11);
}

void dtb_check_same_uio(const void *want, const void *got)
{
	int n, rm, count = 0, have = 0;
	char path[256];

	fdt_for_each_subnode(n, want, 0) {
		const char *name = fdt_get_name(want, n, 0);
		int m;

		if (!is_uio(want, n))
			continue;
		snprintf(path, sizeof(path), "/%s", name);
		m = fdt_path_offset(got, path);
		if (m < 0)
			die("--dtb: no node %s (the simulated VMM lays one out)", path);
		same_props(want, n, got, m, path);
		same_props(got, m, want, n, path); /* nothing more either */
		count++;
	}
	fdt_for_each_subnode(n, got, 0)
		have += is_uio(got, n);
	if (have != count)
		die("--dtb: %d UIO nodes, the simulated VMM lays out %d", have, count);
	rm = fdt_path_offset(want, "/reserved-memory");
	if (rm >= 0)
		fdt_for_each_subnode(n, want, rm) {
			snprintf(path, sizeof(path), "/reserved-memory/%s", fdt_get_name(want, n, 0));
			if (fdt_path_offset(got, path) < 0)
				die("--dtb: no node %s", path);
			same_props(want, n, got, fdt_path_offset(got, path), path);
		}
}

/* The first memory node other than keep (negative: none), or a negative libfdt error. */
static int other_memory_node(const void *fdt, int keep)
{
	int node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7);

	/* dtb_add_zc_memory's nodes stay: the zero-copy data regions are memory */
	while (node >= 0 && (node == keep || fdt_getprop(fdt, node, "dvm,zero-copy", NULL)))
		node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", 7);
	return node;
}

void dtb_set_memory(void *fdt, uint64_t base, uint64_t size)
{
	int root = fdt_path_offset(fdt, "/"), node, ac, sc, n;
	char name[64];
	uint8_t reg[16];

	chk(root, "/");
	ac = cells(fdt, root, "#address-cells", 2);
	sc = cells(fdt, root, "#size-cells", 1);
	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)base);
	/* QEMU names its NUMA node 0 memory@BASE; keeping that node keeps its numa-node-id
	 * (the CPUs name node 0 too) */
	node = fdt_subnode_offset(fdt, root, name);
	if (node == -FDT_ERR_NOTFOUND) {
		node = fdt_add_subnode(fdt, root, name);
		chk(node, name);
		chk(fdt_setprop_string(fdt, node, "device_type", "memory"), "memory device_type");
	}
	chk(node, name);
	n = put_reg(reg, ac, sc, base, size);
	chk(fdt_setprop(fdt, node, "reg", reg, n), "memory reg");
	/* offsets move on each deletion: look again every time */
	for (;;) {
		int other = other_memory_node(fdt, node);

		if (other == -FDT_ERR_NOTFOUND)
			break;
		chk(other, "memory nodes");
		chk(fdt_del_node(fdt, other), "delete a memory node");
		node = fdt_subnode_offset(fdt, root, name);
		chk(node, name);
	}
	/* the distance map names the window's NUMA node, which is no memory now */
	node = fdt_path_offset(fdt, "/distance-map");
	if (node >= 0)
		chk(fdt_del_node(fdt, node), "delete /distance-map");
}

void dtb_set_chosen(void *fdt, const char *bootargs, uint64_t initrd_start, uint64_t initrd_end)
{
	int node = fdt_path_offset(fdt, "/chosen");

	if (node == -FDT_ERR_NOTFOUND)
		node = fdt_add_subnode(fdt, fdt_path_offset(fdt, "/"), "chosen");
	chk(node, "/chosen");
	chk(fdt_setprop_string(fdt, node, "bootargs", bootargs), "/chosen bootargs");
	chk(fdt_setprop_u64(fdt, node, "linux,initrd-start", initrd_start), "linux,initrd-start");
	chk(fdt_setprop_u64(fdt, node, "linux,initrd-end", initrd_end), "linux,initrd-end");
}

uint32_t dtb_size(void *fdt)
{
	chk(fdt_pack(fdt), "pack");
	return fdt_totalsize(fdt);
}

void dtb_save(void *fdt, const char *path)
{
	int fd;

	chk(fdt_pack(fdt), "pack");
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die("cannot create %s: %s", path, strerror(errno));
	if (write(fd, fdt, fdt_totalsize(fdt)) != (ssize_t)fdt_totalsize(fdt))
		die("cannot write %s: %s", path, strerror(errno));
	close(fd);
}

/* ---- --trim-dt ------------------------------------------------------------------------ */

/* QEMU virt's nodes that a VMM lays out only for devices it gives the guest: the
 * unused virtio-mmio transports, and devices no driver VM is given. */
static const char *const virt_extra[] = {
	"pl061@", "gpio-keys", "pl031@", "pcie@", "fw-cfg@", "flash@", "platform-bus@", "pmu",
};

static uint64_t unit_addr(const char *name)
{
	const char *at = strchr(name, '@');

	return at ? strtoull(at + 1, NULL, 16) : 0;
}

int dtb_trim_virt(void *fdt, unsigned nvirtio)
{
	uint64_t addr[64];
	unsigned n = 0, keep_from;
	int node, again = 1, removed = 0;

	/* QEMU plugs the first virtio -device into the transport at the highest address,
	 * the next one below it, ...: the used ones are the top nvirtio. */
	fdt_for_each_subnode(node, fdt, 0) {
		const char *name = fdt_get_name(fdt, node, NULL);
		if (name && !strncmp(name, "virtio_mmio@", 12) && n < 64)
			addr[n++] = unit_addr(name);
	}
	for (unsigned i = 1; i < n; i++) /* descending */
		for (unsigned j = i; j > 0 && addr[j] > addr[j - 1]; j--) {
			uint64_t t = addr[j];
			addr[j] = addr[j - 1];
			addr[j - 1] = t;
		}
	keep_from = nvirtio < n ? nvirtio : n;
	/* delete one node per pass: offsets move after each deletion */
	while (again) {
		again = 0;
		fdt_for_each_subnode(node, fdt, 0) {
			const char *name = fdt_get_name(fdt, node, NULL);
			int del = 0;

			if (!name)
				continue;
			if (!strncmp(name, "virtio_mmio@", 12)) {
				uint64_t a = unit_addr(name);
				del = 1;
				for (unsigned i = 0; i < keep_from; i++)
					del &= addr[i] != a;
			}
			for (unsigned i = 0; i < sizeof(virt_extra) / sizeof(virt_extra[0]); i++)
				del |= !strncmp(name, virt_extra[i], strlen(virt_extra[i]));
			if (del) {
				chk(fdt_del_node(fdt, node), name);
				removed++;
				again = 1;
				break;
			}
		}
	}
	return removed;
}
