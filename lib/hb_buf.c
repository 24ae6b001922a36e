/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_malloc.h>

#include "hb_buf_int.h"

RTE_DEFINE_PER_LCORE(uint32_t, __hb_epoch);

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

/* ---------------------------------------------------------------------
 * Entry checks
 */

/*
 * The position cache, the segment index and the lazily found tail of an
 * adopted chain are caches: reading calls, which take a const buffer,
 * update them when nobody else can look at the buffer meanwhile (a local
 * buffer). This is the one place where a const buffer becomes writable.
 */
static struct hb_buf *
buf_caches(const struct hb_buf *b)
{
	return (struct hb_buf *)(uintptr_t)b;
}

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
		return hb_guard_enter(b->sh, true, 0, true);
	}
	return -EBUSY;
}

/* Leave a mutating call entered with buf_mut_enter(); returns @rc. */
static int
buf_mut_exit(struct hb_buf *b, int rc)
{
	if (hb_buf_shared(b))
		hb_guard_exit(b->sh, true, 0);
	return rc;
}

int
hb_buf_read_enter(const struct hb_buf *b, struct hb_hold *h)
{
	if (unlikely(!hb_buf_magic_ok(b)))
		return -EINVAL;
	if (likely(__hb_state_readable(b->state))) {
		h->cache = buf_caches(b); /* local: ours alone */
		return hb_buf_resolve(b);
	}
	if ((uint32_t)b->state == __HB_GUARD_SHARED) {
		h->cache = NULL; /* one of the concurrent readers */
		h->id = rte_lcore_id();
		if (h->id >= RTE_MAX_LCORE)
			return -ENOTSUP;
		return hb_guard_enter(b->sh, false, h->id, true);
	}
	return -EBUSY;
}

void
hb_buf_read_exit(const struct hb_buf *b, const struct hb_hold *h)
{
	if (hb_buf_shared(b))
		hb_guard_exit(b->sh, false, h->id);
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

/* Move the whole state of @src (holding segments) into the empty @dst. */
static void
buf_take_all(struct hb_buf *dst, struct hb_buf *src)
{
	dst->head = src->head;
	dst->tail = src->tail;
	dst->pos_seg = src->pos_seg;
	dst->pos_off = src->pos_off;
	dst->idx = src->idx;
	src->idx = NULL;
	buf_make_empty(src);
}

/* ---------------------------------------------------------------------
 * Life cycle
 */

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

	if (hb_seg_chain_check(b->head, &last) != 0)
		return -EINVAL;
	/*
	 * Only caches are set: trailing empty segments stay, as reserved
	 * capacity (appends use those not shared; detach frees those left).
	 */
	b->tail = (struct rte_mbuf *)(uintptr_t)last; /* ours: a cache */
	b->mp = b->head->pool;
	HB_BUF_VERIFY(b);
	return 0;
}

int
hb_buf_resolve(const struct hb_buf *b)
{
	if (likely(b->tail != NULL || b->head == NULL))
		return 0;
	/* One segment: checked in the head alone. */
	if (__hb_buf_chain_ok(buf_caches(b), b->head))
		return 0;
	return buf_resolve(buf_caches(b));
}

/* ---------------------------------------------------------------------
 * Sharing
 */

int
hb_buf_share(struct hb_buf *b)
{
	struct hb_guard *g;

	if (!hb_buf_magic_ok(b))
		return -EINVAL;
	if (hb_buf_shared(b))
		return -EALREADY;
	if ((uint32_t)b->state != 0)
		return -EBUSY;
	if (!hb_guard_ready())
		return -EPERM;
	/* Check an adopted chain now: readers never modify the buffer. */
	if (hb_buf_resolve(b) != 0)
		return -EINVAL;
	g = hb_guard_get(b->mp != NULL ? b->mp->socket_id : SOCKET_ID_ANY);
	if (g == NULL)
		return -ENOMEM;
	/* Readers cannot build the segment index: do it now (best effort). */
	hb_idx_prepare(b);
	b->sh = g;
	/*
	 * Other lcores learn of the buffer through the application (a ring,
	 * a message), which orders these stores before their first access.
	 */
	b->state |= __HB_GUARD_SHARED;
	return 0;
}

