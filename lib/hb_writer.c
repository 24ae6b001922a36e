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

/* Count @pend bytes written after the tail's data in the chain. */
static void
writer_commit(struct hb_buf *b, uint32_t pend)
{
	if (pend == 0)
		return;
	b->tail->data_len = (uint16_t)(b->tail->data_len + pend);
	b->head->pkt_len += pend;
}

/* Where the next bytes go: the room after the tail's data. */
static struct __hb_wpos
writer_pos(const struct hb_buf *b, int rc)
{
	struct __hb_wpos r;

	r.room = hb_buf_tail_room(b, &r.p);
	r.rc = rc;
	return r;
}

struct __hb_wpos
__hb_writer_begin(struct hb_buf *b)
{
	struct __hb_wpos r = { NULL, 0, 0 };
	unsigned int me;

	if (!hb_buf_magic_ok(b)) {
		r.rc = -EINVAL;
		return r;
	}
	if ((uint32_t)b->state == __HB_GUARD_SHARED) {
		me = rte_lcore_id();
		if (me >= RTE_MAX_LCORE) {
			r.rc = -ENOTSUP;
			return r;
		}
		r.rc = hb_guard_enter(b->sh, true, me, false);
		if (r.rc == 0) {
			r.rc = hb_buf_resolve(b);
			if (r.rc != 0)
				hb_guard_exit(b->sh, true, me);
		}
	} else {
		r.rc = (uint32_t)b->state == 0 ? hb_buf_resolve(b) : -EBUSY;
		if (r.rc == 0)
			b->state |= __HB_GUARD_WRITER;
	}
	return r.rc == 0 ? writer_pos(b, 0) : r; /* r: no room */
}

struct __hb_wpos
__hb_writer_next(struct hb_buf *b, uint32_t pend, const void *src,
		 uint32_t len)
{
	writer_commit(b, pend);
	return writer_pos(b, hb_buf_append_held(b, src, len));
}

int
__hb_writer_end(struct hb_buf *b, uint32_t pend)
{
	writer_commit(b, pend);
	HB_BUF_VERIFY(b);
	if (hb_buf_shared(b))
		/* A writer holds it exclusively: the lcore does not matter. */
		hb_guard_exit(b->sh, true, 0);
	else
		b->state &= ~(uint64_t)__HB_GUARD_WRITER;
	return 0;
}
