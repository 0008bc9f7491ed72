// SPDX-License-Identifier: BSD-2-Clause
/* qtest client; see qtest.h. The protocol is line based: one command line, one answer
 * line ("OK ..." or "FAIL ..."). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "qtest.h"

void qtest_connect(struct qtest *q, struct vm *v)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	memset(q, 0, sizeof(*q));
	if (strlen(v->sock) >= sizeof(sa.sun_path))
		die("qtest socket path too long: %s", v->sock);
	strcpy(sa.sun_path, v->sock);
	for (;;) {
		q->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (q->fd < 0)
			die("socket: %s", strerror(errno));
		if (!connect(q->fd, (struct sockaddr *)&sa, sizeof(sa)))
			return;
		close(q->fd);
		if (!vm_alive(v))
			die("QEMU ended (%s) before its qtest socket accepted", status_str(v->status));
		if (!deadline_left_ns())
			die("QEMU's qtest socket %s did not accept before the deadline", v->sock);
		sleep_us(5000);
	}
}

/* One answer line into q->buf (NUL-terminated, without the newline). With nowait, 0 when
 * no complete line has arrived yet. */
static int answer(struct qtest *q, int nowait)
{
	for (;;) {
		char *nl = memchr(q->buf, '\n', (size_t)q->len);
		struct pollfd p = { q->fd, POLLIN, 0 };
		ssize_t n;
		int r;

		if (nl) {
			*nl = 0;
			return 1;
		}
		if (q->len == (int)sizeof(q->buf) - 1)
			die("qtest: answer line too long");
		r = poll(&p, 1, nowait ? 0 : 5000);
		if (r == 0 && nowait)
			return 0;
		if (r <= 0)
			die("qtest: no answer from QEMU within 5 s");
		n = read(q->fd, q->buf + q->len, sizeof(q->buf) - 1 - (size_t)q->len);
		if (n <= 0)
			die("qtest: connection to QEMU lost (%s)", n ? strerror(errno) : "EOF");
		q->len += (int)n;
	}
}

static void consume_line(struct qtest *q)
{
	int l = (int)strlen(q->buf) + 1;

	memmove(q->buf, q->buf + l, (size_t)(q->len - l));
	q->len -= l;
}

/* Check the answers that have arrived (all of them when wait). */
static void collect(struct qtest *q, int wait)
{
	while (q->pending && answer(q, !wait)) {
		if (strncmp(q->buf, "OK", 2))
			die("qtest: QEMU answered '%s' to an interrupt injection", q->buf);
		consume_line(q);
		q->pending--;
	}
}

static void send_cmd(struct qtest *q, const char *cmd, int n)
{
	if (write(q->fd, cmd, (size_t)n) != n)
		die("qtest: cannot send to QEMU: %s", strerror(errno));
}

void qtest_writel(struct qtest *q, uint64_t addr, uint32_t val)
{
	char cmd[64];
	int n = snprintf(cmd, sizeof(cmd), "writel 0x%llx 0x%x\n", (unsigned long long)addr, val);

	collect(q, 1);
	send_cmd(q, cmd, n);
	answer(q, 0);
	if (strncmp(q->buf, "OK", 2))
		die("qtest: '%.*s' answered '%s'", n - 1, cmd, q->buf);
	consume_line(q);
}

void qtest_irq(struct qtest *q, unsigned spi)
{
	unsigned intid = spi + 32;
	char cmd[64];
	uint64_t t0 = now_ns();
	int n = snprintf(cmd, sizeof(cmd), "writel 0x%llx 0x%x\n",
			 (unsigned long long)(VIRT_GICD_BASE + 0x200 + 4 * (intid / 32)),
			 1u << (intid % 32));

	collect(q, q->pending >= 32);
	send_cmd(q, cmd, n);
	q->pending++;
	q->injected++;
	q->ns += now_ns() - t0;
}

void qtest_sync(struct qtest *q)
{
	collect(q, 1);
}

void qtest_close(struct qtest *q)
{
	if (q->fd > 0)
		close(q->fd);
	q->fd = -1;
}
