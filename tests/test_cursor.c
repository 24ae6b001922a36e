/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * The read cursor (hb_cursor.h): reads, peeks, skips, pulls and typed
 * calls through a buffer, set up anywhere, on both pool configurations of
 * hb_pcfg.h and checked against the chain; bytes appended after it was
 * set up; -ESTALE after any change of layout. Then its errors, on one
 * pool: past the end, a pull without scratch, stale cursors (a failed
 * call changes neither the buffer nor the cursor).
 */

#include <errno.h>
#include <string.h>

#include <rte_errno.h>

#include "hb_model.h"
#include "hb_pcfg.h"

static struct hb_seg_info lay[HB_PCFG_MAX_SEGS];
static uint32_t pts[HB_PCFG_MAX_PTS];

/* The bytes of the error tests (hb_ref is never written). */
static uint8_t pat[8192];

/* Consume a buffer front to back in mixed steps, checking every byte. */
static void
test_cursor_read(void **state)
{
	struct hb_pcfg *c = hb_pcfg_get(state);
	const uint32_t sizes[] = { 0, 1, 10 * c->seg + 7, HB_PCFG_MIB };
	unsigned int base = hb_pcfg_in_use(c), i, k;
	struct hb_cursor cur = { 0 };
	struct hb_buf b;

	for (i = 0; i < RTE_DIM(sizes); i++) {
		uint32_t s = sizes[i], off = 0;

		hb_test_ctx("%s: cursor through %u bytes", c->name, s);
		hb_pcfg_build(c, &b, hb_ref, s);
		assert_int_equal(hb_cursor_init(&cur, &b, 0), 0);
		assert_int_equal(hb_cursor_offset(&cur), 0);
		assert_int_equal(hb_cursor_remaining(&cur), s);
		for (k = 0; off < s; k++) {
			uint32_t p = RTE_MIN(hb_pcfg_piece(c, k), s - off);

			memset(hb_tmp, 0x5a, p);
			assert_int_equal(hb_cursor_read(&cur, hb_tmp, p), 0);
			assert_memory_equal(hb_tmp, hb_ref + off, p);
			off += p;
			assert_int_equal(hb_cursor_offset(&cur), off);
			assert_int_equal(hb_cursor_remaining(&cur), s - off);
		}
		/* at the end: nothing more, and the cursor does not move */
		assert_int_equal(hb_cursor_read(&cur, hb_tmp, 0), 0);
		assert_int_equal(hb_cursor_read(&cur, hb_tmp, 1), -ENODATA);
		assert_int_equal(hb_cursor_offset(&cur), s);
		assert_int_equal(hb_cursor_remaining(&cur), 0);

		/* again with skip and peek */
		hb_test_ctx("%s: cursor skip/peek through %u bytes", c->name,
			    s);
		assert_int_equal(hb_cursor_init(&cur, &b, 0), 0);
		for (k = 0, off = 0; off < s; k++) {
			uint32_t p = RTE_MIN(hb_pcfg_piece(c, k), s - off);

			assert_int_equal(hb_cursor_peek(&cur, hb_tmp, p), 0);
			assert_memory_equal(hb_tmp, hb_ref + off, p);
			assert_int_equal(hb_cursor_offset(&cur), off);
			assert_int_equal(hb_cursor_skip(&cur, p), 0);
			off += p;
			assert_int_equal(hb_cursor_offset(&cur), off);
		}
		assert_int_equal(hb_cursor_skip(&cur, 0), 0);
		assert_int_equal(hb_cursor_skip(&cur, 1), -ENODATA);
		assert_int_equal(hb_cursor_offset(&cur), s);
		hb_assert_buf_bytes(&b, hb_ref, s);
		assert_int_equal(hb_buf_free(&b), 0);
	}
	hb_assert_pool_at(c->mp, base);
}

