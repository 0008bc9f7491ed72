// SPDX-License-Identifier: BSD-2-Clause
/* init's configuration: parsing /etc/dvm.conf, applying the kernel command line's dvm.*
 * overrides, and printing the result (init --check-config). Every error names the file
 * and line, the offending word and what was expected; see docs/init.md for the format. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "applet.h"
#include "cmdline.h"
#include "init.h"
#include "log.h"
#include "module.h"
#include "mountopt.h"

void conf_init(struct conf *c, void (*report)(int, const char *, void *), void *ctx)
{
	memset(c, 0, sizeof(*c));
	c->loglevel = -1;
	c->backoff_min = BACKOFF_MIN_MS;
	c->backoff_max = BACKOFF_MAX_MS;
	c->limit_count = LIMIT_COUNT;
	c->limit_window = LIMIT_WINDOW_S;
	c->report = report;
	c->ctx = ctx;
}

/* Report an error at line > 0 ("FILE:LINE: "), 0 ("FILE: ") or CMDLINE ("kernel command
 * line: "); at CMDLINE_WARNING, a warning about the kernel command line. */
#define CMDLINE (-1)
#define CMDLINE_WARNING (-2)
static void __attribute__((format(printf, 4, 0)))
vsay(struct conf *c, int level, int line, const char *fmt, va_list ap)
{
	char msg[512];
	int off;

	if (line > 0)
		off = snprintf(msg, sizeof(msg), "%s:%d: ", c->file, line);
	else if (line == 0)
		off = snprintf(msg, sizeof(msg), "%s: ", c->file);
	else
		off = snprintf(msg, sizeof(msg), "kernel command line: ");
	if (off < 0 || off >= (int)sizeof(msg))
		off = 0;
	vsnprintf(msg + off, sizeof(msg) - off, fmt, ap);
	if (level <= LOG_ERR)
		c->errors++;
	c->report(level, msg, c->ctx);
}

static void __attribute__((format(printf, 4, 5)))
sayl(struct conf *c, int level, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(c, level, line, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 3, 4)))
say(struct conf *c, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(c, line == CMDLINE_WARNING ? LOG_WARNING : LOG_ERR, line, fmt, ap);
	va_end(ap);
}

/* Split s in place into words: blanks separate, "double quotes" group (and are
 * removed; "a"b is one word ab), '#' at the start of a word outside quotes begins a
 * comment. Returns the word count, -1 for an unterminated quote, -2 when there are more
 * than max words. */
static int split(char *s, char **w, int max)
{
	char *r = s, *o = s;
	int n = 0;

	for (;;) {
		while (*r == ' ' || *r == '\t' || *r == '\r')
			r++;
		if (!*r || *r == '#')
			return n;
		if (n == max)
			return -2;
		char *start = o;
		int q = 0;
		while (*r && (q || (*r != ' ' && *r != '\t' && *r != '\r'))) {
			if (*r == '"')
				q = !q, r++;
			else
				*o++ = *r++;
		}
		if (q)
			return -1;
		int end = !*r;
		if (!end)
			r++;
		/* o never passes r, and r has moved past the separator: safe to cut here */
		*o++ = 0;
		w[n++] = start;
		if (end)
			return n;
	}
}

/* A decimal number lo..hi, nothing else (hi is small: v * 10 cannot overflow). */
static int num(const char *s, long lo, long hi, long *out)
{
	long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > hi)
			return -1;
	}
	if (v < lo)
		return -1;
	*out = v;
	return 0;
}

/* Service, task and module names: letters, digits, '_', '-' (and '.' for module files). */
static int good_name(const char *s, int dot)
{
	size_t l = strlen(s);

	if (!l || l > 63)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' || (dot && *s == '.')))
			return 0;
	return 1;
}

/* The service or task called name. */
static struct entry *find(struct conf *c, const char *name)
{
	for (int i = 0; i < c->n; i++)
		if ((c->e[i].kind == E_SERVICE || c->e[i].kind == E_TASK) &&
		    !strcmp(c->e[i].name, name))
			return &c->e[i];
	return NULL;
}

