/* This executable's path, with or without /proc; see selfexe.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "log.h"
#include "selfexe.h"

static char arg0[256];

void self_exe_set(const char *argv0)
{
	char cwd[192];

	/* relative with a '/': against the directory we started in, which init leaves */
	if (argv0[0] != '/' && strchr(argv0, '/') && getcwd(cwd, sizeof(cwd)))
		snprintf(arg0, sizeof(arg0), "%s/%s", cwd, argv0);
	else
		snprintf(arg0, sizeof(arg0), "%s", argv0);
}

/* A bare name: the first executable NAME in $PATH, as the shell found it. */
static int path_search(char *out, size_t n)
{
	const char *p = getenv("PATH");

	while (p && *p) {
		size_t l = strcspn(p, ":");
		snprintf(out, n, "%.*s/%s", (int)l, p, arg0);
		if (l && !access(out, X_OK))
			return 0;
		p += l + !!p[l];
	}
	return -1;
}

const char *self_exe(void)
{
	static char found[320];
	static int noted;

	if (!access("/proc/self/exe", X_OK))
		return "/proc/self/exe";
	if (arg0[0] == '/')
		snprintf(found, sizeof(found), "%s", arg0);
	else if (!arg0[0] || strchr(arg0, '/') || path_search(found, sizeof(found)))
		strcpy(found, "/bin/dvm");
	if (!noted++)
		info("no /proc/self/exe (no procfs): this executable is %s", found);
	return found;
}
