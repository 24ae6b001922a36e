/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_VISIT_H
#define HB_VISIT_H

/**
 * @file
 * HyperBuf visitors: typed views of a byte range of a buffer.
 *
 * A visitor covers [off, off + len) of a struct hb_buf and exposes it as one
 * contiguous pointer, v->ptr:
 *  - when the range lies in one segment (and, for the aligned variants, the
 *    address is aligned enough), v->ptr points straight into the mbuf data:
 *    zero copy, hb_visitor_is_direct() is true;
 *  - otherwise the range is gathered into bounce memory owned by the calling
 *    lcore (HB_VISIT_BOUNCE_SIZE bytes per lcore), and a write visitor's
 *    bytes are scattered back into the segments by hb_visit_release().
 *    Nothing is hidden: hb_visitor_is_direct() is false.
 *
 * Consistency rule (enforced, never merely documented):
 *  - read visitors share: any number may be live on a buffer;
 *  - a write visitor is exclusive: it conflicts with every other visitor;
 *  - while any visitor is live, every mutating hb_buf_*() call fails with
 *    -EBUSY (NULL and rte_errno EBUSY for pointer returns) and changes
 *    nothing; while a write visitor is live, reading calls fail too.
 * A conflicting visit fails at once with -EBUSY: no call ever spins. To
 * wait for a visitor instead, share the buffer and use hb_visit_async()
 * (hb_async.h).
 *
 * Write visitors may grow the buffer: @p grow declares how many bytes the
 * visit may add at the end (0: none). A range ending past the end of the
 * buffer extends it first, with zero bytes (no stale data is exposed), by at
 * most @p grow bytes; the growth stays after release.
 *
 * Cost on a local buffer: the direct case is inline and touches only the
 * buffer and the visitor, with plain loads and stores (no atomic
 * read-modify-write, no lcore lookup). Bounced visits call out of line.
 *
 * Thread safety: on a local buffer, visitors are used by the thread that
 * owns the buffer; on a shared buffer, by any lcore. A visitor is released
 * by the thread that acquired it. Visits need an EAL lcore or a registered
 * non-EAL thread only when they bounce or the buffer is shared.
 *
 * @warning
 * @b EXPERIMENTAL: all HyperBuf APIs may change without prior notice.
 */

#include <stdalign.h>

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

/** Bytes of bounce memory per lcore: the largest spanning visit. */
#define HB_VISIT_BOUNCE_SIZE (64u * 1024u)
/** Largest alignment the aligned visits can guarantee. */
#define HB_VISIT_ALIGN_MAX 64u

/**
 * A visitor: the view of one byte range of a buffer.
 *
 * Caller-owned (usually on the stack). ptr, off and len are public and
 * read-only; other fields are private.
 */
struct hb_visitor {
	/** The bytes [off, off + len); read only for a read visitor. */
	void *ptr;
	uint32_t off; /**< Offset of the range in the buffer. */
	uint32_t len; /**< Length of the range. */
	struct hb_buf *buf;   /**< @internal buffer visited */
	struct rte_mbuf *seg; /**< @internal bounced: segment holding off */
	uint32_t rel;	      /**< @internal bounced: offset of off in seg */
	uint32_t state;	      /**< @internal magic, kind and flags */
	uint32_t bounce;      /**< @internal bounced: offset in the arena */
	uint32_t lcore;	      /**< @internal bounced: arena's lcore */
	uint32_t gen;	      /**< @internal buffer layout generation */
};

#include "hb_visit_pvt.h"

/**
 * Acquire a read visitor on [@p off, @p off + @p len) of @p b.
 *
 * Shares with other read visitors. The view is direct when the range lies
 * in one segment, otherwise a copy in the calling lcore's bounce memory.
 * The bytes must not be written through v->ptr.
 *
 * Not MT-safe on a local buffer: call from the thread that owns @p b (an
 * lcore if the view bounces: -ENOTSUP elsewhere); on a shared buffer,
 * MT-safe from any lcore (EAL or registered non-EAL thread; -ENOTSUP
 * elsewhere), which holds it as a reader until hb_visit_release().
 *
 * @param b
 *   The buffer.
 * @param off
 *   Offset of the first byte.
 * @param len
 *   Number of bytes (at least 1).
 * @param v
 *   Receives the visitor.
 * @return
 *   - 0: Success; release with hb_visit_release().
 *   - -EINVAL: @p b or @p v is NULL, @p b is not initialised, or @p len
 *     is 0.
 *   - -ERANGE: the range is not inside the buffer.
 *   - -EBUSY: a write visitor is live on @p b, or the buffer is shared and
 *     the visit must wait (see hb_visit_async()).
 *   - -E2BIG: the range spans segments and is larger than
 *     HB_VISIT_BOUNCE_SIZE.
 *   - -ENOMEM: the range spans segments and the lcore's bounce memory is
 *     taken by other live visitors.
 *   - -ENOTSUP: the range spans segments, or @p b is shared, and the caller
 *     is an unregistered non-EAL thread (see rte_thread_register()).
 *   On failure nothing changes and @p v is marked not live.
 */
