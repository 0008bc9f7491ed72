// SPDX-License-Identifier: BSD-2-Clause
/* Output files that never harm what they are pointed at; see wfile.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util.h"
#include "wfile.h"

#define MAX_TMP 16
#define MAX_LINKS 40		/* symlinks followed, like the kernel's limit */

/* The temporary files that exist now, removed if a signal arrives; the handlers are
 * ours only while there are any (the caller's are restored, and called after ours). */
static char *volatile tmps[MAX_TMP];
static int ntmps;
static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction old[3];

static void on_signal(int sig)
{
	for (int i = 0; i < MAX_TMP; i++)
		if (tmps[i])
			unlink(tmps[i]);
	for (int i = 0; i < 3; i++)
		if (sigs[i] == sig) {
			sigaction(sig, &old[i], NULL);
			if (old[i].sa_handler != SIG_DFL && old[i].sa_handler != SIG_IGN) {
				old[i].sa_handler(sig);
				return;
			}
		}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void track(char *t, int add)
{
	if (add && !ntmps++) {
		struct sigaction sa = { .sa_handler = on_signal };
		for (int i = 0; i < 3; i++)
			sigaction(sigs[i], &sa, &old[i]);
	}
	for (int i = 0; i < MAX_TMP; i++)
		if (add ? !tmps[i] : tmps[i] == t) {
			tmps[i] = add ? t : NULL;
			break;
		}
	if (!add && !--ntmps)
		for (int i = 0; i < 3; i++)
			sigaction(sigs[i], &old[i], NULL);
}

/* Follow symlinks to the path that is really written (which may not exist yet). */
static char *resolve(const char *path)
{
	char *p = xstrdup(path);
	for (int n = 0;; n++) {
		struct stat st;
		char buf[PATH_MAX];
		if (lstat(p, &st) || !S_ISLNK(st.st_mode))
			return p;
		if (n == MAX_LINKS) {
			perr("cannot write %s: more than %d levels of symlinks", path, MAX_LINKS);
			free(p);
			return NULL;
		}
		ssize_t l = readlink(p, buf, sizeof(buf) - 1);
		if (l < 0) {
			perr("cannot write %s: readlink %s: %s", path, p, strerror(errno));
			free(p);
			return NULL;
		}
		buf[l] = 0;
		const char *slash = strrchr(p, '/');
		char *q = buf[0] == '/' || !slash ? xstrdup(buf) :
			xasprintf("%.*s/%s", (int)(slash - p), p, buf);
		free(p);
		p = q;
	}
}

static const char *kind(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISSOCK(m) ? "a socket" : S_ISCHR(m) ?
		"a character device" : S_ISBLK(m) ? "a block device" : S_ISFIFO(m) ? "a FIFO" :
		"not a regular file";
}

int wout_open(struct wout *w, const char *path)
{
	struct stat st;
	mode_t um;

	memset(w, 0, sizeof(*w));
	w->fd = -1;
	w->path = xstrdup(strcmp(path, "-") ? path : "standard output");
	if (!strcmp(path, "-")) {
		w->final = xstrdup("-");
		w->fd = 1;
		return 0;
	}
	if (!(w->final = resolve(path)))
		goto fail;
	if (!stat(w->final, &st) && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode) || S_ISSOCK(st.st_mode)) {
			perr("cannot write %s: it is %s", path, kind(st.st_mode));
			goto fail;
		}
		/* A device or a FIFO: written through, never replaced. */
		w->fd = open(w->final, O_WRONLY | O_CLOEXEC | O_NOCTTY);
		if (w->fd < 0) {
			perr("cannot open %s (%s) for writing: %s", path, kind(st.st_mode),
			     strerror(errno));
			goto fail;
		}
		w->close_fd = 1;
		return 0;
	}
	const char *slash = strrchr(w->final, '/');
	w->tmp = slash ? xasprintf("%.*s/.%s.XXXXXX", (int)(slash - w->final), w->final, slash + 1) :
		xasprintf(".%s.XXXXXX", w->final);
	um = umask(0);
	umask(um);
	track(w->tmp, 1);
	w->fd = mkstemp(w->tmp);
	if (w->fd < 0) {
		int e = errno;
		char *dir = slash ? xasprintf("%.*s", (int)(slash - w->final + (slash == w->final)),
					      w->final) : xstrdup(".");
		perr("cannot create a temporary file in %s for %s: %s", dir, path, strerror(e));
		free(dir);
		track(w->tmp, 0);
		goto fail;
	}
	w->close_fd = 1;
	if (fchmod(w->fd, 0666 & ~um)) {
		perr("cannot set the mode of %s: %s", w->tmp, strerror(errno));
		wout_abort(w);
		return -1;
	}
	return 0;
