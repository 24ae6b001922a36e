/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_BENCH_BASELINES_H
#define HB_BENCH_BASELINES_H

/*
 * The hand-written baselines' building blocks: a realloc-doubling vector
 * (vec), the expert mbuf chain with its tail kept by hand (xbuf) and its
 * (segment, offset) read cursor (xcur), a hand-written segment index for
 * random reads (xidx), a write-back across segments and a packet gather.
 *
 * Everything a timed loop calls is static here, the rare cases included
 * (static __rte_noinline, __rte_unused as not every file calls each):
 * each workload file gets the code a user would get with these helpers
 * in their own file, rare-case calls that the compiler specialises and
 * whose registers it knows, as when the bench was one file. Only what is
 * never timed (building the index, gathering a packet for a check) is out
 * of line, in baselines.c.
 */

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_reciprocal.h>

#include "hb_bench.h"

/*
 * vec: the C byte vector a user writes (the seed's "std vec"): malloc'ed,
 * grown by realloc to twice its capacity (at least 64 bytes).
 */
struct vec {
	uint8_t *p;
	size_t len;
	size_t cap;
};

static __rte_noinline __rte_unused int
vec_grow(struct vec *v, size_t need)
{
	size_t cap = RTE_MAX(RTE_MAX(v->cap * 2, need), (size_t)64);
	uint8_t *p = realloc(v->p, cap);

	if (p == NULL)
		return -ENOMEM;
	v->p = p;
	v->cap = cap;
	return 0;
}

static inline int
vec_append(struct vec *v, const void *src, size_t n)
{
	if (unlikely(v->cap - v->len < n) && vec_grow(v, v->len + n) != 0)
		return -ENOMEM;
	memcpy(v->p + v->len, src, n);
	v->len += n;
	return 0;
}

static inline void
vec_free(struct vec *v)
{
	free(v->p);
	v->p = NULL;
	v->len = 0;
	v->cap = 0;
}

/*
 * xbuf: the hand-tuned mbuf chain ("raw-mbuf expert"). The tail segment is
 * kept by hand, so an append is O(1); the chain stays a valid packet after
 * every append (the contract HyperBuf keeps too). New segments use their
 * whole data room (data_off 0) except the head, which keeps its headroom,
 * exactly the layout HyperBuf builds. The expert knows it owns every
 * segment, so it checks no reference count.
 */
struct xbuf {
	struct rte_mbuf *head;
	struct rte_mbuf *tail;
};

static __rte_noinline __rte_unused int
xbuf_append_slow(struct xbuf *x, const void *src, uint32_t len)
{
	const char *p = src;

	for (;;) {
		struct rte_mbuf *t = x->tail, *m;
		uint32_t n = 0;

		if (t != NULL) {
			n = RTE_MIN(len, (uint32_t)rte_pktmbuf_tailroom(t));
			memcpy(rte_pktmbuf_mtod_offset(t, char *, t->data_len),
			       p, n);
			t->data_len = (uint16_t)(t->data_len + n);
			x->head->pkt_len += n;
			p += n;
			len -= n;
		}
		if (len == 0)
			return 0;
		m = rte_pktmbuf_alloc(pool);
		if (m == NULL)
			return -ENOMEM;
		if (t == NULL) {
			x->head = m;
		} else {
			m->data_off = 0;
			t->next = m;
			x->head->nb_segs++;
		}
		x->tail = m;
	}
}

static inline int
xbuf_append(struct xbuf *x, const void *src, uint32_t len)
{
	struct rte_mbuf *t = x->tail;

	if (likely(t != NULL &&
		   len <= (uint32_t)(t->buf_len - t->data_off - t->data_len))) {
		memcpy(rte_pktmbuf_mtod_offset(t, char *, t->data_len), src,
		       len);
		t->data_len = (uint16_t)(t->data_len + len);
		x->head->pkt_len += len;
		return 0;
	}
	return xbuf_append_slow(x, src, len);
}

