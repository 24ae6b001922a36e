/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_TEST_H
#define HB_TEST_H

/*
 * Shared test harness: real EAL (no hugepages, unique file prefix per
 * process so meson can run tests in parallel), real pools, CMocka.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "hyperbuf.h"

/* Exit status meson reads as "skipped". */
#define HB_TEST_SKIP 77

/*
 * Start the EAL with the test defaults plus @extra (NULL-terminated list of
 * further EAL arguments, e.g. "--vdev=net_null0"; may be NULL) and
 * hb_init(). Returns 0, or HB_TEST_SKIP if the EAL cannot start here.
 * The default core list is "-l 0"; pass "-l"/"--lcores" in @extra to
 * replace it.
 */
int hb_test_setup(const char *prog, const char *const *extra);

/*
 * "--lcores=0@A,1@B,2@A,3@B": four lcores on (at most) the first two CPUs
 * this process may run on (A = B on a single CPU), for multi-lcore tests
 * on a small machine. A static string.
 */
const char *hb_test_lcores_arg(void);

/* hb_fini() and rte_eal_cleanup(). */
void hb_test_teardown(void);

/*
 * A pktmbuf pool with no per-lcore cache, so rte_mempool_in_use_count() is
 * exact. @data_room is the data room size (0: RTE_MBUF_DEFAULT_BUF_SIZE).
 * Fails the test if it cannot be created.
 */
struct rte_mempool *hb_test_pool(const char *name, unsigned int n,
				 uint16_t data_room);

/* Seed from HB_TEST_SEED in the environment, else from the clock. */
uint64_t hb_test_seed(void);

/* xorshift64* generator for reproducible random tests. */
static inline uint64_t
hb_test_rand(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * UINT64_C(2685821657736338717);
}

/* Fill @p with @len bytes derived from @tag (distinct per tag and index). */
void hb_test_pattern(void *p, size_t len, uint32_t tag);

/* Assert the buffer is consistent (hb_buf_check), dumping it otherwise. */
#define hb_assert_buf_ok(b)                                                    \
	do {                                                                   \
		const char *__why = NULL;                                      \
		int __rc = hb_buf_check((b), &__why);                          \
		if (__rc != 0) {                                               \
			hb_buf_dump(stderr, (b));                              \
			fail_msg("hb_buf_check: %s", __why);                   \
		}                                                              \
	} while (0)

/* Assert the pool is back to @base mbufs in use. */
#define hb_assert_pool_at(mp, base)                                            \
	assert_int_equal(rte_mempool_in_use_count(mp), (base))

#endif /* HB_TEST_H */
