/* TEMPORARY stub, replaced by the real applet. */
#include "applet.h"
const char poweroff_usage[] = "Usage: poweroff\n";
int poweroff_main(int argc, char **argv) { (void)argc; (void)argv; return 1; }
