// SPDX-License-Identifier: BSD-2-Clause
/* uio_blk as a whole process (uio_blk_main in a forked child) against a fake UIO tree
 * whose device nodes are FIFOs: this test plays the VMM - writes requests into the
 * shared file, raises the interrupt through the FIFO, watches the notify page and the
 * interrupt-control file, sends SIGTERM and SIGKILL. Both engines (io_uring, --sync),
 * both notify styles, named and index bindings, restarts, start-up errors, each of the
 * main sessions also with zero-copy regions (dvm_uio's version string faked: O_DIRECT
 * straight into the shared file's mapping) and polling on and off, a lost-wake-up race
 * at the polling boundary against a peer that models UIO's interrupt masking; plus the
 * binding and storage-info pieces on their own. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "blk_peer.h"
#include "check.h"
#include "fake_sysfs.h"
#include "log.h"
#include "uio.h"

int uio_blk_main(int argc, char **argv);

#define BS 4096u
#define NOTIFY 0x100000ull
#define INFO 0x101000ull
#define REQ 0x102000ull
#define RESP 0x103000ull
#define DATA0 0x104000ull /* 16 blocks */
#define DATA1 0x200000ull /* 8 blocks, uio1 "blk-data" */
#define DATA2 0x300000ull /* 8 blocks, uio1 */
#define SHM_END 0x308000ull
#define DISK_BLOCKS 256

static struct vm {
	const char *root;
	char disk[96], journal[96], ctl[96], log[96];
	uint8_t *mem;
	int irq;
	int zc;   /* vm_setup: data and data1 page-backed (dvm_uio), data2 not */
	pid_t pid;
	struct blk_shm shm;
} V;

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The per-region binding: one FIFO device per region, all node name "uio", told apart
 * by the second compatible string; uio0 (blk_req) carries the interrupt; every device's
 * maps file is uio0's. */
static void per_region_tree(void)
{
	static const struct { const char *name; uint64_t addr, size; } r[] = {
		{ "blk_req", REQ, 0x1000 }, { "blk_resp", RESP, 0x1000 },
		{ "blk_storage_info", INFO, 0x1000 }, { "blk_fault", NOTIFY, 0x1000 },
		{ "blk_data", DATA0, 16 * BS }, { "blk_data1", DATA1, 8 * BS },
		{ "blk_data2", DATA2, 8 * BS },
	};
	char path[256];

	for (int i = 0; i < 7; i++) {
		fake_dev(i, "uio", 0, 1);
		fake_compatible(i, r[i].name);
		fake_map(i, 0, "uio", r[i].addr, r[i].size, 0);
		if (i) {
			snprintf(path, sizeof(path), "%s/dev/uio%d.maps", V.root, i);
			unlink(path);
			if (symlink("uio0.maps", path))
				abort();
		}
	}
}

/* The fake tree: uio0 "blk" (notify, info, req, resp, data), uio1 "blk-data" (data1,
 * data2), one shared sparse file; a 1 MiB disk file. named = 0: unnamed maps in
 * libvmm's index order; 2: the per-region binding (per_region_tree). */
