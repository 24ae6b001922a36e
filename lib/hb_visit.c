/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * Visitors, out-of-line part: everything the inline fast path of hb_visit.h
 * does not serve (spanning or misaligned ranges, growth, errors).
 */

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "hb_visit_int.h"

static bool
align_valid(uint32_t align)
{
	return align != 0 && (align & (align - 1)) == 0 &&
	       align <= HB_VISIT_ALIGN_MAX;
}

/*
 * Can the local buffer @b take this visitor now? A read visitor needs no
 * writer (and a reader count that is not full), a write visitor no visitor
 * at all.
 */
static int
local_admit(const struct hb_buf *b, bool write)
{
	uint32_t guard = (uint32_t)b->state;

	if (write)
		return guard == 0 ? 0 : -EBUSY;
	if ((guard & __HB_GUARD_WRITER) != 0 ||
	    (guard & __HB_GUARD_READERS) == __HB_GUARD_READERS)
		return -EBUSY;
	return 0;
}

/*
 * Point @v at a copy, in the calling lcore's bounce memory, of the @len
 * bytes at @rel in segment @m (at logical offset @start) of @b, and on: a
 * range that spans segments (or is not aligned as asked).
 */
static __rte_always_inline int
visit_bounce(struct hb_buf *b, struct rte_mbuf *m, uint32_t start,
	     uint32_t rel, uint32_t len, uint32_t kind, struct hb_buf *cache,
	     struct hb_visitor *v)
{
	struct hb_lcore *lc = hb_lcore_self();
	uint32_t boff;
	char *p;
	int rc;

	if (lc == NULL)
		return -ENOTSUP;
	rc = hb_bounce_alloc(lc, len, &boff);
	if (unlikely(rc != 0)) {
		HB_STAT_ADD(visits_failed, 1);
		return rc;
	}
	p = (char *)lc->bounce + boff;
	hb_seg_copy(m, start, rel, p, len, true, cache);
	__hb_visitor_set(v, b, p, start + rel, len, kind | __HB_VIS_BOUNCED);
	v->seg = m;
	v->rel = rel;
	v->bounce = boff;
	v->lcore = (uint32_t)(lc - hb_lcores);
	hb_lcore_count(lc, offsetof(struct hb_stats, visits_bounced), 1);
	hb_lcore_count(lc, offsetof(struct hb_stats, bounce_bytes), len);
	return 0;
}

/*
 * A visit of a local buffer whose range starts in the cached segment (or
 * the head) and ends in the next one (a header split over two segments):
 * bounced at
 * once, with no lookup and none of the general checks (the caller checked
 * the state). 0: granted (the caller sets the buffer's guard); 1: not this
 * case; else the error.
 */
static __rte_always_inline int
visit_local_span(struct hb_buf *b, uint32_t off, uint32_t len, uint32_t kind,
		 struct hb_visitor *v)
{
	struct rte_mbuf *m = b->pos_seg, *n;
	uint32_t start = b->pos_off, rel = off - start;

	if (m == NULL || rel >= m->data_len) {
		/* Not from the cached segment: from the head, then. */
		m = b->head;
		start = 0;
		rel = off;
		if (m == NULL || rel >= m->data_len)
			return 1;
	}
	if ((uint64_t)rel + len <= m->data_len || /* in one: the general path */
	    (n = m->next) == NULL ||
	    (uint64_t)rel + len > (uint64_t)m->data_len + n->data_len ||
	    hb_buf_resolve(b) != 0) /* an adopted chain: checked once */
		return 1;
	return visit_bounce(b, m, start, rel, len, kind, b, v);
}

/*
 * Point @v at [off, off+len) of @b, which holds the range: directly if it
 * lies in one segment at the alignment asked, else through the calling
 * lcore's bounce memory (gathered now).
 */
