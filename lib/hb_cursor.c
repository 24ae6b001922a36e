/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#include <errno.h>

#include "hb_cursor.h"
#include "hb_private.h"

/* Point @c at logical offset @off (<= length) of its buffer. */
static void
cursor_locate(struct hb_cursor *c, uint32_t off)
{
	const struct hb_buf *b = c->buf;
	uint32_t start;

	c->off = off;
	if (off < hb_buf_len(b)) {
		c->seg = hb_seg_find(b, off, &start);
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
	unsigned int id = 0;
	int rc;

	if (c == NULL)
		return -EINVAL;
	rc = hb_buf_read_enter(b, &id);
	if (rc != 0)
		return rc;
	if (off > hb_buf_len(b)) {
		rc = -ERANGE;
	} else {
		c->buf = b;
		c->gen = b->gen;
		cursor_locate(c, off);
	}
	hb_buf_read_exit(b, id);
	return rc;
}

/*
 * Checks common to every cursor call; 0 if @len bytes can be consumed, the
 * buffer then being held for reading (hb_buf_read_exit() with *id).
 */
static int
cursor_enter(const struct hb_cursor *c, uint32_t len, unsigned int *id)
{
	const struct hb_buf *b;
	int rc;

	if (c == NULL || !hb_buf_magic_ok(c->buf))
		return -EINVAL;
	b = c->buf;
	rc = hb_buf_read_enter(b, id);
	if (rc != 0)
		return rc;
	if (c->gen != b->gen)
		rc = -ESTALE;
	else if (len > hb_buf_len(b) - c->off)
		rc = -ENODATA;
	if (rc != 0)
		hb_buf_read_exit(b, *id);
	return rc;
}

/* Copy the @len (> 0) bytes at the cursor to @dst. */
static void
cursor_copy(const struct hb_cursor *c, void *dst, uint32_t len)
{
	struct rte_mbuf *m;
	uint32_t start = 0;

	m = hb_seg_find(c->buf, c->off, &start);
	hb_seg_copy(c->buf, m, start, c->off - start, dst, len, true);
}

int
__hb_cursor_read(struct hb_cursor *c, void *dst, uint32_t len)
{
	unsigned int id = 0;
	int rc;

	if (dst == NULL)
		return -EINVAL;
	rc = cursor_enter(c, len, &id);
	if (rc != 0)
		return rc;
	if (len > 0) {
		cursor_copy(c, dst, len);
		cursor_locate(c, c->off + len);
	}
	hb_buf_read_exit(c->buf, id);
	return 0;
}

int
hb_cursor_peek(const struct hb_cursor *c, void *dst, uint32_t len)
{
	unsigned int id = 0;
	int rc;

	if (dst == NULL)
		return -EINVAL;
	rc = cursor_enter(c, len, &id);
	if (rc != 0)
		return rc;
	if (len > 0)
		cursor_copy(c, dst, len);
	hb_buf_read_exit(c->buf, id);
	return 0;
}

int
hb_cursor_skip(struct hb_cursor *c, uint32_t len)
{
	unsigned int id = 0;
	int rc = cursor_enter(c, len, &id);

	if (rc != 0)
		return rc;
	cursor_locate(c, c->off + len);
	hb_buf_read_exit(c->buf, id);
	return 0;
}

const void *
hb_cursor_pull(struct hb_cursor *c, uint32_t len, void *scratch)
{
	const void *p;
	unsigned int id = 0;
	int rc = cursor_enter(c, len, &id);

	if (rc != 0) {
		rte_errno = -rc;
		return NULL;
	}
	p = hb_buf_peek_held(c->buf, c->off, len, scratch);
	if (p != NULL)
		cursor_locate(c, c->off + len);
	hb_buf_read_exit(c->buf, id);
	return p;
}
