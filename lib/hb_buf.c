/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_malloc.h>

#include "hb_private.h"

RTE_LOG_REGISTER(hb_logtype, lib.hyperbuf, NOTICE);

RTE_DEFINE_PER_LCORE(uint32_t, __hb_gen);

/*
 * Invariants of a buffer holding segments (checked by hb_buf_check()):
 *  - head..NULL is a valid mbuf chain: head->nb_segs segments whose data_len
 *    add up to head->pkt_len;
 *  - tail is in the chain; segments after it are empty, exclusive segments
 *    taken by hb_buf_reserve() ("reserved"); tail holds data unless the
 *    whole buffer is empty, in which case tail == head;
 *  - pos_seg is in the chain and pos_off is its logical offset;
 *  - a valid index lists head..tail with their logical offsets.
 * An empty buffer (head == NULL) has tail, pos_seg and idx NULL.
 */

/* Bulk gets are done in pieces of this many mbufs. */
#define HB_ALLOC_BURST 32

/* ---------------------------------------------------------------------
 * Entry checks
 */

/*
 * Mutating call: initialised, no visitor. A shared buffer is taken
 * exclusively for the length of the call (never waiting: -EBUSY).
 */
static int
buf_mut_enter(struct hb_buf *b)
{
	if (unlikely(!hb_buf_magic_ok(b)))
		return -EINVAL;
	if (likely((uint32_t)b->state == 0))
		return hb_buf_resolve(b);
	if ((uint32_t)b->state == __HB_GUARD_SHARED) {
		/* Shared buffers are for lcores (EAL or registered) only. */
		if (rte_lcore_id() >= RTE_MAX_LCORE)
			return -ENOTSUP;
		return hb_shared_enter(b, true, 0, true);
	}
	return -EBUSY;
}

static void
buf_mut_exit(struct hb_buf *b)
{
	if (b->state & __HB_GUARD_SHARED)
		hb_shared_exit(b, true, 0);
}

/* Body of a mutating call: @expr (an int) runs with @b entered. */
#define BUF_MUT_CALL(b, expr)                                                  \
	do {                                                                   \
		int __rc = buf_mut_enter(b);                                   \
		if (__rc == 0) {                                               \
			__rc = (expr);                                         \
			buf_mut_exit(b);                                       \
		}                                                              \
		return __rc;                                                   \
	} while (0)

/*
 * Reading call: initialised, no write visitor. A shared buffer is held as a
 * reader, counted on lcore *id, for the length of the call.
 */
int
hb_buf_read_enter(const struct hb_buf *b, unsigned int *id)
{
	if (unlikely(!hb_buf_magic_ok(b)))
		return -EINVAL;
	if (likely(__hb_state_readable(b->state)))
		return hb_buf_resolve(b);
	if ((uint32_t)b->state == __HB_GUARD_SHARED) {
		*id = rte_lcore_id();
		if (*id >= RTE_MAX_LCORE)
			return -ENOTSUP;
		return hb_shared_enter((struct hb_buf *)(uintptr_t)b, false,
				       *id, true);
	}
	return -EBUSY;
}

void
hb_buf_read_exit(const struct hb_buf *b, unsigned int id)
{
	if (b->state & __HB_GUARD_SHARED)
		hb_shared_exit((struct hb_buf *)(uintptr_t)b, false, id);
}

/*
 * May this call update the position cache and the segment index? Yes on a
 * local buffer; on a shared one only when holding it exclusively (readers
 * of a shared buffer run concurrently and only read them).
 */
static bool
buf_caches_writable(const struct hb_buf *b)
{
	return (b->state & __HB_GUARD_SHARED) == 0 || hb_shared_writing(b);
}

/* ---------------------------------------------------------------------
 * Segments
 */

/* May HyperBuf put bytes outside @m's data (headroom, tailroom)? */
static bool
seg_exclusive(const struct rte_mbuf *m)
{
	if (__hb_seg_exclusive(m))
		return true;
	/* An external buffer nobody else references. */
	return RTE_MBUF_HAS_EXTBUF(m) && !RTE_MBUF_CLONED(m) &&
	       rte_mbuf_refcnt_read(m) == 1 &&
	       rte_mbuf_ext_refcnt_read(m->shinfo) == 1;
}

static uint32_t
seg_tailroom(const struct rte_mbuf *m)
{
	return seg_exclusive(m) ? rte_pktmbuf_tailroom(m) : 0;
}

/* Bytes a fresh segment of @mp holds (data_off 0). */
static uint32_t
pool_seg_cap(struct rte_mempool *mp)
{
	return rte_pktmbuf_data_room_size(mp);
}

/* Free a list of segments linked through next (nb_segs not consistent). */
static void
seg_list_free(struct rte_mbuf *m)
{
	if (m != NULL)
		rte_pktmbuf_free_bulk(&m, 1);
}

/*
 * Take @n segments from @mp, linked through next, reset, data_off 0.
 * All or nothing: on failure every segment taken is back in the pool.
 */
static int
seg_list_alloc(struct rte_mempool *mp, uint32_t n, struct rte_mbuf **first,
	       struct rte_mbuf **last)
{
	struct rte_mbuf *burst[HB_ALLOC_BURST];
	struct rte_mbuf *head = NULL, *prev = NULL;
	uint32_t done = 0;