static int
visit_map(struct hb_buf *b, uint32_t off, uint32_t len, uint32_t align,
	  uint32_t kind, struct hb_visitor *v)
{
	struct hb_buf *cache;
	struct rte_mbuf *m;
	uint32_t start, rel;
	char *p;

	/*
	 * A reader of a shared buffer is one of several: it only reads the
	 * caches. Local visitors and shared writers hold the buffer alone.
	 */
	cache = (kind & (__HB_VIS_SHARED | __HB_VIS_WRITE)) == __HB_VIS_SHARED ?
		NULL : b;
	m = hb_seg_find(b, off, &start, cache);
	rel = off - start;
	p = rte_pktmbuf_mtod_offset(m, char *, rel);
	if ((uint64_t)rel + len <= m->data_len && __hb_align_ok(p, align)) {
		__hb_visitor_set(v, b, p, off, len, kind);
		return 0;
	}

	return visit_bounce(b, m, start, rel, len, kind, cache, v);
}

/*
 * Direct view *@pp of [off, off+len) of @b: true if the range lies in the
 * cached segment or in the head segment and is aligned (@mask: a valid
 * alignment minus one), else false. The segment is then the one
 * hb_seg_find() finds (the only one holding byte @off), so the view is the
 * one visit_map() makes; the caches are only read, as a reader of a shared
 * buffer must. A reader may read them: writers update them only while
 * holding the buffer exclusively, never beside a reader (the admission
 * protocol, hb_guard.h).
 */
static inline bool
seg_direct(const struct hb_buf *b, uint32_t off, uint32_t len,
	   uint32_t mask, char **pp)
{
	const struct rte_mbuf *m = b->pos_seg;
	uint32_t rel = off - b->pos_off;
	char *p;

	if (unlikely(m == NULL || (uint64_t)rel + len > m->data_len)) {
		m = b->head;
		rel = off;
		if (m == NULL || (uint64_t)off + len > m->data_len)
			return false;
	}
	p = rte_pktmbuf_mtod_offset(m, char *, rel);
	*pp = p;
	return ((uintptr_t)p & mask) == 0;
}

/*
 * The caller holds @b for this visit (local guard free, or shared access
 * taken): check the range, grow a write visit if asked (taken back if the
 * view then fails), and make the view.
 */
static int
visit_grant(struct hb_buf *b, uint32_t off, uint32_t len, uint32_t grow,
	    uint32_t align, uint32_t kind, struct hb_visitor *v)
{
	struct hb_grow_undo undo;
	uint64_t end = (uint64_t)off + len;
	uint32_t blen = hb_buf_len(b);
	bool grew = false;
	int rc;

	if (end > blen) {
		if ((kind & __HB_VIS_WRITE) == 0 || end - blen > grow)
			return -ERANGE;
		/*
		 * Longer than any segment and than the bounce memory: it can
		 * never be mapped, so take no mbuf for it.
		 */
		if (len > HB_VISIT_BOUNCE_SIZE) {
			HB_STAT_ADD(visits_failed, 1);
			return -E2BIG;
		}
		/* Zero bytes up to the end of the range, taken back on error. */
		rc = hb_buf_grow_zero(b, (uint32_t)(end - blen), &undo);
		if (rc != 0) {
			HB_STAT_ADD(visits_failed, 1);
			return rc;
		}
		grew = true;
	}
	rc = visit_map(b, off, len, align, kind, v);
	if (rc != 0) {
		if (grew)
			hb_buf_grow_undo(b, &undo);
		return rc;
	}
	if (grew)
		HB_STAT_ADD(visits_grown, 1);
	return 0;
}

int
hb_visit_map_granted(struct hb_buf *b, uint32_t off, uint32_t len,
		     uint32_t grow, bool write, unsigned int id,
		     struct hb_visitor *v)
{
	uint32_t kind = (write ? __HB_VIS_WRITE_DIRECT : __HB_VIS_READ_DIRECT) |
			__HB_VIS_SHARED;
	int rc;