int
hb_buf_unshare(struct hb_buf *b)
{
	struct hb_guard *g;
	int rc;

	if (!hb_buf_magic_ok(b) || !hb_buf_shared(b))
		return -EINVAL;
	g = b->sh;
	/* Succeeds only with nothing left in g; else changes nothing. */
	rc = hb_guard_retire(g);
	if (rc != 0)
		return rc;
	/*
	 * Held exclusively and closed: nobody reaches b through g now.
	 * hb_req_cancel() and hb_buf_is_closing() may still load sh.
	 */
	__atomic_store_n(&b->sh, NULL, __ATOMIC_RELAXED);
	b->state &= ~(uint64_t)__HB_GUARD_SHARED;
	hb_guard_put(g);
	return 0;
}

int
hb_buf_close(struct hb_buf *b)
{
	if (!hb_buf_magic_ok(b) || !hb_buf_shared(b))
		return -EINVAL;
	hb_guard_close(b->sh);
	return 0;
}

bool
hb_buf_is_closing(const struct hb_buf *b)
{
	const struct hb_guard *g;

	if (!hb_buf_magic_ok(b))
		return false;
	/* Unshared meanwhile: NULL; a recycled guard is still memory. */
	g = __atomic_load_n(&b->sh, __ATOMIC_RELAXED);
	return g != NULL && hb_guard_closing(g);
}

/*
 * Teardown calls (free, detach) start by making a shared buffer local:
 * that succeeds with no visitor live and no request queued, or fails and
 * changes nothing (hb_buf_unshare()).
 */
