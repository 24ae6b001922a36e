/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_SEG_H
#define HB_SEG_H

/*
 * Library-private, layer 3 of 7 (segments; docs/guide.md, "Architecture"):
 * the segments of a buffer's chain: taking them from a pool, the segment
 * index, finding the segment of an offset, copying across segments.
 * Includes only the per-lcore layer; never asks who holds the buffer:
 * whether a lookup may update the buffer's caches (position cache, index)
 * is the caller's argument @cache (the buffer itself, or NULL when the
 * caller is one of several concurrent readers of a shared buffer).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "hb_lcore.h"

/*
 * Lookup: the tail, then at most HB_WALK_SEQ steps on from the cached
 * position (sequential access), then at most HB_WALK_HEAD steps from the
 * head, then the segment index on chains of at least HB_IDX_MIN_SEGS
 * segments, else the rest of the walk (short chains).
 */
#define HB_WALK_SEQ 2
#define HB_WALK_HEAD 4
#define HB_IDX_MIN_SEGS 16

/* May HyperBuf put bytes outside @m's data (headroom, tailroom)? */
static inline bool
hb_seg_exclusive(const struct rte_mbuf *m)
{
	if (__hb_seg_exclusive(m))
		return true;
	/* An external buffer nobody else references. */
	return RTE_MBUF_HAS_EXTBUF(m) && !RTE_MBUF_CLONED(m) &&
	       rte_mbuf_refcnt_read(m) == 1 &&
	       rte_mbuf_ext_refcnt_read(m->shinfo) == 1;
}

/* Room after @m's data that HyperBuf may fill. */
static inline uint32_t
hb_seg_tailroom(const struct rte_mbuf *m)
{
	return hb_seg_exclusive(m) ? rte_pktmbuf_tailroom(m) : 0;
}

/* Bytes a fresh segment of @mp holds (data_off 0). */
static inline uint32_t
hb_seg_pool_cap(struct rte_mempool *mp)
{
	return rte_pktmbuf_data_room_size(mp);
}

/* Free a list of segments linked through next (nb_segs not consistent). */
static inline void
hb_seg_list_free(struct rte_mbuf *m)
{
	if (m != NULL)
		rte_pktmbuf_free_bulk(&m, 1);
}

/*
 * Take @n segments from @mp, linked through next, reset, data_off 0.
 * All or nothing: on failure (-ENOMEM) every segment taken is back in the
 * pool.
 */
int hb_seg_list_alloc(struct rte_mempool *mp, uint32_t n,
		      struct rte_mbuf **first, struct rte_mbuf **last);

/*
 * One new segment (data_off 0) for a buffer of pool @mp that still needs
 * @need bytes and has @have bytes of capacity: of the class the growth
 * policy picks (the largest not larger than the capacity, or one holding
 * @need), or of a smaller one if that one is empty, or finally of @mp;
 * NULL if none is left. Not counted in the stats (the caller counts).
 */
struct rte_mbuf *hb_seg_get(struct rte_mempool *mp, uint32_t need,
			    uint64_t have);

/*
 * Take the new segments (data_off 0, linked through next) for @need more
 * bytes of a buffer of pool @mp that holds @have bytes of capacity: each
 * new segment of the growth policy's size (hb_seg_get()), and at
 * most @max_segs of them. All or nothing: -ENOMEM (no segment anywhere) or
 * -E2BIG (more than @max_segs), every segment taken given back.
 */
int hb_seg_grow(struct rte_mempool *mp, uint64_t need, uint64_t have,
		struct rte_mbuf **first, struct rte_mbuf **last,
		uint32_t max_segs, uint32_t *nsegs);
/* The default segment classes (hb_init()). */
void hb_seg_init(void);
/*
 * Free the segment classes' pools HyperBuf created that hold no segment in
 * use, forget the pools the application gave, default settings
 * (hb_fini()).
 */
void hb_seg_fini(void);

/*
 * Copy the packet-level metadata of @src onto @dst, which becomes the
 * head. The attachment flags of @dst (indirect, external) are its own.
 */
void hb_seg_move_meta(struct rte_mbuf *dst, const struct rte_mbuf *src);

/*
 * Check an adopted chain: consistent nb_segs and pkt_len, no loop (0, or
 * -EINVAL). Sets *@last_data to its last segment holding data (the head if
 * none does).
 */
int hb_seg_chain_check(const struct rte_mbuf *m,
		       const struct rte_mbuf **last_data);

/*
 * Segment index (struct hb_idx, hb_buf_pvt.h): for each segment from head
 * to tail, its logical start offset, its mbuf and its data pointer. Built
 * on the first random access that would walk a long chain; appends keep it
 * up to date (hb_idx_push()), trim and split cut it (hb_idx_cut()),
 * prepend and adj invalidate it (it is rebuilt on the next random access).
 */
void __hb_idx_free(struct hb_buf *b);
void __hb_idx_push(struct hb_buf *b, struct rte_mbuf *m, uint32_t start);
void __hb_idx_cut(struct hb_buf *b, uint32_t end);

/* Free the index, if any (the buffer's chain is going away). */
static inline void
hb_idx_free(struct hb_buf *b)
{
	if (b->idx != NULL)
		__hb_idx_free(b);
}

/* Entries no longer valid (offsets moved): rebuilt on next use. */
static inline void
hb_idx_invalidate(struct hb_buf *b)
{
	if (b->idx != NULL) {
		b->idx->valid = 0;
		b->idx->stride = 0; /* no inline guess either */
	}
}

/* Add @m, starting at logical offset @start, after the last entry. */
static inline void
hb_idx_push(struct hb_buf *b, struct rte_mbuf *m, uint32_t start)
{
	if (b->idx != NULL && b->idx->valid)
		__hb_idx_push(b, m, start);
}

/* Drop the entries of segments starting at or after @end. */
static inline void
hb_idx_cut(struct hb_buf *b, uint32_t end)
{
	if (b->idx != NULL && b->idx->valid)
		__hb_idx_cut(b, end);
}

/* Build the index of a long chain now, if it has none (best effort). */
void hb_idx_prepare(struct hb_buf *b);

/*
 * Find the segment holding byte @off (< length) of @b and its logical start
 * *@start; @ord (if not NULL) gets its position in the chain (then the
 * position cache is not used for the lookup). With @cache (@b itself, held
 * by a caller that may update its caches), the result is remembered in the
 * position cache and a missing index of a long chain is built; with NULL,
 * @b is only read.
 */
struct rte_mbuf *hb_seg_find_ord(const struct hb_buf *b, uint32_t off,
				 uint32_t *start, uint32_t *ord,
				 struct hb_buf *cache);

static inline struct rte_mbuf *
hb_seg_find(const struct hb_buf *b, uint32_t off, uint32_t *start,
	    struct hb_buf *cache)
{
	return hb_seg_find_ord(b, off, start, NULL, cache);
}

/*
 * Copy between a flat buffer @buf and [@rel in @m, +@len) of @b's chain
 * (@m starting at logical offset @start), across as many segments as
 * needed: out of the chain (@to_buf) or into it. With @cache (as for
 * hb_seg_find()), the position cache is left on the last segment.
 */
void hb_seg_copy(struct rte_mbuf *m, uint32_t start, uint32_t rel, void *buf,
		 uint32_t len, bool to_buf, struct hb_buf *cache);

#endif /* HB_SEG_H */
