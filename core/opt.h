/* SPDX-License-Identifier: BSD-2-Clause */
/* Command-line options shared by the applets: one way to read long options from a
 * table, numbers with their range, and one wording for usage errors, which name the
 * option and the value and make the applet exit OPT_USAGE. */
#ifndef DVM_OPT_H
#define DVM_OPT_H

/* The exit status of every applet for bad usage. */
#define OPT_USAGE 2

/* One long option: "--NAME VALUE" and "--NAME=VALUE", or with flag set "--NAME" alone.
 * short_name: a one-letter alias ("-v"), or 0. */
struct opt {
	const char *name;
	char flag;
	char short_name;
};

/* Read argv[1..argc-1]: every word must be an option of o[0..n-1] (no positional
 * arguments). val[i] becomes option i's value (the last one given; "" for a flag that
 * was given); options not given keep what val[i] held. Returns 0, or -1 after logging
 * the usage error (unknown option, missing value, value given to a flag). */
int opt_parse(int argc, char **argv, const struct opt *o, int n, const char **val);

/* OPT_POW2 as mult: the number must be a power of two. */
#define OPT_POW2 0UL

/* Option value v as a number lo..hi, decimal or 0x hex, and a multiple of mult (1: any;
 * OPT_POW2: a power of two). Else logs "--NAME 'V': expected ..." and returns -1. */
int opt_num(const char *name, const char *v, unsigned long lo, unsigned long hi,
	    unsigned long mult, unsigned long *out);

#endif
