// SPDX-License-Identifier: BSD-2-Clause
/* Output (optionally gzip) and input (plain or gunzip) streams; see stream.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "stream.h"
#include "util.h"

#define BUFSZ 65536

int fd_sink_write(void *ctx, const void *buf, size_t n)
{
	struct fd_sink *s = ctx;
	const char *p = buf;
	while (n) {
		ssize_t w = write(s->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			perr("cannot write %s: %s", s->name, w < 0 ? strerror(errno) : "no space");
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int os_init(struct ostream *os, int gzip, sink_fn sink, void *ctx)
{
	memset(os, 0, sizeof(*os));
	os->sink = sink;
	os->ctx = ctx;
	os->gzip = gzip;
	if (!gzip)
		return 0;
	/* windowBits 15 + 16: gzip wrapper. The explicit header pins mtime 0 and OS 3 so
	 * the bytes do not depend on the build machine. */
	if (deflateInit2(&os->z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
		perr("zlib: cannot initialize deflate");
		return -1;
	}
	os->gzh.os = 3;
	deflateSetHeader(&os->z, &os->gzh);
	os->buf = xmalloc(BUFSZ);
	return 0;
}

/* Run deflate over the pending input with `flush`, handing every full buffer to the sink. */
static int pump(struct ostream *os, int flush)
{
	int r;
	do {
		os->z.next_out = os->buf;
		os->z.avail_out = BUFSZ;
		r = deflate(&os->z, flush);
		if (r == Z_STREAM_ERROR) {
			perr("zlib: deflate failed");
			return -1;
		}
		if (os->z.avail_out < BUFSZ &&
		    os->sink(os->ctx, os->buf, BUFSZ - os->z.avail_out))
			return -1;
	} while (os->z.avail_out == 0 || (flush == Z_FINISH && r != Z_STREAM_END));
	return 0;
}

int os_write(struct ostream *os, const void *buf, size_t n)
{
	os->pos += n;
	if (!os->gzip)
		return n ? os->sink(os->ctx, buf, n) : 0;
	const unsigned char *p = buf;
	while (n) {
		/* avail_in is 32-bit: feed large buffers in slices. */
		unsigned chunk = n > (1u << 30) ? 1u << 30 : (unsigned)n;
		os->z.next_in = (unsigned char *)p;
		os->z.avail_in = chunk;
		if (pump(os, Z_NO_FLUSH))
			return -1;
		p += chunk;
		n -= chunk;
	}
	return 0;
}

int membuf_sink(void *ctx, const void *buf, size_t n)
{
	struct membuf *m = ctx;

	m->p = xrealloc(m->p, m->n + n);
	memcpy(m->p + m->n, buf, n);
	m->n += n;
	return 0;
}

unsigned char *gzip_mem(const void *in, size_t n, size_t *out_len)
{
	struct membuf m = { NULL, 0 };
	struct ostream os;

	if (os_init(&os, 1, membuf_sink, &m))
		return NULL;
	if (os_write(&os, in, n)) {
		os_abort(&os);
		free(m.p);
		return NULL;
	}
	if (os_finish(&os)) {
		free(m.p);
		return NULL;
	}
	*out_len = m.n;
	return m.p;
}

int os_finish(struct ostream *os)
{
	int r = 0;
	if (os->gzip) {
		os->z.next_in = NULL;
		os->z.avail_in = 0;
		r = pump(os, Z_FINISH);
	}
	os_abort(os);
	return r;
}

void os_abort(struct ostream *os)
{
	if (os->gzip) {
		deflateEnd(&os->z);
		free(os->buf);
		os->buf = NULL;
		os->gzip = 0;
	}
}

/* ---- input ---- */

/* Refill the raw input buffer when it is empty. Returns 1 data, 0 end, -1 error. */
static int refill(struct istream *is)
{
	if (is->z.avail_in)
		return 1;
	if (is->fd < 0)
		return 0;	/* memory: all of it was handed over at open */
	for (;;) {
		ssize_t r = read(is->fd, is->buf, BUFSZ);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			perr("cannot read %s: %s", is->name, strerror(errno));
			return -1;
		}
		is->z.next_in = is->buf;
		is->z.avail_in = (unsigned)r;
		return r > 0;
	}
}

static const struct {
	const char *magic;
	size_t len;
	const char *what;
} other_formats[] = {
	{ "\xfd" "7zXZ", 5, "xz" },
	{ "\x28\xb5\x2f\xfd", 4, "zstd" },
	{ "BZh", 3, "bzip2" },
	{ "\x02\x21\x4c\x18", 4, "lz4" },
	{ "\x5d\x00\x00", 3, "lzma" },
};

