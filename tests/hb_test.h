/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_TEST_H
#define HB_TEST_H

/*
 * Shared test harness: real EAL (no hugepages, unique file prefix per
 * process so meson can run tests in parallel), real pools, CMocka. One
 * way to say things in every CMocka test: CMocka's assert_*, plus the
 * helpers here: one chain/buffer builder, one step context for failure
 * reports, byte checks, snapshots for the error rule (hb_snap.h), checks
 * off the main thread, and the pool check every test ends with.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "hyperbuf.h"
#include "hb_snap.h"

/* Exit status meson reads as "skipped". */
#define HB_TEST_SKIP 77

/*
 * Start the EAL with the test defaults plus @extra (NULL-terminated list of
 * further EAL arguments, e.g. "--vdev=net_null0"; may be NULL) and
 * hb_init(). Returns 0, or HB_TEST_SKIP if the EAL cannot start here.
 * The default core list is "-l 0"; pass "-l"/"--lcores" in @extra to
 * replace it.
 *
 * The growth policy starts off (struct hb_growth max_seg 0): every segment
 * comes from the buffer's own pool, one pool's data room each, which the
 * unit tests' layouts and mbuf counts are written for. A test program of
 * the growth policy calls hb_test_growth_on() next.
 */
int hb_test_setup(const char *prog, const char *const *extra);

/*
 * The library's default growth policy (segment classes up to 65535 bytes)
 * with @mem bytes per socket for the classes' pools (0: the default).
 * Call before any buffer grows.
 */
void hb_test_growth_on(uint64_t mem);

/*
 * With growth on: grow a buffer on @mp through every segment class, then
 * free it, so that the classes' pools HyperBuf creates on first need exist
 * from now on (a test that counts the DPDK heap's allocations then has a
 * baseline).
 */
void hb_test_growth_warm(struct rte_mempool *mp);

/* Segments in use in @mp and in the growth classes' pools. */
unsigned int hb_test_in_use(struct rte_mempool *mp);

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

/* A data_off for hb_test_chain(): the segment's bytes end its data room. */
#define HB_TEST_OFF_END UINT16_MAX

/*
 * A chain of @n segments from @mp, built by hand (fails the test if @mp
 * runs dry): segment i holds the next lens[i] bytes of @data at data_off
 * offs[i] (@offs NULL: the pool's default headroom). The head's nb_segs
 * and pkt_len are set; the caller owns the chain.
 */
struct rte_mbuf *hb_test_chain(struct rte_mempool *mp, const void *data,
			       const uint16_t *lens, unsigned int n,
			       const uint16_t *offs);

/*
 * hb_buf_init() @b on @mp and append @len bytes of @data, @piece bytes a
 * call (0: all in one call); checks the length and hb_buf_check().
 */
void hb_test_buf(struct hb_buf *b, struct rte_mempool *mp, const void *data,
		 uint32_t len, uint32_t piece);

/*
 * What the test is doing now (a table entry, a random operation), for
 * failure reports: the harness's assertions add it to their messages, and
 * hb_test_ctx_teardown() prints it after a test that failed. A passing
 * hb_assert_pool_at() ends the step and clears it (each test ends with
 * one), so a context still set at teardown is where the test stopped.
 */
void hb_test_ctx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Clear the context. */
void hb_test_ctx_clear(void);

/* " [context]", or "" when none is set: for failure messages. */
const char *hb_test_ctx_msg(void);

/* CMocka teardown: print the context a failed test left, clear it. */
int hb_test_ctx_teardown(void **state);

/* Assert the buffer is consistent (hb_buf_check), dumping it otherwise. */
#define hb_assert_buf_ok(b)                                                    \
	do {                                                                   \
		const char *__why = NULL;                                      \
		int __rc = hb_buf_check((b), &__why);                          \
		if (__rc != 0) {                                               \
			hb_buf_dump(stderr, (b));                              \
			fail_msg("hb_buf_check: %s%s", __why,                  \
				 hb_test_ctx_msg());                           \
		}                                                              \
	} while (0)

void hb_test_buf_bytes(const struct hb_buf *b, const void *exp, uint32_t len,
		       const char *file, int line);
void hb_test_read(const struct hb_buf *b, uint32_t off, const void *exp,
		  uint32_t len, const char *file, int line);
void hb_test_chain_bytes(const struct rte_mbuf *head, const void *exp,
			 uint32_t len, const char *file, int line);
void hb_test_mbuf_ok(const struct rte_mbuf *m, int is_header, const char *file,
		     int line);

/*
 * @b passes hb_buf_check() and holds exactly the @len bytes of @exp: as
 * hb_buf_read() copies them (writing nothing past them) and as its
 * segments hold them, walked by hand. (The byte comparisons of these
 * helpers use memcmp(), and name the first byte that differs: they run on
 * megabytes, where assert_memory_equal() is many times slower.)
 */
#define hb_assert_buf_bytes(b, exp, len)                                       \
	hb_test_buf_bytes((b), (exp), (len), __FILE__, __LINE__)

