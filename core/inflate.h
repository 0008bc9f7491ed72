/* SPDX-License-Identifier: BSD-2-Clause */
/* Raw deflate (RFC 1951) decoding into one flat buffer: gzip'd modules (core/module.c)
 * and the packed --help texts (core/dispatch.c). The output buffer is the window, so
 * a stream can refer back to anything it produced before, never to what lies before
 * out. Input and output are bounded: a corrupt stream ends in an error, never a read or
 * write outside them. */
#ifndef DVM_INFLATE_H
#define DVM_INFLATE_H
#include <stddef.h>

enum {
	INFLATE_OK,	/* the final block ended */
	INFLATE_TRUNC,	/* the input ended first */
	INFLATE_FULL,	/* the output would pass max bytes */
	INFLATE_BAD,	/* corrupt data: *msg says what (zlib's wording) */
};

/* Decode the stream at in[0..n) into out[0..max). *len: the bytes written; *used: the
 * input bytes the stream took up to its end (whole bytes: what follows, e.g. a gzip
 * trailer, starts at in + *used). */
int inflate_raw(const unsigned char *in, size_t n, size_t *used, unsigned char *out,
		size_t max, size_t *len, const char **msg);

#endif
