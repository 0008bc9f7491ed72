/* SPDX-License-Identifier: BSD-2-Clause */
/* dvm's open and socket: the system calls alone. musl's carry fallbacks for kernels
 * older than 2.6.23 / 2.6.27, which ignore O_CLOEXEC or refuse SOCK_CLOEXEC and
 * SOCK_NONBLOCK (open then sets FD_CLOEXEC with an extra fcntl on every call; socket
 * retries without the flags and sets them with fcntl): 300 bytes for kernels dvm never
 * meets. The results and errors are the same on any later kernel. Defined in dvm's own
 * objects, like core/fstatat.c, they keep musl's out of the static link. */
#include <fcntl.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	/* the mode argument is there only with these (as musl and glibc read it) */
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
}

int socket(int domain, int type, int protocol)
{
	return (int)syscall(SYS_socket, domain, type, protocol);
}
