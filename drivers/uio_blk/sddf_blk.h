/* SPDX-License-Identifier: BSD-2-Clause */
/* sDDF 0.7 block protocol as it lies in shared memory (include/sddf/blk/queue.h and
 * storage_info.h of sDDF 0.7.0). Every offset is pinned below; the structs are only ever
 * copied in and out of the maps with iomem_copy, never dereferenced in place. */
#ifndef UIO_BLK_SDDF_BLK_H
#define UIO_BLK_SDDF_BLK_H
#include <stddef.h>
#include <stdint.h>

#define BLK_TRANSFER_SIZE 4096u /* unit of block_number, count, success_count, capacity */
#define BLK_STORAGE_INFO_REGION_SIZE 0x1000u

enum { BLK_REQ_READ = 0, BLK_REQ_WRITE = 1, BLK_REQ_FLUSH = 2, BLK_REQ_BARRIER = 3 };
enum {
	BLK_RESP_OK = 0,
	BLK_RESP_ERR_UNSPEC = 1,
	BLK_RESP_ERR_INVALID_PARAM = 2,
	BLK_RESP_ERR_IO = 3,
	BLK_RESP_ERR_NO_DEVICE = 4,
};

typedef struct blk_req {
	uint32_t code;         /* enum, 4 bytes */
	uint64_t io_or_offset; /* physical address of the buffer (or legacy offset) */
	uint64_t block_number;
	uint16_t count;
	uint32_t id;
} blk_req_t;

typedef struct blk_resp {
	uint32_t status;
	uint16_t success_count;
	uint32_t id;
} blk_resp_t;

/* Queue headers; the slot arrays follow at BLK_REQ_SLOTS / BLK_RESP_SLOTS. head and tail
 * are free-running counters; slot = index % capacity; the capacity is configuration,
 * not stored. */
#define BLK_Q_HEAD 0
#define BLK_Q_TAIL 4
#define BLK_Q_PLUGGED 8 /* request queue only, a bool */
#define BLK_REQ_SLOTS 16
#define BLK_RESP_SLOTS 8

typedef struct blk_storage_info {
	char serial_number[64];
	uint8_t read_only;
	uint8_t ready;
	uint16_t sector_size;  /* bytes */
	uint16_t block_size;   /* in BLK_TRANSFER_SIZE units */
	uint16_t queue_depth;
	uint16_t cylinders, heads, blocks;
	uint64_t capacity;     /* in BLK_TRANSFER_SIZE units */
} blk_storage_info_t;

_Static_assert(sizeof(blk_req_t) == 32 && _Alignof(blk_req_t) == 8, "blk_req_t");
_Static_assert(offsetof(blk_req_t, code) == 0, "code");
_Static_assert(offsetof(blk_req_t, io_or_offset) == 8, "io_or_offset");
_Static_assert(offsetof(blk_req_t, block_number) == 16, "block_number");
_Static_assert(offsetof(blk_req_t, count) == 24, "count");
_Static_assert(offsetof(blk_req_t, id) == 28, "id");
_Static_assert(sizeof(blk_resp_t) == 12, "blk_resp_t");
_Static_assert(offsetof(blk_resp_t, status) == 0, "status");
_Static_assert(offsetof(blk_resp_t, success_count) == 4, "success_count");
_Static_assert(offsetof(blk_resp_t, id) == 8, "resp id");
_Static_assert(sizeof(blk_storage_info_t) == 88, "blk_storage_info_t");
_Static_assert(offsetof(blk_storage_info_t, read_only) == 64, "read_only");
_Static_assert(offsetof(blk_storage_info_t, ready) == 65, "ready");
_Static_assert(offsetof(blk_storage_info_t, sector_size) == 66, "sector_size");
_Static_assert(offsetof(blk_storage_info_t, block_size) == 68, "block_size");
_Static_assert(offsetof(blk_storage_info_t, queue_depth) == 70, "queue_depth");
_Static_assert(offsetof(blk_storage_info_t, cylinders) == 72, "cylinders");
_Static_assert(offsetof(blk_storage_info_t, heads) == 74, "heads");
_Static_assert(offsetof(blk_storage_info_t, blocks) == 76, "blocks");
_Static_assert(offsetof(blk_storage_info_t, capacity) == 80, "capacity");

/* Bytes of queue memory a capacity needs (64-bit: no overflow for any u32 cap). */
static inline uint64_t blk_req_queue_bytes(uint64_t cap) { return BLK_REQ_SLOTS + 32 * cap; }
static inline uint64_t blk_resp_queue_bytes(uint64_t cap) { return BLK_RESP_SLOTS + 12 * cap; }

#endif
