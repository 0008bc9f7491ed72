/* Atomic output files for `dvm-pack layout` and `minram`; see wfile.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util.h"
#include "wfile.h"

static char *volatile tmp;	/* removed if a signal arrives while it exists */

static void on_signal(int sig)
{
	if (tmp)
		unlink(tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

int write_file_atomic(const char *path, const void *data, size_t len)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = on_signal }, old[3];
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xasprintf("%.*s", (int)(slash - path + (slash == path)), path) : xstrdup(".");
	char *t = xasprintf("%s/.%s.XXXXXX", dir, slash ? slash + 1 : path);
	const char *p = data;
	mode_t um = umask(0);
	int fd, r = -1, dfd;

	umask(um);
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	fd = mkstemp(t);
	if (fd < 0) {
		perr("cannot create a temporary file for %s: %s", path, strerror(errno));
		goto out;
	}
	tmp = t;
	if (fchmod(fd, 0666 & ~um))
		goto fail;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd))
		goto fail;
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(t, path))
		goto fail;
	tmp = NULL;
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(dfd);
		close(dfd);
	}
	r = 0;
	goto out;
fail:
	perr("cannot write %s: %s", path, strerror(errno ? errno : EIO));
	if (fd >= 0)
		close(fd);
	unlink(t);
	tmp = NULL;
out:
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	free(t);
	free(dir);
	return r;
}
