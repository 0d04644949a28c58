/*
 * strbuf.c - see strbuf.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

static int sb_reserve(struct strbuf *sb, size_t extra)
{
	size_t want = sb->len + extra + 1;
	char *nb;

	if (sb->err)
		return sb->err;
	if (want <= sb->cap)
		return 0;
	if (want < 2 * sb->cap)
		want = 2 * sb->cap;
	if (want < 256)
		want = 256;
	nb = realloc(sb->buf, want);
	if (!nb)
		return sb->err = -ENOMEM;
	sb->buf = nb;
	sb->cap = want;
	return 0;
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (sb_reserve(sb, 64))
		return;
	va_start(ap, fmt);
	n = vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		sb->err = -EIO;
		return;
	}
	if ((size_t)n >= sb->cap - sb->len) {
		/* Did not fit: grow to the exact size and format again. */
		if (sb_reserve(sb, n))
			return;
		va_start(ap, fmt);
		vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
		va_end(ap);
	}
	sb->len += n;
}

void sb_puts(struct strbuf *sb, const char *s)
{
	size_t n = strlen(s);

	if (sb_reserve(sb, n))
		return;
	memcpy(sb->buf + sb->len, s, n + 1);
	sb->len += n;
}

void sb_putc(struct strbuf *sb, char c)
{
	if (sb_reserve(sb, 1))
		return;
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->err = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void sb_release(struct strbuf *sb)
{
	free(sb->buf);
	*sb = (struct strbuf)STRBUF_INIT;
}
