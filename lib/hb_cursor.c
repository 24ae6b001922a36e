/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#include <errno.h>

#include "hb_cursor.h"
#include "hb_buf_int.h"

/*
 * Point @c at logical offset @off (<= length) of its buffer (held for
 * reading: @cache as in struct hb_hold).
 */
static void
cursor_locate(struct hb_cursor *c, uint32_t off, struct hb_buf *cache)
{
	const struct hb_buf *b = c->buf;
	uint32_t start;

	c->off = off;
	if (off < hb_buf_len(b)) {
		c->seg = hb_seg_find(b, off, &start, cache);
		c->rel = off - start;
	} else {
		/* At the end: new bytes will land in the tail (or after). */
		c->seg = b->tail;
		c->rel = b->tail != NULL ? b->tail->data_len : 0;
	}
}

int
hb_cursor_init(struct hb_cursor *c, const struct hb_buf *b, uint32_t off)
{
	struct hb_hold h;
	int rc;

	if (c == NULL)
		return -EINVAL;
	rc = hb_buf_read_enter(b, &h);
	if (rc != 0)
		return rc;
	if (off > hb_buf_len(b)) {
		rc = -ERANGE;
	} else {
		memset(c, 0, sizeof(*c));
		c->buf = b;
		c->gen = b->gen;
		cursor_locate(c, off, h.cache);
	}
	hb_buf_read_exit(b, &h);
	return rc;
}

/*
 * Checks common to every cursor call; 0 if @len bytes can be consumed, the
 * buffer then being held for reading (hb_buf_read_exit() with @h).
 */
static int
cursor_enter(const struct hb_cursor *c, uint32_t len, struct hb_hold *h)
{
	const struct hb_buf *b;
	int rc;

	if (c == NULL || !hb_buf_magic_ok(c->buf))
		return -EINVAL;
	b = c->buf;
	rc = hb_buf_read_enter(b, h);
	if (rc != 0)
		return rc;
	if (c->gen != b->gen)
		rc = -ESTALE;
	else if (len > hb_buf_len(b) - c->off)
		rc = -ENODATA;
	if (rc != 0)
		hb_buf_read_exit(b, h);
	return rc;
}

/* Copy the @len (> 0) bytes at the cursor to @dst. */
static void
cursor_copy(const struct hb_cursor *c, void *dst, uint32_t len,
	    struct hb_buf *cache)
{
	struct rte_mbuf *m;
	uint32_t start = 0;

	m = hb_seg_find(c->buf, c->off, &start, cache);
	hb_seg_copy(m, start, c->off - start, dst, len, true, cache);
}

/* Copy the next @len bytes to @dst (NULL: none), advancing if @advance. */
static int
cursor_take(struct hb_cursor *c, void *dst, uint32_t len, bool advance)
{
	struct hb_hold h;
	int rc = cursor_enter(c, len, &h);

	if (rc != 0)
		return rc;
	if (dst != NULL && len > 0)
		cursor_copy(c, dst, len, h.cache);
	if (advance)
		cursor_locate(c, c->off + len, h.cache);
	hb_buf_read_exit(c->buf, &h);
	return 0;
}

int
__hb_cursor_read(struct hb_cursor *c, void *dst, uint32_t len)
{
	return dst != NULL ? cursor_take(c, dst, len, true) : -EINVAL;
}

int
hb_cursor_peek(const struct hb_cursor *c, void *dst, uint32_t len)
{
	/* Not advancing: the cursor is not written. */
	return dst != NULL ?
		cursor_take((struct hb_cursor *)(uintptr_t)c, dst, len, false) :
		-EINVAL;
}

int
hb_cursor_skip(struct hb_cursor *c, uint32_t len)
{
	return cursor_take(c, NULL, len, true);
}

const void *
hb_cursor_pull(struct hb_cursor *c, uint32_t len, void *scratch)
{
	const void *p;
	struct hb_hold h;
	int rc = cursor_enter(c, len, &h);

	if (rc != 0) {
		rte_errno = -rc;
		return NULL;
	}
	p = hb_buf_peek_held(c->buf, c->off, len, scratch, h.cache);
	if (p != NULL)
		cursor_locate(c, c->off + len, h.cache);
	hb_buf_read_exit(c->buf, &h);
	return p;
}
