/* Writing an output file atomically: a temporary file beside it, fsync, rename. */
#ifndef PACK_WFILE_H
#define PACK_WFILE_H
#include <stddef.h>

/* Write len bytes to path atomically (mode 0666 minus umask). A failure, SIGINT, SIGTERM
 * or SIGHUP leaves no temporary file and an existing path untouched. 0 or -1 (reported). */
int write_file_atomic(const char *path, const void *data, size_t len);

#endif
