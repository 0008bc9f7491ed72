/* SPDX-License-Identifier: BSD-2-Clause */
/* The driver VM's device tree: QEMU's own DTB for the machine, plus a reserved-memory
 * no-map node covering the shared window and generic-uio nodes whose reg entries are the
 * regions laid out in the window, edited with libfdt. For the boot, its memory is guest
 * RAM only (the window is no memory node) and /chosen names the command line and the
 * initramfs, which vmm-sim places itself (qemu.c). */
#ifndef VMM_DTB_H
#define VMM_DTB_H
#include <stdint.h>

struct uio_map {
	const char *name;   /* reg-names entry (NULL: no reg-names for this node) */
	uint64_t gpa, size;
};

/* Load a DTB file with room for our additions. */
void *dtb_load(const char *path);

/* /reserved-memory/NAME@GPA { reg = <gpa size>; no-map; } (creating /reserved-memory). */
void dtb_reserve(void *fdt, const char *name, uint64_t gpa, uint64_t size);
/* The same without no-map, plus a memory node for it (marked dvm,zero-copy, so that
 * dtb_set_memory keeps it): the kernel keeps it in its linear map with struct pages
 * (dvm_uio maps such regions page-backed and cacheable: zero-copy). */
void dtb_reserve_mapped(void *fdt, const char *name, uint64_t gpa, uint64_t size);

/* GIC interrupt flags (the third cell). */
#define IRQ_EDGE_RISING 1
#define IRQ_LEVEL_HIGH 4

/* /NODE@GPA0 { compatible = "generic-uio"; linux,uio-name = UIO_NAME; reg = ...;
 * reg-names = ... (when maps have names); interrupts = <0 SPI FLAGS> (when spi >= 0) }.
 * At most 5 maps (Linux MAX_UIO_MAPS). */
void dtb_add_uio(void *fdt, const char *node, const char *uio_name, const struct uio_map *m,
		 int n, int spi, int irq_flags);

/* The per-region binding (sdfgen's rules): /uio@GPA { compatible = "generic-uio",
 * REGION; reg = <GPA SIZE>; interrupts = <0 SPI FLAGS> (when spi >= 0) }. size 0: no
 * reg, an interrupt-only node /uio@irqSPI (libvmm's network driver VM). */
void dtb_add_region(void *fdt, const char *region, uint64_t gpa, uint64_t size, int spi,
		    int irq_flags);

/* A device tree given with --dtb (the rootfs/ DTS files) must describe the UIO nodes and the
 * reserved window exactly as the simulator lays them out (want): dies naming the node
 * and property that differ. */
void dtb_check_same_uio(const void *want, const void *got);

/* Guest RAM is exactly [base, base + size): the memory node at base gets that reg, every
 * other memory node (QEMU's node for the shared window) and /distance-map go. */
void dtb_set_memory(void *fdt, uint64_t base, uint64_t size);

/* /chosen: bootargs, and linux,initrd-start/end (end exclusive) as 64-bit cells. */
void dtb_set_chosen(void *fdt, const char *bootargs, uint64_t initrd_start, uint64_t initrd_end);

/* Write the DTB (packed) to path. */
void dtb_save(void *fdt, const char *path);

/* --trim-dt: remove what QEMU virt describes beyond what a libvmm VMM gives a driver VM
 * (whose DT lists only its own devices): the virtio-mmio transports but the top
 * nvirtio (the ones QEMU plugged devices into), GPIO, RTC, PCIe, fw-cfg, flash, the
 * platform bus and the PMU. Each node costs guest RAM (a platform device, sysfs). */
int dtb_trim_virt(void *fdt, unsigned nvirtio); /* returns how many nodes went */

/* Its size once packed, as dtb_save writes it. */
uint32_t dtb_size(void *fdt);

#endif
