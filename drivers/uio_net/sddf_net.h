/* SPDX-License-Identifier: BSD-2-Clause */
/* sDDF 0.7 network queues as they lie in shared memory (include/sddf/network/queue.h of
 * sDDF 0.7.0). Every offset is pinned below; descriptors are only ever copied in and out
 * of the maps with iomem_copy, never dereferenced in place. */
#ifndef UIO_NET_SDDF_NET_H
#define UIO_NET_SDDF_NET_H
#include <stddef.h>
#include <stdint.h>

#define NET_BUFFER_SIZE 2048u /* every RX and TX buffer */

typedef struct net_buff_desc {
	uint64_t io_or_offset; /* to/from the driver: physical address of the buffer */
	uint16_t len;          /* bytes of the frame */
	uint8_t oid;           /* 0.7: 6-bit owner id in the low bits; drivers ignore it */
	uint8_t pad[5];
} net_buff_desc_t;

/* Queue header; the descriptor slots follow at NETQ_SLOTS. tail and head are
 * free-running u16 counters (tail first: the reverse of the block queues); slot = index
 * % capacity (the u16 index); the capacity is configuration, not stored. consumer_signalled is 0
 * when the consumer asks to be notified, 1 otherwise. */
#define NETQ_TAIL 0
#define NETQ_HEAD 2
#define NETQ_SIGNALLED 4
#define NETQ_SLOTS 8

typedef struct net_queue_hdr {
	uint16_t tail;
	uint16_t head;
	uint32_t consumer_signalled;
} net_queue_hdr_t;

_Static_assert(sizeof(net_buff_desc_t) == 16 && _Alignof(net_buff_desc_t) == 8,
	       "net_buff_desc_t");
_Static_assert(offsetof(net_buff_desc_t, io_or_offset) == 0, "io_or_offset");
_Static_assert(offsetof(net_buff_desc_t, len) == 8, "len");
_Static_assert(offsetof(net_buff_desc_t, oid) == 10, "oid");
_Static_assert(sizeof(net_queue_hdr_t) == NETQ_SLOTS, "net_queue_t buffers");
_Static_assert(offsetof(net_queue_hdr_t, tail) == NETQ_TAIL, "tail");
_Static_assert(offsetof(net_queue_hdr_t, head) == NETQ_HEAD, "head");
_Static_assert(offsetof(net_queue_hdr_t, consumer_signalled) == NETQ_SIGNALLED,
	       "consumer_signalled");

/* Largest capacity: the u16 counters must tell "cap entries" from "empty". Any capacity
 * up to it works as sDDF's: with one that is not a power of two, the slot of index 65535
 * is 65535 % cap and that of 0 (after the wrap) is 0, a jump both sides make alike. */
#define NETQ_MAX_CAP 32768u

/* Bytes of queue memory a capacity needs (64-bit: no overflow). */
static inline uint64_t net_queue_bytes(uint64_t cap) { return NETQ_SLOTS + 16 * cap; }

/* libvmm's net_drv_vm_data_passing_t (uio/net.h): the read-only page the VMM of a
 * network driver VM fills. Only the numbers the guest can use are read: the driver's
 * connection num_buffers (in the copied net_driver_config_t, whose pointers are VMM
 * addresses), the RX data and client TX data physical addresses. */
#define DP_MAGIC 0          /* "sDDF\x05" (net_driver_config_t.magic) */
#define DP_RX_BUFFERS 40    /* virt_rx (at 8) .num_buffers (at 32), u16 */
#define DP_TX_BUFFERS 80    /* virt_tx (at 48) .num_buffers, u16 */
#define DP_RX_PADDR 88      /* u64 */
#define DP_NUM_TX 96        /* int */
#define DP_TX_PADDRS 104    /* u64[64] */
#define DP_MAX_TX 64
#define DP_SIZE 616

#endif