	v->state = 0;
	rc = visit_grant(b, off, len, grow, 1, kind, v);
	if (rc == 0)
		v->lcore = id;
	return rc;
}

/*
 * A write visit that grows an empty local buffer from offset 0 (the seed's
 * "new zeroed buffer" case): one segment from the buffer's pool, zeroed,
 * the view direct. 0: granted; 1: not this case (the general path runs);
 * else the error (nothing taken).
 */
static __rte_always_inline int
visit_grow_empty(struct hb_buf *b, uint32_t off, uint32_t len, uint32_t grow,
		 uint32_t align, struct hb_visitor *v)
{
	struct hb_lcore *lc;
	struct rte_mbuf *m;
	char *p;

	v->state = 0; /* not live until granted */
	/* Longer than bounce memory: the general path refuses it (-E2BIG). */
	if (off != 0 || len > grow || len > HB_VISIT_BOUNCE_SIZE)
		return 1;
	m = rte_pktmbuf_alloc(b->mp);
	if (m == NULL) {
		HB_STAT_ADD(visits_failed, 1);
		return -ENOMEM;
	}
	p = rte_pktmbuf_mtod(m, char *);
	if (len > rte_pktmbuf_tailroom(m) || !__hb_align_ok(p, align)) {
		rte_pktmbuf_free_seg(m);
		return 1;
	}
	memset(p, 0, len);
	m->data_len = (uint16_t)len;
	m->pkt_len = len;
	b->head = m;
	b->tail = m;
	b->pos_seg = m;
	b->pos_off = 0;
	b->state |= __HB_GUARD_WRITER;
	__hb_visitor_set(v, b, p, 0, len, __HB_VIS_WRITE_DIRECT);
	lc = hb_lcore_self();
	if (lc != NULL) {
		hb_lcore_count(lc, offsetof(struct hb_stats, segs_alloc), 1);
		hb_lcore_count(lc, offsetof(struct hb_stats, visits_grown), 1);
	}
	return 0;
}

/*
 * Everything but the fast paths below: the visit calls' full checks, local
 * and shared, read and write.
 */
static __rte_noinline int
visit_acquire(struct hb_buf *b, uint32_t off, uint32_t len, uint32_t grow,
	      uint32_t align, bool write, struct hb_visitor *v)
{
	uint32_t kind = write ? __HB_VIS_WRITE_DIRECT : __HB_VIS_READ_DIRECT;
	unsigned int me;
	int rc;

	if (v == NULL)
		return -EINVAL;
	v->state = 0; /* not live until granted */
	if (!hb_buf_magic_ok(b) || len == 0 || !align_valid(align))
		return -EINVAL;

	if (b->state & __HB_GUARD_SHARED) {
		me = rte_lcore_id();
		if (me >= RTE_MAX_LCORE)
			return -ENOTSUP;
		rc = hb_guard_enter(b->sh, write, me, false);
		if (rc == 0) {
			rc = visit_grant(b, off, len, grow, align,
					 kind | __HB_VIS_SHARED, v);
			if (rc == 0) {
				v->lcore = me; /* reader slot (and arena) */
				return 0;
			}
			hb_guard_exit(b->sh, write, me);
		}
	} else {
		rc = local_admit(b, write);
		if (rc == 0)
			rc = hb_buf_resolve(b); /* an adopted chain, first use */
		if (rc == 0) {
			rc = visit_grant(b, off, len, grow, align, kind, v);
			if (rc == 0) {
				if (write)
					b->state |= __HB_GUARD_WRITER;
				else
					b->state++;
				return 0;
			}
		}
	}
	if (rc == -EBUSY)
		HB_STAT_ADD(visits_busy, 1);
	v->state = 0;
	return rc;
}

/*
 * Rest of a fast read visit on a shared buffer: the calling lcore holds a
 * reader on it (hb_guard_read_count() succeeded) but the range is not in
 * the cached or head segment, or not aligned (@mask: the alignment minus
 * one): map it in full, or give the reader back.
 */
