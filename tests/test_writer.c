/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * hb_writer: streaming appends give the same buffer as hb_buf_append(),
 * hold the buffer like a write visitor, and fail cleanly.
 */

#include <stdlib.h>
#include <string.h>

#include "hb_test.h"

#define MAXLEN (256 * 1024)

static struct rte_mempool *pools[2]; /* 2176 and 200-byte data rooms */
static struct rte_mempool *tiny;     /* 8 mbufs of 200 bytes */
static uint8_t ref[MAXLEN];

/* Random piece sizes, also across segments: same bytes as appends. */
static void
test_same_as_append(void **state)
{
	uint64_t seed = hb_test_seed();
	unsigned int p;

	(void)state;
	printf("seed=%#llx (HB_TEST_SEED to replay)\n",
	       (unsigned long long)seed);
	hb_test_pattern(ref, sizeof(ref), 3);
	for (p = 0; p < RTE_DIM(pools); p++) {
		unsigned int base = rte_mempool_in_use_count(pools[p]), round;

		for (round = 0; round < 20; round++) {
			struct hb_buf b, c;
			struct hb_writer w;
			uint32_t len = 0, pre = (uint32_t)(hb_test_rand(&seed) % 500);

			assert_int_equal(hb_buf_init(&b, pools[p]), 0);
			assert_int_equal(hb_buf_init(&c, pools[p]), 0);
			/* Sometimes a buffer with data (and reserve) first. */
			assert_int_equal(hb_buf_append(&b, ref, pre), 0);
			if (round % 3 == 0)
				assert_int_equal(hb_buf_reserve(&b, 3000), 0);
			len = pre;
			assert_int_equal(hb_writer_begin(&w, &b), 0);
			while (len < MAXLEN - 5000) {
				uint32_t n = (uint32_t)(hb_test_rand(&seed) %
					(round % 2 ? 80 : 3000));

				assert_int_equal(hb_writer_append(&w, ref + len, n),
						 0);
				len += n;
				assert_int_equal(hb_writer_len(&w), len);
				if (hb_test_rand(&seed) % 64 == 0)
					break;
			}
			assert_int_equal(hb_writer_end(&w), 0);
			hb_assert_buf_bytes(&b, ref, len);
			/* The same through hb_buf_append(). */
			assert_int_equal(hb_buf_append(&c, ref, len), 0);
			hb_assert_buf_bytes(&c, ref, len);
			assert_int_equal(hb_buf_free(&b), 0);
			assert_int_equal(hb_buf_free(&c), 0);
		}
		hb_assert_pool_at(pools[p], base);
	}
}

/* A live writer is a write visitor: everything else waits (-EBUSY). */
static void
test_exclusive(void **state)
{
	unsigned int base = rte_mempool_in_use_count(pools[1]);
	struct hb_writer w, w2;
	struct hb_visitor v;
	struct hb_cursor c;
	struct hb_buf b;
	uint8_t x[4];

	(void)state;
	hb_test_pattern(ref, sizeof(ref), 4);
	assert_int_equal(hb_buf_init(&b, pools[1]), 0);
	assert_int_equal(hb_buf_append(&b, ref, 100), 0);
	/* Not with a visitor live. */
	assert_int_equal(hb_visit_read(&b, 0, 4, &v), 0);
	assert_int_equal(hb_writer_begin(&w, &b), -EBUSY);
	assert_int_equal(hb_visit_release(&v), 0);

	assert_int_equal(hb_writer_begin(&w, &b), 0);
	assert_int_equal(hb_writer_append(&w, ref + 100, 50), 0);
	assert_int_equal(hb_writer_begin(&w2, &b), -EBUSY);
	assert_int_equal(hb_buf_append(&b, ref, 1), -EBUSY);
	assert_int_equal(hb_buf_read(&b, 0, x, 4), -EBUSY);
	assert_int_equal(hb_visit_read(&b, 0, 4, &v), -EBUSY);
	assert_int_equal(hb_cursor_init(&c, &b, 0), -EBUSY);
	assert_int_equal(hb_buf_free(&b), -EBUSY);
	/* Not counted until the end. */
	assert_int_equal(hb_buf_len(&b), 100);
	assert_int_equal(hb_writer_len(&w), 150);
	assert_int_equal(hb_writer_end(&w), 0);
	hb_assert_buf_bytes(&b, ref, 150);
	/* Ended: nothing more. */
	assert_int_equal(hb_writer_end(&w), -EINVAL);
	assert_int_equal(hb_writer_append(&w, ref, 1), -EINVAL);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(pools[1], base);
}

