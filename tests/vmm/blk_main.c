// SPDX-License-Identifier: BSD-2-Clause
/* vmm-sim blk: options, the driver VM's set-up (window, layout, disk, DTB, QEMU), the
 * storage-info check, then the phases named on the command line, in one boot. */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "blk_work.h"
#include "dtb.h"

const char blk_usage[] =
	"Usage: vmm-sim blk --kernel IMAGE --initrd CPIO [OPTIONS] [PHASE...]\n"
	"Boot a block driver VM under QEMU and play libvmm's VMM plus sDDF's block\n"
	"virtualiser against it: shared window, DTB with the UIO nodes, a virtio-blk disk\n"
	"of known random content, IRQs through qtest, the doorbell page polled. Storage\n"
	"info is always checked first. Prints PASS:/FAIL: lines; exit 0 when all passed.\n"
	"Phases (in order, one boot):\n"
	"  mixed[:N]        N (4000) random READ/WRITE/FLUSH/BARRIER requests, verified\n"
	"  overlap[:N]      the same, half the READs/WRITEs on blocks of the last 16: many\n"
	"                   overlaps across BARRIERs, where the order is checked\n"
	"  kill[:N[:K]]     the same as mixed with the driver SIGKILLed K (2) times by SysRq-i\n"
	"  invalid          every class of invalid request, each followed by a valid one\n"
	"  indices          inconsistent queue indices, then corrected\n"
	"  overflow         2 x capacity requests outstanding, response queue full\n"
	"  ioerror          requests over the --bad-block: ERR_IO, success_count\n"
	"  plugged          nothing taken while the request queue is plugged\n"
	"  bench            the bench patterns through sDDF vs the guest's direct figures\n"
	"  soak[:SECONDS]   mixed rounds until SECONDS (0: until ctrl-C)\n"
	"  hold[:SECONDS]   keep the VM idle (0: until ctrl-C)\n"
	"A final FLUSH and a whole-image comparison follow the phases (writable disks).\n"
	"Options:\n"
	"  --kernel FILE       arm64 Image            --initrd FILE   initramfs\n"
	"  --append WORDS      more kernel command-line words\n"
	"  --console C         the kernel's console: ttyAMA0 (PL011, default) or hvc0\n"
	"                      (virtio console, one port)\n"
	"  --capacity N        entries per queue, as uio_blk --capacity (128)\n"
	"  --depth N           requests in flight in mixed/kill (capacity)\n"
	"  --data SIZES        data region sizes, comma-separated (2M,1M,1M): the first in\n"
	"                      UIO node 'blk', the others in 'blk-data'\n"
	"  --window SIZE       shared window, multiple of 2M (16M)\n"
	"  --ram MIB|SIZE      guest RAM besides the window (128; 8704K: 64 KiB multiples)\n"
	"  --disk SIZE         disk image size (64M)\n"
	"  --read-only         attach the disk readonly=on: expect read_only, WRITE -> ERR_IO\n"
	"  --serial STR        virtio-blk serial, expected in storage info (dvm-blk-0)\n"
	"  --disk-cache MODE   QEMU's cache mode for the disk image: writethrough (default:\n"
	"                      every write synced to the host's disk) or writeback (the\n"
	"                      guest's FLUSH does; the bench, see docs/testing.md)\n"
	"  --opt-io BYTES      virtio-blk opt_io_size (0); expected block_size is\n"
	"                      max(1, BYTES / 4096) unless --block-size says otherwise\n"
	"  --block-size N      expected storage-info block_size\n"
	"  --bad-block N       QEMU (blkdebug) fails every READ and WRITE touching 4 KiB\n"
	"                      block N with EIO; the workloads avoid it, 'ioerror' uses it\n"
	"  --queue-depth N     expected storage-info queue_depth (not checked by default)\n"
	"  --notify MODE       page (doorbell counter) or irq-ack (poll the response queue)\n"
	"  --legacy-offsets    io_or_offset is an offset into the first data region\n"
	"  --no-reg-names      UIO nodes without reg-names (positional maps)\n"
	"  --zc-data N         the first N data regions as memory nodes and reserved memory\n"
	"                      without no-map (page-backed under dvm_uio: zero-copy; the\n"
	"                      RAM check counts them; default 0)\n"
	"  --dtb FILE          boot with this device tree (e.g. dtc -O dtb rootfs/blk-vm.dts)\n"
	"                      after checking its UIO nodes are the ones laid out here\n"
	"  --save-dtb FILE     write the device tree the guest boots with to FILE (its memory\n"
	"                      node, /chosen, --trim-dt applied)\n"
	"  --trim-dt           drop what QEMU virt describes beyond the guest's devices (unused\n"
	"                      virtio-mmio transports, GPIO, RTC, PCIe, ...), as a libvmm DT\n"
	"  --per-region        one UIO node per region instead (sdfgen style, all named uio,\n"
	"                      told apart by the second compatible string: blk_storage_info,\n"
	"                      blk_req with the interrupt, blk_resp, blk_fault, blk_data,\n"
	"                      blk_data1, ...; docs/binding-blk.md)\n"
	"  --spi N             the UIO interrupt (12)\n"
	"  --irq-type T        its trigger type in the DTB: edge (default) or level; the\n"
	"                      injection is a one-shot pending bit, which Linux drops for a\n"
	"                      level IRQ arriving while UIO has it disabled (docs/testing.md)\n"
	"  --seed N            random seed (time)\n"
	"  --timeout SEC       whole run, boot included (180; 0: none)\n"
	"  --stall SEC         no answer for this long while requests wait fails (20)\n"
	"  --log FILE          keep the console log there\n"
	"  --name PREFIX       prefix for the PASS/FAIL names\n"
	"  --qemu BINARY       (qemu-system-aarch64)\n"
	"  --keep              keep the run directory in /dev/shm\n"
	"  --bench PATTERNS    bench patterns NAME:BS:QD:r|s|w:OPS, blank-separated (as\n"
	"                      given to the guest's blkbench)\n"
	"  --bench-rounds N    rounds of the bench, after a warm-up one; the median counts (5)\n"
	"  -v                  trace the layout, QEMU's command line and every request\n";

