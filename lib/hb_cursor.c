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
		memset(c, 0, sizeof(*c));
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

/* Copy the next @len bytes to @dst (NULL: none), advancing if @advance. */
static int
cursor_take(struct hb_cursor *c, void *dst, uint32_t len, bool advance)
{
	unsigned int id = 0;
	int rc = cursor_enter(c, len, &id);

	if (rc != 0)
		return rc;
	if (dst != NULL && len > 0)
		cursor_copy(c, dst, len);
	if (advance)
		cursor_locate(c, c->off + len);
	hb_buf_read_exit(c->buf, id);
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

/* ---------------------------------------------------------------------
 * Writer
 */

/* Count the bytes written at w->p in the chain. */
static void
writer_commit(struct hb_writer *w)
{
	struct hb_buf *b = w->buf;

	if (w->pend == 0)
		return;
	b->tail->data_len = (uint16_t)(b->tail->data_len + w->pend);
	b->head->pkt_len += w->pend;
	w->pend = 0;
}

/* Point the writer at the room after the tail's data. */
static void
writer_seek(struct hb_writer *w)
{
	w->room = hb_buf_tail_room(w->buf, &w->p);
}

int
hb_writer_begin(struct hb_writer *w, struct hb_buf *b)
{
	unsigned int me = 0;
	int rc;

	if (w == NULL || !hb_buf_magic_ok(b))
		return -EINVAL;
	if ((uint32_t)b->state == __HB_GUARD_SHARED) {
		me = rte_lcore_id();
		if (me >= RTE_MAX_LCORE)
			return -ENOTSUP;
		rc = hb_shared_enter(b, true, me, false);
		if (rc == 0) {
			rc = hb_buf_resolve(b);
			if (rc != 0)
				hb_shared_exit(b, true, me);
		}
	} else {
		rc = (uint32_t)b->state == 0 ? hb_buf_resolve(b) : -EBUSY;
		if (rc == 0)
			b->state |= __HB_GUARD_WRITER;
	}
	if (rc != 0)
		return rc;
	w->buf = b;
	w->pend = 0;
	w->lcore = me;
	w->state = __HB_WRITER_LIVE;
	writer_seek(w);
	return 0;
}

int
__hb_writer_append(struct hb_writer *w, const void *src, uint32_t len)
{
	int rc;

	if (w == NULL || src == NULL || w->state != __HB_WRITER_LIVE)
		return -EINVAL;
	/* The tail fills up: the chain first, then the general append. */
	writer_commit(w);
	rc = hb_buf_append_held(w->buf, src, len);
	writer_seek(w);
	return rc;
}

int
hb_writer_end(struct hb_writer *w)
{
	struct hb_buf *b;

	if (w == NULL || w->state != __HB_WRITER_LIVE)
		return -EINVAL;
	b = w->buf;
	writer_commit(w);
	w->state = 0;
	w->room = 0;
	HB_BUF_VERIFY(b);
	if ((b->state & __HB_GUARD_SHARED) != 0)
		hb_shared_exit(b, true, w->lcore);
	else
		b->state &= ~(uint64_t)__HB_GUARD_WRITER;
	return 0;
}
