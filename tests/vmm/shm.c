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
	trace("layout: %-8s gpa 0x%llx size 0x%llx", what, (unsigned long long)(w->gpa + off),
	      (unsigned long long)size);
	return off;
}

void shm_skip(struct shm_win *w, uint64_t size)
{
	w->used += round_up(size, PAGE);
}
