/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_CURSOR_H
#define HB_CURSOR_H

/**
 * @file
 * HyperBuf cursor: a read cursor to parse a stream of network bytes out of
 * a buffer (its counterpart for building one, the writer, is in
 * hb_writer.h).
 *
 * A cursor is a position in a struct hb_buf that remembers its segment, so
 * consuming the buffer front to back is O(1) per call whatever the chain
 * length. Every call either consumes exactly what it was asked for or fails
 * and consumes nothing: reading past the end returns -ENODATA (more bytes
 * may arrive: bytes appended to the buffer after the cursor was set up are
 * seen by it).
 *
 * A cursor stays valid while the buffer only grows at its end (appends,
 * reserve). Any other change of the buffer's layout (prepend, adj, trim,
 * split, free, detach) makes it stale: its calls then fail with -ESTALE
 * until hb_cursor_init() sets it up again.
 *
 * A cursor is caller-owned (stack or structure) and needs no cleanup. It is
 * not MT-safe; it reads its buffer under the buffer's rules (a live write
 * visitor makes it fail with -EBUSY).
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

/** A read position in a buffer. Fields are private. */
struct hb_cursor {
	const struct hb_buf *buf; /**< @internal the buffer; NULL: not set up */
	const char *p;		  /**< @internal the byte at off, or NULL */
	uint32_t avail;		  /**< @internal bytes of p's segment from p */
	uint32_t off;		  /**< @internal logical position */
	uint32_t gen;		  /**< @internal buffer layout generation */
	uint32_t rsvd;		  /**< @internal zero (no padding) */
};

/**
 * Set up @p c at offset @p off of @p b.
 *
 * Not MT-safe on the same cursor; reads @p b as hb_buf_read() does: on a
 * local buffer from the thread that owns it, on a shared buffer from any
 * lcore (EAL or registered non-EAL thread; -ENOTSUP elsewhere).
 *
 * @param c
 *   The cursor.
 * @param b
 *   The buffer to read.
 * @param off
 *   Start position, 0..hb_buf_len(b).
 * @return
 *   - 0: Success.
 *   - -EINVAL: @p c or @p b is NULL, or @p b is not initialised.
 *   - -ERANGE: @p off is past the end.
 *   - -EBUSY: a write visitor is live on @p b.
 *   - -ENOTSUP: @p b is shared and the caller is not an lcore.
 *   On failure @p c is unchanged.
 */
__rte_experimental
static inline int hb_cursor_init(struct hb_cursor *c, const struct hb_buf *b,
				 uint32_t off);

/**
 * Logical offset of the cursor in its buffer.
 *
 * Not MT-safe on the same cursor; reads @p c only.
 *
 * @param c
 *   An initialised cursor.
 * @return
 *   The offset of the next byte to consume.
 */
__rte_experimental
static inline uint32_t
hb_cursor_offset(const struct hb_cursor *c)
{
	return c->off;
}

/**
 * Bytes left between the cursor and the end of its buffer.
 *
 * Not MT-safe on the same cursor; reads its buffer without taking it, as
 * hb_buf_len() does.
 *
 * @param c
 *   An initialised cursor.
 * @return
 *   hb_buf_len() minus the cursor's offset; 0 if the cursor is stale.
 */
__rte_experimental
static inline uint32_t
hb_cursor_remaining(const struct hb_cursor *c)
{
	uint32_t len = hb_buf_len(c->buf);

	return c->gen == c->buf->gen && c->off <= len ? len - c->off : 0;
}

/**
 * Copy the next @p len bytes to @p dst and advance past them.
 *
 * Not MT-safe on the same cursor; reads its buffer as hb_buf_read() does: on
 * a local buffer from the thread that owns it, on a shared buffer from any
 * lcore (EAL or registered non-EAL thread; -ENOTSUP elsewhere).
 *
 * @param c
 *   The cursor.
 * @param dst
 *   Destination, at least @p len bytes.
 * @param len
 *   Number of bytes.
 * @return
 *   - 0: Success.
 *   - -EINVAL: @p c or @p dst is NULL.
 *   - -ENODATA: fewer than @p len bytes remain.
 *   - -ESTALE: the buffer's layout changed since hb_cursor_init().
 *   - -EBUSY: a write visitor is live on the buffer.
 *   - -ENOTSUP: the buffer is shared and the caller is not an lcore.
 *   On failure the cursor does not move.
 */