static int
buf_teardown_enter(struct hb_buf *b)
{
	int rc;

	if (!hb_buf_magic_ok(b))
		return -EINVAL;
	if (hb_buf_shared(b)) {
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
		hb_seg_list_free(extra);
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
__hb_buf_free(struct hb_buf *b)
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
	uint64_t cap = hb_seg_tailroom(m);

	while (m->next != NULL) {
		m = m->next;
		cap += hb_seg_tailroom(m); /* an adopted one may be shared */
	}
	*last = m;
	return cap;
}

/*
 * Take the segments needed for @need more bytes past the current capacity
 * @spare (all of it when the buffer holds no segment) and chain them at the
 * end, empty, sized by the growth policy (hb_seg_grow()). All or nothing.
 */
static int
buf_grow(struct hb_buf *b, uint64_t need, uint64_t spare,
	 struct rte_mbuf *last)
{
	struct rte_mempool *mp = b->mp;
	uint32_t cap = hb_seg_pool_cap(mp), nb = 0, n = 0, first_cap;
	struct rte_mbuf *h = NULL, *first = NULL, *end = NULL;
	int rc;

	/* A pool of clones (adopted chain): its mbufs hold no bytes. */
	if (cap == 0)
		return -ENOMEM;
	if (b->head == NULL) {
		/* The head keeps the pool's headroom for later prepends. */
		h = rte_pktmbuf_alloc(mp);
		if (h == NULL)
			return -ENOMEM;
		HB_STAT_ADD(segs_alloc, 1);
		first_cap = cap - RTE_MIN((uint32_t)RTE_PKTMBUF_HEADROOM, cap);
		if (first_cap == 0)
			first_cap = cap;
		h->data_off = (uint16_t)(cap - first_cap);
		h->pkt_len = 0;
		nb = 1;
		spare = first_cap;
		need -= RTE_MIN(need, (uint64_t)first_cap);
	} else {
		nb = b->head->nb_segs;
	}
	if (need > 0) {
		rc = hb_seg_grow(mp, need, hb_buf_len(b) + spare, &first, &end,
				 RTE_MBUF_MAX_NB_SEGS - nb, &n);
		if (rc != 0) {
			if (h != NULL)
				rte_pktmbuf_free_seg(h);
			return rc;
		}
	}
	if (h != NULL) {
		h->next = first;
		h->nb_segs = (uint16_t)(1 + n);
		b->head = h;
		b->tail = h;
		b->pos_seg = h;
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
	return buf_grow(b, len - have, have, last);
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
		uint32_t n = RTE_MIN(hb_seg_tailroom(m), len);
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
		hb_idx_push(b, m, start);
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
	room = hb_seg_tailroom(t);
	if (len <= room || hb_seg_pool_cap(b->mp) == 0)
		return 1;
	/* Sized by the growth policy (hb_seg_grow()): double the capacity. */
	m = hb_seg_get(b->mp, len - room, (uint64_t)h->pkt_len + room);
	if (m == NULL)
		return -ENOMEM;
	if (len - room > m->buf_len) {
		rte_pktmbuf_free_seg(m); /* too small: the general path */
		return 1;
	}
	HB_STAT_ADD(segs_alloc, 1);
	memcpy(rte_pktmbuf_mtod_offset(t, char *, t->data_len), p, room);
	t->data_len = (uint16_t)(t->data_len + room);
	memcpy(rte_pktmbuf_mtod(m, char *), p + room, len - room);
	m->data_len = (uint16_t)(len - room);
	t->next = m;
	h->nb_segs++;
	hb_idx_push(b, m, h->pkt_len + room);
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
	room = hb_seg_tailroom(t);
	/* Never past the 32-bit length. */
	room = RTE_MIN(room, UINT32_MAX - b->head->pkt_len);
	*p = rte_pktmbuf_mtod_offset(t, char *, t->data_len);
	return room;
}

int
__hb_buf_append(struct hb_buf *b, const void *src, uint32_t len)
{
	int rc;

	if (src == NULL)
		return -EINVAL;
	rc = buf_mut_enter(b);
	return rc == 0 ? buf_mut_exit(b, hb_buf_append_held(b, src, len)) : rc;
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
		hb_seg_list_free(b->head);
		hb_idx_free(b);
		b->head = NULL;
		b->tail = NULL;
		b->pos_seg = NULL;
		b->pos_off = 0;
		return;
	}
	/* Segments taken by the growth go back; reserved ones empty again. */
	hb_seg_list_free(u->last->next);
	u->last->next = NULL;
	for (m = u->tail->next; m != NULL; m = m->next)
		m->data_len = 0;
	u->tail->data_len = u->tail_len;
	b->head->pkt_len = u->len;
	b->head->nb_segs = u->nb_segs;
	b->tail = u->tail;
	hb_idx_cut(b, u->len);
	/* The position cache may name a segment just freed. */
	b->pos_seg = b->head;
	b->pos_off = 0;
	HB_BUF_VERIFY(b);
}

int
hb_buf_reserve(struct hb_buf *b, uint32_t additional)
{
	int rc = buf_mut_enter(b);

	return rc == 0 ? buf_mut_exit(b, additional != 0 ? buf_make_room(b, additional) : 0) : rc;
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

	if (hb_seg_exclusive(h) && rte_pktmbuf_headroom(h) >= len) {
		h->data_off = (uint16_t)(h->data_off - len);
		h->data_len = (uint16_t)(h->data_len + len);
		h->pkt_len += len;
		memcpy(rte_pktmbuf_mtod(h, char *), src, len);
		goto done;
	}

	/* New head segment(s), the bytes at their end, none in the old head. */
	cap = hb_seg_pool_cap(b->mp);
	if (cap == 0) /* a pool of clones: its mbufs hold no bytes */
		return -ENOMEM;
	nsegs = ((uint64_t)len + cap - 1) / cap; /* len + cap may wrap */
	if (h->nb_segs + nsegs > RTE_MBUF_MAX_NB_SEGS)
		return -E2BIG;
	n = (uint32_t)nsegs;
	rc = hb_seg_list_alloc(b->mp, n, &first, &last);
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
	hb_seg_move_meta(first, h);
	first->nb_segs = (uint16_t)(h->nb_segs + n);
	first->pkt_len = h->pkt_len + len;
	b->head = first;
done:
	hb_idx_invalidate(b);
	buf_layout_changed(b);
	HB_BUF_VERIFY(b);
	return 0;
}

int
__hb_buf_prepend(struct hb_buf *b, const void *src, uint32_t len)
{
	int rc;

	if (src == NULL)
		return -EINVAL;
	rc = buf_mut_enter(b);
	return rc == 0 ? buf_mut_exit(b, buf_prepend(b, src, len)) : rc;
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
	m = hb_seg_find(b, off, &start, b);
	rel = off - start;
	if ((uint64_t)rel + len <= m->data_len)
		return 0;

	if (hb_seg_exclusive(m) &&
	    rte_pktmbuf_tailroom(m) >= rel + len - m->data_len) {
		k = rel + len - m->data_len;
		pull_into(b, m, k);
		goto done;
	}

	/* A new segment for the range: m keeps [start, off). */
	cap = hb_seg_pool_cap(b->mp);
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
		hb_seg_move_meta(n, m);
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
	hb_idx_invalidate(b);
	buf_layout_changed(b);
	HB_BUF_VERIFY(b);
	return 0;
}

int
hb_buf_pullup(struct hb_buf *b, uint32_t off, uint32_t len)
{
	int rc = buf_mut_enter(b);

	return rc == 0 ? buf_mut_exit(b, buf_pullup(b, off, len)) : rc;
}

/* ---------------------------------------------------------------------
 * Reading and writing in place
 */

/*
 * Copy [off, off+len) out of the buffer (to_buf) or into it; @cache: as
 * for hb_seg_find().
 */
static int
buf_copy(const struct hb_buf *b, uint32_t off, void *buf, uint32_t len,
	 bool to_buf, struct hb_buf *cache)
{
	struct rte_mbuf *m;
	uint32_t start;

	if (!range_ok(hb_buf_len(b), off, len))
		return -ERANGE;
	if (len == 0)
		return 0;
	m = hb_seg_find(b, off, &start, cache);
	hb_seg_copy(m, start, off - start, buf, len, to_buf, cache);
	return 0;
}

int
__hb_buf_read(const struct hb_buf *b, uint32_t off, void *dst, uint32_t len)
{
	struct hb_hold h;
	int rc;

	if (dst == NULL)
		return -EINVAL;
	rc = hb_buf_read_enter(b, &h);
	if (rc != 0)
		return rc;
	rc = buf_copy(b, off, dst, len, true, h.cache);
	hb_buf_read_exit(b, &h);
	return rc;
}

int
__hb_buf_write(struct hb_buf *b, uint32_t off, const void *src, uint32_t len)
{
	int rc;

	if (src == NULL)
		return -EINVAL;
	rc = buf_mut_enter(b);
	/* The copy only reads *src: the cast drops const for buf_copy(). */
	return rc == 0 ? buf_mut_exit(b, buf_copy(b, off, (void *)(uintptr_t)src,
						  len, false, b)) : rc;
}

const void *
hb_buf_peek_held(const struct hb_buf *b, uint32_t off, uint32_t len,
		 void *scratch, struct hb_buf *cache)
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
	m = hb_seg_find(b, off, &start, cache);
	if ((uint64_t)off - start + len <= m->data_len)
		return rte_pktmbuf_mtod_offset(m, const char *, off - start);
	if (scratch == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	hb_seg_copy(m, start, off - start, scratch, len, true, cache);
	return scratch;
}

const void *
__hb_buf_peek(const struct hb_buf *b, uint32_t off, uint32_t len,
	      void *scratch)
{
	const void *p;
	struct hb_hold h;
	int rc = hb_buf_read_enter(b, &h);

	if (rc != 0) {
		rte_errno = -rc;
		return NULL;
	}
	p = hb_buf_peek_held(b, off, len, scratch, h.cache);
	hb_buf_read_exit(b, &h);
	return p;
}

static int
buf_iov(const struct hb_buf *b, uint32_t off, uint32_t len, struct iovec *iov,
	int iovcnt, struct hb_buf *cache)
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
	m = hb_seg_find(b, off, &start, cache);
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
	struct hb_hold h;
	int rc = hb_buf_read_enter(b, &h);

	if (rc != 0)
		return rc;
	rc = buf_iov(b, off, len, iov, iovcnt, h.cache);
	hb_buf_read_exit(b, &h);
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

	m = hb_seg_find(b, keep - 1, &start, b);
	m->data_len = (uint16_t)(keep - start);
	extra = m->next;
	m->next = NULL;
	for (s = extra; s != NULL; s = s->next)
		b->head->nb_segs--;
	hb_seg_list_free(extra);
	b->head->pkt_len = keep;
	b->tail = m;
	hb_idx_cut(b, keep);
	buf_layout_changed(b);
	HB_BUF_VERIFY(b);
	return 0;
}