/* Cursor set up at interesting offsets: peek, pull, skip, typed calls. */
static void
test_cursor_mid(void **state)
{
	struct hb_pcfg *c = hb_pcfg_get(state);
	const uint32_t pulls[] = { 1, 2, 8, c->seg };
	unsigned int base = hb_pcfg_in_use(c), n, npt, i, k;
	uint32_t s = 4 * c->seg + c->hc;
	struct hb_cursor cur;
	struct hb_buf b;
	const uint8_t *p;
	uint64_t v;

	hb_pcfg_build(c, &b, hb_ref, s);
	n = hb_layout(&b, lay);
	npt = hb_layout_points(lay, n, s, pts, 8);
	for (i = 0; i < npt; i++) {
		uint32_t o = pts[i], rem = s - o;

		hb_test_ctx("%s: cursor at %u of %u", c->name, o, s);
		assert_int_equal(hb_cursor_init(&cur, &b, o), 0);
		assert_int_equal(hb_cursor_offset(&cur), o);
		assert_int_equal(hb_cursor_remaining(&cur), rem);
		if (rem >= 9) {
			assert_int_equal(hb_cursor_peek(&cur, hb_tmp, 9), 0);
			assert_memory_equal(hb_tmp, hb_ref + o, 9);
			assert_int_equal(hb_cursor_offset(&cur), o);
		}
		/* pull: a pointer into the segment, or the scratch copy */
		for (k = 0; k < RTE_DIM(pulls); k++) {
			uint32_t len = pulls[k];

			if (len > rem)
				continue;
			hb_test_ctx("%s: cursor pull %u at %u of %u", c->name,
				    len, o, s);
			assert_int_equal(hb_cursor_init(&cur, &b, o), 0);
			hb_scratch[0] = (uint8_t)~hb_ref[o];
			p = hb_cursor_pull(&cur, len, hb_scratch);
			assert_true(p != NULL);
			assert_memory_equal(p, hb_ref + o, len);
			if (hb_layout_contiguous(lay, n, o, len)) {
				unsigned int j = hb_layout_seg_at(lay, n, o);

				assert_ptr_equal(p, lay[j].data +
							    (o - lay[j].start));
				assert_int_equal(hb_scratch[0],
						 (uint8_t)~hb_ref[o]);
			} else {
				assert_ptr_equal(p, hb_scratch);
			}
			assert_int_equal(hb_cursor_offset(&cur), o + len);
			/* the cursor goes on after a pull */
			if (rem > len) {
				assert_int_equal(hb_cursor_read(&cur, hb_tmp,
								1),
						 0);
				assert_int_equal(hb_tmp[0], hb_ref[o + len]);
			}
			/* skip, then read */
			assert_int_equal(hb_cursor_init(&cur, &b, o), 0);
			assert_int_equal(hb_cursor_skip(&cur, len), 0);
			assert_int_equal(hb_cursor_offset(&cur), o + len);
			if (rem > len) {
				assert_int_equal(hb_cursor_read(&cur, hb_tmp,
								1),
						 0);
				assert_int_equal(hb_tmp[0], hb_ref[o + len]);
			}
		}
		/* typed peek (no move) and get (move) */
		for (k = 0; k < HB_INT_NUM; k++) {
			const struct hb_int_desc *op = &hb_ints[k];

			if (op->size > rem)
				continue;
			hb_test_ctx("%s: cursor %s at %u of %u", c->name,
				    op->name, o, s);
			assert_int_equal(hb_cursor_init(&cur, &b, o), 0);
			v = 0;
			assert_int_equal(hb_int_cursor(&cur, k, false, &v), 0);
			assert_int_equal(v, hb_int_decode(hb_ref + o, k));
			assert_int_equal(hb_cursor_offset(&cur), o);
			v = 0;
			assert_int_equal(hb_int_cursor(&cur, k, true, &v), 0);
			assert_int_equal(v, hb_int_decode(hb_ref + o, k));
			assert_int_equal(hb_cursor_offset(&cur), o + op->size);
			assert_int_equal(hb_cursor_remaining(&cur),
					 rem - op->size);
		}
	}
	hb_assert_buf_bytes(&b, hb_ref, s);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(c->mp, base);
}

