// SPDX-License-Identifier: BSD-2-Clause
/* UIO device discovery, mapping and interrupts; see uio.h. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "log.h"
#include "uio.h"

const char *uio_root(void)
{
	const char *r = getenv("DVM_UIO_ROOT");
	return r ? r : "";
}

int uio_parse_hex(const char *s, uint64_t *v)
{
	char *end;

	/* strtoull alone would also take white space, a sign, or "0x" with no digits */
	if (!isxdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 16);
	return errno || end == s || (*end && strcmp(end, "\n")) ? -1 : 0;
}

/* Read a small sysfs file into buf without its trailing newline. Returns the length or
 * -errno. */
static int read_attr(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), len;

	if (fd < 0)
		return -errno;
	len = (int)read(fd, buf, n - 1);
	if (len < 0)
		len = -errno;
	close(fd);
	if (len < 0)
		return len;
	buf[len] = 0;
	if (len && buf[len - 1] == '\n')
		buf[--len] = 0;
	return len;
}

unsigned uio_pages(const char *root, int num)
{
	static const char pre[] = "dvm_uio pages=0x";
	char path[512], val[64], *s = val + sizeof(pre) - 1;
	size_t n;
	uint64_t v;

	snprintf(path, sizeof(path), "%s/sys/class/uio/uio%d/version", root, num);
	if (read_attr(path, val, sizeof(val)) < 0 || strncmp(val, pre, sizeof(pre) - 1))
		return 0;
	/* hex digits only: uio_parse_hex would also take a second "0x" */
	n = strspn(s, "0123456789abcdefABCDEF");
	if (!n || s[n] || uio_parse_hex(s, &v) || v > 0xffffffffu)
		return 0;
	return (unsigned)v;
}

void uio_region_name(const char *root, int num, char *buf, size_t n)
{
	char path[512], val[128];
	int len;

	snprintf(path, sizeof(path), "%s/sys/class/uio/uio%d/device/of_node/compatible", root,
		 num);
	len = read_attr(path, val, sizeof(val));
	/* NUL-separated strings: the region name is the second one */
	for (int i = 0; i + 1 < len; i++)
		if (!val[i]) {
			snprintf(buf, n, "%s", val + i + 1);
			return;
		}
	snprintf(path, sizeof(path), "%s/sys/class/uio/uio%d/name", root, num);
	if (read_attr(path, buf, n) < 0)
		buf[0] = 0;
}

static int find(const char *root, const char *name, int *nums, int max, int region)
{
	char path[512], val[UIO_NAME_MAX];
	struct dirent *e;
	int found = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/sys/class/uio", root);
	dir = opendir(path);
	if (!dir) {
		err("%s: %m", path);
		return -1;
	}
	while ((e = readdir(dir))) {
		char *end;
		long n;

		if (strncmp(e->d_name, "uio", 3))
			continue;
		n = strtol(e->d_name + 3, &end, 10);
		if (end == e->d_name + 3 || *end || n < 0 || n > 1000000)
			continue;
		snprintf(path, sizeof(path), "%s/sys/class/uio/%s/name", root, e->d_name);
		if (region)
			uio_region_name(root, (int)n, val, sizeof(val));
		else if (read_attr(path, val, sizeof(val)) < 0)
			continue;
		if (strcmp(val, name))
			continue;
		/* insertion keeps nums ascending */
		int i = found < max ? found : max;
		while (i > 0 && nums[i - 1] > n) {
			if (i < max)
				nums[i] = nums[i - 1];
			i--;
		}
		if (i < max)
			nums[i] = (int)n;
		found++;
	}
	closedir(dir);
	return found;
}

int uio_find(const char *root, const char *name, int *nums, int max)
{
	return find(root, name, nums, max, 0);
}

int uio_find_region(const char *root, const char *name, int *nums, int max)
{
	return find(root, name, nums, max, 1);
}

int uio_open_region(struct uio_dev *d, const char *root, const char *prefix,
		    const char *name, int maps, int required)
{
	char full[UIO_NAME_MAX];
	int num, n;

	/* sdfgen's limit, which also keeps the name inside full */
	if (strlen(prefix) + strlen(name) > 31) {
		err("region name '%s%s': more than 31 characters", prefix, name);
		return -1;
	}
	strcpy(full, prefix);
	strcat(full, name);
	n = find(root, full, &num, 1, 1);
	if (!n && required)
		err("no UIO device with the region name '%s'", full);
	if (n <= 0)
		return n || !required ? n : -1;
	if (n > 1) {
		err("%d UIO devices have the region name '%s' (must be unique)", n, full);
		return -1;
	}
	if (uio_open(d, root, num, O_NONBLOCK))
		return -1;
	if (d->nmaps != maps) {
		err("uio%d (%s): %d maps, expected %d", num, full, d->nmaps, maps);
		uio_close(d);
		return -1;
	}
	return 1;
}

static int map_attr(const char *root, int num, int m, const char *attr, uint64_t *v)
{
	char path[512], val[64];
	int r;

	snprintf(path, sizeof(path), "%s/sys/class/uio/uio%d/maps/map%d/%s", root, num, m, attr);
	r = read_attr(path, val, sizeof(val));
	if (r < 0) {
		err("%s: %s", path, strerror(-r));
		return -1;
	}
	if (uio_parse_hex(val, v)) {
		err("%s: bad value '%s'", path, val);
		return -1;
	}
	return 0;
}