int
hb_buf_trim(struct hb_buf *b, uint32_t len)
{
	int rc = buf_mut_enter(b);

	return rc == 0 ? buf_mut_exit(b, buf_trim(b, len)) : rc;
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

		hb_seg_move_meta(m, h);
		/* Cut the dropped segments off and free them. */
		while (s->next != m)
			s = s->next;
		s->next = NULL;
		hb_seg_list_free(h);
		b->head = m;
	}
	m->nb_segs = nb;
	m->pkt_len = blen - len;
	hb_idx_invalidate(b);
	buf_layout_changed(b);
	HB_BUF_VERIFY(b);
	return 0;
}

int
__hb_buf_adj(struct hb_buf *b, uint32_t len)
{
	int rc = buf_mut_enter(b);

	return rc == 0 ? buf_mut_exit(b, buf_adj(b, len)) : rc;
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
		buf_take_all(tail, b);
		HB_BUF_VERIFY(tail);
		return 0;
	}

	/* The segment holding the last byte that stays. */
	m = hb_seg_find_ord(b, at - 1, &start, &ord, b);
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
	hb_seg_move_meta(rest, b->head);
	rest->nb_segs = (uint16_t)(nb - (ord + 1));
	rest->pkt_len = blen - at;
	b->head->nb_segs = (uint16_t)(ord + 1);
	b->head->pkt_len = at;
	b->tail = m;
	hb_idx_cut(b, at);
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
	int rc = buf_mut_enter(b);

	return rc == 0 ? buf_mut_exit(b, buf_split(b, at, tail)) : rc;
}

