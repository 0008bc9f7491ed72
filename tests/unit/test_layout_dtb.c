// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests: loading (DTB, or DTS through dtc), reading the declared regions and
 * patching with libfdt (pack/layout/dtbload.c, dtbscan.c, fdtpatch.c), checked by reading the
 * result back with libfdt. tests/cli/layout.sh checks the same with fdtget and dtc. */
#include <libfdt.h>
#include <stdlib.h>
#include <unistd.h>
#include "check.h"
#include "dtb.h"
#include "util.h"

/* Load DTS text through a temporary file (dtb_load runs dtc on it). */
static int load_dts(const char *dts, struct dtb *d)
{
	static char path[64];
	snprintf(path, sizeof(path), "/tmp/dvm-dtb-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, dts, strlen(dts)) != (ssize_t)strlen(dts))
		return -1;
	close(fd);
	perr_quiet = 1;
	int r = dtb_load(path, d);
	unlink(path);
	return r;
}

static uint64_t prop_val(const void *fdt, const char *path, const char *prop, int *len)
{
	int node = fdt_path_offset(fdt, path);
	const fdt32_t *p = node >= 0 ? fdt_getprop(fdt, node, prop, len) : NULL;
	uint64_t v = 0;
	if (!p) {
		*len = -1;
		return 0;
	}
	for (int i = 0; i < *len / 4; i++)
		v = v << 32 | fdt32_to_cpu(p[i]);
	return v;
}

#define ROOT "/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"

TEST(memory_and_chosen_64bit)
{
	struct dtb d;
	int len;
	CHECK_INT(load_dts(ROOT "memory@40000000 { device_type = \"memory\"; reg = <0 0x40000000 0 0x10000000>; };\n"
			   "chosen { bootargs = \"console=ttyAMA0\"; }; };\n", &d), 0);
	size_t before = fdt_totalsize(d.fdt);
	CHECK_INT(d.cap, before);	/* starts tight: every addition must grow it */
	CHECK_INT(dtb_set_memory(&d, 0x40200000, 0x3c00000, NULL, 0), 0);
	CHECK_INT(dtb_set_initrd(&d, 0x42210000, 0x42230000), 0);
	CHECK_INT(dtb_set_bootargs(&d, NULL, "panic=-1"), 0);
	CHECK_INT(dtb_pack(&d), 0);
	CHECK(fdt_check_full(d.fdt, fdt_totalsize(d.fdt)) == 0);
	CHECK(fdt_path_offset(d.fdt, "/memory@40000000") < 0);	/* renamed */
	CHECK_INT(prop_val(d.fdt, "/memory@40200000", "reg", &len), 0x3c00000);
	CHECK_INT(len, 16);
	CHECK_INT(prop_val(d.fdt, "/chosen", "linux,initrd-start", &len), 0x42210000);
	CHECK_INT(len, 8);
	CHECK_INT(prop_val(d.fdt, "/chosen", "linux,initrd-end", &len), 0x42230000);
	CHECK_INT(len, 8);
	CHECK_STR(fdt_getprop(d.fdt, fdt_path_offset(d.fdt, "/chosen"), "bootargs", NULL),
		  "console=ttyAMA0 panic=-1");
	CHECK(strstr(d.notes, "renamed /memory@40000000 to memory@40200000") != NULL);
	dtb_free(&d);
}

TEST(cells_32bit)
{
	struct dtb d;
	int len;
	CHECK_INT(load_dts("/dts-v1/;\n/ { #address-cells = <1>; #size-cells = <1>;\n"
			   "memory { device_type = \"memory\"; reg = <0x40000000 0x8000000>; };\n"
			   "chosen { linux,initrd-start = <0>; linux,initrd-end = <0>; bootargs = \"old\"; }; };\n", &d), 0);
	CHECK_INT(dtb_set_memory(&d, 0x40000000, 0x4000000, NULL, 0), 0);
	CHECK_INT(dtb_set_initrd(&d, 0x42010000, 0x42020000), 0);
	CHECK_INT(dtb_set_bootargs(&d, "new args", NULL), 0);
	CHECK_INT(dtb_pack(&d), 0);
	CHECK_INT(prop_val(d.fdt, "/memory@40000000", "reg", &len), 0x4000000004000000ull);
	CHECK_INT(len, 8);
	CHECK_INT(prop_val(d.fdt, "/chosen", "linux,initrd-start", &len), 0x42010000);
	CHECK_INT(len, 4);
	CHECK_INT(prop_val(d.fdt, "/chosen", "linux,initrd-end", &len), 0x42020000);
	CHECK_INT(len, 4);
	CHECK_STR(fdt_getprop(d.fdt, fdt_path_offset(d.fdt, "/chosen"), "bootargs", NULL), "new args");
	/* a value past 4 GiB: the 32-bit property becomes 64-bit, with a note */
	CHECK_INT(dtb_set_initrd(&d, 0x100000000ull, 0x100010000ull), 0);
	CHECK_INT(prop_val(d.fdt, "/chosen", "linux,initrd-start", &len), 0x100000000ull);
	CHECK_INT(len, 8);
	CHECK(strstr(d.notes, "needs 64 bits") != NULL);
	/* RAM past 4 GiB cannot be written with one address cell */
	CHECK_INT(dtb_set_memory(&d, 0x100000000ull, 0x4000000, NULL, 0), -1);
	CHECK(strstr(perr_last, "does not fit the root's #address-cells 1 / #size-cells 1") != NULL);
	dtb_free(&d);
}

TEST(missing_chosen_and_memory)
{
	struct dtb d;
	int len;
	CHECK_INT(load_dts(ROOT "};\n", &d), 0);
	CHECK(fdt_path_offset(d.fdt, "/chosen") < 0);
	CHECK_INT(dtb_set_memory(&d, 0x40000000, 0x4000000, NULL, 0), 0);
	CHECK_INT(dtb_set_initrd(&d, 0x42010000, 0x42020000), 0);
	CHECK_INT(dtb_set_bootargs(&d, NULL, "console=ttyAMA0"), 0);
	CHECK_INT(dtb_pack(&d), 0);
	CHECK_INT(prop_val(d.fdt, "/memory@40000000", "reg", &len), 0x4000000);
	CHECK_STR(fdt_getprop(d.fdt, fdt_path_offset(d.fdt, "/memory@40000000"), "device_type", NULL), "memory");
	CHECK_INT(prop_val(d.fdt, "/chosen", "linux,initrd-start", &len), 0x42010000);
	CHECK_INT(len, 8);
	CHECK_STR(fdt_getprop(d.fdt, fdt_path_offset(d.fdt, "/chosen"), "bootargs", NULL), "console=ttyAMA0");
	CHECK(strstr(d.notes, "created /memory@40000000") != NULL);
	CHECK(strstr(d.notes, "created /chosen") != NULL);
	dtb_free(&d);
}

TEST(several_memory_nodes)
{
	struct dtb d;
	struct region r[8];
	int len;
	CHECK_INT(load_dts(ROOT
			   "memory@40000000 { device_type = \"memory\"; reg = <0 0x40000000 0 0x8000000>; numa-node-id = <0>; };\n"
			   "memory@48000000 { device_type = \"memory\"; reg = <0 0x48000000 0 0x400000>; numa-node-id = <1>; };\n"
			   "memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x8000000>; };\n"
			   "reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;\n"
			   "  shm@48000000 { reg = <0 0x48000000 0 0x400000>; no-map; }; }; };\n", &d), 0);
	int n = dtb_regions(d.fdt, r, 8);
	CHECK_INT(n, 1);
	CHECK_INT(dtb_set_memory(&d, 0x40000000, 0x6000000, r, n), 0);
	CHECK_INT(dtb_pack(&d), 0);
	CHECK_INT(prop_val(d.fdt, "/memory@40000000", "reg", &len), 0x6000000);
	CHECK_INT(prop_val(d.fdt, "/memory@48000000", "reg", &len), 0x400000);	/* the window: kept */
	CHECK(fdt_path_offset(d.fdt, "/memory@80000000") < 0);			/* deleted */
	CHECK(strstr(d.notes, "deleted /memory@80000000") != NULL);
	CHECK(strstr(d.notes, "kept /memory@48000000") != NULL);
	dtb_free(&d);
}

TEST(blob_grows_for_long_bootargs)
{
	struct dtb d;
	char *args = malloc(20001);
	memset(args, 'x', 20000);
	args[20000] = 0;
	CHECK_INT(load_dts(ROOT "chosen { }; };\n", &d), 0);
	size_t before = fdt_totalsize(d.fdt);
	CHECK_INT(dtb_set_bootargs(&d, args, "tail"), 0);
	CHECK_INT(dtb_pack(&d), 0);
	CHECK(fdt_totalsize(d.fdt) > before + 20000);
	int len;
	const char *v = fdt_getprop(d.fdt, fdt_path_offset(d.fdt, "/chosen"), "bootargs", &len);
	CHECK_INT(len, 20006);
	CHECK(!memcmp(v + 19998, "xx tail", 8));
	free(args);
	dtb_free(&d);
}

TEST(regions_declared)
{
	struct dtb d;
	struct region r[16];
	CHECK_INT(load_dts("/dts-v1/;\n/memreserve/ 0x48000000 0x1000;\n"
			   "/ { #address-cells = <2>; #size-cells = <2>;\n"
			   "reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;\n"
			   "  shm@4fc00000 { reg = <0 0x4fc00000 0 0x400000>; no-map; };\n"
			   "  pool@4e000000 { reg = <0 0x4e000000 0 0x100000>; reusable; };\n"
			   "  cma { size = <0 0x1000000>; };\n"
			   "  off@4d000000 { reg = <0 0x4d000000 0 0x1000>; status = \"disabled\"; }; };\n"
			   "blk@4fc00000 { compatible = \"generic-uio\"; reg = <0 0x4fc00000 0 0x1000>, <0 0x4fc01000 0 0xff000>;\n"
			   "  reg-names = \"notify\", \"queues\"; };\n"
			   "soc { compatible = \"simple-bus\"; #address-cells = <1>; #size-cells = <1>;\n"
			   "  ranges = <0x0 0x0 0x20000000 0x100000>;\n"
			   "  net@1000 { compatible = \"other\", \"generic-uio\"; reg = <0x1000 0x1000>; }; }; };\n", &d), 0);
	int n = dtb_regions(d.fdt, r, 16);
	CHECK_INT(n, 7);
	CHECK_INT(r[0].kind, RK_MEMRSV);
	CHECK_INT(r[0].start, 0x48000000);
	CHECK_INT(r[1].kind, RK_NOMAP);
	CHECK_STR(r[1].name, "/reserved-memory/shm@4fc00000 reg[0]");
	CHECK_INT(r[2].kind, RK_RESERVED);
	CHECK_INT(r[2].reusable, 1);
	CHECK_INT(r[3].kind, RK_DYNAMIC);
	CHECK_INT(r[3].size, 0x1000000);
	CHECK_INT(r[4].kind, RK_UIO);
	CHECK_STR(r[4].name, "/blk@4fc00000 reg[0] (notify)");
	CHECK_STR(r[5].name, "/blk@4fc00000 reg[1] (queues)");
	CHECK_INT(r[5].size, 0xff000);
	CHECK_INT(r[6].kind, RK_UIO);
	CHECK_INT(r[6].start, 0x20001000);	/* translated through /soc's ranges */
	dtb_free(&d);
}

TEST(bad_inputs)
{
	struct dtb d;
	CHECK_INT(load_dts("/dts-v1/;\n/ { oops\n", &d), -1);
	CHECK(strstr(perr_last, "dtc failed to compile") != NULL);
	CHECK_INT(load_dts("/dts-v1/;\n/ { soc { #address-cells = <1>; #size-cells = <1>;\n"
			   "  u@0 { compatible = \"generic-uio\"; reg = <0 0x1000>; }; }; };\n", &d), 0);
	struct region r[4];
	CHECK_INT(dtb_regions(d.fdt, r, 4), -1);
	CHECK(strstr(perr_last, "/soc has no ranges") != NULL);
	dtb_free(&d);
	CHECK_INT(load_dts("/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
			   "  u@0 { compatible = \"generic-uio\"; reg = <0 0x1000 0>; }; };\n", &d), 0);
	CHECK_INT(dtb_regions(d.fdt, r, 4), -1);
	CHECK(strstr(perr_last, "/u@0: reg is 12 bytes, not a whole number of <2 address + 2 size> cells") != NULL);
	dtb_free(&d);
	perr_quiet = 1;
	CHECK_INT(dtb_load("/nonexistent.dtb", &d), -1);
	CHECK(strstr(perr_last, "cannot read device tree /nonexistent.dtb") != NULL);
}
