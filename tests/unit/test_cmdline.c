/* Kernel command line splitting, lookups and module parameter extraction. */
#include <stdlib.h>
#include "check.h"
#include "cmdline.h"

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