static __rte_noinline int
shared_read_map(struct hb_buf *b, uint32_t off, uint32_t len, uint32_t mask,
		struct hb_visitor *v)
{
	unsigned int me = rte_lcore_id(); /* as the caller's, < RTE_MAX_LCORE */
	int rc;

	v->state = 0; /* not live until granted */
	rc = visit_grant(b, off, len, 0, mask + 1,
			 __HB_VIS_READ_DIRECT | __HB_VIS_SHARED, v);
	if (rc == 0) {
		v->lcore = me; /* reader slot (and arena) */
		return 0;
	}
	hb_guard_exit(b->sh, false, me);
	v->state = 0;
	return rc;
}

/*
 * A fast read visit on a shared buffer found it busy: back off (out of line,
 * so that the fast path is a leaf).
 */
static __rte_noinline int
shared_read_busy(struct hb_guard *sh, unsigned int me, struct hb_visitor *v)
{
	hb_guard_read_backoff(sh, me);
	HB_STAT_ADD(visits_busy, 1);
	v->state = 0;
	return -EBUSY;
}

/* visit_acquire() for a read: a tail call, no stack argument, for the below. */
static __rte_noinline int
visit_read_slow(struct hb_buf *b, uint32_t off, uint32_t len, uint32_t align,
		struct hb_visitor *v)
{
	return visit_acquire(b, off, len, 0, align, false, v);
}

/*
 * May a visit of @b take a shared fast path? The buffer is initialised
 * and shared (one compare; the local guard bits are unused then), @align
 * is valid (align_valid(), as the mask that seg_direct() wants) and the
 * caller is an lcore (*@me).
 */
static __rte_always_inline bool
shared_fast_ok(const struct hb_buf *b, uint32_t align, unsigned int *me)
{
	const uint32_t mask = align - 1;

	if (likely(b->state == (__HB_STATE_IDLE | __HB_GUARD_SHARED) &&
		   mask < HB_VISIT_ALIGN_MAX && (align & mask) == 0)) {
		*me = rte_lcore_id();
		return likely(*me < RTE_MAX_LCORE);
	}
	return false;
}

/*
 * A read visit, @b and @v not NULL and @len not 0: fast path for a shared
 * buffer (initialised, shared: one compare; the local guard bits are
 * unused then), the checks of visit_acquire() in one pass, and no lookup
 * for a range in the cached or head segment. Anything else takes the full
 * path.
 */
static __rte_always_inline int
visit_read(struct hb_buf *b, uint32_t off, uint32_t len, uint32_t align,
	   struct hb_visitor *v)
{
	const uint32_t mask = align - 1;
	struct hb_guard *sh;
	unsigned int me;
	char *p;

	if (likely(shared_fast_ok(b, align, &me))) {
		sh = b->sh;
		/*
		 * The mark, then rd[me] THEN gate, inline
		 * (hb_guard.h): pairs with the writers as described
		 * at the top of hb_guard.h. The first visit of this
		 * lcore on @b sets the mark on the full path.
		 */
		if (unlikely(!hb_guard_user_marked(sh, me)))
			return visit_read_slow(b, off, len, align, v);
		if (unlikely(!hb_guard_read_count(sh, me, false)))
			return shared_read_busy(sh, me, v);
		v->lcore = me; /* reader slot */
		if (unlikely(!seg_direct(b, off, len, mask, &p)))
			return shared_read_map(b, off, len, mask, v);
		__hb_visitor_set(v, b, p, off, len,
				 __HB_VIS_READ_DIRECT |
				 __HB_VIS_SHARED);
		return 0;
	}
	return visit_read_slow(b, off, len, align, v);
}

/*
 * Rest of a fast write visit on a shared buffer: the calling lcore holds it
 * exclusively (GATE_W taken, no reader) but the range is not in the cached
 * or head segment, or not aligned (@mask: the alignment minus one), or
 * grows the buffer: map it in full, or give the buffer back.
 */
