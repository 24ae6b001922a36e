/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * Negative tests of the logical buffer: every bad input (the cursor's and
 * typed accessors' among them) and every failure path. Each failing call
 * must return the documented errno and change nothing (hb_assert_snap():
 * same length, bytes, segments, layout generation, hb_buf_check() happy,
 * the pools exactly as full as before). The cursor's own errors (past the
 * end, stale) are in test_cursor.c.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "hb_model.h"
#include "hb_test.h"

static struct rte_mempool *pool;	/* default data room */
static FILE *devnull;

static uint8_t ref[1 << 20];
static uint8_t out[1 << 20];
static uint8_t scratch[1 << 16];

#define FOR_EACH_INT(X)                                                        \
	X(u8, uint8_t)                                                         \
	X(be16, uint16_t)                                                      \
	X(be32, uint32_t)                                                      \
	X(be64, uint64_t)                                                      \
	X(le16, uint16_t)                                                      \
	X(le32, uint32_t)                                                      \
	X(le64, uint64_t)

/* Initialise @b on @mp with @len bytes of pattern @tag in ref[], @chunk
 * per append. */
static void
buf_build(struct hb_buf *b, struct rte_mempool *mp, uint32_t len,
	  uint32_t chunk, uint32_t tag)
{
	hb_test_pattern(ref, len, tag);
	hb_test_buf(b, mp, ref, len, chunk);
}

/*
 * Hide where @p points from the compiler, which otherwise warns about
 * calls given lengths far beyond their source (they must fail first).
 */
static const void *
opaque(const void *p)
{
	__asm__ volatile("" : "+r"(p));
	return p;
}

/* Take mbufs from @mp until exactly @k are left. */
#define HOG_MAX 1024
static struct rte_mbuf *hog_arr[HOG_MAX];
static unsigned int hog_n;

static void
hog_leave(struct rte_mempool *mp, unsigned int k)
{
	unsigned int avail = rte_mempool_avail_count(mp);

	assert_true(avail >= k);
	assert_int_equal(hog_n, 0);
	hog_n = avail - k;
	assert_true(hog_n <= HOG_MAX);
	if (hog_n > 0)
		assert_int_equal(rte_pktmbuf_alloc_bulk(mp, hog_arr, hog_n), 0);
	assert_int_equal(rte_mempool_avail_count(mp), k);
}

static void
hog_release(void)
{
	if (hog_n > 0)
		rte_pktmbuf_free_bulk(hog_arr, hog_n);
	hog_n = 0;
}

/* ---------------------------------------------------------------------
 * NULL arguments
 */

