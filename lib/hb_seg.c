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
#include <rte_memcpy.h>
#include <rte_reciprocal.h>
#include <rte_spinlock.h>

#include "hb_seg.h"

/* Bulk gets are done in pieces of this many mbufs. */
#define HB_ALLOC_BURST 32

/* ---------------------------------------------------------------------
 * Growth: the segment classes (docs/guide.md, "Growth policy")
 *
 * Beyond what its own pool's segments hold, a growing buffer takes its new
 * segments from a ladder of pktmbuf pools of larger data rooms, per
 * socket: by default, pools HyperBuf creates on first need with rooms of
 * 4, 8, 16, 32 KiB and 65535 bytes (the most a 16-bit data_len can say);
 * or pools the application gives (hb_growth_pool_add()). They are ordinary
 * direct mbufs: valid TX segments that any PMD frees back to their pool. A
 * class is used only when its room is larger than the buffer's own pool's.
 */

#define LADDER_MAX 8

struct ladder_class {
	uint32_t room;
	bool user;		/* given by the application */
	bool failed;		/* could not be created: not tried again */
	struct rte_mempool *mp; /* NULL: not created yet */
};

struct ladder {
	uint32_t n;		/* classes, rooms ascending */
	bool user;		/* the application gave this ladder */
	struct ladder_class c[LADDER_MAX];
};

static const uint32_t default_room[] = { 4096, 8192, 16384, 32768, 65535 };
/* Share of the memory budget of each default class, in 64ths. */
static const uint32_t default_share[] = { 8, 8, 8, 8, 32 };

static struct ladder ladders[RTE_MAX_NUMA_NODES];
/* Guards creation and changes; readers load the pools with acquire. */
static rte_spinlock_t ladder_lock = RTE_SPINLOCK_INITIALIZER;
static uint32_t growth_max_seg = UINT16_MAX;
static uint64_t growth_mem = HB_GROWTH_MEM_DEFAULT;
static bool growth_used;	/* a pool was created or given */

static int
socket_of(const struct rte_mempool *mp)
{
	return mp->socket_id >= 0 && mp->socket_id < RTE_MAX_NUMA_NODES ?
	       mp->socket_id : 0;
}

/* The default ladder of a socket (nothing created yet). */
static void
ladder_default(struct ladder *l)
{
	unsigned int i;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < RTE_DIM(default_room); i++)
		l->c[i].room = default_room[i];
	l->n = RTE_DIM(default_room);
}

int
hb_growth_set(const struct hb_growth *g)
{
	int rc = 0;

	if (g == NULL || g->max_seg > UINT16_MAX ||
	    (g->mem_per_socket != 0 && g->mem_per_socket < 256 * 1024))
		return -EINVAL;
	rte_spinlock_lock(&ladder_lock);
	if (growth_used) {
		rc = -EBUSY;
	} else {
		growth_max_seg = g->max_seg;
		growth_mem = g->mem_per_socket != 0 ? g->mem_per_socket :
						      HB_GROWTH_MEM_DEFAULT;
	}
	rte_spinlock_unlock(&ladder_lock);
	return rc;
}

int
hb_growth_get(struct hb_growth *g)
{
	if (g == NULL)
		return -EINVAL;
	g->max_seg = growth_max_seg;
	g->mem_per_socket = growth_mem;
	return 0;
}

