/* SPDX-License-Identifier: BSD-2-Clause */
/* sDDF 0.7 block protocol as the simulated virtualiser sees it in shared memory
 * (include/sddf/blk/queue.h and storage_info.h of sDDF 0.7.0; facts sheet section 1).
 * Written independently of the driver's header so the simulator checks the layout
 * rather than sharing a mistake. */
#ifndef VMM_BLK_PROTO_H
#define VMM_BLK_PROTO_H
#include <stddef.h>
#include <stdint.h>

#define BLK_XFER 4096u  /* unit of block_number, count, success_count and capacity */

enum { REQ_READ = 0, REQ_WRITE = 1, REQ_FLUSH = 2, REQ_BARRIER = 3 };
enum { RESP_OK = 0, RESP_ERR_UNSPEC = 1, RESP_ERR_INVALID_PARAM = 2, RESP_ERR_IO = 3,
       RESP_ERR_NO_DEVICE = 4 };

struct sddf_req {
	uint32_t code;
	uint32_t pad0;
	uint64_t io_or_offset;
	uint64_t block_number;
	uint16_t count;
	uint16_t pad1;
	uint32_t id;
};

struct sddf_resp {
	uint32_t status;
	uint16_t success_count;
	uint16_t pad;
	uint32_t id;
};

/* Queue headers: head and tail are free-running u32 counters; slot = index % cap. */
#define Q_HEAD 0
#define Q_TAIL 4
#define Q_PLUGGED 8        /* request queue only */
#define REQ_SLOTS_OFF 16
#define RESP_SLOTS_OFF 8

struct sddf_info {
	char serial_number[64];
	uint8_t read_only;
	uint8_t ready;
	uint16_t sector_size;
	uint16_t block_size;   /* BLK_XFER units */
	uint16_t queue_depth;
	uint16_t cylinders, heads, blocks;
	uint64_t capacity;     /* BLK_XFER units */
};

_Static_assert(sizeof(struct sddf_req) == 32, "blk_req_t is 32 bytes");
_Static_assert(offsetof(struct sddf_req, io_or_offset) == 8, "io_or_offset at 8");
_Static_assert(offsetof(struct sddf_req, block_number) == 16, "block_number at 16");
_Static_assert(offsetof(struct sddf_req, count) == 24, "count at 24");
_Static_assert(offsetof(struct sddf_req, id) == 28, "id at 28");
_Static_assert(sizeof(struct sddf_resp) == 12, "blk_resp_t is 12 bytes");
_Static_assert(offsetof(struct sddf_resp, success_count) == 4, "success_count at 4");
_Static_assert(offsetof(struct sddf_resp, id) == 8, "resp id at 8");
_Static_assert(sizeof(struct sddf_info) == 88, "blk_storage_info_t is 88 bytes");
_Static_assert(offsetof(struct sddf_info, ready) == 65, "ready at 65");
_Static_assert(offsetof(struct sddf_info, queue_depth) == 70, "queue_depth at 70");
_Static_assert(offsetof(struct sddf_info, capacity) == 80, "capacity at 80");

static inline uint64_t req_queue_bytes(uint32_t cap) { return REQ_SLOTS_OFF + 32ull * cap; }
static inline uint64_t resp_queue_bytes(uint32_t cap) { return RESP_SLOTS_OFF + 12ull * cap; }

static inline const char *status_name(uint32_t s)
{
	static const char *const n[] = { "OK", "ERR_UNSPEC", "ERR_INVALID_PARAM", "ERR_IO",
					 "ERR_NO_DEVICE" };
	return s < 5 ? n[s] : "(unknown status)";
}

static inline const char *code_name(uint32_t c)
{
	static const char *const n[] = { "READ", "WRITE", "FLUSH", "BARRIER" };
	return c < 4 ? n[c] : "(unknown code)";
}

#endif
