/* SPDX-License-Identifier: BSD-2-Clause */
/* Logging for every applet: one line per message, "<N>applet: text" on /dev/kmsg (so it
 * sits in dmesg with kernel timestamps), or "applet: text" on stderr. */
#ifndef DVM_LOG_H
#define DVM_LOG_H

enum { LOG_ERR = 3, LOG_WARNING = 4, LOG_NOTICE = 5, LOG_INFO = 6, LOG_DEBUG = 7 };

/* Messages above this level are dropped. Default LOG_INFO; `dvm.loglevel=N` on the kernel
 * command line sets it at log_open(); applets raise it with log_verbose() for -v. */
extern int log_level;

/* Set the applet name and choose the sink: /dev/kmsg when writable, unless the applet was
 * started by hand from a terminal (stderr is a tty, and neither we nor our parent is
 * PID 1): then stderr, so the person typing sees the message. */
void log_open(const char *applet);
/* Retry /dev/kmsg (init calls this once devtmpfs is mounted); 1 when messages go there,
 * 0 when to stderr (no /dev/kmsg: a kernel without PRINTK has none). */
int log_reopen(void);
void log_verbose(void);
/* Force stderr (tests, and applets run by hand that must print). */
void log_to_stderr(void);

/* Hand messages to fn (without the applet name) instead of writing them; fn NULL:
 * write them again. init uses it to put FILE:LINE before what an applet's argument
 * check (struct applet's check) reports. */
void log_divert(void (*fn)(int level, const char *msg, void *ctx), void *ctx);

void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* log_msg(LOG_ERR, ...) and log_msg(LOG_WARNING, ...): one argument less to pass at
 * each of a few hundred call sites. */
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define err(...)  log_err(__VA_ARGS__)
#define warn(...) log_warn(__VA_ARGS__)
#define info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define dbg(...)  do { if (log_level >= LOG_DEBUG) log_msg(LOG_DEBUG, __VA_ARGS__); } while (0)

#endif
