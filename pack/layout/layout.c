// SPDX-License-Identifier: BSD-2-Clause
/* `dvm-pack layout`: read the kernel Image header, the initramfs size and the DTB, place
 * everything in guest RAM (place.c), patch the DTB (fdtpatch.c) and write the patched
 * DTB, the VMM header, the memory map and its SVG. */
#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cmds.h"
#include "layout.h"
#include "memmap.h"
#include "numarg.h"
#include "stub.h"
#include "util.h"
#include "wfile.h"

const char layout_usage[] =
	"Usage: dvm-pack layout -k IMAGE -i INITRD -d DTB|DTS --ram-size SIZE|auto -o PREFIX\n"
	"                       [--ram-base ADDR] [--work SIZE] [--bootargs ARGS]\n"
	"                       [--append-bootargs ARGS] [--initrd-at ADDR] [--dtb-at ADDR]\n"
	"                       [--macro-prefix NAME] [--stub FILE] [--vm-name NAME]\n"
	"                       [--vmm-vaddr ADDR] [--zero-copy]\n"
	"Place an arm64 kernel Image, an initramfs and a DTB in guest RAM by the arm64 boot\n"
	"protocol, patch the DTB (memory node, /chosen initrd range and bootargs) and write\n"
	"PREFIX.dtb, PREFIX.h (for the VMM), PREFIX.system (the Microkit system-description\n"
	"fragment), PREFIX.map and PREFIX.svg (the memory map).\n"
	"  -k, --kernel IMAGE     the raw arm64 Image (its header is read)\n"
	"  -i, --initrd FILE      the initramfs\n"
	"  -d, --dtb FILE         a DTB, or a DTS (compiled with dtc)\n"
	"  -o, --output PREFIX    where the outputs go\n"
	"  --ram-base ADDR        guest RAM base, 2 MiB aligned (default 0x40000000)\n"
	"  --ram-size SIZE|auto   guest RAM size; auto = the smallest multiple of 2 MiB\n"
	"                         holding the images and leaving --work free\n"
	"  --work SIZE            free RAM `auto` leaves for the kernel (default 24M)\n"
	"  --bootargs ARGS        replace /chosen bootargs\n"
	"  --append-bootargs ARGS append to /chosen bootargs (after --bootargs)\n"
	"  --initrd-at ADDR       put the initramfs here instead (4 KiB aligned)\n"
	"  --dtb-at ADDR          put the DTB here instead (8-byte aligned)\n"
	"  --macro-prefix NAME    prefix of the header's macros (default GUEST_, as libvmm)\n"
	"  --stub FILE            also write a boot stub that sets x0 = DTB and jumps to\n"
	"                         the kernel (position independent; for QEMU's loader)\n"
	"  --vm-name NAME         PREFIX.system's virtual_machine; guest RAM is the memory\n"
	"                         region NAME_ram (default guest: guest_ram, as libvmm)\n"
	"  --vmm-vaddr ADDR       where the VMM maps guest RAM, PREFIX.system's setvar_vaddr\n"
	"                         guest_ram_vaddr (default 0x20000000, as libvmm's examples)\n"
	"  --zero-copy            reserve the UIO data regions without no-map (in a memory\n"
	"                         node), so dvm_uio maps them page-backed and cacheable\n"
	"SIZE and ADDR: decimal or 0x hex, optionally with K, M or G. See docs/layout.md.\n";

void lopt_defaults(struct lopts *o)
{
	memset(o, 0, sizeof(*o));
	o->ram_base = 0x40000000;
	o->ram_size = 0;
	o->work = LAY_DEFAULT_WORK;
	o->initrd_at = o->dtb_at = LAY_AUTO;
	o->macro = "GUEST_";
	o->vm_name = "guest";
	o->vmm_vaddr = 0x20000000;
}