/* ---------------------------------------------------------------------
 * Joining
 */

static int
buf_concat(struct hb_buf *dst, struct hb_buf *src)
{
	struct rte_mbuf *dh, *sh, *m;
	uint32_t nb, reserved = 0;

	sh = src->head;
	if (sh == NULL)
		return 0;
	dh = dst->head;
	if (dh == NULL) {
		/* Growth at the end of an empty buffer: cursors stay valid. */
		buf_take_all(dst, src);
		return 0;
	}
	if (sh->pkt_len == 0) {
		/* Only reserved segments: nothing to link, dst's limits moot. */
		buf_drop_all(src);
		return 0;
	}
	if (sh->pkt_len > UINT32_MAX - dh->pkt_len)
		return -E2BIG;
	/* dst's reserved segments (empty, after its tail) go away. */
	for (m = dst->tail->next; m != NULL; m = m->next)
		reserved++;
	nb = dh->nb_segs - reserved + sh->nb_segs;
	if (nb > RTE_MBUF_MAX_NB_SEGS)
		return -E2BIG;
	hb_seg_list_free(dst->tail->next);
	dst->tail->next = sh;
	dh->nb_segs = (uint16_t)nb;
	dh->pkt_len += sh->pkt_len;
	dst->tail = src->tail;
	/* Offsets of dst's bytes do not move: its cursors stay valid. */
	hb_idx_invalidate(dst);
	hb_idx_free(src);
	buf_make_empty(src);
	HB_BUF_VERIFY(dst);
	HB_BUF_VERIFY(src);
	return 0;
}

int
__hb_buf_concat(struct hb_buf *dst, struct hb_buf *src)
{
	int rc;

	if (!hb_buf_magic_ok(dst) || !hb_buf_magic_ok(src) || dst == src)
		return -EINVAL;
	if (hb_buf_shared(dst) || hb_buf_shared(src))
		return -EPERM;
	if ((uint32_t)dst->state != 0 || (uint32_t)src->state != 0)
		return -EBUSY;
	/* Adopted chains: checked, and their tails found, on first use. */
	rc = hb_buf_resolve(dst);
	if (rc == 0)
		rc = hb_buf_resolve(src);
	return rc == 0 ? buf_concat(dst, src) : rc;
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
		CHECK(hb_seg_chain_check(b->head, &last) == 0,
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
			CHECK(x->e[i].ptr == rte_pktmbuf_mtod(m, char *),
			      "segment index: wrong data pointer");
			CHECK(x->e[i].start == off, "segment index: wrong offset");
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
	CHECK(hb_buf_shared(b) || b->sh == NULL,
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
