/* libvmm's network driver VM passes the driver's configuration in a read-only page, the
 * data_passing region (net_drv_vm_data_passing_t, offsets in sddf_net.h): the queue
 * capacities (num_buffers), the physical address the virtualisers use for the RX data
 * region and one per client TX data region. Those addresses are what io_or_offset
 * carries; the guest maps the same memory elsewhere (rx_data, tx_data with client i at
 * i * stride). The page is the VMM's, but nothing in it is trusted blindly: every count,
 * alignment and range is checked before it shapes a translation. */
#include "iomem.h"
#include "log.h"
#include "net.h"

#define PAGE 4096u

static uint64_t get64(const uint8_t *b, int off)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[off + i];
	return v;
}

static int bad(const char *field, uint64_t v, const char *why)
{
	err("data_passing: %s 0x%llx: %s", field, (unsigned long long)v, why);
	return -1;
}

int net_passing(struct net_srv *s, struct net_maps *m, const volatile uint8_t *mem,
		uint64_t size, const struct net_region *rx, const struct net_region *tx,
		const unsigned long *cap)
{
	static const char magic[5] = "sDDF\5";
	uint64_t buf[DP_SIZE / 8], stride, p;
	const uint8_t *b = (const uint8_t *)buf;
	uint32_t ntx;

	if (size < DP_SIZE)
		return bad("region size", size, "smaller than net_drv_vm_data_passing_t (616)");
	iomem_copy(buf, mem, DP_SIZE);
	for (int i = 0; i < 5; i++)
		if (b[DP_MAGIC + i] != (uint8_t)magic[i])
			return bad("magic", get64(b, 0) & 0xffffffffffull, "not sDDF\\x05");
	for (int k = 0; k < 2; k++) {
		uint32_t n = b[k ? DP_TX_BUFFERS : DP_RX_BUFFERS] |
			     (uint32_t)b[(k ? DP_TX_BUFFERS : DP_RX_BUFFERS) + 1] << 8;

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
	p = get64(b, DP_RX_PADDR);
	if (p % PAGE)
		return bad("rx_data_paddr", p, "not page-aligned");
	if ((uint64_t)m->cap[0] * NET_BUFFER_SIZE > rx->size)
		return bad("rx_data_paddr", p, "rx_data too small for the RX buffers");
	if (p + rx->size < p)
		return bad("rx_data_paddr", p, "rx_data would wrap around");
	s->rx = *rx;
	s->rx.paddr = p;
	/* TX: clients side by side in the tx map, equal strides */
	ntx = b[DP_NUM_TX] | (uint32_t)b[DP_NUM_TX + 1] << 8 | (uint32_t)b[DP_NUM_TX + 2] << 16 |
	      (uint32_t)b[DP_NUM_TX + 3] << 24;
	if (!ntx || ntx > DP_MAX_TX)
		return bad("num_tx_clients", ntx, "not 1..64");
	stride = tx->size / ntx;
	if (stride % PAGE || stride < NET_BUFFER_SIZE)
		return bad("num_tx_clients", ntx, "tx_data does not split into page-sized areas");
	s->ntx = 0;
	for (uint32_t i = 0; i < ntx; i++) {
		p = get64(b, DP_TX_PADDRS + 8 * (int)i);
		if (p % PAGE || p + stride < p) {
			err("data_passing: tx_data_paddrs[%u] 0x%llx: not page-aligned or wraps", i,
			    (unsigned long long)p);
			return -1;
		}
		for (int j = 0; j < s->ntx; j++)
			if (p < s->tx[j].paddr + stride && s->tx[j].paddr < p + stride) {
				err("data_passing: tx_data_paddrs[%u] 0x%llx overlaps client %d's "
				    "0x%llx (areas of 0x%llx)", i, (unsigned long long)p, j,
				    (unsigned long long)s->tx[j].paddr, (unsigned long long)stride);
				return -1;
			}
		s->tx[i].paddr = p;
		s->tx[i].size = stride;
		s->tx[i].mem = tx->mem + (uint64_t)i * stride;
		s->ntx++;
	}
	info("data_passing: RX %u, TX %u buffers%s; RX data at 0x%llx; %d TX clients of 0x%llx",
	     m->cap[0], m->cap[1], cap[0] || cap[1] ? " (options override)" : "",
	     (unsigned long long)s->rx.paddr, s->ntx, (unsigned long long)stride);
	return 0;
}