__rte_experimental
static inline int hb_cursor_read(struct hb_cursor *c, void *dst, uint32_t len);

/**
 * Copy the next @p len bytes to @p dst without advancing.
 *
 * Not MT-safe on the same cursor; reads its buffer as hb_buf_read() does: on
 * a local buffer from the thread that owns it, on a shared buffer from any
 * lcore (EAL or registered non-EAL thread; -ENOTSUP elsewhere).
 *
 * @return
 *   As hb_cursor_read().
 */
__rte_experimental
static inline int hb_cursor_peek(const struct hb_cursor *c, void *dst,
				 uint32_t len);

/**
 * Advance past the next @p len bytes.
 *
 * Not MT-safe on the same cursor; reads its buffer as hb_buf_read() does: on
 * a local buffer from the thread that owns it, on a shared buffer from any
 * lcore (EAL or registered non-EAL thread; -ENOTSUP elsewhere).
 *
 * @return
 *   As hb_cursor_read() (-EINVAL only for a NULL @p c).
 */
__rte_experimental
static inline int hb_cursor_skip(struct hb_cursor *c, uint32_t len);

/**
 * Get the next @p len bytes and advance past them, without copying when
 * they lie in one segment.
 *
 * Returns a pointer into the segment when the bytes are contiguous,
 * otherwise copies them to @p scratch and returns it.
 *
 * Not MT-safe on the same cursor; reads its buffer as hb_buf_read() does: on
 * a local buffer from the thread that owns it, on a shared buffer from any
 * lcore (EAL or registered non-EAL thread; rte_errno ENOTSUP elsewhere).
 *
 * @param c
 *   The cursor.
 * @param len
 *   Number of bytes.
 * @param scratch
 *   At least @p len bytes, used only when the bytes span segments.
 * @return
 *   The bytes, or NULL with rte_errno set to one of the errors of
 *   hb_cursor_read() (EINVAL also when a copy is needed and @p scratch is
 *   NULL). On failure the cursor does not move.
 */
__rte_experimental
static inline const void *hb_cursor_pull(struct hb_cursor *c, uint32_t len,
					 void *scratch);

/**
 * @internal A cursor position and a status, returned by value (in two
 * registers) by the out-of-line parts: a cursor on the caller's stack never
 * has its address taken, so the compiler keeps it in registers across
 * reads (no store-to-load chain through memory).
 */
struct __hb_cpos {
	const char *p;	/**< the byte at the position, or NULL (at the end) */
	uint32_t gen;	/**< buffer layout generation */
	uint16_t avail; /**< bytes of its segment from p on */
	int16_t rc;	/**< 0 or a negative errno */
};

/** @internal hb_cursor_init(): the position @p off of @p b. */
struct __hb_cpos __hb_cursor_at(const struct hb_buf *b, uint32_t off);
/**
 * @internal The cursor calls' slow path: copy the @p len bytes at @p off
 * of @p b (generation @p gen) to @p dst (if not NULL); the position after
 * them if @p advance.
 */
struct __hb_cpos __hb_cursor_move(const struct hb_buf *b, uint32_t gen,
				  uint32_t off, void *dst, uint32_t len,
				  bool advance);
/** @internal hb_cursor_pull(): the bytes, and in @p next the position after. */
const void *__hb_cursor_pull(const struct hb_buf *b, uint32_t gen,
			     uint32_t off, uint32_t len, void *scratch,
			     struct __hb_cpos *next);

/** @internal Move @p c by @p len bytes to @p r (a successful move). */
static inline void
__hb_cursor_set(struct hb_cursor *c, struct __hb_cpos r, uint32_t len)
{
	c->p = r.p;
	c->avail = r.avail;
	c->off += len;
}

__rte_experimental
static inline int
hb_cursor_init(struct hb_cursor *c, const struct hb_buf *b, uint32_t off)
{
	struct __hb_cpos r;

	if (unlikely(c == NULL))
		return -EINVAL;
	r = __hb_cursor_at(b, off);
	if (unlikely(r.rc != 0))
		return r.rc;
	c->buf = b;
	c->p = r.p;
	c->avail = r.avail;
	c->off = off;
	c->gen = r.gen;
	c->rsvd = 0;
	return 0;
}

