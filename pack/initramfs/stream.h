/* SPDX-License-Identifier: BSD-2-Clause */
/* Byte streams for dvm-pack: an output stream that may gzip (zlib deflate, level 9,
 * fixed header: mtime 0, OS 3 = Unix, so output is reproducible) in front of a sink
 * callback, and an input stream from a file descriptor or memory that recognizes gzip
 * by its magic and inflates it (concatenated gzip members too). Errors are reported with
 * perr() naming the stream; functions then return -1. */
#ifndef PACK_STREAM_H
#define PACK_STREAM_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <zlib.h>

typedef int (*sink_fn)(void *ctx, const void *buf, size_t n);	/* 0, or -1 reported */

struct ostream {
	sink_fn sink;
	void *ctx;
	int gzip;
	uint64_t pos;		/* uncompressed bytes written so far */
	z_stream z;
	gz_header gzh;
	unsigned char *buf;	/* deflate output */
};

int os_init(struct ostream *os, int gzip, sink_fn sink, void *ctx);
int os_write(struct ostream *os, const void *buf, size_t n);
/* Flush everything (the gzip trailer included) and free the state. */
int os_finish(struct ostream *os);
/* A growing buffer as a sink: os_init(&os, gzip, membuf_sink, &(struct membuf){0}). */
struct membuf {
	unsigned char *p;
	size_t n;
};
int membuf_sink(void *ctx, const void *buf, size_t n);

/* gzip n bytes into a new buffer (as os_init's gzip: reproducible), its length in
 * *out_len; NULL after an error (reported). */
unsigned char *gzip_mem(const void *in, size_t n, size_t *out_len);
/* Free the state after an error, writing nothing more. */
void os_abort(struct ostream *os);

/* Sink writing to a file descriptor; ctx points to one of these. */
struct fd_sink {
	int fd;
	const char *name;
};
int fd_sink_write(void *ctx, const void *buf, size_t n);

struct istream {
	const char *name;	/* for messages */
	int fd;			/* -1: reading from memory */
	const unsigned char *mem;
	size_t memlen;
	int gzip;
	int end;		/* no more decompressed data */
	uint64_t pos;		/* uncompressed bytes read so far */
	z_stream z;		/* next_in/avail_in also buffer plain input */
	unsigned char *buf;
};

/* Open a stream on fd (not closed by is_close) or on memory (not copied). Fails with a
 * clear message on xz, zstd, bzip2, lz4 or lzma data, which dvm-pack does not read. */
int is_open_fd(struct istream *is, int fd, const char *name);
int is_open_mem(struct istream *is, const void *mem, size_t len, const char *name);
/* Read up to n bytes; returns the count, 0 at the end, -1 on error. */
ssize_t is_read(struct istream *is, void *buf, size_t n);
/* Read exactly n bytes: 0; 1 when the data ended before the first byte, 2 when it
 * ended part-way (neither reported: the caller knows what was missing); -1 on a read
 * or decompression error (reported). */
int is_read_full(struct istream *is, void *buf, size_t n);
void is_close(struct istream *is);

/* A whole gzip file inflated into memory, at most max bytes: NULL on error (reported). */
unsigned char *gunzip_file(const char *path, size_t max, size_t *len);

#endif
