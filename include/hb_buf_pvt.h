/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_BUF_PVT_H
#define HB_BUF_PVT_H

/**
 * @file
 * @internal Inline internals of hb_buf.h. Do not include this file
 * directly; include hb_buf.h (or hyperbuf.h).
 */

#ifndef HB_BUF_H
#error "do not include hb_buf_pvt.h directly, include hb_buf.h"
#endif

#include <stdalign.h>
#include <assert.h>

#include <rte_per_lcore.h>
#include <rte_reciprocal.h>

/** @internal "HBUF": marks an initialised struct hb_buf. */
#define __HB_BUF_MAGIC UINT32_C(0x48425546)

/*
 * struct hb_buf.state: the magic in the high 32 bits, the local visitor
 * guard in the low 32 bits. One 64-bit compare tells a mutating fast path
 * that the buffer is initialised, local and free of visitors.
 */
/** @internal guard: the buffer is shared, its visitor state is in b->sh */
#define __HB_GUARD_SHARED (UINT32_C(1) << 31)
/** @internal guard: a write visitor is live */
#define __HB_GUARD_WRITER (UINT32_C(1) << 30)
/** @internal guard: number of live read visitors */
#define __HB_GUARD_READERS (__HB_GUARD_WRITER - 1)
/** @internal state of an initialised local buffer with no visitor */
#define __HB_STATE_IDLE ((uint64_t)__HB_BUF_MAGIC << 32)

static_assert(sizeof(struct hb_buf) == RTE_CACHE_LINE_SIZE,
	      "struct hb_buf must fit in one cache line");

/**
 * @internal true if @p b is not NULL and initialised (hb_buf_init() or
 * hb_buf_attach() set its magic): the entry check of every call.
 */
static inline bool
__hb_buf_magic_ok(const struct hb_buf *b)
{
	return b != NULL && (uint32_t)(b->state >> 32) == __HB_BUF_MAGIC;
}

/** @internal true if @p state allows reading: initialised, local, no writer */
static inline bool
__hb_state_readable(uint64_t state)
{
	return (state & ~(uint64_t)__HB_GUARD_READERS) == __HB_STATE_IDLE;
}

/**
 * @internal true if nobody else can see the bytes of @p m's buffer outside
 * its data: a direct mbuf with refcnt 1. Only then may HyperBuf put new
 * bytes into its headroom or tailroom (the slow paths also accept an
 * external buffer with both reference counts at 1).
 */
static inline bool
__hb_seg_exclusive(const struct rte_mbuf *m)
{
	return RTE_MBUF_DIRECT(m) && rte_mbuf_refcnt_read(m) == 1;
}

/**
 * @internal Layout generation of a buffer: in the high 16 bits the epoch of
 * this thread when the buffer's life began (hb_buf_init(), hb_buf_attach(),
 * a split into it), in the low 16 bits a count of layout changes in that
 * life. hb_cursor_init() advances the thread's epoch, so a cursor taken on
 * one life of a buffer never sees its generation again in a later life
 * begun on the same thread (until 65536 cursors later): it reports
 * -ESTALE. Beginning a life reads the thread-local epoch and writes
 * nothing: no store-to-load chain from one packet's attach to the next.
 */
RTE_DECLARE_PER_LCORE(uint32_t, __hb_epoch);

/** @internal The generation after a layout change of a buffer at @p cur. */
static inline uint32_t
__hb_gen_next(uint32_t cur)
{
	return (cur & UINT32_C(0xffff0000)) | ((cur + 1) & UINT32_C(0xffff));
}

/**
 * @internal An entry of the segment index: a segment's data pointer and
 * logical start, side by side (one cache line serves a lookup).
 */
struct hb_idx_ent {
	char *ptr;	/**< rte_pktmbuf_mtod() of the segment */
	uint32_t start;	/**< its logical offset */
	uint32_t rsvd;	/**< zero */
};

/**
 * @internal Segment index of a long chain (built by the library on first
 * random access): for each segment from head to tail, its logical start,
 * its data pointer and its mbuf. Random reads and writes find their
 * segment inline from the stride of the middle segments (exact for chains
 * of equal segments, e.g. received packets), without touching an mbuf.
 */
struct hb_idx {
	uint32_t n;		     /**< live entries */
	uint32_t cap;		     /**< entries allocated */
	uint32_t valid;		     /**< 0: rebuild before use */
	uint32_t stride;	     /**< e[2].start - e[1].start; 0: no guess */
	struct rte_reciprocal recip; /**< divides by stride */
	struct hb_idx_ent *e;	     /**< the entries */
	struct rte_mbuf **seg;	     /**< the segments */
};

