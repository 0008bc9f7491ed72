// SPDX-License-Identifier: BSD-2-Clause
/* `dvm-pack minram`: the smallest guest RAM with which a driver VM still becomes ready,
 * found by bisection (1 MiB steps by default) over boots under QEMU, each with the
 * layout `dvm-pack layout` would make for that size. Then a recommended size with a
 * margin, checked by one more boot, and the layout for it. The search is deterministic:
 * the probes depend only on the range and the outcomes. */
#include <errno.h>
#include <libfdt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmds.h"
#include "layout.h"
#include "numarg.h"
#include "qprobe.h"
#include "stub.h"
#include "util.h"
#include "wfile.h"

#define QEMU_RAM_BASE 0x40000000ull	/* virt: RAM starts at 1 GiB */
/* Without -kernel, QEMU's virt puts its own DTB (1 MiB) at the start of RAM, where
 * -device loader cannot also write: probes put guest RAM 2 MiB higher. */
#define DEFAULT_PROBE_BASE 0x40200000ull
#define DEFAULT_FAIL "Kernel panic|Out of memory|oom-kill|Initramfs unpacking failed|Attempted to kill init"

const char minram_usage[] =
	"Usage: dvm-pack minram -k IMAGE -i INITRD -d DTB|DTS -o PREFIX\n"
	"                       (--ready-pattern ERE | --ready-cmd CMD)\n"
	"                       [--min SIZE] [--max SIZE] [--step SIZE] [--timeout SEC]\n"
	"                       [--fail-pattern ERE] [--margin-pct N] [--margin-min SIZE]\n"
	"                       [--probe-base ADDR] [--qemu PROG] [--qemu-arg ARG]...\n"
	"                       [--log-dir DIR] [--console ttyAMA0|hvc0]\n"
	"                       [layout options: --ram-base, --bootargs, ...]\n"
	"Find the smallest guest RAM with which the VM still becomes ready, by bisection over\n"
	"boots under QEMU (kernel, initramfs, DTB and a boot stub loaded at the layout's\n"
	"addresses, no -kernel), then write the layout (as `dvm-pack layout`) for the\n"
	"recommended size: the minimum plus a margin, rounded up to 2 MiB.\n"
	"  --ready-pattern ERE  ready when a console line matches (POSIX extended regex)\n"
	"  --ready-cmd CMD      ready when `sh -c CMD` exits 0; it boots the VM itself from\n"
	"                       $DVM_DTB, $DVM_STUB, $DVM_LOADER_ARGS, ... (docs/layout.md)\n"
	"  --fail-pattern ERE   console lines meaning failure (default: kernel panic, OOM,\n"
	"                       initramfs unpacking failure, init killed)\n"
	"  --min SIZE           lower end of the search (default 32M)\n"
	"  --max SIZE           upper end; must become ready (default 256M)\n"
	"  --step SIZE          granularity (default 1M)\n"
	"  --timeout SEC        bound on each boot (default 30)\n"
	"  --margin-pct N       margin: N% of the RAM above the boot-time images ... (25)\n"
	"  --margin-min SIZE    ... but at least SIZE (default 4M)\n"
	"  --probe-base ADDR    guest RAM base for the probes (default 0x40200000)\n"
	"  --ram-base ADDR      guest RAM base of the written layout (default 0x40000000)\n"
	"  --qemu PROG          default qemu-system-aarch64\n"
	"  --qemu-arg ARG       one more QEMU argument (repeatable)\n"
	"  --log-dir DIR        keep each probe's console log as DIR/probe-<MiB>M.log\n"
	"  --console NAME       the guest console the probes read: ttyAMA0 (PL011, QEMU's\n"
	"                       -serial) or hvc0 (a virtio console, max_ports=1); given,\n"
	"                       console=NAME is appended to the bootargs; default: the\n"
	"                       last console= of the bootargs, else ttyAMA0\n";

/* Temporary files, removed on exit and on SIGINT/SIGTERM/SIGHUP. */
static char tmpdir[256];
static const char *const tmp_names[] = { "p.dtb", "p.h", "p.map", "p.svg", "p.system", "stub.bin", "console.log" };

