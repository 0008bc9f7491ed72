// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests: placement arithmetic and every rejection (pack/layout/place.c), the map rows,
 * text, SVG and VMM header built from a layout (pack/layout/memmap.c, memsvg.c, vmmhdr.c), and
 * the boot stub's encoding (pack/layout/stub.c). */
#include <stdlib.h>
#include "check.h"
#include "memmap.h"
#include "place.h"
#include "stub.h"
#include "util.h"

#define MB (1ull << 20)
#define BASE 0x40000000ull
#define KSIZE 0x2010000ull	/* Debian 6.1's image_size */

static struct lay_in std(uint64_t size)
{
	struct lay_in in = {
		.ram_base = BASE, .ram_size = size, .work = 24 * MB,
		.k = { .text_offset = 0, .image_size = KSIZE, .file_size = 32956352, .page_kib = 4 },
		.initrd_size = 100000, .dtb_size = 7627,
		.initrd_at = LAY_AUTO, .dtb_at = LAY_AUTO,
	};
	return in;
}

static int place(const struct lay_in *in, struct lay_out *o)
{
	perr_quiet = 1;
	perr_last[0] = 0;
	return layout_place(in, o);
}

#define CHECK_MSG(msg)                                                              \
	do {                                                                        \
		if (!strstr(perr_last, msg)) {                                      \
			check_fail(__FILE__, __LINE__, "message '%s' lacks '%s'",   \
				   perr_last, msg);                                 \
			return;                                                     \
		}                                                                   \
	} while (0)

TEST(standard_policy)
{
	struct lay_in in = std(64 * MB);
	struct lay_out o;
	CHECK_INT(place(&in, &o), 0);
	CHECK_INT(o.kernel, BASE);
	CHECK_INT(o.kernel_end, BASE + KSIZE);
	CHECK_INT(o.initrd, BASE + KSIZE);		/* right above image_size, 4K aligned */
	CHECK_INT(o.initrd_end, BASE + KSIZE + 100000);
	CHECK_INT(o.dtb, BASE + 64 * MB - 0x2000);	/* at the top, 4K aligned */
	CHECK_INT(o.dtb_end, o.dtb + 7627);
	/* free: RAM less the kernel, 25 pages of initramfs, 2 of DTB */
	CHECK_INT(o.free, 64 * MB - KSIZE - 25 * 4096 - 2 * 4096);
}

TEST(text_offset_and_unaligned_image_end)
{
	struct lay_in in = std(64 * MB);
	struct lay_out o;
	in.k.text_offset = 0x80000;
	in.k.image_size = 0x1234567;
	CHECK_INT(place(&in, &o), 0);
	CHECK_INT(o.kernel, BASE + 0x80000);
	CHECK_INT(o.kernel_end, BASE + 0x80000 + 0x1234567);
	CHECK_INT(o.initrd, BASE + 0x80000 + 0x1235000);
}

TEST(auto_size)
{
	struct lay_in in = std(LAY_AUTO);
	struct lay_out o;
	CHECK_INT(place(&in, &o), 0);
	/* kernel 32.06 MiB + 25 + 2 pages + 24 MiB work -> 56.17 MiB -> 58 MiB */
	CHECK_INT(o.ram_size, 58 * MB);
	CHECK(o.free >= 24 * MB);
	in.work = 0;
	CHECK_INT(place(&in, &o), 0);
	CHECK_INT(o.ram_size, 34 * MB);
	/* a dynamic reservation Linux allocates is counted as needed free RAM */
	struct region dyn = { .name = "/reserved-memory/cma", .size = 16 * MB, .kind = RK_DYNAMIC };
	in.dt = &dyn, in.ndt = 1;
	CHECK_INT(place(&in, &o), 0);
	CHECK_INT(o.ram_size, 50 * MB);
}

TEST(auto_grows_past_reserved)
{
	/* a 4 MiB no-map region right above the kernel: auto needs 4 MiB more */
	struct region nm = { .name = "/reserved-memory/shm@42200000 reg[0]", .start = BASE + 34 * MB,
			     .size = 4 * MB, .kind = RK_NOMAP };
	struct lay_in in = std(LAY_AUTO);
	struct lay_out o;
	in.work = 8 * MB;
	in.dt = &nm, in.ndt = 1;
	CHECK_INT(place(&in, &o), 0);
	CHECK_INT(o.ram_size, 46 * MB);
	CHECK(o.free >= 8 * MB);
	CHECK(o.dtb >= BASE + 38 * MB);
}

