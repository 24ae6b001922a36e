/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * The cursor's out-of-line parts (hb_cursor.h): they take the cursor's
 * fields by value and return its new position by value, so that a cursor
 * never has its address taken.
 */

#include <errno.h>

#include "hb_cursor.h"
#include "hb_buf_int.h"

/*
 * The position @off (<= length) of @b (held for reading; @cache as in
 * struct hb_hold): a pointer to its byte and the bytes of its segment from
 * there on.
 */
static struct __hb_cpos
cursor_locate(const struct hb_buf *b, uint32_t off, struct hb_buf *cache)
{
	struct __hb_cpos r = { NULL, b->gen, 0, 0 };
	struct rte_mbuf *m;
	uint32_t start;

	if (off < hb_buf_len(b)) {
		m = hb_seg_find(b, off, &start, cache);
		r.p = rte_pktmbuf_mtod_offset(m, const char *, off - start);
		r.avail = (uint16_t)(m->data_len - (off - start));
	}
	/* At the end: no byte; reads there take the slow path. */
	return r;
}

struct __hb_cpos
__hb_cursor_at(const struct hb_buf *b, uint32_t off)
{
	struct __hb_cpos r = { NULL, 0, 0, 0 };
	struct hb_hold h;
	int rc = hb_buf_read_enter(b, &h);

	if (rc != 0) {
		r.rc = (int16_t)rc;
		return r;
	}
	if (off > hb_buf_len(b)) {
		r.rc = -ERANGE;
	} else {
		r = cursor_locate(b, off, h.cache);
		/* Later lives of any buffer on this thread: a new epoch. */
		RTE_PER_LCORE(__hb_epoch)++;
	}
	hb_buf_read_exit(b, &h);
	return r;
}

struct __hb_cpos
__hb_cursor_move(const struct hb_buf *b, uint32_t gen, uint32_t off,
		 void *dst, uint32_t len, bool advance)
{
	struct __hb_cpos r = { NULL, gen, 0, 0 };
	struct hb_hold h;
	struct rte_mbuf *m;
	uint32_t start;
	int rc = hb_buf_read_enter(b, &h);

	if (rc != 0) {
		r.rc = (int16_t)rc;
		return r;
	}
	if (gen != b->gen) {
		r.rc = -ESTALE;
	} else if (off > hb_buf_len(b) || len > hb_buf_len(b) - off) {
		r.rc = -ENODATA;
	} else {
		if (dst != NULL && len > 0) {
			m = hb_seg_find(b, off, &start, h.cache);
			hb_seg_copy(m, start, off - start, dst, len, true,
				    h.cache);
		}
		if (advance)
			r = cursor_locate(b, off + len, h.cache);
	}
	hb_buf_read_exit(b, &h);
	return r;
}

const void *
__hb_cursor_pull(const struct hb_buf *b, uint32_t gen, uint32_t off,
		 uint32_t len, void *scratch, struct __hb_cpos *next)
{
	const void *p = NULL;
	struct hb_hold h;
	int rc = hb_buf_read_enter(b, &h);

	if (rc != 0) {
		rte_errno = -rc;
		return NULL;
	}
	if (gen != b->gen) {
		rte_errno = ESTALE;
	} else if (off > hb_buf_len(b) || len > hb_buf_len(b) - off) {
		rte_errno = ENODATA;
	} else {
		p = hb_buf_peek_held(b, off, len, scratch, h.cache);
		if (p != NULL)
			*next = cursor_locate(b, off + len, h.cache);
	}
	hb_buf_read_exit(b, &h);
	return p;
}
