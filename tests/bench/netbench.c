// SPDX-License-Identifier: BSD-2-Clause
/* netbench: the guest half of `make bench`, network part (not part of dvm). It measures
 * raw AF_PACKET receive and send on the driver VM's interface, the baseline that
 * vmm-sim then compares uio_net with: the same socket set-up as uio_net (bound,
 * promiscuous, own frames ignored, GRO off) and the same batching (recvmmsg and the
 * sendmmsg system call, 64 frames each), with no sDDF queues behind it.
 *
 * dvm's init only runs dvm applets, so netbench runs before it: the kernel starts it as
 * rdinit=/bin/netbench (PID 1); it loads the NIC's modules (with their modules.dep
 * dependencies), brings the interface up, runs the tests, and execs /init (dvm's init,
 * still PID 1), which then starts uio_net as usual. /etc/netbench.conf:
 *     if eth0
 *     module virtio_mmio
 *     module virtio_net
 *     size 64                  one RX and one TX test per size
 *     seconds 4                length of each test
 *     rounds 3                 repeat everything (the host reports the best round and
 *                              the spread)
 * Protocol with the host (console lines; R is the round, from 1):
 *     "netbench: rR rx SIZE ready"   the host floods SIZE-byte frames; netbench counts
 *                                    the test frames received over SECONDS from the first
 *     "netbench: rR rx SIZE frames=N usec=T cpu_us=C full_batches=B"
 *     "netbench: rR tx SIZE ready"   then, half a second later, it sends SIZE-byte
 *                                    frames as fast as the socket takes them for SECONDS
 *     "netbench: rR tx SIZE frames=N usec=T cpu_us=C"
 *     "netbench: done"
 * cpu_us is netbench's own user + system time over the test (getrusage). Every test is
 * bounded by its own clock: RX waits at most 30 s for the first frame, then ends SECONDS
 * after it whatever the host still sends; TX ends after SECONDS. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/if.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define TEST_TYPE 0x88b5 /* the frames vmm-sim sends and expects */
#define MAGIC_RX 0x52584656u
#define MAGIC_TX 0x54584656u

static void die(const char *what, const char *a, int e)
{
	fprintf(stderr, "netbench: %s %s%s%s\n", what, a, e ? ": " : "", e ? strerror(e) : "");
	if (getpid() == 1) /* never leave the VM without its init */
		execl("/init", "init", (char *)0);
	exit(1);
}

static uint64_t now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000 + (uint64_t)t.tv_nsec / 1000;
}

static uint64_t cpu_us(void)
{
	struct rusage r;
	getrusage(RUSAGE_SELF, &r);
	return (uint64_t)(r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1000000 +
	       (uint64_t)(r.ru_utime.tv_usec + r.ru_stime.tv_usec);
}

/* ---- modules (flat modules.dep written by dvm-pack, deepest dependency last) -------- */

static void load_one(const char *file)
{
	char path[256];
	int fd, r;

	snprintf(path, sizeof(path), "/lib/modules/%s", file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("cannot open", path, errno);
	r = (int)syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	if (r && errno != EEXIST)
		die("cannot load", path, errno);
}

static void load_module(const char *name)
{
	char line[1024], want[200];
	FILE *f = fopen("/lib/modules/modules.dep", "r");
	size_t wl;

	if (!f)
		die("cannot open", "/lib/modules/modules.dep", errno);
	snprintf(want, sizeof(want), "%s.ko:", name);
	wl = strlen(want);
	while (fgets(line, sizeof(line), f)) {
		char *dep[32], *save = 0, *t;
		int n = 0;

		if (strncmp(line, want, wl))
			continue;
		for (t = strtok_r(line + wl, " \n", &save); t && n < 32; t = strtok_r(0, " \n", &save))
			dep[n++] = t;
		while (n--)
			load_one(dep[n]);
		want[wl - 1] = 0;
		load_one(want);
		fclose(f);
		return;
	}
	die("module not in /lib/modules/modules.dep:", name, 0);
}

/* ---- the socket, as uio_net sets it up ---------------------------------------------- */

static int sock_open(const char *ifname)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	struct packet_mreq mr = { .mr_type = PACKET_MR_PROMISC };
	struct ethtool_value ev = { .cmd = ETHTOOL_SGRO, .data = 0 };
	struct ifreq ifr;
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1, v;

	if (fd < 0)
		die("AF_PACKET socket", "", errno);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	for (int i = 0; ioctl(fd, SIOCGIFINDEX, &ifr); i++) {
		if (i == 500)
			die("no interface", ifname, errno);
		usleep(10000);
	}
	sll.sll_ifindex = mr.mr_ifindex = ifr.ifr_ifindex;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr))
		die("SIOCGIFFLAGS", ifname, errno);
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr))
		die("cannot bring up", ifname, errno);
	ifr.ifr_data = (char *)&ev;
	ioctl(fd, SIOCETHTOOL, &ifr);
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		die("bind", ifname, errno);
	if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)))
		die("promiscuous", ifname, errno);
	setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	v = 4 << 20;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v));
	v = 1 << 20;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &v, sizeof(v));
	return fd;
}

static uint8_t rbuf[BATCH][2048], tbuf[BATCH][2048];

static int is_test(const uint8_t *f, unsigned len, uint32_t magic)
{
	uint32_t m;

	if (len < 24 || f[12] != TEST_TYPE >> 8 || f[13] != (TEST_TYPE & 0xff))
		return 0;
	memcpy(&m, f + 14, 4);
	return ntohl(m) == magic;
}

