/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_PRIVATE_H
#define HB_PRIVATE_H

/*
 * Library-private declarations: never installed, never included by
 * applications.
 */

#include <rte_debug.h>
#include <rte_log.h>

#include <rte_lcore.h>

#include "hyperbuf.h"
#include "hb_async.h"

extern int hb_logtype;

#define HB_LOG(level, fmt, ...)                                                \
	rte_log(RTE_LOG_##level, hb_logtype, "HYPERBUF: %s(): " fmt "\n",     \
		__func__, ##__VA_ARGS__)

/*
 * HB_DEBUG (meson -Ddebug_checks=true, on in the sanitizer build) turns on
 * internal assertions and a full hb_buf_check() after every mutating call.
 * Without it they compile away.
 */
#ifdef HB_DEBUG
#define HB_ASSERT(exp) RTE_VERIFY(exp)
#define HB_BUF_VERIFY(b)                                                       \
	do {                                                                   \
		const char *__why;                                             \
		if (hb_buf_check((b), &__why) != 0)                            \
			rte_panic("%s: buffer inconsistent: %s\n", __func__,   \
				  __why);                                      \
	} while (0)
#else
#define HB_ASSERT(exp) do { } while (0)
#define HB_BUF_VERIFY(b) do { } while (0)
#endif

/*
 * Segment index: for each segment from head to tail, its logical start
 * offset and pointer. Built on the first random access that would walk a
 * long chain; appends keep it up to date, trim and split cut it, prepend
 * and adj invalidate it (it is rebuilt on the next random access).
 * Lookup guesses the entry from the length of the second segment (chains
 * built by appends have equal middle segments: O(1)) and falls back to a
 * binary search.
 */
/* struct hb_idx is in hb_buf_pvt.h: hb_buf.h looks it up inline. */

/*
 * Lookup: the tail, then at most HB_WALK_SEQ steps on from the cached
 * position (sequential access), then at most HB_WALK_HEAD steps from the
 * head, then the segment index on chains of at least HB_IDX_MIN_SEGS
 * segments, else the rest of the walk (short chains).
 */
#define HB_WALK_SEQ 2
#define HB_WALK_HEAD 4
#define HB_IDX_MIN_SEGS 16

/* Segment lookup shared by the buffer, cursor and visitor modules. */
struct rte_mbuf *hb_seg_find(const struct hb_buf *b, uint32_t off,
			     uint32_t *start);
void hb_idx_free(struct hb_buf *b);

/* Gather [off, off+len) into dst (to_buf) or scatter src into it. */
void hb_seg_copy(const struct hb_buf *b, struct rte_mbuf *m, uint32_t start,
		 uint32_t rel, void *buf, uint32_t len, bool to_buf);

/*
 * Growth that can be taken back: hb_buf_grow_zero() appends @len zero bytes
 * (no entry checks: the caller holds the buffer) and records what
 * hb_buf_grow_undo() needs to put the buffer back exactly as it was,
 * returning every mbuf the growth took.
 */
struct hb_grow_undo {
	struct rte_mbuf *head;	/* NULL: the buffer held no segment */
	struct rte_mbuf *tail;	/* tail before */
	struct rte_mbuf *last;	/* last segment of the chain before */
	uint32_t len;		/* length before */
	uint16_t tail_len;	/* tail data_len before */
	uint16_t nb_segs;	/* segments before */
};

int hb_buf_grow_zero(struct hb_buf *b, uint32_t len, struct hb_grow_undo *u);
void hb_buf_grow_undo(struct hb_buf *b, const struct hb_grow_undo *u);

/*
 * Per-lcore state, indexed by rte_lcore_id(), written by its lcore only.
 * bounce holds spanning visits: HB_VISIT_BOUNCE_SIZE bytes in 64-byte
 * units plus a bitmap of the units in use (hb_lcore.c); blocks are taken
 * first fit and given back in any order.
 */
struct hb_async_lcore;

struct hb_lcore {
	uint8_t *bounce;	/* HB_VISIT_BOUNCE_SIZE bytes, on first need */
	struct hb_async_lcore *async; /* request slots, completion ring */
	uint32_t live;		/* bounced visitors holding arena bytes */
	struct hb_stats stats;
} __rte_cache_aligned;

extern struct hb_lcore hb_lcores[RTE_MAX_LCORE];

/* The caller's slot, NULL for an unregistered non-EAL thread. */
struct hb_lcore *hb_lcore_self(void);
int hb_bounce_alloc(struct hb_lcore *lc, uint32_t len, uint32_t *off);
void hb_bounce_free(struct hb_lcore *lc, uint32_t off, uint32_t len);

/* Count an event on the calling lcore (nothing on unregistered threads). */
#define HB_STAT_ADD(field, n)                                                  	do {                                                                   		unsigned int __id = rte_lcore_id();                            		if (__id < RTE_MAX_LCORE) {                                    			uint64_t *__c = &hb_lcores[__id].stats.field;          			__atomic_store_n(__c, *__c + (n), __ATOMIC_RELAXED);   		}                                                              	} while (0)

/* Check an adopted chain and find its tail, once (hb_buf_attach() is lazy). */
int hb_buf_resolve(const struct hb_buf *b);
/* Entry and exit of reading calls (hb_buf.c; shared buffers: a reader). */
int hb_buf_read_enter(const struct hb_buf *b, unsigned int *id);
void hb_buf_read_exit(const struct hb_buf *b, unsigned int id);
/* hb_buf_append() for a caller holding the buffer exclusively. */
int hb_buf_append_held(struct hb_buf *b, const void *src, uint32_t len);
/* Writable room after the tail's data (exclusive tail) and where it is. */
uint32_t hb_buf_tail_room(const struct hb_buf *b, char **p);
/* hb_buf_peek() for a caller already holding the buffer for reading. */
const void *hb_buf_peek_held(const struct hb_buf *b, uint32_t off,
			     uint32_t len, void *scratch);
/* Build the segment index of a long chain now (best effort). */
void hb_buf_index(struct hb_buf *b);

/* Shared buffers (hb_async.c). */
int hb_shared_enter(struct hb_buf *b, bool write, unsigned int id,
		    bool call);
void hb_shared_exit(struct hb_buf *b, bool write, unsigned int id);
bool hb_shared_holds(const struct hb_buf *b, bool write, unsigned int id);
bool hb_shared_writing(const struct hb_buf *b);
void hb_async_lcore_free(unsigned int id);
int hb_async_init(void);
void hb_async_fini(void);

/*
 * hb_visit_async() (hb_async.c) after its checks and req_fill(): the visit
 * calls' paths for @req->v (align 1), granted now (counted, 0) or else
 * hb_async_refused(); through no exported entry (no PLT).
 */
int hb_visit_async_now(struct hb_req *req, struct hb_buf *b, uint32_t off,
		       uint32_t len, uint32_t grow, bool write);
/* @req was refused now with @rc: queue it if busy and shared, or fail. */
int hb_async_refused(struct hb_req *req, int rc);
/* Visitors (hb_visit.c): make the view of a request granted to lcore @id. */
int hb_visit_map_granted(struct hb_buf *b, uint32_t off, uint32_t len,
			 uint32_t grow, bool write, unsigned int id,
			 struct hb_visitor *v);

/* Validation of the buffer state on entry to a call. */
static inline int
hb_buf_magic_ok(const struct hb_buf *b)
{
	return b != NULL && (uint32_t)(b->state >> 32) == __HB_BUF_MAGIC;
}

#endif /* HB_PRIVATE_H */