static struct entry *add(struct conf *c, int kind, int line, char **w, int n)
{
	char **argv = malloc((n + 1) * sizeof(*argv));
	struct entry *e;

	/* grow by doubling (malloc + memcpy: realloc would cost 1 KiB of binary) */
	if (argv && !(c->n & (c->n - 1))) {
		e = malloc((c->n ? 2 * c->n : 1) * sizeof(*e));
		if (e && c->n)
			memcpy(e, c->e, c->n * sizeof(*e));
		if (e) {
			free(c->e);
			c->e = e;
		} else {
			free(argv);
			argv = NULL;
		}
	}
	if (!argv) {
		say(c, line, "out of memory");
		return NULL;
	}
	e = &c->e[c->n++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->line = line;
	memcpy(argv, w, n * sizeof(*argv));
	argv[n] = NULL;
	e->argv = argv;
	e->argc = n;
	return e;
}

static void dir_module(struct conf *c, int line, char **w, int n)
{
	char name[MODULE_NAME_MAX];

	if (n < 2) {
		say(c, line, "module: expected NAME or /PATH, then PARAM=VALUE words");
		return;
	}
	if (strchr(w[1], '/') ? w[1][0] != '/' : !good_name(w[1], 1)) {
		say(c, line, "module: bad module '%s' (expected a name of letters, "
		    "digits, '_' and '-', or an absolute path)", w[1]);
		return;
	}
	module_name(w[1], name, sizeof(name));
	if (!*name) {
		say(c, line, "module: no module name in '%s'", w[1]);
		return;
	}
	for (int i = 2; i < n; i++) {
		size_t k = strcspn(w[i], "=");
		char save = w[i][k];
		w[i][k] = 0;
		int ok = good_name(w[i], 0);
		w[i][k] = save;
		if (!ok) {
			say(c, line, "module %s: bad parameter '%s' (expected PARAM or "
			    "PARAM=VALUE)", name, w[i]);
			return;
		}
	}
	struct entry *e = add(c, E_MODULE, line, w + 1, n - 1);
	if (e && !(e->name = strdup(name)))
		say(c, line, "out of memory");
}

static void dir_mount(struct conf *c, int line, char **w, int n)
{
	if (n < 4 || n > 5) {
		say(c, line, "mount: expected TYPE SOURCE DIR [OPTIONS], got %d "
		    "word%s", n - 1, n == 2 ? "" : "s");
		return;
	}
	if (!*w[1]) {
		say(c, line, "mount: empty TYPE (use auto to try each filesystem)");
		return;
	}
	if (w[3][0] != '/') {
		say(c, line, "mount: DIR '%s' is not an absolute path", w[3]);
		return;
	}
	if (n == 5 && strlen(w[4]) >= MOUNTOPT_DATA_MAX) {
		say(c, line, "mount: OPTIONS too long (%zu bytes, at most %d)",
		    strlen(w[4]), MOUNTOPT_DATA_MAX - 1);
		return;
	}
	add(c, E_MOUNT, line, w + 1, n - 1);
}

/* service NAME [restart=POLICY] APPLET [ARGS...] and task NAME APPLET [ARGS...] */
static void dir_run(struct conf *c, int line, char **w, int n, int kind)
{
	const char *what = kind == E_SERVICE ? "service" : "task";
	int policy = R_ALWAYS, a = 2;

	if (n < 3) {
		say(c, line, kind == E_SERVICE ?
		    "service: expected NAME [restart=always|on-failure|never] APPLET [ARGS...]" :
		    "task: expected NAME APPLET [ARGS...]");
		return;
	}
	if (!good_name(w[1], 0)) {
		say(c, line, "%s: bad name '%s' (letters, digits, '_' and '-')",
		    what, w[1]);
		return;
	}
	if (kind == E_SERVICE && !strncmp(w[2], "restart=", 8)) {
		const char *p = w[2] + 8;
		if (!strcmp(p, "always"))
			policy = R_ALWAYS;
		else if (!strcmp(p, "on-failure"))
			policy = R_ON_FAILURE;
		else if (!strcmp(p, "never"))
			policy = R_NEVER;
		else {
			say(c, line, "service %s: bad restart policy '%s' (expected "
			    "always, on-failure or never)", w[1], p);
			return;
		}
		if (n < 4) {
			say(c, line, "service %s: no APPLET after %s", w[1], w[2]);
			return;
		}
		a = 3;
	}
	if (!applet_find(w[a])) {
		say(c, line, "%s %s: unknown applet '%s' (see dvm --list)", what, w[1],
		    w[a]);
		return;
	}
	if (!strcmp(w[a], "init")) {
		say(c, line, "%s %s: init cannot run under init", what, w[1]);
		return;
	}
	struct entry *prev = find(c, w[1]);
	if (prev) {
		say(c, line, "%s %s: name already used at line %d", what, w[1],
		    prev->line);
		return;
	}
	struct entry *e = add(c, kind, line, w + a, n - a);
	if (e) {
		e->name = w[1];
		e->policy = policy;
	}
}

/* A duration for wait: N (seconds), Ns or Nms; 1 ms to WAIT_MAX_S seconds. */
static int duration(const char *s, long *ms)
{
	char digits[16];
	size_t n = 0;
	long v, scale;

	while (s[n] >= '0' && s[n] <= '9')	/* strspn would cost 240 bytes of libc */
		n++;
	scale = !strcmp(s + n, "ms") ? 1 : !s[n] || !strcmp(s + n, "s") ? 1000 : 0;
	if (!scale || !n || n >= sizeof(digits))
		return -1;
	memcpy(digits, s, n);
	digits[n] = 0;
	if (num(digits, 1, WAIT_MAX_S * 1000L / scale, &v))
		return -1;
	*ms = v * scale;
	return 0;
}

/* wait PATH... [timeout=DURATION] */
static void dir_wait(struct conf *c, int line, char **w, int n)
{
	long ms = WAIT_DEFAULT_MS;

	if (n > 1 && !strncmp(w[n - 1], "timeout=", 8)) {
		if (duration(w[n - 1] + 8, &ms)) {
			say(c, line, "wait: bad timeout '%s' (expected seconds 1..%d: 10, 10s, or "
			    "milliseconds: 500ms)", w[n - 1] + 8, WAIT_MAX_S);
			return;
		}
		n--;
	}
	if (n < 2) {
		say(c, line, "wait: expected PATH... [timeout=DURATION]");
		return;
	}
	for (int i = 1; i < n; i++)
		if (w[i][0] != '/') {
			say(c, line, "wait: PATH '%s' is not an absolute path", w[i]);
			return;
		}
	struct entry *e = add(c, E_WAIT, line, w + 1, n - 1);
	if (e)
		e->timeout_ms = ms;
}

/* A setting that may appear once: 0 when this is the first time. */
static int once(struct conf *c, int line, int *first, const char *what)
{
	if (*first) {
		say(c, line, "duplicate %s (first at line %d)", what, *first);
		return -1;
	}
	*first = line;
	return 0;
}

static void dir_loglevel(struct conf *c, int line, char **w, int n)
{
	long v;

	if (n != 2) {
		say(c, line, "loglevel: expected one number 0..7");
		return;
	}
	if (num(w[1], 0, 7, &v)) {
		say(c, line, "loglevel: '%s' is not a number 0..7", w[1]);
		return;
	}
	if (!once(c, line, &c->loglevel_line, "loglevel"))
		c->loglevel = (int)v;
}

static void dir_backoff(struct conf *c, int line, char **w, int n)
{
	long lo, hi;

	if (n != 3) {
		say(c, line, "restart-backoff: expected MIN_MS MAX_MS");
		return;
	}
	for (int i = 1; i < 3; i++)
		if (num(w[i], 1, 3600000, i == 1 ? &lo : &hi)) {
			say(c, line, "restart-backoff: %s '%s' is not a number of "
			    "milliseconds 1..3600000", i == 1 ? "MIN_MS" : "MAX_MS", w[i]);
			return;
		}
	if (lo > hi) {
		say(c, line, "restart-backoff: MIN_MS %ld is greater than MAX_MS %ld",
		    lo, hi);
		return;
	}
	if (!once(c, line, &c->backoff_line, "restart-backoff"))
		c->backoff_min = lo, c->backoff_max = hi;
}

static int parse_limit(const char *cs, const char *ws, long *count, long *window)
{
	return num(cs, 1, LIMIT_COUNT_MAX, count) || num(ws, 1, 86400, window) ? -1 : 0;
}

static void dir_limit(struct conf *c, int line, char **w, int n)
{
	long cnt, win;

	if (n != 3) {
		say(c, line, "restart-limit: expected COUNT WINDOW_S");
		return;
	}
	if (parse_limit(w[1], w[2], &cnt, &win)) {
		say(c, line, "restart-limit: expected COUNT 1..%d and WINDOW_S "
		    "1..86400 seconds, got '%s' '%s'", LIMIT_COUNT_MAX, w[1], w[2]);
		return;
	}
	if (!once(c, line, &c->limit_line, "restart-limit"))
		c->limit_count = (int)cnt, c->limit_window = win;
}

int conf_parse(struct conf *c, const char *file, char *text, size_t len)
{
	char *w[CONF_MAX_WORDS];
	int line = 0;

	c->file = file;
	for (char *s = text; s < text + len;) {
		char *nl = memchr(s, '\n', text + len - s);
		char *end = nl ? nl : text + len;
		line++;
		if (memchr(s, 0, end - s)) {
			say(c, line, "NUL byte in line");
			s = end + 1;
			continue;
		}
		*end = 0;	/* text[len] exists: see conf_parse's contract */
		int n = split(s, w, CONF_MAX_WORDS);
		s = end + 1;
		if (n == -1)
			say(c, line, "unterminated quote");
		else if (n == -2)
			say(c, line, "more than %d words", CONF_MAX_WORDS);
		if (n <= 0)
			continue;
		if (!strcmp(w[0], "module"))
			dir_module(c, line, w, n);
		else if (!strcmp(w[0], "mount"))
			dir_mount(c, line, w, n);
		else if (!strcmp(w[0], "service"))
			dir_run(c, line, w, n, E_SERVICE);
		else if (!strcmp(w[0], "task"))
			dir_run(c, line, w, n, E_TASK);
		else if (!strcmp(w[0], "wait"))
			dir_wait(c, line, w, n);
		else if (!strcmp(w[0], "loglevel"))
			dir_loglevel(c, line, w, n);
		else if (!strcmp(w[0], "restart-backoff"))
			dir_backoff(c, line, w, n);
		else if (!strcmp(w[0], "restart-limit"))
			dir_limit(c, line, w, n);
		else
			say(c, line, "unknown directive '%s' (expected module, mount, "
			    "service, task, wait, loglevel, restart-backoff or restart-limit)", w[0]);
	}
	return c->errors;
}

int conf_load(struct conf *c, const char *file)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	/* one byte more to notice an oversized file, one for the final NUL */
	char *buf = malloc(CONF_MAX_SIZE + 2);
	size_t len = 0;
	ssize_t r = 0;

