// SPDX-License-Identifier: BSD-2-Clause
/* The restart journal. The driver may be SIGKILLed at any instruction and restarted
 * while the shared memory lives on. Publishing a batch of n responses is:
 *   1. journal: busy = 1 with (request head H, response tail T, n)
 *   2. write the n response slots
 *   3. response tail = T + n        (the peer may consume them from here on)
 *   4. request head = H + n         (the requests leave the queue)
 *   5. journal: busy = 0
 * A kill before 3 leaves the requests in the queue: the next instance serves them again
 * and answers them once. A kill between 3 and 4 is the dangerous window: answered but
 * still queued. The journal, a page of a MAP_SHARED file on tmpfs, survives the process
 * and tells the next instance to finish step 4 instead of answering again. Without
 * tmpfs the file lives on the initramfs root (ramfs), and without file locking
 * core/lockfile.c keeps one driver per journal. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "blk.h"
#include "iomem.h"
#include "lockfile.h"
#include "log.h"

#define JOURNAL_SIZE 4096
_Static_assert(sizeof(struct blk_journal) <= JOURNAL_SIZE, "journal page");

struct blk_journal *blk_journal_open(const char *path, int *busy)
{
	struct stat st;
	void *p;
	int fd, r, owner;

	*busy = 0;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 && errno == ENOENT && !strncmp(path, "/tmp/", 5) && !strchr(path + 5, '/')) {
		/* no /tmp (no tmpfs mounted there, none in the rootfs): the initramfs root
		 * is RAM too, and writable. Only for /tmp: a PATH given elsewhere is meant. */
		const char *alt = path + 4;
		warn("journal %s: %m; using %s on the initramfs root", path, alt);
		path = alt;
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	}
	if (fd < 0) {
		warn("journal %s: %m", path);
		return 0;
	}
	/* One driver per queue pair: the lock dies with its holder, even on SIGKILL. */
	r = lock_take(fd, path, &owner);
	if (r) {
		if (r == -EWOULDBLOCK) {
			if (owner)
				err("journal %s locked: another uio_blk runs (pid %d)", path, owner);
			else
				err("journal %s locked: another uio_blk runs", path);
			*busy = 1;
		} else {
			warn("journal %s: cannot lock: %s", path, strerror(-r));
		}
		close(fd);
		return 0;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (st.st_size < JOURNAL_SIZE && ftruncate(fd, JOURNAL_SIZE))) {
		warn("journal %s: unusable", path);
		close(fd);
		return 0;
	}
	p = mmap(NULL, JOURNAL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		warn("journal %s: %m", path);
		close(fd);
		return 0;
	}
	/* fd stays open: it holds the lock for our lifetime. */
	return p;
}

uint32_t blk_journal_recover(struct blk_journal *j, const struct blk_shm *s, uint32_t head,
			     uint32_t tail, int *fix)
{
	*fix = 0;
	if (j->magic != BLK_JOURNAL_MAGIC || j->version != 1 || j->req_addr != s->req_addr ||
	    j->resp_addr != s->resp_addr || j->req_cap != s->req_cap ||
	    j->resp_cap != s->resp_cap) {
		uint32_t notify = j->notify;
		memset(j, 0, sizeof(*j));
		j->magic = BLK_JOURNAL_MAGIC;
		j->version = 1;
		j->req_addr = s->req_addr;
		j->resp_addr = s->resp_addr;
		j->req_cap = s->req_cap;
		j->resp_cap = s->resp_cap;
		j->notify = notify;
		return head;
	}
	if (j->busy) {
		uint32_t h = j->head, t = j->tail, n = j->n;

		if (head == h && tail == t + n) {
			info("restart: %u answers published, head %u -> %u", n, head, h + n);
			head = h + n;
			*fix = 1;
			/* Step 4, then 5: a kill in between repeats this, harmlessly. */
			io_store32_rel(s->req + BLK_Q_HEAD, head);
		} else if (head == h && tail == t) {
			info("restart: %u answers unpublished, redoing", n);
		} else if (!(head == h + n && tail == t + n)) {
			warn("journal %u/%u+%u disagrees with queues %u/%u", h, t, n, head, tail);
		}
		__atomic_store_n(&j->busy, 0, __ATOMIC_RELEASE);
	}
	return head;
}
