/*
 * fdread - run a script of read/write/seek operations on ONE open file, so
 * tests can check what the shell cannot: seeking, pread, several writes on
 * the same fd, zero-length writes, O_NONBLOCK
 * (Documentation/admin-guide/cgroup-v2.rst).
 *
 *   fdread [-m r|w|rw] [-n] [-a] FILE OP...
 *   fdread -F FD OP...
 *
 * FILE is opened once with -m (default r: O_RDONLY; w: O_WRONLY; rw:
 * O_RDWR), plus O_NONBLOCK with -n and O_APPEND with -a.  -F FD uses a
 * descriptor inherited from the caller instead (e.g. bash `exec 5<FILE`):
 * the offset is shared, so `fdread -F 5 seek=0 read` re-reads the file
 * that the shell keeps open.  OPs run in order:
 *
 *   read          read(2) 4096 bytes at a time up to EOF; bytes to stdout
 *   read=N        one read(2) of at most N bytes; bytes to stdout
 *   pread=OFF,N   one pread(2) of at most N bytes at OFF; bytes to stdout
 *   seek=OFF      lseek(OFF, SEEK_SET)
 *   write=STR     one write(2) of exactly the bytes of STR (empty: a
 *                 zero-length write), which must return strlen(STR)
 *   writee=STR    the same after decoding the escapes \n \t \r \0 \\ and
 *                 \xHH in STR, so a single write(2) can carry NUL bytes
 *   sh=CMD        system(CMD), e.g. to change state between two reads
 *   fstat         fstat(2) the file; prints "size N mode OOOO" (the
 *                 permission bits in octal)
 *
 * The first failing OP prints "OPNAME: ERRNO_NAME" (e.g. "read: ENODEV")
 * on stdout and ends fdread with status 1.  Status 2: bad usage or open.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: fdread [-m r|w|rw] [-n] [-a] FILE OP... | "
		"fdread -F FD OP...\n");
	exit(2);
}

static void out(const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(STDOUT_FILENO, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			exit(2);
		buf += n;
		len -= (size_t)n;
	}
}

static int fail(const char *op, int err)
{
	const char *name = strerrorname_np(err);

	printf("%s: %s\n", op, name ? name : "?");
	fflush(stdout);
	return 1;
}

/* Decode \n \t \r \0 \\ \xHH into @dst; returns the length. */
static size_t unescape(const char *src, char *dst)
{
	size_t n = 0;
	char hex[3] = { 0 };

	while (*src) {
		if (*src != '\\' || !src[1]) {
			dst[n++] = *src++;
			continue;
		}
		src++;
		switch (*src) {
		case 'n': dst[n++] = '\n'; break;
		case 't': dst[n++] = '\t'; break;
		case 'r': dst[n++] = '\r'; break;
		case '0': dst[n++] = '\0'; break;
		case 'x':
			if (!src[1] || !src[2])
				usage();
			hex[0] = src[1];
			hex[1] = src[2];
			dst[n++] = (char)strtol(hex, NULL, 16);
			src += 2;
			break;
		default: dst[n++] = *src; break;
		}
		src++;
	}
	return n;
}

static int do_write(int fd, const char *buf, size_t len)
{
	ssize_t got = write(fd, buf, len);

	if (got < 0)
		return fail("write", errno);
	if ((size_t)got != len) {
		printf("write: returned %zd of %zu\n", got, len);
		fflush(stdout);
		return 1;
	}
	return 0;
}

static int run_op(int fd, const char *op)
{
	static char buf[1 << 16];
	const char *arg = strchr(op, '=');
	long long off, n;
	ssize_t got;
	char *end;

	if (!strcmp(op, "read")) {
		while ((got = read(fd, buf, 4096)) > 0)
			out(buf, (size_t)got);
		return got < 0 ? fail("read", errno) : 0;
	}
	if (!strcmp(op, "fstat")) {
		struct stat st;

		if (fstat(fd, &st))
			return fail("fstat", errno);
		printf("size %lld mode %04o\n", (long long)st.st_size,
		       (unsigned int)(st.st_mode & 07777));
		fflush(stdout);
		return 0;
	}
	if (!arg)
		usage();
	arg++;
	if (!strncmp(op, "read=", 5)) {
		n = strtoll(arg, &end, 10);
		if (*end || n < 0 || n > (long long)sizeof(buf))
			usage();
		got = read(fd, buf, (size_t)n);
		if (got < 0)
			return fail("read", errno);
		out(buf, (size_t)got);
		return 0;
	}
	if (!strncmp(op, "pread=", 6)) {
		off = strtoll(arg, &end, 10);
		if (*end != ',')
			usage();
		n = strtoll(end + 1, &end, 10);
		if (*end || n < 0 || n > (long long)sizeof(buf))
			usage();
		got = pread(fd, buf, (size_t)n, (off_t)off);
		if (got < 0)
			return fail("pread", errno);
		out(buf, (size_t)got);
		return 0;
	}
	if (!strncmp(op, "seek=", 5)) {
		off = strtoll(arg, &end, 10);
		if (*end)
			usage();
		if (lseek(fd, (off_t)off, SEEK_SET) < 0)
			return fail("seek", errno);
		return 0;
	}
	if (!strncmp(op, "write=", 6))
		return do_write(fd, arg, strlen(arg));
	if (!strncmp(op, "writee=", 7)) {
		char *dec = malloc(strlen(arg) + 1);
		int ret;

		if (!dec)
			return fail("write", ENOMEM);
		ret = do_write(fd, dec, unescape(arg, dec));
		free(dec);
		return ret;
	}
	if (!strncmp(op, "sh=", 3)) {
		fflush(stdout);
		if (system(arg) == -1)
			return fail("sh", errno);
		return 0;
	}
	usage();
	return 2;
}

int main(int argc, char **argv)
{
	int opt, fd = -1, flags = O_RDONLY, i;

	while ((opt = getopt(argc, argv, "+m:naF:")) != -1) {
		switch (opt) {
		case 'm':
			if (!strcmp(optarg, "r"))
				flags = (flags & ~O_ACCMODE) | O_RDONLY;
			else if (!strcmp(optarg, "w"))
				flags = (flags & ~O_ACCMODE) | O_WRONLY;
			else if (!strcmp(optarg, "rw"))
				flags = (flags & ~O_ACCMODE) | O_RDWR;
			else
				usage();
			break;
		case 'n':
			flags |= O_NONBLOCK;
			break;
		case 'a':
			flags |= O_APPEND;
			break;
		case 'F':
			fd = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (fd < 0) {
		if (optind >= argc)
			usage();
		fd = open(argv[optind], flags | O_CLOEXEC);
		if (fd < 0) {
			fail("open", errno);
			return 2;
		}
		optind++;
	}
	if (optind >= argc)
		usage();
	for (i = optind; i < argc; i++)
		if (run_op(fd, argv[i]))
			return 1;
	return 0;
}