	c->file = file;
	if (fd < 0 || !buf) {
		say(c, 0, "cannot read: %s", strerror(fd < 0 ? errno : ENOMEM));
		goto out;
	}
	while (len <= CONF_MAX_SIZE &&
	       (r = read(fd, buf + len, CONF_MAX_SIZE + 1 - len)) > 0)
		len += r;
	if (r < 0) {
		say(c, 0, "cannot read: %m");
		goto out;
	}
	if (len > CONF_MAX_SIZE) {
		say(c, 0, "larger than %d bytes", CONF_MAX_SIZE);
		goto out;
	}
	buf[len] = 0;
	close(fd);
	/* the words point into buf: it lives as long as the configuration */
	c->text = buf;
	return conf_parse(c, file, buf, len);
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return c->errors;
}

/* Kernel command line overrides. */

static void skip_names(struct conf *c, const char *list)
{
	char name[64];

	while (*list) {
		size_t l = strcspn(list, ",");
		int hit = 0;
		if (l && l < sizeof(name)) {
			memcpy(name, list, l);
			name[l] = 0;
			for (int i = 0; i < c->n; i++) {
				struct entry *e = &c->e[i];
				if (e->kind == E_MOUNT || e->kind == E_WAIT)
					continue;
				if (e->kind == E_MODULE ? modname_eq(e->name, name, -1)
							: !strcmp(e->name, name))
					e->skip = 1, hit = 1;
			}
		}
		if (l && !hit)
			say(c, CMDLINE_WARNING, "dvm.skip: no service, task or module named "
			    "'%.*s'", (int)l, list);
		list += l;
		if (*list)
			list++;
	}
}