int uio_open(struct uio_dev *d, const char *root, int num, int flags)
{
	char path[512];
	long page = getpagesize();

	struct stat st;
	int mfd, fake = 0;

	memset(d, 0, sizeof(*d));
	d->num = num;
	snprintf(path, sizeof(path), "%s/sys/class/uio/uio%d/name", root, num);
	if (read_attr(path, d->name, sizeof(d->name)) < 0)
		d->name[0] = 0;
	snprintf(path, sizeof(path), "%s/dev/uio%d", root, num);
	d->fd = d->ctl_fd = mfd = open(path, O_RDWR | O_CLOEXEC | flags);
	if (d->fd < 0) {
		err("%s: %m", path);
		return -1;
	}
	if (!fstat(d->fd, &st) && S_ISFIFO(st.st_mode)) {
		/* A simulator's fake device: see uio.h. */
		snprintf(path, sizeof(path), "%s/dev/uio%d.ctl", root, num);
		d->ctl_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
		snprintf(path, sizeof(path), "%s/dev/uio%d.maps", root, num);
		mfd = open(path, O_RDWR | O_CLOEXEC);
		fake = 1;
		if (d->ctl_fd < 0 || mfd < 0) {
			err("%s: %m", path);
			goto fail;
		}
	}
	/* The kernel creates map0.. without gaps, at most MAX_UIO_MAPS of them. */
	for (int m = 0; m < UIO_MAX_MAPS; m++) {
		struct uio_map *mp = &d->map[m];
		void *p;

		snprintf(path, sizeof(path), "%s/sys/class/uio/uio%d/maps/map%d", root, num, m);
		if (access(path, F_OK))
			break;
		if (map_attr(root, num, m, "addr", &mp->addr) ||
		    map_attr(root, num, m, "size", &mp->size) ||
		    map_attr(root, num, m, "offset", &mp->offset))
			goto fail;
		snprintf(path, sizeof(path), "%s/sys/class/uio/uio%d/maps/map%d/name", root, num, m);
		if (read_attr(path, mp->name, sizeof(mp->name)) < 0)
			mp->name[0] = 0;
		if (!mp->size || mp->offset >= (uint64_t)page ||
		    mp->size > (uint64_t)SIZE_MAX - (uint64_t)page) {
			err("uio%d map%d: bad size 0x%llx / offset 0x%llx", num, m,
			    (unsigned long long)mp->size, (unsigned long long)mp->offset);
			goto fail;
		}
		mp->len = (size_t)(mp->offset + mp->size);
		p = mmap(NULL, mp->len, PROT_READ | PROT_WRITE, MAP_SHARED, mfd,
			 fake ? (off_t)(mp->addr - mp->offset) : (off_t)m * page);
		if (p == MAP_FAILED) {
			err("uio%d map%d: mmap 0x%llx bytes: %m", num, m, (unsigned long long)mp->size);
			goto fail;
		}
		mp->base = p;
		mp->mem = (volatile uint8_t *)p + mp->offset;
		d->nmaps = m + 1;
	}
	if (mfd != d->fd)
		close(mfd);
	return 0;
fail:
	if (mfd >= 0 && mfd != d->fd)
		close(mfd);
	uio_close(d);
	return -1;
}

void uio_close(struct uio_dev *d)
{
	for (int m = 0; m < d->nmaps; m++)
		munmap(d->map[m].base, d->map[m].len);
	d->nmaps = 0;
	if (d->ctl_fd >= 0 && d->ctl_fd != d->fd)
		close(d->ctl_fd);
	if (d->fd >= 0)
		close(d->fd);
	d->fd = d->ctl_fd = -1;
}

int uio_map_index(const struct uio_dev *d, const char *name)
{
	for (int m = 0; m < d->nmaps; m++)
		if (!strcmp(d->map[m].name, name))
			return m;
	return -1;
}

int uio_pick_maps(const struct uio_dev *d, struct uio_want *w, int n)
{
	int named = 0;

	for (int i = 0; i < n; i++)
		if (uio_map_index(d, w[i].name) >= 0)
			named = 1;
	for (int i = 0; i < n; i++)
		w[i].idx = named ? uio_map_index(d, w[i].name)
			 : w[i].fallback >= 0 && w[i].fallback < d->nmaps ? w[i].fallback : -1;
	return named;
}

int uio_wait(int fd, uint32_t *count)
{
	for (;;) {
		ssize_t r = read(fd, count, sizeof(*count));
		if (r == sizeof(*count))
			return 0;
		if (r >= 0)
			return -EIO;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -errno;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			return -errno;
	}
}

static int irq_control(int fd, int32_t on)
{
	for (;;) {
		ssize_t r = write(fd, &on, sizeof(on));
		if (r == sizeof(on))
			return 0;
		if (r >= 0)
			return -EIO;
		if (errno != EINTR)
			return -errno;
	}
}

int uio_irq_enable(int fd)
{
	return irq_control(fd, 1);
}

int uio_irq_disable(int fd)
{
	return irq_control(fd, 0);
}

int uio_drain(int fd)
{
	int n = 0;

	/* Bounded: a real UIO fd is readable only while its count changed. */
	while (n < 64) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint32_t c;
		int r = poll(&p, 1, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (!r || !(p.revents & POLLIN))
			break;
		ssize_t l = read(fd, &c, sizeof(c));
		if (l < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (l != sizeof(c))
			return l < 0 ? -errno : -EIO;
		n++;
	}
	return n;
}
