// SPDX-License-Identifier: BSD-2-Clause
/* nosys [-m] CMD ARGS...: run CMD as if on a lean driver-VM kernel, through a seccomp
 * filter: signalfd, epoll, eventfd, timerfd, io_uring and file locking (flock, fcntl
 * locks) fail with ENOSYS, as on a kernel built without SIGNALFD, EPOLL, EVENTFD,
 * TIMERFD, IO_URING, FILE_LOCKING; with -m every mount(2) fails with ENODEV (a kernel
 * without PROC_FS, TMPFS, ...). Module loading always fails with EPERM, so nothing run
 * under it can load a module into the host's kernel. Host-side test tool. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define ARCH_NR AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH_NR AUDIT_ARCH_AARCH64
#else
#error "nosys: unknown architecture"
#endif

#define LD(f) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, f))
#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))
/* syscall nr == n: return errno e */
#define FAIL(n, e) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (n), 0, 1), RET(SECCOMP_RET_ERRNO | (e))

int main(int argc, char **argv)
{
	int nomount = argc > 1 && !strcmp(argv[1], "-m");
	struct sock_filter f[] = {
		LD(arch),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH_NR, 1, 0),
		RET(SECCOMP_RET_KILL_PROCESS),
		LD(nr),
#ifdef __NR_signalfd
		FAIL(__NR_signalfd, ENOSYS),
		FAIL(__NR_epoll_create, ENOSYS),
		FAIL(__NR_eventfd, ENOSYS),
#endif
		FAIL(__NR_signalfd4, ENOSYS),
		FAIL(__NR_epoll_create1, ENOSYS),
		FAIL(__NR_eventfd2, ENOSYS),
		FAIL(__NR_timerfd_create, ENOSYS),
		FAIL(__NR_io_uring_setup, ENOSYS),
		FAIL(__NR_flock, ENOSYS),
		FAIL(__NR_init_module, EPERM),
		FAIL(__NR_finit_module, EPERM),
		FAIL(nomount ? __NR_mount : ~0u, ENODEV),	/* ~0: no such syscall */
		/* fcntl: the lock commands only */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_fcntl, 0, 9),
		LD(args[1]),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, F_GETLK, 6, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, F_SETLK, 5, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, F_SETLKW, 4, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, F_OFD_GETLK, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, F_OFD_SETLK, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, F_OFD_SETLKW, 1, 0),
		RET(SECCOMP_RET_ALLOW),
		RET(SECCOMP_RET_ERRNO | ENOSYS),
		RET(SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	int i = 1 + nomount;

	if (i >= argc) {
		fprintf(stderr, "usage: nosys [-m] CMD ARGS...\n");
		return 2;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		perror("nosys: seccomp");
		return 126;
	}
	execvp(argv[i], argv + i);
	fprintf(stderr, "nosys: %s: %s\n", argv[i], strerror(errno));
	return 127;
}
