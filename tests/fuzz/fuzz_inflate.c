/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: dvm's deflate decoder (core/inflate.c) on any bytes, against zlib.
 * The first input byte picks the output bound (0..255 KiB in steps of 1 KiB, so the
 * bound is hit too). Whatever zlib decodes in full within that bound, dvm's decoder must
 * decode alike: same bytes, same input used. Anything else may fail, but only inside
 * the buffers (ASan) and with a result and a bounded length. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "inflate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	size_t max = (size_t)data[0] << 10, used, len;
	unsigned char *a = malloc(max + 1), *b = malloc(max + 1);
	const char *msg = NULL;
	z_stream s = { 0 };

	data++, size--;
	int r = inflate_raw(data, size, &used, a, max, &len, &msg);
	if (r < INFLATE_OK || r > INFLATE_BAD || len > max || used > size ||
	    (r == INFLATE_BAD && !msg))
		abort();
	if (inflateInit2(&s, -15) != Z_OK)
		abort();
	s.next_in = (unsigned char *)data;
	s.avail_in = (uInt)size;
	s.next_out = b;
	s.avail_out = (uInt)max;
	if (inflate(&s, Z_FINISH) == Z_STREAM_END &&
	    (r != INFLATE_OK || len != s.total_out || used != s.total_in || memcmp(a, b, len)))
		abort();
	inflateEnd(&s);
	free(a);
	free(b);
	return 0;
}
