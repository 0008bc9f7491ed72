// SPDX-License-Identifier: BSD-2-Clause
/* `dvm-pack --list`: print the entries of a newc archive (gzip'd or not). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cmds.h"
#include "cpio.h"
#include "list.h"
#include "util.h"

void mode_string(uint32_t mode, char out[11])
{
	static const char types[] = "?pc?d?b?-?l?s???";	/* indexed by S_IFMT >> 12 */
	const char *rwx = "rwxrwxrwx";
	out[0] = types[(mode & S_IFMT) >> 12];
	for (int i = 0; i < 9; i++)
		out[1 + i] = mode & (0400u >> i) ? rwx[i] : '-';
	if (mode & S_ISUID)
		out[3] = out[3] == 'x' ? 's' : 'S';
	if (mode & S_ISGID)
		out[6] = out[6] == 'x' ? 's' : 'S';
	if (mode & S_ISVTX)
		out[9] = out[9] == 'x' ? 't' : 'T';
	out[10] = 0;
}

int archive_list(struct istream *is, FILE *out)
{
	struct cpio_hdr h;
	char name[CPIO_NAME_MAX], target[CPIO_NAME_MAX], m[11];
	int r;

	while ((r = cpio_read_header(is, &h, name)) > 0) {
		int link = S_ISLNK(h.mode);
		if (link && (h.filesize == 0 || h.filesize >= sizeof(target))) {
			perr("%s: symlink %s has a target of %u bytes (expected 1..%zu)", is->name,
			     name, h.filesize, sizeof(target) - 1);
			return -1;
		}
		if (cpio_read_data(is, &h, link ? target : NULL, sizeof(target)))
			return -1;
		mode_string(h.mode, m);
		fprintf(out, "%s %u/%u %8u %s", m, h.uid, h.gid, h.filesize, name);
		if (link)
			fprintf(out, " -> %.*s", (int)h.filesize, target);
		else if (S_ISCHR(h.mode) || S_ISBLK(h.mode))
			fprintf(out, " %c %u,%u", m[0], h.rdevmajor, h.rdevminor);
		fputc('\n', out);
	}
	return r;
}

const char list_usage[] =
	"Usage: dvm-pack --list ARCHIVE\n"
	"List a newc cpio archive, gzip-compressed or not ('-' reads standard input):\n"
	"one line per entry: mode, uid/gid, size, name (as stored, without a leading '/'),\n"
	"then '-> TARGET' for symlinks or 'c MAJOR,MINOR' / 'b MAJOR,MINOR' for devices.\n";

int cmd_list(int argc, char **argv)
{
	struct istream is;
	int fd, r;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(list_usage, stdout);
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "dvm-pack: --list takes one ARCHIVE\n%s", list_usage);
		return 2;
	}
	const char *path = argv[1];
	if (!strcmp(path, "-")) {
		fd = 0;
		path = "standard input";
	} else if ((fd = open_input(path)) < 0) {
		perr("cannot open %s: %s", path, input_error());
		return 1;
	}
	r = is_open_fd(&is, fd, path);
	if (!r) {
		r = archive_list(&is, stdout);
		is_close(&is);
	}
	if (fd > 0)
		close(fd);
	if (fflush(stdout) || ferror(stdout)) {
		perr("cannot write the listing: %s", strerror(errno));
		r = -1;
	}
	return r ? 1 : 0;
}
