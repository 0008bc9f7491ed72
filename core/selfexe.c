// SPDX-License-Identifier: BSD-2-Clause
/* This executable's path, with or without /proc; see selfexe.h. */
#include <unistd.h>
#include "log.h"
#include "selfexe.h"

static const char *arg0 = "";

void self_exe_set(const char *argv0)
{
	arg0 = argv0;
}

const char *self_exe(void)
{
	static int noted;
	const char *p = "/proc/self/exe";

	if (access(p, X_OK)) {
		p = arg0[0] == '/' ? arg0 : "/bin/dvm";
		if (!noted++)
			info("no /proc/self/exe (no procfs): this executable is %s", p);
	}
	return p;
}