int
hb_growth_pool_add(struct rte_mempool *mp)
{
	struct ladder *l;
	uint32_t room, i;
	int rc = 0;

	if (mp == NULL ||
	    mp->private_data_size < sizeof(struct rte_pktmbuf_pool_private))
		return -EINVAL;
	room = rte_pktmbuf_data_room_size(mp);
	if (room == 0)
		return -EINVAL;
	l = &ladders[socket_of(mp)];
	rte_spinlock_lock(&ladder_lock);
	if (!l->user) {
		/* The first given pool replaces the default ladder. */
		for (i = 0; i < l->n; i++)
			if (l->c[i].mp != NULL)
				rc = -EBUSY;
		if (rc == 0) {
			memset(l, 0, sizeof(*l));
			l->user = true;
		}
	}
	for (i = 0; rc == 0 && i < l->n; i++)
		if (l->c[i].room == room)
			rc = -EEXIST;
	if (rc == 0 && l->n == LADDER_MAX)
		rc = -ENOSPC;
	if (rc == 0) {
		for (i = l->n; i > 0 && l->c[i - 1].room > room; i--)
			l->c[i] = l->c[i - 1];
		l->c[i].room = room;
		l->c[i].user = true;
		l->c[i].failed = false;
		__atomic_store_n(&l->c[i].mp, mp, __ATOMIC_RELEASE);
		l->n++;
		growth_used = true;
	}
	rte_spinlock_unlock(&ladder_lock);
	return rc;
}

unsigned int
hb_growth_in_use(void)
{
	unsigned int s, c, n = 0;

	for (s = 0; s < RTE_MAX_NUMA_NODES; s++)
		for (c = 0; c < ladders[s].n; c++) {
			struct rte_mempool *mp = __atomic_load_n(
				&ladders[s].c[c].mp, __ATOMIC_ACQUIRE);

			if (mp != NULL)
				n += rte_mempool_in_use_count(mp);
		}
	return n;
}

/*
 * The pool of class @c of ladder @l (socket @socket), created on first
 * need. Never waits: an lcore that finds another one creating a pool gets
 * NULL (its caller falls back to a smaller class).
 */
static struct rte_mempool *
ladder_pool(struct ladder *l, int socket, unsigned int c)
{
	struct ladder_class *k = &l->c[c];
	struct rte_mempool *mp = __atomic_load_n(&k->mp, __ATOMIC_ACQUIRE);
	char name[RTE_MEMPOOL_NAMESIZE];
	unsigned int n, cache;

	if (likely(mp != NULL) || k->failed || k->user)
		return mp;
	if (!rte_spinlock_trylock(&ladder_lock))
		return NULL;
	mp = k->mp;
	if (mp == NULL && !k->failed && !l->user && c < RTE_DIM(default_share)) {
		n = (unsigned int)(growth_mem * default_share[c] / 64 /
				   (k->room + sizeof(struct rte_mbuf)));
		n = RTE_MAX(n, 8u);
		cache = RTE_MIN(n / 8, 32u);
		snprintf(name, sizeof(name), "hb_seg%u_s%d", k->room, socket);
		mp = rte_pktmbuf_pool_create(name, n, cache, 0,
					     (uint16_t)k->room, socket);
		if (mp == NULL) {
			k->failed = true;
			HB_LOG(WARNING, "no pool of %u-byte segments on socket "
			       "%d (%s): smaller segments instead", k->room,
			       socket, rte_strerror(rte_errno));
		} else {
			growth_used = true;
		}
		/* Published whole: pairs with the acquire load above. */
		__atomic_store_n(&k->mp, mp, __ATOMIC_RELEASE);
	}
	rte_spinlock_unlock(&ladder_lock);
	return mp;
}

void
hb_seg_fini(void)
{
	unsigned int s, c;

	for (s = 0; s < RTE_MAX_NUMA_NODES; s++) {
		struct ladder *l = &ladders[s];

		for (c = 0; c < l->n; c++) {
			struct rte_mempool *mp = l->c[c].mp;

			if (mp == NULL || l->c[c].user)
				continue;
			if (rte_mempool_in_use_count(mp) != 0) {
				/* Leak rather than free mbufs still in use. */
				HB_LOG(ERR, "%s: %u segments still in use",
				       mp->name, rte_mempool_in_use_count(mp));
				continue;
			}
			rte_mempool_free(mp);
		}
		ladder_default(l);
	}
	growth_max_seg = UINT16_MAX;
	growth_mem = HB_GROWTH_MEM_DEFAULT;
	growth_used = false;
}

