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
 * & (capacity - 1); the capacity is configuration, not stored. consumer_signalled is 0
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

/* Largest capacity: the u16 counters must tell "cap entries" from "empty", and a power
 * of two keeps slot = index & (cap - 1) continuous across the 65536 wrap. */
#define NETQ_MAX_CAP 32768u

/* Bytes of queue memory a capacity needs (64-bit: no overflow). */
static inline uint64_t net_queue_bytes(uint64_t cap) { return NETQ_SLOTS + 16 * cap; }

#endif
