// SPDX-License-Identifier: BSD-2-Clause
/* When to restart a service that ended: its restart policy, exponential backoff, and the
 * restart limit (COUNT ends within WINDOW seconds powers the VM off). Pure arithmetic on
 * times passed in, so it is unit-tested without waiting. */
#include <sys/wait.h>
#include "init.h"

int restart_wanted(int policy, int st)
{
	if (policy == R_NEVER)
		return 0;
	if (policy == R_ON_FAILURE)
		return !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return 1;
}

long restart_next(struct restart *r, const struct conf *c, long long started,
		  long long now)
{
	int count = c->limit_count;

	/* the ring holds the last `count` end times; r->head is the oldest once full */
	r->fails[r->head] = now;
	r->head = (r->head + 1) % count;
	if (r->n < count)
		r->n++;
	if (r->n == count && now - r->fails[r->head % count] < c->limit_window * 1000LL)
		return -1;
	/* a run long enough to count as a good start: back off from the minimum again */
	if (!r->delay || now - started >= STABLE_MS)
		r->delay = c->backoff_min;
	else
		r->delay = r->delay > c->backoff_max / 2 ? c->backoff_max : r->delay * 2;
	return r->delay;
}
