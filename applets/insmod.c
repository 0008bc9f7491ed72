/* TEMPORARY stub, replaced by the real applet. */
#include "applet.h"
const char insmod_usage[] = "Usage: insmod\n";
int insmod_main(int argc, char **argv) { (void)argc; (void)argv; return 1; }
