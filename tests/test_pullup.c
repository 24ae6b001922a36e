/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * hb_buf_pullup(): the range ends up in one segment, the logical bytes do
 * not change, and every failure changes nothing.
 */

#include <stdlib.h>
#include <string.h>

#include "hb_test.h"

#define MAXLEN 4096

static struct rte_mempool *pool;  /* default data room */
static struct rte_mempool *small; /* 256-byte data room, few mbufs */

/*
 * Build a buffer of @len pattern bytes whose segments hold cut[0], cut[1],
 * ... bytes (the last takes the rest), each segment after the default
 * headroom or, if @tail_full, at the end of its data room (no tailroom).
 */
static void
build(struct hb_buf *b, struct rte_mempool *mp, uint8_t *ref, uint32_t len,
      const uint32_t *cut, unsigned int ncut, bool tail_full)
{
	uint16_t lens[16], offs[16];
	struct rte_mbuf *m;
	uint32_t off = 0, i;

	assert_true(ncut < RTE_DIM(lens));
	hb_test_pattern(ref, len, len + ncut);
	for (i = 0; i <= ncut && i < RTE_DIM(lens); i++) {
		lens[i] = (uint16_t)(i < ncut ? cut[i] : len - off);
		offs[i] = HB_TEST_OFF_END;
		off += lens[i];
	}
	m = hb_test_chain(mp, ref, lens, ncut + 1, tail_full ? offs : NULL);
	assert_int_equal(hb_buf_attach(b, m), 0);
}

/* The range is in one segment: peek without scratch succeeds. */
static void
assert_contiguous(const struct hb_buf *b, uint32_t off, uint32_t len,
		  const uint8_t *ref)
{
	const uint8_t *p = hb_buf_peek(b, off, len, NULL);

	assert_non_null(p);
	assert_memory_equal(p, ref + off, len);
}

/* Every split point of a 34-byte header over 2 and 3 segments. */
static void
test_headers_every_split(void **state)
{
	unsigned int base = rte_mempool_in_use_count(pool);
	static uint8_t ref[MAXLEN];
	const uint32_t len = 200, hdr = 34;
	uint32_t a, c;
	int full;

	(void)state;
	for (full = 0; full <= 1; full++) {
		for (a = 1; a < hdr; a++) {
			for (c = 0; c < hdr - a; c += (c < 3 ? 1 : 7)) {
				uint32_t cut[2] = { a, c };
				unsigned int ncut = c == 0 ? 1 : 2;
				struct hb_buf b;

				build(&b, pool, ref, len, cut, ncut, full != 0);
				assert_int_equal(hb_buf_pullup(&b, 0, hdr), 0);
				hb_assert_buf_bytes(&b, ref, len);
				assert_contiguous(&b, 0, hdr, ref);
				/* In place in the head: visits are direct. */
				assert_ptr_equal(hb_buf_peek(&b, 0, hdr, NULL),
						 rte_pktmbuf_mtod(b.head, void *));
				/* Again: nothing to do, nothing changes. */
				assert_int_equal(hb_buf_pullup(&b, 0, hdr), 0);
				hb_assert_buf_bytes(&b, ref, len);
				assert_int_equal(hb_buf_free(&b), 0);
			}
		}
	}
	hb_assert_pool_at(pool, base);
}

/* The first strategy takes no mbuf; the second one exactly one. */
static void
test_strategies(void **state)
{
	unsigned int base = rte_mempool_in_use_count(pool), before;
	static uint8_t ref[MAXLEN];
	const uint32_t cut[3] = { 10, 5, 100 };
	struct hb_stats s0, s1;
	struct rte_mbuf *clone;
	struct hb_buf b, c;

	(void)state;
	/* Room in the first segment: moved there, the 5-byte one freed. */
	build(&b, pool, ref, 300, cut, 3, false);
	hb_lcore_stats_get(rte_lcore_id(), &s0);
	before = rte_mempool_in_use_count(pool);
	assert_int_equal(hb_buf_nb_segs(&b), 4);
	assert_int_equal(hb_buf_pullup(&b, 0, 40), 0);
	assert_int_equal(hb_buf_nb_segs(&b), 3);
	assert_int_equal(rte_mempool_in_use_count(pool), before - 1);
	hb_lcore_stats_get(rte_lcore_id(), &s1);
	assert_int_equal(s1.pullups - s0.pullups, 1);
	assert_int_equal(s1.pullup_bytes - s0.pullup_bytes, 30);
	hb_assert_buf_bytes(&b, ref, 300);
	assert_contiguous(&b, 0, 40, ref);
	assert_int_equal(hb_buf_free(&b), 0);

	/* No room (full head), range from the head's start: a new head. */
	build(&b, pool, ref, 300, cut, 3, true);
	((struct rte_mbuf *)b.head)->port = 7;
	before = rte_mempool_in_use_count(pool);
	assert_int_equal(hb_buf_pullup(&b, 0, 40), 0);
	/* +1 new, -1 old head, -1 emptied 5-byte segment. */
	assert_int_equal(rte_mempool_in_use_count(pool), before - 1);
	assert_int_equal(b.head->port, 7);
	assert_true(rte_pktmbuf_headroom(b.head) > 0);
	hb_assert_buf_bytes(&b, ref, 300);
	assert_contiguous(&b, 0, 40, ref);
	assert_int_equal(hb_buf_free(&b), 0);

	/* No room, range in the middle of the head: the head keeps a part. */
	build(&b, pool, ref, 300, cut, 3, true);
	assert_int_equal(hb_buf_pullup(&b, 4, 20), 0);
	hb_assert_buf_bytes(&b, ref, 300);
	assert_contiguous(&b, 4, 20, ref);
	assert_int_equal(hb_buf_free(&b), 0);

	/* A shared (cloned) head is never written past its data. */
	build(&b, pool, ref, 300, cut, 3, false);
	clone = rte_pktmbuf_clone(b.head, pool);
	assert_non_null(clone);
	assert_int_equal(hb_buf_pullup(&b, 0, 40), 0);
	hb_assert_buf_bytes(&b, ref, 300);
	assert_contiguous(&b, 0, 40, ref);
	/* The clone still sees the original layout and bytes. */
	assert_int_equal(hb_buf_attach(&c, clone), 0);
	hb_assert_buf_bytes(&c, ref, 300);
	assert_int_equal(hb_buf_free(&c), 0);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(pool, base);
}

