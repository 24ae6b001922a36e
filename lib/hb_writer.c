/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * The writer (hb_writer.h): appends into the tail's room kept in the
 * writer, the chain brought up to date when a segment fills and at the end.
 */

#include <errno.h>

#include "hb_writer.h"
#include "hb_buf_int.h"

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
		rc = hb_guard_enter(b->sh, true, me, false);
		if (rc == 0) {
			rc = hb_buf_resolve(b);
			if (rc != 0)
				hb_guard_exit(b->sh, true, me);
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
	if (hb_buf_shared(b))
		hb_guard_exit(b->sh, true, w->lcore);
	else
		b->state &= ~(uint64_t)__HB_GUARD_WRITER;
	return 0;
}
