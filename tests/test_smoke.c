/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/* End-to-end walk through every buffer call on one multi-segment message. */

#include <stdlib.h>
#include <string.h>

#include "hb_test.h"

static struct rte_mempool *pool;

static void
test_walkthrough(void **state)
{
	unsigned int base = rte_mempool_in_use_count(pool);
	static uint8_t ref[200000], out[200000];
	struct hb_buf b, t;
	struct iovec iov[256];
	uint32_t i, len = sizeof(ref);
	uint16_t v16;
	int n;

	(void)state;
	hb_test_pattern(ref, sizeof(ref), 1);
	assert_int_equal(hb_buf_init(&b, pool), 0);
	for (i = 0; i < len; i += 100)
		assert_int_equal(hb_buf_append(&b, ref + i, RTE_MIN(100u, len - i)), 0);
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_buf_len(&b), len);
	assert_true(hb_buf_nb_segs(&b) > 64);
	for (i = 0; i < 5000; i++) {
		uint32_t off = (uint32_t)(((uint64_t)i * 7919u * 104729u) % (len - 8));
		uint8_t x[8];

		assert_int_equal(hb_buf_read(&b, off, x, 8), 0);
		assert_memory_equal(x, ref + off, 8);
	}
	hb_assert_buf_ok(&b);
	n = hb_buf_iov(&b, 0, len, NULL, 0);
	assert_int_equal(n, hb_buf_nb_segs(&b));
	assert_int_equal(hb_buf_iov(&b, 0, len, iov, 256), n);
	assert_int_equal(hb_buf_prepend(&b, "\x12\x34", 2), 0);
	assert_int_equal(hb_buf_get_be16(&b, 0, &v16), 0);
	assert_int_equal(v16, 0x1234);
	assert_int_equal(hb_buf_adj(&b, 2), 0);
	assert_int_equal(hb_buf_split(&b, 100001, &t), 0);
	hb_assert_buf_ok(&b);
	hb_assert_buf_ok(&t);
	assert_int_equal(hb_buf_len(&b), 100001);
	assert_int_equal(hb_buf_len(&t), len - 100001);
	assert_int_equal(hb_buf_read(&t, 0, out, len - 100001), 0);
	assert_memory_equal(out, ref + 100001, len - 100001);
	assert_int_equal(hb_buf_free(&b), 0);
	assert_int_equal(hb_buf_trim(&t, 1000), 0);
	assert_int_equal(hb_buf_read(&t, 0, out, hb_buf_len(&t)), 0);
	assert_memory_equal(out, ref + 100001, hb_buf_len(&t));
	hb_assert_buf_ok(&t);
	assert_int_equal(hb_buf_free(&t), 0);
	hb_assert_pool_at(pool, base);
}

static void
test_visitors(void **state)
{
	unsigned int base = rte_mempool_in_use_count(pool);
	struct hb_visitor r1, r2, w;
	uint8_t ref[5000], *p;
	struct hb_buf b;
	uint32_t i;

	(void)state;
	hb_test_pattern(ref, sizeof(ref), 7);
	assert_int_equal(hb_buf_init(&b, pool), 0);
	assert_int_equal(hb_buf_append(&b, ref, sizeof(ref)), 0);
	/* direct, then spanning (bounce), shared by two readers */
	assert_int_equal(hb_visit_read(&b, 10, 20, &r1), 0);
	assert_true(hb_visitor_is_direct(&r1));
	assert_memory_equal(r1.ptr, ref + 10, 20);
	assert_int_equal(hb_visit_read(&b, 2040, 100, &r2), 0);
	assert_false(hb_visitor_is_direct(&r2));
	assert_memory_equal(r2.ptr, ref + 2040, 100);
	assert_int_equal(hb_visit_write(&b, 0, 4, 0, &w), -EBUSY);
	assert_int_equal(hb_buf_append(&b, ref, 1), -EBUSY);
	assert_int_equal(hb_visit_release(&r1), 0);
	assert_int_equal(hb_visit_release(&r1), -EALREADY);
	assert_int_equal(hb_visit_release(&r2), 0);
	/* spanning write, scattered back on release */
	assert_int_equal(hb_visit_write(&b, 2040, 100, 0, &w), 0);
	assert_false(hb_visitor_is_direct(&w));
	assert_ptr_equal(hb_buf_peek(&b, 0, 1, NULL), NULL);
	assert_int_equal(rte_errno, EBUSY);
	p = w.ptr;
	for (i = 0; i < 100; i++)
		p[i] = (uint8_t)~p[i];
	assert_int_equal(hb_visit_release(&w), 0);
	for (i = 0; i < 100; i++)
		ref[2040 + i] = (uint8_t)~ref[2040 + i];
	/* grow past the end: zero filled */
	assert_int_equal(hb_visit_write(&b, 4990, 30, 19, &w), -ERANGE);
	assert_int_equal(hb_visit_write(&b, 4990, 30, 20, &w), 0);
	assert_memory_equal(w.ptr, ref + 4990, 10);
	for (i = 10; i < 30; i++)
		assert_int_equal(((uint8_t *)w.ptr)[i], 0);
	assert_int_equal(hb_visit_release(&w), 0);
	assert_int_equal(hb_buf_len(&b), 5020);
	{
		static uint8_t out[5020];

		assert_int_equal(hb_buf_read(&b, 0, out, 5000), 0);
		assert_memory_equal(out, ref, 5000);
	}
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(pool, base);
}