static void
test_null_args(void **state)
{
	unsigned int base = rte_mempool_in_use_count(pool);
	struct hb_cursor c, c0;
	struct hb_buf b, t, t0;
	struct iovec iov[8];
	struct rte_mbuf *m;
	const char *why;
	uint8_t data[64];
	struct hb_snap s;

	(void)state;
	memset(data, 0x33, sizeof(data));
	buf_build(&b, pool, 5000, 700, 1);
	assert_true(hb_buf_nb_segs(&b) >= 3);
	memset(&t, 0x5a, sizeof(t));
	memcpy(&t0, &t, sizeof(t));
	memset(&c, 0, sizeof(c));
	assert_int_equal(hb_cursor_init(&c, &b, 10), 0);
	memcpy(&c0, &c, sizeof(c));
	hb_test_snap(&s, &b, true);

	/* NULL buffer, every call. */
	assert_int_equal(hb_buf_init(NULL, pool), -EINVAL);
	m = rte_pktmbuf_alloc(pool);
	assert_non_null(m);
	assert_int_equal(hb_buf_attach(NULL, m), -EINVAL);
	assert_int_equal(rte_mbuf_refcnt_read(m), 1);
	rte_pktmbuf_free(m);
	hb_assert_null_snap(&s, &b, hb_buf_detach(NULL), EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_free(NULL), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_reserve(NULL, 0), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_reserve(NULL, 100), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_append(NULL, data, 0), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_append(NULL, data, 10), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_prepend(NULL, data, 0), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_prepend(NULL, data, 10), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_read(NULL, 0, out, 0), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_read(NULL, 0, out, 10), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_write(NULL, 0, data, 0), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_write(NULL, 0, data, 10), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_trim(NULL, 0), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_trim(NULL, 1), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_adj(NULL, 0), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_adj(NULL, 1), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_split(NULL, 0, &t), -EINVAL);
	assert_memory_equal(&t, &t0, sizeof(t));
	hb_assert_null_snap(&s, &b, hb_buf_peek(NULL, 0, 1, scratch), EINVAL);
	hb_assert_null_snap(&s, &b, hb_buf_peek(NULL, 0, 0, scratch), EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_iov(NULL, 0, 1, iov, 8), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_iov(NULL, 0, 1, NULL, 0), -EINVAL);
	hb_assert_null_snap(&s, &b, hb_buf_pool(NULL), EINVAL);
	why = NULL;
	assert_int_equal(hb_buf_check(NULL, &why), -EINVAL);
	assert_non_null(why);
	assert_int_equal(hb_buf_check(NULL, NULL), -EINVAL);
	hb_buf_dump(devnull, NULL);
	hb_buf_dump(NULL, &b);
	hb_assert_rc_snap(&s, &b, hb_cursor_init(&c, NULL, 0), -EINVAL);
	assert_memory_equal(&c, &c0, sizeof(c));
#define T_NULL_BUF(name, type)                                                 \
	do {                                                                   \
		type __v = 0;                                                  \
		hb_assert_rc_snap(&s, &b, hb_buf_get_##name(NULL, 0, &__v),    \
				-EINVAL);                                      \
		hb_assert_rc_snap(&s, &b, hb_buf_put_##name(NULL, 0, __v),     \
				-EINVAL);                                      \
		hb_assert_rc_snap(&s, &b, hb_buf_append_##name(NULL, __v),     \
				-EINVAL);                                      \
	} while (0);
	FOR_EACH_INT(T_NULL_BUF)
#undef T_NULL_BUF

	/* NULL source or destination, also for zero lengths. */
	hb_assert_rc_snap(&s, &b, hb_buf_append(&b, NULL, 0), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_append(&b, NULL, 1), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_append(&b, NULL, 5000), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_prepend(&b, NULL, 0), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_prepend(&b, NULL, 1), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_prepend(&b, NULL, 5000), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_write(&b, 0, NULL, 0), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_write(&b, 0, NULL, 4), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_write(&b, 1990, NULL, 100), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_read(&b, 0, NULL, 0), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_read(&b, 0, NULL, 4), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_read(&b, 1990, NULL, 100), -EINVAL);

	/* NULL value pointer of the typed getters. */
#define T_NULL_V(name, type)                                                   \
	hb_assert_rc_snap(&s, &b, hb_buf_get_##name(&b, 0, NULL), -EINVAL);    \
	hb_assert_rc_snap(&s, &b, hb_buf_get_##name(&b, 2046, NULL), -EINVAL);
	FOR_EACH_INT(T_NULL_V)
#undef T_NULL_V

	/* Split: NULL tail, tail is the buffer itself. */
	hb_assert_rc_snap(&s, &b, hb_buf_split(&b, 10, NULL), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_split(&b, 0, NULL), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_split(&b, 5000, NULL), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_split(&b, 10, &b), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_split(&b, 0, &b), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_split(&b, 5000, &b), -EINVAL);

	/* NULL cursor. */
	hb_assert_rc_snap(&s, &b, hb_cursor_init(NULL, &b, 0), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_cursor_read(NULL, out, 1), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_cursor_read(NULL, out, 0), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_cursor_peek(NULL, out, 1), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_cursor_skip(NULL, 1), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_cursor_skip(NULL, 0), -EINVAL);
	hb_assert_null_snap(&s, &b, hb_cursor_pull(NULL, 1, scratch), EINVAL);
	hb_assert_null_snap(&s, &b, hb_cursor_pull(NULL, 0, scratch), EINVAL);
#define T_NULL_CUR(name, type)                                                 \
	do {                                                                   \
		type __v = 0;                                                  \
		hb_assert_rc_snap(&s, &b, hb_cursor_get_##name(NULL, &__v),    \
				  -EINVAL);                                    \
		hb_assert_rc_snap(&s, &b, hb_cursor_peek_##name(NULL, &__v),   \
				  -EINVAL);                                    \
		hb_assert_rc_snap(&s, &b, hb_cursor_get_##name(&c, NULL),      \
				  -EINVAL);                                    \
		assert_memory_equal(&c, &c0, sizeof(c));                       \
		hb_assert_rc_snap(&s, &b, hb_cursor_peek_##name(&c, NULL),     \
				  -EINVAL);                                    \
		assert_memory_equal(&c, &c0, sizeof(c));                       \
	} while (0);
	FOR_EACH_INT(T_NULL_CUR)
#undef T_NULL_CUR

	/* NULL destination of cursor reads: the cursor does not move. */
	hb_assert_rc_snap(&s, &b, hb_cursor_read(&c, NULL, 1), -EINVAL);
	assert_memory_equal(&c, &c0, sizeof(c));
	hb_assert_rc_snap(&s, &b, hb_cursor_read(&c, NULL, 0), -EINVAL);
	assert_memory_equal(&c, &c0, sizeof(c));
	hb_assert_rc_snap(&s, &b, hb_cursor_read(&c, NULL, 3000), -EINVAL);
	assert_memory_equal(&c, &c0, sizeof(c));
	hb_assert_rc_snap(&s, &b, hb_cursor_peek(&c, NULL, 1), -EINVAL);
	assert_memory_equal(&c, &c0, sizeof(c));

	/* The cursor is where it was and reads the right bytes. */
	assert_int_equal(hb_cursor_offset(&c), 10);
	assert_int_equal(hb_cursor_read(&c, out, 3000), 0);
	assert_memory_equal(out, ref + 10, 3000);
	hb_assert_snap(&s, &b);

	hb_snap_free(&s);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(pool, base);
}

/* ---------------------------------------------------------------------
 * Uninitialised buffers
 */

static void
uninit_one(int fill)
{
	unsigned int base = rte_mempool_in_use_count(pool);
	struct hb_buf b, b0, t, t0, e, e0;
	struct hb_cursor c, c0;
	struct iovec iov[4];
	const char *why;
	uint8_t data[16];
	const void *p;

	memset(data, 0x11, sizeof(data));
	memset(&b, fill, sizeof(b));
	memcpy(&b0, &b, sizeof(b));
	memset(&t, 0x5a, sizeof(t));
	memcpy(&t0, &t, sizeof(t));
	memset(&c, 0x6b, sizeof(c));
	memcpy(&c0, &c, sizeof(c));

#define U_RC(call, exp)                                                        \
	do {                                                                   \
		assert_int_equal((call), (exp));                               \
		assert_memory_equal(&b, &b0, sizeof(b));                       \
		hb_assert_pool_at(pool, base);                                 \
	} while (0)
#define U_NULL(call, err)                                                      \
	do {                                                                   \
		rte_errno = 0;                                                 \
		p = (call);                                                    \
		assert_null(p);                                                \
		assert_int_equal(rte_errno, (err));                            \
		assert_memory_equal(&b, &b0, sizeof(b));                       \
		hb_assert_pool_at(pool, base);                                 \
	} while (0)

	U_NULL(hb_buf_detach(&b), EINVAL);
	U_RC(hb_buf_free(&b), -EINVAL);
	U_RC(hb_buf_reserve(&b, 0), -EINVAL);
	U_RC(hb_buf_reserve(&b, 100), -EINVAL);
	U_RC(hb_buf_append(&b, data, 0), -EINVAL);
	U_RC(hb_buf_append(&b, data, 16), -EINVAL);
	U_RC(hb_buf_prepend(&b, data, 0), -EINVAL);
	U_RC(hb_buf_prepend(&b, data, 16), -EINVAL);
	U_RC(hb_buf_read(&b, 0, out, 0), -EINVAL);
	U_RC(hb_buf_read(&b, 0, out, 16), -EINVAL);
	U_RC(hb_buf_write(&b, 0, data, 0), -EINVAL);
	U_RC(hb_buf_write(&b, 0, data, 16), -EINVAL);
	U_RC(hb_buf_trim(&b, 0), -EINVAL);
	U_RC(hb_buf_trim(&b, 1), -EINVAL);
	U_RC(hb_buf_adj(&b, 0), -EINVAL);
	U_RC(hb_buf_adj(&b, 1), -EINVAL);
	U_RC(hb_buf_split(&b, 0, &t), -EINVAL);
	assert_memory_equal(&t, &t0, sizeof(t));
	U_RC(hb_buf_split(&b, 1, &t), -EINVAL);
	assert_memory_equal(&t, &t0, sizeof(t));
	U_RC(hb_buf_split(&b, 0, NULL), -EINVAL);
	U_RC(hb_buf_split(&b, 0, &b), -EINVAL);
	U_NULL(hb_buf_peek(&b, 0, 0, scratch), EINVAL);
	U_NULL(hb_buf_peek(&b, 0, 1, scratch), EINVAL);
	U_NULL(hb_buf_peek(&b, 0, 0, NULL), EINVAL);
	U_RC(hb_buf_iov(&b, 0, 0, NULL, 0), -EINVAL);
	U_RC(hb_buf_iov(&b, 0, 1, iov, 4), -EINVAL);
	U_NULL(hb_buf_pool(&b), EINVAL);
	why = NULL;
	U_RC(hb_buf_check(&b, &why), -EINVAL);
	assert_non_null(why);
	U_RC(hb_cursor_init(&c, &b, 0), -EINVAL);
	assert_memory_equal(&c, &c0, sizeof(c));
#define T_UNINIT(name, type)                                                   \
	do {                                                                   \
		type __v = 0;                                                  \
		U_RC(hb_buf_get_##name(&b, 0, &__v), -EINVAL);                 \
		U_RC(hb_buf_put_##name(&b, 0, __v), -EINVAL);                  \
		U_RC(hb_buf_append_##name(&b, __v), -EINVAL);                  \
	} while (0);
	FOR_EACH_INT(T_UNINIT)
#undef T_UNINIT
	/* The debug aid must cope with it too. */
	hb_buf_dump(devnull, &b);
	assert_memory_equal(&b, &b0, sizeof(b));

	/* A cursor whose buffer was clobbered after hb_cursor_init(). */
	assert_int_equal(hb_buf_init(&e, pool), 0);
	assert_int_equal(hb_cursor_init(&c, &e, 0), 0);
	memset(&e, fill, sizeof(e));
	memcpy(&e0, &e, sizeof(e));
	memcpy(&c0, &c, sizeof(c));
	assert_int_equal(hb_cursor_read(&c, out, 0), -EINVAL);
	assert_int_equal(hb_cursor_read(&c, out, 1), -EINVAL);
	assert_int_equal(hb_cursor_peek(&c, out, 1), -EINVAL);
	assert_int_equal(hb_cursor_skip(&c, 0), -EINVAL);
	assert_int_equal(hb_cursor_skip(&c, 1), -EINVAL);
	rte_errno = 0;
	assert_null(hb_cursor_pull(&c, 1, scratch));
	assert_int_equal(rte_errno, EINVAL);
	rte_errno = 0;
	assert_null(hb_cursor_pull(&c, 0, scratch));
	assert_int_equal(rte_errno, EINVAL);
#define T_UNINIT_CUR(name, type)                                               \
	do {                                                                   \
		type __v = 0;                                                  \
		assert_int_equal(hb_cursor_get_##name(&c, &__v), -EINVAL);     \
		assert_int_equal(hb_cursor_peek_##name(&c, &__v), -EINVAL);    \
	} while (0);
	FOR_EACH_INT(T_UNINIT_CUR)
#undef T_UNINIT_CUR
	assert_memory_equal(&c, &c0, sizeof(c));
	assert_memory_equal(&e, &e0, sizeof(e));
	hb_assert_pool_at(pool, base);
#undef U_RC
#undef U_NULL
}

static void
test_uninit(void **state)
{
	(void)state;
	uninit_one(0);
	uninit_one(0xa5);
	uninit_one(0xff);
}

/* ---------------------------------------------------------------------
 * hb_buf_init() with pools that are not packet mbuf pools
 */

static void
test_init_bad_pool(void **state)
{
	unsigned int base = rte_mempool_in_use_count(pool);
	struct rte_mempool *raw, *priv;
	struct hb_buf b, e, e0;
	struct hb_snap s;

	(void)state;
	raw = rte_mempool_create("neg_raw", 63, 256, 0, 0, NULL, NULL, NULL,
				 NULL, SOCKET_ID_ANY, 0);
	assert_non_null(raw);
	/* Private area of the right size, never set up by pktmbuf_pool_init */
	priv = rte_mempool_create("neg_priv", 63, 256, 0,
				  sizeof(struct rte_pktmbuf_pool_private), NULL,
				  NULL, NULL, NULL, SOCKET_ID_ANY, 0);
	assert_non_null(priv);
	memset(rte_mempool_get_priv(priv), 0,
	       sizeof(struct rte_pktmbuf_pool_private));

	/* An initialised buffer holding data stays as it is. */
	buf_build(&b, pool, 3000, 1000, 2);
	hb_test_snap(&s, &b, true);
	hb_assert_rc_snap(&s, &b, hb_buf_init(&b, NULL), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_init(&b, raw), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_init(&b, priv), -EINVAL);
	hb_snap_free(&s);

	/* So does an uninitialised one. */
	memset(&e, 0x77, sizeof(e));
	memcpy(&e0, &e, sizeof(e));
	assert_int_equal(hb_buf_init(&e, NULL), -EINVAL);
	assert_memory_equal(&e, &e0, sizeof(e));
	assert_int_equal(hb_buf_init(&e, raw), -EINVAL);
	assert_memory_equal(&e, &e0, sizeof(e));
	assert_int_equal(hb_buf_init(&e, priv), -EINVAL);
	assert_memory_equal(&e, &e0, sizeof(e));
	assert_int_equal(rte_mempool_in_use_count(raw), 0);
	assert_int_equal(rte_mempool_in_use_count(priv), 0);

	assert_int_equal(hb_buf_free(&b), 0);
	rte_mempool_free(raw);
	rte_mempool_free(priv);
	hb_assert_pool_at(pool, base);
}

/* ---------------------------------------------------------------------
 * hb_buf_attach() of inconsistent chains
 */

#define CH_SEGS 3

static void
test_attach_inconsistent(void **state)
{
	static const uint16_t seg_len[CH_SEGS] = { 100, 200, 50 }, one_len = 10;
	unsigned int base = rte_mempool_in_use_count(pool);
	struct rte_mbuf *seg[CH_SEGS], *one;
	struct hb_snap cs, now;
	uint8_t data[350];
	struct hb_buf b, e;
	struct hb_snap s;
	int i;

	(void)state;
	memset(data, 1, 100);
	memset(data + 100, 2, 200);
	memset(data + 300, 3, 50);
	seg[0] = hb_test_chain(pool, data, seg_len, CH_SEGS, NULL);
	for (i = 1; i < CH_SEGS; i++)
		seg[i] = seg[i - 1]->next;
	assert_int_equal(seg[0]->nb_segs, CH_SEGS);
	assert_int_equal(seg[0]->pkt_len, 350);
	one = hb_test_chain(pool, data, &one_len, 1, NULL);

	/* The buffer receiving the chain holds data: it must stay intact. */
	buf_build(&b, pool, 3000, 1000, 3);
	hb_test_snap(&s, &b, true);

/*
 * hb_buf_attach() reads nothing from the chain: it adopts it (0), and the
 * first call that walks it fails with -EINVAL, changing nothing; detach
 * hands the chain back exactly as adopted.
 */
#define BAD_ADOPT(m)                                                           \
	do {                                                                   \
		struct rte_mbuf *__m = (m);                                    \
		uint8_t __x[200];                                              \
		assert_int_equal(hb_buf_attach(&e, __m), 0);                   \
		assert_int_not_equal(hb_buf_check(&e, NULL), 0);               \
		assert_int_equal(hb_buf_append(&e, "x", 1), -EINVAL);          \
		assert_int_equal(hb_buf_prepend(&e, "x", 1), -EINVAL);         \
		assert_int_equal(hb_buf_read(&e, 5, __x, 200), -EINVAL);       \
		assert_int_equal(hb_buf_trim(&e, 1), -EINVAL);                 \
		assert_int_equal(hb_buf_adj(&e, 1), -EINVAL);                  \
		assert_int_equal(hb_buf_reserve(&e, 1), -EINVAL);              \
		assert_ptr_equal(hb_buf_detach(&e), __m);                      \
	} while (0)
/* ... and the mbufs of the chain are exactly as they were. */
#define BAD_ATTACH(m)                                                          \
	do {                                                                   \
		assert_int_equal(hb_snap_mbufs(&cs, seg, CH_SEGS), 0);         \
		BAD_ADOPT(m);                                                  \
		assert_int_equal(hb_snap_mbufs(&now, seg, CH_SEGS), 0);        \
		hb_assert_snap_same(&cs, &now, HB_SNAP_SEGS | HB_SNAP_LAYOUT | \
				    HB_SNAP_REFCNT);                           \
		hb_snap_free(&cs);                                             \
		hb_snap_free(&now);                                            \
	} while (0)

	hb_assert_rc_snap(&s, &b, hb_buf_attach(&b, NULL), -EINVAL);
	/* Wrong nb_segs. */
	seg[0]->nb_segs = 2;
	BAD_ATTACH(seg[0]);
	seg[0]->nb_segs = 4;
	BAD_ATTACH(seg[0]);
	seg[0]->nb_segs = 1;
	BAD_ATTACH(seg[0]);
	seg[0]->nb_segs = 0;
	BAD_ATTACH(seg[0]);
	seg[0]->nb_segs = UINT16_MAX;
	BAD_ATTACH(seg[0]);
	seg[0]->nb_segs = CH_SEGS;
	/* Wrong pkt_len. */
	seg[0]->pkt_len = 349;
	BAD_ATTACH(seg[0]);
	seg[0]->pkt_len = 351;
	BAD_ATTACH(seg[0]);
	seg[0]->pkt_len = 0;
	BAD_ATTACH(seg[0]);
	seg[0]->pkt_len = 100;
	BAD_ATTACH(seg[0]);
	seg[0]->pkt_len = UINT32_MAX;
	BAD_ATTACH(seg[0]);
	seg[0]->pkt_len = 350;
	/* A tail of the chain: its nb_segs/pkt_len describe one segment. */
	seg[1]->pkt_len = 250;
	BAD_ATTACH(seg[1]);
	seg[1]->pkt_len = 200;
	/* A loop. */
	seg[2]->next = seg[0];
	BAD_ATTACH(seg[0]);
	seg[2]->next = seg[1];
	BAD_ATTACH(seg[0]);
	seg[2]->next = NULL;

	/* Single segment: pkt_len or nb_segs disagree with data_len. */
	one->pkt_len = 11;
	BAD_ADOPT(one);
	assert_int_equal(one->pkt_len, 11);
	one->pkt_len = 9;
	BAD_ADOPT(one);
	one->pkt_len = 10;
	one->nb_segs = 2;
	BAD_ADOPT(one);
	one->nb_segs = 0;
	BAD_ADOPT(one);
	one->nb_segs = 1;
#undef BAD_ATTACH
#undef BAD_ADOPT

	/* Still the caller's: repaired, both attach fine. */
	hb_assert_mbuf_ok(seg[0], 1);
	assert_int_equal(hb_buf_attach(&e, seg[0]), 0);
	hb_assert_buf_ok(&e);
	assert_int_equal(hb_buf_len(&e), 350);
	assert_int_equal(hb_buf_nb_segs(&e), 3);
	assert_int_equal(hb_buf_free(&e), 0);
	assert_int_equal(hb_buf_attach(&e, one), 0);
	assert_int_equal(hb_buf_len(&e), 10);
	assert_int_equal(hb_buf_free(&e), 0);

	/* The chain and the single segment went back with e. */
	s.in_use[0] -= CH_SEGS + 1;
	hb_assert_snap(&s, &b);
	hb_assert_buf_bytes(&b, ref, 3000);
	hb_snap_free(&s);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(pool, base);
}

/* ---------------------------------------------------------------------
 * Offsets and lengths out of range
 */

struct range {
	uint32_t off;
	uint32_t len;
};

/* Every byte-range call on [off, off+len) must fail with -ERANGE. */
static void
range_bad(struct hb_snap *s, struct hb_buf *b, uint32_t off, uint32_t len)
{
	struct iovec iov[64];
	uint8_t data[64];

	memset(data, 0x44, sizeof(data));
	hb_assert_rc_snap(s, b, hb_buf_read(b, off, out, len), -ERANGE);
	if (len <= sizeof(data))
		hb_assert_rc_snap(s, b, hb_buf_write(b, off, data, len),
				  -ERANGE);
	else
		hb_assert_rc_snap(s, b, hb_buf_write(b, off, ref, len),
				  -ERANGE);
	hb_assert_null_snap(s, b, hb_buf_peek(b, off, len, scratch), ERANGE);
	hb_assert_null_snap(s, b, hb_buf_peek(b, off, len, NULL), ERANGE);
	hb_assert_rc_snap(s, b, hb_buf_iov(b, off, len, iov, 64), -ERANGE);
	hb_assert_rc_snap(s, b, hb_buf_iov(b, off, len, NULL, 0), -ERANGE);
}

/* Typed accessors at @off must fail with -ERANGE when they pass @blen. */
static void
range_typed(struct hb_snap *s, struct hb_buf *b, uint32_t off, uint32_t blen)
{
#define T_RANGE(name, type)                                                    \
	do {                                                                   \
		type __v = 0x5a;                                               \
		if ((uint64_t)off + sizeof(type) > blen) {                     \
			hb_assert_rc_snap(s, b, hb_buf_get_##name(b, off,      \
					&__v),                                 \
				 -ERANGE);                                     \
			assert_true(__v == 0x5a);                              \
			hb_assert_rc_snap(s, b, hb_buf_put_##name(b, off,      \
					__v),                                  \
				 -ERANGE);                                     \
		}                                                              \
	} while (0);
	FOR_EACH_INT(T_RANGE)
#undef T_RANGE
}

/* All range errors of a buffer of @blen bytes. */
static void
range_all(struct hb_buf *b)
{
	const uint32_t L = hb_buf_len(b);
	const struct range bad[] = {
		{ L + 1, 0 },
		{ L, 1 },
		{ 0, L + 1 },
		{ L + 1, UINT32_MAX },
		{ UINT32_MAX, 0 },
		{ UINT32_MAX, 1 },
		{ UINT32_MAX, UINT32_MAX },
		{ 1, UINT32_MAX },		  /* off + len wraps to 0 */
		{ 2, UINT32_MAX - 1 },		  /* ... to 0 */
		{ 10, UINT32_MAX - 5 },		  /* ... to 4 */
		{ L, L > 0 ? UINT32_MAX - L + 1 : UINT32_MAX }, /* ... to 0 */
		{ L > 0 ? L - 1 : 0, 2 },
		{ L / 2, L - L / 2 + 1 },
		{ L + 1000, 10 },
	};
	struct hb_cursor c, c0;
	struct hb_buf t, t0;
	struct hb_snap s;
	unsigned int i;

	hb_test_snap(&s, b, true);
	for (i = 0; i < RTE_DIM(bad); i++)
		range_bad(&s, b, bad[i].off, bad[i].len);
	if (L > 0)
		range_bad(&s, b, L - 1, UINT32_MAX);
	range_typed(&s, b, L, L);
	range_typed(&s, b, L + 1, L);
	range_typed(&s, b, L > 7 ? L - 7 : 0, L);
	range_typed(&s, b, L > 1 ? L - 1 : 0, L);
	range_typed(&s, b, UINT32_MAX, L);
	range_typed(&s, b, UINT32_MAX - 3, L);
	range_typed(&s, b, UINT32_MAX - 7, L);

	memset(&t, 0x5a, sizeof(t));
	memcpy(&t0, &t, sizeof(t));
	hb_assert_rc_snap(&s, b, hb_buf_trim(b, L + 1), -ERANGE);
	hb_assert_rc_snap(&s, b, hb_buf_trim(b, UINT32_MAX), -ERANGE);
	hb_assert_rc_snap(&s, b, hb_buf_adj(b, L + 1), -ERANGE);
	hb_assert_rc_snap(&s, b, hb_buf_adj(b, UINT32_MAX), -ERANGE);
	hb_assert_rc_snap(&s, b, hb_buf_split(b, L + 1, &t), -ERANGE);
	assert_memory_equal(&t, &t0, sizeof(t));
	hb_assert_rc_snap(&s, b, hb_buf_split(b, UINT32_MAX, &t), -ERANGE);
	assert_memory_equal(&t, &t0, sizeof(t));

	memset(&c, 0x6b, sizeof(c));
	memcpy(&c0, &c, sizeof(c));
	hb_assert_rc_snap(&s, b, hb_cursor_init(&c, b, L + 1), -ERANGE);
	assert_memory_equal(&c, &c0, sizeof(c));
	hb_assert_rc_snap(&s, b, hb_cursor_init(&c, b, UINT32_MAX), -ERANGE);
	assert_memory_equal(&c, &c0, sizeof(c));

	/* The edges themselves are valid. */
	hb_assert_rc_snap(&s, b, hb_buf_read(b, L, out, 0), 0);
	hb_assert_rc_snap(&s, b, hb_buf_read(b, 0, out, L), 0);
	if (L > 0)
		assert_memory_equal(out, s.bytes, L);
	hb_assert_rc_snap(&s, b, hb_buf_iov(b, L, 0, NULL, 0), 0);
	hb_assert_rc_snap(&s, b, hb_cursor_init(&c, b, L), 0);
	assert_int_equal(hb_cursor_remaining(&c), 0);
	hb_assert_rc_snap(&s, b, hb_buf_trim(b, 0), 0);
	hb_assert_rc_snap(&s, b, hb_buf_adj(b, 0), 0);
	hb_snap_free(&s);
}

static void
test_range(void **state)
{
	unsigned int base = rte_mempool_in_use_count(pool);
	struct hb_buf b;

	(void)state;
	/* Multi-segment buffer. */
	buf_build(&b, pool, 5000, 333, 4);
	assert_true(hb_buf_nb_segs(&b) >= 3);
	range_all(&b);
	/* Same with reserved (empty) segments after the tail. */
	assert_int_equal(hb_buf_reserve(&b, 6000), 0);
	range_all(&b);
	assert_int_equal(hb_buf_free(&b), 0);
	/* One byte. */
	buf_build(&b, pool, 1, 1, 5);
	range_all(&b);
	assert_int_equal(hb_buf_free(&b), 0);
	/* Initialised, no segment. */
	assert_int_equal(hb_buf_init(&b, pool), 0);
	range_all(&b);
	/* Segments reserved, no byte. */
	assert_int_equal(hb_buf_reserve(&b, 5000), 0);
	assert_true(hb_buf_nb_segs(&b) >= 2);
	assert_int_equal(hb_buf_len(&b), 0);
	range_all(&b);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(pool, base);
}

/* ---------------------------------------------------------------------
 * hb_buf_iov(): vector too small, bad count
 */

static void
test_iov_errors(void **state)
{
	unsigned int base = rte_mempool_in_use_count(pool);
	static const struct range r[] = {
		{ 0, 10000 }, { 100, 4500 }, { 2047, 2 }, { 1, 9998 },
	};
	struct iovec iov[16];
	struct hb_buf b;
	struct hb_snap s;
	unsigned int i;
	int n, cnt, j;

	(void)state;
	buf_build(&b, pool, 10000, 10000, 6);
	assert_int_equal(hb_buf_reserve(&b, 5000), 0);
	hb_test_snap(&s, &b, true);
	assert_true(hb_buf_nb_segs(&b) >= 6);

	for (i = 0; i < RTE_DIM(r); i++) {
		uint32_t got = 0;

		n = hb_buf_iov(&b, r[i].off, r[i].len, NULL, 0);
		assert_true(n >= 2);
		assert_true(n < 16);
		/* Every count below n: -ENOBUFS, nothing written past it. */
		for (cnt = 0; cnt < n; cnt++) {
			memset(iov, 0xee, sizeof(iov));
			hb_assert_rc_snap(&s, &b,
					  hb_buf_iov(&b, r[i].off, r[i].len,
						     iov, cnt), -ENOBUFS);
			for (j = cnt; j < 16; j++) {
				assert_true(iov[j].iov_base ==
					    (void *)(uintptr_t)0xeeeeeeeeeeeeeeeeULL);
				assert_true(iov[j].iov_len ==
					    (size_t)0xeeeeeeeeeeeeeeeeULL);
			}
		}
		hb_assert_rc_snap(&s, &b,
				  hb_buf_iov(&b, r[i].off, r[i].len, iov,
					     n), n);
		hb_assert_rc_snap(&s, &b,
				  hb_buf_iov(&b, r[i].off, r[i].len, iov,
					     16), n);
		for (j = 0; j < n; j++) {
			assert_true(iov[j].iov_len > 0);
			assert_memory_equal(iov[j].iov_base, ref + r[i].off + got,
					    iov[j].iov_len);
			got += iov[j].iov_len;
		}
		assert_int_equal(got, r[i].len);
	}
	/* Negative count; NULL vector with a count. */
	hb_assert_rc_snap(&s, &b, hb_buf_iov(&b, 0, 10, iov, -1), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_iov(&b, 0, 10, iov, INT_MIN), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_iov(&b, 0, 10, NULL, -1), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_iov(&b, 0, 0, iov, -1), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_iov(&b, 0, 10, NULL, 1), -EINVAL);
	hb_assert_rc_snap(&s, &b, hb_buf_iov(&b, 0, 0, NULL, 3), -EINVAL);
	/* Zero length: 0 entries, even with no room. */
	hb_assert_rc_snap(&s, &b, hb_buf_iov(&b, 5, 0, iov, 0), 0);
	hb_assert_rc_snap(&s, &b, hb_buf_iov(&b, 10000, 0, NULL, 0), 0);
	hb_snap_free(&s);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(pool, base);
}

/* ---------------------------------------------------------------------
 * hb_buf_peek(): copy needed without scratch; zero lengths
 */

static void
test_peek_errors(void **state)
{
	unsigned int base = rte_mempool_in_use_count(pool);
	const uint8_t *p;
	struct hb_buf b;
	uint32_t h0;
	struct hb_snap s;

	(void)state;
	buf_build(&b, pool, 8000, 8000, 7);
	h0 = b.head->data_len;
	assert_true(h0 < 8000);
	hb_test_snap(&s, &b, true);

	/* Spanning a boundary: needs scratch. */
	hb_assert_null_snap(&s, &b, hb_buf_peek(&b, h0 - 1, 2, NULL), EINVAL);
	hb_assert_null_snap(&s, &b, hb_buf_peek(&b, 0, 8000, NULL), EINVAL);
	hb_assert_null_snap(&s, &b, hb_buf_peek(&b, h0 - 100, 4000, NULL),
			    EINVAL);
	p = hb_buf_peek(&b, h0 - 1, 2, scratch);
	assert_ptr_equal(p, scratch);
	assert_memory_equal(p, ref + h0 - 1, 2);
	hb_assert_snap(&s, &b);
	/* Inside one segment: no scratch needed, pointer into the segment. */
	p = hb_buf_peek(&b, h0 - 2, 2, NULL);
	assert_non_null(p);
	assert_memory_equal(p, ref + h0 - 2, 2);
	p = hb_buf_peek(&b, h0, 100, NULL);
	assert_non_null(p);
	assert_memory_equal(p, ref + h0, 100);
	hb_assert_snap(&s, &b);
	/* Zero length at a valid offset: non-NULL, even without scratch. */
	assert_non_null(hb_buf_peek(&b, 0, 0, NULL));
	assert_non_null(hb_buf_peek(&b, 8000, 0, NULL));
	assert_non_null(hb_buf_peek(&b, h0, 0, NULL));
	hb_assert_null_snap(&s, &b, hb_buf_peek(&b, 8001, 0, NULL), ERANGE);
	hb_assert_snap(&s, &b);
	hb_snap_free(&s);
	assert_int_equal(hb_buf_free(&b), 0);

	/* Empty buffer: offset 0 is valid, 1 is not. */
	assert_int_equal(hb_buf_init(&b, pool), 0);
	hb_test_snap(&s, &b, true);
	rte_errno = 0;
	assert_non_null(hb_buf_peek(&b, 0, 0, scratch));
	assert_non_null(hb_buf_peek(&b, 0, 0, NULL));
	hb_assert_null_snap(&s, &b, hb_buf_peek(&b, 1, 0, NULL), ERANGE);
	hb_assert_null_snap(&s, &b, hb_buf_peek(&b, 0, 1, scratch), ERANGE);
	hb_assert_snap(&s, &b);
	hb_snap_free(&s);
	hb_assert_pool_at(pool, base);
}

/* ---------------------------------------------------------------------
 * hb_buf_detach() without segments
 */

static void
test_detach_errors(void **state)
{
	unsigned int base = rte_mempool_in_use_count(pool);
	struct hb_buf b, t;
	struct hb_snap s;

	(void)state;
	/* Freshly initialised. */
	assert_int_equal(hb_buf_init(&b, pool), 0);
	hb_test_snap(&s, &b, true);
	hb_assert_null_snap(&s, &b, hb_buf_detach(&b), ENODATA);
	hb_assert_null_snap(&s, &b, hb_buf_detach(&b), ENODATA);
	hb_snap_free(&s);
	/* Emptied by free, trim, adj, split at 0. */
	buf_build(&b, pool, 3000, 3000, 8);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_test_snap(&s, &b, true);
	hb_assert_null_snap(&s, &b, hb_buf_detach(&b), ENODATA);
	hb_snap_free(&s);
	buf_build(&b, pool, 3000, 3000, 8);
	assert_int_equal(hb_buf_trim(&b, 3000), 0);
	hb_test_snap(&s, &b, true);
	hb_assert_null_snap(&s, &b, hb_buf_detach(&b), ENODATA);
	hb_snap_free(&s);
	buf_build(&b, pool, 3000, 3000, 8);
	assert_int_equal(hb_buf_adj(&b, 3000), 0);
	hb_test_snap(&s, &b, true);
	hb_assert_null_snap(&s, &b, hb_buf_detach(&b), ENODATA);
	hb_snap_free(&s);
	buf_build(&b, pool, 3000, 3000, 8);
	assert_int_equal(hb_buf_split(&b, 0, &t), 0);
	hb_test_snap(&s, &b, true);
	hb_assert_null_snap(&s, &b, hb_buf_detach(&b), ENODATA);
	hb_snap_free(&s);
	assert_int_equal(hb_buf_free(&t), 0);
	/* Detached once: the second detach finds nothing. */
	buf_build(&b, pool, 3000, 1000, 8);
	assert_int_equal(hb_buf_reserve(&b, 5000), 0);
	{
		struct rte_mbuf *m = hb_buf_detach(&b);

		hb_assert_mbuf_ok(m, 1);
		assert_int_equal(m->pkt_len, 3000);
		assert_int_equal(rte_pktmbuf_lastseg(m)->data_len != 0, 1);
		hb_test_snap(&s, &b, true);
		hb_assert_null_snap(&s, &b, hb_buf_detach(&b), ENODATA);
		hb_snap_free(&s);
		rte_pktmbuf_free(m);
	}
	hb_assert_pool_at(pool, base);
}

/* ---------------------------------------------------------------------
 * Limits: RTE_MBUF_MAX_NB_SEGS segments, UINT32_MAX bytes
 */

static void
test_limit_segs(void **state)
{
	const uint16_t room = 64;
	const uint32_t max = RTE_MBUF_MAX_NB_SEGS;
	const uint32_t full = max * room;
	unsigned int base = rte_mempool_in_use_count(pool);
	struct rte_mempool *tiny;
	struct hb_buf b;
	uint8_t *src, *exp;
	struct hb_snap s;
	uint32_t len;

	(void)state;
	tiny = hb_test_pool("neg_tiny", max + 64, room);
	src = malloc(full + 1024);
	exp = malloc(full + 1024);
	assert_non_null(src);
	assert_non_null(exp);
	hb_test_pattern(src, full + 1024, 11);

	/* Empty buffer: one byte more than the segments can ever hold. */
	assert_int_equal(hb_buf_init(&b, tiny), 0);
	hb_test_snap(&s, &b, true);
	hb_assert_rc_snap(&s, &b, hb_buf_reserve(&b, full + 1), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_append(&b, src, full + 1), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_prepend(&b, src, full + 1), -E2BIG);
	hb_snap_free(&s);

	/* Exactly the maximum: fine. */
	assert_int_equal(hb_buf_reserve(&b, full), 0);
	assert_int_equal(hb_buf_nb_segs(&b), max);
	assert_int_equal(hb_buf_free(&b), 0);
	assert_int_equal(hb_buf_append(&b, src, full), 0);
	assert_int_equal(hb_buf_nb_segs(&b), max);
	assert_int_equal(hb_buf_len(&b), full);
	memcpy(exp, src, full);
	len = full;

	/* Full chain: any growth needs a segment more. */
	hb_test_snap(&s, &b, true);
	hb_assert_rc_snap(&s, &b, hb_buf_append(&b, src, 1), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_append(&b, src, 1000), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_append_u8(&b, 1), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_append_be64(&b, 1), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_append_le32(&b, 1), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_reserve(&b, 1), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_reserve(&b, UINT32_MAX - full),
			  -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_prepend(&b, src, 1), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_prepend(&b, src, room + 1), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_reserve(&b, 0), 0);
	hb_assert_rc_snap(&s, &b, hb_buf_append(&b, src, 0), 0);
	hb_assert_rc_snap(&s, &b, hb_buf_prepend(&b, src, 0), 0);
	hb_snap_free(&s);
	hb_assert_buf_bytes(&b, exp, len);

	/* One segment free: two needed fails, one fits. */
	assert_int_equal(hb_buf_trim(&b, room), 0);
	len -= room;
	assert_int_equal(hb_buf_nb_segs(&b), max - 1);
	hb_test_snap(&s, &b, true);
	hb_assert_rc_snap(&s, &b, hb_buf_append(&b, src, room + 1), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_reserve(&b, room + 1), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_prepend(&b, src, room + 1), -E2BIG);
	hb_snap_free(&s);
	assert_int_equal(hb_buf_reserve(&b, room), 0);
	assert_int_equal(hb_buf_nb_segs(&b), max);
	hb_test_snap(&s, &b, true);
	hb_assert_rc_snap(&s, &b, hb_buf_append(&b, src, room + 1), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_reserve(&b, room + 1), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_prepend(&b, src, 1), -E2BIG);
	hb_snap_free(&s);
	assert_int_equal(hb_buf_append(&b, src + 7, room), 0);
	memcpy(exp + len, src + 7, room);
	len += room;
	hb_assert_buf_bytes(&b, exp, len);

	/* Tail with room for one byte, no segment left. */
	assert_int_equal(hb_buf_trim(&b, room + 1), 0);
	len -= room + 1;
	assert_int_equal(hb_buf_nb_segs(&b), max - 1);
	assert_int_equal(hb_buf_prepend(&b, src + 3, room), 0);
	memmove(exp + room, exp, len);
	memcpy(exp, src + 3, room);
	len += room;
	assert_int_equal(hb_buf_nb_segs(&b), max);
	hb_test_snap(&s, &b, true);
	hb_assert_rc_snap(&s, &b, hb_buf_append(&b, src, 2), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_append_be16(&b, 1), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_reserve(&b, 2), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_reserve(&b, 1), 0);
	hb_snap_free(&s);
	assert_int_equal(hb_buf_append_u8(&b, 0x42), 0);
	exp[len++] = 0x42;
	hb_assert_buf_bytes(&b, exp, len);

	assert_int_equal(hb_buf_free(&b), 0);
	free(src);
	free(exp);
	hb_assert_pool_at(tiny, 0);
	rte_mempool_free(tiny);
	hb_assert_pool_at(pool, base);
}

static void
test_limit_len(void **state)
{
	unsigned int base = rte_mempool_in_use_count(pool);
	uint8_t data[16];
	struct hb_buf b;
	struct hb_snap s;

	(void)state;
	memset(data, 0x21, sizeof(data));
	/*
	 * The source is far shorter than the length asked: the calls must
	 * refuse before reading it (ASan would see the overflow).
	 */
	buf_build(&b, pool, 10, 10, 12);
	hb_test_snap(&s, &b, true);
	hb_assert_rc_snap(&s, &b, hb_buf_reserve(&b, UINT32_MAX), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_reserve(&b, UINT32_MAX - 9), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_reserve(&b, UINT32_MAX - 10), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_append(&b, opaque(data), UINT32_MAX),
			  -E2BIG);
	hb_assert_rc_snap(&s, &b,
			  hb_buf_append(&b, opaque(data),
					UINT32_MAX - 9), -E2BIG);
	hb_assert_rc_snap(&s, &b,
			  hb_buf_append(&b, opaque(data),
					UINT32_MAX - 10), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_prepend(&b, opaque(data), UINT32_MAX),
			  -E2BIG);
	hb_assert_rc_snap(&s, &b,
			  hb_buf_prepend(&b, opaque(data),
					 UINT32_MAX - 9), -E2BIG);
	hb_assert_rc_snap(&s, &b,
			  hb_buf_prepend(&b, opaque(data),
					 UINT32_MAX - 10), -E2BIG);
	hb_snap_free(&s);
	assert_int_equal(hb_buf_free(&b), 0);

	assert_int_equal(hb_buf_init(&b, pool), 0);
	hb_test_snap(&s, &b, true);
	hb_assert_rc_snap(&s, &b, hb_buf_reserve(&b, UINT32_MAX), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_append(&b, opaque(data), UINT32_MAX),
			  -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_prepend(&b, opaque(data), UINT32_MAX),
			  -E2BIG);
	hb_snap_free(&s);
	hb_assert_pool_at(pool, base);
}

/*
 * A chain of RTE_MBUF_MAX_NB_SEGS segments of 65535 bytes: about 4 GiB of
 * logical length over two real 64 KiB buffers (one direct head, the rest
 * indirect clones), so that lengths and offsets near UINT32_MAX are real.
 */
#define BIG_SEG UINT16_MAX

static uint8_t big_pat[2][BIG_SEG];

static uint8_t
big_byte(uint32_t off)
{
	uint32_t s = off / BIG_SEG;

	return big_pat[s & 1][off % BIG_SEG];
}

static void
big_expect(const struct hb_buf *b, uint32_t off, uint32_t len)
{
	uint32_t i;

	assert_int_equal(hb_buf_read(b, off, out, len), 0);
	for (i = 0; i < len; i++)
		if (out[i] != big_byte(off + i))
			fail_msg("byte %u differs", off + i);
}

static void
test_limit_4g(void **state)
{
	const uint32_t max = RTE_MBUF_MAX_NB_SEGS;
	const uint32_t L = max * BIG_SEG; /* 4294836225 */
	unsigned int base = rte_mempool_in_use_count(pool);
	struct rte_mempool *bigp, *clp;
	struct rte_mbuf *d[2], *prev, *mi;
	struct hb_cursor c;
	struct hb_buf b, t;
	uint64_t rs = 0x4b1d;
	struct hb_snap s;
	uint32_t i, len, n;

	(void)state;
	bigp = hb_test_pool("neg_big", 2, BIG_SEG);
	clp = rte_pktmbuf_pool_create("neg_clone", max + 8, 0, 0, 0,
				      SOCKET_ID_ANY);
	assert_non_null(clp);
	for (i = 0; i < 2; i++) {
		d[i] = rte_pktmbuf_alloc(bigp);
		assert_non_null(d[i]);
		d[i]->data_off = 0;
		assert_non_null(rte_pktmbuf_append(d[i], BIG_SEG));
		hb_test_pattern(big_pat[i], BIG_SEG, 20 + i);
		memcpy(rte_pktmbuf_mtod(d[i], void *), big_pat[i], BIG_SEG);
	}
	/* d[0] heads the chain; segment i > 0 is a clone of d[i & 1]. */
	prev = d[0];
	for (i = 1; i < max; i++) {
		mi = rte_pktmbuf_alloc(clp);
		assert_non_null(mi);
		rte_pktmbuf_attach(mi, d[i & 1]);
		prev->next = mi;
		prev = mi;
	}
	d[0]->nb_segs = max;
	d[0]->pkt_len = L;
	assert_int_equal(hb_buf_attach(&b, d[0]), 0);
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_buf_len(&b), L);
	assert_int_equal(hb_buf_nb_segs(&b), max);
	assert_true(L >= UINT32_MAX - 2 * BIG_SEG);

	hb_test_snap(&s, &b, false);
	hb_snap_pool(&s, clp);
	/* Growth: the segment limit, then the length limit. */
	hb_assert_rc_snap(&s, &b, hb_buf_append(&b, ref, 1), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_append(&b, ref, UINT32_MAX - L),
			  -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_append(&b, ref, UINT32_MAX - L + 1),
			  -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_append_be64(&b, 1), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_reserve(&b, 1), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_reserve(&b, UINT32_MAX - L + 1),
			  -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_reserve(&b, UINT32_MAX), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_prepend(&b, ref, 1), -E2BIG);
	hb_assert_rc_snap(&s, &b, hb_buf_prepend(&b, ref, UINT32_MAX - L + 1),
			  -E2BIG);

	/* Ranges near UINT32_MAX. */
	range_bad(&s, &b, L, 1);
	range_bad(&s, &b, L - 1, 2);
	range_bad(&s, &b, L + 1, 0);
	range_bad(&s, &b, UINT32_MAX, 1);
	range_bad(&s, &b, UINT32_MAX, 0);
	range_bad(&s, &b, L - 5, UINT32_MAX);
	range_bad(&s, &b, L - 5, UINT32_MAX - L + 6);
	range_bad(&s, &b, 0, L + 1);
	range_typed(&s, &b, L - 3, L);
	range_typed(&s, &b, L - 7, L);
	range_typed(&s, &b, UINT32_MAX - 1, L);
	hb_assert_rc_snap(&s, &b, hb_buf_trim(&b, L + 1), -ERANGE);
	hb_assert_rc_snap(&s, &b, hb_buf_adj(&b, UINT32_MAX), -ERANGE);
	hb_assert_rc_snap(&s, &b, hb_buf_split(&b, L + 1, &t), -ERANGE);
	hb_assert_rc_snap(&s, &b, hb_cursor_init(&c, &b, L + 1), -ERANGE);

	/* Reads across the whole range, near the end in particular. */
	big_expect(&b, L - 1, 1);
	big_expect(&b, L - 200000, 200000);
	big_expect(&b, 0, 100);
	for (i = 0; i < 2000; i++) {
		uint32_t off = (uint32_t)(hb_test_rand(&rs) % (L - 300));

		if ((i & 1) && off / BIG_SEG + 2 < max) /* straddle a boundary */
			off = (off / BIG_SEG + 1) * BIG_SEG - 3;
		big_expect(&b, off, 1 + (uint32_t)(hb_test_rand(&rs) % 256));
	}
	{
		uint64_t v = 0;

		assert_int_equal(hb_buf_get_be64(&b, L - 8, &v), 0);
		for (i = 0; i < 8; i++)
			assert_int_equal((v >> (56 - 8 * i)) & 0xff,
					 big_byte(L - 8 + i));
	}
	hb_assert_rc_snap(&s, &b, hb_buf_iov(&b, 0, L, NULL, 0), (int)max);
	{
		struct iovec iov[2];

		hb_assert_rc_snap(&s, &b,
				  hb_buf_iov(&b, L - 70000, 70000, iov,
					     1), -ENOBUFS);
		hb_assert_rc_snap(&s, &b,
				  hb_buf_iov(&b, L - 70000, 70000, iov, 2), 2);
	}
	/* Cursor at the very end. */
	hb_assert_rc_snap(&s, &b, hb_cursor_init(&c, &b, L - 10), 0);
	assert_int_equal(hb_cursor_read(&c, out, 10), 0);
	for (i = 0; i < 10; i++)
		assert_int_equal(out[i], big_byte(L - 10 + i));
	hb_assert_cursor_fails(&s, &b, &c, 1, ENODATA);
	hb_assert_cursor_fails(&s, &b, &c, UINT32_MAX, ENODATA);
	hb_assert_rc_snap(&s, &b, hb_cursor_init(&c, &b, 3 * BIG_SEG - 2), 0);
	assert_int_equal(hb_cursor_read(&c, out, 4), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(out[i], big_byte(3 * BIG_SEG - 2 + i));

	/* Split inside a segment needs an mbuf of the (empty) head pool. */
	assert_int_equal(rte_mempool_avail_count(bigp), 0);
	memset(&t, 0x5a, sizeof(t));
	hb_assert_rc_snap(&s, &b, hb_buf_split(&b, L - 10, &t), -ENOMEM);
	hb_assert_rc_snap(&s, &b, hb_buf_split(&b, BIG_SEG + 1, &t), -ENOMEM);
	hb_snap_free(&s);

	/* At a boundary it needs none. */
	assert_int_equal(hb_buf_split(&b, L - BIG_SEG, &t), 0);
	hb_assert_buf_ok(&b);
	hb_assert_buf_ok(&t);
	assert_int_equal(hb_buf_len(&b), L - BIG_SEG);
	assert_int_equal(hb_buf_nb_segs(&b), max - 1);
	assert_int_equal(hb_buf_len(&t), BIG_SEG);
	assert_int_equal(hb_buf_read(&t, 0, out, BIG_SEG), 0);
	assert_memory_equal(out, big_pat[(max - 1) & 1], BIG_SEG);
	big_expect(&b, L - BIG_SEG - 5, 5);
	/* Putting the bytes back needs a new segment: pool empty. */
	hb_test_snap(&s, &b, false);
	hb_snap_pool(&s, clp);
	hb_assert_rc_snap(&s, &b, hb_buf_append(&b, out, BIG_SEG), -ENOMEM);
	hb_assert_rc_snap(&s, &b, hb_buf_append(&b, out, 1), -ENOMEM);
	hb_assert_rc_snap(&s, &b, hb_buf_prepend(&b, out, 1), -ENOMEM);
	hb_assert_rc_snap(&s, &b, hb_buf_reserve(&b, 1), -ENOMEM);
	hb_snap_free(&s);
	assert_int_equal(hb_buf_free(&t), 0);

	/* Shrink at both ends; offsets follow. */
	assert_int_equal(hb_buf_trim(&b, 1), 0);
	assert_int_equal(hb_buf_adj(&b, BIG_SEG + 1), 0);
	len = L - 2 * BIG_SEG - 2;
	n = max - 2;
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_buf_len(&b), len);
	assert_int_equal(hb_buf_nb_segs(&b), n);
	assert_int_equal(hb_buf_read(&b, 0, out, 10), 0);
	for (i = 0; i < 10; i++)
		assert_int_equal(out[i], big_byte(BIG_SEG + 1 + i));
	assert_int_equal(hb_buf_read(&b, len - 10, out, 10), 0);
	for (i = 0; i < 10; i++)
		assert_int_equal(out[i], big_byte(L - BIG_SEG - 11 + i));

	assert_int_equal(hb_buf_free(&b), 0);
	/* d[1] still has our own reference; d[0] went with its clones. */
	assert_int_equal(rte_mbuf_refcnt_read(d[1]), 1);
	rte_pktmbuf_free(d[1]);
	hb_assert_pool_at(bigp, 0);
	hb_assert_pool_at(clp, 0);
	rte_mempool_free(clp);
	rte_mempool_free(bigp);
	hb_assert_pool_at(pool, base);
}

/* ---------------------------------------------------------------------
 * Pool exhaustion in the middle of an operation
 */

#define SMALL_ROOM 256
#define SMALL_N 160

static struct rte_mempool *small;

/* Content before the operation: 300 bytes, optionally a reserved segment */
enum pre {
	PRE_EMPTY,	/* initialised, no segment */
	PRE_DATA,	/* 300 bytes, tail not full */
	PRE_RESERVED,	/* 300 bytes and a reserved segment */
	PRE_FULL,	/* tail full */
	PRE_SHARED,	/* 300 bytes in clones of another chain */
	PRE_NUM
};

static struct rte_mbuf *pre_orig;

static void
pre_build(struct hb_buf *b, enum pre pre)
{
	struct rte_mbuf *m;

	hb_test_pattern(ref, 300, 30);
	switch (pre) {
	case PRE_EMPTY:
		assert_int_equal(hb_buf_init(b, small), 0);
		break;
	case PRE_DATA:
	case PRE_RESERVED:
		assert_int_equal(hb_buf_init(b, small), 0);
		assert_int_equal(hb_buf_append(b, ref, 300), 0);
		if (pre == PRE_RESERVED) {
			assert_int_equal(hb_buf_reserve(b, SMALL_ROOM + 1 +
					 rte_pktmbuf_tailroom(b->tail)), 0);
			assert_true(b->tail->next != NULL);
		}
		break;
	case PRE_FULL:
		assert_int_equal(hb_buf_init(b, small), 0);
		assert_int_equal(hb_buf_append(b, ref, 1), 0);
		assert_int_equal(hb_buf_append(b, ref + 1,
					       rte_pktmbuf_tailroom(b->tail)),
				 0);
		assert_int_equal(rte_pktmbuf_tailroom(b->tail), 0);
		break;
	case PRE_SHARED:
		assert_int_equal(hb_buf_init(b, small), 0);
		assert_int_equal(hb_buf_append(b, ref, 300), 0);
		m = hb_buf_detach(b);
		assert_non_null(m);
		pre_orig = m;
		m = rte_pktmbuf_clone(m, small);
		assert_non_null(m);
		assert_int_equal(hb_buf_attach(b, m), 0);
		break;
	default:
		fail();
	}
	hb_assert_buf_ok(b);
}

static void
pre_free(struct hb_buf *b)
{
	assert_int_equal(hb_buf_free(b), 0);
	if (pre_orig != NULL)
		rte_pktmbuf_free(pre_orig);
	pre_orig = NULL;
}

enum grow_op { G_APPEND, G_PREPEND, G_RESERVE, G_APPEND_BE64, G_NUM };

static const char *const grow_name[G_NUM] = {
	"append", "prepend", "reserve", "append_be64",
};

static int
grow_call(struct hb_buf *b, enum grow_op op, const uint8_t *src, uint32_t len)
{
	switch (op) {
	case G_APPEND:
		return hb_buf_append(b, src, len);
	case G_PREPEND:
		return hb_buf_prepend(b, src, len);
	case G_RESERVE:
		return hb_buf_reserve(b, len);
	case G_APPEND_BE64:
		return hb_buf_append_be64(b, UINT64_C(0x0102030405060708));
	default:
		fail();
	}
	return -1;
}

/*
 * Leave k = 0, 1, ... mbufs in the pool and run @op: below some threshold
 * it must fail with -ENOMEM changing nothing (and a cursor set up before
 * must still work), from the threshold on it must succeed. Returns the
 * threshold; @need gets what the model (hb_model.h) says @op takes.
 */
static unsigned int
grow_exhaust(enum grow_op op, enum pre pre, uint32_t len,
	     struct hb_need *need)
{
	static uint8_t src[64 * 1024];
	unsigned int base = rte_mempool_in_use_count(small);
	unsigned int k, kmax, thr = UINT_MAX, avail;
	struct hb_cursor c = { 0 };
	struct hb_buf b;
	struct hb_snap s;
	uint32_t plen;

	assert_true(len <= sizeof(src));
	hb_test_pattern(src, len, 31);
	kmax = len / SMALL_ROOM + 3;
	for (k = 0; k <= kmax; k++) {
		int rc;

		pre_build(&b, pre);
		plen = hb_buf_len(&b);
		if (need != NULL)
			*need = op == G_PREPEND ?
					hb_model_need_prepend(&b, len) :
					hb_model_need_append(&b, len);
		assert_int_equal(hb_cursor_init(&c, &b, 0), 0);
		hog_leave(small, k);
		hb_test_snap(&s, &b, true);
		rc = grow_call(&b, op, src, len);
		if (rc != 0) {
			if (rc != -ENOMEM || thr != UINT_MAX)
				fail_msg("%s pre %d len %u k %u: rc %d "
					 "(threshold %u)", grow_name[op], pre,
					 len, k, rc, thr);
			hb_assert_snap(&s, &b);
			assert_int_equal(hb_cursor_read(&c, out, plen), 0);
			assert_memory_equal(out, s.bytes, plen);
		} else {
			if (thr == UINT_MAX)
				thr = k;
			hb_assert_buf_ok(&b);
			assert_int_equal(hb_buf_read(&b, 0, out, hb_buf_len(&b)), 0);
			switch (op) {
			case G_APPEND:
				assert_int_equal(hb_buf_len(&b), plen + len);
				assert_memory_equal(out, s.bytes, plen);
				assert_memory_equal(out + plen, src, len);
				break;
			case G_PREPEND:
				assert_int_equal(hb_buf_len(&b), plen + len);
				assert_memory_equal(out, src, len);
				assert_memory_equal(out + len, s.bytes, plen);
				break;
			case G_RESERVE:
				assert_int_equal(hb_buf_len(&b), plen);
				assert_memory_equal(out, s.bytes, plen);
				/* The reserved room takes no allocation. */
				avail = rte_mempool_avail_count(small);
				assert_int_equal(hb_buf_append(&b, src, len), 0);
				assert_int_equal(rte_mempool_avail_count(small),
						 avail);
				assert_int_equal(hb_buf_read(&b, plen, out, len), 0);
				assert_memory_equal(out, src, len);
				break;
			case G_APPEND_BE64:
				assert_int_equal(hb_buf_len(&b), plen + 8);
				assert_memory_equal(out, s.bytes, plen);
				assert_memory_equal(out + plen,
						    "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
				break;
			default:
				fail();
			}
		}
		hb_snap_free(&s);
		hog_release();
		pre_free(&b);
		hb_assert_pool_at(small, base);
	}
	if (thr == UINT_MAX)
		fail_msg("%s pre %d len %u never succeeded", grow_name[op], pre,
			 len);
	return thr;
}

static uint32_t
div_up(uint32_t a, uint32_t b)
{
	return (a + b - 1) / b;
}

/* Append-like growth of a buffer holding segments: exactly what it needs */
static void
grow_exact(enum grow_op op, enum pre pre, uint32_t len)
{
	struct hb_need nd;
	unsigned int thr = grow_exhaust(op, pre, len, &nd);

	if (thr != nd.lo || nd.lo != nd.hi)
		fail_msg("%s pre %d len %u: %u mbufs needed, expected %u..%u",
			 grow_name[op], pre, len, thr, nd.lo, nd.hi);
}

/*
 * Growth of an empty buffer: exactly the segments for the bytes, the
 * first one keeping its headroom (so one more than the data rooms alone
 * would need, at some lengths).
 */
static void
grow_empty(enum grow_op op, uint32_t len)
{
	struct hb_need nd;
	struct hb_buf e;

	grow_exact(op, PRE_EMPTY, len);
	assert_int_equal(hb_buf_init(&e, small), 0);
	nd = hb_model_need_append(&e, len);
	assert_in_range(nd.lo, div_up(len, SMALL_ROOM),
			div_up(len, SMALL_ROOM) + 1);
}

/* Crosses two bulk-get bursts of 32. */
#define BIG_GROW (70 * SMALL_ROOM + 7)

static void
test_enomem_append(void **state)
{
	enum pre pre;

	(void)state;
	for (pre = PRE_DATA; pre < PRE_NUM; pre++) {
		grow_exact(G_APPEND, pre, BIG_GROW);
		grow_exact(G_APPEND, pre, 1);
		grow_exact(G_APPEND, pre, SMALL_ROOM + 1);
		grow_exact(G_APPEND_BE64, pre, 8);
	}
	grow_empty(G_APPEND, BIG_GROW);
	grow_empty(G_APPEND, 1);
	/* Past the first segment's room, not past the pool's data room. */
	grow_empty(G_APPEND, SMALL_ROOM - 100);
	grow_empty(G_APPEND_BE64, 8);
	hb_assert_pool_at(small, 0);
}

static void
test_enomem_prepend(void **state)
{
	enum pre pre;

	(void)state;
	/* New head segments: as many as the bytes need, whatever headroom */
	for (pre = PRE_DATA; pre < PRE_NUM; pre++)
		assert_int_equal(grow_exhaust(G_PREPEND, pre, BIG_GROW, NULL),
				 div_up(BIG_GROW, SMALL_ROOM));
	/* Shared head: even one byte needs a new segment. */
	assert_int_equal(grow_exhaust(G_PREPEND, PRE_SHARED, 1, NULL), 1);
	assert_int_equal(grow_exhaust(G_PREPEND, PRE_SHARED, SMALL_ROOM, NULL),
			 1);
	assert_int_equal(grow_exhaust(G_PREPEND, PRE_SHARED, SMALL_ROOM + 1,
				      NULL), 2);
	/* Exclusive head with enough headroom: none. */
	assert_int_equal(grow_exhaust(G_PREPEND, PRE_DATA, 1, NULL), 0);
	assert_int_equal(grow_exhaust(G_PREPEND, PRE_FULL, 1, NULL), 0);
	/* Empty buffer: the same as an append. */
	grow_empty(G_PREPEND, BIG_GROW);
	grow_empty(G_PREPEND, 1);
	hb_assert_pool_at(small, 0);
}

static void
test_enomem_reserve(void **state)
{
	enum pre pre;

	(void)state;
	for (pre = PRE_DATA; pre < PRE_NUM; pre++) {
		grow_exact(G_RESERVE, pre, BIG_GROW);
		grow_exact(G_RESERVE, pre, 1);
		grow_exact(G_RESERVE, pre, 2 * SMALL_ROOM);
	}
	grow_empty(G_RESERVE, BIG_GROW);
	grow_empty(G_RESERVE, 1);
	hb_assert_pool_at(small, 0);
}

/* Is @at a segment boundary of @b? */
static bool
is_boundary(const struct hb_buf *b, uint32_t at)
{
	const struct rte_mbuf *m;
	uint32_t off = 0;

	for (m = b->head; m != NULL; m = m->next) {
		off += m->data_len;
		if (off == at)
			return true;
	}
	return false;
}

static void
test_enomem_split(void **state)
{
	unsigned int base = rte_mempool_in_use_count(small);
	const uint32_t len = 60 * SMALL_ROOM - 100;
	struct hb_buf b, t, t0;
	struct hb_cursor c = { 0 };
	uint32_t at, cut, n_enomem = 0;
	struct hb_snap s;
	int pre;

	(void)state;
	/* A long chain (segment index in use) and a pool with nothing left */
	hb_test_pattern(ref, len, 40);
	assert_int_equal(hb_buf_init(&b, small), 0);
	for (at = 0; at < len; at += 100)
		assert_int_equal(hb_buf_append(&b, ref + at,
					       RTE_MIN(100u, len - at)), 0);
	assert_true(hb_buf_nb_segs(&b) >= 50);
	assert_int_equal(hb_cursor_init(&c, &b, 0), 0);
	hog_leave(small, 0);
	hb_test_snap(&s, &b, true);
	memset(&t, 0x5a, sizeof(t));
	memcpy(&t0, &t, sizeof(t));
	for (at = 1; at < len; at += 7) {
		if (is_boundary(&b, at))
			continue;
		hb_assert_rc_snap(&s, &b, hb_buf_split(&b, at, &t), -ENOMEM);
		assert_memory_equal(&t, &t0, sizeof(t));
		n_enomem++;
	}
	assert_true(n_enomem > 2000);
	hb_assert_snap(&s, &b);
	/* A cursor set up before all that still works. */
	assert_int_equal(hb_cursor_read(&c, out, len), 0);
	assert_memory_equal(out, ref, len);
	/* No allocation: at a boundary, at 0, at the end. */
	cut = b.head->data_len + b.head->next->data_len +
	      b.head->next->next->data_len;
	assert_int_equal(hb_buf_split(&b, cut, &t), 0);
	hb_assert_buf_ok(&b);
	hb_assert_buf_ok(&t);
	assert_int_equal(hb_buf_len(&b), cut);
	assert_int_equal(hb_buf_read(&t, 0, out, hb_buf_len(&t)), 0);
	assert_memory_equal(out, ref + hb_buf_len(&b), hb_buf_len(&t));
	assert_int_equal(hb_buf_free(&t), 0);
	assert_int_equal(hb_buf_split(&b, hb_buf_len(&b), &t), 0);
	assert_int_equal(hb_buf_len(&t), 0);
	assert_int_equal(hb_buf_nb_segs(&t), 0);
	assert_int_equal(hb_buf_split(&b, 0, &t), 0);
	assert_int_equal(hb_buf_len(&b), 0);
	assert_int_equal(hb_buf_len(&t), cut);
	assert_int_equal(hb_buf_free(&t), 0);
	hb_snap_free(&s);
	hog_release();
	hb_assert_pool_at(small, base);

	/* Short buffers of every kind, pool empty, cut inside a segment. */
	for (pre = PRE_DATA; pre < PRE_NUM; pre++) {
		uint32_t plen;

		pre_build(&b, pre);
		plen = hb_buf_len(&b);
		hog_leave(small, 0);
		hb_test_snap(&s, &b, true);
		memset(&t, 0x5a, sizeof(t));
		memcpy(&t0, &t, sizeof(t));
		for (at = 1; at < plen; at++) {
			if (is_boundary(&b, at))
				continue;
			hb_assert_rc_snap(&s, &b, hb_buf_split(&b, at, &t),
					  -ENOMEM);
			assert_memory_equal(&t, &t0, sizeof(t));
		}
		/* One mbuf is enough. */
		hb_snap_free(&s);
		hog_release();
		hog_leave(small, 1);
		assert_int_equal(hb_buf_split(&b, plen / 2 + 1, &t), 0);
		assert_int_equal(rte_mempool_avail_count(small), 0);
		assert_int_equal(hb_buf_len(&b), plen / 2 + 1);
		assert_int_equal(hb_buf_read(&t, 0, out, hb_buf_len(&t)), 0);
		assert_memory_equal(out, ref + plen / 2 + 1, plen - plen / 2 - 1);
		hb_assert_buf_ok(&b);
		hb_assert_buf_ok(&t);
		assert_int_equal(hb_buf_free(&t), 0);
		hog_release();
		pre_free(&b);
		hb_assert_pool_at(small, base);
	}
}

/* ---------------------------------------------------------------------
 * A chain from a pool without data room (clones)
 */

static void
test_clone_pool(void **state)
{
	unsigned int base = rte_mempool_in_use_count(pool);
	struct rte_mempool *clp;
	struct rte_mbuf *m, *cl;
	struct hb_buf b, t;
	struct hb_snap s;

	(void)state;
	clp = rte_pktmbuf_pool_create("neg_c0", 63, 0, 0, 0, SOCKET_ID_ANY);
	assert_non_null(clp);
	/* A clone made from it is a fine packet to adopt. */
	m = rte_pktmbuf_alloc(pool);
	assert_non_null(m);
	hb_test_pattern(ref, 1000, 50);
	memcpy(rte_pktmbuf_append(m, 1000), ref, 1000);
	cl = rte_pktmbuf_clone(m, clp);
	assert_non_null(cl);
	assert_int_equal(hb_buf_attach(&b, cl), 0);
	assert_ptr_equal(hb_buf_pool(&b), clp);
	hb_test_snap(&s, &b, true);
	hb_snap_pool(&s, pool);
	/* Growth cannot take segments from it: -ENOMEM, not a crash. */
	hb_assert_rc_snap(&s, &b, hb_buf_append(&b, ref, 1), -ENOMEM);
	hb_assert_rc_snap(&s, &b, hb_buf_append(&b, ref, 1000), -ENOMEM);
	hb_assert_rc_snap(&s, &b, hb_buf_append_le16(&b, 7), -ENOMEM);
	hb_assert_rc_snap(&s, &b, hb_buf_prepend(&b, ref, 1), -ENOMEM);
	hb_assert_rc_snap(&s, &b, hb_buf_prepend(&b, ref, 1000), -ENOMEM);
	hb_assert_rc_snap(&s, &b, hb_buf_reserve(&b, 1), -ENOMEM);
	hb_assert_rc_snap(&s, &b, hb_buf_reserve(&b, 0), 0);
	hb_snap_free(&s);
	/* Everything else works. */
	hb_assert_buf_bytes(&b, ref, 1000);
	assert_int_equal(hb_buf_split(&b, 400, &t), 0);
	assert_int_equal(hb_buf_adj(&t, 100), 0);
	assert_int_equal(hb_buf_trim(&b, 100), 0);
	hb_assert_buf_bytes(&b, ref, 300);
	hb_assert_buf_bytes(&t, ref + 500, 500);
	assert_int_equal(hb_buf_free(&t), 0);
	assert_int_equal(hb_buf_free(&b), 0);
	/* The bytes of the original were never touched. */
	assert_memory_equal(rte_pktmbuf_mtod(m, void *), ref, 1000);
	rte_pktmbuf_free(m);
	hb_assert_pool_at(clp, 0);
	rte_mempool_free(clp);
	hb_assert_pool_at(pool, base);
}

/* After a failed test: give back what it held so the next can run. */
static int
cleanup(void **state)
{
	(void)state;
	hog_release();
	if (pre_orig != NULL)
		rte_pktmbuf_free(pre_orig);
	pre_orig = NULL;
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_null_args, cleanup),
		cmocka_unit_test_teardown(test_uninit, cleanup),
		cmocka_unit_test_teardown(test_init_bad_pool, cleanup),
		cmocka_unit_test_teardown(test_attach_inconsistent, cleanup),
		cmocka_unit_test_teardown(test_range, cleanup),
		cmocka_unit_test_teardown(test_iov_errors, cleanup),
		cmocka_unit_test_teardown(test_peek_errors, cleanup),
		cmocka_unit_test_teardown(test_detach_errors, cleanup),
		cmocka_unit_test_teardown(test_limit_len, cleanup),
		cmocka_unit_test_teardown(test_limit_segs, cleanup),
		cmocka_unit_test_teardown(test_limit_4g, cleanup),
		cmocka_unit_test_teardown(test_enomem_append, cleanup),
		cmocka_unit_test_teardown(test_enomem_prepend, cleanup),
		cmocka_unit_test_teardown(test_enomem_reserve, cleanup),
		cmocka_unit_test_teardown(test_enomem_split, cleanup),
		cmocka_unit_test_teardown(test_clone_pool, cleanup),
	};
	int rc;

	(void)argc;
	rc = hb_test_setup(argv[0], NULL);
	if (rc != 0)
		return rc;
	devnull = fopen("/dev/null", "w");
	if (devnull == NULL)
		return 1;
	if (getenv("HB_TEST_FILTER") != NULL)
		cmocka_set_test_filter(getenv("HB_TEST_FILTER"));
	pool = hb_test_pool("neg", 4096, 0);
	small = hb_test_pool("neg_small", SMALL_N, SMALL_ROOM);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rte_mempool_free(small);
	rte_mempool_free(pool);
	fclose(devnull);
	hb_test_teardown();
	return rc;
}
