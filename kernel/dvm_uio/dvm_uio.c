// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * dvm_uio: UIO devices for a driver VM's shared memory, with page-backed, cacheable
 * mappings where the memory allows.
 *
 * It binds device-tree nodes as uio_pdrv_genirq does (the compatible string is the
 * of_id= parameter, default "generic-uio"): one UIO map per reg entry, named by
 * reg-names, the device named by linux,uio-name or the node, and the node's interrupt
 * (if any) disabled in the handler and re-enabled by writing 1 to /dev/uioN, so
 * userspace drivers see no difference.
 *
 * The difference is mmap. UIO maps physical memory with remap_pfn_range() as Device
 * (non-cached) memory: a VM_IO | VM_PFNMAP mapping that direct I/O (get_user_pages)
 * refuses, so every DMA-capable device costs a copy, and every access to it bypasses
 * the cache. A map whose memory the kernel has struct pages for and keeps from its
 * allocator -- a /reserved-memory region without no-map inside a memory node -- is
 * mapped here by inserting its pages (vm_insert_pages: VM_MIXEDMAP, normal cacheable
 * attributes), which direct I/O accepts. Any other map is mapped as UIO would.
 *
 * /sys/class/uio/uioN/version tells userspace which maps are page-backed:
 * "dvm_uio pages=0xM", bit i set for map i.
 */
#include <linux/interrupt.h>
#include <linux/ioport.h>
#include <linux/irq.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uio_driver.h>
#include <linux/version.h>

struct dvm_uio {
	struct uio_info info;
	spinlock_t lock;
	unsigned long flags;	/* bit 0: our IRQ is disabled */
	unsigned int pages;	/* bit i: map i is page-backed */
	char version[32];
};

static irqreturn_t dvm_uio_irq(int irq, struct uio_info *info)
{
	struct dvm_uio *d = info->priv;

	/* as uio_pdrv_genirq: the line stays off until userspace has served it and
	 * writes 1 (irqcontrol below); a level interrupt would otherwise storm */
	if (!test_and_set_bit(0, &d->flags))
		disable_irq_nosync(irq);
	return IRQ_HANDLED;
}

static int dvm_uio_irqcontrol(struct uio_info *info, s32 on)
{
	struct dvm_uio *d = info->priv;
	unsigned long f;

	spin_lock_irqsave(&d->lock, f);
	if (on) {
		if (test_and_clear_bit(0, &d->flags))
			enable_irq(info->irq);
	} else {
		if (!test_and_set_bit(0, &d->flags))
			disable_irq_nosync(info->irq);
	}
	spin_unlock_irqrestore(&d->lock, f);
	return 0;
}

/* Whether [addr, addr+size) is whole pages of the kernel's linear map that it has struct
 * pages for and keeps from its allocator: a /reserved-memory region without no-map.
 * PageReserved alone is not enough: arm64 also gives no-map regions reserved struct
 * pages, but they are not in the linear map (no cacheable alias, page_address() means
 * nothing), so they must be mapped as UIO does. "System RAM" in the resource tree is
 * exactly the mapped memory (no-map ranges are registered as "reserved"). */
static bool page_backed(phys_addr_t addr, resource_size_t size)
{
	unsigned long pfn, end;

	if (!size || !PAGE_ALIGNED(addr) || !PAGE_ALIGNED(size))
		return false;
	if (region_intersects(addr, size, IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE) !=
	    REGION_INTERSECTS)
		return false;
	end = PFN_DOWN(addr + size);
	for (pfn = PFN_DOWN(addr); pfn < end; pfn++)
		if (!pfn_valid(pfn) || !PageReserved(pfn_to_page(pfn)))
			return false;
	return true;
}

/* Whether any page of [addr, addr+size) is memory the page allocator hands out. */
static bool ordinary_ram(phys_addr_t addr, resource_size_t size)
{
	unsigned long pfn = PFN_DOWN(addr), end = PFN_UP(addr + size);

	if (region_intersects(addr, size, IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE) ==
	    REGION_DISJOINT)
		return false;
	for (; pfn < end; pfn++)
		if (pfn_valid(pfn) && !PageReserved(pfn_to_page(pfn)))
			return true;
	return false;
}

