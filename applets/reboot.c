/* TEMPORARY stub, replaced by the real applet. */
#include "applet.h"
const char reboot_usage[] = "Usage: reboot\n";
int reboot_main(int argc, char **argv) { (void)argc; (void)argv; return 1; }