static void cleanup(void)
{
	char p[300];
	if (!tmpdir[0])
		return;
	for (size_t i = 0; i < sizeof(tmp_names) / sizeof(tmp_names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", tmpdir, tmp_names[i]);
		unlink(p);
	}
	rmdir(tmpdir);
}

static void on_signal(int sig)
{
	qprobe_kill();
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

struct search {
	struct lctx c;
	struct qprobe q;
	uint64_t probe_base, step;
	const char *log_dir;
	int boots;
};

static char *tpath(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

/* Boot with `size` bytes of RAM: 1 ready, 0 not. */
static int probe(struct search *s, uint64_t size)
{
	struct lres r;
	char why[1100], h[32], *log;
	const char *what[] = { "ready", "not ready", "not ready", "error" };
	double secs = 0;
	int res;
	uint64_t save = s->c.o.ram_base;

	s->c.o.ram_base = s->probe_base;
	int quiet = perr_quiet;
	perr_quiet = 1;
	int bad = layout_make(&s->c, size, &r);
	perr_quiet = quiet;
	s->c.o.ram_base = save;
	printf("probe %-10s ", human_size(size, h));
	if (bad) {
		printf("does not fit: %s\n", perr_last);
		fflush(stdout);
		return 0;
	}
	char *prefix = tpath("p"), *stub = tpath("stub.bin"), *dtb = tpath("p.dtb"), *hdr = tpath("p.h");
	log = s->log_dir ? xasprintf("%s/probe-%lluM.log", s->log_dir, (unsigned long long)(size >> 20)) :
			   tpath("console.log");
	uint8_t code[STUB_SIZE];
	stub_build(code, r.lay.dtb, r.lay.kernel);
	uint64_t stub_addr = r.lay.ram_base + r.lay.ram_size;	/* just above guest RAM */
	struct qfiles f = { s->c.o.kernel, s->c.o.initrd, dtb, stub, hdr, log };
	if (layout_write(&s->c, &r, prefix) || write_file_atomic(stub, code, sizeof(code)))
		res = PROBE_ERROR, snprintf(why, sizeof(why), "%s", perr_last);
	else
		res = qprobe_run(&s->q, &f, &r.lay, stub_addr, why, sizeof(why), &secs);
	s->boots++;
	printf("%-9s (%.1f s) %s\n", what[res], secs, why);
	fflush(stdout);
	dtb_free(&r.d);
	free(prefix), free(stub), free(dtb), free(hdr), free(log);
	if (res == PROBE_ERROR) {
		perr("the probe with %s could not boot: %s", human_size(size, h), why);
		return -1;
	}
	return res == PROBE_READY;
}

/* With no --console: hvc0 when the last console= of the bootargs the kernel will see
 * (--bootargs or the DTB's, then --append-bootargs) names an hvc. */
static int console_is_hvc(const struct lctx *c)
{
	int node = fdt_path_offset(c->src.fdt, "/chosen"), len;
	const char *dt = node >= 0 ? fdt_getprop(c->src.fdt, node, "bootargs", &len) : NULL;
	const char *parts[2] = { c->o.bootargs ? c->o.bootargs :
				 dt && len > 0 && memchr(dt, 0, (size_t)len) ? dt : "", c->o.append };
	int hvc = 0;

	for (int i = 0; i < 2; i++)
		for (const char *p = parts[i]; p && (p = strstr(p, "console=")); p += 8)
			if (p == parts[i] || p[-1] == ' ')
				hvc = !strncmp(p + 8, "hvc", 3);
	return hvc;
}

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "dvm-pack minram: %s%s%s\n(dvm-pack minram --help for usage)\n", msg,
		arg ? ": " : "", arg ? arg : "");
	return 2;
}

static int compile(regex_t *re, const char *pat, const char *what)
{
	int e = regcomp(re, pat, REG_EXTENDED | REG_NOSUB);
	if (e) {
		char m[128];
		regerror(e, re, m, sizeof(m));
		perr("bad %s '%s': %s", what, pat, m);
		return -1;
	}
	return 0;
}

int cmd_minram(int argc, char **argv)
{
	static const struct option opts[] = {
		LOPT_ENTRIES,
		{ "ready-pattern", required_argument, NULL, 0x200 },
		{ "ready-cmd", required_argument, NULL, 0x201 },
		{ "fail-pattern", required_argument, NULL, 0x202 },
		{ "min", required_argument, NULL, 0x203 },
		{ "max", required_argument, NULL, 0x204 },
		{ "step", required_argument, NULL, 0x205 },
		{ "timeout", required_argument, NULL, 0x206 },
		{ "margin-pct", required_argument, NULL, 0x207 },
		{ "margin-min", required_argument, NULL, 0x208 },
		{ "probe-base", required_argument, NULL, 0x209 },
		{ "qemu", required_argument, NULL, 0x20a },
		{ "qemu-arg", required_argument, NULL, 0x20b },
		{ "log-dir", required_argument, NULL, 0x20c },
		{ "console", required_argument, NULL, 0x20d },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct search s;
	const char *prefix = NULL, *ready_pat = NULL, *fail_pat = DEFAULT_FAIL, *console = NULL;
	char *append = NULL;
	uint64_t min = 32 << 20, max = 256 << 20, margin_min = 4 << 20;
	unsigned long long pct = 25, tmo = 30;
	regex_t ready_re, fail_re;
	char h[32], h2[32], on[64];
	int opt, rc = 1;

	memset(&s, 0, sizeof(s));
	lopt_defaults(&s.c.o);
	s.q.qemu = "qemu-system-aarch64";
	s.probe_base = DEFAULT_PROBE_BASE;
	s.step = 1 << 20;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":" LOPT_SHORT "h", opts, NULL)) != -1) {
		int bad = 0, mine = 1;
		switch (opt) {
		case 'h': fputs(minram_usage, stdout); return 0;
		case 'o': prefix = optarg; break;
		case ':': return usage_error("option needs a value", opt_named(argc, argv, opts, on));
		case 0x200: ready_pat = optarg; break;
		case 0x201: s.q.ready_cmd = optarg; break;
		case 0x202: fail_pat = optarg; break;
		case 0x203: bad = parse_size(optarg, "--min", &min); break;
		case 0x204: bad = parse_size(optarg, "--max", &max); break;
		case 0x205: bad = parse_size(optarg, "--step", &s.step); break;
		case 0x206:
			if ((bad = parse_uint(optarg, 10, 3600, &tmo) || !tmo))
				perr("bad --timeout '%s' (1..3600 seconds)", optarg);
			break;
		case 0x207:
			if ((bad = parse_uint(optarg, 10, 1000, &pct)))
				perr("bad --margin-pct '%s' (0..1000)", optarg);
			break;
		case 0x208: bad = parse_size(optarg, "--margin-min", &margin_min); break;
		case 0x209: bad = parse_size(optarg, "--probe-base", &s.probe_base); break;
		case 0x20a: s.q.qemu = optarg; break;
		case 0x20b:
			if (s.q.nextra == QPROBE_MAX_ARGS)
				return usage_error("too many --qemu-arg", optarg);
			s.q.extra[s.q.nextra++] = optarg;
			break;
		case 0x20c: s.log_dir = optarg; break;
		case 0x20d:
			if (strcmp(optarg, "hvc0") && strcmp(optarg, "ttyAMA0")) {
				perr("bad --console '%s' (ttyAMA0 or hvc0)", optarg);
				return 2;
			}
			console = optarg;
			break;
		default:
			mine = opt == '?' ? 0 : lopt_set(&s.c.o, opt, optarg);
			if (!mine)
				return usage_error("unknown option", opt_named(argc, argv, opts, on));
			bad = mine < 0;
		}
		if (bad)
			return 2;
	}
	if (optind < argc)
		return usage_error("unexpected argument", argv[optind]);
	if (lopt_check(&s.c.o))
		return 2;
	if (!prefix)
		return usage_error("missing -o PREFIX", NULL);
	if (!ready_pat == !s.q.ready_cmd)
		return usage_error("give exactly one of --ready-pattern and --ready-cmd", NULL);
	if (s.c.o.ram_size_given)
		return usage_error("--ram-size is what minram finds; give --min and --max", NULL);
	if (!s.step || s.step % SZ_4K || min % s.step || max % s.step || min >= max) {
		perr("--min %llu and --max %llu must be multiples of --step %llu (itself a multiple "
		     "of 4 KiB), with min < max", (unsigned long long)min, (unsigned long long)max,
		     (unsigned long long)s.step);
		return 2;
	}
	if (s.probe_base % SZ_2M || s.probe_base < DEFAULT_PROBE_BASE) {
		perr("--probe-base 0x%llx must be 2 MiB aligned and at least 0x%llx (QEMU's own DTB "
		     "occupies the first MiB of RAM)", (unsigned long long)s.probe_base,
		     DEFAULT_PROBE_BASE);
		return 2;
	}
	if (ready_pat && compile(&ready_re, ready_pat, "--ready-pattern"))
		return 2;
	if (compile(&fail_re, fail_pat, "--fail-pattern"))
		return 2;
	s.q.ready = ready_pat ? &ready_re : NULL;
	s.q.fail = &fail_re;
	s.q.timeout_s = (unsigned)tmo;
	/* QEMU's RAM covers the largest guest RAM probed and the stub page above it */
	s.q.mem_mb = (unsigned)((s.probe_base + max + SZ_2M - QEMU_RAM_BASE + (1 << 20) - 1) >> 20);

	if (layout_load(&s.c))
		goto out;
	if (console) {
		/* the console the probes read is the one the kernel writes to */
		append = s.c.o.append ? xasprintf("%s console=%s", s.c.o.append, console) :
			xasprintf("console=%s", console);
		s.c.o.append = append;
		s.q.hvc = !strcmp(console, "hvc0");
	} else {
		s.q.hvc = console_is_hvc(&s.c);
	}
	printf("kernel %s: arm64 Image, %s; probes read the console on %s\n", s.c.o.kernel,
	       s.c.k.kind, s.q.hvc ? "hvc0" : "ttyAMA0");
	const char *td = getenv("TMPDIR");
	snprintf(tmpdir, sizeof(tmpdir), "%.200s/dvm-minram.XXXXXX", td && *td ? td : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perr("cannot create a temporary directory: %s", strerror(errno));
		tmpdir[0] = 0;
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);

	/* Bisection in units of step: lo never ready (or below the range), hi ready. */
	uint64_t lo = min / s.step, hi = max / s.step;
	int r = probe(&s, hi * s.step);
	if (r < 0)
		goto out;
	if (!r) {
		perr("the VM does not become ready even with --max %s (see the probe above%s)",
		     human_size(max, h), s.log_dir ? " and its log" : "; --log-dir keeps its log");
		goto out;
	}
	r = probe(&s, lo * s.step);
	if (r < 0)
		goto out;
	if (r) {
		hi = lo;
		printf("note: ready already at --min %s; the true minimum may be lower\n",
		       human_size(min, h));
	}
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if ((r = probe(&s, mid * s.step)) < 0)
			goto out;
		if (r)
			hi = mid;
		else
			lo = mid;
	}
	uint64_t minimum = hi * s.step;
	/* The margin covers what the boot-time probe did not exercise (load: page cache,
	 * slab growth, request buffers; variation between kernels and boots). The kernel
	 * image and the initramfs are fixed costs: the percentage applies to the rest. */
	uint64_t fixed = s.c.k.text_offset + s.c.k.image_size + ((s.c.initrd_size + 0xfff) & ~0xfffull);
	uint64_t dyn = minimum > fixed ? minimum - fixed : 0;
	uint64_t margin = dyn * pct / 100 < margin_min ? margin_min : dyn * pct / 100;
	uint64_t rec = (minimum + margin + SZ_2M - 1) & ~(SZ_2M - 1);
	printf("minimum: %s (%s above the kernel's image_size and the initramfs)\n",
	       human_size(minimum, h), human_size(dyn, h2));
	printf("recommended: %s = minimum + %llu%% of that (at least %s), rounded up to 2 MiB\n",
	       human_size(rec, h), pct, human_size(margin_min, h2));
	if ((r = probe(&s, rec)) <= 0) {
		if (!r)
			perr("the recommended size %s did not become ready: the readiness check is "
			     "not monotonic in RAM size (flaky?)", human_size(rec, h));
		goto out;
	}
	struct lres res;
	if (layout_make(&s.c, rec, &res))
		goto out;
	if (!layout_write(&s.c, &res, prefix)) {
		printf("wrote %s.{dtb,h,system,map,svg}: guest RAM 0x%llx, %s (%d boots)\n", prefix,
		       (unsigned long long)res.lay.ram_base, human_size(rec, h), s.boots);
		rc = 0;
	}
	dtb_free(&res.d);
out:
	cleanup();
	layout_free(&s.c, NULL);
	if (ready_pat)
		regfree(&ready_re);
	regfree(&fail_re);
	free(append);
	return rc;
}