/* -ENODATA at the end, and the cursor does not move. */
static void
test_cursor_end(void **state)
{
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c), k;
	uint32_t s = c->seg + 3;
	struct hb_cursor cur;
	struct hb_buf b;
	uint16_t v16;
	uint8_t v8;
	uint64_t v;

	hb_pcfg_build(c, &b, hb_ref, s);
	for (k = 0; k < HB_INT_NUM; k++) {
		const struct hb_int_desc *op = &hb_ints[k];
		uint32_t o = s - (op->size - 1);

		hb_test_ctx("%s: cursor %s with %u bytes left", c->name,
			    op->name, op->size - 1);
		assert_int_equal(hb_cursor_init(&cur, &b, o), 0);
		v = 0x77;
		assert_int_equal(hb_int_cursor(&cur, k, true, &v), -ENODATA);
		assert_int_equal(hb_int_cursor(&cur, k, false, &v), -ENODATA);
		assert_int_equal(hb_cursor_offset(&cur), o);
		assert_int_equal(hb_cursor_remaining(&cur), op->size - 1);
	}
	hb_test_ctx("%s: cursor 3 bytes before the end", c->name);
	assert_int_equal(hb_cursor_init(&cur, &b, s - 3), 0);
	assert_int_equal(hb_cursor_read(&cur, hb_tmp, 4), -ENODATA);
	assert_int_equal(hb_cursor_peek(&cur, hb_tmp, 4), -ENODATA);
	assert_int_equal(hb_cursor_skip(&cur, 4), -ENODATA);
	rte_errno = 0;
	assert_true(hb_cursor_pull(&cur, 4, hb_scratch) == NULL);
	assert_int_equal(rte_errno, ENODATA);
	assert_int_equal(hb_cursor_skip(&cur, UINT32_MAX), -ENODATA);
	assert_int_equal(hb_cursor_offset(&cur), s - 3);
	assert_int_equal(hb_cursor_remaining(&cur), 3);
	/* the three bytes are still there */
	assert_int_equal(hb_cursor_read(&cur, hb_tmp, 3), 0);
	assert_memory_equal(hb_tmp, hb_ref + s - 3, 3);
	assert_int_equal(hb_cursor_get_u8(&cur, &v8), -ENODATA);
	assert_int_equal(hb_cursor_offset(&cur), s);

	/* set up at the very end */
	hb_test_ctx("%s: cursor at the end", c->name);
	assert_int_equal(hb_cursor_init(&cur, &b, s), 0);
	assert_int_equal(hb_cursor_remaining(&cur), 0);
	assert_int_equal(hb_cursor_read(&cur, hb_tmp, 1), -ENODATA);
	assert_true(hb_cursor_pull(&cur, 0, hb_scratch) != NULL);
	assert_int_equal(hb_cursor_offset(&cur), s);
	assert_int_equal(hb_buf_free(&b), 0);

	/* an empty buffer */
	hb_test_ctx("%s: cursor on an empty buffer", c->name);
	assert_int_equal(hb_buf_init(&b, c->mp), 0);
	assert_int_equal(hb_cursor_init(&cur, &b, 0), 0);
	assert_int_equal(hb_cursor_remaining(&cur), 0);
	assert_int_equal(hb_cursor_read(&cur, hb_tmp, 1), -ENODATA);
	assert_int_equal(hb_cursor_get_be16(&cur, &v16), -ENODATA);
	assert_int_equal(hb_cursor_offset(&cur), 0);
	hb_assert_pool_at(c->mp, base);
}