/**
 * @internal Pointer to [@p off, @p off + @p len) if it lies in one segment
 * past the head that the segment index finds by its stride, else NULL.
 */
static inline char *
__hb_idx_direct(const struct hb_buf *b, uint32_t off, uint32_t len)
{
	const struct hb_idx *x = b->idx;
	const struct hb_idx_ent *e;
	uint32_t g, end;

	/* stride is 0 while the index is invalid or too short to guess. */
	if (x->stride == 0 || off < x->e[1].start)
		return NULL;
	g = 1 + rte_reciprocal_divide(off - x->e[1].start, x->recip);
	if (g >= x->n)
		return NULL;
	e = &x->e[g];
	end = g + 1 < x->n ? e[1].start : b->head->pkt_len;
	if (off < e->start || (uint64_t)off + len > end)
		return NULL;
	return e->ptr + (off - e->start);
}

/**
 * @internal Pointer to [@p off, @p off + @p len) if it lies in a segment
 * the index finds at once (random access of a long chain), or in the
 * cached segment (sequential access); else NULL (slow path).
 */
static inline char *
__hb_buf_direct(const struct hb_buf *b, uint32_t off, uint32_t len)
{
	const struct rte_mbuf *m = b->pos_seg;
	uint32_t rel = off - b->pos_off;
	char *p;

	if (b->idx != NULL && (p = __hb_idx_direct(b, off, len)) != NULL)
		return p;
	if (likely(m != NULL && (uint64_t)rel + len <= m->data_len))
		return rte_pktmbuf_mtod_offset(m, char *, rel);
	return NULL;
}

/** @internal Initialise @p b empty with pool @p mp. */
static inline void
__hb_buf_reset(struct hb_buf *b, struct rte_mempool *mp)
{
	b->head = NULL;
	b->tail = NULL;
	b->pos_seg = NULL;
	b->pos_off = 0;
	b->gen = RTE_PER_LCORE(__hb_epoch) << 16;
	b->state = __HB_STATE_IDLE;
	b->mp = mp;
	b->idx = NULL;
	b->sh = NULL;
}

/**
 * @internal Is the chain of @p b known to be consistent, so that a call may
 * use it beyond the head? Yes once checked (its tail found); an adopted
 * chain of one segment is checked here, in the head alone (nb_segs,
 * data_len against pkt_len, next), as its first use would: the tail and
 * pool are then known. Else false: the caller takes the slow path, which
 * checks a longer adopted chain.
 */
static inline bool
__hb_buf_chain_ok(struct hb_buf *b, struct rte_mbuf *h)
{
	if (likely(b->tail != NULL))
		return true;
	if (h->nb_segs != 1 || h->data_len != h->pkt_len || h->next != NULL)
		return false;
	b->tail = h;
	b->mp = h->pool;
	return true;
}

/* Out-of-line slow paths ("rare case") of the inline calls. */

/** @internal Slow path of hb_buf_free(). */
int __hb_buf_free(struct hb_buf *b);
/** @internal Slow path of hb_buf_concat(). */
int __hb_buf_concat(struct hb_buf *dst, struct hb_buf *src);
/** @internal Slow path of hb_buf_adj(). */
int __hb_buf_adj(struct hb_buf *b, uint32_t len);
/** @internal Slow path of hb_buf_prepend(). */
int __hb_buf_prepend(struct hb_buf *b, const void *src, uint32_t len);
/** @internal Slow path of hb_buf_detach(). */
struct rte_mbuf *__hb_buf_detach(struct hb_buf *b);
/** @internal Slow path of hb_buf_append(). */
int __hb_buf_append(struct hb_buf *b, const void *src, uint32_t len);
/** @internal Slow path of hb_buf_read(). */
int __hb_buf_read(const struct hb_buf *b, uint32_t off, void *dst,
		  uint32_t len);
/** @internal Slow path of hb_buf_write(). */
int __hb_buf_write(struct hb_buf *b, uint32_t off, const void *src,
		   uint32_t len);
/** @internal Slow path of hb_buf_peek(). */
const void *__hb_buf_peek(const struct hb_buf *b, uint32_t off, uint32_t len,
			  void *scratch);

#endif /* HB_BUF_PVT_H */