static __rte_noinline int
shared_write_map(struct hb_buf *b, uint32_t off, uint32_t len, uint32_t grow,
		 uint32_t mask, struct hb_visitor *v)
{
	unsigned int me = rte_lcore_id(); /* as the caller's, < RTE_MAX_LCORE */
	int rc;

	v->state = 0; /* not live until granted */
	rc = visit_grant(b, off, len, grow, mask + 1,
			 __HB_VIS_WRITE_DIRECT | __HB_VIS_SHARED, v);
	if (rc == 0) {
		v->lcore = me; /* arena */
		return 0;
	}
	hb_guard_exit(b->sh, true, me);
	v->state = 0;
	return rc;
}

/*
 * A fast write visit on a shared buffer was refused: @sh non-NULL when it
 * took GATE_W and found readers in (give it back, hb_guard_enter() does
 * the same), NULL when gate was not 0 (nothing taken). Out of line, so
 * that the fast path is a leaf.
 */
static __rte_noinline int
shared_write_busy(struct hb_guard *sh, struct hb_visitor *v)
{
	if (sh != NULL)
		hb_guard_write_backoff(sh);
	HB_STAT_ADD(visits_busy, 1);
	v->state = 0;
	return -EBUSY;
}

/* visit_acquire() for a write: a tail call, for the below. */
static __rte_noinline int
visit_write_slow(struct hb_buf *b, uint32_t off, uint32_t len, uint32_t grow,
		 uint32_t align, struct hb_visitor *v)
{
	return visit_acquire(b, off, len, grow, align, true, v);
}

/*
 * A write visit, @b and @v not NULL and @len not 0: fast path for a shared
 * buffer, as visit_read(): the checks of visit_acquire() in one pass, the
 * writer's admission of hb_guard_enter() inline, and no lookup for a
 * range in the cached or head segment (then inside the buffer: no growth,
 * as on the full path). Anything else takes the full path.
 */
static __rte_always_inline int
visit_write(struct hb_buf *b, uint32_t off, uint32_t len, uint32_t grow,
	    uint32_t align, struct hb_visitor *v)
{
	const uint32_t mask = align - 1;
	struct hb_guard *sh;
	unsigned int me;
	char *p;

	if (likely(shared_fast_ok(b, align, &me))) {
		sh = b->sh;
		/*
		 * gate from 0 to GATE_W THEN rd[] (hb_guard.h):
		 * Dekker, writer side, pairs with the readers' rd[me]
		 * increment THEN gate load (top of hb_guard.h).
		 */
		if (unlikely(!hb_guard_write_gate(sh)))
			return shared_write_busy(NULL, v);
		if (unlikely(hb_guard_readers_present(sh)))
			return shared_write_busy(sh, v);
		v->lcore = me; /* arena */
		if (unlikely(!seg_direct(b, off, len, mask, &p)))
			return shared_write_map(b, off, len, grow, mask,
						v);
		__hb_visitor_set(v, b, p, off, len,
				 __HB_VIS_WRITE_DIRECT |
				 __HB_VIS_SHARED);
		return 0;
	}
	return visit_write_slow(b, off, len, grow, align, v);
}

int
__hb_visit_read(struct hb_buf *b, uint32_t off, uint32_t len, uint32_t align,
		struct hb_visitor *v)
{
	int rc;

	HB_ASSERT(b != NULL && v != NULL && len != 0);
	/* A local buffer, no writer, a range over two segments: bounced. */
	if (b->state - __HB_STATE_IDLE < __HB_GUARD_READERS &&
	    align_valid(align)) {
		rc = visit_local_span(b, off, len, __HB_VIS_READ_DIRECT, v);
		if (rc == 0) {
			b->state++;
			return 0;
		}
		if (rc < 0) {
			v->state = 0;
			return rc;
		}
	}
	return visit_read(b, off, len, align, v);
}