static int dvm_uio_mmap(struct uio_info *info, struct vm_area_struct *vma)
{
	struct dvm_uio *d = info->priv;
	unsigned long mi = vma->vm_pgoff;	/* the map index; uio checked it and the size */
	struct uio_mem *m = &info->mem[mi];
	unsigned long i, n = vma_pages(vma), num;
	struct page **pages;
	int ret;

	if (!(d->pages & BIT(mi))) {
		/* as uio_mmap_physical(): Device memory */
		vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
		return remap_pfn_range(vma, vma->vm_start, PFN_DOWN(m->addr),
				       vma->vm_end - vma->vm_start, vma->vm_page_prot);
	}
	/* A private mapping would copy-on-write the shared pages: the peer would stop
	 * seeing our writes. Shared mappings only. */
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	pages = kvmalloc_array(n, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		pages[i] = pfn_to_page(PFN_DOWN(m->addr) + i);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
#else
	vma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
#endif
	num = n;
	ret = vm_insert_pages(vma, vma->vm_start, pages, &num);
	kvfree(pages);
	return ret;
}

static int dvm_uio_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct device_node *np = dev->of_node;
	struct dvm_uio *d;
	const char *name;
	int i, irq;

	d = devm_kzalloc(dev, sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	spin_lock_init(&d->lock);
	if (of_property_read_string(np, "linux,uio-name", &name))
		name = devm_kasprintf(dev, GFP_KERNEL, "%pOFn", np);
	if (!name)
		return -ENOMEM;
	d->info.name = name;
	d->info.priv = d;

	for (i = 0; i < pdev->num_resources; i++) {
		struct resource *r = &pdev->resource[i];
		struct uio_mem *m;
		int mi = 0;

		if (resource_type(r) != IORESOURCE_MEM)
			continue;
		while (mi < MAX_UIO_MAPS && d->info.mem[mi].size)
			mi++;
		if (mi == MAX_UIO_MAPS) {
			dev_warn(dev, "more than %d reg entries: the rest are not mapped\n",
				 MAX_UIO_MAPS);
			break;
		}
		m = &d->info.mem[mi];
		m->name = r->name;
		m->memtype = UIO_MEM_PHYS;
		m->addr = r->start & PAGE_MASK;
		m->offs = r->start & ~PAGE_MASK;
		m->size = (m->offs + resource_size(r) + PAGE_SIZE - 1) & PAGE_MASK;
		if (page_backed(r->start, resource_size(r)))
			d->pages |= BIT(mi);
		else if (ordinary_ram(r->start, resource_size(r))) {
			/* memory the kernel allocates from: mapping it would share pages the
			 * kernel hands out; refuse, as the DT is wrong */
			dev_err(dev, "%s: %pR is ordinary RAM (no /reserved-memory entry): not mapped\n",
				name, r);
			return -EINVAL;
		}
	}
	snprintf(d->version, sizeof(d->version), "dvm_uio pages=0x%x", d->pages);
	d->info.version = d->version;

	irq = platform_get_irq_optional(pdev, 0);
	if (irq == -EPROBE_DEFER)
		return irq;
	if (irq > 0) {
		struct irq_data *id = irq_get_irq_data(irq);

		/* as uio_pdrv_genirq: a level interrupt is masked at once when disabled,
		 * not lazily, or it fires again before userspace cleared its cause */
		if (id && (irqd_get_trigger_type(id) & IRQ_TYPE_LEVEL_MASK))
			irq_set_status_flags(irq, IRQ_DISABLE_UNLAZY);
		d->info.irq = irq;
		d->info.handler = dvm_uio_irq;
		d->info.irqcontrol = dvm_uio_irqcontrol;
	} else {
		d->info.irq = UIO_IRQ_NONE;
	}
	d->info.mmap = dvm_uio_mmap;
	dev_info(dev, "%s: page-backed maps 0x%x\n", name, d->pages);
	return devm_uio_register_device(dev, &d->info);
}

static char *of_id = "generic-uio";
module_param(of_id, charp, 0444);
MODULE_PARM_DESC(of_id, "the compatible string of the nodes to bind (default generic-uio)");

static struct of_device_id dvm_uio_match[] = {
	{ .compatible = "" },	/* filled from of_id at load */
	{ }
};
/* No MODULE_DEVICE_TABLE: an empty compatible would make the module's alias match every
 * device-tree device; it is loaded explicitly (insmod dvm_uio.ko of_id=...). */

static struct platform_driver dvm_uio_driver = {
	.probe = dvm_uio_probe,
	.driver = {
		.name = "dvm_uio",
		.of_match_table = dvm_uio_match,
	},
};

static int __init dvm_uio_init(void)
{
	if (!of_id || !*of_id || strlen(of_id) >= sizeof(dvm_uio_match[0].compatible)) {
		pr_err("dvm_uio: bad of_id\n");
		return -EINVAL;
	}
	strscpy(dvm_uio_match[0].compatible, of_id, sizeof(dvm_uio_match[0].compatible));
	return platform_driver_register(&dvm_uio_driver);
}

static void __exit dvm_uio_exit(void)
{
	platform_driver_unregister(&dvm_uio_driver);
}

module_init(dvm_uio_init);
module_exit(dvm_uio_exit);
MODULE_DESCRIPTION("UIO for driver VMs' shared memory, page-backed and cacheable where possible");
MODULE_LICENSE("Dual BSD/GPL");
