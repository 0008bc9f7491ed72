// SPDX-License-Identifier: BSD-2-Clause
/* libFuzzer target: dvm-pack's archive reader (`dvm-pack --list`: pack/initramfs/list.c, cpio.c,
 * the gzip input stream) on any bytes, plain or gzip'd: it must report an error or
 * list, never read outside its buffers or loop. */
#include <stdio.h>
#include <stdlib.h>
#include "list.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *out;
	struct istream is;

	perr_quiet = 1;
	if (!out && !(out = fopen("/dev/null", "w")))
		abort();
	if (!is_open_mem(&is, data, size, "fuzz")) {
		archive_list(&is, out);
		is_close(&is);
	}
	return 0;
}