TEST(reject_ram)
{
	struct lay_in in = std(64 * MB);
	struct lay_out o;
	in.ram_base = BASE + 0x100000;
	CHECK_INT(place(&in, &o), -1);
	CHECK_MSG("guest RAM base 0x40100000 is not 2 MiB aligned");
	in = std(64 * MB + 100);
	CHECK_INT(place(&in, &o), -1);
	CHECK_MSG("guest RAM size 0x4000064 is not a non-zero multiple of 4 KiB");
	in = std(32 * MB);
	CHECK_INT(place(&in, &o), -1);
	CHECK_MSG("kernel [0x40000000, 0x42010000) does not fit in guest RAM [0x40000000, 0x42000000)");
	in = std(64 * MB);
	in.ram_base = 0xffffffffffe00000ull;
	CHECK_INT(place(&in, &o), -1);
	CHECK_MSG("wraps");
}

TEST(reject_initrd)
{
	struct lay_in in = std(36 * MB);
	struct lay_out o;
	in.initrd_size = 4 * MB;
	CHECK_INT(place(&in, &o), -1);
	CHECK_MSG("the initramfs (4194304 bytes) does not fit in guest RAM [0x40000000, 0x42400000) "
		  "above the kernel (which ends at 0x42010000)");
	in = std(64 * MB);
	in.initrd_at = BASE + 0x1f6e000;	/* after the file, inside the BSS */
	CHECK_INT(place(&in, &o), -1);
	CHECK_MSG("initramfs [0x41f6e000, 0x41f866a0) starts below the end of the kernel "
		  "[0x40000000, 0x42010000)");
	in.initrd_at = BASE + 48 * MB + 0x10;
	CHECK_INT(place(&in, &o), -1);
	CHECK_MSG("initramfs address 0x43000010 is not 4 KiB aligned");
	in.initrd_at = BASE + 64 * MB - 0x1000;
	CHECK_INT(place(&in, &o), -1);
	CHECK_MSG("initramfs [0x43fff000, 0x440176a0) is outside guest RAM [0x40000000, 0x44000000)");
	in.initrd_at = BASE + 48 * MB;
	CHECK_INT(place(&in, &o), 0);
	CHECK_INT(o.initrd, BASE + 48 * MB);
}

TEST(reject_dtb)
{
	struct lay_in in = std(64 * MB);
	struct lay_out o;
	in.dtb_at = BASE + 48 * MB + 4;
	CHECK_INT(place(&in, &o), -1);
	CHECK_MSG("DTB address 0x43000004 is not 8-byte aligned");
	in.dtb_at = BASE + 48 * MB - 0x1000;
	CHECK_INT(place(&in, &o), -1);
	CHECK_MSG("DTB [0x42fff000, 0x43000dcb) crosses the 2 MiB boundary at 0x43000000");
	in.dtb_at = BASE + KSIZE + 0x8000;	/* on the initramfs */
	CHECK_INT(place(&in, &o), -1);
	CHECK_MSG("DTB [0x42018000, 0x42019dcb) overlaps initramfs [0x42010000, 0x420286a0)");
	in.dtb_at = BASE + 0x100000;		/* on the kernel */
	CHECK_INT(place(&in, &o), -1);
	CHECK_MSG("DTB [0x40100000, 0x40101dcb) overlaps kernel [0x40000000, 0x42010000)");
	in.dtb_at = BASE + 64 * MB;
	CHECK_INT(place(&in, &o), -1);
	CHECK_MSG("DTB [0x44000000, 0x44001dcb) is outside guest RAM");
	in = std(64 * MB);
	in.dtb_size = 2 * MB + 8;
	CHECK_INT(place(&in, &o), -1);
	CHECK_MSG("the DTB is 2097160 bytes; the arm64 boot protocol allows at most 2 MiB");
	in.dtb_size = 2 * MB;	/* exactly 2 MiB fits, in one 2 MiB block */
	CHECK_INT(place(&in, &o), 0);
	CHECK_INT(o.dtb, BASE + 62 * MB);
}

TEST(dtb_stays_in_one_2m_block)
{
	struct lay_in in = std(64 * MB + 0x1000);	/* RAM ends 4 KiB past a 2 MiB boundary */
	struct lay_out o;
	in.dtb_size = 0x2000;
	CHECK_INT(place(&in, &o), 0);
	CHECK_INT(o.dtb, BASE + 64 * MB - 0x2000);	/* not 0x43fff000, which would cross */
	in.dtb_size = 0x800;
	CHECK_INT(place(&in, &o), 0);
	CHECK_INT(o.dtb, BASE + 64 * MB);		/* fits in the last page */
}

