/* The shared-memory window: a file in /dev/shm that QEMU maps as guest RAM of NUMA node
 * 1 (memory-backend-file, share=on) and the simulator maps too, so both see the same
 * bytes, as the VMM and the driver VM share memory regions on seL4. A bump allocator
 * lays regions out in it. */
#ifndef VMM_SHM_H
#define VMM_SHM_H
#include <stdint.h>

#define PAGE 4096u

struct shm_win {
	char path[256];
	int fd;
	uint8_t *mem;     /* host mapping of the whole window */
	uint64_t size;
	uint64_t gpa;     /* guest-physical address of byte 0 */
	uint64_t used;    /* allocator: bytes handed out so far */
};

/* Create DIR/window (size bytes, zero-filled) and map it; gpa is where the guest sees
 * it. Registered for clean-up. */
void shm_create(struct shm_win *w, const char *dir, uint64_t size, uint64_t gpa);

/* Reserve size bytes aligned to align (a power of two, >= PAGE) and return the offset
 * into the window; dies naming what did not fit. */
uint64_t shm_alloc(struct shm_win *w, const char *what, uint64_t size, uint64_t align);

/* Skip size bytes (a deliberate hole between regions). */
void shm_skip(struct shm_win *w, uint64_t size);

static inline void *shm_ptr(const struct shm_win *w, uint64_t off) { return w->mem + off; }
static inline uint64_t shm_gpa(const struct shm_win *w, uint64_t off) { return w->gpa + off; }

static inline uint64_t round_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

#endif