void
hb_seg_init(void)
{
	unsigned int s;

	if (growth_used)
		return;
	for (s = 0; s < RTE_MAX_NUMA_NODES; s++)
		if (ladders[s].n == 0)
			ladder_default(&ladders[s]);
}

/* One segment, data_off 0, from @mp. */
static struct rte_mbuf *
seg_get(struct rte_mempool *mp)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);

	if (m != NULL)
		m->data_off = 0;
	return m;
}

/*
 * The class for a new segment of a buffer of pool @mp (own room @own),
 * which still needs @need bytes and has @have bytes of capacity: the
 * largest class not larger than max(@need, @have), so that capacity about
 * doubles; if that is smaller than @need, the smallest holding @need (the
 * largest if none does); if no class is that small, the smallest one. -1:
 * the buffer's own pool serves (no class larger than it is wanted).
 */
static int
seg_class(const struct ladder *l, uint32_t own, uint32_t need, uint32_t want)
{
	int c, best = -1;

	if (want <= own)
		return -1;
	for (c = 0; c < (int)l->n; c++) {
		uint32_t room = l->c[c].room;

		if (room <= own || room > growth_max_seg)
			continue;
		if (room <= want)
			best = c; /* ascending: the largest so far */
		else if (best < 0 || l->c[best].room < need)
			return c; /* the smallest above */
	}
	return best;
}

struct rte_mbuf *
hb_seg_get(struct rte_mempool *mp, uint32_t need, uint64_t have)
{
	uint32_t own = hb_seg_pool_cap(mp);
	uint32_t cap = RTE_MIN(growth_max_seg, (uint32_t)UINT16_MAX);
	int socket = socket_of(mp), c;
	struct ladder *l = &ladders[socket];
	struct rte_mbuf *m;

	need = RTE_MIN(need, cap);
	c = seg_class(l, own, need, (uint32_t)RTE_MIN(RTE_MAX(have,
				(uint64_t)need), (uint64_t)cap));
	/* That class, or a smaller one if it is empty, or the own pool. */
	for (; c >= 0; c--) {
		struct rte_mempool *cp;

		if (l->c[c].room <= own || l->c[c].room > growth_max_seg)
			continue;
		cp = ladder_pool(l, socket, (unsigned int)c);
		if (cp != NULL && (m = seg_get(cp)) != NULL)
			return m;
	}
	return seg_get(mp);
}

int
hb_seg_grow(struct rte_mempool *mp, uint64_t need, uint64_t have,
	    struct rte_mbuf **first, struct rte_mbuf **last, uint32_t max_segs,
	    uint32_t *nsegs)
{
	struct rte_mbuf *head = NULL, *prev = NULL, *m;
	uint32_t n = 0, single = 0;

	while (need > 0) {
		/* Double the capacity, or cover what is asked at once. */
		uint64_t want = RTE_MAX(need, have);
		uint32_t own = hb_seg_pool_cap(mp);

		if (n == max_segs)
			goto too_big;
		if (seg_class(&ladders[socket_of(mp)], own,
			      (uint32_t)RTE_MIN(need, (uint64_t)UINT16_MAX),
			      (uint32_t)RTE_MIN(RTE_MIN(want, (uint64_t)UINT16_MAX),
						(uint64_t)growth_max_seg)) < 0) {
			/* The buffer's own pool serves the rest: in bulk. */
			uint64_t k = (need + own - 1) / own;
			struct rte_mbuf *f, *l;

			if (k > max_segs - n)
				goto too_big;
			if (hb_seg_list_alloc(mp, (uint32_t)k, &f, &l) != 0)
				goto no_mem;
			if (prev == NULL)
				head = f;
			else
				prev->next = f;
			prev = l;
			n += (uint32_t)k; /* counted by hb_seg_list_alloc() */
			break;
		}
		m = hb_seg_get(mp, (uint32_t)RTE_MIN(need, (uint64_t)UINT16_MAX),
			       have);
		if (m == NULL)
			goto no_mem;
		if (prev == NULL)
			head = m;
		else
			prev->next = m;
		prev = m;
		n++;
		single++;
		need -= RTE_MIN(need, (uint64_t)m->buf_len);
		have += m->buf_len;
	}
	HB_STAT_ADD(segs_alloc, single);
	*first = head;
	*last = prev;
	*nsegs = n;
	return 0;
too_big:
	hb_seg_list_free(head);
	return -E2BIG;
no_mem:
	hb_seg_list_free(head);
	return -ENOMEM;
}

