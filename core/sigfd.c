// SPDX-License-Identifier: BSD-2-Clause
/* signalfd, or a self-pipe when the kernel has none; see sigfd.h. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "log.h"
#include "sigfd.h"

static int pipe_w = -1;

/* The handlers are installed by the raw rt_sigaction call, not musl's sigaction(), which
 * costs 1.1 KiB here (its lock for SIGABRT, its bookkeeping for threads and for
 * cancellation signals). None of that matters to dvm: it starts no threads (see
 * core/malloc.c), never uses SIGABRT or thread cancellation, and takes only the
 * signals in set. What the raw call needs instead: the kernel's struct (its mask is
 * _NSIG/8 bytes, not sigset_t's 128) and a restorer, the code a handler returns to
 * (rt_sigreturn): x86_64's kernel requires one (SA_RESTORER), arm64's would otherwise
 * use the vDSO's; the same one on both keeps the one path that tests/cli/lean.sh
 * runs on the host. */
#define K_SA_RESTORER 0x04000000	/* the same on x86_64 and arm64 */
struct k_sigaction {
	void (*handler)(int, siginfo_t *, void *);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};
void dvm_sigreturn(void);
#if defined(__x86_64__)
__asm__(".pushsection .text.dvm_sigreturn,\"ax\",@progbits\n"
	".globl dvm_sigreturn\n.type dvm_sigreturn,STT_FUNC\n"
	"dvm_sigreturn:\n\tmov $15, %rax\n\tsyscall\n.popsection");
#elif defined(__aarch64__)
__asm__(".pushsection .text.dvm_sigreturn,\"ax\",@progbits\n"
	".globl dvm_sigreturn\n.type dvm_sigreturn,STT_FUNC\n"
	"dvm_sigreturn:\n\tmov x8, #139\n\tsvc 0\n.popsection");
#else
#error "core/sigfd.c: no rt_sigreturn restorer for this architecture"
#endif

/* One write of a whole record: atomic on a pipe (< PIPE_BUF). A full pipe drops the
 * record, but the reader has a wake-up pending then anyway. */
static void handler(int sig, siginfo_t *si, void *uc)
{
	struct signalfd_siginfo r;
	int saved = errno;

	(void)uc;
	memset(&r, 0, sizeof(r));
	r.ssi_signo = (unsigned)sig;
	r.ssi_pid = (unsigned)si->si_pid;
	if (write(pipe_w, &r, sizeof(r)) < 0) {
		/* full: see above */
	}
	errno = saved;
}

int sigfd_open(const sigset_t *set)
{
	struct k_sigaction sa;
	int fd, p[2];

	sigprocmask(SIG_BLOCK, set, NULL);
	fd = signalfd(-1, set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd >= 0 || errno != ENOSYS)
		return fd;
	/* the raw call: musl's pipe2() carries a fallback for kernels older than 2.6.27 */
	if (syscall(SYS_pipe2, p, O_NONBLOCK | O_CLOEXEC))
		return -1;
	pipe_w = p[1];
	sa.handler = handler;
	sa.flags = SA_SIGINFO | SA_RESTART | K_SA_RESTORER;
	sa.restorer = dvm_sigreturn;
	memcpy(&sa.mask, set, sizeof(sa.mask));	/* one handler at a time */
	for (int s = 1; s < _NSIG; s++)
		if (sigismember(set, s) == 1)
			syscall(SYS_rt_sigaction, s, &sa, NULL, sizeof(sa.mask));
	/* Pending ones arrive now, through the handlers. */
	sigprocmask(SIG_UNBLOCK, set, NULL);
	info("no signalfd (kernel without CONFIG_SIGNALFD): signals through a self-pipe");
	return p[0];
}
