// SPDX-License-Identifier: BSD-2-Clause
/* libvmm's network driver VM passes the driver's configuration in a read-only page, the
 * data_passing region (net_drv_vm_data_passing_t, offsets in sddf_net.h): the queue
 * capacities (num_buffers), the physical address the virtualisers use for the RX data
 * region and one per client TX data region. Those addresses are what io_or_offset
 * carries; the guest maps the same memory elsewhere (rx_data, tx_data with client i at
 * i * stride). The page is the VMM's, but nothing in it is trusted blindly: every count,
 * alignment and range is checked before it shapes a translation. */
#include <string.h>
#include "iomem.h"
#include "log.h"
#include "net.h"

#define PAGE 4096u

/* A little-endian field of the copy (dvm runs on little-endian arm64 and x86-64). */
static uint64_t field(const uint8_t *b, int off, int len)
{
	uint64_t v = 0;

	memcpy(&v, b + off, (size_t)len);
	return v;
}

/* An error naming the field (field[i] when i >= 0) and its value. */
static int bad(const char *field, int i, uint64_t v, const char *why)
{
	if (i < 0)
		err("data_passing: %s 0x%llx: %s", field, (unsigned long long)v, why);
	else
		err("data_passing: %s[%d] 0x%llx: %s", field, i, (unsigned long long)v, why);
	return -1;
}

int net_passing(struct net_srv *s, struct net_maps *m, const volatile uint8_t *mem,
		uint64_t size, const struct net_region *rx, const struct net_region *tx,
		const unsigned long *cap)
{
	uint64_t buf[DP_SIZE / 8], stride, p;
	const uint8_t *b = (const uint8_t *)buf;
	uint32_t ntx;

	if (size < DP_SIZE)
		return bad("region size", -1, size, "smaller than net_drv_vm_data_passing_t (616)");
	iomem_copy(buf, mem, DP_SIZE);
	if (memcmp(b + DP_MAGIC, "sDDF\5", 5))
		return bad("magic", -1, field(b, DP_MAGIC, 5), "not sDDF\\x05");
	for (int k = 0; k < 2; k++) {
		uint32_t n = (uint32_t)field(b, k ? DP_TX_BUFFERS : DP_RX_BUFFERS, 2);
		uint64_t q = m->qsize[k ? Q_TX_FREE : Q_RX_FREE];

		if (m->qsize[k ? Q_TX_ACTIVE : Q_RX_ACTIVE] < q)
			q = m->qsize[k ? Q_TX_ACTIVE : Q_RX_ACTIVE];
		m->cap[k] = cap[k] ? (uint32_t)cap[k] : n;
		if (!cap[k] && net_check_cap(k ? "data_passing virt_tx.num_buffers" :
					     "data_passing virt_rx.num_buffers",
					     k ? "TX free" : "RX free", n, q))
			return -1;
	}
	/* RX: every buffer io_addr + i * 2048, i < num_buffers, inside the rx map */
	p = field(b, DP_RX_PADDR, 8);
	if (p % PAGE || p + rx->size < p)
		return bad("rx_data_paddr", -1, p, "not page-aligned, or rx_data would wrap");
	if ((uint64_t)m->cap[0] * NET_BUFFER_SIZE > rx->size)
		return bad("rx_data_paddr", -1, p, "rx_data too small for the RX buffers");
	s->rx = *rx;
	s->rx.paddr = p;
	/* TX: clients side by side in the tx map, equal strides */
	ntx = (uint32_t)field(b, DP_NUM_TX, 4);
	if (!ntx || ntx > DP_MAX_TX)
		return bad("num_tx_clients", -1, ntx, "not 1..64");
	stride = tx->size / ntx;
	if (stride % PAGE || !stride)
		return bad("num_tx_clients", -1, ntx, "tx_data does not split into page-sized areas");
	for (s->ntx = 0; s->ntx < (int)ntx; s->ntx++) {
		int i = s->ntx;

		p = field(b, DP_TX_PADDRS + 8 * i, 8);
		if (p % PAGE || p + stride < p)
			return bad("tx_data_paddrs", i, p, "not page-aligned, or wraps");
		for (int j = 0; j < i; j++)
			if (p < s->tx[j].paddr + stride && s->tx[j].paddr < p + stride)
				return bad("tx_data_paddrs", i, p, "overlaps another client's area");
		s->tx[i].paddr = p;
		s->tx[i].size = stride;
		s->tx[i].mem = tx->mem + (uint64_t)i * stride;
	}
	info("data_passing: RX %u, TX %u buffers; RX data at 0x%llx; %d TX clients of 0x%llx",
	     m->cap[0], m->cap[1], (unsigned long long)s->rx.paddr, s->ntx,
	     (unsigned long long)stride);
	return 0;
}