static void replace_args(struct conf *c, const char *name, const char *val)
{
	struct entry *e = find(c, name);
	char *w[CONF_MAX_WORDS + 1], *copy;
	int n;

	if (!e) {
		say(c, CMDLINE, "dvm.args.%s: no service or task named '%s'", name, name);
		return;
	}
	if (!val) {
		say(c, CMDLINE, "dvm.args.%s: expected dvm.args.%s=\"ARGS\"", name, name);
		return;
	}
	if (!(copy = strdup(val))) {
		say(c, CMDLINE, "out of memory");
		return;
	}
	n = split(copy, w + 1, CONF_MAX_WORDS - 1);
	if (n < 0) {
		say(c, CMDLINE, "dvm.args.%s: %s", name, n == -1 ? "unterminated quote" :
		    "too many words");
		free(copy);
		return;
	}
	char **argv = malloc((n + 2) * sizeof(*argv));
	if (!argv) {
		say(c, CMDLINE, "out of memory");
		free(copy);
		return;
	}
	/* the applet stays; only its arguments change (old words stay in the config text) */
	w[0] = e->argv[0];
	memcpy(argv, w, (n + 1) * sizeof(*argv));
	argv[n + 1] = NULL;
	free(e->argv);
	free(e->args);
	e->argv = argv;
	e->argc = n + 1;
	e->args = copy;
}