/* Expert read cursor: (segment, offset in segment). */
struct xcur {
	const struct rte_mbuf *seg;
	uint32_t rel;
};

static __rte_noinline __rte_unused void
xcur_read_slow(struct xcur *c, void *dst, uint32_t len)
{
	char *d = dst;

	while (len > 0) {
		uint32_t n;

		if (c->rel == c->seg->data_len) {
			c->seg = c->seg->next;
			c->rel = 0;
		}
		n = RTE_MIN(len, c->seg->data_len - c->rel);
		memcpy(d, rte_pktmbuf_mtod_offset(c->seg, const char *, c->rel),
		       n);
		d += n;
		len -= n;
		c->rel += n;
	}
}

/* The caller knows [cursor, +len) is inside the chain. */
static inline void
xcur_read(struct xcur *c, void *dst, uint32_t len)
{
	const struct rte_mbuf *m = c->seg;

	if (likely(c->rel + len <= m->data_len)) {
		memcpy(dst, rte_pktmbuf_mtod_offset(m, const char *, c->rel),
		       len);
		c->rel += len;
		return;
	}
	xcur_read_slow(c, dst, len);
}

/*
 * Expert segment index for random reads: per segment its data pointer,
 * logical start and length, 16 bytes each. Lookup by arithmetic when the
 * middle segments have one length (what appends build; exact division by
 * DPDK's rte_reciprocal, no divide instruction), else by binary search.
 */
struct xseg {
	const char *data;
	uint32_t start;
	uint32_t len;
};

struct xidx {
	struct xseg *s;
	uint32_t n;
	uint32_t first_len;	/* length of segment 0 */
	uint32_t mid_len;	/* length of segments 1..n-2; 0: not uniform */
	struct rte_reciprocal rdiv;
};

/* Build @x for the chain @head; 0 or -ENOMEM (baselines.c). */
int xidx_build(struct xidx *x, const struct rte_mbuf *head);

static inline uint32_t
xidx_find(const struct xidx *x, uint32_t off)
{
	uint32_t lo, len;

	if (likely(x->mid_len != 0))
		return off < x->first_len ? 0 :
			1 + rte_reciprocal_divide(off - x->first_len, x->rdiv);
	lo = 0;
	len = x->n;
	while (len > 1) {
		uint32_t half = len / 2;

		if (x->s[lo + half].start <= off)
			lo += half;
		len -= half;
	}
	return lo;
}

static __rte_noinline __rte_unused void
xidx_read_span(const struct xidx *x, uint32_t i, uint32_t rel, void *dst,
	       uint32_t len)
{
	char *d = dst;

	while (len > 0) {
		uint32_t n = RTE_MIN(len, x->s[i].len - rel);

		memcpy(d, x->s[i].data + rel, n);
		d += n;
		len -= n;
		rel = 0;
		i++;
	}
}

static inline void
xidx_read(const struct xidx *x, uint32_t off, void *dst, uint32_t len)
{
	uint32_t i = xidx_find(x, off);
	uint32_t rel = off - x->s[i].start;

	if (likely(rel + len <= x->s[i].len)) {
		memcpy(dst, x->s[i].data + rel, len);
		return;
	}
	xidx_read_span(x, i, rel, dst, len);
}

/* Write @len bytes at @off of a chain, across segments (hand written). */
static inline void
mbuf_write_back(struct rte_mbuf *m, uint32_t off, const void *src,
		uint32_t len)
{
	const char *p = src;

	while (off >= m->data_len) {
		off -= m->data_len;
		m = m->next;
	}
	while (len > 0) {
		uint32_t n = RTE_MIN(len, (uint32_t)m->data_len - off);

		memcpy(rte_pktmbuf_mtod_offset(m, char *, off), p, n);
		p += n;
		len -= n;
		off = 0;
		m = m->next;
	}
}

/* Gather a whole packet into @dst; returns its length (baselines.c). */
uint32_t pkt_gather(const struct rte_mbuf *m, uint8_t *dst);

#endif /* HB_BENCH_BASELINES_H */
