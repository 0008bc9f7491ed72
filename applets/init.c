/* TEMPORARY stub, replaced by the real applet. */
#include "applet.h"
const char init_usage[] = "Usage: init\n";
int init_main(int argc, char **argv) { (void)argc; (void)argv; return 1; }
