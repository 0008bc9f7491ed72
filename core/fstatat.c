/* SPDX-License-Identifier: BSD-2-Clause */
/* dvm's fstatat, on which musl builds stat() and fstat(). musl's converts the kernel's
 * struct stat field by field and carries fallbacks for kernels older than 3.6 (fstat of
 * an O_PATH fd through /proc/self/fd): 540 bytes. On x86_64 and arm64 the kernel's
 * struct stat is musl's, so the system call fills it in directly. Defined here, it
 * keeps musl's out of the static binary, like core/printf.c does for printf. */
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
_Static_assert(sizeof(struct stat) == 144, "musl's struct stat is not the kernel's");
#elif defined(__aarch64__)
_Static_assert(sizeof(struct stat) == 128, "musl's struct stat is not the kernel's");
#else
#error "core/fstatat.c: the kernel's struct stat is musl's on x86_64 and arm64 only"
#endif

int fstatat(int fd, const char *restrict path, struct stat *restrict st, int flag)
{
	return (int)syscall(SYS_newfstatat, fd, path, st, flag);
}
