// SPDX-License-Identifier: BSD-2-Clause
/* newc archive writer; see archive.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "archive.h"
#include "cpio.h"
#include "util.h"

/* Copy exactly `size` bytes of `path` into the archive. */
static int copy_file(struct ostream *os, const struct entry *e, const char *path)
{
	static char buf[1 << 16];
	uint64_t left = e->size;
	int fd = open_input(path), r = -1;

	if (fd < 0) {
		perr("cannot read '%s' for %s: %s", path, e->name, input_error());
		return -1;
	}
	while (left) {
		ssize_t n = read(fd, buf, left < sizeof(buf) ? (size_t)left : sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			perr("cannot read '%s' for %s: %s", path, e->name, strerror(errno));
			goto out;
		}
		if (n == 0) {
			perr("'%s' for %s shrank while being packed (expected %llu bytes)", path,
			     e->name, (unsigned long long)e->size);
			goto out;
		}
		if (os_write(os, buf, (size_t)n))
			goto out;
		left -= (uint64_t)n;
	}
	if (read(fd, buf, 1) != 0) {
		perr("'%s' for %s grew while being packed (expected %llu bytes)", path, e->name,
		     (unsigned long long)e->size);
		goto out;
	}
	r = 0;
out:
	close(fd);
	return r;
}

int archive_write(const struct spec *s, uint32_t mtime, struct ostream *os)
{
	uint32_t *ino = xmalloc(sizeof(*ino) * (size_t)(s->n ? s->n : 1)), next = 1;
	int r = -1;

	for (int i = 0; i < s->n; i++) {
		const struct entry *e = &s->e[i];
		int grouped = e->link_first >= 0;
		int last = !grouped || i == e->link_first + e->nlinks - 1;
		struct cpio_hdr h = {
			.mode = e->mode, .uid = e->uid, .gid = e->gid, .mtime = mtime,
			.nlink = S_ISDIR(e->mode) ? 2 : (uint32_t)e->nlinks,
			.rdevmajor = e->rmajor, .rdevminor = e->rminor,
		};
		ino[i] = grouped && i != e->link_first ? ino[e->link_first] : next++;
		h.ino = ino[i];
		/* Regular files and symlinks carry data; of a hard-link group, the last name. */
		if (S_ISREG(e->mode) && last)
			h.filesize = (uint32_t)e->size;
		else if (S_ISLNK(e->mode))
			h.filesize = (uint32_t)strlen(e->target);
		if (cpio_write_header(os, &h, e->name + 1))
			goto out;
		if (h.filesize) {
			if (e->target)
				r = os_write(os, e->target, h.filesize);
			else if (e->data)
				r = os_write(os, e->data, h.filesize);
			else
				r = copy_file(os, e, s->e[grouped ? e->link_first : i].src);
			if (r || cpio_write_pad(os, h.filesize)) {
				r = -1;
				goto out;
			}
		}
	}
	r = cpio_write_trailer(os);
out:
	free(ino);
	return r;
}
