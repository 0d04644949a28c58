/*
 * strbuf.c - see strbuf.h.
 */
#include <errno.h>
#include <stdbool.h>
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

static bool needs_escape(unsigned char c)
{
	return c <= ' ' || c == 0x7f || c == '\\';
}

static void put_octal(struct strbuf *sb, unsigned char c)
{
	sb_printf(sb, "\\%03o", c);
}

void sb_put_escaped(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (needs_escape(c))
			put_octal(sb, c);
		else
			sb_putc(sb, (char)c);
	}
}

static char *sb_detach(struct strbuf *sb)
{
	if (sb->err || sb_reserve(sb, 0)) {
		sb_release(sb);
		return NULL;
	}
	sb->buf[sb->len] = '\0';
	return sb->buf;
}

char *str_escape(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	sb_put_escaped(&sb, s);
	return sb_detach(&sb);
}

/* Length of the well-formed UTF-8 sequence at @s (RFC 3629: no
 * overlongs, no surrogates, nothing past U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] <= 0xdf ? 2 :
		   s[0] >= 0xe0 && s[0] <= 0xef ? 3 :
		   s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;

	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((n == 3 && s[0] == 0xe0 && s[1] < 0xa0) ||
	    (n == 3 && s[0] == 0xed && s[1] >= 0xa0) ||
	    (n == 4 && s[0] == 0xf0 && s[1] < 0x90) ||
	    (n == 4 && s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	return n;
}

char *str_utf8_escape(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	struct strbuf sb = STRBUF_INIT;

	while (*p) {
		size_t n = utf8_len(p);

		if (!n || *p == '\\') {
			put_octal(&sb, *p++);
			continue;
		}
		while (n--)
			sb_putc(&sb, (char)*p++);
	}
	return sb_detach(&sb);
}