static void vm_setup(int named, uint32_t cap)
{
	char path[256];
	int fd;

	if (V.pid > 0) { /* left running by a failed test */
		kill(V.pid, SIGKILL);
		waitpid(V.pid, 0, 0);
		V.pid = 0;
	}

	V.root = fake_root();
	if (named == 2) {
		per_region_tree();
		goto mapped;
	}
	fake_dev(0, "blk", 0, 1);
	fake_map(0, 0, named ? "notify" : "uio@0", NOTIFY, 0x1000, 0);
	fake_map(0, 1, named ? "info" : "uio@0", INFO, 0x1000, 0);
	fake_map(0, 2, named ? "req" : "uio@0", REQ, 0x1000, 0);
	fake_map(0, 3, named ? "resp" : "uio@0", RESP, 0x1000, 0);
	fake_map(0, 4, named ? "data" : "uio@0", DATA0, 16 * BS, 0);
	fake_dev(1, "blk-data", 0, 1);
	fake_map(1, 0, "data1", DATA1, 8 * BS, 0);
	fake_map(1, 1, "data2", DATA2, 8 * BS, 0);
	if (V.zc) {
		fake_write("sys/class/uio/uio0/version", "dvm_uio pages=0x10\n");
		fake_write("sys/class/uio/uio1/version", "dvm_uio pages=0x1\n");
	}
mapped:
	snprintf(path, sizeof(path), "%s/dev/uio0.maps", V.root);
	fd = open(path, O_RDWR);
	if (fd < 0 || ftruncate(fd, SHM_END))
		abort();
	V.mem = mmap(NULL, SHM_END, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	snprintf(path, sizeof(path), "%s/dev/uio1.maps", V.root);
	if (named != 2) {
		unlink(path);
		if (symlink("uio0.maps", path))
			abort();
	}
	snprintf(path, sizeof(path), "%s/dev/uio0", V.root);
	V.irq = open(path, O_RDWR | O_NONBLOCK);
	snprintf(V.disk, sizeof(V.disk), "%s/disk", V.root);
	fd = open(V.disk, O_RDWR | O_CREAT, 0600);
	for (uint32_t b = 0; b < DISK_BLOCKS; b++) {
		uint8_t blk[BS];
		memset(blk, (int)(b & 0xff), BS);
		if (pwrite(fd, blk, BS, b * BS) != BS)
			abort();
	}
	close(fd);
	snprintf(V.journal, sizeof(V.journal), "%s/journal", V.root);
	snprintf(V.ctl, sizeof(V.ctl), "%s/dev/uio0.ctl", V.root);
	snprintf(V.log, sizeof(V.log), "%s/log", V.root);
	memset(&V.shm, 0, sizeof(V.shm));
	V.shm.info = V.mem + INFO;
	V.shm.req = V.mem + REQ;
	V.shm.resp = V.mem + RESP;
	V.shm.req_cap = V.shm.resp_cap = cap;
	V.pid = 0;
}

static void vm_free(void)
{
	if (V.pid > 0) {
		kill(V.pid, SIGKILL);
		waitpid(V.pid, 0, 0);
	}
	munmap(V.mem, SHM_END);
	close(V.irq);
	fake_cleanup();
}

static void kill_driver(void)
{
	if (V.pid > 0)
		kill(V.pid, SIGKILL);
}

/* Start the driver with extra arguments (NULL-terminated); its stderr goes to V.log. */
static void vm_start(const char *arg, ...)
{
	const char *argv[32] = { "uio_blk", "--device", V.disk, "--journal", V.journal };
	int argc = 5;
	va_list ap;

	va_start(ap, arg);
	for (; arg; arg = va_arg(ap, const char *))
		argv[argc++] = arg;
	va_end(ap);
	argv[argc] = 0;
	static int once;
	if (!once++)
		atexit(kill_driver); /* a failed CHECK returns without vm_free */
	fflush(stdout);
	V.pid = fork();
	if (!V.pid) {
		int fd = open(V.log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		dup2(fd, 2);
		setenv("DVM_UIO_ROOT", V.root, 1);
		log_to_stderr();
		_exit(uio_blk_main(argc, (char **)argv));
	}
}

/* Exit status of the driver, waiting up to ms; -1 on timeout. */
static int vm_wait(int ms)
{
	int64_t end = now_ms() + ms;
	int st;

	while (now_ms() < end) {
		pid_t r = waitpid(V.pid, &st, WNOHANG);
		if (r == V.pid) {
			V.pid = 0;
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		}
		usleep(1000);
	}
	return -1;
}

static int log_has(const char *s)
{
	static char buf[65536];
	int fd = open(V.log, O_RDONLY);

	buf[0] = 0;
	if (fd < 0)
		return 0;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	close(fd);
	return strstr(buf, s) != 0;
}

static void irq(void)
{
	uint32_t one = 1;
	if (write(V.irq, &one, 4) != 4)
		abort();
}

static uint32_t notify_word(void)
{
	return __atomic_load_n((uint32_t *)(V.mem + NOTIFY), __ATOMIC_ACQUIRE);
}

static int ready(int ms)
{
	int64_t end = now_ms() + ms;
	while (now_ms() < end) {
		if (__atomic_load_n(V.mem + INFO + 65, __ATOMIC_ACQUIRE))
			return 1;
		usleep(1000);
	}
	return 0;
}

/* Wait for n responses (popping them into out); returns how many arrived. */
static int responses(blk_resp_t *out, int n, int ms)
{
	int64_t end = now_ms() + ms;
	int got = 0;

	while (got < n && now_ms() < end) {
		if (!peer_pop(&V.shm, &out[got]))
			got++;
		else
			usleep(500);
	}
	return got;
}

static void fill(uint64_t pa, uint32_t blocks, uint8_t seed)
{
	for (uint32_t i = 0; i < blocks * BS; i++)
		V.mem[pa + i] = (uint8_t)(seed + i * 13);
}

static int disk_matches(uint64_t block, uint64_t pa, uint32_t blocks)
{
	uint8_t buf[BS];
	int fd = open(V.disk, O_RDONLY), ok = 1;
	for (uint32_t b = 0; b < blocks && ok; b++) {
		ok = pread(fd, buf, BS, (off_t)((block + b) * BS)) == BS &&
		     !memcmp(buf, V.mem + pa + b * BS, BS);
	}
	close(fd);
	return ok;
}

static int bind_mode = 1;         /* vm_setup's named */
static const char *cap_arg = "64"; /* --capacity */

/* zc: 0 copy, 1 zero-copy where page-backed, 2 page-backed but --copy. */
static void basic_session(const char *engine_flag, const char *engine_name, int zc,
			  const char *poll)
{
	blk_resp_t r[8];
	blk_storage_info_t si;
	uint32_t n0;

	V.zc = zc > 0;
	vm_setup(bind_mode, (uint32_t)atoi(cap_arg));
	V.zc = 0;
	vm_start("--capacity", cap_arg, "--depth", "4", "--chunk", "8", engine_flag, poll,
		 zc == 2 ? "--copy" : (char *)0, (char *)0);
	CHECK(ready(5000));
	memcpy(&si, V.mem + INFO, sizeof(si));
	CHECK_INT(si.capacity, DISK_BLOCKS);
	CHECK_INT(si.sector_size, 512);
	CHECK(si.block_size >= 1);
	CHECK_INT(si.queue_depth, 4);
	CHECK_INT(si.read_only, 0);
	CHECK_INT(si.ready, 1);
	n0 = notify_word();
	fill(DATA0, 16, 1);
	fill(DATA1, 8, 2);
	CHECK(!peer_push(&V.shm, BLK_REQ_WRITE, DATA0, 10, 16, 100)); /* 2 chunks */
	CHECK(!peer_push(&V.shm, BLK_REQ_WRITE, DATA1, 40, 8, 101));
	CHECK(!peer_push(&V.shm, BLK_REQ_BARRIER, 0, 0, 0, 102)); /* orders the read after */
	CHECK(!peer_push(&V.shm, BLK_REQ_READ, DATA2, 10, 8, 103));
	CHECK(!peer_push(&V.shm, BLK_REQ_READ, DATA2 + 4096, 0, 8, 104)); /* beyond data2 */
	CHECK(!peer_push(&V.shm, 7, DATA0, 0, 1, 105));
	irq();
	CHECK_INT(responses(r, 6, 5000), 6);
	for (int i = 0; i < 6; i++)
		CHECK_INT(r[i].id, 100 + i);
	CHECK_INT(r[0].status, BLK_RESP_OK);
	CHECK_INT(r[0].success_count, 16);
	CHECK_INT(r[1].success_count, 8);
	CHECK_INT(r[2].status, BLK_RESP_OK);
	CHECK_INT(r[3].status, BLK_RESP_OK);
	CHECK_INT(r[4].status, BLK_RESP_ERR_INVALID_PARAM);
	CHECK_INT(r[5].status, BLK_RESP_ERR_INVALID_PARAM);
	CHECK(disk_matches(10, DATA0, 16));
	CHECK(disk_matches(40, DATA1, 8));
	CHECK(!memcmp(V.mem + DATA2, V.mem + DATA0, 8 * BS)); /* read back blocks 10..17 */
	CHECK(notify_word() != n0);
	/* the interrupt was re-enabled through the control file */
	struct stat st;
	CHECK(!stat(V.ctl, &st) && st.st_size >= 4);
	/* more work without an interrupt is not seen... until one comes */
	CHECK(!peer_push(&V.shm, BLK_REQ_READ, DATA0, 0, 1, 106));
	irq();
	CHECK_INT(responses(r, 1, 5000), 1);
	CHECK_INT(r[0].id, 106);
	/* the barrier rule with nothing left to sync: a 2-chunk READ of blocks 10..25, a
	 * BARRIER, a WRITE of blocks 18..25 from data1. The READ gets the old blocks, all of
	 * them: its second chunk ran before the WRITE. */
	{
		static uint8_t old[16 * BS];
		int fd = open(V.disk, O_RDONLY);

		CHECK(pread(fd, old, sizeof(old), 10 * BS) == (ssize_t)sizeof(old));
		close(fd);
		fill(DATA0, 16, 9);
		fill(DATA1, 8, 5);
		CHECK(!peer_push(&V.shm, BLK_REQ_READ, DATA0, 10, 16, 107));
		CHECK(!peer_push(&V.shm, BLK_REQ_BARRIER, 0, 0, 0, 108));
		CHECK(!peer_push(&V.shm, BLK_REQ_WRITE, DATA1, 18, 8, 109));
		irq();
		CHECK_INT(responses(r, 3, 5000), 3);
		for (int i = 0; i < 3; i++)
			CHECK(r[i].id == 107u + i && r[i].status == BLK_RESP_OK);
		CHECK(!memcmp(V.mem + DATA0, old, sizeof(old)));
		CHECK(disk_matches(18, DATA1, 8));
	}
	kill(V.pid, SIGTERM);
	CHECK_INT(vm_wait(5000), 0);
	CHECK(log_has("served 10 requests"));
	CHECK(log_has(engine_name));
	CHECK(bind_mode != 2 ||
	      log_has("per-region binding 'blk_*': interrupt on uio0, 3 data regions, notify page"));
	CHECK(bind_mode != 1 || log_has("dvm binding 'blk': uio0, maps by name, 3 data regions"));
	if (zc == 1) {
		CHECK(log_has("data region 0 (uio0 map4, 0x104000 + 0x10000): zero-copy\n"));
		CHECK(log_has("data region 1 (uio1 map0, 0x200000 + 0x8000): zero-copy\n"));
		CHECK(log_has("data region 2 (uio1 map1, 0x300000 + 0x8000): copy: map not page-backed"));
		/* in 8 KiB pieces: writes of 16 blocks from data (8) and 8 from data1 (4),
		 * reads of 1 and 16 blocks into data (1 + 8), a write of 8 from data1 (4); the
		 * READ into data2 is copied */
		if (!log_has("zero-copy I/Os 25, copied for alignment 0") && getenv("BLK_RUN_SHOWLOG")) {
			char cmd[300];
			snprintf(cmd, sizeof(cmd), "grep -a 'served\\|region' %s", V.log);
			if (system(cmd)) {}
		}
		CHECK(log_has("zero-copy I/Os 25, copied for alignment 0"));
	} else {
		CHECK(log_has(zc ? "copy: off (--copy)" : "copy: map not page-backed"));
		CHECK(log_has("zero-copy I/Os 0, copied for alignment 0"));
	}
	vm_free();
}

TEST(run_io_uring)
{
	basic_session("-v", "KiB, io_uring", 0, "--poll-us=0");
}

TEST(run_sync)
{
	basic_session("--sync", "KiB, sync", 0, "--poll-us=0");
}

TEST(run_io_uring_zero_copy)
{
	basic_session("-v", "KiB, io_uring", 1, "--poll-us=0");
}

TEST(run_sync_zero_copy)
{
	basic_session("--sync", "KiB, sync", 1, "--poll-us=0");
}

TEST(run_io_uring_zero_copy_off)
{
	basic_session("-v", "KiB, io_uring", 2, "--poll-us=0");
}

TEST(run_io_uring_polling)
{
	basic_session("-v", "KiB, io_uring", 1, "--poll-us=300");
}

TEST(run_sync_polling)
{
	basic_session("--sync", "KiB, sync", 0, "--poll-us=300");
}

/* The per-region binding (sdfgen style: one node per region, found by the second
 * compatible string), with a capacity that is not a power of two. */
TEST(run_per_region_capacity_100)
{
	bind_mode = 2;
	cap_arg = "100";
	basic_session("--sync", "KiB, sync", 0, "--poll-us=0");
	bind_mode = 1;
	cap_arg = "64";
}

/* SIGTERM with work queued: everything taken is answered before exit 0; what was not
 * taken stays queued and the next instance answers it. Nothing twice. */
TEST(sigterm_then_restart)
{
	int seen[64] = { 0 }, got = 0;
	blk_resp_t r;

	vm_setup(1, 64);
	vm_start("--capacity", "64", "--depth", "2", (char *)0);
	CHECK(ready(5000));
	for (int i = 0; i < 60; i++)
		CHECK(!peer_push(&V.shm, i & 1 ? BLK_REQ_WRITE : BLK_REQ_READ, DATA0 + (i % 16) * BS,
				 (uint64_t)i, 1, (uint32_t)i));
	irq();
	kill(V.pid, SIGTERM);
	CHECK_INT(vm_wait(5000), 0);
	CHECK_INT(q_head(V.shm.req), q_tail(V.shm.resp)); /* answered = removed */
	while (!peer_pop(&V.shm, &r))
		seen[r.id]++, got++;
	vm_start("--capacity", "64", (char *)0);
	int64_t end = now_ms() + 5000;
	while (got < 60 && now_ms() < end) {
		if (!peer_pop(&V.shm, &r))
			seen[r.id]++, got++;
		else
			usleep(500);
	}
	CHECK_INT(got, 60);
	for (int i = 0; i < 60; i++)
		CHECK_INT(seen[i], 1);
	kill(V.pid, SIGTERM);
	CHECK_INT(vm_wait(5000), 0);
	vm_free();
}

/* SIGKILL at random moments while the peer keeps the queue full: across all restarts,
 * every request is answered exactly once and the disk holds every write. */
#define NKILLREQ 3000
static void sigkill_session(int zc)
{
	static int seen[NKILLREQ];
	int pushed = 0, got = 0;
	blk_resp_t r;

	memset(seen, 0, sizeof(seen));
	srand(1234);
	V.zc = zc;
	vm_setup(1, 32);
	V.zc = 0;
	fill(DATA0, 16, 77);
	for (int round = 0; round < 40; round++) {
		vm_start("--capacity", "32", "--depth", "4", (char *)0);
		int64_t stop = now_ms() + 2 + rand() % 15;
		while (now_ms() < stop) {
			while (pushed < NKILLREQ && !peer_push(&V.shm, BLK_REQ_WRITE, DATA0 + (pushed % 16) * BS,
							  (uint64_t)pushed % DISK_BLOCKS, 1,
							  (uint32_t)pushed))
				pushed++;
			irq();
			while (!peer_pop(&V.shm, &r)) {
				CHECK(r.id < NKILLREQ && r.status == BLK_RESP_OK);
				seen[r.id]++, got++;
			}
			usleep(200);
		}
		kill(V.pid, SIGKILL);
		CHECK_INT(vm_wait(5000), 128 + SIGKILL);
	}
	if (getenv("BLK_RUN_SHOWLOG"))
		printf("before the last start: %d pushed, %d answered\n", pushed, got);
	V.mem[INFO + 65] = 0; /* to see this instance's ready */
	vm_start("--capacity", "32", (char *)0);
	CHECK(ready(5000));
	int64_t end = now_ms() + 10000;
	while ((pushed < NKILLREQ || got < pushed) && now_ms() < end) {
		while (pushed < NKILLREQ && !peer_push(&V.shm, BLK_REQ_WRITE, DATA0 + (pushed % 16) * BS,
						  (uint64_t)pushed % DISK_BLOCKS, 1, (uint32_t)pushed))
			pushed++;
		irq();
		while (!peer_pop(&V.shm, &r))
			seen[r.id]++, got++;
		usleep(500);
	}
	CHECK_INT(got, NKILLREQ);
	for (int i = 0; i < NKILLREQ; i++)
		if (seen[i] != 1) {
			check_fail(__FILE__, __LINE__, "request %d answered %d times", i, seen[i]);
			return;
		}
	/* the last write of each block is on disk */
	for (int b = NKILLREQ - DISK_BLOCKS; b < NKILLREQ; b++)
		CHECK(disk_matches((uint64_t)b % DISK_BLOCKS, DATA0 + (b % 16) * BS, 1));
	kill(V.pid, SIGTERM);
	CHECK_INT(vm_wait(5000), 0);
	if (getenv("BLK_RUN_SHOWLOG")) {
		char cmd[300];
		snprintf(cmd, sizeof(cmd), "grep restart: %s | sort | uniq -c | head", V.log);
		if (system(cmd)) {}
	}
	CHECK(log_has(zc ? "data region 0 (uio0 map4, 0x104000 + 0x10000): zero-copy\n"
			 : "data region 0 (uio0 map4, 0x104000 + 0x10000): copy"));
	vm_free();
}

TEST(sigkill_restarts)
{
	sigkill_session(0);
}

TEST(sigkill_restarts_zero_copy)
{
	sigkill_session(1);
}

/* The peer's model of UIO's interrupt, as the kernel behaves: the handler disables the
 * line when it fires; one raised while it is disabled stays pending and fires when the
 * driver re-enables it (s32 1, appended to the .ctl file; 0 disables). A driver that
 * forgets to re-enable, or sleeps with it disabled, is never woken again. */
static struct { int enabled, pending; off_t seen; } M;

static void model_fire(void)
{
	irq();
	M.enabled = 0;
	M.pending = 0;
}

static void model_sync(void)
{
	int fd = open(V.ctl, O_RDONLY);
	int32_t v;

	if (fd < 0)
		return;
	while (pread(fd, &v, 4, M.seen) == 4) {
		M.seen += 4;
		if (v == 0)
			M.enabled = 0;
		else if (v == 1 && !M.enabled && (M.enabled = 1) && M.pending)
			model_fire();
	}
	close(fd);
}

static void model_raise(void)
{
	model_sync();
	if (M.enabled)
		model_fire();
	else
		M.pending = 1;
}

static void spin_us(int us)
{
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t);
	while ((t.tv_sec - t0.tv_sec) * 1000000 + (t.tv_nsec - t0.tv_nsec) / 1000 < us);
}

/* Requests arriving just as polling ends (200 us after the last answer, give or take
 * 150), one at a time or in bursts of up to three spaced a few microseconds apart, so
 * that some arrive while I/O is in flight (polled for 100 us, io_uring): each
 * is answered, so no wake-up is lost between the end of polling, the re-enable and the
 * sleep. Both engines. */
static void poll_boundary(const char *engine)
{
	blk_resp_t r;

	memset(&M, 0, sizeof(M));
	vm_setup(1, 64);
	vm_start("--capacity", "64", "--poll-us", "200", "--poll-io-us", "100", engine, (char *)0);
	CHECK(ready(5000));
	srand(4321);
	for (int i = 0; i < 300;) {
		int n = 1 + rand() % 3;

		spin_us(50 + rand() % 300);
		for (int k = 0; k < n; k++) {
			if (k)
				spin_us(rand() % 20);
			CHECK(!peer_push(&V.shm, BLK_REQ_READ, DATA0 + ((i + k) % 16) * BS,
					 (uint64_t)(i + k), 1, (uint32_t)(i + k)));
			model_raise();
		}
		for (int k = 0; k < n; k++, i++) {
			int64_t end = now_ms() + 3000;

			while (peer_pop(&V.shm, &r) && now_ms() < end)
				model_sync();
			if (now_ms() >= end) {
				check_fail(__FILE__, __LINE__, "request %d never answered (lost wake-up)", i);
				return;
			}
			CHECK_INT(r.id, i);
		}
	}
	kill(V.pid, SIGTERM);
	CHECK_INT(vm_wait(5000), 0);
	vm_free();
}

TEST(poll_boundary_io_uring)
{
	poll_boundary("-v");
}

TEST(poll_boundary_sync)
{
	poll_boundary("--sync");
}

/* libvmm's layout: unnamed maps in index order, irq-ack notification (a disable+enable
 * pair per batch), legacy offsets into the first data map. */
TEST(index_binding_irq_ack_legacy)
{
	blk_resp_t r[2];
	int32_t ctl[64];

	vm_setup(0, 64);
	vm_start("--capacity", "64", "--legacy-offsets", (char *)0);
	CHECK(ready(5000));
	fill(DATA0, 2, 9);
	CHECK(!peer_push(&V.shm, BLK_REQ_WRITE, BS, 7, 1, 1)); /* offset 4096 = block 1 of data0 */
	CHECK(!peer_push(&V.shm, BLK_REQ_READ, DATA0, 7, 1, 2)); /* a physical address: invalid */
	irq();
	CHECK_INT(responses(r, 2, 5000), 2);
	CHECK_INT(r[0].status, BLK_RESP_OK);
	CHECK_INT(r[1].status, BLK_RESP_ERR_INVALID_PARAM);
	CHECK(disk_matches(7, DATA0 + BS, 1));
	kill(V.pid, SIGTERM);
	CHECK_INT(vm_wait(5000), 0);
	int fd = open(V.ctl, O_RDONLY), n = (int)read(fd, ctl, sizeof(ctl)) / 4, pairs = 0;
	close(fd);
	for (int i = 0; i + 1 < n; i++)
		pairs += ctl[i] == 0 && ctl[i + 1] == 1;
	CHECK(pairs >= 2); /* ready, then the batch */
	CHECK_INT(notify_word(), 0); /* map0 never written in irq-ack mode */
	CHECK(log_has("maps by index"));
	vm_free();
}

TEST(read_only_and_ready_again)
{
	blk_resp_t r[2];

	vm_setup(1, 64);
	V.mem[INFO + 65] = 1; /* ready left over from a previous instance */
	memset(V.mem + INFO, 'z', 64);
	vm_start("--capacity", "64", "--read-only", (char *)0);
	CHECK(ready(5000));
	/* ready was 1 all along: wait (bounded) for the new storage info itself, not a
	 * fixed time, which a loaded machine can exceed */
	for (int64_t end = now_ms() + 5000; now_ms() < end && (V.mem[INFO + 64] != 1 || V.mem[INFO]);)
		usleep(1000);
	CHECK_INT(V.mem[INFO + 64], 1); /* read_only */
	CHECK_INT(V.mem[INFO], 0);      /* serial rewritten (none for a file) */
	CHECK(!peer_push(&V.shm, BLK_REQ_WRITE, DATA0, 0, 1, 1));
	CHECK(!peer_push(&V.shm, BLK_REQ_READ, DATA0, 0, 1, 2));
	irq();
	CHECK_INT(responses(r, 2, 5000), 2);
	CHECK_INT(r[0].status, BLK_RESP_ERR_IO);
	CHECK_INT(r[1].status, BLK_RESP_OK);
	kill(V.pid, SIGTERM);
	CHECK_INT(vm_wait(5000), 0);
	vm_free();
}

TEST(second_instance_refused)
{
	vm_setup(1, 64);
	vm_start("--capacity", "64", (char *)0);
	CHECK(ready(5000));
	pid_t first = V.pid;
	vm_start("--capacity", "64", (char *)0);
	CHECK_INT(vm_wait(5000), 1);
	CHECK(log_has("locked"));
	V.pid = first;
	kill(V.pid, SIGTERM);
	CHECK_INT(vm_wait(5000), 0);
	vm_free();
}

static int start_fails(const char *expect, int code, const char *a, const char *b, const char *c)
{
	vm_start(a, b, c, (char *)0);
	int rc = vm_wait(5000);
	if (rc != code || !log_has(expect)) {
		check_fail(__FILE__, __LINE__, "%s %s %s: exit %d, log lacks '%s'", a, b, c ? c : "",
			   rc, expect);
		return -1;
	}
	return 0;
}

TEST(startup_errors)
{
	vm_setup(1, 64);
	/* any capacity works; 255 then does not fit the 0x1000-byte request map */
	CHECK(!start_fails("--req-capacity 255: needs 0x1ff0 bytes", 1, "--capacity", "255", 0));
	CHECK(!start_fails("map has 0x1000", 1, "--capacity", "128", 0)); /* 16+32*128 > 4 KiB */
	CHECK(!start_fails("is required", 2, "--depth", "4", 0));
	CHECK(!start_fails("unknown option", 2, "--capacity", "64", "--bogus"));
	CHECK(!start_fails("--capacity '6x4': expected", 2, "--capacity", "6x4", 0));
	CHECK(!start_fails("needs a value", 2, "--capacity", 0, 0));
	CHECK(!start_fails("no UIO device named 'nope'", 1, "--capacity", "64", "--uio=nope"));
	CHECK(!start_fails("expected page, irq-ack or auto", 2, "--capacity", "64", "--notify=x"));
	CHECK(!start_fails("unexpected argument", 2, "--capacity", "64", "extra"));
	strcpy(V.disk, "/nonexistent/disk");
	CHECK(!start_fails("cannot open /nonexistent/disk", 1, "--capacity", "64", 0));
	vm_free();
}

/* ---- binding and storage info on their own ---- */

TEST(bind_named_and_extra_devices)
{
	struct uio_dev devs[BLK_MAX_DEVS];
	struct blk_shm s;
	int n;

	vm_setup(1, 64);
	memset(&s, 0, sizeof(s));
	CHECK_INT(blk_bind(&s, devs, &n, V.root, "blk", "blk_"), 1);
	CHECK_INT(n, 2);
	CHECK_INT(s.nregions, 3);
	CHECK(s.region[0].paddr == DATA0 && s.region[1].paddr == DATA1 && s.region[2].paddr == DATA2);
	CHECK(s.notify != 0 && s.req_size == 0x1000 && s.req_addr == REQ);
	CHECK(s.region[1].mem[0] == V.mem[DATA1]);
	for (int i = 0; i < n; i++)
		uio_close(&devs[i]);
	/* a named binding without "req" */
	fake_map(0, 2, "request", REQ, 0x1000, 0);
	CHECK_INT(blk_bind(&s, devs, &n, V.root, "blk", "blk_"), -1);
	for (int i = 0; i < n; i++)
		uio_close(&devs[i]);
	/* too many data devices */
	fake_map(0, 2, "req", REQ, 0x1000, 0);
	for (int d = 2; d <= 4; d++) {
		char rel[64];
		fake_dev(d, "blk-data", 0, 1);
		snprintf(rel, sizeof(rel), "dev/uio%d.maps", d);
		fake_write(rel, "");
		fake_map(d, 0, "data1", 0x1000, 0x1000, 0);
	}
	CHECK_INT(blk_bind(&s, devs, &n, V.root, "blk", "blk_"), -1);
	for (int i = 0; i < n; i++)
		uio_close(&devs[i]);
	vm_free();
}

TEST(bind_per_region)
{
	struct uio_dev devs[BLK_MAX_DEVS];
	struct blk_shm s;
	int n;

	vm_setup(2, 64);
	memset(&s, 0, sizeof(s));
	CHECK_INT(blk_bind(&s, devs, &n, V.root, "blk", "blk_"), 2);
	CHECK_INT(n, 7);
	CHECK_INT(devs[0].num, 0); /* blk_req carries the interrupt */
	CHECK(s.req_addr == REQ && s.resp_addr == RESP && s.notify == devs[3].map[0].mem);
	CHECK(s.nregions == 3 && s.region[0].paddr == DATA0 && s.region[2].paddr == DATA2);
	for (int i = 0; i < n; i++)
		uio_close(&devs[i]);
	/* another prefix: nothing per-region, and no dvm node either */
	CHECK_INT(blk_bind(&s, devs, &n, V.root, "blk", "blk1_"), -1);
	for (int i = 0; i < n; i++)
		uio_close(&devs[i]);
	/* an interrupt-only node takes the interrupt */
	fake_region(9, "uio", "blk_irq", 0, 0);
	CHECK_INT(blk_bind(&s, devs, &n, V.root, "blk", "blk_"), 2);
	CHECK_INT(devs[0].num, 9);
	for (int i = 0; i < n; i++)
		uio_close(&devs[i]);
	/* a required region missing; a region name used twice */
	fake_compatible(1, "blk_respx");
	CHECK_INT(blk_bind(&s, devs, &n, V.root, "blk", "blk_"), -1);
	for (int i = 0; i < n; i++)
		uio_close(&devs[i]);
	fake_compatible(1, "blk_data");
	CHECK_INT(blk_bind(&s, devs, &n, V.root, "blk", "blk_"), -1);
	for (int i = 0; i < n; i++)
		uio_close(&devs[i]);
	vm_free();
}

TEST(bind_index_order_and_small_info)
{
	struct uio_dev devs[BLK_MAX_DEVS];
	struct blk_shm s;
	int n;

	vm_setup(0, 64);
	CHECK_INT(blk_bind(&s, devs, &n, V.root, "blk", "blk_"), 0);
	CHECK(s.info == devs[0].map[1].mem && s.req == devs[0].map[2].mem &&
	      s.resp == devs[0].map[3].mem && s.region[0].mem == devs[0].map[4].mem);
	CHECK_INT(s.nregions, 3);
	for (int i = 0; i < n; i++)
		uio_close(&devs[i]);
	fake_map(0, 1, "uio@0", INFO, 64, 0); /* smaller than storage info */
	CHECK_INT(blk_bind(&s, devs, &n, V.root, "blk", "blk_"), -1);
	for (int i = 0; i < n; i++)
		uio_close(&devs[i]);
	vm_free();
}

TEST(storage_info_from_file)
{
	char path[] = "/tmp/dvm-disk-XXXXXX";
	struct blk_dev d;
	uint8_t info[BS];
	blk_storage_info_t si;
	int fd = mkstemp(path);

	CHECK(fd >= 0 && !ftruncate(fd, 1000 * BS + 100)); /* not a multiple of 4 KiB */
	close(fd);
	CHECK(!blk_dev_open(&d, path, 0, 0, ""));
	CHECK_INT(d.capacity, 1000);
	CHECK_INT(d.read_only, 0);
	memset(info, 0xff, sizeof(info));
	info[65] = 0;
	blk_info_publish(info, &d, 17);
	memcpy(&si, info, sizeof(si));
	CHECK_INT(si.capacity, 1000);
	CHECK_INT(si.sector_size, 512);
	CHECK(si.block_size >= 1);
	CHECK_INT(si.queue_depth, 17);
	CHECK_INT(si.ready, 1);
	CHECK_INT(si.read_only, 0);
	CHECK_INT(si.serial_number[0], 0);
	CHECK_INT(si.cylinders + si.heads + si.blocks, 0);
	CHECK_INT(info[88], 0xff); /* nothing beyond storage info touched */
	close(d.fd);
	CHECK(!blk_dev_open(&d, path, 1, 1, ""));
	CHECK_INT(d.read_only, 1);
	close(d.fd);
	chmod(path, 0400);
	if (geteuid() != 0) { /* root can write anyway */
		CHECK(!blk_dev_open(&d, path, 0, 0, ""));
		CHECK_INT(d.read_only, 1);
		close(d.fd);
	}
	CHECK_INT(blk_dev_open(&d, "/dev/null", 0, 0, ""), -1); /* a character device */
	unlink(path);
}

TEST(serial_from_sysfs)
{
	char serial[64];
	const char *root = fake_root();

	memset(serial, 'q', sizeof(serial));
	blk_read_serial(serial, root, 254, 0); /* none: untouched */
	CHECK_INT(serial[0], 'q');
	fake_write("sys/dev/block/254:0/serial", "VIRTIO-SERIAL-1  \n");
	blk_read_serial(serial, root, 254, 0);
	CHECK_STR(serial, "VIRTIO-SERIAL-1");
	CHECK_INT(serial[63], 0);
	fake_write("sys/dev/block/8:0/device/serial",
		   "0123456789012345678901234567890123456789012345678901234567890123456789\n");
	blk_read_serial(serial, root, 8, 0);
	CHECK_INT(strlen(serial), 63);
	CHECK_INT(serial[62], '2');
	/* a partition: sysfs links 8:1 to the partition directory inside its disk's */
	char link[256];
	fake_write("sys/block/vdb/serial", "DISK-B\n");
	fake_write("sys/block/vdb/vdb1/partition", "1\n");
	snprintf(link, sizeof(link), "%s/sys/dev/block/8:17", root);
	CHECK(!symlink("../../block/vdb/vdb1", link));
	blk_read_serial(serial, root, 8, 17);
	CHECK_STR(serial, "DISK-B");
	fake_cleanup();
}