TEST(initrd_window_32g)
{
	struct lay_in in = std(40ull << 30);
	struct lay_out o;
	in.initrd_at = BASE + (32ull << 30);
	CHECK_INT(place(&in, &o), -1);
	CHECK_MSG("is more than 32 GiB above the 1 GiB aligned base 0x40000000 of the kernel");
	in.initrd_at = BASE + (31ull << 30);
	CHECK_INT(place(&in, &o), 0);
}

TEST(dt_regions)
{
	struct region r[3] = {
		{ .name = "/reserved-memory/shm@4fc00000 reg[0]", .start = 0x4fc00000, .size = 4 * MB, .kind = RK_NOMAP },
		{ .name = "/blk@4fc00000 reg[0] (notify)", .start = 0x4fc00000, .size = 0x1000, .kind = RK_UIO },
		{ .name = "/blk@4fc00000 reg[1] (queues)", .start = 0x4fc01000, .size = 0xff000, .kind = RK_UIO },
	};
	struct lay_in in = std(256 * MB);
	struct lay_out o;
	in.dt = r, in.ndt = 3;
	CHECK_INT(place(&in, &o), 0);
	CHECK_INT(o.dtb, 0x4fc00000 - 0x2000);		/* below the window, not on it */
	/* without the no-map node the UIO regions are plain RAM to Linux */
	in.dt = r + 1, in.ndt = 2;
	CHECK_INT(place(&in, &o), -1);
	CHECK_MSG("UIO region /blk@4fc00000 reg[0] (notify) [0x4fc00000, 0x4fc01000) lies in guest "
		  "RAM [0x40000000, 0x50000000) but no /reserved-memory node with no-map covers 0x4fc00000");
	/* partly covered: the uncovered address is named */
	r[0].size = 0x1000;
	in.dt = r, in.ndt = 3;
	CHECK_INT(place(&in, &o), -1);
	CHECK_MSG("(queues) [0x4fc01000, 0x4fd00000) lies in guest RAM [0x40000000, 0x50000000) but "
		  "no /reserved-memory node with no-map covers 0x4fc01000");
	/* outside RAM, nothing to check */
	in = std(128 * MB);
	in.dt = r + 1, in.ndt = 2;
	CHECK_INT(place(&in, &o), 0);
	CHECK_INT(o.dtb, BASE + 128 * MB - 0x2000);
	/* a DTB region on the kernel */
	struct region k = { .name = "/blk@40100000 reg[0]", .start = BASE + MB, .size = 0x1000, .kind = RK_UIO };
	in.dt = &k, in.ndt = 1;
	CHECK_INT(place(&in, &o), -1);
	CHECK_MSG("/blk@40100000 reg[0] [0x40100000, 0x40101000) overlaps kernel [0x40000000, 0x42010000)");
}

TEST(reserved_and_memreserve)
{
	struct region r = { .name = "/reserved-memory/buf@43000000 reg[0]", .start = BASE + 48 * MB,
			    .size = MB, .kind = RK_RESERVED };
	struct lay_in in = std(64 * MB);
	struct lay_out o;
	in.dt = &r, in.ndt = 1;
	CHECK_INT(place(&in, &o), -1);
	CHECK_MSG("reserved region /reserved-memory/buf@43000000 reg[0] [0x43000000, 0x43100000) lies "
		  "in guest RAM [0x40000000, 0x44000000) without no-map");
	r.reusable = 1;		/* a pool Linux may use */
	CHECK_INT(place(&in, &o), 0);
	/* a /memreserve/ entry: allowed, avoided by placement, rejected under a fixed DTB */
	struct region m = { .name = "/memreserve/ 0", .start = BASE + 64 * MB - 0x1000, .size = 0x1000,
			    .kind = RK_MEMRSV };
	in.dt = &m;
	CHECK_INT(place(&in, &o), 0);
	CHECK_INT(o.dtb, BASE + 64 * MB - 0x3000);
	CHECK_INT(o.free, 64 * MB - KSIZE - 25 * 4096 - 3 * 4096);
	in.dtb_at = BASE + 64 * MB - 0x2000;
	CHECK_INT(place(&in, &o), -1);
	CHECK_MSG("DTB [0x43ffe000, 0x43fffdcb) overlaps /memreserve/ 0 [0x43fff000, 0x44000000)");
	in.dtb_at = LAY_AUTO;
	in.initrd_at = BASE + 64 * MB - 0x1000;
	in.initrd_size = 0x800;
	CHECK_INT(place(&in, &o), -1);
	CHECK_MSG("initramfs [0x43fff000, 0x43fff800) overlaps /memreserve/ 0");
}

