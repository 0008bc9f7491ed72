// SPDX-License-Identifier: BSD-2-Clause
/* core/uio against a fake sysfs tree (finding by name, map attributes, mmap at M *
 * pagesize, named and index map choice, bad attributes), the FIFO form of a fake device
 * (interrupt wait, drain, control writes), and core/uring on a pipe and a file. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"
#include "fake_sysfs.h"
#include "uio.h"
#include "uring.h"

TEST(parse_hex)
{
	uint64_t v;

	CHECK(!uio_parse_hex("0x0", &v) && v == 0);
	CHECK(!uio_parse_hex("0x000000004fc00000\n", &v) && v == 0x4fc00000);
	CHECK(!uio_parse_hex("ffffffffffffffff", &v) && v == ~0ull);
	CHECK(!uio_parse_hex("0X1000", &v) && v == 0x1000);
	CHECK(!uio_parse_hex("0x100000000", &v) && v == 0x100000000ull); /* > 32 bits */
	CHECK(uio_parse_hex("0x10000000000000000", &v));                 /* > 64 bits */
	CHECK(uio_parse_hex("", &v));
	CHECK(uio_parse_hex("0x", &v));
	CHECK(uio_parse_hex("\n", &v));
	CHECK(uio_parse_hex("12g", &v));
	CHECK(uio_parse_hex("-1", &v));
	CHECK(uio_parse_hex("0x12\n\n", &v));
	CHECK(uio_parse_hex(" 0x12", &v));
}

/* dvm_uio's version string: which maps are page-backed; anything else means none. */
TEST(pages)
{
	const char *root = fake_root();
	static const struct { const char *ver; unsigned want; } c[] = {
		{ "dvm_uio pages=0x10\n", 0x10 },
		{ "dvm_uio pages=0x0\n", 0 },
		{ "dvm_uio pages=0x1f", 0x1f },
		{ "dvm_uio pages=0xffffffff\n", 0xffffffffu },
		{ "dvm_uio pages=0x100000000\n", 0 },   /* more than 32 maps */
		{ "dvm_uio pages=0x\n", 0 },
		{ "dvm_uio pages=0x0x3\n", 0 },
		{ "dvm_uio pages=0x3 \n", 0 },
		{ "dvm_uio pages=0x3\n\n", 0 },
		{ "dvm_uio pages=3\n", 0 },
		{ "0.1\n", 0 },                          /* uio_pdrv_genirq's */
		{ "", 0 },
	};

	fake_dev(0, "net-rx", 4096, 0);
	CHECK_INT(uio_pages(root, 0), 0); /* no version attribute */
	for (unsigned i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		fake_write("sys/class/uio/uio0/version", c[i].ver);
		unsigned got = uio_pages(root, 0);
		if (got != c[i].want) {
			check_fail(__FILE__, __LINE__, "version '%s': 0x%x, expected 0x%x", c[i].ver,
				   got, c[i].want);
			return;
		}
	}
	CHECK_INT(uio_pages(root, 1), 0); /* no such device */
	fake_cleanup();
}

TEST(find_by_name)
{
	const char *root = fake_root();
	int nums[4];

	CHECK_INT(uio_find(root, "blk", nums, 4), -1); /* no /sys/class/uio at all */
	fake_dev(0, "net", 4096, 0);
	fake_dev(12, "blk", 4096, 0);
	fake_dev(3, "blk", 4096, 0);
	fake_dev(2, "blk-data", 4096, 0);
	fake_write("sys/class/uio/uioX/name", "blk\n");     /* not a uioN name */
	fake_write("sys/class/uio/uio7/name", "blkx\n");
	CHECK_INT(uio_find(root, "blk", nums, 4), 2);
	CHECK_INT(nums[0], 3);  /* ascending, whatever readdir's order */
	CHECK_INT(nums[1], 12);
	CHECK_INT(uio_find(root, "blk", nums, 1), 2); /* the count, only the first stored */
	CHECK_INT(nums[0], 3);
	CHECK_INT(uio_find(root, "blk-data", nums, 4), 1);
	CHECK_INT(nums[0], 2);
	CHECK_INT(uio_find(root, "bl", nums, 4), 0);
	fake_cleanup();
}