int lopt_set(struct lopts *o, int c, const char *arg)
{
	switch (c) {
	case 'k': o->kernel = arg; return 1;
	case 'i': o->initrd = arg; return 1;
	case 'd': o->dtb = arg; return 1;
	case 0x100: return parse_size(arg, "--ram-base", &o->ram_base) ? -1 : 1;
	case 0x101:
		o->ram_size_given = 1;
		if (!strcmp(arg, "auto")) {
			o->ram_size = LAY_AUTO;
			return 1;
		}
		if (parse_size(arg, "--ram-size", &o->ram_size))
			return -1;
		if (!o->ram_size || o->ram_size % SZ_4K) {
			perr("bad --ram-size '%s': must be a non-zero multiple of 4 KiB (or auto)",
			     arg);
			return -1;
		}
		return 1;
	case 0x102: return parse_size(arg, "--work", &o->work) ? -1 : 1;
	case 0x103: o->bootargs = arg; return 1;
	case 0x104: o->append = arg; return 1;
	case 0x105:
		if (parse_size(arg, "--initrd-at", &o->initrd_at))
			return -1;
		if (o->initrd_at % SZ_4K) {
			perr("bad --initrd-at '%s': not 4 KiB aligned", arg);
			return -1;
		}
		return 1;
	case 0x106:
		if (parse_size(arg, "--dtb-at", &o->dtb_at))
			return -1;
		if (o->dtb_at % 8) {
			perr("bad --dtb-at '%s': not 8-byte aligned", arg);
			return -1;
		}
		return 1;
	case 0x107:
		for (const char *p = arg; *p; p++)
			if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			      (p > arg && *p >= '0' && *p <= '9'))) {
				perr("bad --macro-prefix '%s' (letters, digits and _, not starting "
				     "with a digit)", arg);
				return -1;
			}
		o->macro = arg;
		return 1;
	case 0x108: o->stub = arg; return 1;
	case 0x109:
		/* a Microkit name and the prefix of a memory region's name */
		if (!*arg || strlen(arg) > 60 || strspn(arg, "abcdefghijklmnopqrstuvwxyz"
			"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != strlen(arg)) {
			perr("bad --vm-name '%s' (1 to 60 letters, digits, _ and -)", arg);
			return -1;
		}
		o->vm_name = arg;
		return 1;
	case 0x10b: o->zero_copy = 1; return 1;
	case 0x10a:
		if (parse_size(arg, "--vmm-vaddr", &o->vmm_vaddr))
			return -1;
		if (o->vmm_vaddr % 0x1000) {
			perr("--vmm-vaddr 0x%llx is not 4 KiB aligned", (unsigned long long)o->vmm_vaddr);
			return -1;
		}
		return 1;
	}
	return 0;
}

int lopt_check(const struct lopts *o)
{
	const char *miss = !o->kernel ? "-k IMAGE" : !o->initrd ? "-i INITRD" : !o->dtb ? "-d DTB" : NULL;
	if (miss) {
		perr("missing %s", miss);
		return -1;
	}
	return 0;
}