__rte_experimental
static inline int
hb_cursor_read(struct hb_cursor *c, void *dst, uint32_t len)
{
	struct __hb_cpos r;

	/*
	 * In the segment of the position, the buffer unchanged and without a
	 * writer: a copy. (The segment may have grown since: then the slow
	 * path sees the new bytes.)
	 */
	if (likely(c != NULL && dst != NULL && c->p != NULL &&
		   len <= c->avail && c->gen == c->buf->gen &&
		   __hb_state_readable(c->buf->state))) {
		memcpy(dst, c->p, len);
		c->p += len;
		c->avail -= len;
		c->off += len;
		return 0;
	}
	if (unlikely(c == NULL || dst == NULL))
		return -EINVAL;
	r = __hb_cursor_move(c->buf, c->gen, c->off, dst, len, true);
	if (likely(r.rc == 0))
		__hb_cursor_set(c, r, len);
	return r.rc;
}

__rte_experimental
static inline int
hb_cursor_peek(const struct hb_cursor *c, void *dst, uint32_t len)
{
	if (unlikely(c == NULL || dst == NULL))
		return -EINVAL;
	return __hb_cursor_move(c->buf, c->gen, c->off, dst, len, false).rc;
}

__rte_experimental
static inline int
hb_cursor_skip(struct hb_cursor *c, uint32_t len)
{
	struct __hb_cpos r;

	if (unlikely(c == NULL))
		return -EINVAL;
	r = __hb_cursor_move(c->buf, c->gen, c->off, NULL, len, true);
	if (likely(r.rc == 0))
		__hb_cursor_set(c, r, len);
	return r.rc;
}

__rte_experimental
static inline const void *
hb_cursor_pull(struct hb_cursor *c, uint32_t len, void *scratch)
{
	struct __hb_cpos r;
	const void *p;

	if (unlikely(c == NULL)) {
		rte_errno = EINVAL;
		return NULL;
	}
	p = __hb_cursor_pull(c->buf, c->gen, c->off, len, scratch, &r);
	if (likely(p != NULL))
		__hb_cursor_set(c, r, len);
	return p;
}

/** @internal Define get (consume) and peek for one integer type. */
#define __HB_CURSOR_INT(name, type, to_cpu)                                    \
	__rte_experimental                                                     \
	static inline int hb_cursor_get_##name(struct hb_cursor *c, type *v)   \
	{                                                                      \
		type x;                                                        \
		int rc;                                                        \
		if (unlikely(v == NULL))                                       \
			return -EINVAL;                                        \
		rc = hb_cursor_read(c, &x, sizeof(x));                         \
		if (likely(rc == 0))                                           \
			*v = to_cpu(x);                                        \
		return rc;                                                     \
	}                                                                      \
	__rte_experimental                                                     \
	static inline int hb_cursor_peek_##name(const struct hb_cursor *c,     \
						type *v)                       \
	{                                                                      \
		type x;                                                        \
		int rc;                                                        \
		if (unlikely(v == NULL))                                       \
			return -EINVAL;                                        \
		rc = hb_cursor_peek(c, &x, sizeof(x));                         \
		if (likely(rc == 0))                                           \
			*v = to_cpu(x);                                        \
		return rc;                                                     \
	}

/**
 * @fn int hb_cursor_get_u8(struct hb_cursor *c, uint8_t *v)
 * Consume one byte into @p v. Errors and thread safety as hb_cursor_read();
 * -EINVAL if @p v is NULL.
 * @fn int hb_cursor_peek_u8(const struct hb_cursor *c, uint8_t *v)
 * Read the next byte without consuming it. Errors and thread safety as
 * hb_cursor_peek().
 */
__HB_CURSOR_INT(u8, uint8_t, __HB_SAME)
/** 16/32/64-bit big endian: hb_cursor_get_be16(), hb_cursor_peek_be16(), ... */
__HB_CURSOR_INT(be16, uint16_t, rte_be_to_cpu_16)
__HB_CURSOR_INT(be32, uint32_t, rte_be_to_cpu_32)
__HB_CURSOR_INT(be64, uint64_t, rte_be_to_cpu_64)
/** 16/32/64-bit little endian: hb_cursor_get_le16(), hb_cursor_peek_le16(), ... */
__HB_CURSOR_INT(le16, uint16_t, rte_le_to_cpu_16)
__HB_CURSOR_INT(le32, uint32_t, rte_le_to_cpu_32)
__HB_CURSOR_INT(le64, uint64_t, rte_le_to_cpu_64)

#ifdef __cplusplus
}
#endif

#pragma GCC diagnostic pop

#endif /* HB_CURSOR_H */
