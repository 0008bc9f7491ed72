// SPDX-License-Identifier: BSD-2-Clause
/* Kernel command line splitting, lookups and module parameter extraction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "cmdline.h"
#include "fake_sysfs.h"

TEST(get_value_and_bare_word)
{
	char b[64];
	const char *cl = "console=ttyAMA0 quiet dvm.loglevel=7 root=/dev/vda\n";

	CHECK_INT(cmdline_get(cl, "dvm.loglevel", b, sizeof(b)), 1);
	CHECK_STR(b, "7");
	CHECK_INT(cmdline_get(cl, "quiet", b, sizeof(b)), 2);
	CHECK_STR(b, "");
	CHECK_INT(cmdline_get(cl, "root", b, sizeof(b)), 1);
	CHECK_STR(b, "/dev/vda");
	CHECK_INT(cmdline_get(cl, "missing", b, sizeof(b)), 0);
	CHECK_INT(cmdline_get(cl, "dvm", b, sizeof(b)), 0);
}

TEST(last_occurrence_wins_and_quotes_group)
{
	char b[64];
	const char *cl = "a=1 a=2 msg=\"hello world\" x\"y z\"=w";

	CHECK_INT(cmdline_get(cl, "a", b, sizeof(b)), 1);
	CHECK_STR(b, "2");
	CHECK_INT(cmdline_get(cl, "msg", b, sizeof(b)), 1);
	CHECK_STR(b, "hello world");
	CHECK_INT(cmdline_get(cl, "xy z", b, sizeof(b)), 1);
	CHECK_STR(b, "w");
}

TEST(value_truncated_to_buffer)
{
	char b[4];
	CHECK_INT(cmdline_get("k=abcdef", "k", b, sizeof(b)), 1);
	CHECK_STR(b, "abc");
}

TEST(module_params_dash_underscore_and_quoting)
{
	char out[128] = "";
	const char *cl = "uio-pdrv-genirq.of_id=generic-uio quiet uio_pdrv_genirq.x-y=1 "
			 "uio_pdrv.bad=1 uio_pdrv_genirq.=2 uio_pdrv_genirq.s=\"a b\" "
			 "uio_pdrv_genirq.flag";

	CHECK_INT(cmdline_module_params(cl, "uio_pdrv_genirq", out, sizeof(out)), 4);
	CHECK_STR(out, "of_id=generic-uio x_y=1 s=\"a b\" flag");
}

TEST(module_params_append_and_overflow)
{
	char out[16] = "a=1";
	CHECK_INT(cmdline_module_params("m.b=2", "m", out, sizeof(out)), 1);
	CHECK_STR(out, "a=1 b=2");
	CHECK_INT(cmdline_module_params("m.c=0123456789", "m", out, sizeof(out)), -1);
	CHECK_STR(out, "a=1 b=2");
}

TEST(modname_equivalence)
{
	CHECK(modname_eq("virtio-blk", "virtio_blk", -1));
	CHECK(!modname_eq("virtio_blk", "virtio_bl", -1));
	CHECK(modname_eq("abc-x", "abc_y", 4));
}

TEST(env_override_for_tests)
{
	setenv("DVM_CMDLINE", "dvm.x=1", 1);
	CHECK_STR(cmdline_read(), "dvm.x=1");
	unsetenv("DVM_CMDLINE");
}

/* Without procfs the command line comes from the device tree: /chosen/bootargs, a
 * NUL-terminated string property; /proc/cmdline wins when there. */
TEST(load_from_device_tree)
{
	char buf[64];
	const char *root = fake_root(), *got;
	char proc[256], dt[256];

	snprintf(proc, sizeof(proc), "%s/proc/cmdline", root);
	snprintf(dt, sizeof(dt), "%s/sys/firmware/devicetree/base/chosen/bootargs", root);
	got = cmdline_load(proc, dt, buf, sizeof(buf));
	CHECK(!got);
	CHECK_STR(buf, "");
	fake_write("sys/firmware/devicetree/base/chosen/bootargs",
		   "console=hvc0 dvm.loglevel=7 uio_pdrv_genirq.of_id=generic-uio");
	/* the property's terminating NUL, as the kernel exposes it */
	FILE *f = fopen(dt, "a");
	CHECK(f && fputc(0, f) == 0 && !fclose(f));
	got = cmdline_load(proc, dt, buf, sizeof(buf));
	CHECK(got == dt);
	CHECK_INT(strlen(buf), 61);
	CHECK_INT(cmdline_get(buf, "dvm.loglevel", proc, sizeof(proc)), 1);
	CHECK_STR(proc, "7");
	snprintf(proc, sizeof(proc), "%s/proc/cmdline", root);
	fake_write("proc/cmdline", "console=ttyAMA0 quiet\n");
	got = cmdline_load(proc, dt, buf, sizeof(buf));
	CHECK(got == proc);
	CHECK_STR(buf, "console=ttyAMA0 quiet\n");
	fake_cleanup();
}

/* A line longer than the buffer is cut, not overflowed. */
TEST(load_truncates)
{
	char buf[8];
	const char *root = fake_root();
	char dt[256];

	snprintf(dt, sizeof(dt), "%s/bootargs", root);
	fake_write("bootargs", "0123456789abcdef");
	CHECK(cmdline_load("/nonexistent/cmdline", dt, buf, sizeof(buf)) == dt);
	CHECK_STR(buf, "0123456");
	fake_cleanup();
}