static int is_start(struct istream *is)
{
	if (refill(is) < 0)
		return -1;
	const unsigned char *p = is->z.next_in;
	size_t n = is->z.avail_in;
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
		is->gzip = 1;
		/* The input pointers survive inflateInit2 (it only reads them). */
		if (inflateInit2(&is->z, 15 + 16) != Z_OK) {
			perr("zlib: cannot initialize inflate");
			return -1;
		}
		return 0;
	}
	for (size_t i = 0; i < sizeof(other_formats) / sizeof(other_formats[0]); i++) {
		if (n >= other_formats[i].len &&
		    !memcmp(p, other_formats[i].magic, other_formats[i].len)) {
			perr("%s: %s-compressed; only gzip or uncompressed data can be read",
			     is->name, other_formats[i].what);
			return -1;
		}
	}
	return 0;
}

int is_open_fd(struct istream *is, int fd, const char *name)
{
	memset(is, 0, sizeof(*is));
	is->name = name;
	is->fd = fd;
	is->buf = xmalloc(BUFSZ);
	if (is_start(is)) {
		is_close(is);
		return -1;
	}
	return 0;
}

int is_open_mem(struct istream *is, const void *mem, size_t len, const char *name)
{
	memset(is, 0, sizeof(*is));
	is->name = name;
	is->fd = -1;
	is->mem = mem;
	is->memlen = len;
	if (len > 0xffffffffu) {
		perr("%s: too large to read from memory", name);
		return -1;
	}
	is->z.next_in = (unsigned char *)mem;
	is->z.avail_in = (unsigned)len;
	return is_start(is);
}

ssize_t is_read(struct istream *is, void *buf, size_t n)
{
	if (n > (1u << 30))
		n = 1u << 30;
	if (!is->gzip) {
		int r = refill(is);
		if (r <= 0)
			return r;
		if (n > is->z.avail_in)
			n = is->z.avail_in;
		memcpy(buf, is->z.next_in, n);
		is->z.next_in += n;
		is->z.avail_in -= (unsigned)n;
		is->pos += n;
		return (ssize_t)n;
	}
	is->z.next_out = buf;
	is->z.avail_out = (unsigned)n;
	while (!is->end && is->z.avail_out == n) {
		int r = refill(is);
		if (r < 0)
			return -1;
		if (r == 0) {
			perr("%s: truncated gzip data", is->name);
			return -1;
		}
		r = inflate(&is->z, Z_NO_FLUSH);
		if (r == Z_STREAM_END) {
			/* Another gzip member may follow (concatenated archives); anything
			 * else after the member (padding) ends the data. */
			if (refill(is) < 0)
				return -1;
			if (is->z.avail_in && is->z.next_in[0] == 0x1f)
				inflateReset(&is->z);
			else
				is->end = 1;
		} else if (r != Z_OK && r != Z_BUF_ERROR) {
			perr("%s: corrupt gzip data (%s)", is->name,
			     is->z.msg ? is->z.msg : "inflate error");
			return -1;
		}
	}
	n -= is->z.avail_out;
	is->pos += n;
	return (ssize_t)n;
}

int is_read_full(struct istream *is, void *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = is_read(is, (char *)buf + got, n - got);
		if (r < 0)
			return -1;
		if (r == 0)
			return got ? 2 : 1;
		got += (size_t)r;
	}
	return 0;
}

void is_close(struct istream *is)
{
	if (is->gzip)
		inflateEnd(&is->z);
	is->gzip = 0;
	free(is->buf);
	is->buf = NULL;
}

unsigned char *gunzip_file(const char *path, size_t max, size_t *len)
{
	struct istream is;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perr("cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	if (is_open_fd(&is, fd, path)) {
		close(fd);
		return NULL;
	}
	size_t cap = 1 << 16, n = 0;
	unsigned char *out = xmalloc(cap);
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				perr("%s: inflates to more than %zu bytes", path, max);
				goto fail;
			}
			cap *= 2;
			out = xrealloc(out, cap);
		}
		ssize_t r = is_read(&is, out + n, cap - n);
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		perr("%s: inflates to more than %zu bytes", path, max);
		goto fail;
	}
	is_close(&is);
	close(fd);
	*len = n;
	return out;
fail:
	free(out);
	is_close(&is);
	close(fd);
	return NULL;
}
