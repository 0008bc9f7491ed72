/* SPDX-License-Identifier: BSD-2-Clause */
/* An integer-only printf formatter. dvm links it in place of libc's printf family
 * (core/printf.c): musl's vfprintf always drags in floating-point formatting and
 * 128-bit soft-float arithmetic on aarch64, about 14 KiB nobody in dvm uses.
 * Supports flags "-0+ #", width and precision (numbers or *), length hh h l ll z j t,
 * conversions d i u o x X c s p %, and m (strerror(errno), as in glibc and musl).
 * Anything else (%f, %n...) prints as "%?". */
#ifndef DVM_FMT_H
#define DVM_FMT_H
#include <stdarg.h>
#include <stddef.h>

/* vsnprintf semantics: returns the length the full output would have. */
int fmt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);

#endif
