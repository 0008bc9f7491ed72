// SPDX-License-Identifier: BSD-2-Clause
/* Looking a module up in modules.builtin; see modbuiltin.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cmdline.h"
#include "modbuiltin.h"

/* Whether line (a path, without its newline) names module `name`. */
static int names(const char *line, size_t len, const char *name)
{
	const char *b = memrchr(line, '/', len);
	size_t n;

	b = b ? b + 1 : line;
	n = (size_t)(line + len - b);
	if (n > 3 && !memcmp(b + n - 3, ".ko", 3))
		n -= 3;
	return n == strlen(name) && modname_eq(b, name, (long)n);
}

int module_builtin(const char *dir, const char *name)
{
	char path[512], buf[4096];
	size_t have = 0;
	int fd, found = 0;

	if (snprintf(path, sizeof(path), "%s/modules.builtin", dir) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t r = read(fd, buf + have, sizeof(buf) - have);
		char *p = buf, *nl;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			found = -errno;
			break;
		}
		have += (size_t)r;
		/* at the end, a last line without its newline */
		if (!r && have && have < sizeof(buf))
			buf[have++] = '\n';
		while (!found && (nl = memchr(p, '\n', have - (size_t)(p - buf)))) {
			found = names(p, (size_t)(nl - p), name);
			p = nl + 1;
		}
		if (found || !r)
			break;
		have -= (size_t)(p - buf);
		if (have == sizeof(buf))	/* a line longer than any path: skip it */
			have = 0;
		memmove(buf, p, have);
	}
	close(fd);
	return found;
}