int layout_load(struct lctx *c)
{
	struct stat st;

	if (image_read(c->o.kernel, &c->k))
		return -1;
	if (stat(c->o.initrd, &st)) {
		perr("cannot read initramfs %s: %s", c->o.initrd, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		perr("initramfs %s: not a regular file", c->o.initrd);
		return -1;
	}
	if (!st.st_size) {
		perr("initramfs %s is empty", c->o.initrd);
		return -1;
	}
	c->initrd_size = (uint64_t)st.st_size;
	if (dtb_load(c->o.dtb, &c->src))
		return -1;
	c->ndt = dtb_regions(c->src.fdt, c->dt, LAYOUT_MAX_DT);
	return c->ndt < 0 ? -1 : 0;
}

/* Patch a fresh copy of the DTB for layout l (or provisional values: ram_size may be
 * a placeholder; reg lengths do not depend on the values). */
static int patch(const struct lctx *c, const struct lay_out *l, struct dtb *d)
{
	size_t n = fdt_totalsize(c->src.fdt);
	*d = c->src;
	d->notes[0] = 0;
	d->fdt = memcpy(xmalloc(n), c->src.fdt, n);
	d->cap = n;
	if (dtb_set_memory(d, l->ram_base, l->ram_size, c->dt, c->ndt) ||
	    dtb_set_initrd(d, l->initrd, l->initrd_end) ||
	    ((c->o.bootargs || c->o.append) && dtb_set_bootargs(d, c->o.bootargs, c->o.append)) ||
	    (c->o.zero_copy && dtb_zero_copy(d, c->dt, c->ndt)) ||
	    dtb_pack(d)) {
		dtb_free(d);
		return -1;
	}
	int node = fdt_path_offset(d->fdt, "/chosen"), len = 0;
	if (node >= 0 && fdt_getprop(d->fdt, node, "bootargs", &len) && len - 1 > BOOTARGS_MAX) {
		perr("the kernel command line (/chosen bootargs%s) is %d bytes; an arm64 kernel "
		     "keeps at most %d (COMMAND_LINE_SIZE) and would cut the rest off",
		     c->o.bootargs || c->o.append ? " with --bootargs/--append-bootargs" : "",
		     len - 1, BOOTARGS_MAX);
		dtb_free(d);
		return -1;
	}
	return 0;
}

int layout_make(struct lctx *c, uint64_t ram_size, struct lres *r)
{
	struct lay_in in = {
		.ram_base = c->o.ram_base, .ram_size = ram_size, .work = c->o.work, .k = c->k,
		.initrd_size = c->initrd_size, .initrd_at = c->o.initrd_at, .dtb_at = c->o.dtb_at,
		.dt = c->dt, .ndt = c->ndt,
	};
	struct lay_out prov = {
		.ram_base = c->o.ram_base, .ram_size = ram_size == LAY_AUTO ? SZ_2M : ram_size,
		.initrd = c->o.ram_base, .initrd_end = c->o.ram_base,
	};

	memset(r, 0, sizeof(*r));
	/* The DTB's size depends on the patch, the placement on that size, and the
	 * patch's cell widths (32 or 64-bit initrd values) on the placement: iterate
	 * until the size settles (it does by the second round). */
	if (patch(c, &prov, &r->d))
		return -1;
	for (int round = 0;; round++) {
		in.dtb_size = fdt_totalsize(r->d.fdt);
		dtb_free(&r->d);
		if (layout_place(&in, &r->lay) || patch(c, &r->lay, &r->d))
			return -1;
		if (fdt_totalsize(r->d.fdt) == in.dtb_size)
			return 0;
		if (round == 3) {
			perr("%s: the patched DTB's size does not settle (%llu, then %u bytes)",
			     c->o.dtb, (unsigned long long)in.dtb_size, fdt_totalsize(r->d.fdt));
			dtb_free(&r->d);
			return -1;
		}
	}
}

static char *guard_of(const char *prefix)
{
	const char *b = strrchr(prefix, '/');
	char *g = xasprintf("DVM_LAYOUT_%s_H", b ? b + 1 : prefix);
	for (char *p = g; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
		else if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			*p = '_';
	return g;
}

int layout_write(const struct lctx *c, const struct lres *r, const char *prefix)
{
	char *dtb_out = xasprintf("%s.dtb", prefix), *paths[4], *text[4], *guard = guard_of(prefix);
	int node = fdt_path_offset(r->d.fdt, "/chosen"), len, rc = -1;
	const char *ba = node >= 0 ? fdt_getprop(r->d.fdt, node, "bootargs", &len) : NULL;
	struct lay_view v = {
		.lay = &r->lay, .k = &c->k, .dt = c->dt, .ndt = c->ndt, .kernel_path = c->o.kernel,
		.initrd_path = c->o.initrd, .dtb_in = c->o.dtb, .dtb_out = dtb_out,
		.initrd_size = c->initrd_size, .dtb_size = fdt_totalsize(r->d.fdt),
		.bootargs = ba && len > 0 && memchr(ba, 0, (size_t)len) ? ba : NULL,
		.notes = r->d.notes, .zero_copy = c->o.zero_copy,
	};

	paths[0] = xasprintf("%s.h", prefix);
	paths[1] = xasprintf("%s.map", prefix);
	paths[2] = xasprintf("%s.svg", prefix);
	paths[3] = xasprintf("%s.system", prefix);
	text[0] = vmm_header(&v, guard, c->o.macro);
	text[1] = memmap_text(&v);
	text[2] = memmap_svg(&v);
	text[3] = sdf_fragment(&v, c->o.vm_name, c->o.vmm_vaddr);
	{
		uint8_t stub[STUB_SIZE];
		const char *p[6] = { dtb_out, paths[0], paths[1], paths[2], paths[3], c->o.stub };
		const void *d[6] = { r->d.fdt, text[0], text[1], text[2], text[3], stub };
		size_t l[6] = { fdt_totalsize(r->d.fdt), strlen(text[0]), strlen(text[1]),
				strlen(text[2]), strlen(text[3]), sizeof(stub) };
		stub_build(stub, r->lay.dtb, r->lay.kernel);
		/* all of them appear together, or none changes */
		if (write_files_atomic(c->o.stub ? 6 : 5, p, d, l))
			goto out;
	}
	rc = 0;
out:
	for (int i = 0; i < 4; i++)
		free(paths[i]), free(text[i]);
	free(dtb_out);
	free(guard);
	return rc;
}

void layout_free(struct lctx *c, struct lres *r)
{
	if (r)
		dtb_free(&r->d);
	if (c)
		dtb_free(&c->src);
}

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "dvm-pack layout: %s%s%s\n(dvm-pack layout --help for usage)\n", msg,
		arg ? ": " : "", arg ? arg : "");
	return 2;
}

