// SPDX-License-Identifier: BSD-2-Clause
/* The shared-memory window and its layout allocator; see shm.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "shm.h"
#include "util.h"

void shm_create(struct shm_win *w, const char *dir, uint64_t size, uint64_t gpa)
{
	memset(w, 0, sizeof(*w));
	if (size % (2u << 20))
		die("shared window size %llu is not a multiple of 2 MiB",
		    (unsigned long long)size);
	snprintf(w->path, sizeof(w->path), "%s/window", dir);
	w->fd = open(w->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (w->fd < 0)
		die("cannot create %s: %s", w->path, strerror(errno));
	cleanup_file(w->path);
	if (ftruncate(w->fd, (off_t)size))
		die("cannot size %s to %llu bytes: %s", w->path, (unsigned long long)size,
		    strerror(errno));
	w->mem = mmap(0, size, PROT_READ | PROT_WRITE, MAP_SHARED, w->fd, 0);
	if (w->mem == MAP_FAILED)
		die("cannot map %s: %s", w->path, strerror(errno));
	w->size = size;
	w->gpa = gpa;
}

uint64_t shm_alloc(struct shm_win *w, const char *what, uint64_t size, uint64_t align)
{
	uint64_t off = round_up(w->used, align);

	size = round_up(size, PAGE);
	if (off > w->size || size > w->size - off)
		die("shared window (%llu KiB) too small for %s (%llu KiB at offset %llu KiB): "
		    "raise --window", (unsigned long long)w->size >> 10, what,
		    (unsigned long long)size >> 10, (unsigned long long)off >> 10);
	w->used = off + size;
	if (w->nregion == SHM_MAX_REGIONS)
		die("shared window: more than %d regions", SHM_MAX_REGIONS);
	w->region[w->nregion].off = off;
	w->region[w->nregion++].size = size;
	trace("layout: %-8s gpa 0x%llx size 0x%llx", what, (unsigned long long)(w->gpa + off),
	      (unsigned long long)size);
	return off;
}

void shm_skip(struct shm_win *w, uint64_t size)
{
	w->used += round_up(size, PAGE);
}

/* The pattern word for a window offset: never 0, and differing page to page, so a page
 * copied elsewhere in the window is caught too. */
static uint64_t seal_word(uint64_t off)
{
	return 0x5ea1ed0000000000ull | (off >> 3);
}

static int in_region(const struct shm_win *w, uint64_t off)
{
	for (int i = 0; i < w->nregion; i++)
		if (off - w->region[i].off < w->region[i].size)
			return 1;
	return 0;
}

/* Regions are whole pages: one look-up per page. */
void shm_seal(struct shm_win *w)
{
	uint64_t *p = (uint64_t *)w->mem;

	for (uint64_t pg = 0; pg < w->size; pg += PAGE)
		if (!in_region(w, pg))
			for (uint64_t off = pg; off < pg + PAGE; off += 8)
				p[off / 8] = seal_word(off);
}

void shm_check_sealed(const struct shm_win *w)
{
	const uint64_t *p = (const uint64_t *)w->mem;
	uint64_t first = ~0ull, last = 0, bytes = 0, sealed = 0;

	for (uint64_t pg = 0; pg < w->size; pg += PAGE) {
		if (in_region(w, pg))
			continue;
		sealed += PAGE;
		for (uint64_t off = pg; off < pg + PAGE; off += 8)
			if (p[off / 8] != seal_word(off)) {
				if (first == ~0ull)
					first = off;
				last = off;
				bytes += 8;
			}
	}
	if (bytes)
		fail("window", "%llu bytes outside the regions were written, in gpa 0x%llx-0x%llx "
		     "(boot images placed there by QEMU, or window pages used as guest RAM)",
		     (unsigned long long)bytes, (unsigned long long)(w->gpa + first),
		     (unsigned long long)(w->gpa + last + 8));
	else
		pass("window", "the %llu KiB outside the regions are untouched",
		     (unsigned long long)sealed >> 10);
}