/* A cursor sees bytes appended after it was set up. */
static void
test_cursor_append(void **state)
{
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c), k;
	uint32_t s, off, end;
	struct hb_cursor cur = { 0 };
	struct hb_buf b;

	/* on an empty buffer */
	hb_test_ctx("%s: cursor on an empty buffer, then appends", c->name);
	assert_int_equal(hb_buf_init(&b, c->mp), 0);
	assert_int_equal(hb_cursor_init(&cur, &b, 0), 0);
	s = 10 * c->seg + 7;
	assert_int_equal(hb_buf_append(&b, hb_ref, s), 0);
	assert_int_equal(hb_cursor_remaining(&cur), s);
	assert_int_equal(hb_cursor_read(&cur, hb_tmp, s), 0);
	assert_memory_equal(hb_tmp, hb_ref, s);
	assert_int_equal(hb_buf_free(&b), 0);

	/* at the end of a full tail, at the end of a half-full tail */
	for (s = c->hc; s <= c->hc + c->seg / 2; s += c->seg / 2) {
		hb_test_ctx("%s: cursor at the end of %u bytes, then appends",
			    c->name, s);
		hb_pcfg_build(c, &b, hb_ref, s);
		assert_int_equal(hb_cursor_init(&cur, &b, s), 0);
		assert_int_equal(hb_cursor_read(&cur, hb_tmp, 1), -ENODATA);
		assert_int_equal(hb_buf_append(&b, hb_ref + s, 3 * c->seg + 2),
				 0);
		assert_int_equal(hb_cursor_remaining(&cur), 3 * c->seg + 2);
		assert_int_equal(hb_cursor_read(&cur, hb_tmp, 3 * c->seg + 2),
				 0);
		assert_memory_equal(hb_tmp, hb_ref + s, 3 * c->seg + 2);
		assert_int_equal(hb_cursor_offset(&cur), s + 3 * c->seg + 2);
		assert_int_equal(hb_buf_free(&b), 0);
	}

	/* producer and consumer interleaved, the cursor always near the end */
	hb_test_ctx("%s: cursor consuming while appending", c->name);
	assert_int_equal(hb_buf_init(&b, c->mp), 0);
	assert_int_equal(hb_cursor_init(&cur, &b, 0), 0);
	for (k = 0, off = 0, end = 0; end < 20 * c->seg; k++) {
		uint32_t p = hb_pcfg_piece(c, k), q;

		assert_int_equal(hb_buf_append(&b, hb_ref + end, p), 0);
		end += p;
		q = RTE_MIN(hb_pcfg_piece(c, k + 3), end - off);
		assert_int_equal(hb_cursor_read(&cur, hb_tmp, q), 0);
		assert_memory_equal(hb_tmp, hb_ref + off, q);
		off += q;
		assert_int_equal(hb_cursor_remaining(&cur), end - off);
	}
	assert_int_equal(hb_cursor_read(&cur, hb_tmp, end - off), 0);
	assert_memory_equal(hb_tmp, hb_ref + off, end - off);

	/* reserve leaves the cursor valid too */
	hb_test_ctx("%s: cursor across reserve", c->name);
	assert_int_equal(hb_cursor_init(&cur, &b, end - 5), 0);
	assert_int_equal(hb_buf_reserve(&b, 5 * c->seg), 0);
	assert_int_equal(hb_cursor_remaining(&cur), 5);
	assert_int_equal(hb_buf_append(&b, hb_ref + end, 5 * c->seg), 0);
	assert_int_equal(hb_cursor_read(&cur, hb_tmp, 5 + 5 * c->seg), 0);
	assert_memory_equal(hb_tmp, hb_ref + end - 5, 5 + 5 * c->seg);
	hb_assert_buf_bytes(&b, hb_ref, end + 5 * c->seg);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(c->mp, base);
}

enum stale_op {
	STALE_PREPEND_HEADROOM,
	STALE_PREPEND_NEW_HEAD,
	STALE_ADJ,
	STALE_ADJ_SEGMENT,
	STALE_TRIM,
	STALE_TRIM_SEGMENT,
	STALE_SPLIT,
	STALE_SPLIT_ZERO,
	STALE_FREE,
	STALE_DETACH,
	STALE_NB,
};