static int override(const char *key, const char *val, void *p)
{
	struct conf *c = p;

	if (!strcmp(key, "dvm.skip")) {
		skip_names(c, val ? val : "");
	} else if (!strcmp(key, "dvm.restart_limit")) {
		char cs[16] = "";
		const char *slash = val ? strchr(val, '/') : NULL;
		long cnt, win;
		if (slash && (size_t)(slash - val) < sizeof(cs))
			memcpy(cs, val, slash - val);
		if (!slash || parse_limit(cs, slash + 1, &cnt, &win)) {
			say(c, CMDLINE, "dvm.restart_limit=%s: expected COUNT/WINDOW_S with "
			    "COUNT 1..%d and WINDOW_S 1..86400, e.g. 5/60", val ? val : "",
			    LIMIT_COUNT_MAX);
			return 0;
		}
		c->limit_count = (int)cnt;
		c->limit_window = win;
	} else if (!strncmp(key, "dvm.args.", 9)) {
		replace_args(c, key + 9, val);
	} else if (!strcmp(key, "dvm.loglevel")) {
		long l;
		if (!val || num(val, 0, 7, &l))
			say(c, CMDLINE, "dvm.loglevel%s%s: expected a number 0..7", val ? "=" : "",
			    val ? val : "");
	} else if (!strcmp(key, "dvm.conf")) {
		if (!val || !*val)
			say(c, CMDLINE, "dvm.conf%s: expected dvm.conf=PATH", val ? "=" : "");
	} else if (!strncmp(key, "dvm.", 4)) {
		say(c, CMDLINE_WARNING, "unknown option '%s', ignored (dvm's are dvm.conf, "
		    "dvm.loglevel, dvm.skip, dvm.restart_limit, dvm.args.NAME)", key);
	}
	return 0;
}

