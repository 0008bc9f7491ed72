// SPDX-License-Identifier: BSD-2-Clause
/* Fake sysfs/dev tree for UIO tests; see fake_sysfs.h. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fake_sysfs.h"

static char root[64];

const char *fake_root(void)
{
	fake_cleanup();
	strcpy(root, "/tmp/dvm-uio-XXXXXX");
	if (!mkdtemp(root))
		abort();
	return root;
}

static void mkdirs(const char *path)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			mkdir(buf, 0755);
			*p = '/';
		}
}

void fake_write(const char *rel, const char *content)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	mkdirs(path);
	f = fopen(path, "w");
	if (!f)
		abort();
	fputs(content, f);
	fclose(f);
}

void fake_dev(int n, const char *name, uint64_t bytes, int fifo)
{
	char rel[128], path[512], val[80];
	int fd;

	snprintf(rel, sizeof(rel), "sys/class/uio/uio%d/name", n);
	snprintf(val, sizeof(val), "%s\n", name);
	fake_write(rel, val);
	snprintf(path, sizeof(path), "%s/dev/uio%d", root, n);
	mkdirs(path);
	if (fifo) {
		if (mkfifo(path, 0600))
			abort();
		snprintf(path, sizeof(path), "%s/dev/uio%d.maps", root, n);
	}
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, (off_t)bytes))
		abort();
	close(fd);
}

void fake_map(int n, int m, const char *name, uint64_t addr, uint64_t size, uint64_t offset)
{
	char rel[128], val[64];

	snprintf(rel, sizeof(rel), "sys/class/uio/uio%d/maps/map%d/addr", n, m);
	snprintf(val, sizeof(val), "0x%016llx\n", (unsigned long long)addr);
	fake_write(rel, val);
	snprintf(rel, sizeof(rel), "sys/class/uio/uio%d/maps/map%d/size", n, m);
	snprintf(val, sizeof(val), "0x%016llx\n", (unsigned long long)size);
	fake_write(rel, val);
	snprintf(rel, sizeof(rel), "sys/class/uio/uio%d/maps/map%d/offset", n, m);
	snprintf(val, sizeof(val), "0x%llx\n", (unsigned long long)offset);
	fake_write(rel, val);
	if (name) {
		snprintf(rel, sizeof(rel), "sys/class/uio/uio%d/maps/map%d/name", n, m);
		snprintf(val, sizeof(val), "%s\n", name);
		fake_write(rel, val);
	}
}

void fake_compatible(int n, const char *second)
{
	char path[512], val[128];
	int len = snprintf(val, sizeof(val), "generic-uio%c%s", 0, second ? second : "");
	FILE *f;

	snprintf(path, sizeof(path), "%s/sys/class/uio/uio%d/device/of_node/compatible", root, n);
	mkdirs(path);
	f = fopen(path, "w");
	if (!f || fwrite(val, 1, (size_t)len + (second ? 1 : 0), f) != (size_t)len + (second ? 1 : 0))
		abort();
	fclose(f);
}

void fake_region(int n, const char *node, const char *region, uint64_t addr, uint64_t size)
{
	long pg = getpagesize();

	fake_dev(n, node, size ? (size + (uint64_t)pg - 1) / (uint64_t)pg * (uint64_t)pg : 0, 0);
	fake_compatible(n, region);
	if (size)
		fake_map(n, 0, node, addr, size, 0);
}

void fake_cleanup(void)
{
	char cmd[128];

	if (!root[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd)) {
		/* best effort */
	}
	root[0] = 0;
}
