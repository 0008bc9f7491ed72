// SPDX-License-Identifier: BSD-2-Clause
/* vmm-sim net: options, the network driver VM's set-up (window, layout, DTB, QEMU with a
 * virtio-net NIC whose other end is our UDP socket), readiness, then the phases named
 * on the command line, in one boot. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include "dtb.h"
#include "net_work.h"

const char net_usage[] =
	"Usage: vmm-sim net --kernel IMAGE --initrd CPIO [OPTIONS] [PHASE...]\n"
	"Boot a network driver VM (uio_net) under QEMU and play libvmm's VMM plus sDDF's\n"
	"virt_rx and virt_tx against it: shared window, DTB with the net-rx, net-tx and\n"
	"net-tx-data UIO nodes, IRQs through qtest, the doorbell pages polled, and a\n"
	"virtio-net NIC whose wire is a UDP socket of ours. Prints PASS:/FAIL: lines; exit 0\n"
	"when all passed. The guest's uio_net must log its counters every second\n"
	"(--stats 1). Phases (in order, one boot; default: rx tx invalid nobuf indices\n"
	"race restart):\n"
	"  rx[:LO:HI]       frames of every size LO..HI (60..1514) host -> RX active\n"
	"  tx[:LO:HI]       the same TX active -> host, from the 3 client regions\n"
	"  invalid          every refused TX descriptor class, bad RX buffers, RX frames\n"
	"                   longer than a buffer\n"
	"  nobuf            frames with RX free empty: dropped, TX still served\n"
	"  indices          inconsistent indices on each of the 4 queues, then corrected\n"
	"  race[:N]         N (2000) TX and RX bursts timed against the handshake\n"
	"  restart          SIGTERM the driver (SysRq-e): graceful stop, init restarts it\n"
	"  bench[:S[:R]]    frames/s and Mb/s through uio_net vs the guest's netbench\n"
	"                   (rdinit), best of R (3) rounds of S (3) seconds each\n"
	"Options:\n"
	"  --kernel FILE  --initrd FILE  --append WORDS\n"
	"  --console C    the kernel's console: ttyAMA0 (PL011, default) or hvc0\n"
	"  --rx-capacity N  --tx-capacity N   queue entries, as uio_net's (512)\n"
	"  --tx-region SIZE  each of the 3 client TX regions (256K)\n"
	"  --window SIZE (4M)  --ram MIB|SIZE (128)  --spi-rx N (13)  --spi-tx N (14)\n"
	"  --no-reg-names      UIO nodes without reg-names (positional maps)\n"
	"  --cached-data LIST  these data regions (rx, tx: RX data, every client TX data\n"
	"                      region; comma-separated) reserved without no-map, as memory:\n"
	"                      page-backed, cacheable maps under dvm_uio (docs/uio_net.md)\n"
	"  --dtb FILE          boot with this device tree (e.g. dtc -O dtb rootfs/net-vm.dts)\n"
	"                      after checking its UIO nodes are the ones laid out here\n"
	"  --save-dtb FILE     write the device tree the guest boots with to FILE (blk --help)\n"
	"  --trim-dt           drop QEMU virt's nodes beyond the guest's devices (blk --help)\n"
	"  --libvmm            libvmm's network driver VM wiring instead: eleven UIO nodes\n"
	"                      named uio, one region each, told apart by the second\n"
	"                      compatible string; data_passing filled as libvmm's VMM does\n"
	"                      (capacities, RX and client TX data addresses, which differ\n"
	"                      from where the guest maps the data); fault pages, IRQ-only\n"
	"                      nodes. uio_net then needs no --rx/--tx-capacity\n"
	"  --seed N  --timeout SEC (180)  --stall SEC (5)  --log FILE  --name PREFIX\n"
	"  --qemu BINARY  --keep  -v\n";

struct vm net_vm;

static void dump_console(int fd)
{
	if (net_vm.log[0])
		console_tail(net_vm.log_fd, fd);
}

/* A free UDP port on 127.0.0.1 for QEMU's end (bound and released at once). */
static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t l = sizeof(a);
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), port;

	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(s, (struct sockaddr *)&a, &l))
		die("cannot find a free UDP port: %s", strerror(errno));
	port = ntohs(a.sin_port);
	close(s);
	return port;
}