struct done {
	int calls;
	int status;
	int order;
};

static int order_seq;

static void
on_done(struct hb_req *req, int status, void *arg)
{
	struct done *d = arg;

	(void)req;
	d->calls++;
	d->status = status;
	d->order = ++order_seq;
}

static void
test_async(void **state)
{
	unsigned int base = rte_mempool_in_use_count(pool);
	struct hb_req rq[4];
	struct done dn[4];
	struct hb_visitor r;
	struct hb_buf b;
	uint8_t x[100] = { 0 };

	(void)state;
	memset(dn, 0, sizeof(dn));
	assert_int_equal(hb_buf_init(&b, pool), 0);
	assert_int_equal(hb_buf_append(&b, x, sizeof(x)), 0);
	assert_int_equal(hb_buf_share(&b), 0);
	assert_true(hb_buf_is_shared(&b));
	assert_int_equal(hb_visit_read(&b, 0, 10, &r), 0);
	/* writer queues behind the live reader, a later reader behind it */
	assert_int_equal(hb_visit_async(&rq[0], &b, HB_ACCESS_WRITE, 0, 10, 0, on_done, &dn[0]), -EINPROGRESS);
	assert_int_equal(hb_visit_async(&rq[1], &b, HB_ACCESS_READ, 0, 10, 0, on_done, &dn[1]), -EINPROGRESS);
	assert_int_equal(hb_visit_async(&rq[2], &b, HB_ACCESS_READ, 0, 10, 0, on_done, &dn[2]), -EINPROGRESS);
	assert_int_equal(hb_visit_async(&rq[3], &b, HB_ACCESS_READ, 0, 10, 0, on_done, &dn[3]), -EINPROGRESS);
	assert_int_equal(hb_req_cancel(&rq[3]), 0);
	/* no jumping the queue */
	{
		struct hb_visitor r2;

		assert_int_equal(hb_visit_read(&b, 0, 1, &r2), -EBUSY);
	}
	assert_int_equal(hb_poll(0), 0);
	assert_int_equal(hb_visit_release(&r), 0);
	assert_int_equal(hb_poll(0), 1);
	assert_int_equal(dn[0].calls, 1);
	assert_int_equal(dn[0].status, 0);
	assert_false(hb_visitor_is_direct(hb_req_visitor(&rq[0])) != true);
	((uint8_t *)hb_req_visitor(&rq[0])->ptr)[0] = 42;
	assert_int_equal(hb_visit_release(hb_req_visitor(&rq[0])), 0);
	assert_int_equal(hb_poll(0), 2);
	assert_int_equal(dn[1].status, 0);
	assert_int_equal(dn[2].status, 0);
	assert_int_equal(((uint8_t *)hb_req_visitor(&rq[1])->ptr)[0], 42);
	assert_int_equal(dn[3].calls, 0);
	assert_int_equal(hb_visit_release(hb_req_visitor(&rq[1])), 0);
	assert_int_equal(hb_visit_release(hb_req_visitor(&rq[2])), 0);
	/* teardown with a waiter: unshare fails and changes nothing ... */
	assert_int_equal(hb_visit_read(&b, 0, 10, &r), 0);
	assert_int_equal(hb_visit_async(&rq[0], &b, HB_ACCESS_WRITE, 0, 10, 0, on_done, &dn[0]), -EINPROGRESS);
	assert_int_equal(hb_buf_unshare(&b), -EBUSY);
	assert_int_equal(hb_poll(0), 0);
	assert_false(hb_buf_is_closing(&b));
	/* ... close cancels the waiter at once; done once r is gone */
	assert_int_equal(hb_buf_close(&b), 0);
	assert_true(hb_buf_is_closing(&b));
	assert_int_equal(hb_poll(0), 1);
	assert_int_equal(dn[0].status, -ECANCELED);
	assert_int_equal(hb_visit_async(&rq[0], &b, HB_ACCESS_READ, 0, 10, 0, on_done, &dn[0]), -ECANCELED);
	assert_int_equal(hb_buf_unshare(&b), -EBUSY);
	assert_int_equal(hb_visit_release(&r), 0);
	assert_int_equal(hb_buf_unshare(&b), 0);
	assert_false(hb_buf_is_closing(&b));
	assert_int_equal(hb_poll(0), 0);
	assert_false(hb_buf_is_shared(&b));
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(pool, base);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walkthrough),
		cmocka_unit_test(test_visitors),
		cmocka_unit_test(test_async),
	};
	int rc;

	(void)argc;
	rc = hb_test_setup(argv[0], NULL);
	if (rc != 0)
		return rc;
	pool = hb_test_pool("smoke", 4096, 0);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rte_mempool_free(pool);
	hb_test_teardown();
	return rc;
}
