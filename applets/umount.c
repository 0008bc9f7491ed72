/* TEMPORARY stub, replaced by the real applet. */
#include "applet.h"
const char umount_usage[] = "Usage: umount\n";
int umount_main(int argc, char **argv) { (void)argc; (void)argv; return 1; }