static void rx_test(int fd, unsigned round, unsigned size, unsigned seconds)
{
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	uint64_t frames = 0, t0 = 0, c0 = 0, t;
	struct pollfd p = { fd, POLLIN, 0 };
	unsigned run = 0, max_run = 0;

	for (int i = 0; i < BATCH; i++) {
		iov[i].iov_base = rbuf[i];
		iov[i].iov_len = sizeof(rbuf[i]);
		memset(&m[i].msg_hdr, 0, sizeof(m[i].msg_hdr));
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	while (recvmmsg(fd, m, BATCH, MSG_DONTWAIT, 0) > 0) /* stale frames */
		;
	printf("netbench: r%u rx %u ready\n", round, size);
	fflush(stdout);
	for (;;) {
		int n;

		if (poll(&p, 1, t0 ? 100 : 30000) < 0 && errno != EINTR)
			die("poll", "", errno);
		t = now_us();
		if (t0 && t - t0 >= seconds * 1000000ull)
			break;
		if (!t0 && !p.revents)
			die("no frame within 30 s", "", 0);
		/* Drain the socket before sleeping again, in full batches, but with the clock
		 * read after each: while the host offers more than the guest takes, the socket
		 * never empties, and a drain bounded only by an empty socket once ran a 3 s
		 * figure for 54 s (and another past the host's 120 s wait). */
		do {
			n = recvmmsg(fd, m, BATCH, MSG_DONTWAIT | MSG_TRUNC, 0);
			for (int i = 0; i < n; i++) {
				if (!is_test(rbuf[i], m[i].msg_len, MAGIC_RX))
					continue;
				if (!t0) {
					t0 = now_us();
					c0 = cpu_us();
				}
				frames++;
			}
			t = now_us();
			if (n == BATCH && ++run > max_run)
				max_run = run;
			if (n < BATCH)
				run = 0;
		} while (n == BATCH && (!t0 || t - t0 < seconds * 1000000ull));
	}
	/* full_batches: the longest run of full batches in one drain (a socket that never
	 * emptied: the host offered more than the guest took) */
	printf("netbench: r%u rx %u frames=%llu usec=%llu cpu_us=%llu full_batches=%u\n", round,
	       size, (unsigned long long)frames, (unsigned long long)(t - t0),
	       (unsigned long long)(cpu_us() - c0), max_run);
	fflush(stdout);
}

static void tx_test(int fd, unsigned round, unsigned size, unsigned seconds)
{
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	uint64_t frames = 0, t0, c0, t;
	struct pollfd p = { fd, POLLOUT, 0 };

	for (int i = 0; i < BATCH; i++) {
		uint32_t mg = htonl(MAGIC_TX), seq = htonl((uint32_t)i);
		uint16_t l = htons((uint16_t)size);
		for (unsigned k = 0; k < size; k++)
			tbuf[i][k] = (uint8_t)(k * 13);
		memcpy(tbuf[i], "\2\0\0\0\0\2\x52\x54\0\x12\x34\x56", 12);
		tbuf[i][12] = TEST_TYPE >> 8;
		tbuf[i][13] = TEST_TYPE & 0xff;
		memcpy(tbuf[i] + 14, &mg, 4);
		memcpy(tbuf[i] + 18, &seq, 4);
		memcpy(tbuf[i] + 22, &l, 2);
		iov[i].iov_base = tbuf[i];
		iov[i].iov_len = size;
		memset(&m[i].msg_hdr, 0, sizeof(m[i].msg_hdr));
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	printf("netbench: r%u tx %u ready\n", round, size);
	fflush(stdout);
	usleep(500000); /* the host reads the console, then listens */
	t0 = t = now_us();
	c0 = cpu_us();
	while (t - t0 < seconds * 1000000ull) {
		/* the system call: musl's 64-bit sendmmsg() loops over sendmsg() */
		int n = (int)syscall(SYS_sendmmsg, fd, m, BATCH, MSG_DONTWAIT);
		if (n > 0)
			frames += (uint64_t)n;
		else if (errno == EAGAIN || errno == ENOBUFS)
			poll(&p, 1, 1);
		else if (errno != EINTR)
			die("sendmmsg", "", errno);
		t = now_us();
	}
	printf("netbench: r%u tx %u frames=%llu usec=%llu cpu_us=%llu\n", round, size,
	       (unsigned long long)frames, (unsigned long long)(t - t0),
	       (unsigned long long)(cpu_us() - c0));
	fflush(stdout);
}

int main(void)
{
	char line[256], ifname[16] = "eth0", arg[64];
	unsigned sizes[16], nsizes = 0, seconds = 4, rounds = 1, v;
	FILE *f = fopen("/etc/netbench.conf", "r");
	int fd;

	if (!f)
		die("cannot open", "/etc/netbench.conf", errno);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "if %15s", ifname) == 1)
			continue;
		else if (sscanf(line, "module %63s", arg) == 1)
			load_module(arg);
		else if (sscanf(line, "size %u", &v) == 1 && nsizes < 16 && v >= 24 && v <= 1514)
			sizes[nsizes++] = v;
		else if (sscanf(line, "seconds %u", &v) == 1 && v)
			seconds = v;
		else if (sscanf(line, "rounds %u", &v) == 1 && v)
			rounds = v;
		else if (line[0] != '#' && line[0] != '\n')
			die("bad line in /etc/netbench.conf:", line, 0);
	}
	fclose(f);
	fd = sock_open(ifname);
	for (unsigned r = 1; r <= rounds; r++)
		for (unsigned i = 0; i < nsizes; i++) {
			rx_test(fd, r, sizes[i], seconds);
			tx_test(fd, r, sizes[i], seconds);
		}
	close(fd);
	printf("netbench: done\n");
	fflush(stdout);
	execl("/init", "init", (char *)0);
	die("cannot exec", "/init", errno);
	return 1;
}
