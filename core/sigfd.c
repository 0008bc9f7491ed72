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
	struct sigaction sa;
	int fd, p[2];

	sigprocmask(SIG_BLOCK, set, NULL);
	fd = signalfd(-1, set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd >= 0 || errno != ENOSYS)
		return fd;
	/* the raw call: musl's pipe2() carries a fallback for kernels older than 2.6.27 */
	if (syscall(SYS_pipe2, p, O_NONBLOCK | O_CLOEXEC))
		return -1;
	pipe_w = p[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sa.sa_mask = *set;	/* one handler at a time */
	for (int s = 1; s < _NSIG; s++)
		if (sigismember(set, s) == 1)
			sigaction(s, &sa, NULL);
	/* Pending ones arrive now, through the handlers. */
	sigprocmask(SIG_UNBLOCK, set, NULL);
	info("no signalfd (kernel without CONFIG_SIGNALFD): signals through a self-pipe");
	return p[0];
}
