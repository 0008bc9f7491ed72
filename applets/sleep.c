/* TEMPORARY stub, replaced by the real applet. */
#include "applet.h"
const char sleep_usage[] = "Usage: sleep\n";
int sleep_main(int argc, char **argv) { (void)argc; (void)argv; return 1; }