struct opts {
	const char *kernel, *initrd, *append, *console, *log, *serial, *qemu, *dtb;
	const char *disk_cache;
	uint32_t cap, depth;
	uint64_t data[MAX_REGIONS];
	int ndata;
	uint64_t window, disk, opt_io, seed, bad_block;
	unsigned ram, timeout, stall;
	int zc_data;
	int read_only, legacy, names, per_region, spi, irq_flags, notify, block_size, queue_depth, keep;
};

static void parse_data(struct opts *o, const char *s)
{
	char *copy = xstrdup(s), *save = 0;

	o->ndata = 0;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(0, ",", &save)) {
		if (o->ndata == MAX_REGIONS)
			die("--data: more than %d regions", MAX_REGIONS);
		o->data[o->ndata++] = parse_size("--data", t);
	}
	free(copy);
	if (o->ndata < 2)
		die("--data: at least 2 regions (one in each UIO node), got '%s'", s);
}

static struct vm the_vm;
static int log_kept;

/* On failure: the end of the console, for the context. */
static void dump_console(int fd)
{
	if (the_vm.log[0])
		console_tail(the_vm.log_fd, fd);
}

static void validate_phases(int n, char **ph)
{
	static const char *const known[] = { "mixed", "overlap", "kill", "invalid", "indices", "overflow",
					     "ioerror", "plugged", "bench", "soak", "hold" };

	for (int i = 0; i < n; i++) {
		size_t k = 0;

		while (k < sizeof(known) / sizeof(known[0]) && !phase_is(ph[i], known[k]))
			k++;
		if (k == sizeof(known) / sizeof(known[0]))
			die("unknown phase '%s' (see vmm-sim blk --help)", ph[i]);
		for (const char *c = strchr(ph[i], ':'); c; c = strchr(c + 1, ':'))
			if (!c[1] || strspn(c + 1, "0123456789") != strcspn(c + 1, ":"))
				die("phase '%s': arguments are numbers separated by ':'", ph[i]);
	}
}

