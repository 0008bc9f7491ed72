/* SPDX-License-Identifier: BSD-2-Clause */
/* Writing output files without harming what the path names. A regular file (or a path
 * that does not exist yet) is replaced atomically: a temporary file beside it, fsync,
 * rename. A symlink is followed (its target is what gets written). A device node or a
 * FIFO is written through, never replaced; "-" is standard output. A directory or a
 * socket is refused. Several outputs can be committed as a set: every temporary is
 * written first, and only then are they renamed. */
#ifndef PACK_WFILE_H
#define PACK_WFILE_H
#include <stddef.h>

struct wout {
	char *path;		/* as given, for messages */
	char *final;		/* the path written (symlinks resolved) */
	char *tmp;		/* the temporary file, or NULL when writing through */
	int fd;			/* -1 once committed or aborted */
	int close_fd;		/* 0 for standard output */
};

/* Open an output: 0, or -1 (reported, nothing created). SIGINT, SIGTERM and SIGHUP
 * remove the temporary files of every open output. */
int wout_open(struct wout *w, const char *path);
int wout_write(struct wout *w, const void *data, size_t len);
/* Flush to disk and put the file in place (rename over the old one). */
int wout_commit(struct wout *w);
/* Remove the temporary file, if any; an existing file stays as it was. */
void wout_abort(struct wout *w);

/* Write len bytes to path as above. 0 or -1 (reported). */
int write_file_atomic(const char *path, const void *data, size_t len);

/* Write n files as a set: all appear together, or (on any error) none changes.
 * 0 or -1 (reported). */
int write_files_atomic(int n, const char *const *paths, const void *const *data,
		       const size_t *len);

#endif