TEST(map_rows_text_svg_header)
{
	struct region r[2] = {
		{ .name = "/reserved-memory/shm@4fc00000 reg[0]", .start = 0x4fc00000, .size = 4 * MB, .kind = RK_NOMAP },
		{ .name = "/blk@4fc00000 reg[2] (data<&>)", .start = 0x4fd00000, .size = 3 * MB, .kind = RK_UIO },
	};
	struct lay_in in = std(128 * MB);
	struct lay_out o;
	in.dt = r, in.ndt = 2;
	CHECK_INT(place(&in, &o), 0);
	struct lay_view v = { .lay = &o, .k = &in.k, .dt = r, .ndt = 2, .kernel_path = "Image",
			      .initrd_path = "initrd.cpio.gz", .dtb_in = "in.dtb", .dtb_out = "out.dtb",
			      .initrd_size = in.initrd_size, .dtb_size = in.dtb_size, .bootargs = "console=ttyAMA0" };
	struct region rows[16];
	int n = memmap_rows(&v, rows, 16);
	CHECK_INT(n, 6);	/* kernel, initramfs, free, DTB, no-map, uio */
	CHECK_INT(rows[0].kind, RK_KERNEL);
	CHECK_INT(rows[1].kind, RK_INITRD);
	CHECK_INT(rows[2].kind, RK_FREE);
	CHECK_INT(rows[2].start, BASE + KSIZE + 25 * 4096);
	CHECK_INT(rows[2].size, o.free);
	CHECK_INT(rows[3].kind, RK_DTB);
	CHECK_INT(rows[4].kind, RK_NOMAP);
	CHECK_INT(rows[5].kind, RK_UIO);
	char *t = memmap_text(&v);
	CHECK(strstr(t, "0x40000000  0x42010000     32.06 MiB  kernel") != NULL);
	CHECK(strstr(t, "reserved no-map  /reserved-memory/shm@4fc00000 reg[0]  (outside guest RAM)") != NULL);
	CHECK(strstr(t, "# bootargs console=ttyAMA0") != NULL);
	free(t);
	t = memmap_svg(&v);
	CHECK(!strncmp(t, "<?xml", 5));
	CHECK(strstr(t, "</svg>\n") != NULL);
	CHECK(strstr(t, ">DTB</text>") != NULL);
	CHECK(strstr(t, ">initramfs</text>") != NULL);
	CHECK(strstr(t, "(data&lt;&amp;&gt;)") != NULL);	/* escaped */
	CHECK(strstr(t, "outside guest RAM") != NULL);
	CHECK(strstr(t, ">0x47ffe000</text>") != NULL);	/* the DTB's page */
	free(t);
	t = vmm_header(&v, "DVM_LAYOUT_X_H", "GUEST_");
	CHECK(strstr(t, "#ifndef DVM_LAYOUT_X_H\n#define DVM_LAYOUT_X_H\n") != NULL);
	CHECK(strstr(t, "#define GUEST_RAM_START_GPA        0x40000000 ") != NULL);
	CHECK(strstr(t, "#define GUEST_RAM_SIZE             0x8000000 ") != NULL);
	CHECK(strstr(t, "#define GUEST_DTB_GPA              0x47ffe000 ") != NULL);
	CHECK(strstr(t, "#define GUEST_INIT_RAM_DISK_GPA    0x42010000 ") != NULL);
	/* the pre-0.2.0 names, as aliases of the new ones */
	CHECK(strstr(t, "#define GUEST_RAM_VADDR            GUEST_RAM_START_GPA\n") != NULL);
	CHECK(strstr(t, "#define GUEST_DTB_VADDR            GUEST_DTB_GPA\n") != NULL);
	CHECK(strstr(t, "#define GUEST_INIT_RAM_DISK_VADDR  GUEST_INIT_RAM_DISK_GPA\n") != NULL);
	CHECK(strstr(t, "guest_start(kernel_pc, GUEST_DTB_GPA, GUEST_INIT_RAM_DISK_GPA);") != NULL);
	CHECK(strstr(t, "#define GUEST_INIT_RAM_DISK_END    0x420286a0 ") != NULL);
	CHECK(strstr(t, "page_size=\"0x200000\"") != NULL);
	CHECK(strstr(t, "initrd  initrd.cpio.gz (100000 bytes)") != NULL);
	free(t);
}