	while (done < n) {
		uint32_t k = RTE_MIN(n - done, (uint32_t)HB_ALLOC_BURST);
		uint32_t i;

		if (rte_pktmbuf_alloc_bulk(mp, burst, k) != 0) {
			seg_list_free(head);
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

/*
 * Copy the packet-level metadata of @src onto @dst, which becomes the head.
 * The attachment flags of @dst (indirect, external) are its own.
 */
static void
seg_move_meta(struct rte_mbuf *dst, const struct rte_mbuf *src)
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
hb_idx_free(struct hb_buf *b)
{
	if (b->idx == NULL)
		return;
	rte_free(b->idx);
	b->idx = NULL;
}

static void
idx_invalidate(struct hb_buf *b)
{
	if (b->idx != NULL) {
		b->idx->valid = 0;
		b->idx->stride = 0; /* no inline guess either */
	}
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
		hb_idx_free(b);
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

/* Add @m, starting at logical offset @start, after the last entry. */
static void
idx_push(struct hb_buf *b, struct rte_mbuf *m, uint32_t start)
{
	struct hb_idx *x = b->idx;

	if (x == NULL || !x->valid)
		return;
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

/* Drop the entries of segments starting at or after @end. */
static void
idx_cut(struct hb_buf *b, uint32_t end)
{
	struct hb_idx *x = b->idx;

	if (x == NULL || !x->valid)
		return;
	while (x->n > 1 && x->start[x->n - 1] >= end)
		x->n--;
	idx_stride(x);
}

static bool idx_build(struct hb_buf *b);

void
hb_buf_index(struct hb_buf *b)
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

/*
 * Find the segment holding byte @off (off < length) and its logical start;
 * @ord (if not NULL) gets its position in the chain.
 * Local buffers remember the result in the position cache (a cache, hence
 * the cast: reading calls take a const buffer).
 */
static struct rte_mbuf *
seg_find_ord(const struct hb_buf *b, uint32_t off, uint32_t *start,
	     uint32_t *ord)
{
	struct hb_buf *wb = (struct hb_buf *)(uintptr_t)b;
	struct rte_mbuf *m;
	uint32_t s, n = 0, steps = 0;

	HB_ASSERT(off < b->head->pkt_len);
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
	     (buf_caches_writable(b) && idx_build(wb)))) {
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
	if (buf_caches_writable(b)) {
		wb->pos_seg = m;
		wb->pos_off = s;
	}
	*start = s;
	if (ord != NULL)
		*ord = n;
	return m;
}

struct rte_mbuf *
hb_seg_find(const struct hb_buf *b, uint32_t off, uint32_t *start)
{
	return seg_find_ord(b, off, start, NULL);
}

/*
 * Copy between a flat buffer and [rel in @m, +len) of the chain, across as
 * many segments as needed. Leaves the position cache on the last segment.
 */
void
hb_seg_copy(const struct hb_buf *b, struct rte_mbuf *m, uint32_t start,
	    uint32_t rel, void *buf, uint32_t len, bool to_buf)
{
	struct hb_buf *wb = (struct hb_buf *)(uintptr_t)b;
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
	if (buf_caches_writable(b)) {
		wb->pos_seg = m;
		wb->pos_off = start;
	}
}

/* Is [off, off+len) inside a buffer of @blen bytes? (overflow-safe) */
static bool
range_ok(uint32_t blen, uint32_t off, uint32_t len)
{
	return off <= blen && len <= blen - off;
}

/* Offsets moved or segments went away: caches and cursors are stale. */
static void
buf_layout_changed(struct hb_buf *b)
{
	b->gen = __hb_gen_next(b->gen);
	b->pos_seg = b->head;
	b->pos_off = 0;
}

/* Forget the chain (already freed or handed over); keep pool and state. */
static void
buf_make_empty(struct hb_buf *b)
{
	hb_idx_free(b);
	b->head = NULL;
	b->tail = NULL;
	buf_layout_changed(b);
}

/* ---------------------------------------------------------------------
 * Life cycle
 */

int
hb_buf_init(struct hb_buf *b, struct rte_mempool *mp)
{
	if (b == NULL || mp == NULL ||
	    mp->private_data_size < sizeof(struct rte_pktmbuf_pool_private) ||
	    rte_pktmbuf_data_room_size(mp) == 0)
		return -EINVAL;
	__hb_buf_reset(b, mp);
	return 0;
}

/*
 * Check an adopted chain: consistent nb_segs and pkt_len, no loop. Sets
 * *last_data to its last segment holding data (the head if none does).
 */
static int
chain_check(const struct rte_mbuf *m, const struct rte_mbuf **last_data)
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

/*
 * hb_buf_attach() reads nothing from the chain (a forwarding loop that
 * only attaches and detaches never touches the mbuf); the first call that
 * needs more than the head segment's data checks the chain and finds its
 * tail here. -EINVAL (nothing changed) for an inconsistent chain: it can
 * still be detached (handed back as given) or freed.
 */
static int
buf_resolve(struct hb_buf *b)
{
	const struct rte_mbuf *last;

	if (chain_check(b->head, &last) != 0)
		return -EINVAL;
	/*
	 * Only caches are set: trailing empty segments stay, as reserved
	 * capacity (appends use those not shared; detach frees those left).
	 */
	b->tail = (struct rte_mbuf *)(uintptr_t)last;
	b->mp = b->head->pool;
	HB_BUF_VERIFY(b);
	return 0;
}

int
hb_buf_resolve(const struct hb_buf *b)
{
	if (likely(b->tail != NULL || b->head == NULL))
		return 0;
	return buf_resolve((struct hb_buf *)(uintptr_t)b);
}

/*
 * Teardown calls (free, detach) start by making a shared buffer local:
 * queued requests complete with -ECANCELED, live visitors make it -EBUSY.
 */
static int
buf_teardown_enter(struct hb_buf *b)
{
	int rc;

	if (!hb_buf_magic_ok(b))
		return -EINVAL;
	if ((b->state & __HB_GUARD_SHARED) != 0) {
		rc = hb_buf_unshare(b);
		if (rc != 0)
			return rc;
	}
	/* No chain check: an inconsistent chain can still be handed back. */
	return (uint32_t)b->state == 0 ? 0 : -EBUSY;
}

struct rte_mbuf *
__hb_buf_detach(struct hb_buf *b)
{
	struct rte_mbuf *h, *extra, *s;
	int rc;

	if (hb_buf_magic_ok(b) && b->head == NULL) {
		rte_errno = ENODATA;
		return NULL;
	}
	rc = buf_teardown_enter(b);
	if (rc != 0) {
		rte_errno = -rc;
		return NULL;
	}
	h = b->head;
	if (b->mp == NULL)
		b->mp = h->pool;
	/* Never checked (tail unknown): handed back exactly as adopted. */
	extra = b->tail != NULL ? b->tail->next : NULL;
	if (extra != NULL) {
		b->tail->next = NULL;
		for (s = extra; s != NULL; s = s->next)
			h->nb_segs--;
		seg_list_free(extra);
	}
	buf_make_empty(b);
	return h;
}

/* Free every segment; the buffer stays initialised (and shared, if so). */
static void
buf_drop_all(struct hb_buf *b)
{
	if (b->head != NULL) {
		if (b->mp == NULL) /* adopted, never used: keep its pool */
			b->mp = b->head->pool;
		/* One segment: the inline free, not the bulk machinery. */
		if (b->head->next == NULL)
			rte_pktmbuf_free_seg(b->head);
		else
			rte_pktmbuf_free_bulk(&b->head, 1);
	}
	buf_make_empty(b);
}

int
hb_buf_free(struct hb_buf *b)
{
	int rc = buf_teardown_enter(b);

	if (rc != 0)
		return rc;
	buf_drop_all(b);
	return 0;
}

/* ---------------------------------------------------------------------
 * Growing at the end
 */

/* Capacity after the tail: its tailroom and the reserved segments. */
static uint64_t
buf_capacity(const struct hb_buf *b, struct rte_mbuf **last)
{
	struct rte_mbuf *m = b->tail;
	uint64_t cap = seg_tailroom(m);

	while (m->next != NULL) {
		m = m->next;
		cap += seg_tailroom(m); /* an adopted one may be shared */
	}
	*last = m;
	return cap;
}

/*
 * Take the segments needed for @need more bytes past the current capacity
 * (all of it when the buffer holds no segment) and chain them at the end,
 * empty. All or nothing.
 */
static int
buf_grow(struct hb_buf *b, uint64_t need, struct rte_mbuf *last)
{
	struct rte_mempool *mp = b->mp;
	uint32_t cap = pool_seg_cap(mp), nb = 0;
	struct rte_mbuf *first, *end;
	uint64_t first_cap = cap, n;
	int rc;

	/* A pool of clones (adopted chain): its mbufs hold no bytes. */
	if (cap == 0)
		return -ENOMEM;
	if (b->head == NULL) {
		/* The head keeps the pool's headroom for later prepends. */
		first_cap = cap - RTE_MIN((uint32_t)RTE_PKTMBUF_HEADROOM, cap);
		if (first_cap == 0)
			first_cap = cap;
	} else {
		nb = b->head->nb_segs;
	}
	n = 1;
	if (need > first_cap)
		n += (need - first_cap + cap - 1) / cap;
	if (nb + n > RTE_MBUF_MAX_NB_SEGS)
		return -E2BIG;
	rc = seg_list_alloc(mp, (uint32_t)n, &first, &end);
	if (rc != 0)
		return rc;
	if (b->head == NULL) {
		first->data_off = (uint16_t)(cap - first_cap);
		first->nb_segs = (uint16_t)n;
		first->pkt_len = 0;
		b->head = first;
		b->tail = first;
		b->pos_seg = first;
		b->pos_off = 0;
	} else {
		last->next = first;
		b->head->nb_segs = (uint16_t)(nb + n);
	}
	return 0;
}

/* Make sure @len more bytes fit after the tail (all or nothing). */
static int
buf_make_room(struct hb_buf *b, uint32_t len)
{
	struct rte_mbuf *last = NULL;
	uint64_t have = 0;

	if (len > UINT32_MAX - hb_buf_len(b))
		return -E2BIG;
	HB_ASSERT(b->mp != NULL);
	if (b->head != NULL)
		have = buf_capacity(b, &last);
	if (have >= len)
		return 0;
	return buf_grow(b, len - have, last);
}

/*
 * Add @len bytes from @src (zeros if NULL) after the tail: the room is
 * there (buf_make_room()), so nothing here can fail.
 */
static void
buf_fill(struct hb_buf *b, const void *src, uint32_t len)
{
	struct rte_mbuf *m = b->tail;
	const char *p = src;
	uint32_t start = b->head->pkt_len - m->data_len;

	b->head->pkt_len += len;
	for (;;) {
		uint32_t n = RTE_MIN(seg_tailroom(m), len);
		char *d = rte_pktmbuf_mtod_offset(m, char *, m->data_len);

		if (p != NULL) {
			memcpy(d, p, n);
			p += n;
		} else {
			memset(d, 0, n);
		}
		m->data_len = (uint16_t)(m->data_len + n);
		len -= n;
		if (len == 0)
			break;
		start += m->data_len;
		m = m->next;
		idx_push(b, m, start);
	}
	b->tail = m;
}

static int
buf_append(struct hb_buf *b, const void *src, uint32_t len)
{
	int rc;

	if (len == 0)
		return 0;
	rc = buf_make_room(b, len);
	if (rc != 0)
		return rc;
	buf_fill(b, src, len);
	HB_BUF_VERIFY(b);
	return 0;
}

/*
 * The common growth of an append, without the general machinery: the
 * bytes fill the tail's room and one new segment (or the first segment of
 * an empty buffer). Returns 1 when the case is not this one (no reserved
 * segment, one segment enough): the general path then runs.
 */
static int
buf_append_one(struct hb_buf *b, const void *src, uint32_t len)
{
	struct rte_mbuf *t = b->tail, *h = b->head, *m;
	const char *p = src;
	uint32_t room;

	if (h == NULL) {
		m = rte_pktmbuf_alloc(b->mp);
		if (m == NULL)
			return -ENOMEM;
		if (len > rte_pktmbuf_tailroom(m)) {
			rte_pktmbuf_free_seg(m);
			return 1;
		}
		HB_STAT_ADD(segs_alloc, 1);
		memcpy(rte_pktmbuf_mtod(m, char *), p, len);
		m->data_len = (uint16_t)len;
		m->pkt_len = len;
		b->head = m;
		b->tail = m;
		b->pos_seg = m;
		b->pos_off = 0;
		return 0;
	}
	if (t->next != NULL || h->nb_segs >= RTE_MBUF_MAX_NB_SEGS ||
	    len > UINT32_MAX - h->pkt_len)
		return 1;
	room = seg_tailroom(t);
	if (len <= room || len - room > pool_seg_cap(b->mp))
		return 1;
	m = rte_pktmbuf_alloc(b->mp);
	if (m == NULL)
		return -ENOMEM;
	HB_STAT_ADD(segs_alloc, 1);
	m->data_off = 0;
	memcpy(rte_pktmbuf_mtod_offset(t, char *, t->data_len), p, room);
	t->data_len = (uint16_t)(t->data_len + room);
	memcpy(rte_pktmbuf_mtod(m, char *), p + room, len - room);
	m->data_len = (uint16_t)(len - room);
	t->next = m;
	h->nb_segs++;
	idx_push(b, m, h->pkt_len + room);
	h->pkt_len += len;
	b->tail = m;
	return 0;
}

int
hb_buf_append_held(struct hb_buf *b, const void *src, uint32_t len)
{
	int rc = len != 0 ? buf_append_one(b, src, len) : 0;

	return rc > 0 ? buf_append(b, src, len) : rc;
}

uint32_t
hb_buf_tail_room(const struct hb_buf *b, char **p)
{
	struct rte_mbuf *t = b->tail;
	uint32_t room;

	if (t == NULL)
		return 0;
	room = seg_tailroom(t);
	/* Never past the 32-bit length. */
	room = RTE_MIN(room, UINT32_MAX - b->head->pkt_len);
	*p = rte_pktmbuf_mtod_offset(t, char *, t->data_len);
	return room;
}

int
__hb_buf_append(struct hb_buf *b, const void *src, uint32_t len)
{
	if (src == NULL)
		return -EINVAL;
	BUF_MUT_CALL(b, hb_buf_append_held(b, src, len));
}

int
hb_buf_grow_zero(struct hb_buf *b, uint32_t len, struct hb_grow_undo *u)
{
	struct rte_mbuf *m;
	int rc;

	u->head = b->head;
	if (b->head != NULL) {
		u->len = b->head->pkt_len;
		u->nb_segs = b->head->nb_segs;
		u->tail = b->tail;
		u->tail_len = b->tail->data_len;
		for (m = b->tail; m->next != NULL; m = m->next)
			;
		u->last = m;
	}
	rc = buf_make_room(b, len);
	if (rc != 0)
		return rc;
	buf_fill(b, NULL, len);
	HB_BUF_VERIFY(b);
	return 0;
}

void
hb_buf_grow_undo(struct hb_buf *b, const struct hb_grow_undo *u)
{
	struct rte_mbuf *m;

	if (u->head == NULL) {
		seg_list_free(b->head);
		hb_idx_free(b);
		b->head = NULL;
		b->tail = NULL;
		b->pos_seg = NULL;
		b->pos_off = 0;
		return;
	}
	/* Segments taken by the growth go back; reserved ones empty again. */
	seg_list_free(u->last->next);
	u->last->next = NULL;
	for (m = u->tail->next; m != NULL; m = m->next)
		m->data_len = 0;
	u->tail->data_len = u->tail_len;
	b->head->pkt_len = u->len;
	b->head->nb_segs = u->nb_segs;
	b->tail = u->tail;
	idx_cut(b, u->len);
	/* The position cache may name a segment just freed. */
	b->pos_seg = b->head;
	b->pos_off = 0;
	HB_BUF_VERIFY(b);
}

int
hb_buf_reserve(struct hb_buf *b, uint32_t additional)
{
	BUF_MUT_CALL(b, additional != 0 ? buf_make_room(b, additional) : 0);
}

/* ---------------------------------------------------------------------
 * Growing at the front
 */

static int
buf_prepend(struct hb_buf *b, const void *src, uint32_t len)
{
	struct rte_mbuf *h, *first, *last, *m;
	const char *p = src;
	uint32_t cap, n, chunk;
	uint64_t nsegs;
	int rc;

	if (len == 0)
		return 0;
	h = b->head;
	if (h == NULL || h->pkt_len == 0) /* same thing as appending */
		return buf_append(b, src, len);
	if (len > UINT32_MAX - h->pkt_len)
		return -E2BIG;

	if (seg_exclusive(h) && rte_pktmbuf_headroom(h) >= len) {
		h->data_off = (uint16_t)(h->data_off - len);
		h->data_len = (uint16_t)(h->data_len + len);
		h->pkt_len += len;
		memcpy(rte_pktmbuf_mtod(h, char *), src, len);
		goto done;
	}

	/* New head segment(s), the bytes at their end, none in the old head. */
	cap = pool_seg_cap(b->mp);
	if (cap == 0) /* a pool of clones: its mbufs hold no bytes */
		return -ENOMEM;
	nsegs = ((uint64_t)len + cap - 1) / cap; /* len + cap may wrap */
	if (h->nb_segs + nsegs > RTE_MBUF_MAX_NB_SEGS)
		return -E2BIG;
	n = (uint32_t)nsegs;
	rc = seg_list_alloc(b->mp, n, &first, &last);
	if (rc != 0)
		return rc;
	chunk = len - (n - 1) * cap;
	for (m = first; m != h; m = m->next) {
		m->data_off = (uint16_t)(cap - chunk);
		m->data_len = (uint16_t)chunk;
		memcpy(rte_pktmbuf_mtod(m, char *), p, chunk);
		p += chunk;
		chunk = cap;
		if (m == last)
			last->next = h;
	}
	seg_move_meta(first, h);
	first->nb_segs = (uint16_t)(h->nb_segs + n);
	first->pkt_len = h->pkt_len + len;
	b->head = first;
done:
	idx_invalidate(b);
	buf_layout_changed(b);
	HB_BUF_VERIFY(b);
	return 0;
}

int
hb_buf_prepend(struct hb_buf *b, const void *src, uint32_t len)
{
	if (src == NULL)
		return -EINVAL;
	BUF_MUT_CALL(b, buf_prepend(b, src, len));
}

/* ---------------------------------------------------------------------
 * Pullup
 */

/*
 * Move the next @need bytes after @d's data into @d's tailroom (the caller
 * checked it holds them), from the segments that follow; those left empty
 * are unlinked and freed (reserved segments after the tail are not
 * reached: the bytes run out before them).
 */
static void
pull_into(struct hb_buf *b, struct rte_mbuf *d, uint32_t need)
{
	while (need > 0) {
		struct rte_mbuf *s = d->next;
		uint32_t k = RTE_MIN(need, (uint32_t)s->data_len);

		memcpy(rte_pktmbuf_mtod_offset(d, char *, d->data_len),
		       rte_pktmbuf_mtod(s, char *), k);
		d->data_len = (uint16_t)(d->data_len + k);
		s->data_off = (uint16_t)(s->data_off + k);
		s->data_len = (uint16_t)(s->data_len - k);
		need -= k;
		if (s->data_len == 0) {
			d->next = s->next;
			s->next = NULL;
			b->head->nb_segs--;
			if (b->tail == s)
				b->tail = d;
			rte_pktmbuf_free_seg(s);
		}
	}
}

static int
buf_pullup(struct hb_buf *b, uint32_t off, uint32_t len)
{
	struct rte_mbuf *m, *n;
	uint32_t start, rel, cap, k;

	if (!range_ok(hb_buf_len(b), off, len))
		return -ERANGE;
	if (len == 0)
		return 0;
	m = hb_seg_find(b, off, &start);
	rel = off - start;
	if ((uint64_t)rel + len <= m->data_len)
		return 0;

	if (seg_exclusive(m) &&
	    rte_pktmbuf_tailroom(m) >= rel + len - m->data_len) {
		k = rel + len - m->data_len;
		pull_into(b, m, k);
		goto done;
	}

	/* A new segment for the range: m keeps [start, off). */
	cap = pool_seg_cap(b->mp);
	if (cap == 0)
		return -ENOMEM;
	if (len > cap)
		return -E2BIG;
	n = rte_pktmbuf_alloc(b->mp);
	if (n == NULL)
		return -ENOMEM;
	HB_STAT_ADD(segs_alloc, 1);
	/* Keep headroom for prepends when the range may become the head. */
	n->data_off = (uint16_t)RTE_MIN((uint32_t)RTE_PKTMBUF_HEADROOM,
					cap - len);
	k = m->data_len - rel;
	memcpy(rte_pktmbuf_mtod(n, char *),
	       rte_pktmbuf_mtod_offset(m, char *, rel), k);
	n->data_len = (uint16_t)k;
	m->data_len = (uint16_t)rel;
	n->next = m->next;
	m->next = n;
	b->head->nb_segs++;
	pull_into(b, n, len - k);
	if (rel == 0 && m == b->head) {
		/* The old head is empty: n takes its place. */
		seg_move_meta(n, m);
		n->pkt_len = m->pkt_len;
		n->nb_segs = (uint16_t)(m->nb_segs - 1);
		b->head = n;
		m->next = NULL;
		rte_pktmbuf_free_seg(m);
	}
	k = len;
done:
	HB_STAT_ADD(pullups, 1);
	HB_STAT_ADD(pullup_bytes, k);
	idx_invalidate(b);
	buf_layout_changed(b);
	HB_BUF_VERIFY(b);
	return 0;
}

int
hb_buf_pullup(struct hb_buf *b, uint32_t off, uint32_t len)
{
	BUF_MUT_CALL(b, buf_pullup(b, off, len));
}

/* ---------------------------------------------------------------------
 * Reading and writing in place
 */

/* Copy [off, off+len) out of the buffer (to_buf) or into it. */
static int
buf_copy(const struct hb_buf *b, uint32_t off, void *buf, uint32_t len,
	 bool to_buf)
{
	struct rte_mbuf *m;
	uint32_t start;

	if (!range_ok(hb_buf_len(b), off, len))
		return -ERANGE;
	if (len == 0)
		return 0;
	m = hb_seg_find(b, off, &start);
	hb_seg_copy(b, m, start, off - start, buf, len, to_buf);
	return 0;
}

int
__hb_buf_read(const struct hb_buf *b, uint32_t off, void *dst, uint32_t len)
{
	unsigned int id = 0;
	int rc;

	if (dst == NULL)
		return -EINVAL;
	rc = hb_buf_read_enter(b, &id);
	if (rc != 0)
		return rc;
	rc = buf_copy(b, off, dst, len, true);
	hb_buf_read_exit(b, id);
	return rc;
}

int
__hb_buf_write(struct hb_buf *b, uint32_t off, const void *src, uint32_t len)
{
	if (src == NULL)
		return -EINVAL;
	BUF_MUT_CALL(b, buf_copy(b, off, (void *)(uintptr_t)src, len, false));
}

const void *
hb_buf_peek_held(const struct hb_buf *b, uint32_t off, uint32_t len,
		 void *scratch)
{
	struct rte_mbuf *m;
	uint32_t start;

	if (!range_ok(hb_buf_len(b), off, len)) {
		rte_errno = ERANGE;
		return NULL;
	}
	if (len == 0) {
		/* Nothing to read: any non-NULL pointer will do. */
		if (scratch != NULL)
			return scratch;
		if (b->head != NULL)
			return rte_pktmbuf_mtod(b->head, const void *);
		/* Empty buffer, offset 0: still a valid, non-NULL answer. */
		return b;
	}
	m = hb_seg_find(b, off, &start);
	if ((uint64_t)off - start + len <= m->data_len)
		return rte_pktmbuf_mtod_offset(m, const char *, off - start);
	if (scratch == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	hb_seg_copy(b, m, start, off - start, scratch, len, true);
	return scratch;
}

const void *
__hb_buf_peek(const struct hb_buf *b, uint32_t off, uint32_t len,
	      void *scratch)
{
	const void *p;
	unsigned int id = 0;
	int rc = hb_buf_read_enter(b, &id);

	if (rc != 0) {
		rte_errno = -rc;
		return NULL;
	}
	p = hb_buf_peek_held(b, off, len, scratch);
	hb_buf_read_exit(b, id);
	return p;
}

static int
buf_iov(const struct hb_buf *b, uint32_t off, uint32_t len, struct iovec *iov,
	int iovcnt)
{
	struct rte_mbuf *m;
	uint32_t start, rel;
	int used = 0;

	if (iovcnt < 0 || (iov == NULL && iovcnt != 0))
		return -EINVAL;
	if (!range_ok(hb_buf_len(b), off, len))
		return -ERANGE;
	if (len == 0)
		return 0;
	m = hb_seg_find(b, off, &start);
	rel = off - start;
	while (len > 0) {
		uint32_t n = RTE_MIN((uint32_t)m->data_len - rel, len);

		if (n > 0) {
			if (iov != NULL) {
				if (used == iovcnt)
					return -ENOBUFS;
				iov[used].iov_base =
					rte_pktmbuf_mtod_offset(m, char *, rel);
				iov[used].iov_len = n;
			}
			used++;
			len -= n;
		}
		m = m->next;
		rel = 0;
	}
	return used;
}

int
hb_buf_iov(const struct hb_buf *b, uint32_t off, uint32_t len,
	   struct iovec *iov, int iovcnt)
{
	unsigned int id = 0;
	int rc = hb_buf_read_enter(b, &id);

	if (rc != 0)
		return rc;
	rc = buf_iov(b, off, len, iov, iovcnt);
	hb_buf_read_exit(b, id);
	return rc;
}

/* ---------------------------------------------------------------------
 * Shrinking
 */

static int
buf_trim(struct hb_buf *b, uint32_t len)
{
	struct rte_mbuf *m, *extra, *s;

	uint32_t blen, keep, start;
	blen = hb_buf_len(b);
	if (len > blen)
		return -ERANGE;
	if (len == 0)
		return 0;
	keep = blen - len;
	if (keep == 0) {
		buf_drop_all(b);
		return 0;
	}

	m = hb_seg_find(b, keep - 1, &start);
	m->data_len = (uint16_t)(keep - start);
	extra = m->next;
	m->next = NULL;
	for (s = extra; s != NULL; s = s->next)
		b->head->nb_segs--;
	seg_list_free(extra);
	b->head->pkt_len = keep;
	b->tail = m;
	idx_cut(b, keep);
	buf_layout_changed(b);
	HB_BUF_VERIFY(b);
	return 0;
}

int
hb_buf_trim(struct hb_buf *b, uint32_t len)
{
	BUF_MUT_CALL(b, buf_trim(b, len));
}

static int
buf_adj(struct hb_buf *b, uint32_t len)
{
	struct rte_mbuf *h, *m;

	uint32_t blen, rem;
	uint16_t nb;
	blen = hb_buf_len(b);
	if (len > blen)
		return -ERANGE;
	if (len == 0)
		return 0;
	if (len == blen) {
		buf_drop_all(b);
		return 0;
	}

	/* Find the first segment that keeps bytes. */
	h = b->head;
	nb = h->nb_segs;
	rem = len;
	for (m = h; rem >= m->data_len; m = m->next) {
		rem -= m->data_len;
		nb--;
	}
	m->data_off = (uint16_t)(m->data_off + rem);
	m->data_len = (uint16_t)(m->data_len - rem);
	if (m != h) {
		struct rte_mbuf *s = h;

		seg_move_meta(m, h);
		/* Cut the dropped segments off and free them. */
		while (s->next != m)
			s = s->next;
		s->next = NULL;
		seg_list_free(h);
		b->head = m;
	}
	m->nb_segs = nb;
	m->pkt_len = blen - len;
	idx_invalidate(b);
	buf_layout_changed(b);
	HB_BUF_VERIFY(b);
	return 0;
}

int
hb_buf_adj(struct hb_buf *b, uint32_t len)
{
	BUF_MUT_CALL(b, buf_adj(b, len));
}

static int
buf_split(struct hb_buf *b, uint32_t at, struct hb_buf *tail)
{
	struct rte_mbuf *m, *rest, *old_tail;

	uint32_t blen, start, ord, k;
	uint16_t nb;
	if (tail == NULL || tail == b)
		return -EINVAL;
	blen = hb_buf_len(b);
	if (at > blen)
		return -ERANGE;
	if (at == blen) {
		__hb_buf_reset(tail, b->mp);
		return 0;
	}
	if (at == 0) {
		/* Everything moves: hand the whole state over. */
		__hb_buf_reset(tail, b->mp);
		tail->head = b->head;
		tail->tail = b->tail;
		tail->pos_seg = b->pos_seg;
		tail->pos_off = b->pos_off;
		tail->idx = b->idx;
		b->idx = NULL;
		buf_make_empty(b);
		HB_BUF_VERIFY(tail);
		return 0;
	}

	/* The segment holding the last byte that stays. */
	m = seg_find_ord(b, at - 1, &start, &ord);
	k = at - start;
	old_tail = b->tail;
	nb = b->head->nb_segs;
	if (k < m->data_len) {
		/* Cut inside m: the part after the cut becomes an indirect. */
		rest = rte_pktmbuf_alloc(b->mp);
		if (rest == NULL)
			return -ENOMEM;
		HB_STAT_ADD(segs_alloc, 1);
		rte_pktmbuf_attach(rest, m);
		rest->data_off = (uint16_t)(rest->data_off + k);
		rest->data_len = (uint16_t)(m->data_len - k);
		rest->next = m->next;
		m->data_len = (uint16_t)k;
		if (old_tail == m)
			old_tail = rest;
		nb++;
	} else {
		rest = m->next;
	}
	m->next = NULL;
	seg_move_meta(rest, b->head);
	rest->nb_segs = (uint16_t)(nb - (ord + 1));
	rest->pkt_len = blen - at;
	b->head->nb_segs = (uint16_t)(ord + 1);
	b->head->pkt_len = at;
	b->tail = m;
	idx_cut(b, at);
	buf_layout_changed(b);

	__hb_buf_reset(tail, b->mp);
	tail->head = rest;
	tail->tail = old_tail;
	tail->pos_seg = rest;
	HB_BUF_VERIFY(b);
	HB_BUF_VERIFY(tail);
	return 0;
}

int
hb_buf_split(struct hb_buf *b, uint32_t at, struct hb_buf *tail)
{
	BUF_MUT_CALL(b, buf_split(b, at, tail));
}

/* ---------------------------------------------------------------------
 * Debug aids
 */

#define CHECK(cond, why)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			if (reason != NULL)                                    \
				*reason = (why);                               \
			return -EINVAL;                                        \
		}                                                              \
	} while (0)

int
hb_buf_check(const struct hb_buf *b, const char **reason)
{
	const struct rte_mbuf *m;
	const struct hb_idx *x;
	uint32_t nb = 0, off = 0, i = 0;
	bool seen_tail = false, seen_pos = false;
	const char *mwhy = NULL;

	CHECK(b != NULL, "buffer is NULL");
	CHECK(hb_buf_magic_ok(b), "buffer not initialised (bad magic)");
	if (b->head != NULL && b->tail == NULL) {
		/* Adopted, not used yet: only the chain itself can be wrong. */
		const struct rte_mbuf *last;

		CHECK(b->pos_seg == b->head && b->pos_off == 0,
		      "adopted buffer with a cached position");
		CHECK(b->idx == NULL && b->mp == NULL,
		      "adopted buffer with an index or a pool");
		CHECK(chain_check(b->head, &last) == 0,
		      "adopted chain inconsistent (nb_segs or pkt_len)");
		return 0;
	}
	CHECK(b->mp != NULL || b->head == NULL, "no mempool");
	if (b->head == NULL) {
		CHECK(b->tail == NULL, "empty buffer with a tail");
		CHECK(b->pos_seg == NULL, "empty buffer with a cached position");
		CHECK(b->idx == NULL, "empty buffer with a segment index");
		return 0;
	}
	CHECK(b->tail != NULL, "no tail");
	x = b->idx != NULL && b->idx->valid ? b->idx : NULL;
	for (m = b->head; m != NULL; m = m->next) {
		CHECK(rte_mbuf_check(m, m == b->head, &mwhy) == 0,
		      mwhy != NULL ? mwhy : "rte_mbuf_check failed");
		CHECK(++nb <= RTE_MBUF_MAX_NB_SEGS, "chain too long (loop?)");
		if (seen_tail)
			CHECK(m->data_len == 0, "data after the tail");
		if (m == b->pos_seg) {
			CHECK(b->pos_off == off, "position cache offset wrong");
			seen_pos = true;
		}
		if (x != NULL && !seen_tail) {
			CHECK(i < x->n, "segment index too short");
			CHECK(x->seg[i] == m, "segment index: wrong segment");
			CHECK(x->ptr[i] == rte_pktmbuf_mtod(m, char *),
			      "segment index: wrong data pointer");
			CHECK(x->start[i] == off, "segment index: wrong offset");
			i++;
		}
		off += m->data_len;
		if (m == b->tail) {
			seen_tail = true;
			CHECK(m->data_len != 0 || off == 0,
			      "tail empty in a non-empty buffer");
		}
	}
	CHECK(nb == b->head->nb_segs, "nb_segs disagrees with the chain");
	CHECK(off == b->head->pkt_len, "pkt_len disagrees with the chain");
	CHECK(seen_tail, "tail not in the chain");
	CHECK(seen_pos || b->pos_seg == NULL, "cached position not in chain");
	CHECK(x == NULL || i == x->n, "segment index too long");
	CHECK((b->state & __HB_GUARD_SHARED) != 0 || b->sh == NULL,
	      "local buffer with shared state");
	return 0;
}

void
hb_buf_dump(FILE *f, const struct hb_buf *b)
{
	const struct rte_mbuf *m;
	const char *why = "ok";
	uint32_t i = 0, off = 0;
	bool ok;

	if (f == NULL)
		return;
	if (b == NULL) {
		fprintf(f, "hb_buf NULL\n");
		return;
	}
	(void)hb_buf_check(b, &why);
	/* Not initialised: its pointers are garbage, follow none. */
	ok = hb_buf_magic_ok(b);
	fprintf(f,
		"hb_buf %p: len %" PRIu32 " segs %u pool %s state %#" PRIx64
		" gen %" PRIu32 " index %s check: %s\n",
		(const void *)b, ok ? hb_buf_len(b) : 0,
		ok ? hb_buf_nb_segs(b) : 0,
		ok && b->mp != NULL ? b->mp->name : "-", b->state, b->gen,
		!ok || b->idx == NULL ? "none" :
		b->idx->valid ? "valid" : "stale",
		why);
	if (!ok)
		return;
	for (m = b->head; m != NULL && i < RTE_MBUF_MAX_NB_SEGS; m = m->next) {
		fprintf(f,
			"  seg %" PRIu32 " %p off %" PRIu32 " data_off %u len %u"
			" room %u refcnt %u%s%s%s%s\n",
			i, (const void *)m, off, m->data_off, m->data_len,
			m->buf_len, rte_mbuf_refcnt_read(m),
			RTE_MBUF_CLONED(m) ? " indirect" : "",
			RTE_MBUF_HAS_EXTBUF(m) ? " extbuf" : "",
			m == b->tail ? " <tail" : "",
			m == b->pos_seg ? " <pos" : "");
		off += m->data_len;
		i++;
	}
}
