/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_BUF_INT_H
#define HB_BUF_INT_H

/*
 * Library-private, layer 4 of 7 (buffer; docs/guide.md, "Architecture"):
 * what the views and streams (visitors, cursor, writer) need of the
 * buffer beyond its public calls: entering a buffer as a reader, the
 * append and peek of a caller that already holds it, growth that can be
 * taken back. Includes the layers below (guard, segments, per-lcore).
 */

#include "hb_guard.h"
#include "hb_seg.h"

/*
 * HB_DEBUG: a full hb_buf_check() after every mutating call (compiled
 * away without it).
 */
#ifdef HB_DEBUG
#define HB_BUF_VERIFY(b)                                                       \
	do {                                                                   \
		const char *__why;                                             \
		if (hb_buf_check((b), &__why) != 0)                            \
			rte_panic("%s: buffer inconsistent: %s\n", __func__,   \
				  __why);                                      \
	} while (0)
#else
#define HB_BUF_VERIFY(b) do { } while (0)
#endif

/* Validation of the buffer state on entry to a call. */
static inline int
hb_buf_magic_ok(const struct hb_buf *b)
{
	return __hb_buf_magic_ok(b);
}

/* Is @b shared (its visitor state in its guard b->sh)? */
static inline bool
hb_buf_shared(const struct hb_buf *b)
{
	return (b->state & __HB_GUARD_SHARED) != 0;
}

/*
 * What a reading call holds: the lcore it is counted on as a reader of a
 * shared buffer, and the buffer itself if the call may update its caches
 * (position cache, segment index: a local buffer), else NULL (one of the
 * concurrent readers of a shared buffer only reads them).
 */
struct hb_hold {
	unsigned int id;
	struct hb_buf *cache;
};

/*
 * Enter a reading call: @b initialised, no write visitor; a shared buffer
 * is held as a reader for the length of the call (-EBUSY when a writer
 * holds it, -ENOTSUP on an unregistered thread). An adopted chain is
 * checked on first use (-EINVAL). 0: give it back with hb_buf_read_exit().
 */
int hb_buf_read_enter(const struct hb_buf *b, struct hb_hold *h);
void hb_buf_read_exit(const struct hb_buf *b, const struct hb_hold *h);

/*
 * Check an adopted chain and find its tail, once (hb_buf_attach() is
 * lazy): 0, or -EINVAL for an inconsistent chain (nothing changed).
 */
int hb_buf_resolve(const struct hb_buf *b);

/* hb_buf_append() for a caller holding @b exclusively. */
int hb_buf_append_held(struct hb_buf *b, const void *src, uint32_t len);
/* Writable room after the tail's data (exclusive tail) and where it is. */
uint32_t hb_buf_tail_room(const struct hb_buf *b, char **p);
/* hb_buf_peek() for a caller holding @b for reading (@cache: hb_hold). */
const void *hb_buf_peek_held(const struct hb_buf *b, uint32_t off,
			     uint32_t len, void *scratch, struct hb_buf *cache);

/*
 * Growth that can be taken back: hb_buf_grow_zero() appends @len zero bytes
 * (no entry checks: the caller holds the buffer exclusively) and records
 * what hb_buf_grow_undo() needs to put the buffer back exactly as it was,
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

#endif /* HB_BUF_INT_H */