static void
test_bad_args(void **state)
{
	struct hb_writer w;
	struct hb_buf b;

	(void)state;
	memset(&w, 0, sizeof(w));
	memset(&b, 0, sizeof(b));
	assert_int_equal(hb_writer_begin(NULL, &b), -EINVAL);
	assert_int_equal(hb_writer_begin(&w, NULL), -EINVAL);
	assert_int_equal(hb_writer_begin(&w, &b), -EINVAL); /* not init */
	assert_int_equal(hb_writer_append(NULL, ref, 1), -EINVAL);
	assert_int_equal(hb_writer_append(&w, ref, 1), -EINVAL);
	assert_int_equal(hb_writer_end(NULL), -EINVAL);
	assert_int_equal(hb_writer_end(&w), -EINVAL);
	assert_int_equal(hb_buf_init(&b, pools[0]), 0);
	assert_int_equal(hb_writer_begin(&w, &b), 0);
	assert_int_equal(hb_writer_append(&w, NULL, 1), -EINVAL);
	assert_int_equal(hb_writer_end(&w), 0);
	assert_int_equal(hb_buf_len(&b), 0);
	assert_int_equal(hb_buf_free(&b), 0);
}

/* The pool runs dry: the failing append adds nothing, earlier ones stay. */
static void
test_pool_dry(void **state)
{
	unsigned int base = rte_mempool_in_use_count(tiny);
	struct hb_writer w;
	struct hb_buf b;
	uint32_t len = 0;
	int rc = 0;

	(void)state;
	hb_test_pattern(ref, sizeof(ref), 5);
	assert_int_equal(hb_buf_init(&b, tiny), 0);
	assert_int_equal(hb_writer_begin(&w, &b), 0);
	while (rc == 0) {
		rc = hb_writer_append(&w, ref + len, 150);
		if (rc == 0)
			len += 150;
	}
	assert_int_equal(rc, -ENOMEM);
	assert_true(len > 0);
	assert_int_equal(hb_writer_len(&w), len);
	/* A smaller one still fits in what is left of the tail? Either way
	 * it is all or nothing. */
	rc = hb_writer_append(&w, ref + len, 1);
	if (rc == 0)
		len += 1;
	else
		assert_int_equal(rc, -ENOMEM);
	assert_int_equal(hb_writer_end(&w), 0);
	hb_assert_buf_bytes(&b, ref, len);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(tiny, base);
}

/* On a shared buffer the writer takes it like a write visitor. */
static void
test_shared(void **state)
{
	unsigned int base = rte_mempool_in_use_count(pools[0]);
	struct hb_writer w;
	struct hb_visitor v;
	struct hb_buf b;

	(void)state;
	hb_test_pattern(ref, sizeof(ref), 6);
	assert_int_equal(hb_buf_init(&b, pools[0]), 0);
	assert_int_equal(hb_buf_append(&b, ref, 10), 0);
	assert_int_equal(hb_buf_share(&b), 0);
	assert_int_equal(hb_visit_read(&b, 0, 4, &v), 0);
	assert_int_equal(hb_writer_begin(&w, &b), -EBUSY);
	assert_int_equal(hb_visit_release(&v), 0);
	assert_int_equal(hb_writer_begin(&w, &b), 0);
	assert_int_equal(hb_visit_read(&b, 0, 4, &v), -EBUSY);
	assert_int_equal(hb_writer_append(&w, ref + 10, 5000), 0);
	assert_int_equal(hb_writer_end(&w), 0);
	assert_int_equal(hb_buf_unshare(&b), 0);
	hb_assert_buf_bytes(&b, ref, 5010);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(pools[0], base);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_append),
		cmocka_unit_test(test_exclusive),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_pool_dry),
		cmocka_unit_test(test_shared),
	};
	int rc;

	(void)argc;
	rc = hb_test_setup(argv[0], NULL);
	if (rc != 0)
		return rc;
	pools[0] = hb_test_pool("writer", 1024, 0);
	pools[1] = hb_test_pool("writer_small", 4096, 200);
	tiny = hb_test_pool("writer_tiny", 8, 200);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rte_mempool_free(tiny);
	rte_mempool_free(pools[1]);
	rte_mempool_free(pools[0]);
	hb_test_teardown();
	return rc;
}