__rte_experimental
static inline int hb_visit_read(struct hb_buf *b, uint32_t off, uint32_t len,
				struct hb_visitor *v);

/**
 * Acquire a write visitor on [@p off, @p off + @p len) of @p b, growing
 * the buffer by at most @p grow bytes if the range ends past its end.
 *
 * Exclusive: fails if any visitor is live on @p b. New bytes are zero.
 *
 * Not MT-safe on a local buffer: call from the thread that owns @p b (an
 * lcore if the view bounces: -ENOTSUP elsewhere); on a shared buffer,
 * MT-safe from any lcore (EAL or registered non-EAL thread; -ENOTSUP
 * elsewhere), which holds it exclusively until hb_visit_release().
 *
 * @param b
 *   The buffer.
 * @param off
 *   Offset of the first byte (may be past the end if @p grow covers it).
 * @param len
 *   Number of bytes (at least 1).
 * @param grow
 *   How many bytes the visit may add at the end (0: none).
 * @param v
 *   Receives the visitor.
 * @return
 *   - 0: Success; release with hb_visit_release().
 *   - -EINVAL: @p b or @p v is NULL, @p b is not initialised, or @p len
 *     is 0.
 *   - -ERANGE: the range ends more than @p grow bytes past the end.
 *   - -EBUSY: a visitor is live on @p b, or the buffer is shared and the
 *     visit must wait.
 *   - -E2BIG, -ENOMEM, -ENOTSUP: as hb_visit_read(); -ENOMEM also when the
 *     pool has too few mbufs to grow, -E2BIG when growing would pass a
 *     DPDK limit.
 *   On failure nothing changes (no byte added, no mbuf taken) and @p v is
 *   marked not live.
 */
__rte_experimental
static inline int hb_visit_write(struct hb_buf *b, uint32_t off, uint32_t len,
				 uint32_t grow, struct hb_visitor *v);

/**
 * hb_visit_read() with an alignment requirement: the view is direct only if
 * v->ptr is a multiple of @p align, otherwise it bounces (bounce memory is
 * HB_VISIT_ALIGN_MAX aligned).
 *
 * Not MT-safe on a local buffer: call from the thread that owns @p b (an
 * lcore if the view bounces: -ENOTSUP elsewhere); on a shared buffer,
 * MT-safe from any lcore (EAL or registered non-EAL thread; -ENOTSUP
 * elsewhere), which holds it as a reader until hb_visit_release().
 *
 * @param align
 *   A power of two, at most HB_VISIT_ALIGN_MAX; otherwise -EINVAL.
 * @return
 *   As hb_visit_read().
 */
__rte_experimental
static inline int hb_visit_read_aligned(struct hb_buf *b, uint32_t off,
					uint32_t len, uint32_t align,
					struct hb_visitor *v);

/**
 * hb_visit_write() with an alignment requirement (see
 * hb_visit_read_aligned()).
 *
 * Not MT-safe on a local buffer: call from the thread that owns @p b (an
 * lcore if the view bounces: -ENOTSUP elsewhere); on a shared buffer,
 * MT-safe from any lcore (EAL or registered non-EAL thread; -ENOTSUP
 * elsewhere), which holds it exclusively until hb_visit_release().
 *
 * @return
 *   As hb_visit_write().
 */
__rte_experimental
static inline int hb_visit_write_aligned(struct hb_buf *b, uint32_t off,
					 uint32_t len, uint32_t grow,
					 uint32_t align, struct hb_visitor *v);

/**
 * Release a visitor: a bounced write visitor's bytes are scattered back
 * into the buffer, then the buffer is free for others.
 *
 * Not MT-safe on the same visitor: call from the thread that acquired @p v
 * (for an asynchronous visit, the lcore that queued it); a bounced visitor
 * must be released on that lcore (-EPERM elsewhere).
 *
 * @param v
 *   A live visitor.
 * @return
 *   - 0: Success; @p v is no longer live.
 *   - -EALREADY: @p v was already released.
 *   - -EINVAL: @p v is NULL, was never granted, or does not match its
 *     buffer's visitor state (e.g. the buffer was re-initialised: such a
 *     visitor can no longer be released, and a bounced one keeps its
 *     bounce memory).
 *   - -EPERM: @p v bounced on another lcore than the caller's.
 *   On failure nothing changes.
 */
__rte_experimental
static inline int hb_visit_release(struct hb_visitor *v);

/**
 * Is the visitor a zero-copy view into the segment?
 *
 * Not MT-safe: reads @p v only; call from the thread that holds it.
 *
 * @param v
 *   A live visitor.
 * @return
 *   true if v->ptr points into the mbuf data, false if it is bounce memory.
 */
__rte_experimental
static inline bool
hb_visitor_is_direct(const struct hb_visitor *v)
{
	return (v->state & __HB_VIS_BOUNCED) == 0;
}