/* -ESTALE after any change of layout, until the cursor is set up again. */
static void
test_cursor_stale(void **state)
{
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c);
	uint32_t s = 3 * c->seg + 5;
	struct rte_mbuf *m = NULL;
	struct hb_cursor cur;
	struct hb_buf b, t;
	int op;
	uint64_t v;

	for (op = 0; op < STALE_NB; op++) {
		bool has_t = false;

		hb_test_ctx("%s: cursor stale after op %d", c->name, op);
		hb_pcfg_build_idx(c, &b, hb_ref, s);
		assert_int_equal(hb_cursor_init(&cur, &b, 10), 0);
		assert_int_equal(hb_cursor_read(&cur, hb_tmp, 2), 0);
		switch (op) {
		case STALE_PREPEND_HEADROOM:
			assert_int_equal(hb_buf_prepend(&b, hb_ref, 1), 0);
			break;
		case STALE_PREPEND_NEW_HEAD:
			assert_int_equal(hb_buf_prepend(&b, hb_ref, c->seg + 1),
					 0);
			break;
		case STALE_ADJ:
			assert_int_equal(hb_buf_adj(&b, 1), 0);
			break;
		case STALE_ADJ_SEGMENT:
			assert_int_equal(hb_buf_adj(&b, c->hc + 1), 0);
			break;
		case STALE_TRIM:
			assert_int_equal(hb_buf_trim(&b, 1), 0);
			break;
		case STALE_TRIM_SEGMENT:
			assert_int_equal(hb_buf_trim(&b, c->seg + 1), 0);
			break;
		case STALE_SPLIT:
			assert_int_equal(hb_buf_split(&b, s / 2, &t), 0);
			has_t = true;
			break;
		case STALE_SPLIT_ZERO:
			assert_int_equal(hb_buf_split(&b, 0, &t), 0);
			has_t = true;
			break;
		case STALE_FREE:
			assert_int_equal(hb_buf_free(&b), 0);
			break;
		case STALE_DETACH:
			m = hb_buf_detach(&b);
			assert_true(m != NULL);
			break;
		}
		hb_assert_buf_ok(&b);
		assert_int_equal(hb_cursor_read(&cur, hb_tmp, 1), -ESTALE);
		assert_int_equal(hb_cursor_read(&cur, hb_tmp, 0), -ESTALE);
		assert_int_equal(hb_cursor_peek(&cur, hb_tmp, 1), -ESTALE);
		assert_int_equal(hb_cursor_skip(&cur, 1), -ESTALE);
		rte_errno = 0;
		assert_true(hb_cursor_pull(&cur, 1, hb_scratch) == NULL);
		assert_int_equal(rte_errno, ESTALE);
		assert_int_equal(hb_int_cursor(&cur, HB_INT_BE16, true, &v),
				 -ESTALE);
		assert_int_equal(hb_int_cursor(&cur, HB_INT_LE32, false, &v),
				 -ESTALE);
		assert_int_equal(hb_cursor_remaining(&cur), 0);
		assert_int_equal(hb_cursor_offset(&cur), 12);
		/* set up again, it works */
		assert_int_equal(hb_cursor_init(&cur, &b, 0), 0);
		assert_int_equal(hb_cursor_remaining(&cur), hb_buf_len(&b));
		if (hb_buf_len(&b) > 0) {
			assert_int_equal(hb_cursor_read(&cur, hb_tmp, 1), 0);
			assert_int_equal(hb_buf_read(&b, 0, hb_tmp + 1, 1), 0);
			assert_int_equal(hb_tmp[0], hb_tmp[1]);
		} else {
			assert_int_equal(hb_cursor_read(&cur, hb_tmp, 1),
					 -ENODATA);
		}
		assert_int_equal(hb_buf_free(&b), 0);
		if (has_t)
			assert_int_equal(hb_buf_free(&t), 0);
		if (m != NULL) {
			rte_pktmbuf_free(m);
			m = NULL;
		}
		hb_assert_pool_at(c->mp, base);
	}
	hb_assert_pool_at(c->mp, base);
}

/* ---------------------------------------------------------------------
 * Errors: past the end, scratch needed, stale (one pool)
 */

/*
 * Typed cursor calls fail with @err when wider than @rem (or always), and
 * neither move the cursor nor write the value.
 */
