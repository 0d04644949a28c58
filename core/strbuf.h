/*
 * strbuf.h - a growable byte buffer for rendering interface files.
 *
 * There is no fixed-size buffer anywhere in memcgfs's read path: LXCFS's
 * "Write to cache was truncated" years (libfuse) are why.  An
 * allocation failure is sticky (sb->err) and turns into -ENOMEM for the
 * reader instead of a silently short file.
 */
#ifndef MEMCGFS_STRBUF_H
#define MEMCGFS_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len, cap;
	int err;	/* 0 or -ENOMEM, sticky */
};

#define STRBUF_INIT { NULL, 0, 0, 0 }

__attribute__((format(printf, 2, 3)))
void sb_printf(struct strbuf *sb, const char *fmt, ...);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putc(struct strbuf *sb, char c);
/*
 * A name for a text file (seq_escape() with " \t\n\\", as mangle_path()
 * in /proc/mounts): whitespace, control bytes, DEL and backslash become
 * \ooo, so a name is one field and cannot move a terminal's cursor.
 */
void sb_put_escaped(struct strbuf *sb, const char *s);
/* The same into a new string; NULL without memory. */
char *str_escape(const char *s);
/* A copy of @s that is valid UTF-8: well-formed sequences stay, any
 * other byte and the backslash become \ooo (for JSON); NULL without
 * memory. */
char *str_utf8_escape(const char *s);
void sb_reset(struct strbuf *sb);
void sb_release(struct strbuf *sb);

#endif
