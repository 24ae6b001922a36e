/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * The harness's assertions on snapshots (hb_snap.h): apart from hb_test.c
 * so that a test program may build hb_test.c alone, without hb_snap.c.
 */

#include <string.h>

#include <rte_errno.h>

#include "hb_test.h"

void
hb_test_snap(struct hb_snap *s, const struct hb_buf *b, bool bytes)
{
	hb_assert_buf_ok(b);
	assert_int_equal(hb_snap_take(s, b, bytes), 0);
}

void
hb_test_snap_chain(struct hb_snap *s, const struct rte_mbuf *head)
{
	assert_int_equal(hb_snap_chain(s, head), 0);
	assert_false(s->loop);
	assert_int_equal(s->nbytes, s->len);
	assert_int_equal(s->n, s->nb_segs);
}

void
hb_test_snap_same(const struct hb_snap *before, const struct hb_snap *now,
		  unsigned int what, const char *file, int line)
{
	char why[256];

	if (hb_snap_diff(before, now, what, why, sizeof(why)) != 0)
		fail_msg("%s:%d: changed: %s%s", file, line, why,
			 hb_test_ctx_msg());
}

void
hb_test_snap_check(const struct hb_snap *s, const struct hb_buf *b,
		   const char *file, int line)
{
	struct hb_snap now;
	unsigned int i;
	char why[256];
	int rc;

	assert_int_equal(hb_snap_take(&now, b, s->bytes != NULL), 0);
	/* The same pools, counted now. */
	now.npools = 0;
	for (i = 0; i < s->npools; i++)
		hb_snap_pool(&now, s->mp[i]);
	rc = hb_snap_diff(s, &now, HB_SNAP_ALL, why, sizeof(why));
	hb_snap_free(&now);
	if (rc != 0) {
		hb_buf_dump(stderr, b);
		fail_msg("%s:%d: the buffer changed: %s%s", file, line, why,
			 hb_test_ctx_msg());
	}
}

void
hb_test_cursor_fails(const struct hb_snap *s, const struct hb_buf *b,
		     struct hb_cursor *c, uint32_t len, int err,
		     const char *file, int line)
{
	/* Small: a failing call must not write, ASan sees it if it does. */
	static uint8_t out[4096], scratch[4096];
	struct hb_cursor c0;
	const void *p;
	int k;

	memcpy(&c0, c, sizeof(c0));
	for (k = 0; k < 5; k++) {
		int rc;

		rte_errno = 0;
		switch (k) {
		case 0:
			rc = hb_cursor_read(c, out, len);
			break;
		case 1:
			rc = hb_cursor_peek(c, out, len);
			break;
		case 2:
			rc = hb_cursor_skip(c, len);
			break;
		default:
			p = hb_cursor_pull(c, len, k == 3 ? scratch : NULL);
			rc = p == NULL ? -rte_errno : 0;
			break;
		}
		if (rc != -err)
			fail_msg("%s:%d: cursor call %d of %u bytes: %d, "
				 "expected %d%s", file, line, k, len, rc, -err,
				 hb_test_ctx_msg());
		if (memcmp(c, &c0, sizeof(c0)) != 0)
			fail_msg("%s:%d: cursor call %d moved the cursor%s",
				 file, line, k, hb_test_ctx_msg());
		hb_test_snap_check(s, b, file, line);
	}
}
