// SPDX-License-Identifier: BSD-2-Clause
/* libFuzzer target: dvm-pack's spec parser (pack/initramfs/spec.c) on any text, then the
 * generated entries (spec_finish) and the archive writer into memory. Every accepted
 * spec must give entries with absolute, unique names whose parents are directories,
 * and an archive the reader lists back entry for entry. `file` and `include` may name
 * host files: only regular files are read (FIFOs and devices are refused), and the
 * archive is written only when their total is small. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "archive.h"
#include "list.h"
#include "spec.h"
#include "util.h"


static void check_entries(const struct spec *s)
{
	for (int i = 0; i < s->n; i++) {
		const struct entry *e = &s->e[i];
		if (e->name[0] != '/' || strstr(e->name, "//") || spec_find(s, e->name) != e)
			abort();
		char *slash = strrchr(e->name, '/');
		if (slash != e->name) {
			*slash = 0;
			const struct entry *p = spec_find(s, e->name);
			*slash = '/';
			if (!p || !S_ISDIR(p->mode) || p > e)
				abort();	/* a parent, declared before its children */
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spec s;
	char *text = malloc(size + 1);
	uint64_t total = 0;

	perr_quiet = 1;
	memcpy(text, data, size);
	text[size] = 0;
	setenv("FUZZ_VAR", "/fuzz/var", 1);
	spec_init(&s, NULL, 0);
	if (strlen(text) == size && !spec_parse_text(&s, "fuzz.spec", text) && !spec_finish(&s)) {
		check_entries(&s);
		for (int i = 0; i < s.n; i++)
			total += s.e[i].size;
		if (total < (1u << 20)) {
			struct ostream os;
			struct membuf m = { 0 };
			if (os_init(&os, size & 1, membuf_sink, &m))
				abort();
			if (!archive_write(&s, 0, &os)) {
				if (os_finish(&os))
					abort();
				/* the reader lists every entry back */
				struct istream is;
				FILE *f = fopen("/dev/null", "w");
				if (!f || is_open_mem(&is, m.p, m.n, "mem") || archive_list(&is, f))
					abort();
				is_close(&is);
				fclose(f);
			} else {
				os_abort(&os);	/* an input file changed or vanished */
			}
			free(m.p);
		}
	}
	spec_free(&s);
	free(text);
	return 0;
}