fail:
	free(w->tmp);
	free(w->final);
	free(w->path);
	memset(w, 0, sizeof(*w));
	w->fd = -1;
	return -1;
}

int wout_write(struct wout *w, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(w->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			perr("cannot write %s: %s", w->path, n < 0 ? strerror(errno) : "no space");
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void release(struct wout *w)
{
	if (w->tmp) {
		track(w->tmp, 0);
		free(w->tmp);
	}
	free(w->final);
	free(w->path);
	memset(w, 0, sizeof(*w));
	w->fd = -1;
}

/* Everything but the rename: data on disk, descriptor closed. */
static int flush(struct wout *w)
{
	if (!w->tmp) {
		/* written through: a FIFO or a terminal cannot fsync, which is fine */
		if (w->close_fd && close(w->fd)) {
			w->fd = -1;
			perr("cannot write %s: %s", w->path, strerror(errno));
			return -1;
		}
		w->fd = -1;
		return 0;
	}
	if (fsync(w->fd) || close(w->fd)) {
		w->fd = -1;
		perr("cannot write %s: %s", w->path, strerror(errno));
		return -1;
	}
	w->fd = -1;
	return 0;
}

static int place(struct wout *w)
{
	if (w->tmp) {
		if (rename(w->tmp, w->final)) {
			perr("cannot rename %s to %s: %s", w->tmp, w->final, strerror(errno));
			return -1;
		}
		/* make the rename itself durable */
		const char *slash = strrchr(w->final, '/');
		char *dir = slash ? xasprintf("%.*s", (int)(slash - w->final + (slash == w->final)),
					      w->final) : xstrdup(".");
		int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
		free(dir);
	}
	return 0;
}

int wout_commit(struct wout *w)
{
	int r = flush(w) || place(w) ? -1 : 0;
	if (r)
		wout_abort(w);
	else
		release(w);
	return r;
}

void wout_abort(struct wout *w)
{
	if (w->fd >= 0 && w->close_fd)
		close(w->fd);
	w->fd = -1;
	if (w->tmp)
		unlink(w->tmp);
	release(w);
}

int write_file_atomic(const char *path, const void *data, size_t len)
{
	return write_files_atomic(1, &path, &data, &len);
}

int write_files_atomic(int n, const char *const *paths, const void *const *data,
		       const size_t *len)
{
	struct wout w[MAX_TMP];
	int i, k = 0, r = -1;

	if (n > MAX_TMP) {
		perr("internal error: %d outputs in one set", n);
		return -1;
	}
	for (k = 0; k < n; k++)
		if (wout_open(&w[k], paths[k]) || wout_write(&w[k], data[k], len[k]) ||
		    flush(&w[k])) {
			if (w[k].path)
				wout_abort(&w[k]);
			goto out;
		}
	/* Every file is on disk: now put them all in place. */
	for (i = 0; i < n; i++)
		if (place(&w[i]))
			goto out;
	r = 0;
out:
	for (i = 0; i < k; i++)
		r ? wout_abort(&w[i]) : release(&w[i]);
	return r;
}