/* The per-region binding's names: the second compatible string, else the sysfs name
 * (linux,uio-name or the node name); lookups by it; one device per region name. */
TEST(find_by_region_name)
{
	const char *root = fake_root();
	char name[UIO_NAME_MAX];
	struct uio_dev d;
	int nums[4];

	fake_region(4, "uio", "rx_free", 0x200000, 0x3000);
	fake_region(2, "uio", "tx_free", 0x210000, 0x5000);
	fake_region(7, "uio", "rx_irq", 0, 0);        /* no reg: no maps */
	fake_dev(1, "blk", 4096, 0);                  /* dvm's binding: no second string */
	fake_compatible(1, 0);
	fake_dev(3, "blk_info", 4096, 0);             /* no of_node at all: the sysfs name */
	uio_region_name(root, 4, name, sizeof(name));
	CHECK_STR(name, "rx_free");
	uio_region_name(root, 1, name, sizeof(name));
	CHECK_STR(name, "blk");
	uio_region_name(root, 3, name, sizeof(name));
	CHECK_STR(name, "blk_info");
	uio_region_name(root, 9, name, sizeof(name)); /* no such device */
	CHECK_STR(name, "");
	CHECK_INT(uio_find_region(root, "tx_free", nums, 4), 1);
	CHECK_INT(nums[0], 2);
	CHECK_INT(uio_find_region(root, "uio", nums, 4), 0); /* the node name is not used */
	CHECK_INT(uio_find(root, "uio", nums, 4), 3);        /* ... by uio_find it is */
	CHECK_INT(uio_find_region(root, "blk_info", nums, 4), 1);
	CHECK_INT(uio_open_region(&d, root, "rx_", "free", 1, 1), 1);
	CHECK_INT(d.num, 4);
	CHECK_INT(d.map[0].size, 0x3000);
	uio_close(&d);
	CHECK_INT(uio_open_region(&d, root, "", "rx_irq", 0, 0), 1);
	CHECK_INT(d.nmaps, 0);
	uio_close(&d);
	CHECK_INT(uio_open_region(&d, root, "", "rx_active", 1, 0), 0); /* absent */
	CHECK_INT(uio_open_region(&d, root, "", "rx_active", 1, 1), -1); /* required */
	CHECK_INT(uio_open_region(&d, root, "a_prefix_of_23_chars___", "rx_active", 1, 0), -1);
	CHECK_INT(uio_open_region(&d, root, "", "rx_irq", 1, 0), -1);   /* wrong map count */
	fake_region(5, "uio", "rx_free", 0x300000, 0x1000);          /* a duplicate */
	CHECK_INT(uio_open_region(&d, root, "", "rx_free", 1, 0), -1);
	fake_cleanup();
}

TEST(open_and_map)
{
	const char *root = fake_root();
	long pg = getpagesize();
	struct uio_dev d;
	int fd;

	fake_dev(1, "blk", 3 * pg, 0);
	fake_map(1, 0, "notify", 0x4fc00000, 0x1000, 0);
	fake_map(1, 1, "req", 0x4fc01000, 0x1000, 0);
	fake_map(1, 2, "data", 0xfffffffff0000000ull, 0x1000, 0x10); /* 64-bit, in-page offset */
	/* mark each map's page in the backing file */
	char path[256];
	snprintf(path, sizeof(path), "%s/dev/uio1", root);
	fd = open(path, O_RDWR);
	for (int m = 0; m < 3; m++)
		CHECK(pwrite(fd, &(char){ (char)('A' + m) }, 1, m * pg + (m == 2 ? 0x10 : 0)) == 1);
	CHECK(!uio_open(&d, root, 1, 0));
	CHECK_INT(d.nmaps, 3);
	CHECK_STR(d.name, "blk");
	CHECK_STR(d.map[1].name, "req");
	CHECK_INT(d.map[1].addr, 0x4fc01000);
	CHECK_INT(d.map[1].size, 0x1000);
	CHECK(d.map[2].addr == 0xfffffffff0000000ull);
	CHECK_INT(d.map[2].offset, 0x10);
	CHECK_INT(d.map[0].mem[0], 'A');
	CHECK_INT(d.map[1].mem[0], 'B');
	CHECK_INT(d.map[2].mem[0], 'C'); /* mem = mapping + offset */
	/* writes reach the file: the maps are shared */
	d.map[1].mem[1] = 'x';
	char c = 0;
	CHECK(pread(fd, &c, 1, pg + 1) == 1 && c == 'x');
	CHECK_INT(uio_map_index(&d, "data"), 2);
	CHECK_INT(uio_map_index(&d, "nope"), -1);
	CHECK(d.ctl_fd == d.fd);
	uio_close(&d);
	CHECK_INT(d.fd, -1);
	close(fd);
	fake_cleanup();
}

