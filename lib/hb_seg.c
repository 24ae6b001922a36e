/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * Segments of a buffer's chain: allocation, the segment index, lookup and
 * copies (hb_seg.h says what each does and who may update the caches).
 */

#include <errno.h>
#include <string.h>

#include <rte_malloc.h>
#include <rte_reciprocal.h>

#include "hb_seg.h"

/* Bulk gets are done in pieces of this many mbufs. */
#define HB_ALLOC_BURST 32

int
hb_seg_list_alloc(struct rte_mempool *mp, uint32_t n, struct rte_mbuf **first,
		  struct rte_mbuf **last)
{
	struct rte_mbuf *burst[HB_ALLOC_BURST];
	struct rte_mbuf *head = NULL, *prev = NULL;
	uint32_t done = 0;

	while (done < n) {
		uint32_t k = RTE_MIN(n - done, (uint32_t)HB_ALLOC_BURST);
		uint32_t i;

		if (rte_pktmbuf_alloc_bulk(mp, burst, k) != 0) {
			hb_seg_list_free(head);
			return -ENOMEM;
		}
		for (i = 0; i < k; i++) {
			burst[i]->data_off = 0;
			if (prev == NULL)
				head = burst[i];
			else
				prev->next = burst[i];
			prev = burst[i];
		}
		done += k;
	}
	HB_STAT_ADD(segs_alloc, n);
	*first = head;
	*last = prev;
	return 0;
}

void
hb_seg_move_meta(struct rte_mbuf *dst, const struct rte_mbuf *src)
{
	const uint64_t own = RTE_MBUF_F_INDIRECT | RTE_MBUF_F_EXTERNAL;

	if (dst == src)
		return;
	dst->ol_flags = (dst->ol_flags & own) | (src->ol_flags & ~own);
	dst->port = src->port;
	dst->packet_type = src->packet_type;
	dst->hash = src->hash;
	dst->vlan_tci = src->vlan_tci;
	dst->vlan_tci_outer = src->vlan_tci_outer;
	dst->tx_offload = src->tx_offload;
	rte_mbuf_dynfield_copy(dst, src);
}

/* ---------------------------------------------------------------------
 * Segment index and lookup
 */

void
__hb_idx_free(struct hb_buf *b)
{
	rte_free(b->idx);
	b->idx = NULL;
}

/* Set the inline guess from the entries (after they changed). */
static void
idx_stride(struct hb_idx *x)
{
	uint32_t stride = x->valid && x->n > 2 ? x->start[2] - x->start[1] : 0;

	if (stride != x->stride) {
		x->stride = stride;
		if (stride != 0)
			x->recip = rte_reciprocal_value(stride);
	}
}

/* Make room for @want entries; false (index dropped) if memory is short. */
static bool
idx_grow(struct hb_buf *b, uint32_t want)
{
	struct hb_idx *old = b->idx, *x;
	uint32_t cap = old != NULL ? old->cap : 0;
	size_t sz;

	if (want <= cap)
		return true;
	cap = RTE_MAX(RTE_MAX(cap * 2, want), (uint32_t)HB_IDX_MIN_SEGS * 2);
	sz = sizeof(*x) + (size_t)cap * (sizeof(uint32_t) + 2 * sizeof(void *));
	x = rte_malloc_socket("hb_idx", sz, RTE_CACHE_LINE_SIZE,
			      b->mp != NULL ? b->mp->socket_id : SOCKET_ID_ANY);
	if (x == NULL) {
		__hb_idx_free(b);
		return false;
	}
	x->seg = (struct rte_mbuf **)(x + 1);
	x->ptr = (char **)(x->seg + cap);
	x->start = (uint32_t *)(x->ptr + cap);
	x->cap = cap;
	x->stride = 0;
	if (old != NULL && old->valid) {
		x->n = old->n;
		x->valid = 1;
		memcpy(x->seg, old->seg, old->n * sizeof(*x->seg));
		memcpy(x->ptr, old->ptr, old->n * sizeof(*x->ptr));
		memcpy(x->start, old->start, old->n * sizeof(*x->start));
		idx_stride(x);
	} else {
		x->n = 0;
		x->valid = 0;
	}
	rte_free(old);
	b->idx = x;
	return true;
}

void
__hb_idx_push(struct hb_buf *b, struct rte_mbuf *m, uint32_t start)
{
	struct hb_idx *x = b->idx;

	if (x->n == x->cap && !idx_grow(b, x->n + 1))
		return;
	x = b->idx;
	x->seg[x->n] = m;
	x->ptr[x->n] = rte_pktmbuf_mtod(m, char *);
	x->start[x->n] = start;
	x->n++;
	if (x->n == 3)
		idx_stride(x);
}

void
__hb_idx_cut(struct hb_buf *b, uint32_t end)
{
	struct hb_idx *x = b->idx;

	while (x->n > 1 && x->start[x->n - 1] >= end)
		x->n--;
	idx_stride(x);
}

static bool idx_build(struct hb_buf *b);

void
hb_idx_prepare(struct hb_buf *b)
{
	if (b->head != NULL && b->head->nb_segs >= HB_IDX_MIN_SEGS &&
	    (b->idx == NULL || !b->idx->valid))
		(void)idx_build(b);
}

