/* TEMPORARY stub, replaced by the real applet. */
#include "applet.h"
const char mount_usage[] = "Usage: mount\n";
int mount_main(int argc, char **argv) { (void)argc; (void)argv; return 1; }
