/* SPDX-License-Identifier: BSD-2-Clause */
/* The shared-memory window: a file in /dev/shm that QEMU maps as guest RAM of NUMA node
 * 1 (memory-backend-file, share=on) and the simulator maps too, so both see the same
 * bytes, as the VMM and the driver VM share memory regions on seL4. A bump allocator
 * lays regions out in it. */
#ifndef VMM_SHM_H
#define VMM_SHM_H
#include <stdint.h>

#define PAGE 4096u
#define SHM_MAX_REGIONS 32

struct shm_win {
	char path[256];
	int fd;
	uint8_t *mem;     /* host mapping of the whole window */
	uint64_t size;
	uint64_t gpa;     /* guest-physical address of byte 0 */
	uint64_t used;    /* allocator: bytes handed out so far */
	/* the regions handed out, for shm_seal (holes and the tail are the rest) */
	struct { uint64_t off, size; } region[SHM_MAX_REGIONS];
	int nregion;
};

/* Create DIR/window (size bytes, zero-filled) and map it; gpa is where the guest sees
 * it. Registered for clean-up. */
void shm_create(struct shm_win *w, const char *dir, uint64_t size, uint64_t gpa);

/* Reserve size bytes aligned to align (a power of two, >= PAGE) and return the offset
 * into the window; dies naming what did not fit. */
uint64_t shm_alloc(struct shm_win *w, const char *what, uint64_t size, uint64_t align);

/* Skip size bytes (a deliberate hole between regions). */
void shm_skip(struct shm_win *w, uint64_t size);

/* Fill every byte of the window outside the regions handed out (alignment gaps, holes,
 * the unused tail) with a pattern before the boot; shm_check_sealed then reports
 * (PASS/FAIL "window: ...") whether anything wrote there: QEMU loading boot images into
 * the window, or the guest using window pages as RAM. */
void shm_seal(struct shm_win *w);
void shm_check_sealed(const struct shm_win *w);

static inline void *shm_ptr(const struct shm_win *w, uint64_t off) { return w->mem + off; }
static inline uint64_t shm_gpa(const struct shm_win *w, uint64_t off) { return w->gpa + off; }

static inline uint64_t round_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

#endif
