/* SPDX-License-Identifier: BSD-2-Clause */
/* uio_net's interface side (link.c): a raw AF_PACKET socket on one interface, batched. */
#ifndef UIO_NET_LINK_H
#define UIO_NET_LINK_H
#include <linux/if_packet.h>
#include <stdint.h>
#include <sys/socket.h>
#include "net.h"

struct link {
	int fd;
	int ifindex;
	unsigned mtu;
	uint8_t mac[6];
	const char *ifname;
	uint8_t rbuf[NET_BATCH][NET_BUFFER_SIZE] __attribute__((aligned(64)));
	struct iovec riov[NET_BATCH];
	struct mmsghdr rmsg[NET_BATCH], smsg[NET_BATCH];
	struct sockaddr_ll from[NET_BATCH];
	int last_n;      /* frames the last link_recv read, outgoing ones included */
	uint64_t kdrop;  /* frames the kernel dropped for want of socket space */
};

/* Open the socket on ifname, bring the interface up, promiscuous, GRO/LRO off; read
 * its MTU and MAC. 0 or -1 (logged; l->fd may still need link_close). */
int link_open(struct link *l, const char *ifname);
void link_close(struct link *l);

/* Receive up to max (<= NET_BATCH) frames without blocking into f (pointing into l's
 * buffers, valid until the next call); with data = 0 only their lengths (the frames are
 * consumed without being copied: dropping). Returns how many, 0 when none, or -errno. */
int link_recv(struct link *l, struct net_frame *f, unsigned max, int data);

/* net_send_fn over sendmmsg (ctx = struct link *). */
int link_send(void *ctx, struct iovec *iov, unsigned n);

/* Total frames dropped by the kernel on this socket so far. */
uint64_t link_kdrops(struct link *l);

#endif