static void
cursor_typed_fail(struct hb_snap *s, struct hb_buf *b, struct hb_cursor *c,
		  uint32_t rem, int err)
{
	struct hb_cursor c0;
	unsigned int k;
	uint64_t v;

	memcpy(&c0, c, sizeof(c0));
	for (k = 0; k < HB_INT_NUM; k++) {
		if (hb_ints[k].size <= rem)
			continue;
		v = 0x5a;
		hb_assert_rc_snap(s, b, hb_int_cursor(c, k, true, &v), -err);
		assert_memory_equal(c, &c0, sizeof(*c));
		hb_assert_rc_snap(s, b, hb_int_cursor(c, k, false, &v), -err);
		assert_memory_equal(c, &c0, sizeof(*c));
		assert_int_equal(v, 0x5a);
	}
}

static void
test_cursor_end_errors(void **state)
{
	struct rte_mempool *pool = hb_pcfg_big.mp;
	unsigned int base = rte_mempool_in_use_count(pool);
	const uint32_t L = 5000;
	struct hb_cursor c, c0;
	const uint8_t *p;
	struct hb_buf b;
	struct hb_snap s;
	uint32_t h0, rem;

	(void)state;
	hb_test_pattern(pat, L, 9);
	hb_test_buf(&b, pool, pat, L, 700);
	h0 = b.head->data_len;
	hb_test_snap(&s, &b, true);

	/* Init past the end: -ERANGE, cursor untouched. */
	memset(&c, 0x6b, sizeof(c));
	memcpy(&c0, &c, sizeof(c));
	hb_assert_rc_snap(&s, &b, hb_cursor_init(&c, &b, L + 1), -ERANGE);
	assert_memory_equal(&c, &c0, sizeof(c));

	/* 0..8 bytes before the end. */
	for (rem = 0; rem <= 8; rem++) {
		hb_assert_rc_snap(&s, &b, hb_cursor_init(&c, &b, L - rem), 0);
		hb_assert_cursor_fails(&s, &b, &c, rem + 1, ENODATA);
		hb_assert_cursor_fails(&s, &b, &c, rem + 1000, ENODATA);
		hb_assert_cursor_fails(&s, &b, &c, UINT32_MAX, ENODATA);
		cursor_typed_fail(&s, &b, &c, rem, ENODATA);
		assert_int_equal(hb_cursor_offset(&c), L - rem);
		assert_int_equal(hb_cursor_remaining(&c), rem);
		/* What remains is still there. */
		hb_assert_rc_snap(&s, &b, hb_cursor_read(&c, hb_tmp, rem), 0);
		assert_memory_equal(hb_tmp, pat + L - rem, rem);
		assert_int_equal(hb_cursor_remaining(&c), 0);
		/* At the end: zero-length calls succeed. */
		hb_assert_rc_snap(&s, &b, hb_cursor_read(&c, hb_tmp, 0), 0);
		hb_assert_rc_snap(&s, &b, hb_cursor_skip(&c, 0), 0);
		assert_non_null(hb_cursor_pull(&c, 0, NULL));
		hb_assert_cursor_fails(&s, &b, &c, 1, ENODATA);
		cursor_typed_fail(&s, &b, &c, 0, ENODATA);
	}

	/* Spanning two segments without hb_scratch: -EINVAL, no move. */
	hb_assert_rc_snap(&s, &b, hb_cursor_init(&c, &b, h0 - 2), 0);
	memcpy(&c0, &c, sizeof(c));
	hb_assert_null_snap(&s, &b, hb_cursor_pull(&c, 4, NULL), EINVAL);
	assert_memory_equal(&c, &c0, sizeof(c));
	hb_assert_null_snap(&s, &b, hb_cursor_pull(&c, 2000, NULL), EINVAL);
	assert_memory_equal(&c, &c0, sizeof(c));
	p = hb_cursor_pull(&c, 4, hb_scratch);
	assert_ptr_equal(p, hb_scratch);
	assert_memory_equal(p, pat + h0 - 2, 4);
	assert_int_equal(hb_cursor_offset(&c), h0 + 2);
	hb_assert_snap(&s, &b);
	hb_snap_free(&s);

	/* Empty buffer. */
	assert_int_equal(hb_buf_free(&b), 0);
	hb_test_snap(&s, &b, true);
	hb_assert_rc_snap(&s, &b, hb_cursor_init(&c, &b, 1), -ERANGE);
	hb_assert_rc_snap(&s, &b, hb_cursor_init(&c, &b, 0), 0);
	hb_assert_cursor_fails(&s, &b, &c, 1, ENODATA);
	cursor_typed_fail(&s, &b, &c, 0, ENODATA);
	assert_non_null(hb_cursor_pull(&c, 0, NULL));
	hb_snap_free(&s);
	hb_assert_pool_at(pool, base);
}