int
__hb_visit_write(struct hb_buf *b, uint32_t off, uint32_t len, uint32_t grow,
		 uint32_t align, struct hb_visitor *v)
{
	int rc;

	if (b != NULL && v != NULL && len != 0 &&
	    b->state == __HB_STATE_IDLE && align_valid(align)) {
		/* An empty local buffer grown by a write visit: at once. */
		if (b->head == NULL) {
			rc = visit_grow_empty(b, off, len, grow, align, v);
			if (rc <= 0)
				return rc;
		}
		/* A range over two segments: bounced at once. */
		rc = visit_local_span(b, off, len, __HB_VIS_WRITE_DIRECT, v);
		if (rc == 0) {
			b->state |= __HB_GUARD_WRITER;
			return 0;
		}
		if (rc < 0) {
			v->state = 0;
			return rc;
		}
	}
	return __hb_visit_acquire(b, off, len, grow, align, true, v);
}

int
__hb_visit_acquire(struct hb_buf *b, uint32_t off, uint32_t len,
		   uint32_t grow, uint32_t align, bool write,
		   struct hb_visitor *v)
{
	if (b != NULL && v != NULL && len != 0)
		return write ? visit_write(b, off, len, grow, align, v) :
			       visit_read(b, off, len, align, v);
	return visit_acquire(b, off, len, grow, align, write, v);
}

int
hb_visit_now(struct hb_buf *b, uint32_t off, uint32_t len, uint32_t grow,
	     bool write, struct hb_visitor *v)
{
	HB_ASSERT(b != NULL && len != 0);
	return write ? visit_write(b, off, len, grow, 1, v) :
		       visit_read(b, off, len, 1, v);
}

/* hb_visit_release() in full: every kind, every check. */
static __rte_noinline int
visit_release_full(struct hb_visitor *v)
{
	struct hb_buf *b;
	struct hb_lcore *lc;
	uint32_t st, guard;
	bool write, shared;

	if (v == NULL)
		return -EINVAL;
	st = v->state;
	if ((st & __HB_VIS_MAGIC_MASK) != __HB_VIS_MAGIC)
		return -EINVAL;
	if ((st & __HB_VIS_LIVE) == 0)
		return -EALREADY;
	b = v->buf;
	/* The layout cannot change while a visitor is live: same life. */
	if (!hb_buf_magic_ok(b) || b->gen != v->gen)
		return -EINVAL;
	write = (st & __HB_VIS_WRITE) != 0;
	shared = (st & __HB_VIS_SHARED) != 0;

	/* The buffer must hold a visitor of this kind. */
	guard = (uint32_t)b->state;
	if (shared) {
		if (guard != __HB_GUARD_SHARED ||
		    !hb_guard_holds(b->sh, write, v->lcore))
			return -EINVAL;
	} else if (write ? guard != __HB_GUARD_WRITER :
			   (guard & (__HB_GUARD_WRITER | __HB_GUARD_SHARED)) != 0 ||
				   (guard & __HB_GUARD_READERS) == 0) {
		return -EINVAL;
	}

	if (st & __HB_VIS_BOUNCED) {
		lc = hb_lcore_self();
		if (lc == NULL || (uint32_t)(lc - hb_lcores) != v->lcore)
			return -EPERM;
		if (write)
			hb_seg_copy(v->seg, v->off - v->rel, v->rel, v->ptr,
				    v->len, false, b); /* held alone */
		hb_bounce_free(lc, v->bounce, v->len);
	}
	v->state = __HB_VIS_RELEASED;
	if (shared)
		hb_guard_exit(b->sh, write, v->lcore);
	else if (write)
		b->state &= ~(uint64_t)__HB_GUARD_WRITER;
	else
		b->state--;
	return 0;
}