/* --cached-data LIST: rx, tx, comma-separated, into NET_CACHED_* bits. */
static int parse_cached(const char *list)
{
	char buf[64], *save = 0;
	int bits = 0;

	snprintf(buf, sizeof(buf), "%s", list);
	for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(0, ",", &save)) {
		if (!strcmp(w, "rx"))
			bits |= NET_CACHED_RX;
		else if (!strcmp(w, "tx"))
			bits |= NET_CACHED_TX;
		else
			die("--cached-data '%s': '%s' is not rx or tx", list, w);
	}
	if (!bits)
		die("--cached-data '%s': expected rx, tx or rx,tx", list);
	return bits;
}

int net_main(int argc, char **argv)
{
	static const char *const dflt[] = { "rx", "tx", "invalid", "nobuf", "indices", "race",
					    "restart" };
	static const char *const known[] = { "rx", "tx", "invalid", "nobuf", "indices", "race",
					     "restart", "bench" };
	const char *kernel = 0, *initrd = 0, *append = 0, *console = 0, *log_opt = 0, *qemu = 0,
		   *dtb = 0;
	uint32_t rx_cap = 512, tx_cap = 512;
	uint64_t txr = 256 << 10, window = 4 << 20, seed = now_ns();
	unsigned ram = 128 << 10, timeout = 180, stall = 5;
	int names = 1, libvmm = 0, cached = 0, spi_rx = 13, spi_tx = 14, keep = 0, i, nph, our_port, qemu_port;
	static struct shm_win win;
	static struct net_virt v;
	static struct qtest qt;
	struct net_run r = { 0 };
	struct vm_cfg cfg = { 0 };
	char dir[] = "/dev/shm/dvm-net-XXXXXX", base[300], path[300], log[300], sock[300];
	const char **ph;
	void *fdt;
	uint64_t t0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help")) {
			fputs(net_usage, stdout);
			return 0;
		} else if (!strcmp(a, "--kernel")) kernel = need(argc, argv, &i);
		else if (!strcmp(a, "--initrd")) initrd = need(argc, argv, &i);
		else if (!strcmp(a, "--append")) append = need(argc, argv, &i);
		else if (!strcmp(a, "--console")) console = vm_console_arg(need(argc, argv, &i));
		else if (!strcmp(a, "--rx-capacity")) rx_cap = (uint32_t)parse_uint(a, need(argc, argv, &i), 32768);
		else if (!strcmp(a, "--tx-capacity")) tx_cap = (uint32_t)parse_uint(a, need(argc, argv, &i), 32768);
		else if (!strcmp(a, "--tx-region")) txr = parse_size(a, need(argc, argv, &i));
		else if (!strcmp(a, "--window")) window = parse_size(a, need(argc, argv, &i));
		else if (!strcmp(a, "--ram")) ram = parse_ram_kb(a, need(argc, argv, &i));
		else if (!strcmp(a, "--spi-rx")) spi_rx = (int)parse_uint(a, need(argc, argv, &i), 15);
		else if (!strcmp(a, "--spi-tx")) spi_tx = (int)parse_uint(a, need(argc, argv, &i), 15);
		else if (!strcmp(a, "--no-reg-names")) names = 0;
		else if (!strcmp(a, "--libvmm")) libvmm = 1;
		else if (!strcmp(a, "--cached-data")) cached = parse_cached(need(argc, argv, &i));
		else if (!strcmp(a, "--dtb")) dtb = need(argc, argv, &i);
		else if (!strcmp(a, "--save-dtb")) cfg.save_dtb = need(argc, argv, &i);
		else if (!strcmp(a, "--trim-dt")) cfg.trim_dt = 1;
		else if (!strcmp(a, "--seed")) seed = parse_uint(a, need(argc, argv, &i), ~0ull);
		else if (!strcmp(a, "--timeout")) timeout = (unsigned)parse_uint(a, need(argc, argv, &i), 86400);
		else if (!strcmp(a, "--stall")) stall = (unsigned)parse_uint(a, need(argc, argv, &i), 3600);
		else if (!strcmp(a, "--log")) log_opt = need(argc, argv, &i);
		else if (!strcmp(a, "--name")) check_prefix = need(argc, argv, &i);
		else if (!strcmp(a, "--qemu")) qemu = need(argc, argv, &i);
		else if (!strcmp(a, "--keep")) keep = 1;
		else if (!strcmp(a, "-v")) verbose = 1;
		else
			die("unknown option '%s' (vmm-sim net --help)", a);
	}
	nph = argc - i;
	ph = (const char **)argv + i;
	if (!nph) {
		ph = (const char **)dflt;
		nph = sizeof(dflt) / sizeof(dflt[0]);
	}
	for (int k = 0; k < nph; k++) {
		size_t j = 0;
		while (j < sizeof(known) / sizeof(known[0]) && !phase_is(ph[k], known[j]))
			j++;
		if (j == sizeof(known) / sizeof(known[0]))
			die("unknown phase '%s' (see vmm-sim net --help)", ph[k]);
	}
	if (!kernel || !initrd)
		die("--kernel and --initrd are required (vmm-sim net --help)");
	if (rx_cap < 2 || tx_cap < 4)
		die("--rx-capacity/--tx-capacity must be >= 2, >= 4");
	if (spi_rx == spi_tx)
		die("--spi-rx and --spi-tx must differ");
	if (access(kernel, R_OK) || access(initrd, R_OK))
		die("cannot read %s: %s", access(kernel, R_OK) ? kernel : initrd, strerror(errno));

	cleanup_init();
	prctl(PR_SET_TIMERSLACK, 1000);
	if (timeout)
		deadline_set(timeout);
	msg("seed %llu", (unsigned long long)seed);
	if (!mkdtemp(dir))
		die("cannot create a run directory in /dev/shm: %s", strerror(errno));
	if (!keep)
		cleanup_dir(dir);

	cfg.qemu = qemu;
	cfg.ram_kb = ram;
	cfg.win_size = window;
	shm_create(&win, dir, window, vm_win_gpa(&cfg));
	if (keep)
		cleanup_forget_file(win.path);
	cfg.win_path = win.path;
	v.spi_rx = spi_rx;
	v.spi_tx = spi_tx;
	v.names = names;
	v.libvmm = libvmm;
	v.cached = cached;
	net_layout(&v, &win, rx_cap, tx_cap, txr);
	memcpy(v.mac, "\x52\x54\x00\x12\x34\x56", 6);
	shm_seal(&win);

	snprintf(base, sizeof(base), "%s/qemu.dtb", dir);
	snprintf(path, sizeof(path), "%s/vm.dtb", dir);
	if (!keep) {
		cleanup_file(base);
		cleanup_file(path);
	}
	vm_dumpdtb(&cfg, base);
	fdt = dtb_load(base);
	/* cached data regions are memory nodes: the kernel counts them (vm_check_ram) */
	cfg.zc_bytes = net_dtb(&v, fdt);
	if (dtb) {
		void *given = dtb_load(dtb);

		dtb_check_same_uio(fdt, given);
		free(fdt);
		fdt = given;
	}
	dtb_save(fdt, path);
	free(fdt);

	qemu_port = free_port();
	wire_open(&v, &our_port, qemu_port);
	cfg.kernel = kernel;
	cfg.initrd = initrd;
	cfg.append = append;
	cfg.console = console;
	argv_add(&cfg.extra, "-netdev");
	argv_add(&cfg.extra, "dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port=%d,"
		 "remote.type=inet,remote.host=127.0.0.1,remote.port=%d", qemu_port, our_port);
	argv_add(&cfg.extra, "-device");
	argv_add(&cfg.extra, "virtio-net-device,netdev=n0,mac=52:54:00:12:34:56");
	snprintf(log, sizeof(log), "%s", log_opt ? log_opt : "");
	if (!log_opt) {
		snprintf(log, sizeof(log), "%s/console.log", dir);
		if (!keep)
			cleanup_file(log);
	}
	snprintf(sock, sizeof(sock), "%s/qtest.sock", dir);
	cleanup_file(sock);
	cleanup_on_failure(dump_console);
	t0 = now_ns();
	vm_start(&net_vm, &cfg, path, log, sock);
	v.vm = &net_vm;
	qtest_connect(&qt, &net_vm);
	v.qt = &qt;

	r.v = &v;
	r.stall_ns = (uint64_t)stall * 1000000000u;
	r.rng = seed * 0x9e3779b97f4a7c15ull + 1;
	check_begin("boot");
	/* with the bench, netbench runs first (rdinit) and dvm's init after it */
	if (!phase_is(ph[0], "bench"))
		wait_serving(&r, 60ull * 1000000000u);
	else /* QEMU has read the kernel, initrd and DTB once the guest prints */
		while (!console_count(net_vm.log_fd, "Booting Linux")) {
			if (!vm_alive(&net_vm))
				die("QEMU ended (%s)", status_str(net_vm.status));
			sleep_us(10000);
		}
	if (!keep)
		cleanup_run_files();
	if (!phase_is(ph[0], "bench")) {
		msg("driver serving %.2f s after QEMU started", (double)(now_ns() - t0) / 1e9);
		vm_check_ram(&net_vm, &cfg);
		if (console_count(net_vm.log_fd, "uio_net: eth0: MTU 1500, MAC 52:54:00:12:34:56, "
				  "up, promiscuous") != 1)
			fail("start line", "no 'uio_net: eth0: MTU 1500, MAC 52:54:00:12:34:56, up, "
			     "promiscuous' line on the console");
		else
			pass("start line", "interface up, MTU and MAC reported");
		const char *bl = libvmm ? "per-region binding '*': interrupts on" :
				 names ? "maps by name" : "maps by index";

		if (console_count(net_vm.log_fd, bl) != 1 ||
		    (libvmm && console_count(net_vm.log_fd, "data_passing: RX") != 1))
			fail("binding", "no '%s' line from uio_net", bl);
		else
			pass("binding", "maps found by %s", libvmm ? "region name (libvmm wiring, "
			     "data_passing)" : names ? "reg-names" : "index");
	}

	for (int k = 0; k < nph && !r.stopped; k++) {
		const char *p = ph[k];

		if (phase_is(p, "rx"))
			phase_rx(&r, phase_arg(p, 1, 60), phase_arg(p, 2, 1514), "rx");
		else if (phase_is(p, "tx"))
			phase_tx(&r, phase_arg(p, 1, 60), phase_arg(p, 2, 1514), "tx");
		else if (phase_is(p, "invalid"))
			phase_invalid(&r);
		else if (phase_is(p, "nobuf"))
			phase_nobuf(&r);
		else if (phase_is(p, "indices"))
			phase_indices(&r);
		else if (phase_is(p, "race"))
			phase_race(&r, phase_arg(p, 1, 2000));
		else if (phase_is(p, "restart"))
			phase_restart(&r);
		else if (phase_is(p, "bench"))
			phase_bench(&r, phase_arg(p, 1, 3), phase_arg(p, 2, 3));
		if (phase_is(p, "rx") || phase_is(p, "tx"))
			expect_counters(&r, p);
	}
	check_begin("end");
	{
		int want = 0, got = console_count(net_vm.log_fd, "restarting");
		for (int k = 0; k < nph; k++)
			want += phase_is(ph[k], "restart");
		if (got != want)
			fail("driver restarts", "init restarted the driver %d times, expected %d",
			     got, want);
		else
			pass("driver restarts", "%d, as expected", want);
	}
	shm_check_sealed(&win);
	msg("%llu frames host->RX, %llu TX->host, %llu other guest frames, %llu IRQs injected, "
	    "doorbells %llu rx / %llu tx", (unsigned long long)v.rx_got,
	    (unsigned long long)v.tx_got, (unsigned long long)v.other_frames,
	    (unsigned long long)qt.injected, (unsigned long long)v.db_rx.rings,
	    (unsigned long long)v.db_tx.rings);
	if (fails)
		failure_report();
	vm_stop(&net_vm);
	qtest_close(&qt);
	cleanup_run();
	return fails ? 1 : 0;
}