/**
 * Is the visitor live (granted and not yet released)?
 *
 * Not MT-safe: reads @p v only; call from the thread that holds it.
 *
 * @param v
 *   A visitor.
 * @return
 *   true if @p v is live.
 */
__rte_experimental
static inline bool
hb_visitor_is_live(const struct hb_visitor *v)
{
	return (v->state & (__HB_VIS_MAGIC_MASK | __HB_VIS_LIVE)) ==
	       (__HB_VIS_MAGIC | __HB_VIS_LIVE);
}

/**
 * Read visitor on a @p type at @p off: size and alignment from the type.
 * Evaluates to the int result of hb_visit_read_aligned().
 */
#define HB_VISIT_READ(b, off, type, v)                                         \
	hb_visit_read_aligned((b), (off), sizeof(type), alignof(type), (v))

/**
 * Write visitor on a @p type at @p off, growing by at most @p grow bytes.
 * Evaluates to the int result of hb_visit_write_aligned().
 */
#define HB_VISIT_WRITE(b, off, type, grow, v)                                  \
	hb_visit_write_aligned((b), (off), sizeof(type), (grow),               \
			       alignof(type), (v))

/** The visitor's bytes as a pointer to @p type (const for read views). */
#define HB_VIEW(v, type) ((type *)(v)->ptr)

/* Inline definitions. */

__rte_experimental
static inline int
hb_visit_read_aligned(struct hb_buf *b, uint32_t off, uint32_t len,
		      uint32_t align, struct hb_visitor *v)
{
	const struct rte_mbuf *m;

	if (unlikely(b == NULL || v == NULL || len == 0))
		return __hb_visit_acquire(b, off, len, 0, align, false, v);
	/* One compare: initialised, local, no writer, reader count not full. */
	if (likely(b->state - __HB_STATE_IDLE < __HB_GUARD_READERS &&
		   (m = b->pos_seg) != NULL)) {
		uint32_t rel = off - b->pos_off;
		char *p = rte_pktmbuf_mtod_offset(m, char *, rel);

		if (likely((uint64_t)rel + len <= m->data_len &&
			   __hb_align_ok(p, align))) {
			b->state++;
			__hb_visitor_set(v, b, p, off, len, __HB_VIS_READ_DIRECT);
			return 0;
		}
	}
	/* Shared buffers, bounces, errors. */
	return __hb_visit_read(b, off, len, align, v);
}

__rte_experimental
static inline int
hb_visit_read(struct hb_buf *b, uint32_t off, uint32_t len,
	      struct hb_visitor *v)
{
	return hb_visit_read_aligned(b, off, len, 1, v);
}

__rte_experimental
static inline int
hb_visit_write_aligned(struct hb_buf *b, uint32_t off, uint32_t len,
		       uint32_t grow, uint32_t align, struct hb_visitor *v)
{
	struct rte_mbuf *m;

	if (likely(b != NULL && v != NULL && len != 0 &&
		   b->state == __HB_STATE_IDLE && (m = b->pos_seg) != NULL)) {
		uint32_t rel = off - b->pos_off;
		char *p = rte_pktmbuf_mtod_offset(m, char *, rel);

		if (likely((uint64_t)rel + len <= m->data_len &&
			   __hb_align_ok(p, align))) {
			b->state |= __HB_GUARD_WRITER;
			__hb_visitor_set(v, b, p, off, len,
					 __HB_VIS_WRITE_DIRECT);
			return 0;
		}
	}
	/* Growth, shared buffers, bounces, errors. */
	return __hb_visit_write(b, off, len, grow, align, v);
}

__rte_experimental
static inline int
hb_visit_write(struct hb_buf *b, uint32_t off, uint32_t len, uint32_t grow,
	       struct hb_visitor *v)
{
	return hb_visit_write_aligned(b, off, len, grow, 1, v);
}

__rte_experimental
static inline int
hb_visit_release(struct hb_visitor *v)
{
	struct hb_buf *b;

	if (likely(v != NULL && v->state == __HB_VIS_READ_DIRECT)) {
		b = v->buf;
		/* Local buffer, no writer, at least one reader; same life. */
		if (likely(b->state - __HB_STATE_IDLE - 1 < __HB_GUARD_READERS &&
			   b->gen == v->gen)) {
			b->state--;
			v->state = __HB_VIS_RELEASED;
			return 0;
		}
	} else if (likely(v != NULL && v->state == __HB_VIS_WRITE_DIRECT)) {
		b = v->buf;
		if (likely(b->state == (__HB_STATE_IDLE | __HB_GUARD_WRITER) &&
			   b->gen == v->gen)) {
			b->state = __HB_STATE_IDLE;
			v->state = __HB_VIS_RELEASED;
			return 0;
		}
	}
	return __hb_visit_release(v);
}

#ifdef __cplusplus
}
#endif

#pragma GCC diagnostic pop

#endif /* HB_VISIT_H */
