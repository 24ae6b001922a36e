/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_MODEL_H
#define HB_MODEL_H

/*
 * The flat byte model of a buffer, for the differential tests: what a
 * buffer must hold, kept in a plain array by the simplest possible code,
 * and how many mbufs a growing call must take, worked out from the chain
 * by hand (never from the buffer's caches). Plus the seven typed integers
 * of the API (u8, be16 ... le64) by index: a reference encoding and one
 * signature per call family.
 *
 * Plain C, no CMocka: test_buf_random.c and the libFuzzer target
 * fuzz_ops.c share it, each asserting in its own dialect.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "hyperbuf.h"

struct hb_model {
	uint8_t *ref;	/* the bytes the buffer must hold */
	uint32_t len;	/* how many */
	uint32_t cap;	/* room in ref */
};

/* An empty model with room for @cap bytes. Returns 0 or -ENOMEM. */
int hb_model_init(struct hb_model *m, uint32_t cap);

/* Release what @m holds. */
void hb_model_fini(struct hb_model *m);

/*
 * The updates. Those that add bytes return false, changing nothing, when
 * @m has no room for them (a test that asked too much, or a buffer that
 * grew more than it was asked to).
 */
bool hb_model_append(struct hb_model *m, const void *p, uint32_t n)
	__attribute__((warn_unused_result));
bool hb_model_prepend(struct hb_model *m, const void *p, uint32_t n)
	__attribute__((warn_unused_result));
/* Zeros up to @to bytes (a growing write visit); nothing if as long. */
bool hb_model_grow(struct hb_model *m, uint32_t to)
	__attribute__((warn_unused_result));
/* [@off, @off + @n) is inside the model; @p may point into it. */
void hb_model_write(struct hb_model *m, uint32_t off, const void *p,
		    uint32_t n);
/* Drop @n <= len bytes at the end, or at the front. */
void hb_model_trim(struct hb_model *m, uint32_t n);
void hb_model_adj(struct hb_model *m, uint32_t n);
/* @tail gets [@at, len) in place of its bytes; @m keeps [0, @at). */
bool hb_model_split(struct hb_model *m, uint32_t at, struct hb_model *tail)
	__attribute__((warn_unused_result));
/* @dst holds what @src holds. */
bool hb_model_copy(struct hb_model *dst, const struct hb_model *src)
	__attribute__((warn_unused_result));

/* Is [@off, @off + @len) inside @blen bytes? */
static inline bool
hb_range_ok(uint32_t blen, uint32_t off, uint32_t len)
{
	return off <= blen && len <= blen - off;
}

/*
 * Where the chain at @head (a buffer's, or a detached one) departs from
 * @m, walked segment by segment: -1 if its segments hold exactly the bytes
 * of @m, else the offset of the first byte that differs or that one of
 * them lacks. Does not look at nb_segs or pkt_len.
 */
int64_t hb_model_chain_diff(const struct hb_model *m,
			    const struct rte_mbuf *head);

/*
 * Segments a growing call takes, between lo and hi, counted over the
 * buffer's own pool and the growth classes' pools together (compare with
 * hb_test_in_use()-style totals).
 *
 * The growth policy is read with hb_growth_get(); the segment sizes are
 * worked out here from its documented rule (struct hb_growth in
 * hb_buf.h, docs/guide.md "Growth policy"), never asked of the library,
 * for the default classes (4, 8, 16, 32 KiB, 65535 bytes: pools given
 * with hb_growth_pool_add() must have those data rooms). lo is what the
 * call takes when every class it wants has a segment free; when classes
 * run dry, smaller ones serve, finally the buffer's own pool: up to hi
 * segments, hi being what the own pool alone would give (so hi is also
 * the most the own pool is asked for: -ENOMEM needs fewer than hi free
 * there). With growth off (max_seg at or below the pool's data room),
 * lo == hi.
 */
struct hb_need {
	uint32_t lo, hi;
};

/* May HyperBuf put bytes into @m's head- or tailroom (direct, refcnt 1)? */
bool hb_model_seg_excl(const struct rte_mbuf *m);

/*
 * Bytes @b takes at its end without allocating: the room after its last
 * segment holding data (if exclusive) and in the exclusive segments after
 * it (reserved ones).
 */
uint32_t hb_model_room(const struct hb_buf *b);

/*
 * What appending (or reserving, or growing a write visit by) @n bytes to
 * @b takes: the segments past its room. The first segment of an empty
 * buffer keeps RTE_PKTMBUF_HEADROOM when its data room is larger.
 */
struct hb_need hb_model_need_append(const struct hb_buf *b, uint64_t n);

/* Prepending: none into an exclusive head's headroom, else segments. */
struct hb_need hb_model_need_prepend(const struct hb_buf *b, uint32_t n);

/* Splitting at @at: an indirect mbuf if the cut is inside a segment. */
struct hb_need hb_model_need_split(const struct hb_buf *b, uint32_t at);

/*
 * What hb_buf_concat(@dst, @src) does to the segments, worked out from
 * the chains (an adopted chain's tail need not be known yet): @segs the
 * segments of @dst after the call, @freed the mbufs it frees (@dst's
 * reserved segments, or all of @src's when @src holds segments but no
 * byte), @room what hb_model_room() of @dst is then (@src's room when its
 * segments move), @too_big set when the call must fail with -E2BIG.
 */
struct hb_join {
	uint32_t segs;
	uint32_t freed;
	uint32_t room;
	bool too_big;
};

struct hb_join hb_model_concat(const struct hb_buf *dst,
			       const struct hb_buf *src);

/* The typed integers, in this order. */
enum hb_int {
	HB_INT_U8,
	HB_INT_BE16,
	HB_INT_BE32,
	HB_INT_BE64,
	HB_INT_LE16,
	HB_INT_LE32,
	HB_INT_LE64,
	HB_INT_NUM
};

struct hb_int_desc {
	const char *name;	/* "u8", "be16", ... */
	unsigned int size;	/* bytes */
	bool be;		/* big-endian */
};

extern const struct hb_int_desc hb_ints[HB_INT_NUM];

/* The value of type @t stored at @p, assembled byte by byte. */
uint64_t hb_int_decode(const uint8_t *p, enum hb_int t);

/* Store the low bytes of @v at @p as type @t. */
void hb_int_encode(uint8_t *p, uint64_t v, enum hb_int t);

/* @v cut to the width of @t. */
uint64_t hb_int_mask(uint64_t v, enum hb_int t);

/*
 * hb_buf_get_<t>(), hb_buf_put_<t>(), hb_buf_append_<t>(),
 * hb_cursor_get_<t>() (@consume) or hb_cursor_peek_<t>() with one
 * signature. A NULL @v is passed on as NULL; where the call does not
 * write its value, *@v keeps its own (cut to the width of @t).
 */
int hb_int_get(const struct hb_buf *b, enum hb_int t, uint32_t off,
	       uint64_t *v);
int hb_int_put(struct hb_buf *b, enum hb_int t, uint32_t off, uint64_t v);
int hb_int_append(struct hb_buf *b, enum hb_int t, uint64_t v);
int hb_int_cursor(struct hb_cursor *c, enum hb_int t, bool consume,
		  uint64_t *v);

#endif /* HB_MODEL_H */