/* Each service's and task's arguments through its applet's own check (struct
 * applet's check), whose messages come back here to get FILE:LINE before them. */
struct check_ctx {
	struct conf *c;
	const struct entry *e;
	int said;
};

static void check_said(int level, const char *msg, void *p)
{
	struct check_ctx *k = p;
	const struct entry *e = k->e;

	k->said += level <= LOG_ERR;
	log_divert(NULL, NULL); /* the report itself may log (init's does) */
	sayl(k->c, level <= LOG_ERR ? LOG_ERR : LOG_WARNING, e->line, "%s %s: %s: %s",
	     e->kind == E_SERVICE ? "service" : "task", e->name, e->argv[0], msg);
	log_divert(check_said, k);
}

int conf_check_args(struct conf *c)
{
	int before = c->errors;

	for (int i = 0; i < c->n; i++) {
		struct entry *e = &c->e[i];
		const struct applet *a;
		struct check_ctx k = { c, e, 0 };
		if ((e->kind != E_SERVICE && e->kind != E_TASK) || e->skip ||
		    !(a = applet_find(e->argv[0])) || !a->check)
			continue;
		log_divert(check_said, &k);
		int r = a->check(e->argc, e->argv);
		log_divert(NULL, NULL);
		if (r && !k.said)
			say(c, e->line, "%s %s: arguments refused by %s", e->kind == E_SERVICE ?
			    "service" : "task", e->name, e->argv[0]);
	}
	return c->errors - before;
}

int conf_apply_cmdline(struct conf *c, const char *cmdline)
{
	int before = c->errors;

	cmdline_foreach(cmdline, override, c);
	return c->errors - before;
}

/* Printing (--check-config). */

static void word(int fd, const char *w)
{
	int q = !*w || *w == '#' || strpbrk(w, " \t\r");

	dprintf(fd, q ? " \"%s\"" : " %s", w);
}

void conf_print(const struct conf *c, int fd)
{
	static const char *const kinds[] = { "module", "mount", "service", "task", "wait" };
	static const char *const policies[] = { "always", "on-failure", "never" };

	if (c->loglevel >= 0)
		dprintf(fd, "loglevel %d\n", c->loglevel);
	dprintf(fd, "restart-backoff %ld %ld\nrestart-limit %d %ld\n", c->backoff_min,
		c->backoff_max, c->limit_count, c->limit_window);
	for (int i = 0; i < c->n; i++) {
		const struct entry *e = &c->e[i];
		dprintf(fd, "%s%s", e->skip ? "# skipped (dvm.skip): " : "", kinds[e->kind]);
		if (e->kind == E_SERVICE || e->kind == E_TASK)
			dprintf(fd, " %s", e->name);
		if (e->kind == E_SERVICE)
			dprintf(fd, " restart=%s", policies[e->policy]);
		for (int j = 0; j < e->argc; j++)
			word(fd, e->argv[j]);
		if (e->kind == E_WAIT)
			dprintf(fd, e->timeout_ms % 1000 ? " timeout=%ldms" : " timeout=%lds",
				e->timeout_ms % 1000 ? e->timeout_ms : e->timeout_ms / 1000);
		dprintf(fd, "\n");
	}
}

void conf_free(struct conf *c)
{
	for (int i = 0; i < c->n; i++) {
		free(c->e[i].argv);
		free(c->e[i].args);
		if (c->e[i].kind == E_MODULE)
			free(c->e[i].name);
	}
	free(c->e);
	free(c->text);
	c->e = NULL;
	c->text = NULL;
	c->n = 0;
}
