// SPDX-License-Identifier: BSD-2-Clause
/* One sDDF net queue seen from one side. We own one index (the head of a queue we
 * consume, the tail of one we produce) and keep it privately: the shared copy is only
 * ever stored, so a peer scribbling on it cannot move us. The peer's index is loaded
 * and checked before any slot is touched.
 *
 * u16 arithmetic: tail - head is computed in uint16_t, so it is right across the 65536
 * wrap (sDDF's own helper promotes to int and gets "full" wrong there). Capacities are
 * <= 32768, so a difference above cap can only mean an inconsistent peer. The slot is
 * the u16 index % cap, exactly as sDDF's buffers[tail % capacity]: continuous across
 * the wrap for a power of two, a jump both sides make alike otherwise.
 *
 * Signalling (the sDDF handshake), correct on SMP whatever barriers the peer has:
 *   consumer: drain; flag = 0 ("notify me"); FULL fence; look again; if entries came,
 *             flag = 1 and go on. The full fence orders our flag store before our tail
 *             load; a release or acquire fence does not (store->load reordering).
 *   producer: publish (release); FULL fence; if flag == 0: flag = 1 and notify.
 * With both fences, either the consumer sees the new entries or the producer sees the
 * request: a wake-up cannot be lost. */
#include "iomem.h"
#include "log.h"
#include "net.h"

void netq_init(struct netq *q, volatile uint8_t *mem, uint32_t cap, int consumer,
	       const char *name, uint64_t *nbad)
{
	q->q = mem;
	q->cap = cap;
	q->idx = io_load16_acq(mem + (consumer ? NETQ_HEAD : NETQ_TAIL));
	q->bad = q->logged = q->asked = 0;
	q->name = name;
	q->nbad = nbad;
}

/* Record whether the indices are consistent; count and log the start of a bad episode. */
static unsigned check(struct netq *q, uint16_t n, uint16_t tail, uint16_t head)
{
	if (n <= q->cap) {
		q->bad = 0;
		return n;
	}
	if (!q->bad) {
		++*q->nbad;
		if (!q->logged)
			warn("%s queue: tail %u, head %u: %u entries > capacity %u; left alone "
			     "until corrected (logged once)", q->name, tail, head, n, q->cap);
		q->logged = 1;
	}
	q->bad = 1;
	return 0;
}

unsigned netq_avail(struct netq *q)
{
	/* Acquire: the slots are read after the tail that published them. */
	uint16_t tail = io_load16_acq(q->q + NETQ_TAIL);

	return check(q, (uint16_t)(tail - q->idx), tail, q->idx);
}

unsigned netq_room(struct netq *q)
{
	/* Acquire: the consumer's reads of a slot come before we overwrite it. */
	uint16_t head = io_load16_acq(q->q + NETQ_HEAD);
	unsigned used = check(q, (uint16_t)(q->idx - head), q->idx, head);

	return q->bad ? 0 : q->cap - used;
}

static volatile uint8_t *slot(const struct netq *q, unsigned i)
{
	return q->q + NETQ_SLOTS + sizeof(net_buff_desc_t) * ((uint16_t)(q->idx + i) % q->cap);
}

void netq_read(const struct netq *q, unsigned i, net_buff_desc_t *d)
{
	iomem_copy(d, slot(q, i), sizeof(*d));
}

void netq_write(const struct netq *q, unsigned i, const net_buff_desc_t *d)
{
	iomem_copy(slot(q, i), d, sizeof(*d));
}

void netq_consume(struct netq *q, unsigned n)
{
	if (!n)
		return;
	q->idx = (uint16_t)(q->idx + n);
	io_store16_rel(q->q + NETQ_HEAD, q->idx);
}

void netq_publish(struct netq *q, unsigned n)
{
	if (!n)
		return;
	q->idx = (uint16_t)(q->idx + n);
	io_store16_rel(q->q + NETQ_TAIL, q->idx);
}

void netq_ask(struct netq *q)
{
	io_store32(q->q + NETQ_SIGNALLED, 0);
	q->asked = 1;
	io_fence_full();
}

void netq_quiet(struct netq *q)
{
	if (q->asked)
		io_store32(q->q + NETQ_SIGNALLED, 1);
	q->asked = 0;
}

#ifdef DVM_UNIT_TEST
void (*netq_race_hook)(struct netq *q);
#endif

int netq_sleep(struct netq *q)
{
#ifdef DVM_UNIT_TEST
	if (netq_race_hook) /* a peer acting between our last look and our request */
		netq_race_hook(q);
#endif
	netq_ask(q);
	if (!netq_avail(q))
		return 1;
	netq_quiet(q);
	return 0;
}

int netq_want_signal(struct netq *q)
{
	io_fence_full();
	if (io_load32(q->q + NETQ_SIGNALLED))
		return 0;
	io_store32(q->q + NETQ_SIGNALLED, 1);
	return 1;
}

void net_ring(struct net_bell *b)
{
	/* A plain single-register store the VMM can decode from the fault; the queue
	 * updates before it are ordered by the full fence of netq_want_signal. */
	*(volatile uint32_t *)b->page = ++b->count;
}
