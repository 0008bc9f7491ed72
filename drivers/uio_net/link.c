// SPDX-License-Identifier: BSD-2-Clause
/* The interface side: a raw AF_PACKET socket bound to one interface, which uio_net
 * brings up (there is no `ip` in the rootfs) and puts in promiscuous mode, with GRO and
 * LRO off so the socket sees wire frames, not merged super-packets. Frames move in
 * batches: recvmmsg/sendmmsg of up to NET_BATCH frames per system call, non-blocking
 * (the event loop waits in poll). */
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <arpa/inet.h>
#include <linux/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "link.h"
#include "log.h"

#define RCVBUF (4 << 20) /* absorbs bursts while the peer recycles buffers */
#define SNDBUF (1 << 20)

/* An interface ioctl on the socket; 0 or -1 (errno set). */
static int ifreq_ioctl(struct link *l, unsigned long req, struct ifreq *ifr)
{
	memset(ifr->ifr_name, 0, sizeof(ifr->ifr_name));
	memcpy(ifr->ifr_name, l->ifname, strlen(l->ifname));
	return ioctl(l->fd, req, ifr);
}

/* Ethtool get/set of one u32 setting: clear bits; best effort. */
static void ethtool_off(struct link *l, uint32_t get, uint32_t bits, const char *what)
{
	struct ethtool_value v = { .cmd = get };
	struct ifreq ifr;

	ifr.ifr_data = (char *)&v;
	if (ifreq_ioctl(l, SIOCETHTOOL, &ifr) || !(v.data & bits))
		return;
	v.cmd = get + 1; /* ETHTOOL_SGRO = ETHTOOL_GGRO + 1, likewise SFLAGS */
	v.data &= ~bits;
	ifr.ifr_data = (char *)&v;
	if (ifreq_ioctl(l, SIOCETHTOOL, &ifr))
		warn("%s: cannot turn %s off: %s", l->ifname, what, strerror(errno));
}

int link_open(struct link *l, const char *ifname)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	struct packet_mreq mr = { .mr_type = PACKET_MR_PROMISC };
	struct ifreq ifr;
	const char *what;
	int one = 1, v;

	l->ifname = ifname;
	if (!*ifname || strlen(ifname) >= IFNAMSIZ) {
		err("--if '%s': not an interface name (1 to %d characters)", ifname, IFNAMSIZ - 1);
		return -1;
	}
	/* Protocol 0: nothing is queued on it before bind() names the interface. */
	what = "AF_PACKET socket";
	l->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (l->fd < 0)
		goto fail;
	what = "no such interface (--if)";
	if (ifreq_ioctl(l, SIOCGIFINDEX, &ifr))
		goto fail;
	l->ifindex = sll.sll_ifindex = mr.mr_ifindex = ifr.ifr_ifindex;
	what = "cannot bring it up";
	if (ifreq_ioctl(l, SIOCGIFFLAGS, &ifr))
		goto fail;
	if (!(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (ifreq_ioctl(l, SIOCSIFFLAGS, &ifr))
			goto fail;
	}
	_Static_assert(ETHTOOL_SGRO == ETHTOOL_GGRO + 1 && ETHTOOL_SFLAGS == ETHTOOL_GFLAGS + 1,
		       "ethtool set = get + 1");
	ethtool_off(l, ETHTOOL_GGRO, 1, "GRO");
	ethtool_off(l, ETHTOOL_GFLAGS, ETH_FLAG_LRO | ETH_FLAG_RXVLAN, "LRO, VLAN stripping");
	what = "get MTU and MAC";
	if (ifreq_ioctl(l, SIOCGIFMTU, &ifr))
		goto fail;
	l->mtu = (unsigned)ifr.ifr_mtu;
	if (ifreq_ioctl(l, SIOCGIFHWADDR, &ifr))
		goto fail;
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER)
		warn("%s: not an Ethernet interface (ARPHRD %u)", ifname, ifr.ifr_hwaddr.sa_family);
	memcpy(l->mac, ifr.ifr_hwaddr.sa_data, 6);
	what = "bind AF_PACKET socket";
	if (bind(l->fd, (struct sockaddr *)&sll, sizeof(sll)))
		goto fail;
	what = "promiscuous mode";
	if (setsockopt(l->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)))
		goto fail;
	/* Our own transmissions must not come back as received frames (link_recv also
	 * filters them by type, should the option be missing). */
	setsockopt(l->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	v = RCVBUF;
	if (setsockopt(l->fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)))
		setsockopt(l->fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	v = SNDBUF;
	if (setsockopt(l->fd, SOL_SOCKET, SO_SNDBUFFORCE, &v, sizeof(v)))
		setsockopt(l->fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));

	for (int i = 0; i < NET_BATCH; i++) {
		l->riov[i].iov_base = l->rbuf[i];
		l->rmsg[i].msg_hdr.msg_iov = &l->riov[i];
		l->rmsg[i].msg_hdr.msg_iovlen = 1;
		l->rmsg[i].msg_hdr.msg_name = &l->from[i];
		l->smsg[i].msg_hdr.msg_iovlen = 1;
	}
	return 0;
fail:
	err("%s: %s: %s", ifname, what, strerror(errno));
	return -1;
}

void link_close(struct link *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}

int link_recv(struct link *l, struct net_frame *f, unsigned max, int data)
{
	int n, k = 0;

	for (unsigned i = 0; i < max; i++) {
		l->rmsg[i].msg_hdr.msg_namelen = sizeof(l->from[i]);
		l->riov[i].iov_len = data ? NET_BUFFER_SIZE : 0;
	}
	/* MSG_TRUNC: msg_len is the frame's real length even when it did not fit. */
	do
		n = recvmmsg(l->fd, l->rmsg, max, MSG_DONTWAIT | MSG_TRUNC, 0);
	while (n < 0 && errno == EINTR);
	l->last_n = n < 0 ? 0 : n;
	if (n < 0)
		return errno == EAGAIN ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		if (l->from[i].sll_pkttype == PACKET_OUTGOING)
			continue;
		f[k].buf = l->rbuf[i];
		f[k++].len = l->rmsg[i].msg_len;
	}
	return k;
}

int link_send(void *ctx, struct iovec *iov, unsigned n)
{
	struct link *l = ctx;
	int r;

	for (unsigned i = 0; i < n; i++)
		l->smsg[i].msg_hdr.msg_iov = &iov[i];
	/* The system call itself: musl's 64-bit sendmmsg() is a loop of sendmsg() calls
	 * (it cannot trust the kernel with its msghdr padding), one system call per frame.
	 * Our headers' padding is zero (static, never written), so the kernel reads them
	 * right. */
	do
		r = (int)syscall(SYS_sendmmsg, l->fd, l->smsg, n, MSG_DONTWAIT);
	while (r < 0 && errno == EINTR);
	return r < 0 ? (errno == EWOULDBLOCK ? -EAGAIN : -errno) : r;
}

uint64_t link_kdrops(struct link *l)
{
	struct tpacket_stats ts;
	socklen_t len = sizeof(ts);

	/* Reading resets the kernel's counters: accumulate. */
	if (!getsockopt(l->fd, SOL_PACKET, PACKET_STATISTICS, &ts, &len))
		l->kdrop += ts.tp_drops;
	return l->kdrop;
}