TEST(pick_maps)
{
	const char *root = fake_root();
	struct uio_dev d;
	struct uio_want w[] = { { "notify", 0, 9 }, { "info", 1, 9 }, { "req", 2, 9 }, { "x", 7, 9 } };

	fake_dev(0, "blk", 4 * 4096, 0);
	fake_map(0, 0, "blk@4fc00000", 0x1000, 0x1000, 0); /* unnamed: the node name */
	fake_map(0, 1, NULL, 0x2000, 0x1000, 0);
	fake_map(0, 2, "", 0x3000, 0x1000, 0);
	CHECK(!uio_open(&d, root, 0, 0));
	CHECK_INT(uio_pick_maps(&d, w, 4), 0); /* by index */
	CHECK_INT(w[0].idx, 0);
	CHECK_INT(w[2].idx, 2);
	CHECK_INT(w[3].idx, -1); /* no map 7 */
	uio_close(&d);
	fake_map(0, 1, "req", 0x2000, 0x1000, 0);
	CHECK(!uio_open(&d, root, 0, 0));
	CHECK_INT(uio_pick_maps(&d, w, 4), 1); /* one name matches: all by name */
	CHECK_INT(w[0].idx, -1);
	CHECK_INT(w[2].idx, 1);
	uio_close(&d);
	fake_cleanup();
}

TEST(open_errors)
{
	const char *root = fake_root();
	struct uio_dev d;

	CHECK_INT(uio_open(&d, root, 0, 0), -1); /* no /dev/uio0 */
	fake_dev(0, "blk", 4096, 0);
	fake_map(0, 0, "a", 0x1000, 0x1000, 0);
	fake_write("sys/class/uio/uio0/maps/map0/size", "0x1z\n");
	CHECK_INT(uio_open(&d, root, 0, 0), -1);
	CHECK_INT(d.fd, -1);
	fake_map(0, 0, "a", 0x1000, 0, 0);            /* size 0 */
	CHECK_INT(uio_open(&d, root, 0, 0), -1);
	fake_map(0, 0, "a", 0x1000, 0x1000, 0x1000);  /* offset beyond a page */
	CHECK_INT(uio_open(&d, root, 0, 0), -1);
	fake_map(0, 0, "a", 0x1000, 0x7ffffffffff00000ull, 0); /* mmap refuses */
	CHECK_INT(uio_open(&d, root, 0, 0), -1);
	fake_map(0, 0, "a", 0x1000, 0x1000, 0);
	fake_write("sys/class/uio/uio0/maps/map1/addr", "0x2000\n"); /* incomplete map1 */
	CHECK_INT(uio_open(&d, root, 0, 0), -1);
	fake_cleanup();
}

/* A FIFO device node: interrupts come from the FIFO, control goes to .ctl, maps from
 * .maps at their physical address. */
