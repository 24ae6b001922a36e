/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_WRITER_H
#define HB_WRITER_H

/**
 * @file
 * HyperBuf writer: build a buffer by many small appends, at the cost of a
 * memcpy and a bounds check each.
 *
 * @warning
 * @b EXPERIMENTAL: all HyperBuf APIs may change without prior notice.
 */

#include <rte_compat.h>

#include "hb_buf.h"

/*
 * No deprecation warning for the calls between this header's own
 * experimental functions; the including program's calls still warn (see
 * hb_buf.h).
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Streaming appends.
 *
 * hb_buf_append() keeps the mbuf chain valid after every call (tail
 * data_len and head pkt_len updated each time). A writer holds the buffer
 * exclusively, like a write visitor, from hb_writer_begin() to
 * hb_writer_end(), and keeps the write position in itself: an append that
 * fits in the tail segment is a copy and three register updates; the chain
 * is brought up to date when a segment fills and at hb_writer_end(). Same
 * all-or-nothing rule per append as hb_buf_append().
 *
 * While a writer is live, every other call on the buffer fails with -EBUSY
 * (it is a write visitor); hb_buf_len() does not count the writer's bytes
 * yet (hb_writer_len() does).
 *
 *   struct hb_writer w;
 *
 *   if (hb_writer_begin(&w, &b) == 0) {
 *           for (i = 0; i < n && rc == 0; i++)
 *                   rc = hb_writer_append(&w, rec[i], sizeof(rec[i]));
 *           hb_writer_end(&w);
 *   }
 */

/** A writer. Caller-owned; fields are private. */
struct hb_writer {
	struct hb_buf *buf; /**< @internal the buffer */
	char *p;	    /**< @internal next byte in the tail's room */
	uint32_t room;	    /**< @internal bytes p may still take */
	uint32_t pend;	    /**< @internal bytes at p not yet in the chain */
	uint32_t state;	    /**< @internal magic, live */
	uint32_t lcore;	    /**< @internal lcore holding a shared buffer */
};

/**
 * Start appending to @p b through @p w: takes @p b exclusively.
 *
 * Not MT-safe on a local buffer: call from the thread that owns @p b; on a
 * shared buffer, MT-safe from any lcore (EAL or registered non-EAL thread;
 * -ENOTSUP elsewhere), which holds it exclusively until hb_writer_end().
 *
 * @param w
 *   The writer.
 * @param b
 *   The buffer.
 * @return
 *   - 0: Success; end with hb_writer_end().
 *   - -EINVAL: @p w or @p b is NULL, @p b is not initialised or holds an
 *     inconsistent adopted chain.
 *   - -EBUSY: a visitor is live on @p b (or, shared, it is taken or
 *     requests are queued).
 *   - -ENOTSUP: @p b is shared and the caller an unregistered thread.
 */
__rte_experimental
static inline int hb_writer_begin(struct hb_writer *w, struct hb_buf *b);

/**
 * Append @p len bytes from @p src (all or nothing).
 *
 * Not MT-safe: call from the thread that called hb_writer_begin() on @p w.
 *
 * @return
 *   - 0: Success.
 *   - -EINVAL: @p w is not a live writer, or @p src is NULL.
 *   - -E2BIG, -ENOMEM: as hb_buf_append(); the bytes appended before
 *     stay.
 */
__rte_experimental
static inline int hb_writer_append(struct hb_writer *w, const void *src,
				   uint32_t len);

/**
 * Length of the writer's buffer, the bytes appended so far included.
 *
 * Not MT-safe: call from the thread that called hb_writer_begin() on @p w.
 *
 * @param w
 *   A live writer.
 * @return
 *   The length.
 */
__rte_experimental
static inline uint32_t
hb_writer_len(const struct hb_writer *w)
{
	return hb_buf_len(w->buf) + w->pend;
}

/**
 * Bring the chain up to date and give the buffer back.
 *
 * Not MT-safe: call from the thread that called hb_writer_begin() on @p w.
 *
 * @param w
 *   The writer.
 * @return
 *   - 0: Success.
 *   - -EINVAL: @p w is NULL or not a live writer (e.g. ended twice).
 */
__rte_experimental
static inline int hb_writer_end(struct hb_writer *w);

/** @internal "WR": a live writer. */
#define __HB_WRITER_LIVE UINT32_C(0x57520001)

/**
 * @internal Where a writer writes next, and a status: returned by value
 * (in two registers) by the out-of-line parts, so that a writer that lives
 * on the caller's stack never has its address taken: the compiler then
 * keeps it in registers across appends, and an append is a copy and three
 * register updates, with no store-to-load chain through memory.
 */
struct __hb_wpos {
	char *p;	/**< next byte in the tail's room */
	uint32_t room;	/**< bytes p may take */
	int rc;		/**< 0 or a negative errno */
};

/** @internal Out-of-line part of hb_writer_begin(). */
struct __hb_wpos __hb_writer_begin(struct hb_buf *b);
/**
 * @internal Slow path of hb_writer_append(): count @p pend bytes written
 * at the previous position, append @p len bytes of @p src, where next.
 */
struct __hb_wpos __hb_writer_next(struct hb_buf *b, uint32_t pend,
				  const void *src, uint32_t len);
/** @internal Out-of-line part of hb_writer_end(). */
int __hb_writer_end(struct hb_buf *b, uint32_t pend);

__rte_experimental
static inline int
hb_writer_begin(struct hb_writer *w, struct hb_buf *b)
{
	struct __hb_wpos r;

	if (unlikely(w == NULL))
		return -EINVAL;
	r = __hb_writer_begin(b);
	/* A writer that did not begin is defined, and not live. */
	w->buf = b;
	w->p = r.p;
	w->room = r.room;
	w->pend = 0;
	w->lcore = 0;
	w->state = likely(r.rc == 0) ? __HB_WRITER_LIVE : 0;
	return r.rc;
}

__rte_experimental
static inline int
hb_writer_append(struct hb_writer *w, const void *src, uint32_t len)
{
	struct __hb_wpos r;

	if (likely(w != NULL && src != NULL && len <= w->room &&
		   w->state == __HB_WRITER_LIVE)) {
		memcpy(w->p, src, len);
		w->p += len;
		w->room -= len;
		w->pend += len;
		return 0;
	}
	if (unlikely(w == NULL || src == NULL || w->state != __HB_WRITER_LIVE))
		return -EINVAL;
	/* The tail is full: the chain catches up, then a general append. */
	r = __hb_writer_next(w->buf, w->pend, src, len);
	w->pend = 0;
	w->p = r.p;
	w->room = r.room;
	return r.rc;
}

__rte_experimental
static inline int
hb_writer_end(struct hb_writer *w)
{
	int rc;

	if (unlikely(w == NULL || w->state != __HB_WRITER_LIVE))
		return -EINVAL;
	rc = __hb_writer_end(w->buf, w->pend);
	w->pend = 0;
	w->state = 0;
	w->room = 0;
	return rc;
}

#ifdef __cplusplus
}
#endif

#pragma GCC diagnostic pop

#endif /* HB_WRITER_H */