static void write_blkdebug(const char *path, uint64_t sector)
{
	FILE *f = fopen(path, "w");

	if (!f)
		die("cannot create %s: %s", path, strerror(errno));
	/* raw signals read_aio / write_aio before each request; the rule then fails the
	 * request when it covers the sector */
	fprintf(f, "[inject-error]\nevent = \"read_aio\"\nerrno = \"5\"\nsector = \"%llu\"\n"
		"once = \"off\"\n\n[inject-error]\nevent = \"write_aio\"\nerrno = \"5\"\n"
		"sector = \"%llu\"\nonce = \"off\"\n", (unsigned long long)sector,
		(unsigned long long)sector);
	if (fclose(f))
		die("cannot write %s: %s", path, strerror(errno));
}

static void soak(struct blk_run *r, unsigned seconds, int idle)
{
	uint64_t t0 = now_ns(), rounds = 0;
	int fails0 = fails;

	soft_interrupt = 1;
	msg("%s: the VM runs (console: %s); ctrl-C ends it", idle ? "hold" : "soak",
	    log_kept ? the_vm.log : "not kept, use --log FILE");
	while (!stop_requested && (!seconds || now_ns() - t0 < seconds * 1000000000ull)) {
		if (!deadline_left_ns())
			break;
		if (idle) {
			if (!vm_alive(&the_vm))
				die("QEMU ended (%s)", status_str(the_vm.status));
			sleep_us(100000);
		} else {
			/* one line per round; the checks speak only when they fail */
			quiet_pass = 1;
			wl_mixed(r, 1000, r->v->cap, 0);
			quiet_pass = 0;
			rounds++;
			if (fails != fails0 || r->stalled)
				break;
		}
	}
	soft_interrupt = 0;
	if (!idle && fails == fails0)
		pass("soak", "%llu rounds of 1000 requests, every check passed",
		     (unsigned long long)rounds);
}

