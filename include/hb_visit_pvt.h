/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_VISIT_PVT_H
#define HB_VISIT_PVT_H

/**
 * @file
 * @internal Inline internals of hb_visit.h. Do not include this file
 * directly; include hb_visit.h (or hyperbuf.h).
 */

#ifndef HB_VISIT_H
#error "do not include hb_visit_pvt.h directly, include hb_visit.h"
#endif

/*
 * struct hb_visitor.state: a magic in the high 16 bits, so that a visitor
 * that was never granted (zeroed, or failed) is told apart from a released
 * one; kind and flags in the low bits.
 */
#define __HB_VIS_MAGIC UINT32_C(0x56490000)	/**< @internal "VI" */
#define __HB_VIS_MAGIC_MASK UINT32_C(0xffff0000) /**< @internal */
#define __HB_VIS_LIVE UINT32_C(0x1)	/**< @internal granted, not released */
#define __HB_VIS_WRITE UINT32_C(0x2)	/**< @internal write visitor */
#define __HB_VIS_BOUNCED UINT32_C(0x4)	/**< @internal view is bounce memory */
#define __HB_VIS_SHARED UINT32_C(0x8)	/**< @internal buffer is shared */

/** @internal live direct read visitor on a local buffer */
#define __HB_VIS_READ_DIRECT (__HB_VIS_MAGIC | __HB_VIS_LIVE)
/** @internal live direct write visitor on a local buffer */
#define __HB_VIS_WRITE_DIRECT (__HB_VIS_MAGIC | __HB_VIS_LIVE | __HB_VIS_WRITE)
/** @internal a released visitor */
#define __HB_VIS_RELEASED __HB_VIS_MAGIC

/** @internal Is @p p aligned on @p align, a power of two <= the max? */
static inline bool
__hb_align_ok(const void *p, uint32_t align)
{
	return align != 0 && (align & (align - 1)) == 0 &&
	       align <= HB_VISIT_ALIGN_MAX &&
	       ((uintptr_t)p & (align - 1)) == 0;
}

/** @internal Fill in a granted direct visitor. */
static inline void
__hb_visitor_set(struct hb_visitor *v, struct hb_buf *b, void *p, uint32_t off,
		 uint32_t len, uint32_t state)
{
	v->ptr = p;
	v->off = off;
	v->len = len;
	v->buf = b;
	v->state = state;
	v->gen = b->gen;
}

/** @internal Slow path of the visit calls (bounce, grow, shared, errors). */
int __hb_visit_acquire(struct hb_buf *b, uint32_t off, uint32_t len,
		       uint32_t grow, uint32_t align, bool write,
		       struct hb_visitor *v);
/**
 * @internal Slow path of the read visit calls (shared buffers, bounces,
 * errors) for a caller that checked @p b and @p v non-NULL and @p len
 * non-zero (else __hb_visit_acquire()).
 */
int __hb_visit_read(struct hb_buf *b, uint32_t off, uint32_t len,
		    uint32_t align, struct hb_visitor *v);
/** @internal Slow path of the write visit calls (growth, shared, ...). */
int __hb_visit_write(struct hb_buf *b, uint32_t off, uint32_t len,
		     uint32_t grow, uint32_t align, struct hb_visitor *v);
/** @internal Slow path of hb_visit_release(). */
int __hb_visit_release(struct hb_visitor *v);

#endif /* HB_VISIT_PVT_H */
