// SPDX-License-Identifier: BSD-2-Clause
/* Loading the device tree: a DTB as is, a DTS through dtc (run as a child process,
 * its output read from a pipe). */
#include <errno.h>
#include <libfdt.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "dtb.h"
#include "util.h"

#define DTB_FILE_MAX (64u << 20)

extern char **environ;

/* Run dtc on a DTS file; returns the blob (malloc'd) or NULL (reported). */
static char *run_dtc(const char *path, size_t *len)
{
	char *argv[] = { "dtc", "-q", "-I", "dts", "-O", "dtb", "-o", "-", (char *)path, NULL };
	posix_spawn_file_actions_t fa;
	size_t cap = 65536, n = 0;
	char *buf = NULL;
	int p[2], st, err;
	pid_t pid;

	if (pipe(p)) {
		perr("pipe: %s", strerror(errno));
		return NULL;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addclose(&fa, p[0]);
	posix_spawn_file_actions_addclose(&fa, p[1]);
	err = posix_spawnp(&pid, "dtc", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (err) {
		close(p[0]);
		perr("%s is not a DTB, and running dtc to compile it failed: %s "
		     "(install device-tree-compiler)", path, strerror(err));
		return NULL;
	}
	buf = xmalloc(cap);
	for (;;) {
		if (n == cap)
			buf = xrealloc(buf, cap *= 2);
		ssize_t r = read(p[0], buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
		if (n > DTB_FILE_MAX)
			break;
	}
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st) || n > DTB_FILE_MAX) {
		perr("dtc failed to compile %s (%s %d)", path,
		     WIFEXITED(st) ? "exit status" : "signal",
		     WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* The structure block's tags, walked once with a bound before libfdt's own check:
 * fdt_check_full() of libfdt 1.6.1 loops for ever on a blob whose tags do not move
 * forward (found by the pack_dtb fuzz target). Here every step must advance, at most
 * one step per 4 bytes of the block. 0, or a negative libfdt error. */
static int tags_advance(const void *fdt)
{
	int off = 0, next = 0, steps = 0, max = (int)(fdt_size_dt_struct(fdt) / 4) + 1;

	for (;;) {
		uint32_t tag = fdt_next_tag(fdt, off, &next);

		if (next < 0)
			return next;
		if (tag == FDT_END)
			return 0;
		if (next <= off || ++steps > max)
			return -FDT_ERR_BADSTRUCTURE;
		off = next;
	}
}

int dtb_check(const void *buf, size_t len, const char *name)
{
	int r;

	if (len < sizeof(struct fdt_header)) {
		perr("%s: not a valid DTB: %zu bytes, shorter than the header", name, len);
		return -1;
	}
	/* Versions before 16 (node names as full paths) are refused before libfdt sees
	 * them: fdt_check_full() of libfdt 1.6.1 reads through a NULL pointer on some
	 * such blobs (found by the pack_dtb fuzz target). dtc and QEMU write 17. */
	if (fdt_version(buf) < 16) {
		perr("%s: not a usable DTB: version %u (dvm-pack reads versions 16 and 17, as "
		     "dtc writes them)", name, fdt_version(buf));
		return -1;
	}
	if ((r = fdt_check_header(buf)) || fdt_totalsize(buf) > len || (r = tags_advance(buf)) ||
	    (r = fdt_check_full(buf, len))) {
		perr("%s: not a valid DTB: %s", name,
		     r ? fdt_strerror(r) : "totalsize is larger than the file");
		return -1;
	}
	return 0;
}

int dtb_load(const char *path, struct dtb *d)
{
	size_t len;
	char *buf;
	int r;

	memset(d, 0, sizeof(*d));
	d->name = path;
	buf = read_file(path, DTB_FILE_MAX, &len);
	if (!buf) {
		perr("cannot read device tree %s: %s", path, input_error());
		return -1;
	}
	if (len < 4 || fdt_magic(buf) != FDT_MAGIC) {
		/* DTS is text: binary data is a damaged or foreign blob, not a DTS for dtc */
		if (memchr(buf, 0, len)) {
			perr("%s: not a DTB (magic 0x%08x, expected 0x%08x) and not a DTS (binary "
			     "data: holds NUL bytes)", path, len >= 4 ? fdt_magic(buf) : 0,
			     FDT_MAGIC);
			free(buf);
			return -1;
		}
		free(buf);
		if (!(buf = run_dtc(path, &len)))
			return -1;
	}
	if (dtb_check(buf, len, path)) {
		free(buf);
		return -1;
	}
	/* Start with exactly the blob's size: patching grows it on demand. */
	d->cap = fdt_totalsize(buf);
	d->fdt = buf;
	if ((r = fdt_open_into(buf, d->fdt, (int)d->cap))) {
		perr("%s: %s", path, fdt_strerror(r));
		dtb_free(d);
		return -1;
	}
	return 0;
}

void dtb_free(struct dtb *d)
{
	free(d->fdt);
	d->fdt = NULL;
}