/* A range in later segments, over many small ones, to the very end. */
static void
test_middle_and_end(void **state)
{
	unsigned int base = rte_mempool_in_use_count(small);
	static uint8_t ref[MAXLEN];
	uint32_t cut[12], off, len, i;
	struct hb_buf b;

	(void)state;
	for (i = 0; i < 12; i++)
		cut[i] = 3 + i * 5;
	for (off = 0; off < 300; off += 37) {
		for (len = 1; len <= 200 && off + len <= 400; len += 23) {
			build(&b, small, ref, 400, cut, 12, (off + len) % 2);
			assert_int_equal(hb_buf_pullup(&b, off, len), 0);
			hb_assert_buf_bytes(&b, ref, 400);
			assert_contiguous(&b, off, len, ref);
			assert_int_equal(hb_buf_free(&b), 0);
		}
	}
	/* Up to the last byte: the tail moves. */
	build(&b, small, ref, 400, cut, 12, false);
	assert_int_equal(hb_buf_pullup(&b, 390, 10), 0);
	hb_assert_buf_bytes(&b, ref, 400);
	assert_contiguous(&b, 390, 10, ref);
	assert_int_equal(hb_buf_append(&b, "xyz", 3), 0);
	memcpy(ref + 400, "xyz", 3);
	hb_assert_buf_bytes(&b, ref, 403);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(small, base);
}

/* Failures change nothing. */
static void
test_errors(void **state)
{
	unsigned int base = rte_mempool_in_use_count(small);
	static uint8_t ref[MAXLEN];
	const uint32_t cut[2] = { 10, 20 };
	struct rte_mbuf *hold[64];
	struct hb_visitor v;
	struct hb_buf b;
	unsigned int n, i;

	(void)state;
	assert_int_equal(hb_buf_pullup(NULL, 0, 1), -EINVAL);
	build(&b, small, ref, 100, cut, 2, true);
	assert_int_equal(hb_buf_pullup(&b, 90, 11), -ERANGE);
	assert_int_equal(hb_buf_pullup(&b, UINT32_MAX, 2), -ERANGE);
	assert_int_equal(hb_buf_pullup(&b, 0, 0), 0);
	assert_int_equal(hb_visit_read(&b, 50, 1, &v), 0);
	assert_int_equal(hb_buf_pullup(&b, 0, 34), -EBUSY);
	assert_int_equal(hb_visit_release(&v), 0);
	hb_assert_buf_bytes(&b, ref, 100);
	/* Longer than a 256-byte segment holds. */
	assert_int_equal(hb_buf_free(&b), 0);
	{
		uint32_t cut2[2] = { 100, 250 };

		build(&b, small, ref, 600, cut2, 2, true);
		assert_int_equal(hb_buf_pullup(&b, 0, 257), -E2BIG);
		hb_assert_buf_bytes(&b, ref, 600);
		assert_int_equal(hb_buf_free(&b), 0);
	}
	/* Pool dry when a segment is needed. */
	build(&b, small, ref, 100, cut, 2, true);
	n = 0;
	while (n < RTE_DIM(hold) && (hold[n] = rte_pktmbuf_alloc(small)) != NULL)
		n++;
	assert_true(n < RTE_DIM(hold));
	i = rte_mempool_in_use_count(small);
	assert_int_equal(hb_buf_pullup(&b, 0, 34), -ENOMEM);
	assert_int_equal(rte_mempool_in_use_count(small), i);
	assert_int_equal(hb_buf_nb_segs(&b), 3);
	hb_assert_buf_bytes(&b, ref, 100);
	for (i = 0; i < n; i++)
		rte_pktmbuf_free(hold[i]);
	assert_int_equal(hb_buf_pullup(&b, 0, 34), 0);
	hb_assert_buf_bytes(&b, ref, 100);
	assert_contiguous(&b, 0, 34, ref);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(small, base);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers_every_split),
		cmocka_unit_test(test_strategies),
		cmocka_unit_test(test_middle_and_end),
		cmocka_unit_test(test_errors),
	};
	int rc;

	(void)argc;
	rc = hb_test_setup(argv[0], NULL);
	if (rc != 0)
		return rc;
	pool = hb_test_pool("pullup", 4096, 0);
	small = hb_test_pool("pullup_small", 48, 256);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rte_mempool_free(small);
	rte_mempool_free(pool);
	hb_test_teardown();
	return rc;
}
