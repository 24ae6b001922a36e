/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * Negative tests of the logical buffer and the cursor: every bad input and
 * every failure path. Each failing call must return the documented errno
 * and change nothing: same length, bytes, segments (pointers, offsets,
 * lengths, reference counts), same layout generation, hb_buf_check() happy,
 * and the pools exactly as full as before.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

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

/* ---------------------------------------------------------------------
 * Snapshots: everything a failing call must leave as it was
 */

struct snap {
	struct hb_buf raw;		/* head, tail, mp, state, gen, sh */
	uint32_t len;
	uint16_t nb;
	struct rte_mbuf **seg;
	uint16_t *data_off;
	uint16_t *data_len;
	uint16_t *refcnt;
	uint8_t *bytes;			/* NULL: bytes not recorded */
	struct rte_mempool *mp[2];
	unsigned int in_use[2];
};

static void
snap_take(struct snap *s, const struct hb_buf *b, bool bytes)
{
	const struct rte_mbuf *m;
	uint32_t i = 0, off = 0;

	hb_assert_buf_ok(b);
	memset(s, 0, sizeof(*s));
	memcpy(&s->raw, b, sizeof(*b));
	s->len = hb_buf_len(b);
	s->nb = hb_buf_nb_segs(b);
	if (s->nb > 0) {
		s->seg = calloc(s->nb, sizeof(*s->seg));
		s->data_off = calloc(s->nb, sizeof(uint16_t));
		s->data_len = calloc(s->nb, sizeof(uint16_t));
		s->refcnt = calloc(s->nb, sizeof(uint16_t));
		assert_non_null(s->seg);
		assert_non_null(s->data_off);
		assert_non_null(s->data_len);
		assert_non_null(s->refcnt);
	}
	if (bytes) {
		s->bytes = malloc(s->len + 1);
		assert_non_null(s->bytes);
	}
	for (m = b->head; m != NULL; m = m->next, i++) {
		assert_true(i < s->nb);
		s->seg[i] = (struct rte_mbuf *)(uintptr_t)m;
		s->data_off[i] = m->data_off;
		s->data_len[i] = m->data_len;
		s->refcnt[i] = rte_mbuf_refcnt_read(m);
		if (bytes)
			memcpy(s->bytes + off,
			       rte_pktmbuf_mtod(m, const void *), m->data_len);
		off += m->data_len;
	}
	s->mp[0] = hb_buf_pool(b);
	s->in_use[0] = rte_mempool_in_use_count(hb_buf_pool(b));
}

/* Also watch the in-use count of a second pool. */
static void
snap_pool(struct snap *s, struct rte_mempool *mp)
{
	s->mp[1] = mp;
	s->in_use[1] = rte_mempool_in_use_count(mp);
}

#define SNAP_EXPECT(cond, fmt, ...)                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			hb_buf_dump(stderr, b);                                \
			fail_msg("line %d: %s: " fmt, line, #cond,             \
				 ##__VA_ARGS__);                               \
		}                                                              \
	} while (0)

/* Is @b as recorded in @s? @line: the caller's, for the failure message. */
static void
snap_check_at(const struct snap *s, const struct hb_buf *b, int line)
{
	const struct rte_mbuf *m;
	uint32_t i = 0, off = 0;
	const char *why = NULL;
	int k;

	SNAP_EXPECT(hb_buf_check(b, &why) == 0, "%s", why);
	SNAP_EXPECT(b->head == s->raw.head, "head moved");
	/* An adopted chain's tail and pool are found on first use: cached. */
	SNAP_EXPECT(b->tail == s->raw.tail || s->raw.tail == NULL,
		    "tail moved");
	SNAP_EXPECT(hb_buf_pool(b) == hb_buf_pool(&s->raw), "pool changed");
	SNAP_EXPECT(b->sh == s->raw.sh, "shared state changed");
	SNAP_EXPECT(b->state == s->raw.state, "state changed");
	SNAP_EXPECT(b->gen == s->raw.gen, "generation %u -> %u", s->raw.gen,
		    b->gen);
	SNAP_EXPECT(hb_buf_len(b) == s->len, "len %u -> %u", s->len,
		    hb_buf_len(b));
	SNAP_EXPECT(hb_buf_nb_segs(b) == s->nb, "segs %u -> %u", s->nb,
		    hb_buf_nb_segs(b));
	for (m = b->head; m != NULL; m = m->next, i++) {
		SNAP_EXPECT(i < s->nb, "segment %u", i);
		SNAP_EXPECT(m == s->seg[i], "segment %u", i);
		SNAP_EXPECT(m->data_off == s->data_off[i], "segment %u", i);
		SNAP_EXPECT(m->data_len == s->data_len[i], "segment %u", i);
		SNAP_EXPECT(rte_mbuf_refcnt_read(m) == s->refcnt[i],
			    "segment %u", i);
		SNAP_EXPECT(s->bytes == NULL ||
			    memcmp(rte_pktmbuf_mtod(m, const void *),
				   s->bytes + off, m->data_len) == 0,
			    "segment %u", i);
		off += m->data_len;
	}
	SNAP_EXPECT(i == s->nb, "segments");
	for (k = 0; k < 2; k++)
		SNAP_EXPECT(s->mp[k] == NULL ||
			    rte_mempool_in_use_count(s->mp[k]) == s->in_use[k],
			    "pool %s: %u in use, was %u", s->mp[k]->name,
			    rte_mempool_in_use_count(s->mp[k]), s->in_use[k]);
}

#define snap_check(s, b) snap_check_at((s), (b), __LINE__)

static void
snap_free(struct snap *s)
{
	free(s->seg);
	free(s->data_off);
	free(s->data_len);
	free(s->refcnt);
	free(s->bytes);
	memset(s, 0, sizeof(*s));
}

/* Call, expect @exp, expect nothing changed. */
#define CHECK_RC(s, b, call, exp)                                              \
	do {                                                                   \
		assert_int_equal((call), (exp));                               \
		snap_check((s), (b));                                          \
	} while (0)

/* Pointer-returning call: expect NULL and rte_errno @err. */
#define CHECK_NULL(s, b, call, err)                                            \
	do {                                                                   \
		const void *__p;                                               \
		rte_errno = 0;                                                 \
		__p = (call);                                                  \
		assert_null(__p);                                              \
		assert_int_equal(rte_errno, (err));                            \
		snap_check((s), (b));                                          \
	} while (0)

/* Raw bytes of a struct unchanged (uninitialised buffers, cursors). */
#define CHECK_RAW(p, copy)                                                     \
	assert_int_equal(memcmp((p), (copy), sizeof(*(p))), 0)