/*
 * __hb_visit_release() but for its read fast path: a fast path for a live
 * direct write visitor of a shared buffer (here, so that the read fast path
 * stays as short), the checks of visit_release_full() in one pass: the
 * buffer initialised and shared (one compare), of the same life, and
 * GATE_W still held. Anything else (and every error) takes the full path.
 */
static __rte_noinline int
visit_release(struct hb_visitor *v)
{
	struct hb_guard *sh;
	struct hb_buf *b;

	if (likely(v != NULL &&
		   v->state == (__HB_VIS_WRITE_DIRECT | __HB_VIS_SHARED))) {
		b = v->buf;
		if (likely(b != NULL &&
			   b->state == (__HB_STATE_IDLE | __HB_GUARD_SHARED) &&
			   b->gen == v->gen && v->lcore < RTE_MAX_LCORE)) {
			sh = b->sh;
			if (likely(sh != NULL && hb_guard_write_holds(sh))) {
				v->state = __HB_VIS_RELEASED;
				/* waiters counted: grant step (hb_guard.h) */
				hb_guard_write_exit(sh);
				return 0;
			}
		}
	}
	return visit_release_full(v);
}

/*
 * A bounced visitor of a local buffer, on the lcore that holds its bounce
 * memory, of the buffer's same life and kind: scattered back (a write
 * visitor) and given back at once. false: not this case (the full checks
 * run).
 */
static __rte_always_inline bool
release_local_bounced(struct hb_visitor *v)
{
	const uint32_t st = v->state;
	struct hb_buf *b = v->buf;
	struct hb_lcore *lc;

	if ((st & ~(uint32_t)__HB_VIS_WRITE) !=
	    (__HB_VIS_READ_DIRECT | __HB_VIS_BOUNCED) ||
	    b == NULL || b->gen != v->gen)
		return false;
	if (st & __HB_VIS_WRITE) {
		if (b->state != (__HB_STATE_IDLE | __HB_GUARD_WRITER))
			return false;
	} else if (b->state - __HB_STATE_IDLE - 1 >= __HB_GUARD_READERS) {
		return false;
	}
	lc = hb_lcore_self();
	if (lc == NULL || (uint32_t)(lc - hb_lcores) != v->lcore)
		return false; /* the full path says -EPERM */
	if (st & __HB_VIS_WRITE) {
		hb_seg_copy(v->seg, v->off - v->rel, v->rel, v->ptr, v->len,
			    false, b);
		b->state = __HB_STATE_IDLE;
	} else {
		b->state--;
	}
	hb_bounce_free(lc, v->bounce, v->len);
	v->state = __HB_VIS_RELEASED;
	return true;
}

int
__hb_visit_release(struct hb_visitor *v)
{
	struct hb_guard *sh;
	struct hb_buf *b;
	unsigned int id;

	if (v != NULL && release_local_bounced(v))
		return 0;

	/*
	 * Fast path: a direct read visitor of a shared buffer, the checks of
	 * visit_release_full() in one pass: the buffer is initialised and shared
	 * (one compare), of the same life, and lcore v->lcore still holds a
	 * reader. Anything else (and every error) takes the full path
	 * (visit_release(): first, the fast path of a shared write visitor).
	 */
	if (likely(v != NULL &&
		   v->state == (__HB_VIS_READ_DIRECT | __HB_VIS_SHARED))) {
		b = v->buf;
		id = v->lcore;
		if (likely(b != NULL &&
			   b->state == (__HB_STATE_IDLE | __HB_GUARD_SHARED) &&
			   b->gen == v->gen && id < RTE_MAX_LCORE)) {
			sh = b->sh;
			if (likely(sh != NULL &&
				   hb_guard_read_holds(sh, id))) {
				v->state = __HB_VIS_RELEASED;
				/* rd[id] THEN gate: pairs with grant step */
				hb_guard_read_exit(sh, id);
				return 0;
			}
		}
	}
	return visit_release(v);
}