/* hb_buf_read() of [@off, @off + @len) gives @exp, and no byte more. */
#define hb_assert_read(b, off, exp, len)                                       \
	hb_test_read((b), (off), (exp), (len), __FILE__, __LINE__)

/*
 * The chain at @head (detached, or a buffer's) holds the @len bytes of
 * @exp, walked by hand; pkt_len is @len and nb_segs its segments.
 */
#define hb_assert_chain_bytes(head, exp, len)                                  \
	hb_test_chain_bytes((head), (exp), (len), __FILE__, __LINE__)

/* rte_mbuf_check(@m, @is_header) passes (its reason in the message). */
#define hb_assert_mbuf_ok(m, is_header)                                        \
	hb_test_mbuf_ok((m), (is_header), __FILE__, __LINE__)

/*
 * Checks on a thread that is not CMocka's (a failed CMocka assertion may
 * only stop the test on its own thread): HB_THR_CHECK() records the first
 * failure, and the main thread asserts hb_assert_thr_ok() once the other
 * is done.
 */
struct hb_thr_check {
	unsigned int fails;
	char msg[160];
};

#define HB_THR_CHECK(tc, cond)                                                 \
	do {                                                                   \
		if (!(cond) && (tc)->fails++ == 0)                             \
			snprintf((tc)->msg, sizeof((tc)->msg), "%s:%d: %s",    \
				 __FILE__, __LINE__, #cond);                   \
	} while (0)

#define hb_assert_thr_ok(tc)                                                   \
	do {                                                                   \
		if ((tc)->fails != 0)                                          \
			fail_msg("thread: %u failed checks, first at %s",      \
				 (tc)->fails, (tc)->msg);                      \
	} while (0)

/*
 * Snapshots for the error rule ("a call that fails changes nothing",
 * include/hb_buf.h), on hb_snap.h:
 *
 *   hb_test_snap(&s, &b, true);
 *   hb_assert_rc_snap(&s, &b, hb_buf_append(&b, src, len), -ENOMEM);
 *   hb_snap_free(&s);
 */

/* Record @b (and its bytes if @bytes); @b must pass hb_buf_check(). */
void hb_test_snap(struct hb_snap *s, const struct hb_buf *b, bool bytes);

/* Record the chain at @head, which must be consistent (nb_segs, pkt_len). */
void hb_test_snap_chain(struct hb_snap *s, const struct rte_mbuf *head);

void hb_test_snap_check(const struct hb_snap *s, const struct hb_buf *b,
			const char *file, int line);
void hb_test_snap_same(const struct hb_snap *before, const struct hb_snap *now,
		       unsigned int what, const char *file, int line);

/*
 * @b is exactly as recorded in @s: every HB_SNAP_* property (its struct,
 * each segment's mbuf, next, data_off, data_len, refcnt, nb_segs and
 * pkt_len, the bytes if @s holds them, the mbufs in use in each pool @s
 * watches).
 */
#define hb_assert_snap(s, b) hb_test_snap_check((s), (b), __FILE__, __LINE__)

/* @now agrees with @before on @what (HB_SNAP_* bits). */
#define hb_assert_snap_same(before, now, what)                                 \
	hb_test_snap_same((before), (now), (what), __FILE__, __LINE__)

/* @call returns @exp, and @b is as recorded in @s. */
#define hb_assert_rc_snap(s, b, call, exp)                                     \
	do {                                                                   \
		assert_int_equal((call), (exp));                               \
		hb_assert_snap((s), (b));                                      \
	} while (0)

/* Pointer-returning @call gives NULL, rte_errno @err; @b as in @s. */
#define hb_assert_null_snap(s, b, call, err)                                   \
	do {                                                                   \
		const void *__p;                                               \
		rte_errno = 0;                                                 \
		__p = (call);                                                  \
		assert_null(__p);                                              \
		assert_int_equal(rte_errno, (err));                            \
		hb_assert_snap((s), (b));                                      \
	} while (0)

void hb_test_cursor_fails(const struct hb_snap *s, const struct hb_buf *b,
			  struct hb_cursor *c, uint32_t len, int err,
			  const char *file, int line);

/*
 * Every call that consumes or peeks @len bytes at cursor @c (read, peek,
 * skip, pull with and without scratch) fails with -@err, leaving @b as
 * recorded in @s and @c as it was.
 */
#define hb_assert_cursor_fails(s, b, c, len, err)                              \
	hb_test_cursor_fails((s), (b), (c), (len), (err), __FILE__, __LINE__)

/*
 * Assert the pool is back to @base mbufs in use and no segment of the
 * growth classes' pools is in use (and end the step).
 */
#define hb_assert_pool_at(mp, base)                                            \
	do {                                                                   \
		assert_int_equal(rte_mempool_in_use_count(mp), (base));        \
		assert_int_equal(hb_growth_in_use(), 0);                       \
		hb_test_ctx_clear();                                           \
	} while (0)

#endif /* HB_TEST_H */