int cmd_layout(int argc, char **argv)
{
	static const struct option opts[] = { LOPT_ENTRIES, { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct lctx c = { 0 };
	struct lres r = { 0 };
	const char *prefix = NULL;
	char h[32], on[64];
	int opt;

	lopt_defaults(&c.o);
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":" LOPT_SHORT "h", opts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(layout_usage, stdout);
			return 0;
		}
		if (opt == 'o') {
			prefix = optarg;
			continue;
		}
		if (opt == ':')
			return usage_error("option needs a value", opt_named(argc, argv, opts, on));
		int s = opt == '?' ? 0 : lopt_set(&c.o, opt, optarg);
		if (s < 0)
			return 2;
		if (!s)
			return usage_error("unknown option", opt_named(argc, argv, opts, on));
	}
	if (optind < argc)
		return usage_error("unexpected argument", argv[optind]);
	if (lopt_check(&c.o))
		return 2;
	if (!c.o.ram_size_given)
		return usage_error("missing --ram-size SIZE|auto", NULL);
	if (!prefix)
		return usage_error("missing -o PREFIX", NULL);
	if (layout_load(&c) || layout_make(&c, c.o.ram_size, &r) || layout_write(&c, &r, prefix)) {
		layout_free(&c, &r);
		return 1;
	}
	printf("kernel %s: arm64 Image, %s\n", c.o.kernel, c.k.kind);
	printf("guest RAM 0x%llx, %s: kernel 0x%llx, initramfs 0x%llx-0x%llx, DTB 0x%llx "
	       "(%u bytes); wrote %s.{dtb,h,system,map,svg}\n", (unsigned long long)r.lay.ram_base,
	       human_size(r.lay.ram_size, h), (unsigned long long)r.lay.kernel,
	       (unsigned long long)r.lay.initrd, (unsigned long long)r.lay.initrd_end,
	       (unsigned long long)r.lay.dtb, fdt_totalsize(r.d.fdt), prefix);
	layout_free(&c, &r);
	return 0;
}