/* Initialise @b on @mp with @len bytes of pattern @tag, @chunk per append. */
static void
buf_build(struct hb_buf *b, struct rte_mempool *mp, uint32_t len,
	  uint32_t chunk, uint32_t tag)
{
	uint32_t i;

	assert_int_equal(hb_buf_init(b, mp), 0);
	hb_test_pattern(ref, len, tag);
	for (i = 0; i < len; i += chunk)
		assert_int_equal(hb_buf_append(b, ref + i,
					       RTE_MIN(chunk, len - i)), 0);
	assert_int_equal(hb_buf_len(b), len);
	hb_assert_buf_ok(b);
}

/* The buffer holds exactly @len bytes equal to @exp. */
static void
buf_expect(const struct hb_buf *b, const uint8_t *exp, uint32_t len)
{
	uint8_t *tmp = malloc(len + 1);

	assert_non_null(tmp);
	hb_assert_buf_ok(b);
	assert_int_equal(hb_buf_len(b), len);
	assert_int_equal(hb_buf_read(b, 0, tmp, len), 0);
	if (memcmp(tmp, exp, len) != 0) {
		free(tmp);
		fail_msg("buffer content differs");
	}
	free(tmp);
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
	struct snap s;

	(void)state;
	memset(data, 0x33, sizeof(data));
	buf_build(&b, pool, 5000, 700, 1);
	assert_true(hb_buf_nb_segs(&b) >= 3);
	memset(&t, 0x5a, sizeof(t));
	memcpy(&t0, &t, sizeof(t));
	memset(&c, 0, sizeof(c));
	assert_int_equal(hb_cursor_init(&c, &b, 10), 0);
	memcpy(&c0, &c, sizeof(c));
	snap_take(&s, &b, true);

	/* NULL buffer, every call. */
	assert_int_equal(hb_buf_init(NULL, pool), -EINVAL);
	m = rte_pktmbuf_alloc(pool);
	assert_non_null(m);
	assert_int_equal(hb_buf_attach(NULL, m), -EINVAL);
	assert_int_equal(rte_mbuf_refcnt_read(m), 1);
	rte_pktmbuf_free(m);
	CHECK_NULL(&s, &b, hb_buf_detach(NULL), EINVAL);
	CHECK_RC(&s, &b, hb_buf_free(NULL), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_reserve(NULL, 0), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_reserve(NULL, 100), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_append(NULL, data, 0), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_append(NULL, data, 10), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_prepend(NULL, data, 0), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_prepend(NULL, data, 10), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_read(NULL, 0, out, 0), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_read(NULL, 0, out, 10), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_write(NULL, 0, data, 0), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_write(NULL, 0, data, 10), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_trim(NULL, 0), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_trim(NULL, 1), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_adj(NULL, 0), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_adj(NULL, 1), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_split(NULL, 0, &t), -EINVAL);
	CHECK_RAW(&t, &t0);
	CHECK_NULL(&s, &b, hb_buf_peek(NULL, 0, 1, scratch), EINVAL);
	CHECK_NULL(&s, &b, hb_buf_peek(NULL, 0, 0, scratch), EINVAL);
	CHECK_RC(&s, &b, hb_buf_iov(NULL, 0, 1, iov, 8), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_iov(NULL, 0, 1, NULL, 0), -EINVAL);
	CHECK_NULL(&s, &b, hb_buf_pool(NULL), EINVAL);
	why = NULL;
	assert_int_equal(hb_buf_check(NULL, &why), -EINVAL);
	assert_non_null(why);
	assert_int_equal(hb_buf_check(NULL, NULL), -EINVAL);
	hb_buf_dump(devnull, NULL);
	hb_buf_dump(NULL, &b);
	CHECK_RC(&s, &b, hb_cursor_init(&c, NULL, 0), -EINVAL);
	CHECK_RAW(&c, &c0);
#define T_NULL_BUF(name, type)                                                 \
	do {                                                                   \
		type __v = 0;                                                  \
		CHECK_RC(&s, &b, hb_buf_get_##name(NULL, 0, &__v), -EINVAL);   \
		CHECK_RC(&s, &b, hb_buf_put_##name(NULL, 0, __v), -EINVAL);    \
		CHECK_RC(&s, &b, hb_buf_append_##name(NULL, __v), -EINVAL);    \
	} while (0);
	FOR_EACH_INT(T_NULL_BUF)
#undef T_NULL_BUF

	/* NULL source or destination, also for zero lengths. */
	CHECK_RC(&s, &b, hb_buf_append(&b, NULL, 0), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_append(&b, NULL, 1), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_append(&b, NULL, 5000), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_prepend(&b, NULL, 0), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_prepend(&b, NULL, 1), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_prepend(&b, NULL, 5000), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_write(&b, 0, NULL, 0), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_write(&b, 0, NULL, 4), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_write(&b, 1990, NULL, 100), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_read(&b, 0, NULL, 0), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_read(&b, 0, NULL, 4), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_read(&b, 1990, NULL, 100), -EINVAL);

	/* NULL value pointer of the typed getters. */
#define T_NULL_V(name, type)                                                   \
	CHECK_RC(&s, &b, hb_buf_get_##name(&b, 0, NULL), -EINVAL);             \
	CHECK_RC(&s, &b, hb_buf_get_##name(&b, 2046, NULL), -EINVAL);
	FOR_EACH_INT(T_NULL_V)
#undef T_NULL_V

	/* Split: NULL tail, tail is the buffer itself. */
	CHECK_RC(&s, &b, hb_buf_split(&b, 10, NULL), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_split(&b, 0, NULL), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_split(&b, 5000, NULL), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_split(&b, 10, &b), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_split(&b, 0, &b), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_split(&b, 5000, &b), -EINVAL);

	/* NULL cursor. */
	CHECK_RC(&s, &b, hb_cursor_init(NULL, &b, 0), -EINVAL);
	CHECK_RC(&s, &b, hb_cursor_read(NULL, out, 1), -EINVAL);
	CHECK_RC(&s, &b, hb_cursor_read(NULL, out, 0), -EINVAL);
	CHECK_RC(&s, &b, hb_cursor_peek(NULL, out, 1), -EINVAL);
	CHECK_RC(&s, &b, hb_cursor_skip(NULL, 1), -EINVAL);
	CHECK_RC(&s, &b, hb_cursor_skip(NULL, 0), -EINVAL);
	CHECK_NULL(&s, &b, hb_cursor_pull(NULL, 1, scratch), EINVAL);
	CHECK_NULL(&s, &b, hb_cursor_pull(NULL, 0, scratch), EINVAL);
#define T_NULL_CUR(name, type)                                                 \
	do {                                                                   \
		type __v = 0;                                                  \
		CHECK_RC(&s, &b, hb_cursor_get_##name(NULL, &__v), -EINVAL);   \
		CHECK_RC(&s, &b, hb_cursor_peek_##name(NULL, &__v), -EINVAL);  \
		CHECK_RC(&s, &b, hb_cursor_get_##name(&c, NULL), -EINVAL);     \
		CHECK_RAW(&c, &c0);                                            \
		CHECK_RC(&s, &b, hb_cursor_peek_##name(&c, NULL), -EINVAL);    \
		CHECK_RAW(&c, &c0);                                            \
	} while (0);
	FOR_EACH_INT(T_NULL_CUR)
#undef T_NULL_CUR

	/* NULL destination of cursor reads: the cursor does not move. */
	CHECK_RC(&s, &b, hb_cursor_read(&c, NULL, 1), -EINVAL);
	CHECK_RAW(&c, &c0);
	CHECK_RC(&s, &b, hb_cursor_read(&c, NULL, 0), -EINVAL);
	CHECK_RAW(&c, &c0);
	CHECK_RC(&s, &b, hb_cursor_read(&c, NULL, 3000), -EINVAL);
	CHECK_RAW(&c, &c0);
	CHECK_RC(&s, &b, hb_cursor_peek(&c, NULL, 1), -EINVAL);
	CHECK_RAW(&c, &c0);

	/* The cursor is where it was and reads the right bytes. */
	assert_int_equal(hb_cursor_offset(&c), 10);
	assert_int_equal(hb_cursor_read(&c, out, 3000), 0);
	assert_memory_equal(out, ref + 10, 3000);
	snap_check(&s, &b);

	snap_free(&s);
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
		CHECK_RAW(&b, &b0);                                            \
		hb_assert_pool_at(pool, base);                                 \
	} while (0)
#define U_NULL(call, err)                                                      \
	do {                                                                   \
		rte_errno = 0;                                                 \
		p = (call);                                                    \
		assert_null(p);                                                \
		assert_int_equal(rte_errno, (err));                            \
		CHECK_RAW(&b, &b0);                                            \
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
	CHECK_RAW(&t, &t0);
	U_RC(hb_buf_split(&b, 1, &t), -EINVAL);
	CHECK_RAW(&t, &t0);
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
	CHECK_RAW(&c, &c0);
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
	CHECK_RAW(&b, &b0);

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
	CHECK_RAW(&c, &c0);
	CHECK_RAW(&e, &e0);
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
	struct snap s;

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
	snap_take(&s, &b, true);
	CHECK_RC(&s, &b, hb_buf_init(&b, NULL), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_init(&b, raw), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_init(&b, priv), -EINVAL);
	snap_free(&s);

	/* So does an uninitialised one. */
	memset(&e, 0x77, sizeof(e));
	memcpy(&e0, &e, sizeof(e));
	assert_int_equal(hb_buf_init(&e, NULL), -EINVAL);
	CHECK_RAW(&e, &e0);
	assert_int_equal(hb_buf_init(&e, raw), -EINVAL);
	CHECK_RAW(&e, &e0);
	assert_int_equal(hb_buf_init(&e, priv), -EINVAL);
	CHECK_RAW(&e, &e0);
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

struct chain_snap {
	struct rte_mbuf *seg[CH_SEGS];
	struct rte_mbuf *next[CH_SEGS];
	uint16_t nb_segs[CH_SEGS];
	uint32_t pkt_len[CH_SEGS];
	uint16_t data_len[CH_SEGS];
	uint16_t data_off[CH_SEGS];
	uint16_t refcnt[CH_SEGS];
};

static void
chain_take(struct chain_snap *cs, struct rte_mbuf *const *seg)
{
	int i;

	for (i = 0; i < CH_SEGS; i++) {
		cs->seg[i] = seg[i];
		cs->next[i] = seg[i]->next;
		cs->nb_segs[i] = seg[i]->nb_segs;
		cs->pkt_len[i] = seg[i]->pkt_len;
		cs->data_len[i] = seg[i]->data_len;
		cs->data_off[i] = seg[i]->data_off;
		cs->refcnt[i] = rte_mbuf_refcnt_read(seg[i]);
	}
}

static void
chain_check(const struct chain_snap *cs)
{
	int i;

	for (i = 0; i < CH_SEGS; i++) {
		const struct rte_mbuf *m = cs->seg[i];

		assert_ptr_equal(m->next, cs->next[i]);
		assert_int_equal(m->nb_segs, cs->nb_segs[i]);
		assert_int_equal(m->pkt_len, cs->pkt_len[i]);
		assert_int_equal(m->data_len, cs->data_len[i]);
		assert_int_equal(m->data_off, cs->data_off[i]);
		assert_int_equal(rte_mbuf_refcnt_read(m), cs->refcnt[i]);
	}
}

static void
test_attach_inconsistent(void **state)
{
	static const uint16_t seg_len[CH_SEGS] = { 100, 200, 50 };
	unsigned int base = rte_mempool_in_use_count(pool);
	struct rte_mbuf *seg[CH_SEGS], *one;
	struct chain_snap cs;
	struct hb_buf b, e;
	struct snap s;
	int i;

	(void)state;
	assert_int_equal(rte_pktmbuf_alloc_bulk(pool, seg, CH_SEGS), 0);
	for (i = 0; i < CH_SEGS; i++) {
		assert_non_null(rte_pktmbuf_append(seg[i], seg_len[i]));
		memset(rte_pktmbuf_mtod(seg[i], void *), i + 1, seg_len[i]);
		if (i > 0)
			seg[i - 1]->next = seg[i];
	}
	seg[0]->nb_segs = CH_SEGS;
	seg[0]->pkt_len = 350;
	one = rte_pktmbuf_alloc(pool);
	assert_non_null(one);
	assert_non_null(rte_pktmbuf_append(one, 10));

	/* The buffer receiving the chain holds data: it must stay intact. */
	buf_build(&b, pool, 3000, 1000, 3);
	snap_take(&s, &b, true);

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
#define BAD_ATTACH(m)                                                          \
	do {                                                                   \
		chain_take(&cs, seg);                                          \
		BAD_ADOPT(m);                                                  \
		chain_check(&cs);                                              \
	} while (0)

	CHECK_RC(&s, &b, hb_buf_attach(&b, NULL), -EINVAL);
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
	{
		const char *why = NULL;

		assert_int_equal(rte_mbuf_check(seg[0], 1, &why), 0);
	}
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
	snap_check(&s, &b);
	buf_expect(&b, ref, 3000);
	snap_free(&s);
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
range_bad(struct snap *s, struct hb_buf *b, uint32_t off, uint32_t len)
{
	struct iovec iov[64];
	uint8_t data[64];

	memset(data, 0x44, sizeof(data));
	CHECK_RC(s, b, hb_buf_read(b, off, out, len), -ERANGE);
	if (len <= sizeof(data))
		CHECK_RC(s, b, hb_buf_write(b, off, data, len), -ERANGE);
	else
		CHECK_RC(s, b, hb_buf_write(b, off, ref, len), -ERANGE);
	CHECK_NULL(s, b, hb_buf_peek(b, off, len, scratch), ERANGE);
	CHECK_NULL(s, b, hb_buf_peek(b, off, len, NULL), ERANGE);
	CHECK_RC(s, b, hb_buf_iov(b, off, len, iov, 64), -ERANGE);
	CHECK_RC(s, b, hb_buf_iov(b, off, len, NULL, 0), -ERANGE);
}

/* Typed accessors at @off must fail with -ERANGE when they pass @blen. */
static void
range_typed(struct snap *s, struct hb_buf *b, uint32_t off, uint32_t blen)
{
#define T_RANGE(name, type)                                                    \
	do {                                                                   \
		type __v = 0x5a;                                               \
		if ((uint64_t)off + sizeof(type) > blen) {                     \
			CHECK_RC(s, b, hb_buf_get_##name(b, off, &__v),        \
				 -ERANGE);                                     \
			assert_true(__v == 0x5a);                              \
			CHECK_RC(s, b, hb_buf_put_##name(b, off, __v),         \
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
	struct snap s;
	unsigned int i;

	snap_take(&s, b, true);
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
	CHECK_RC(&s, b, hb_buf_trim(b, L + 1), -ERANGE);
	CHECK_RC(&s, b, hb_buf_trim(b, UINT32_MAX), -ERANGE);
	CHECK_RC(&s, b, hb_buf_adj(b, L + 1), -ERANGE);
	CHECK_RC(&s, b, hb_buf_adj(b, UINT32_MAX), -ERANGE);
	CHECK_RC(&s, b, hb_buf_split(b, L + 1, &t), -ERANGE);
	CHECK_RAW(&t, &t0);
	CHECK_RC(&s, b, hb_buf_split(b, UINT32_MAX, &t), -ERANGE);
	CHECK_RAW(&t, &t0);

	memset(&c, 0x6b, sizeof(c));
	memcpy(&c0, &c, sizeof(c));
	CHECK_RC(&s, b, hb_cursor_init(&c, b, L + 1), -ERANGE);
	CHECK_RAW(&c, &c0);
	CHECK_RC(&s, b, hb_cursor_init(&c, b, UINT32_MAX), -ERANGE);
	CHECK_RAW(&c, &c0);

	/* The edges themselves are valid. */
	CHECK_RC(&s, b, hb_buf_read(b, L, out, 0), 0);
	CHECK_RC(&s, b, hb_buf_read(b, 0, out, L), 0);
	if (L > 0)
		assert_memory_equal(out, s.bytes, L);
	CHECK_RC(&s, b, hb_buf_iov(b, L, 0, NULL, 0), 0);
	CHECK_RC(&s, b, hb_cursor_init(&c, b, L), 0);
	assert_int_equal(hb_cursor_remaining(&c), 0);
	CHECK_RC(&s, b, hb_buf_trim(b, 0), 0);
	CHECK_RC(&s, b, hb_buf_adj(b, 0), 0);
	snap_free(&s);
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
	struct snap s;
	unsigned int i;
	int n, cnt, j;

	(void)state;
	buf_build(&b, pool, 10000, 10000, 6);
	assert_int_equal(hb_buf_reserve(&b, 5000), 0);
	snap_take(&s, &b, true);
	assert_true(hb_buf_nb_segs(&b) >= 6);

	for (i = 0; i < RTE_DIM(r); i++) {
		uint32_t got = 0;

		n = hb_buf_iov(&b, r[i].off, r[i].len, NULL, 0);
		assert_true(n >= 2);
		assert_true(n < 16);
		/* Every count below n: -ENOBUFS, nothing written past it. */
		for (cnt = 0; cnt < n; cnt++) {
			memset(iov, 0xee, sizeof(iov));
			CHECK_RC(&s, &b, hb_buf_iov(&b, r[i].off, r[i].len,
						    iov, cnt), -ENOBUFS);
			for (j = cnt; j < 16; j++) {
				assert_true(iov[j].iov_base ==
					    (void *)(uintptr_t)0xeeeeeeeeeeeeeeeeULL);
				assert_true(iov[j].iov_len ==
					    (size_t)0xeeeeeeeeeeeeeeeeULL);
			}
		}
		CHECK_RC(&s, &b, hb_buf_iov(&b, r[i].off, r[i].len, iov, n), n);
		CHECK_RC(&s, &b, hb_buf_iov(&b, r[i].off, r[i].len, iov, 16), n);
		for (j = 0; j < n; j++) {
			assert_true(iov[j].iov_len > 0);
			assert_memory_equal(iov[j].iov_base, ref + r[i].off + got,
					    iov[j].iov_len);
			got += iov[j].iov_len;
		}
		assert_int_equal(got, r[i].len);
	}
	/* Negative count; NULL vector with a count. */
	CHECK_RC(&s, &b, hb_buf_iov(&b, 0, 10, iov, -1), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_iov(&b, 0, 10, iov, INT_MIN), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_iov(&b, 0, 10, NULL, -1), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_iov(&b, 0, 0, iov, -1), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_iov(&b, 0, 10, NULL, 1), -EINVAL);
	CHECK_RC(&s, &b, hb_buf_iov(&b, 0, 0, NULL, 3), -EINVAL);
	/* Zero length: 0 entries, even with no room. */
	CHECK_RC(&s, &b, hb_buf_iov(&b, 5, 0, iov, 0), 0);
	CHECK_RC(&s, &b, hb_buf_iov(&b, 10000, 0, NULL, 0), 0);
	snap_free(&s);
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
	struct snap s;

	(void)state;
	buf_build(&b, pool, 8000, 8000, 7);
	h0 = b.head->data_len;
	assert_true(h0 < 8000);
	snap_take(&s, &b, true);

	/* Spanning a boundary: needs scratch. */
	CHECK_NULL(&s, &b, hb_buf_peek(&b, h0 - 1, 2, NULL), EINVAL);
	CHECK_NULL(&s, &b, hb_buf_peek(&b, 0, 8000, NULL), EINVAL);
	CHECK_NULL(&s, &b, hb_buf_peek(&b, h0 - 100, 4000, NULL), EINVAL);
	p = hb_buf_peek(&b, h0 - 1, 2, scratch);
	assert_ptr_equal(p, scratch);
	assert_memory_equal(p, ref + h0 - 1, 2);
	snap_check(&s, &b);
	/* Inside one segment: no scratch needed, pointer into the segment. */
	p = hb_buf_peek(&b, h0 - 2, 2, NULL);
	assert_non_null(p);
	assert_memory_equal(p, ref + h0 - 2, 2);
	p = hb_buf_peek(&b, h0, 100, NULL);
	assert_non_null(p);
	assert_memory_equal(p, ref + h0, 100);
	snap_check(&s, &b);
	/* Zero length at a valid offset: non-NULL, even without scratch. */
	assert_non_null(hb_buf_peek(&b, 0, 0, NULL));
	assert_non_null(hb_buf_peek(&b, 8000, 0, NULL));
	assert_non_null(hb_buf_peek(&b, h0, 0, NULL));
	CHECK_NULL(&s, &b, hb_buf_peek(&b, 8001, 0, NULL), ERANGE);
	snap_check(&s, &b);
	snap_free(&s);
	assert_int_equal(hb_buf_free(&b), 0);

	/* Empty buffer: offset 0 is valid, 1 is not. */
	assert_int_equal(hb_buf_init(&b, pool), 0);
	snap_take(&s, &b, true);
	rte_errno = 0;
	assert_non_null(hb_buf_peek(&b, 0, 0, scratch));
	assert_non_null(hb_buf_peek(&b, 0, 0, NULL));
	CHECK_NULL(&s, &b, hb_buf_peek(&b, 1, 0, NULL), ERANGE);
	CHECK_NULL(&s, &b, hb_buf_peek(&b, 0, 1, scratch), ERANGE);
	snap_check(&s, &b);
	snap_free(&s);
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
	struct snap s;

	(void)state;
	/* Freshly initialised. */
	assert_int_equal(hb_buf_init(&b, pool), 0);
	snap_take(&s, &b, true);
	CHECK_NULL(&s, &b, hb_buf_detach(&b), ENODATA);
	CHECK_NULL(&s, &b, hb_buf_detach(&b), ENODATA);
	snap_free(&s);
	/* Emptied by free, trim, adj, split at 0. */
	buf_build(&b, pool, 3000, 3000, 8);
	assert_int_equal(hb_buf_free(&b), 0);
	snap_take(&s, &b, true);
	CHECK_NULL(&s, &b, hb_buf_detach(&b), ENODATA);
	snap_free(&s);
	buf_build(&b, pool, 3000, 3000, 8);
	assert_int_equal(hb_buf_trim(&b, 3000), 0);
	snap_take(&s, &b, true);
	CHECK_NULL(&s, &b, hb_buf_detach(&b), ENODATA);
	snap_free(&s);
	buf_build(&b, pool, 3000, 3000, 8);
	assert_int_equal(hb_buf_adj(&b, 3000), 0);
	snap_take(&s, &b, true);
	CHECK_NULL(&s, &b, hb_buf_detach(&b), ENODATA);
	snap_free(&s);
	buf_build(&b, pool, 3000, 3000, 8);
	assert_int_equal(hb_buf_split(&b, 0, &t), 0);
	snap_take(&s, &b, true);
	CHECK_NULL(&s, &b, hb_buf_detach(&b), ENODATA);
	snap_free(&s);
	assert_int_equal(hb_buf_free(&t), 0);
	/* Detached once: the second detach finds nothing. */
	buf_build(&b, pool, 3000, 1000, 8);
	assert_int_equal(hb_buf_reserve(&b, 5000), 0);
	{
		struct rte_mbuf *m = hb_buf_detach(&b);
		const char *why = NULL;

		assert_non_null(m);
		assert_int_equal(rte_mbuf_check(m, 1, &why), 0);
		assert_int_equal(m->pkt_len, 3000);
		assert_int_equal(rte_pktmbuf_lastseg(m)->data_len != 0, 1);
		snap_take(&s, &b, true);
		CHECK_NULL(&s, &b, hb_buf_detach(&b), ENODATA);
		snap_free(&s);
		rte_pktmbuf_free(m);
	}
	hb_assert_pool_at(pool, base);
}

/* ---------------------------------------------------------------------
 * Cursor: past the end, scratch needed, stale
 */

/* Every consuming or peeking call of @len bytes fails with @err. */
static void
cursor_all_fail(struct snap *s, struct hb_buf *b, struct hb_cursor *c,
		uint32_t len, int err)
{
	struct hb_cursor c0;

	memcpy(&c0, c, sizeof(c0));
	CHECK_RC(s, b, hb_cursor_read(c, out, len), -err);
	CHECK_RAW(c, &c0);
	CHECK_RC(s, b, hb_cursor_peek(c, out, len), -err);
	CHECK_RAW(c, &c0);
	CHECK_RC(s, b, hb_cursor_skip(c, len), -err);
	CHECK_RAW(c, &c0);
	CHECK_NULL(s, b, hb_cursor_pull(c, len, scratch), err);
	CHECK_RAW(c, &c0);
	CHECK_NULL(s, b, hb_cursor_pull(c, len, NULL), err);
	CHECK_RAW(c, &c0);
}

/* Typed cursor calls fail with @err when wider than @rem (or always). */
static void
cursor_typed_fail(struct snap *s, struct hb_buf *b, struct hb_cursor *c,
		  uint32_t rem, int err)
{
	struct hb_cursor c0;

	memcpy(&c0, c, sizeof(c0));
#define T_CUR(name, type)                                                      \
	do {                                                                   \
		type __v = 0x5a;                                               \
		if (sizeof(type) > rem) {                                      \
			CHECK_RC(s, b, hb_cursor_get_##name(c, &__v), -err);   \
			CHECK_RAW(c, &c0);                                     \
			CHECK_RC(s, b, hb_cursor_peek_##name(c, &__v), -err);  \
			CHECK_RAW(c, &c0);                                     \
			assert_true(__v == 0x5a);                              \
		}                                                              \
	} while (0);
	FOR_EACH_INT(T_CUR)
#undef T_CUR
}

static void
test_cursor_end(void **state)
{
	unsigned int base = rte_mempool_in_use_count(pool);
	const uint32_t L = 5000;
	struct hb_cursor c, c0;
	const uint8_t *p;
	struct hb_buf b;
	struct snap s;
	uint32_t h0, rem;

	(void)state;
	buf_build(&b, pool, L, 700, 9);
	h0 = b.head->data_len;
	snap_take(&s, &b, true);

	/* Init past the end: -ERANGE, cursor untouched. */
	memset(&c, 0x6b, sizeof(c));
	memcpy(&c0, &c, sizeof(c));
	CHECK_RC(&s, &b, hb_cursor_init(&c, &b, L + 1), -ERANGE);
	CHECK_RAW(&c, &c0);

	/* 0..8 bytes before the end. */
	for (rem = 0; rem <= 8; rem++) {
		CHECK_RC(&s, &b, hb_cursor_init(&c, &b, L - rem), 0);
		cursor_all_fail(&s, &b, &c, rem + 1, ENODATA);
		cursor_all_fail(&s, &b, &c, rem + 1000, ENODATA);
		cursor_all_fail(&s, &b, &c, UINT32_MAX, ENODATA);
		cursor_typed_fail(&s, &b, &c, rem, ENODATA);
		assert_int_equal(hb_cursor_offset(&c), L - rem);
		assert_int_equal(hb_cursor_remaining(&c), rem);
		/* What remains is still there. */
		CHECK_RC(&s, &b, hb_cursor_read(&c, out, rem), 0);
		assert_memory_equal(out, ref + L - rem, rem);
		assert_int_equal(hb_cursor_remaining(&c), 0);
		/* At the end: zero-length calls succeed. */
		CHECK_RC(&s, &b, hb_cursor_read(&c, out, 0), 0);
		CHECK_RC(&s, &b, hb_cursor_skip(&c, 0), 0);
		assert_non_null(hb_cursor_pull(&c, 0, NULL));
		cursor_all_fail(&s, &b, &c, 1, ENODATA);
		cursor_typed_fail(&s, &b, &c, 0, ENODATA);
	}

	/* Spanning two segments without scratch: -EINVAL, no move. */
	CHECK_RC(&s, &b, hb_cursor_init(&c, &b, h0 - 2), 0);
	memcpy(&c0, &c, sizeof(c));
	CHECK_NULL(&s, &b, hb_cursor_pull(&c, 4, NULL), EINVAL);
	CHECK_RAW(&c, &c0);
	CHECK_NULL(&s, &b, hb_cursor_pull(&c, 2000, NULL), EINVAL);
	CHECK_RAW(&c, &c0);
	p = hb_cursor_pull(&c, 4, scratch);
	assert_ptr_equal(p, scratch);
	assert_memory_equal(p, ref + h0 - 2, 4);
	assert_int_equal(hb_cursor_offset(&c), h0 + 2);
	snap_check(&s, &b);
	snap_free(&s);

	/* Empty buffer. */
	assert_int_equal(hb_buf_free(&b), 0);
	snap_take(&s, &b, true);
	CHECK_RC(&s, &b, hb_cursor_init(&c, &b, 1), -ERANGE);
	CHECK_RC(&s, &b, hb_cursor_init(&c, &b, 0), 0);
	cursor_all_fail(&s, &b, &c, 1, ENODATA);
	cursor_typed_fail(&s, &b, &c, 0, ENODATA);
	assert_non_null(hb_cursor_pull(&c, 0, NULL));
	snap_free(&s);
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
test_cursor_stale(void **state)
{
	unsigned int base = rte_mempool_in_use_count(pool);
	const uint32_t L = 5000;
	struct hb_cursor c, c0;
	struct rte_mbuf *m;
	struct hb_buf b, t;
	struct snap s;
	int ch;

	(void)state;
	for (ch = 0; ch < CH_NUM; ch++) {
		buf_build(&b, pool, L, 5000, 10);
		assert_int_equal(hb_cursor_init(&c, &b, 100), 0);
		assert_int_equal(hb_cursor_read(&c, out, 10), 0);
		assert_memory_equal(out, ref + 100, 10);
		/* Growing at the end keeps the cursor valid. */
		assert_int_equal(hb_buf_append(&b, ref, 3000), 0);
		assert_int_equal(hb_buf_reserve(&b, 9000), 0);
		assert_int_equal(hb_cursor_remaining(&c), L + 3000 - 110);
		assert_int_equal(hb_cursor_skip(&c, L - 112), 0);
		assert_int_equal(hb_cursor_read(&c, out, 4), 0);
		assert_memory_equal(out, ref + L - 2, 2);
		assert_memory_equal(out + 2, ref, 2);

		m = NULL;
		switch (ch) {
		case CH_PREPEND:
			assert_int_equal(hb_buf_prepend(&b, ref, 1), 0);
			break;
		case CH_PREPEND_BIG:
			assert_int_equal(hb_buf_prepend(&b, ref, 4000), 0);
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
		snap_take(&s, &b, true);
		memcpy(&c0, &c, sizeof(c));
		cursor_all_fail(&s, &b, &c, 0, ESTALE);
		cursor_all_fail(&s, &b, &c, 1, ESTALE);
		cursor_all_fail(&s, &b, &c, UINT32_MAX, ESTALE);
		cursor_typed_fail(&s, &b, &c, 0, ESTALE);
		CHECK_RAW(&c, &c0);
		assert_int_equal(hb_cursor_remaining(&c), 0);
		/* Set up again, it works. */
		CHECK_RC(&s, &b, hb_cursor_init(&c, &b, 0), 0);
		assert_int_equal(hb_cursor_remaining(&c), hb_buf_len(&b));
		snap_free(&s);
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
	unsigned int base = rte_mempool_in_use_count(pool);
	struct hb_cursor c, c0;
	struct rte_mbuf *m;
	struct hb_buf b, t;
	struct snap s;
	int re, step;

	(void)state;
	for (re = 0; re < RE_NUM; re++) {
		for (step = 0; step < 2; step++) {
			/* Freed first, or simply overwritten. */
			buf_build(&t, pool, 3000, 3000, 13);
			assert_int_equal(hb_cursor_init(&c, &t, 10), 0);
			m = NULL;
			if (step == 0) {
				assert_int_equal(hb_buf_free(&t), 0);
			} else {
				/* Overwritten: no call saw the old chain go. */
				m = t.head;
			}
			buf_build(&b, pool, 5000, 5000, 14);
			switch (re) {
			case RE_INIT:
				assert_int_equal(hb_buf_init(&t, pool), 0);
				assert_int_equal(hb_buf_append(&t, ref, 100), 0);
				break;
			case RE_ATTACH1:
			case RE_ATTACHN:
				/* One segment: the inline attach. */
				if (re == RE_ATTACH1)
					assert_int_equal(hb_buf_trim(&b, 4000), 0);
				assert_int_equal(hb_buf_attach(&t, hb_buf_detach(&b)),
						 0);
				break;
			case RE_SPLIT:
				assert_int_equal(hb_buf_split(&b, 1000, &t), 0);
				break;
			case RE_SPLIT0:
				assert_int_equal(hb_buf_split(&b, 0, &t), 0);
				break;
			}
			snap_take(&s, &t, true);
			memcpy(&c0, &c, sizeof(c));
			cursor_all_fail(&s, &t, &c, 1, ESTALE);
			cursor_all_fail(&s, &t, &c, 0, ESTALE);
			cursor_typed_fail(&s, &t, &c, 0, ESTALE);
			CHECK_RAW(&c, &c0);
			assert_int_equal(hb_cursor_remaining(&c), 0);
			snap_free(&s);
			assert_int_equal(hb_buf_free(&t), 0);
			assert_int_equal(hb_buf_free(&b), 0);
			if (m != NULL)
				rte_pktmbuf_free(m);
			hb_assert_pool_at(pool, base);
		}
	}
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
	struct snap s;
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
	snap_take(&s, &b, true);
	CHECK_RC(&s, &b, hb_buf_reserve(&b, full + 1), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_append(&b, src, full + 1), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_prepend(&b, src, full + 1), -E2BIG);
	snap_free(&s);

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
	snap_take(&s, &b, true);
	CHECK_RC(&s, &b, hb_buf_append(&b, src, 1), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_append(&b, src, 1000), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_append_u8(&b, 1), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_append_be64(&b, 1), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_append_le32(&b, 1), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_reserve(&b, 1), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_reserve(&b, UINT32_MAX - full), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_prepend(&b, src, 1), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_prepend(&b, src, room + 1), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_reserve(&b, 0), 0);
	CHECK_RC(&s, &b, hb_buf_append(&b, src, 0), 0);
	CHECK_RC(&s, &b, hb_buf_prepend(&b, src, 0), 0);
	snap_free(&s);
	buf_expect(&b, exp, len);

	/* One segment free: two needed fails, one fits. */
	assert_int_equal(hb_buf_trim(&b, room), 0);
	len -= room;
	assert_int_equal(hb_buf_nb_segs(&b), max - 1);
	snap_take(&s, &b, true);
	CHECK_RC(&s, &b, hb_buf_append(&b, src, room + 1), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_reserve(&b, room + 1), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_prepend(&b, src, room + 1), -E2BIG);
	snap_free(&s);
	assert_int_equal(hb_buf_reserve(&b, room), 0);
	assert_int_equal(hb_buf_nb_segs(&b), max);
	snap_take(&s, &b, true);
	CHECK_RC(&s, &b, hb_buf_append(&b, src, room + 1), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_reserve(&b, room + 1), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_prepend(&b, src, 1), -E2BIG);
	snap_free(&s);
	assert_int_equal(hb_buf_append(&b, src + 7, room), 0);
	memcpy(exp + len, src + 7, room);
	len += room;
	buf_expect(&b, exp, len);

	/* Tail with room for one byte, no segment left. */
	assert_int_equal(hb_buf_trim(&b, room + 1), 0);
	len -= room + 1;
	assert_int_equal(hb_buf_nb_segs(&b), max - 1);
	assert_int_equal(hb_buf_prepend(&b, src + 3, room), 0);
	memmove(exp + room, exp, len);
	memcpy(exp, src + 3, room);
	len += room;
	assert_int_equal(hb_buf_nb_segs(&b), max);
	snap_take(&s, &b, true);
	CHECK_RC(&s, &b, hb_buf_append(&b, src, 2), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_append_be16(&b, 1), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_reserve(&b, 2), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_reserve(&b, 1), 0);
	snap_free(&s);
	assert_int_equal(hb_buf_append_u8(&b, 0x42), 0);
	exp[len++] = 0x42;
	buf_expect(&b, exp, len);

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
	struct snap s;

	(void)state;
	memset(data, 0x21, sizeof(data));
	/*
	 * The source is far shorter than the length asked: the calls must
	 * refuse before reading it (ASan would see the overflow).
	 */
	buf_build(&b, pool, 10, 10, 12);
	snap_take(&s, &b, true);
	CHECK_RC(&s, &b, hb_buf_reserve(&b, UINT32_MAX), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_reserve(&b, UINT32_MAX - 9), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_reserve(&b, UINT32_MAX - 10), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_append(&b, opaque(data), UINT32_MAX), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_append(&b, opaque(data), UINT32_MAX - 9), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_append(&b, opaque(data), UINT32_MAX - 10), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_prepend(&b, opaque(data), UINT32_MAX), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_prepend(&b, opaque(data), UINT32_MAX - 9), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_prepend(&b, opaque(data), UINT32_MAX - 10), -E2BIG);
	snap_free(&s);
	assert_int_equal(hb_buf_free(&b), 0);

	assert_int_equal(hb_buf_init(&b, pool), 0);
	snap_take(&s, &b, true);
	CHECK_RC(&s, &b, hb_buf_reserve(&b, UINT32_MAX), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_append(&b, opaque(data), UINT32_MAX), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_prepend(&b, opaque(data), UINT32_MAX), -E2BIG);
	snap_free(&s);
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
	struct snap s;
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

	snap_take(&s, &b, false);
	snap_pool(&s, clp);
	/* Growth: the segment limit, then the length limit. */
	CHECK_RC(&s, &b, hb_buf_append(&b, ref, 1), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_append(&b, ref, UINT32_MAX - L), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_append(&b, ref, UINT32_MAX - L + 1), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_append_be64(&b, 1), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_reserve(&b, 1), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_reserve(&b, UINT32_MAX - L + 1), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_reserve(&b, UINT32_MAX), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_prepend(&b, ref, 1), -E2BIG);
	CHECK_RC(&s, &b, hb_buf_prepend(&b, ref, UINT32_MAX - L + 1), -E2BIG);

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
	CHECK_RC(&s, &b, hb_buf_trim(&b, L + 1), -ERANGE);
	CHECK_RC(&s, &b, hb_buf_adj(&b, UINT32_MAX), -ERANGE);
	CHECK_RC(&s, &b, hb_buf_split(&b, L + 1, &t), -ERANGE);
	CHECK_RC(&s, &b, hb_cursor_init(&c, &b, L + 1), -ERANGE);

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
	CHECK_RC(&s, &b, hb_buf_iov(&b, 0, L, NULL, 0), (int)max);
	{
		struct iovec iov[2];

		CHECK_RC(&s, &b, hb_buf_iov(&b, L - 70000, 70000, iov, 1),
			 -ENOBUFS);
		CHECK_RC(&s, &b, hb_buf_iov(&b, L - 70000, 70000, iov, 2), 2);
	}
	/* Cursor at the very end. */
	CHECK_RC(&s, &b, hb_cursor_init(&c, &b, L - 10), 0);
	assert_int_equal(hb_cursor_read(&c, out, 10), 0);
	for (i = 0; i < 10; i++)
		assert_int_equal(out[i], big_byte(L - 10 + i));
	cursor_all_fail(&s, &b, &c, 1, ENODATA);
	cursor_all_fail(&s, &b, &c, UINT32_MAX, ENODATA);
	CHECK_RC(&s, &b, hb_cursor_init(&c, &b, 3 * BIG_SEG - 2), 0);
	assert_int_equal(hb_cursor_read(&c, out, 4), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(out[i], big_byte(3 * BIG_SEG - 2 + i));

	/* Split inside a segment needs an mbuf of the (empty) head pool. */
	assert_int_equal(rte_mempool_avail_count(bigp), 0);
	memset(&t, 0x5a, sizeof(t));
	CHECK_RC(&s, &b, hb_buf_split(&b, L - 10, &t), -ENOMEM);
	CHECK_RC(&s, &b, hb_buf_split(&b, BIG_SEG + 1, &t), -ENOMEM);
	snap_free(&s);

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
	snap_take(&s, &b, false);
	snap_pool(&s, clp);
	CHECK_RC(&s, &b, hb_buf_append(&b, out, BIG_SEG), -ENOMEM);
	CHECK_RC(&s, &b, hb_buf_append(&b, out, 1), -ENOMEM);
	CHECK_RC(&s, &b, hb_buf_prepend(&b, out, 1), -ENOMEM);
	CHECK_RC(&s, &b, hb_buf_reserve(&b, 1), -ENOMEM);
	snap_free(&s);
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
 * Room for appends the buffer has without allocating: the tail's room if
 * the tail is exclusive, and the reserved segments after it.
 */
static uint32_t
buf_room(const struct hb_buf *b)
{
	const struct rte_mbuf *m = b->tail;
	uint32_t room;

	if (m == NULL)
		return 0;
	room = RTE_MBUF_DIRECT(m) && rte_mbuf_refcnt_read(m) == 1 ?
		       rte_pktmbuf_tailroom(m) : 0;
	for (m = m->next; m != NULL; m = m->next)
		room += rte_pktmbuf_tailroom(m);
	return room;
}

/*
 * Leave k = 0, 1, ... mbufs in the pool and run @op: below some threshold
 * it must fail with -ENOMEM changing nothing (and a cursor set up before
 * must still work), from the threshold on it must succeed. Returns the
 * threshold; @room gets buf_room() of the buffer before the operation.
 */
static unsigned int
grow_exhaust(enum grow_op op, enum pre pre, uint32_t len, uint32_t *room)
{
	static uint8_t src[64 * 1024];
	unsigned int base = rte_mempool_in_use_count(small);
	unsigned int k, kmax, thr = UINT_MAX, avail;
	struct hb_cursor c;
	struct hb_buf b;
	struct snap s;
	uint32_t plen;

	assert_true(len <= sizeof(src));
	hb_test_pattern(src, len, 31);
	kmax = len / SMALL_ROOM + 3;
	for (k = 0; k <= kmax; k++) {
		int rc;

		pre_build(&b, pre);
		plen = hb_buf_len(&b);
		if (room != NULL)
			*room = buf_room(&b);
		assert_int_equal(hb_cursor_init(&c, &b, 0), 0);
		hog_leave(small, k);
		snap_take(&s, &b, true);
		rc = grow_call(&b, op, src, len);
		if (rc != 0) {
			if (rc != -ENOMEM || thr != UINT_MAX)
				fail_msg("%s pre %d len %u k %u: rc %d "
					 "(threshold %u)", grow_name[op], pre,
					 len, k, rc, thr);
			snap_check(&s, &b);
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
		snap_free(&s);
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

/* Segments needed past @room for @len more bytes. */
static uint32_t
segs_past(uint32_t len, uint32_t room)
{
	return len <= room ? 0 : div_up(len - room, SMALL_ROOM);
}

/* Append-like growth of a buffer holding segments: exactly what it needs */
static void
grow_exact(enum grow_op op, enum pre pre, uint32_t len)
{
	uint32_t room;
	unsigned int thr = grow_exhaust(op, pre, len, &room);

	if (thr != segs_past(len, room))
		fail_msg("%s pre %d len %u room %u: %u mbufs needed, "
			 "expected %u", grow_name[op], pre, len, room, thr,
			 segs_past(len, room));
}

/* Growth of an empty buffer: the segments for the bytes, maybe one more */
static void
grow_empty(enum grow_op op, uint32_t len)
{
	unsigned int thr = grow_exhaust(op, PRE_EMPTY, len, NULL);

	assert_true(thr >= div_up(len, SMALL_ROOM));
	assert_true(thr <= div_up(len, SMALL_ROOM) + 1);
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
	struct hb_cursor c;
	uint32_t at, cut, n_enomem = 0;
	struct snap s;
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
	snap_take(&s, &b, true);
	memset(&t, 0x5a, sizeof(t));
	memcpy(&t0, &t, sizeof(t));
	for (at = 1; at < len; at += 7) {
		if (is_boundary(&b, at))
			continue;
		CHECK_RC(&s, &b, hb_buf_split(&b, at, &t), -ENOMEM);
		CHECK_RAW(&t, &t0);
		n_enomem++;
	}
	assert_true(n_enomem > 2000);
	snap_check(&s, &b);
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
	snap_free(&s);
	hog_release();
	hb_assert_pool_at(small, base);

	/* Short buffers of every kind, pool empty, cut inside a segment. */
	for (pre = PRE_DATA; pre < PRE_NUM; pre++) {
		uint32_t plen;

		pre_build(&b, pre);
		plen = hb_buf_len(&b);
		hog_leave(small, 0);
		snap_take(&s, &b, true);
		memset(&t, 0x5a, sizeof(t));
		memcpy(&t0, &t, sizeof(t));
		for (at = 1; at < plen; at++) {
			if (is_boundary(&b, at))
				continue;
			CHECK_RC(&s, &b, hb_buf_split(&b, at, &t), -ENOMEM);
			CHECK_RAW(&t, &t0);
		}
		/* One mbuf is enough. */
		snap_free(&s);
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
	struct snap s;

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
	snap_take(&s, &b, true);
	snap_pool(&s, pool);
	/* Growth cannot take segments from it: -ENOMEM, not a crash. */
	CHECK_RC(&s, &b, hb_buf_append(&b, ref, 1), -ENOMEM);
	CHECK_RC(&s, &b, hb_buf_append(&b, ref, 1000), -ENOMEM);
	CHECK_RC(&s, &b, hb_buf_append_le16(&b, 7), -ENOMEM);
	CHECK_RC(&s, &b, hb_buf_prepend(&b, ref, 1), -ENOMEM);
	CHECK_RC(&s, &b, hb_buf_prepend(&b, ref, 1000), -ENOMEM);
	CHECK_RC(&s, &b, hb_buf_reserve(&b, 1), -ENOMEM);
	CHECK_RC(&s, &b, hb_buf_reserve(&b, 0), 0);
	snap_free(&s);
	/* Everything else works. */
	buf_expect(&b, ref, 1000);
	assert_int_equal(hb_buf_split(&b, 400, &t), 0);
	assert_int_equal(hb_buf_adj(&t, 100), 0);
	assert_int_equal(hb_buf_trim(&b, 100), 0);
	buf_expect(&b, ref, 300);
	buf_expect(&t, ref + 500, 500);
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
		cmocka_unit_test_teardown(test_cursor_end, cleanup),
		cmocka_unit_test_teardown(test_cursor_stale, cleanup),
		cmocka_unit_test_teardown(test_cursor_reuse, cleanup),
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