static bool
idx_build(struct hb_buf *b)
{
	struct rte_mbuf *m;
	struct hb_idx *x;
	uint32_t off = 0, i = 0;

	if (!idx_grow(b, b->head->nb_segs))
		return false;
	x = b->idx;
	for (m = b->head;; m = m->next) {
		x->seg[i] = m;
		x->ptr[i] = rte_pktmbuf_mtod(m, char *);
		x->start[i] = off;
		off += m->data_len;
		i++;
		if (m == b->tail)
			break;
	}
	x->n = i;
	x->valid = 1;
	idx_stride(x);
	HB_STAT_ADD(idx_builds, 1);
	return true;
}

/* Entry holding @off in a valid index; @off < buffer length. */
static uint32_t
idx_lookup(const struct hb_idx *x, uint32_t off)
{
	const uint32_t *st = x->start;
	uint32_t n = x->n, lo, len;

	/*
	 * Guess from the length of the second segment: exact for chains of
	 * equal middle segments (what appends build).
	 */
	if (x->stride != 0) {
		uint32_t g = off < st[1] ? 0 :
			1 + rte_reciprocal_divide(off - st[1], x->recip);

		if (g < n && st[g] <= off && (g + 1 == n || off < st[g + 1]))
			return g;
	}
	/* Largest i with st[i] <= off (empty segments share a start). */
	lo = 0;
	len = n;
	while (len > 1) {
		uint32_t half = len / 2;

		if (st[lo + half] <= off)
			lo += half;
		len -= half;
	}
	return lo;
}

struct rte_mbuf *
hb_seg_find_ord(const struct hb_buf *b, uint32_t off, uint32_t *start,
		uint32_t *ord, struct hb_buf *cache)
{
	struct rte_mbuf *m;
	uint32_t s, n = 0, steps = 0;

	HB_ASSERT(off < b->head->pkt_len);
	HB_ASSERT(cache == NULL || cache == b);
	if (ord == NULL) {
		/* The tail: everything after it is empty. */
		s = b->head->pkt_len - b->tail->data_len;
		if (off >= s) {
			m = b->tail;
			goto found;
		}
		/*
		 * Sequential use: a step or two on from the cached position.
		 * Only when @off is that close (judged by the cached segment's
		 * length): random use must not touch unrelated segments.
		 */
		m = b->pos_seg;
		if (m != NULL && off >= b->pos_off &&
		    off - b->pos_off < (uint32_t)m->data_len * HB_WALK_SEQ) {
			s = b->pos_off;
			while (off - s >= m->data_len && steps++ < HB_WALK_SEQ) {
				s += m->data_len;
				m = m->next;
			}
			if (off - s < m->data_len)
				goto found;
		}
	}
	/*
	 * Near the head (a split cutting packets off the front, a trim at a
	 * small offset): a short walk from it, so that no index is built for
	 * a buffer used that way.
	 */
	m = b->head;
	s = 0;
	while (off - s >= m->data_len && n < HB_WALK_HEAD) {
		s += m->data_len;
		m = m->next;
		n++;
	}
	if (off - s < m->data_len)
		goto found;
	/* Long chains: the segment index, never a long walk. */
	if (b->head->nb_segs >= HB_IDX_MIN_SEGS &&
	    ((b->idx != NULL && b->idx->valid) ||
	     (cache != NULL && idx_build(cache)))) {
		n = idx_lookup(b->idx, off);
		m = b->idx->seg[n];
		s = b->idx->start[n];
		goto found;
	}
	while (off - s >= m->data_len) {
		s += m->data_len;
		m = m->next;
		n++;
	}
found:
	if (cache != NULL) {
		cache->pos_seg = m;
		cache->pos_off = s;
	}
	*start = s;
	if (ord != NULL)
		*ord = n;
	return m;
}

void
hb_seg_copy(struct rte_mbuf *m, uint32_t start, uint32_t rel, void *buf,
	    uint32_t len, bool to_buf, struct hb_buf *cache)
{
	char *p = buf;

	for (;;) {
		uint32_t n = RTE_MIN((uint32_t)m->data_len - rel, len);
		char *d = rte_pktmbuf_mtod_offset(m, char *, rel);

		if (to_buf)
			memcpy(p, d, n);
		else
			memcpy(d, p, n);
		p += n;
		len -= n;
		if (len == 0)
			break;
		start += m->data_len;
		m = m->next;
		rel = 0;
	}
	if (cache != NULL) {
		cache->pos_seg = m;
		cache->pos_off = start;
	}
}

int
hb_seg_chain_check(const struct rte_mbuf *m, const struct rte_mbuf **last_data)
{
	const struct rte_mbuf *s;
	uint32_t nb = 0, len = 0;

	if (m->nb_segs == 0)
		return -EINVAL;
	*last_data = m;
	for (s = m; s != NULL; s = s->next) {
		if (++nb > RTE_MBUF_MAX_NB_SEGS)
			return -EINVAL;
		len += s->data_len;
		if (len < s->data_len)
			return -EINVAL;
		if (s->data_len != 0)
			*last_data = s;
	}
	return nb == m->nb_segs && len == m->pkt_len ? 0 : -EINVAL;
}