TEST(fifo_device)
{
	const char *root = fake_root();
	char path[256];
	struct uio_dev d;
	uint32_t count = 0;
	int w, fd;

	fake_dev(0, "blk", 0, 1);
	fake_map(0, 0, "req", 0x200000, 0x200000, 0);
	fake_map(0, 1, "resp", 0x400000, 0x1000, 0);
	snprintf(path, sizeof(path), "%s/dev/uio0.maps", root);
	fd = open(path, O_RDWR);
	CHECK(fd >= 0 && !ftruncate(fd, 0x401000));
	CHECK(pwrite(fd, "R", 1, 0x3fffff) == 1 && pwrite(fd, "S", 1, 0x400000) == 1);
	CHECK(!uio_open(&d, root, 0, O_NONBLOCK));
	CHECK_INT(d.map[0].mem[0x1fffff], 'R');
	CHECK_INT(d.map[1].mem[0], 'S');
	CHECK(d.ctl_fd != d.fd);
	CHECK_INT(uio_drain(d.fd), 0); /* nothing pending */
	snprintf(path, sizeof(path), "%s/dev/uio0", root);
	w = open(path, O_WRONLY | O_NONBLOCK);
	CHECK(w >= 0);
	uint32_t ev[2] = { 1, 2 };
	CHECK(write(w, ev, 8) == 8);
	CHECK_INT(uio_wait(d.fd, &count), 0);
	CHECK_INT(count, 1);
	CHECK_INT(uio_drain(d.fd), 1);
	CHECK_INT(uio_irq_disable(d.ctl_fd), 0);
	CHECK_INT(uio_irq_enable(d.ctl_fd), 0);
	snprintf(path, sizeof(path), "%s/dev/uio0.ctl", root);
	int32_t ctl[3];
	int c = open(path, O_RDONLY);
	CHECK(read(c, ctl, sizeof(ctl)) == 8 && ctl[0] == 0 && ctl[1] == 1);
	close(c);
	close(w);
	close(fd);
	uio_close(&d);
	fake_cleanup();
}

/* uio_wait blocks until the count arrives, also on a non-blocking fd. */
TEST(wait_blocks)
{
	int p[2];
	uint32_t c = 0;

	CHECK(!pipe2(p, O_NONBLOCK));
	if (fork() == 0) {
		usleep(50000);
		uint32_t v = 42;
		_exit(write(p[1], &v, 4) == 4 ? 0 : 1);
	}
	CHECK_INT(uio_wait(p[0], &c), 0);
	CHECK_INT(c, 42);
	close(p[1]);
	CHECK_INT(uio_wait(p[0], &c), -EIO); /* end of file: no interrupt */
	close(p[0]);
}

TEST(uring_basic)
{
	struct uring u;
	struct io_uring_sqe *q;
	struct io_uring_cqe *c;
	char buf[8] = { 0 }, tmp[] = "/tmp/dvm-uring-XXXXXX";
	int p[2], fd, r;

	r = uring_init(&u, 4);
	if (r == -ENOSYS || r == -EPERM) {
		printf("io_uring unavailable here (%s): core/uring not exercised\n", strerror(-r));
		CHECK(0);
	}
	CHECK_INT(r, 0);
	CHECK(!pipe(p));
	fd = mkstemp(tmp);
	CHECK(fd >= 0 && write(fd, "abcdefgh", 8) == 8);
	unlink(tmp);
	/* a read of the pipe stays pending while a file read completes */
	q = uring_sqe(&u);
	q->opcode = IORING_OP_READ, q->fd = p[0], q->addr = (uintptr_t)buf, q->len = 4;
	q->off = (uint64_t)-1, q->user_data = 1;
	q = uring_sqe(&u);
	q->opcode = IORING_OP_READ, q->fd = fd, q->addr = (uintptr_t)(buf + 4), q->len = 4;
	q->off = 2, q->user_data = 2;
	CHECK_INT(uring_enter(&u, 1), 0);
	c = uring_cqe(&u);
	CHECK(c && c->user_data == 2 && c->res == 4);
	uring_cqe_seen(&u);
	CHECK(!uring_cqe(&u));
	CHECK(!memcmp(buf + 4, "cdef", 4));
	CHECK(write(p[1], "wxyz", 4) == 4);
	CHECK_INT(uring_enter(&u, 1), 0);
	c = uring_cqe(&u);
	CHECK(c && c->user_data == 1 && c->res == 4);
	uring_cqe_seen(&u);
	CHECK(!memcmp(buf, "wxyz", 4));
	/* the submission ring fills up, then frees as the kernel consumes */
	int n = 0;
	while (uring_sqe(&u)) /* zeroed entries are NOPs */
		n++;
	CHECK_INT(n, (int)u.sq_entries);
	CHECK_INT(uring_enter(&u, 0), 0);
	CHECK(uring_sqe(&u) != NULL);
	close(p[0]);
	close(p[1]);
	close(fd);
	uring_exit(&u);
}
