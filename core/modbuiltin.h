/* SPDX-License-Identifier: BSD-2-Clause */
/* Modules built into the kernel, from the kernel's modules.builtin (one path per line,
 * "kernel/drivers/uio/uio.ko"), which dvm-pack ships in /lib/modules. A built-in
 * module has no .ko to load and, unless it has parameters, no /sys/module/NAME. */
#ifndef DVM_MODBUILTIN_H
#define DVM_MODBUILTIN_H

/* 1 when module `name` ('-' and '_' equivalent) is listed in dir/modules.builtin, 0
 * when not, -errno when the file cannot be read (-ENOENT: none shipped). */
int module_builtin(const char *dir, const char *name);

#endif