int
hb_seg_list_alloc(struct rte_mempool *mp, uint32_t n, struct rte_mbuf **first,
		  struct rte_mbuf **last)
{
	struct rte_mbuf *burst[HB_ALLOC_BURST];
	struct rte_mbuf *head = NULL, *prev = NULL;
	uint32_t done = 0;

	if (n == 1) {
		/* One: the inline get, not the bulk machinery. */
		head = rte_pktmbuf_alloc(mp);
		if (head == NULL)
			return -ENOMEM;
		head->data_off = 0;
		HB_STAT_ADD(segs_alloc, 1);
		*first = head;
		*last = head;
		return 0;
	}
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
	uint32_t stride = x->valid && x->n > 2 ? x->e[2].start - x->e[1].start : 0;

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
	sz = sizeof(*x) + (size_t)cap * (sizeof(struct hb_idx_ent) +
					  sizeof(struct rte_mbuf *));
	x = rte_malloc_socket("hb_idx", sz, RTE_CACHE_LINE_SIZE,
			      b->mp != NULL ? b->mp->socket_id : SOCKET_ID_ANY);
	if (x == NULL) {
		__hb_idx_free(b);
		return false;
	}
	x->e = (struct hb_idx_ent *)(x + 1);
	x->seg = (struct rte_mbuf **)(x->e + cap);
	x->cap = cap;
	x->stride = 0;
	if (old != NULL && old->valid) {
		x->n = old->n;
		x->valid = 1;
		memcpy(x->e, old->e, old->n * sizeof(*x->e));
		memcpy(x->seg, old->seg, old->n * sizeof(*x->seg));
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
	x->e[x->n].ptr = rte_pktmbuf_mtod(m, char *);
	x->e[x->n].start = start;
	x->e[x->n].rsvd = 0;
	x->n++;
	if (x->n == 3)
		idx_stride(x);
}

void
__hb_idx_cut(struct hb_buf *b, uint32_t end)
{
	struct hb_idx *x = b->idx;

	while (x->n > 1 && x->e[x->n - 1].start >= end)
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
		x->e[i].ptr = rte_pktmbuf_mtod(m, char *);
		x->e[i].start = off;
		x->e[i].rsvd = 0;
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
	const struct hb_idx_ent *e = x->e;
	uint32_t n = x->n, lo, len;

	/*
	 * Guess from the length of the second segment: exact for chains of
	 * equal middle segments (received packets).
	 */
	if (x->stride != 0) {
		uint32_t g = off < e[1].start ? 0 :
			1 + rte_reciprocal_divide(off - e[1].start, x->recip);

		if (g < n && e[g].start <= off &&
		    (g + 1 == n || off < e[g + 1].start))
			return g;
	}
	/* Largest i with e[i].start <= off (empty segments share a start). */
	lo = 0;
	len = n;
	while (len > 1) {
		uint32_t half = len / 2;

		if (e[lo + half].start <= off)
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
		s = b->idx->e[n].start;
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

		/*
		 * Pieces of headers (the common bounce): DPDK's inline copy,
		 * no call; larger ones: the C library's, faster above ~64 B
		 * here (bench/README.md).
		 */
		if (n <= 64) {
			if (to_buf)
				rte_memcpy(p, d, n);
			else
				rte_memcpy(d, p, n);
		} else if (to_buf) {
			memcpy(p, d, n);
		} else {
			memcpy(d, p, n);
		}
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