int blk_main(int argc, char **argv)
{
	struct opts o = { .cap = 128, .window = 16 << 20, .disk = 64 << 20, .ram = 128 << 10,
			  .timeout = 180, .stall = 20, .names = 1, .spi = 12, .irq_flags = IRQ_EDGE_RISING, .block_size = -1,
			  .queue_depth = -1, .serial = "dvm-blk-0", .disk_cache = "writethrough", .bad_block = ~0ull };
	static struct shm_win win;
	static struct blk_virt v;
	static struct disk d;
	static struct qtest qt;
	struct blk_run r = { 0 };
	struct vm_cfg cfg = { 0 };
	char dir[] = "/dev/shm/dvm-vmm-XXXXXX", path[300], base[300], log[300], sock[300];
	char bdcfg[300];
	char **phases;
	int nphases;
	void *fdt;
	int seeded = 0, i;
	uint64_t t0;

	parse_data(&o, "2M,1M,1M");
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help")) {
			fputs(blk_usage, stdout);
			return 0;
		} else if (!strcmp(a, "--kernel")) o.kernel = need(argc, argv, &i);
		else if (!strcmp(a, "--initrd")) o.initrd = need(argc, argv, &i);
		else if (!strcmp(a, "--append")) o.append = need(argc, argv, &i);
		else if (!strcmp(a, "--console")) o.console = vm_console_arg(need(argc, argv, &i));
		else if (!strcmp(a, "--capacity")) o.cap = (uint32_t)parse_uint(a, need(argc, argv, &i), 1024);
		else if (!strcmp(a, "--depth")) o.depth = (uint32_t)parse_uint(a, need(argc, argv, &i), 1024);
		else if (!strcmp(a, "--data")) parse_data(&o, need(argc, argv, &i));
		else if (!strcmp(a, "--window")) o.window = parse_size(a, need(argc, argv, &i));
		else if (!strcmp(a, "--ram")) o.ram = parse_ram_kb(a, need(argc, argv, &i));
		else if (!strcmp(a, "--disk")) o.disk = parse_size(a, need(argc, argv, &i));
		else if (!strcmp(a, "--read-only")) o.read_only = 1;
		else if (!strcmp(a, "--serial")) o.serial = need(argc, argv, &i);
		else if (!strcmp(a, "--disk-cache")) {
			o.disk_cache = need(argc, argv, &i);
			if (strcmp(o.disk_cache, "writethrough") && strcmp(o.disk_cache, "writeback"))
				die("--disk-cache: '%s': writethrough or writeback", o.disk_cache);
		}
		else if (!strcmp(a, "--bad-block")) o.bad_block = parse_uint(a, need(argc, argv, &i), ~0ull - 1);
		else if (!strcmp(a, "--opt-io")) o.opt_io = parse_size(a, need(argc, argv, &i));
		else if (!strcmp(a, "--block-size")) o.block_size = (int)parse_uint(a, need(argc, argv, &i), 65535);
		else if (!strcmp(a, "--queue-depth")) o.queue_depth = (int)parse_uint(a, need(argc, argv, &i), 65535);
		else if (!strcmp(a, "--notify")) {
			const char *m = need(argc, argv, &i);

			if (!strcmp(m, "page"))
				o.notify = NOTIFY_PAGE;
			else if (!strcmp(m, "irq-ack"))
				o.notify = NOTIFY_IRQ_ACK;
			else
				die("--notify: '%s' is not page or irq-ack", m);
		} else if (!strcmp(a, "--legacy-offsets")) o.legacy = 1;
		else if (!strcmp(a, "--no-reg-names")) o.names = 0;
		else if (!strcmp(a, "--zc-data")) o.zc_data = atoi(need(argc, argv, &i));
		else if (!strcmp(a, "--per-region")) o.per_region = 1;
		else if (!strcmp(a, "--dtb")) o.dtb = need(argc, argv, &i);
		else if (!strcmp(a, "--save-dtb")) cfg.save_dtb = need(argc, argv, &i);
		else if (!strcmp(a, "--trim-dt")) cfg.trim_dt = 1;
		else if (!strcmp(a, "--irq-type")) {
			const char *m = need(argc, argv, &i);

			if (!strcmp(m, "edge"))
				o.irq_flags = IRQ_EDGE_RISING;
			else if (!strcmp(m, "level"))
				o.irq_flags = IRQ_LEVEL_HIGH;
			else
				die("--irq-type: '%s' is not edge or level", m);
		} else if (!strcmp(a, "--spi")) o.spi = (int)parse_uint(a, need(argc, argv, &i), 987);
		else if (!strcmp(a, "--seed")) { o.seed = parse_uint(a, need(argc, argv, &i), ~0ull); seeded = 1; }
		else if (!strcmp(a, "--timeout")) o.timeout = (unsigned)parse_uint(a, need(argc, argv, &i), 86400);
		else if (!strcmp(a, "--stall")) o.stall = (unsigned)parse_uint(a, need(argc, argv, &i), 3600);
		else if (!strcmp(a, "--log")) o.log = need(argc, argv, &i);
		else if (!strcmp(a, "--name")) check_prefix = need(argc, argv, &i);
		else if (!strcmp(a, "--qemu")) o.qemu = need(argc, argv, &i);
		else if (!strcmp(a, "--keep")) o.keep = 1;
		else if (!strcmp(a, "--bench")) bench_patterns = need(argc, argv, &i);
		else if (!strcmp(a, "--bench-rounds")) bench_rounds = (unsigned)parse_uint(a, need(argc, argv, &i), 100);
		else if (!strcmp(a, "-v")) verbose = 1;
		else
			die("unknown option '%s' (vmm-sim blk --help)", a);
	}
	phases = argv + i;
	nphases = argc - i;
	validate_phases(nphases, phases);
	if (!o.kernel || !o.initrd)
		die("--kernel and --initrd are required (vmm-sim blk --help)");
	if (o.cap < 2)
		die("--capacity %u: at least 2", o.cap);
	if (!o.depth || o.depth > o.cap)
		o.depth = o.cap;
	if (o.spi > 987 || (o.spi >= 16 && o.spi < 176))
		die("--spi %d: virt's free SPIs are 0..15 and 176..987 (16..175 are in use)", o.spi);
	if (access(o.kernel, R_OK) || access(o.initrd, R_OK))
		die("cannot read %s: %s", access(o.kernel, R_OK) ? o.kernel : o.initrd,
		    strerror(errno));
	if (!seeded)
		o.seed = now_ns();
	if (o.block_size < 0)
		o.block_size = o.opt_io >= BLK_XFER ? (int)(o.opt_io / BLK_XFER) : 1;

	cleanup_init();
	/* request buffers of up to 256 KiB come and go: keep them off mmap/munmap */
	mallopt(M_MMAP_THRESHOLD, 1 << 24);
	prctl(PR_SET_TIMERSLACK, 1000); /* short sleeps in the polling loops stay short */
	if (o.timeout)
		deadline_set(o.timeout);
	msg("seed %llu", (unsigned long long)o.seed);
	if (!mkdtemp(dir))
		die("cannot create a run directory in /dev/shm: %s", strerror(errno));
	if (!o.keep)
		cleanup_dir(dir);

	/* the window, its layout and the disk */
	cfg.qemu = o.qemu;
	cfg.ram_kb = o.ram;
	cfg.win_size = o.window;
	shm_create(&win, dir, o.window, vm_win_gpa(&cfg));
	if (o.keep)
		cleanup_forget_file(win.path);
	cfg.win_path = win.path;
	v.spi = o.spi;
	v.irq_flags = o.irq_flags;
	v.notify_mode = o.notify;
	v.legacy = o.legacy;
	v.zc_data = o.zc_data;
	v.per_region = o.per_region;
	blk_layout(&v, &win, o.cap, o.data, o.ndata);
	for (int i = 0; i < o.zc_data && i < v.nreg; i++)
		cfg.zc_bytes += v.reg[i].size; /* memory nodes: the kernel counts them */
	shm_seal(&win);
	disk_create(&d, dir, o.disk, o.seed);
	if (o.keep)
		cleanup_forget_file(d.path);

	/* the device tree */
	snprintf(base, sizeof(base), "%s/qemu.dtb", dir);
	snprintf(path, sizeof(path), "%s/vm.dtb", dir);
	if (!o.keep) {
		cleanup_file(base);
		cleanup_file(path);
	}
	vm_dumpdtb(&cfg, base);
	fdt = dtb_load(base);
	blk_dtb(&v, fdt, o.names);
	if (o.dtb) {
		void *given = dtb_load(o.dtb);

		dtb_check_same_uio(fdt, given);
		free(fdt);
		fdt = given;
	}
	dtb_save(fdt, path);
	free(fdt);

	/* QEMU */
	cfg.kernel = o.kernel;
	cfg.initrd = o.initrd;
	cfg.append = o.append;
	cfg.console = o.console;
	argv_add(&cfg.extra, "-drive");
	if (o.bad_block != ~0ull) {
		/* blkdebug between the raw format and the file: EIO for any read or write
		 * overlapping the bad block's first sector */
		snprintf(bdcfg, sizeof(bdcfg), "%s/blkdebug.conf", dir);
		write_blkdebug(bdcfg, o.bad_block * (BLK_XFER / 512));
		if (!o.keep)
			cleanup_file(bdcfg);
		argv_add(&cfg.extra, "file=blkdebug:%s:%s,format=raw,if=none,id=vda,cache=%s%s",
			 bdcfg, d.path, o.disk_cache, o.read_only ? ",readonly=on" : "");
	} else {
		argv_add(&cfg.extra, "file=%s,format=raw,if=none,id=vda,cache=%s%s",
			 d.path, o.disk_cache, o.read_only ? ",readonly=on" : "");
	}
	argv_add(&cfg.extra, "-device");
	if (o.opt_io)
		argv_add(&cfg.extra, "virtio-blk-device,drive=vda,serial=%s,opt_io_size=%llu",
			 o.serial, (unsigned long long)o.opt_io);
	else
		argv_add(&cfg.extra, "virtio-blk-device,drive=vda,serial=%s", o.serial);
	snprintf(log, sizeof(log), "%s", o.log ? o.log : "");
	log_kept = o.log || o.keep;
	if (!o.log) {
		snprintf(log, sizeof(log), "%s/console.log", dir);
		if (!o.keep)
			cleanup_file(log);
	}
	snprintf(sock, sizeof(sock), "%s/qtest.sock", dir);
	cleanup_file(sock);
	cleanup_on_failure(dump_console);
	t0 = now_ns();
	vm_start(&the_vm, &cfg, path, log, sock);
	v.vm = &the_vm;
	qtest_connect(&qt, &the_vm);
	v.qt = &qt;
	check_begin("boot");
	blk_wait_ready(&v, 60ull * 1000000000u);
	/* The guest runs, so QEMU has opened everything (the qtest socket accepts earlier):
	 * drop the names now, so even a SIGKILL of the simulator leaves nothing behind (the
	 * window stays mapped, disk and log open; QEMU dies with us: PR_SET_PDEATHSIG). */
	if (!o.keep)
		cleanup_run_files();
	msg("driver ready %.2f s after QEMU started", (double)(now_ns() - t0) / 1e9);
	vm_check_ram(&the_vm, &cfg);

	r.v = &v;
	r.d = &d;
	r.rng = o.seed * 0x9e3779b97f4a7c15ull + 1;
	r.stall_ns = (uint64_t)o.stall * 1000000000u;
	r.readonly = o.read_only;
	r.bad_block = o.bad_block;
	check_info(&r, o.read_only, o.serial, o.block_size, o.queue_depth);
	{
		const char *bl = o.per_region ? "uio_blk: per-region binding 'blk_*'" :
				 o.names ? "maps by name" : "maps by index";
		if (console_count(the_vm.log_fd, bl) < 1)
			fail("binding", "no '%s' line from uio_blk", bl);
		else
			pass("binding", "%s", bl);
	}
	for (i = 0; i < nphases; i++) {
		const char *p = phases[i];

		if (phase_is(p, "mixed"))
			wl_mixed(&r, phase_arg(p, 1, 4000), o.depth, 0);
		else if (phase_is(p, "overlap")) {
			r.overlap = 50;
			wl_mixed(&r, phase_arg(p, 1, 4000), o.depth, 0);
			r.overlap = 0;
		}
		else if (phase_is(p, "kill"))
			wl_mixed(&r, phase_arg(p, 1, 4000), o.depth, (int)phase_arg(p, 2, 2));
		else if (phase_is(p, "invalid"))
			wl_invalid(&r);
		else if (phase_is(p, "indices"))
			wl_bogus_indices(&r);
		else if (phase_is(p, "overflow"))
			wl_overflow(&r);
		else if (phase_is(p, "ioerror"))
			wl_ioerror(&r);
		else if (phase_is(p, "plugged"))
			wl_plugged(&r);
		else if (phase_is(p, "bench"))
			wl_bench(&r, the_vm.log_fd);
		else if (phase_is(p, "soak"))
			soak(&r, phase_arg(p, 1, 0), 0);
		else if (phase_is(p, "hold"))
			soak(&r, phase_arg(p, 1, 0), 1);
		if (r.stalled)
			break;
	}
	if (!r.stalled)
		wl_final_image(&r);
	/* a driver that crashed and was restarted by init would hide behind a passing
	 * workload; only the kill phase restarts it on purpose */
	check_begin("end");
	{
		int restarts = console_count(the_vm.log_fd, "restarting");
		int wanted = 0;

		for (i = 0; i < nphases; i++)
			if (phase_is(phases[i], "kill"))
				wanted += (int)phase_arg(phases[i], 2, 2);
		if (restarts != wanted)
			fail("driver restarts", "init restarted a service %d times, expected %d",
			     restarts, wanted);
		else
			pass("driver restarts", "%d, as expected", wanted);
	}
	shm_check_sealed(&win);
	msg("%llu requests, %llu interrupts injected, %llu doorbell rings", (unsigned long long)v.submitted,
	    (unsigned long long)qt.injected, (unsigned long long)v.db.rings);
	qtest_sync(&qt);
	if (fails)
		failure_report();
	vm_stop(&the_vm);
	qtest_close(&qt);
	cleanup_run();
	return fails ? 1 : 0;
}
