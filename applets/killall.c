/* TEMPORARY stub, replaced by the real applet. */
#include "applet.h"
const char killall_usage[] = "Usage: killall\n";
int killall_main(int argc, char **argv) { (void)argc; (void)argv; return 1; }