enum change {
	CH_PREPEND,
	CH_PREPEND_BIG,
	CH_ADJ,
	CH_ADJ_SEG,
	CH_TRIM,
	CH_TRIM_ALL,
	CH_SPLIT,
	CH_SPLIT0,
	CH_FREE,
	CH_DETACH,
	CH_NUM
};

static void
test_cursor_stale_errors(void **state)
{
	struct rte_mempool *pool = hb_pcfg_big.mp;
	unsigned int base = rte_mempool_in_use_count(pool);
	const uint32_t L = 5000;
	struct hb_cursor c, c0;
	struct rte_mbuf *m;
	struct hb_buf b, t;
	struct hb_snap s;
	int ch;

	(void)state;
	for (ch = 0; ch < CH_NUM; ch++) {
		hb_test_pattern(pat, L, 10);
		hb_test_buf(&b, pool, pat, L, 5000);
		assert_int_equal(hb_cursor_init(&c, &b, 100), 0);
		assert_int_equal(hb_cursor_read(&c, hb_tmp, 10), 0);
		assert_memory_equal(hb_tmp, pat + 100, 10);
		/* Growing at the end keeps the cursor valid. */
		assert_int_equal(hb_buf_append(&b, pat, 3000), 0);
		assert_int_equal(hb_buf_reserve(&b, 9000), 0);
		assert_int_equal(hb_cursor_remaining(&c), L + 3000 - 110);
		assert_int_equal(hb_cursor_skip(&c, L - 112), 0);
		assert_int_equal(hb_cursor_read(&c, hb_tmp, 4), 0);
		assert_memory_equal(hb_tmp, pat + L - 2, 2);
		assert_memory_equal(hb_tmp + 2, pat, 2);

		m = NULL;
		switch (ch) {
		case CH_PREPEND:
			assert_int_equal(hb_buf_prepend(&b, pat, 1), 0);
			break;
		case CH_PREPEND_BIG:
			assert_int_equal(hb_buf_prepend(&b, pat, 4000), 0);
			break;
		case CH_ADJ:
			assert_int_equal(hb_buf_adj(&b, 1), 0);
			break;
		case CH_ADJ_SEG:
			assert_int_equal(hb_buf_adj(&b, 4000), 0);
			break;
		case CH_TRIM:
			assert_int_equal(hb_buf_trim(&b, 1), 0);
			break;
		case CH_TRIM_ALL:
			assert_int_equal(hb_buf_trim(&b, hb_buf_len(&b)), 0);
			break;
		case CH_SPLIT:
			assert_int_equal(hb_buf_split(&b, 3000, &t), 0);
			assert_int_equal(hb_buf_free(&t), 0);
			break;
		case CH_SPLIT0:
			assert_int_equal(hb_buf_split(&b, 0, &t), 0);
			assert_int_equal(hb_buf_free(&t), 0);
			break;
		case CH_FREE:
			assert_int_equal(hb_buf_free(&b), 0);
			break;
		case CH_DETACH:
			m = hb_buf_detach(&b);
			assert_non_null(m);
			break;
		}
		hb_test_snap(&s, &b, true);
		memcpy(&c0, &c, sizeof(c));
		hb_assert_cursor_fails(&s, &b, &c, 0, ESTALE);
		hb_assert_cursor_fails(&s, &b, &c, 1, ESTALE);
		hb_assert_cursor_fails(&s, &b, &c, UINT32_MAX, ESTALE);
		cursor_typed_fail(&s, &b, &c, 0, ESTALE);
		assert_memory_equal(&c, &c0, sizeof(c));
		assert_int_equal(hb_cursor_remaining(&c), 0);
		/* Set up again, it works. */
		hb_assert_rc_snap(&s, &b, hb_cursor_init(&c, &b, 0), 0);
		assert_int_equal(hb_cursor_remaining(&c), hb_buf_len(&b));
		hb_snap_free(&s);
		assert_int_equal(hb_buf_free(&b), 0);
		if (m != NULL)
			rte_pktmbuf_free(m);
		hb_assert_pool_at(pool, base);
	}
}