TEST(sdf_fragment_maps)
{
	struct region r[5] = {
		{ .start = 0x30000000, .size = 0x2000, .kind = RK_UIO, .label = "blk_req" },
		{ .start = 0x30100000, .size = 0x1000, .kind = RK_UIO, .label = "blk_fault" },
		{ .start = 0x30200000, .size = 0x1000, .kind = RK_UIO, .label = "data_passing" },
		{ .start = 0x30300000, .size = 0x1800, .kind = RK_UIO, .label = "blk_req" },
		{ .start = 0x30400800, .size = 0x1000, .kind = RK_UIO, .label = "a<\"b\">--c" },
	};
	struct lay_in in = std(128 * MB);
	struct lay_out o;
	CHECK_INT(place(&in, &o), 0);
	struct lay_view v = { .lay = &o, .k = &in.k, .dt = r, .ndt = 5, .dtb_out = "out.dtb" };
	char *t = sdf_fragment(&v, "blkvm", 0x30000000);
	CHECK(!strncmp(t, "<?xml", 5));
	CHECK(strstr(t, "<memory_region name=\"blkvm_ram\" size=\"0x8000000\" page_size=\"0x200000\" />") != NULL);
	CHECK(strstr(t, "<map mr=\"blkvm_ram\" vaddr=\"0x30000000\" perms=\"rw\" setvar_vaddr=\"guest_ram_vaddr\" />") != NULL);
	CHECK(strstr(t, "<map mr=\"blkvm_ram\" vaddr=\"0x40000000\" perms=\"rwx\" />") != NULL);
	CHECK(strstr(t, "<map mr=\"blk_req\" vaddr=\"0x30000000\" perms=\"rw\" cached=\"false\" />") != NULL);
	/* the fault page: no memory region, no map */
	CHECK(strstr(t, "name=\"blk_fault\"") == NULL);
	CHECK(strstr(t, "mr=\"blk_fault\"") == NULL);
	CHECK(strstr(t, "blk_fault at 0x30100000: left unmapped") != NULL);
	CHECK(strstr(t, "<map mr=\"data_passing\" vaddr=\"0x30200000\" perms=\"r\" cached=\"false\" />") != NULL);
	/* a duplicate name made unique; sizes in whole pages */
	CHECK(strstr(t, "<memory_region name=\"blk_req_30300000\" size=\"0x2000\" />") != NULL);
	/* not page-aligned: only a comment, with the name's "--" defused */
	CHECK(strstr(t, "a<\"b\">__c at 0x30400800 is not page-aligned") != NULL);
	CHECK(strstr(t, "&quot;") == NULL);
	CHECK(strstr(t, "</virtual_machine>\n    </protection_domain>\n</system>\n") != NULL);
	free(t);
}

TEST(stub_encoding)
{
	/* as bytes from aarch64-linux-gnu-as for the same stub (see tests/cli/layout.sh) */
	static const uint8_t want[STUB_SIZE] = {
		0xc0, 0x00, 0x00, 0x58, 0xe1, 0x03, 0x1f, 0xaa, 0xe2, 0x03, 0x1f, 0xaa,
		0xe3, 0x03, 0x1f, 0xaa, 0x84, 0x00, 0x00, 0x58, 0x80, 0x00, 0x1f, 0xd6,
		0x00, 0x00, 0x10, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x40,
		0x01, 0x00, 0x00, 0x00,
	};
	uint8_t got[STUB_SIZE];
	stub_build(got, 0x44100000, 0x140200000ull);
	CHECK(!memcmp(got, want, STUB_SIZE));
}

TEST(dtb_no_room)
{
	/* a no-map region from just above the initramfs to the end of RAM */
	struct region nm = { .name = "/reserved-memory/shm@42029000 reg[0]", .start = BASE + KSIZE + 0x19000,
			     .size = 64 * MB - KSIZE - 0x19000, .kind = RK_NOMAP };
	struct lay_in in = std(64 * MB);
	struct lay_out o;
	in.dt = &nm, in.ndt = 1;
	CHECK_INT(place(&in, &o), -1);
	CHECK_MSG("the DTB (7627 bytes) does not fit in guest RAM [0x40000000, 0x44000000) above the "
		  "kernel and the initramfs");
	nm.size -= MB;		/* leaves the last MiB: the DTB goes there */
	CHECK_INT(place(&in, &o), 0);
	CHECK_INT(o.dtb, BASE + 64 * MB - 0x2000);
	nm.start = BASE + 34 * MB, nm.size = 30 * MB;	/* room only between initramfs and it */
	CHECK_INT(place(&in, &o), 0);
	CHECK_INT(o.dtb, BASE + 34 * MB - 0x2000);
}