/*
 * A buffer struct reused after hb_buf_free(): set up again by
 * hb_buf_init(), hb_buf_attach() or as the tail of a split. A cursor on its
 * old content stays stale (its segments are gone).
 */
enum reuse { RE_INIT, RE_ATTACH1, RE_ATTACHN, RE_SPLIT, RE_SPLIT0, RE_NUM };

static void
test_cursor_reuse(void **state)
{
	struct rte_mempool *pool = hb_pcfg_big.mp;
	unsigned int base = rte_mempool_in_use_count(pool);
	struct hb_cursor c, c0;
	struct rte_mbuf *m;
	struct hb_buf b, t;
	struct hb_snap s;
	int re, step;

	(void)state;
	for (re = 0; re < RE_NUM; re++) {
		for (step = 0; step < 2; step++) {
			/* Freed first, or simply overwritten. */
			hb_test_pattern(pat, 3000, 13);
			hb_test_buf(&t, pool, pat, 3000, 3000);
			assert_int_equal(hb_cursor_init(&c, &t, 10), 0);
			m = NULL;
			if (step == 0) {
				assert_int_equal(hb_buf_free(&t), 0);
			} else {
				/* Overwritten: no call saw the old chain go. */
				m = t.head;
			}
			hb_test_pattern(pat, 5000, 14);
			hb_test_buf(&b, pool, pat, 5000, 5000);
			switch (re) {
			case RE_INIT:
				assert_int_equal(hb_buf_init(&t, pool), 0);
				assert_int_equal(hb_buf_append(&t, pat, 100),
						 0);
				break;
			case RE_ATTACH1:
			case RE_ATTACHN:
				/* One segment: the inline attach. */
				if (re == RE_ATTACH1)
					assert_int_equal(hb_buf_trim(&b, 4000),
							 0);
				assert_int_equal(hb_buf_attach(&t,
							       hb_buf_detach(
								       &b)),
						 0);
				break;
			case RE_SPLIT:
				assert_int_equal(hb_buf_split(&b, 1000, &t), 0);
				break;
			case RE_SPLIT0:
				assert_int_equal(hb_buf_split(&b, 0, &t), 0);
				break;
			}
			hb_test_snap(&s, &t, true);
			memcpy(&c0, &c, sizeof(c));
			hb_assert_cursor_fails(&s, &t, &c, 1, ESTALE);
			hb_assert_cursor_fails(&s, &t, &c, 0, ESTALE);
			cursor_typed_fail(&s, &t, &c, 0, ESTALE);
			assert_memory_equal(&c, &c0, sizeof(c));
			assert_int_equal(hb_cursor_remaining(&c), 0);
			hb_snap_free(&s);
			assert_int_equal(hb_buf_free(&t), 0);
			assert_int_equal(hb_buf_free(&b), 0);
			if (m != NULL)
				rte_pktmbuf_free(m);
			hb_assert_pool_at(pool, base);
		}
	}
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		HB_PCFG_TEST(test_cursor_read),
		HB_PCFG_TEST(test_cursor_mid),
		HB_PCFG_TEST(test_cursor_end),
		HB_PCFG_TEST(test_cursor_append),
		HB_PCFG_TEST(test_cursor_stale),
		cmocka_unit_test_teardown(test_cursor_end_errors,
					  hb_test_ctx_teardown),
		cmocka_unit_test_teardown(test_cursor_stale_errors,
					  hb_test_ctx_teardown),
		cmocka_unit_test_teardown(test_cursor_reuse,
					  hb_test_ctx_teardown),
	};

	(void)argc;
	return hb_pcfg_main(argv[0], tests);
}
