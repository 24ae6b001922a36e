/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_BUF_H
#define HB_BUF_H

/**
 * @file
 * HyperBuf logical buffer: one growable byte buffer over an rte_mbuf chain.
 *
 * A struct hb_buf makes a chain of rte_mbuf segments behave as ONE logical
 * byte buffer of hb_buf_len() bytes, addressed by offsets 0..len-1 whatever
 * the segment layout. The chain is always a valid mbuf chain (head pkt_len
 * and nb_segs consistent), so a received packet is adopted with
 * hb_buf_attach() and handed to rte_eth_tx_burst() with hb_buf_detach(),
 * both without copying a byte.
 *
 * Costs:
 *  - append is O(1): the buffer caches its tail segment; when the tail is
 *    full, the segments the call needs are taken from the buffer's mempool
 *    in one bulk get.
 *  - read/write/peek/iov find the segment holding an offset through a
 *    position cache (sequential access is O(1)) and, on long chains, a
 *    segment index built on first random access (O(1) for chains of equal
 *    segments, O(log n) otherwise). No call walks the chain from the head
 *    on every access.
 *  - prepend uses the head's headroom when the head segment is not shared,
 *    and otherwise chains new head segment(s): it never fails for lack of
 *    headroom, and the prepended bytes are never split between the new and
 *    the old head.
 *  - split is zero-copy: a segment cut in two is shared through an indirect
 *    mbuf (one mbuf taken from the pool); both halves stay valid when the
 *    other is freed.
 *
 * Error rule (all of HyperBuf): int-returning calls return 0 (or a count) on
 * success and a negative errno on failure; pointer-returning calls return
 * NULL and set rte_errno. A call that fails changes nothing: the buffer is
 * byte for byte and segment for segment as before, and every mbuf the call
 * took is back in its pool.
 *
 * Adopted chains: hb_buf_attach() reads nothing from the chain; the first
 * call that needs more than the head segment's data checks it (nb_segs and
 * pkt_len against the segments). Every such call fails with -EINVAL on an
 * inconsistent chain and changes nothing.
 *
 * Ownership: a buffer that holds segments owns them; hb_buf_free() or
 * hb_buf_detach() ends that ownership. An empty buffer (no segments) owns
 * nothing and may be dropped without a call.
 *
 * Thread safety: a buffer belongs to one thread at a time (the "local"
 * buffer); none of these calls is MT-safe on the same buffer. A shared
 * buffer (hb_async.h) may be used from any lcore: each call then takes it
 * for its own length, as a reader (reading calls) or exclusively (mutating
 * calls), and fails with -EBUSY instead of waiting. Pointers returned by
 * hb_buf_peek() and hb_buf_iov() on a shared buffer stay valid only while
 * the caller holds a visitor on it. Each call's comment says from which
 * threads it may be called; an "lcore" there is an EAL lcore or a
 * registered non-EAL thread (rte_thread_register()): on a shared buffer,
 * other threads get -ENOTSUP. Exceptions: the teardown calls
 * (hb_buf_free(), hb_buf_detach(), hb_buf_unshare()) work from any thread,
 * and the calls that do not take the buffer (hb_buf_len(),
 * hb_buf_nb_segs(), hb_buf_check(), hb_buf_dump()) are exact on a shared
 * buffer only while the caller holds a visitor on it.
 *
 * Visitors (hb_visit.h): while a visitor is live on a buffer, every mutating
 * call fails with -EBUSY and changes nothing; while a write visitor is live,
 * reading calls fail with -EBUSY too.
 *
 * @warning
 * @b EXPERIMENTAL: all HyperBuf APIs may change without prior notice.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_compat.h>
#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

/*
 * Every HyperBuf function is experimental (__rte_experimental, as DPDK's
 * experimental APIs are): a program that calls one without defining
 * ALLOW_EXPERIMENTAL_API gets a deprecation warning at its call. GCC also
 * warns about the calls between the inline functions of this header, even
 * in those the program never calls, so that a mere #include would warn:
 * the warning is off for this header's own code only (until the pop at
 * its end), and the program's own calls still warn
 * (devtools/check-experimental.sh proves both, with GCC and clang).
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

#ifdef __cplusplus
extern "C" {
#endif

struct hb_idx;
struct hb_guard;

/**
 * The logical buffer.
 *
 * One cache line, so it can live on the stack for per-packet work, inside an
 * application structure or in shared memory. All fields are private: use
 * the hb_buf_*() calls. Initialise it with hb_buf_init() or hb_buf_attach()
 * before any other call.
 */
struct hb_buf {
	struct rte_mbuf *head;	  /**< @internal first segment; NULL: none */
	struct rte_mbuf *tail;	  /**< @internal last segment holding data */
	struct rte_mbuf *pos_seg; /**< @internal position cache: segment ... */
	uint32_t pos_off;	  /**< @internal ... and its logical offset */
	uint32_t gen;		  /**< @internal bumped on layout changes */
	uint64_t state;		  /**< @internal magic and visitor guard */
	struct rte_mempool *mp;	  /**< @internal pool for new segments */
	struct hb_idx *idx;	  /**< @internal segment index, or NULL */
	struct hb_guard *sh;	  /**< @internal guard of a shared buffer, or NULL */
} __rte_cache_aligned;

#include "hb_buf_pvt.h"

/**
 * Initialise an empty buffer whose new segments come from @p mp.
 *
 * The previous content of @p b is overwritten, not freed. No mbuf is taken
 * from the pool until data is added.
 *
 * Not MT-safe: call from the thread that is to own @p b, while no other
 * thread uses it (a shared @p b is unshared first, or its shared state
 * leaks).
 *
 * @param b
 *   The buffer to initialise.
 * @param mp
 *   A packet mbuf pool (created with rte_pktmbuf_pool_create() or set up
 *   with rte_pktmbuf_pool_init()).
 * @return
 *   - 0: Success.
 *   - -EINVAL: @p b or @p mp is NULL, or @p mp is not a packet mbuf pool
 *     whose mbufs hold data (a clone pool with data room 0 is refused).
 */
__rte_experimental
static inline int hb_buf_init(struct hb_buf *b, struct rte_mempool *mp);

/**
 * Adopt an mbuf chain, without copying, as the content of @p b.
 *
 * @p b is initialised (its previous content is overwritten, not freed) and
 * takes ownership of @p m. New segments will come from @p m's pool (if that
 * pool's mbufs hold no data, e.g. a clone pool, growing fails with
 * -ENOMEM).
 *
 * O(1), and reads nothing from @p m: a forwarding loop that only attaches
 * and detaches never touches the mbuf. The chain is checked (nb_segs and
 * pkt_len against its segments) and its tail found by the first call that
 * needs more than the head segment's data; trailing empty segments are then
 * freed. An inconsistent chain makes that call fail with -EINVAL and change
 * nothing; hb_buf_detach() still hands it back exactly as adopted, and
 * hb_buf_free() frees it.
 *
 * Not MT-safe: call from the thread that is to own @p b, while no other
 * thread uses it (a shared @p b is unshared first, or its shared state
 * leaks).
 *
 * @param b
 *   The buffer to initialise.
 * @param m
 *   The head of an mbuf chain.
 * @return
 *   - 0: Success; @p b owns @p m.
 *   - -EINVAL: @p b or @p m is NULL; the caller still owns @p m.
 */
__rte_experimental
static inline int hb_buf_attach(struct hb_buf *b, struct rte_mbuf *m);

/**
 * Give the chain back and leave @p b empty.
 *
 * The returned chain is a valid packet (pkt_len, nb_segs and next
 * consistent, no empty trailing segment) that can go straight to
 * rte_eth_tx_burst(). Segments reserved but not filled are freed. A chain
 * adopted by hb_buf_attach() and never used beyond its head segment is
 * handed back exactly as adopted.
 * A shared buffer is made local first (hb_buf_unshare(): no visitor
 * live, no request queued; close it first with hb_buf_close() to end
 * queued requests).
 *
 * Not MT-safe on a local buffer: call from the thread that owns @p b; on a
 * shared buffer, from any thread, while no other thread starts a call or
 * visit on @p b (they may release their visitors and poll).
 *
 * @param b
 *   The buffer.
 * @return
 *   The head of the chain, now owned by the caller; NULL with rte_errno
 *   set on failure:
 *   - EINVAL: @p b is NULL or not initialised.
 *   - ENODATA: @p b holds no segment.
 *   - EBUSY: a visitor is live on @p b, or (shared) a request is queued:
 *     see hb_buf_unshare().
 *   On failure nothing changed: the bytes and segments of @p b, and a
 *   shared buffer's state (still shared, its requests still queued).
 */
__rte_experimental
static inline struct rte_mbuf *hb_buf_detach(struct hb_buf *b);

/**
 * Free every segment of @p b; @p b stays initialised, empty and usable.
 *
 * A shared buffer is made local first (hb_buf_unshare()): that needs no
 * visitor live and no request queued; with requests queued, close it
 * first (hb_buf_close(): they complete with -ECANCELED).
 *
 * Not MT-safe on a local buffer: call from the thread that owns @p b; on a
 * shared buffer, from any thread, while no other thread starts a call or
 * visit on @p b (they may release their visitors and poll).
 *
 * @param b
 *   The buffer.
 * @return
 *   - 0: Success; @p b is local and holds nothing.
 *   - -EINVAL: @p b is NULL or not initialised.
 *   - -EBUSY: a visitor is live on @p b, or (shared) a request is queued
 *     (see hb_buf_unshare()); nothing changed.
 */
__rte_experimental
static __rte_always_inline int hb_buf_free(struct hb_buf *b);

/**
 * Logical length of the buffer in bytes.
 *
 * Reads @p b without taking it: exact from the thread that owns a local
 * @p b, or on a shared one while holding a visitor on it; elsewhere a
 * snapshot that concurrent mutating calls may change.
 *
 * @param b
 *   An initialised buffer.
 * @return
 *   The number of bytes in @p b.
 */
__rte_experimental
static inline uint32_t
hb_buf_len(const struct hb_buf *b)
{
	const struct rte_mbuf *h = b->head;

	return likely(h != NULL) ? h->pkt_len : 0;
}

/**
 * Number of segments in the chain, including reserved empty ones.
 *
 * Reads @p b without taking it: exact from the thread that owns a local
 * @p b, or on a shared one while holding a visitor on it; elsewhere a
 * snapshot that concurrent mutating calls may change.
 *
 * @param b
 *   An initialised buffer.
 * @return
 *   The number of segments @p b holds (0 when it holds none).
 */
__rte_experimental
static inline uint16_t
hb_buf_nb_segs(const struct hb_buf *b)
{
	const struct rte_mbuf *h = b->head;

	return likely(h != NULL) ? h->nb_segs : 0;
}

/**
 * Make sure the next @p additional bytes of appends need no allocation.
 *
 * Missing capacity is taken from the pool in one bulk get and chained, as
 * empty segments, after the tail. Reserved segments count in
 * hb_buf_nb_segs(); hb_buf_detach() and hb_buf_trim() free those left empty.
 *
 * Not MT-safe on a local buffer: call from the thread that owns @p b; on a
 * shared buffer, MT-safe from any lcore (EAL or registered non-EAL thread;
 * -ENOTSUP elsewhere), which holds it exclusively for the call.
 *
 * @param b
 *   The buffer.
 * @param additional
 *   Bytes that must be appendable without allocating.
 * @return
 *   - 0: Success (also when the capacity was already there).
 *   - -EINVAL: @p b is NULL or not initialised.
 *   - -EBUSY: a visitor is live on @p b.
 *   - -ENOTSUP: @p b is shared and the caller is not an lcore.
 *   - -E2BIG: the length would pass UINT32_MAX or the chain
 *     RTE_MBUF_MAX_NB_SEGS segments.
 *   - -ENOMEM: the pool has too few mbufs.
 *   On failure @p b is unchanged and no mbuf is taken.
 */
__rte_experimental
int hb_buf_reserve(struct hb_buf *b, uint32_t additional);

/** Default of hb_growth.mem_per_socket: 64 MiB. */
#define HB_GROWTH_MEM_DEFAULT (UINT64_C(64) << 20)

/**
 * Growth policy settings (hb_growth_set()).
 *
 * A buffer's first segment comes from its own pool. When an append (or a
 * reserve, or a growing write visitor) needs a new segment, it takes one of
 * the largest class not larger than the buffer's capacity so far (or, if
 * the call needs more in one segment, of the smallest class that holds
 * it), so that capacity about doubles at each growth, as a vector's does,
 * without copying a byte. Classes are the buffer's own pool's segments and
 * segments of 4, 8, 16, 32 KiB and 65535 bytes taken from pools HyperBuf
 * creates per socket on first need (or given with hb_growth_pool_add());
 * a class is used only when it is larger than the buffer pool's data room.
 * Past max_seg, each new segment adds max_seg bytes. On a pool of 2 KiB
 * data rooms (RTE_MBUF_DEFAULT_BUF_SIZE), a buffer built by small appends
 * holds 64 KiB in 6 segments (2, 2, 4, 8, 16, 32 KiB: 128 bytes of
 * capacity to spare) and 1 MiB in 21 (then 65535 bytes each: within
 * 64 KiB of the length). When a class's pool is empty, a smaller class
 * serves, and finally the buffer's own pool: growth fails only when no
 * segment can be had at all.
 */
struct hb_growth {
	/**
	 * Largest segment taken by growth, in data bytes (at most 65535; the
	 * default). Classes above it are not used; at or below the buffer
	 * pool's data room, every segment comes from the buffer's own pool.
	 */
	uint32_t max_seg;
	/**
	 * Memory of the segment classes' pools on each socket, split over
	 * the classes (half to the 65535-byte class); 0: the default,
	 * HB_GROWTH_MEM_DEFAULT. At least 256 KiB.
	 */
	uint64_t mem_per_socket;
};

/**
 * Set the growth policy (see struct hb_growth).
 *
 * Thread safety: any thread; takes effect for pools not yet created, so
 * call it after hb_init() and before any buffer grows past its pool's
 * segments.
 *
 * @param g
 *   The settings.
 * @return
 *   - 0: Success.
 *   - -EINVAL: @p g is NULL, max_seg is more than 65535, or
 *     mem_per_socket is not 0 and less than 256 KiB.
 *   - -EBUSY: a segment class's pool was already created; nothing changed.
 */
__rte_experimental
int hb_growth_set(const struct hb_growth *g);

/**
 * Get the growth policy in force.
 *
 * Thread safety: any thread.
 *
 * @param g
 *   Filled in.
 * @return
 *   - 0: Success.
 *   - -EINVAL: @p g is NULL.
 */
__rte_experimental
int hb_growth_get(struct hb_growth *g);

/**
 * Use @p mp as a segment class of the growth policy on its socket.
 *
 * The first pool given for a socket replaces that socket's default classes
 * (the pools HyperBuf would create); further pools add classes. A class is
 * used for a buffer only when its data room is larger than the buffer's own
 * pool's. HyperBuf never frees a given pool; hb_fini() forgets it.
 *
 * Thread safety: setup time only: after hb_init(), before any lcore grows
 * a buffer (not MT-safe with growth in progress).
 *
 * @param mp
 *   A packet mbuf pool with a non-zero data room (at most 65535 bytes are
 *   used per segment).
 * @return
 *   - 0: Success.
 *   - -EINVAL: @p mp is NULL or not a packet mbuf pool with a data room.
 *   - -EEXIST: the socket has a class of that data room already.
 *   - -ENOSPC: the socket has 8 classes already.
 *   - -EBUSY: HyperBuf already created a default class's pool on that
 *     socket. Nothing changed on failure.
 */
__rte_experimental
int hb_growth_pool_add(struct rte_mempool *mp);

/**
 * Segments of the growth classes' pools in use, all sockets (for leak
 * checks: 0 when no buffer, and no chain detached from one, holds any).
 *
 * Thread safety: any thread (a snapshot).
 *
 * @return
 *   The number of segments taken from the classes' pools and not freed.
 */
__rte_experimental
unsigned int hb_growth_in_use(void);

/**
 * Append @p len bytes from @p src at the end of the buffer (all or nothing).
 *
 * O(1): fills the cached tail segment, then segments taken from the pool in
 * one bulk get. Pointers and views into the buffer stay valid.
 *
 * Not MT-safe on a local buffer: call from the thread that owns @p b; on a
 * shared buffer, MT-safe from any lcore (EAL or registered non-EAL thread;
 * -ENOTSUP elsewhere), which holds it exclusively for the call.
 *
 * @param b
 *   The buffer.
 * @param src
 *   The bytes to append.
 * @param len
 *   Number of bytes.
 * @return
 *   - 0: Success.
 *   - -EINVAL: @p b or @p src is NULL, @p b is not initialised, or holds
 *     an inconsistent adopted chain (see hb_buf_attach()).
 *   - -EBUSY: a visitor is live on @p b.
 *   - -ENOTSUP: @p b is shared and the caller is not an lcore.
 *   - -E2BIG: the length would pass UINT32_MAX or the chain
 *     RTE_MBUF_MAX_NB_SEGS segments.
 *   - -ENOMEM: the pool ran out of mbufs.
 *   On failure @p b is unchanged and every mbuf taken is back in its pool.
 */
__rte_experimental
static inline int hb_buf_append(struct hb_buf *b, const void *src,
				uint32_t len);

/**
 * Insert @p len bytes from @p src in front of the buffer (all or nothing).
 *
 * Uses the head's headroom when it holds all @p len bytes and the head
 * segment is not shared (direct, refcnt 1). Otherwise chains new head
 * segment(s), with the bytes at their end so that later prepends find
 * headroom; packet metadata (port, ol_flags, packet_type, hash, vlan,
 * tx_offload, dynamic fields) moves to the new head. The prepended bytes are
 * never split between a new segment and the old head.
 *
 * Offsets of existing bytes grow by @p len; cursors on @p b become stale
 * (on an empty buffer a prepend is an append and they stay valid).
 *
 * Not MT-safe on a local buffer: call from the thread that owns @p b; on a
 * shared buffer, MT-safe from any lcore (EAL or registered non-EAL thread;
 * -ENOTSUP elsewhere), which holds it exclusively for the call.
 *
 * @param b
 *   The buffer.
 * @param src
 *   The bytes to prepend.
 * @param len
 *   Number of bytes.
 * @return
 *   - 0: Success.
 *   - -EINVAL: @p b or @p src is NULL, or @p b is not initialised.
 *   - -EBUSY: a visitor is live on @p b.
 *   - -ENOTSUP: @p b is shared and the caller is not an lcore.
 *   - -E2BIG: the length would pass UINT32_MAX or the chain
 *     RTE_MBUF_MAX_NB_SEGS segments.
 *   - -ENOMEM: the pool ran out of mbufs.
 *   On failure @p b is unchanged and every mbuf taken is back in its pool.
 */
__rte_experimental
static inline int hb_buf_prepend(struct hb_buf *b, const void *src,
				 uint32_t len);

/**
 * Copy @p len bytes at offset @p off out of the buffer.
 *
 * Not MT-safe on a local buffer: call from the thread that owns @p b; on a
 * shared buffer, MT-safe from any lcore (EAL or registered non-EAL thread;
 * -ENOTSUP elsewhere), which holds it as a reader for the call.
 *
 * @param b
 *   The buffer.
 * @param off
 *   Offset of the first byte.
 * @param dst
 *   Destination, at least @p len bytes.
 * @param len
 *   Number of bytes.
 * @return
 *   - 0: Success.
 *   - -EINVAL: @p b or @p dst is NULL, or @p b is not initialised.
 *   - -ERANGE: [@p off, @p off + @p len) is not inside the buffer.
 *   - -EBUSY: a write visitor is live on @p b.
 *   - -ENOTSUP: @p b is shared and the caller is not an lcore.
 */
__rte_experimental
static inline int hb_buf_read(const struct hb_buf *b, uint32_t off, void *dst,
			      uint32_t len);

/**
 * Overwrite @p len bytes at offset @p off (never grows the buffer).
 *
 * Bytes are written in place, also into segments shared with clones (as
 * DPDK's own calls do).
 *
 * Not MT-safe on a local buffer: call from the thread that owns @p b; on a
 * shared buffer, MT-safe from any lcore (EAL or registered non-EAL thread;
 * -ENOTSUP elsewhere), which holds it exclusively for the call.
 *
 * @param b
 *   The buffer.
 * @param off
 *   Offset of the first byte.
 * @param src
 *   The bytes to write.
 * @param len
 *   Number of bytes.
 * @return
 *   - 0: Success.
 *   - -EINVAL: @p b or @p src is NULL, or @p b is not initialised.
 *   - -ERANGE: [@p off, @p off + @p len) is not inside the buffer.
 *   - -EBUSY: a visitor is live on @p b.
 *   - -ENOTSUP: @p b is shared and the caller is not an lcore.
 *   On failure @p b is unchanged.
 */
__rte_experimental
static inline int hb_buf_write(struct hb_buf *b, uint32_t off, const void *src,
			       uint32_t len);

/**
 * Drop @p len bytes at the end of the buffer.
 *
 * Segments left empty, reserved ones included, go back to their pool; when
 * nothing remains the buffer holds no segment.
 *
 * Not MT-safe on a local buffer: call from the thread that owns @p b; on a
 * shared buffer, MT-safe from any lcore (EAL or registered non-EAL thread;
 * -ENOTSUP elsewhere), which holds it exclusively for the call.
 *
 * @param b
 *   The buffer.
 * @param len
 *   Number of bytes to drop.
 * @return
 *   - 0: Success.
 *   - -EINVAL: @p b is NULL or not initialised.
 *   - -ERANGE: @p len is more than hb_buf_len().
 *   - -EBUSY: a visitor is live on @p b.
 *   - -ENOTSUP: @p b is shared and the caller is not an lcore.
 *   On failure @p b is unchanged.
 */
__rte_experimental
int hb_buf_trim(struct hb_buf *b, uint32_t len);

/**
 * Drop @p len bytes at the front of the buffer.
 *
 * Segments left empty go back to their pool, packet metadata moves to the
 * new head; when nothing remains the buffer holds no segment. Offsets of the
 * remaining bytes shrink by @p len.
 *
 * Not MT-safe on a local buffer: call from the thread that owns @p b; on a
 * shared buffer, MT-safe from any lcore (EAL or registered non-EAL thread;
 * -ENOTSUP elsewhere), which holds it exclusively for the call.
 *
 * @param b
 *   The buffer.
 * @param len
 *   Number of bytes to drop.
 * @return
 *   - 0: Success.
 *   - -EINVAL: @p b is NULL or not initialised.
 *   - -ERANGE: @p len is more than hb_buf_len().
 *   - -EBUSY: a visitor is live on @p b.
 *   - -ENOTSUP: @p b is shared and the caller is not an lcore.
 *   On failure @p b is unchanged.
 */
__rte_experimental
static inline int hb_buf_adj(struct hb_buf *b, uint32_t len);

/**
 * Move the bytes [@p at, len) of @p b into @p tail, without copying.
 *
 * Afterwards @p b holds [0, @p at) and @p tail (initialised by this call
 * with @p b's pool; its previous content is overwritten, not freed) holds
 * the rest. A segment cut in two is shared: @p tail gets an indirect mbuf
 * (taken from @p b's pool) on the part after the cut. The two halves are
 * independent: either may be freed, trimmed or grown first. Both carry the
 * packet metadata of @p b's head.
 *
 * Not MT-safe on a local buffer: call from the thread that owns @p b; on a
 * shared buffer, MT-safe from any lcore (EAL or registered non-EAL thread;
 * -ENOTSUP elsewhere), which holds it exclusively for the call (@p tail: as
 * hb_buf_init()).
 *
 * @param b
 *   The buffer to cut.
 * @param at
 *   Offset of the first byte that moves to @p tail (0..hb_buf_len()).
 * @param tail
 *   Receives the second half.
 * @return
 *   - 0: Success.
 *   - -EINVAL: @p b or @p tail is NULL, @p tail is @p b, or @p b is not
 *     initialised.
 *   - -ERANGE: @p at is more than hb_buf_len().
 *   - -EBUSY: a visitor is live on @p b.
 *   - -ENOTSUP: @p b is shared and the caller is not an lcore.
 *   - -ENOMEM: no mbuf for the indirect segment.
 *   On failure @p b and @p tail are unchanged.
 */
__rte_experimental
int hb_buf_split(struct hb_buf *b, uint32_t at, struct hb_buf *tail);

/**
 * Move all the bytes of @p src to the end of @p dst, without copying.
 *
 * O(1): the segments of @p src are linked after the tail of @p dst (no
 * byte is copied and no chain is walked; the reserved, empty segments
 * after @p dst's tail, if any, are freed). On success @p src is left
 * empty and initialised (its pool kept) and @p dst holds both; offsets of
 * @p dst's bytes do not change (its cursors stay valid), @p src's cursors
 * become stale. The packet metadata of @p dst's head is kept; that of
 * @p src's head is dropped with its head role. This is how received
 * packets are joined into one message: hb_buf_attach() each, hb_buf_adj()
 * their headers off, hb_buf_concat() into the message. An adopted chain
 * is checked (and its tail found) on first use, as for every call.
 *
 * Thread safety: not MT-safe on either buffer; both must be local.
 *
 * @param dst
 *   The buffer that grows.
 * @param src
 *   The buffer whose bytes move; may be empty.
 * @return
 *   - 0: Success.
 *   - -EINVAL: @p dst or @p src is NULL or not initialised, they are the
 *     same buffer, or one holds an inconsistent adopted chain.
 *   - -EPERM: one of them is shared (hb_buf_share()).
 *   - -EBUSY: a visitor (or writer) is live on one of them.
 *   - -E2BIG: the joined length would pass UINT32_MAX or the joined chain
 *     RTE_MBUF_MAX_NB_SEGS segments.
 *   On failure both buffers are unchanged.
 */
__rte_experimental
static inline int hb_buf_concat(struct hb_buf *dst, struct hb_buf *src);

/**
 * Make [@p off, @p off + @p len) contiguous in one segment (like BSD's
 * m_pullup()), so that visitors and hb_buf_peek() on it are direct.
 *
 * For headers split across segments: one call moves the few missing bytes,
 * then every visit of the range is zero-copy (instead of gathering, and for
 * write visitors scattering back, on every visit). The logical bytes do not
 * change; their segments do:
 *  - if the range already lies in one segment, nothing changes;
 *  - else, if the segment holding @p off is exclusive (direct, refcnt 1)
 *    and its tailroom holds the missing bytes, they are moved there from
 *    the following segments;
 *  - else one segment is taken from the pool and receives the range.
 * Segments left empty are freed. This is a layout change: cursors on @p b
 * become stale. The moved bytes are counted in hb_stats (pullup_bytes).
 *
 * Not MT-safe on a local buffer: call from the thread that owns @p b; on a
 * shared buffer, MT-safe from any lcore (EAL or registered non-EAL thread;
 * -ENOTSUP elsewhere), which holds it exclusively for the call.
 *
 * @param b
 *   The buffer.
 * @param off
 *   Offset of the first byte.
 * @param len
 *   Number of bytes; at most what one segment of the pool holds.
 * @return
 *   - 0: Success; [@p off, @p off + @p len) lies in one segment.
 *   - -EINVAL: @p b is NULL or not initialised.
 *   - -ERANGE: the range is not inside the buffer.
 *   - -EBUSY: a visitor is live on @p b.
 *   - -ENOTSUP: @p b is shared and the caller is not an lcore.
 *   - -E2BIG: @p len is more than a segment of the pool holds.
 *   - -ENOMEM: a segment was needed and the pool has none.
 *   On failure @p b is unchanged.
 */
__rte_experimental
int hb_buf_pullup(struct hb_buf *b, uint32_t off, uint32_t len);

/**
 * Get a pointer to @p len bytes at @p off; copy them only if they span
 * segments.
 *
 * Like rte_pktmbuf_read(): returns a pointer into the segment when the range
 * is contiguous, otherwise copies the range into @p scratch and returns it.
 * The pointer is valid until the buffer is next changed. A zero-length peek
 * at a valid offset returns a non-NULL pointer that must not be
 * dereferenced.
 *
 * Not MT-safe on a local buffer: call from the thread that owns @p b; on a
 * shared buffer, MT-safe from any lcore (EAL or registered non-EAL thread;
 * rte_errno ENOTSUP elsewhere), which holds it as a reader for the call.
 *
 * @param b
 *   The buffer.
 * @param off
 *   Offset of the first byte.
 * @param len
 *   Number of bytes.
 * @param scratch
 *   At least @p len bytes, used only when the range spans segments; may be
 *   NULL if the caller accepts an EINVAL failure in that case.
 * @return
 *   The bytes; NULL with rte_errno set on failure:
 *   - EINVAL: @p b is NULL or not initialised, or a copy was needed and
 *     @p scratch is NULL.
 *   - ERANGE: [@p off, @p off + @p len) is not inside the buffer.
 *   - EBUSY: a write visitor is live on @p b.
 *   - ENOTSUP: @p b is shared and the caller is not an lcore.
 */
__rte_experimental
static inline const void *hb_buf_peek(const struct hb_buf *b, uint32_t off,
				      uint32_t len, void *scratch);

/**
 * hb_buf_peek() of a typed view: a pointer to [@p off, @p off + @p len)
 * in the segment when the range lies in one segment at an address aligned
 * on @p align, otherwise a copy in @p scratch (which the caller aligns).
 * For reading headers as structs: @p align is the struct's alignment, so
 * that the fields can be read through the pointer. HB_BUF_PEEK() takes
 * the size and alignment from the type.
 *
 * Thread safety, @return: as hb_buf_peek() (EINVAL also when @p align is
 * not a power of two).
 *
 * @param b
 *   The buffer.
 * @param off
 *   Offset of the first byte.
 * @param len
 *   Number of bytes.
 * @param align
 *   Alignment the returned pointer must have (a power of two).
 * @param scratch
 *   At least @p len bytes, aligned on @p align.
 */
__rte_experimental
static inline const void *
hb_buf_peek_aligned(const struct hb_buf *b, uint32_t off, uint32_t len,
		    uint32_t align, void *scratch)
{
	const void *p;

	if (unlikely(align == 0 || (align & (align - 1)) != 0)) {
		rte_errno = EINVAL;
		return NULL;
	}
	p = hb_buf_peek(b, off, len, scratch);
	if (likely(p == NULL || p == scratch ||
		   ((uintptr_t)p & (align - 1)) == 0))
		return p;
	/* In one segment, but not aligned as the type wants: a copy. */
	if (unlikely(scratch == NULL)) {
		rte_errno = EINVAL;
		return NULL;
	}
	memcpy(scratch, p, len);
	return scratch;
}

/**
 * A const pointer to the @p type at @p off of @p b, in the segment or
 * copied to @p scratch (a @p type too): hb_buf_peek_aligned().
 */
#define HB_BUF_PEEK(b, off, type, scratch)                                     \
	((const type *)hb_buf_peek_aligned((b), (off), sizeof(type),           \
					   alignof(type), (scratch)))

/**
 * Describe [@p off, @p off + @p len) as an I/O vector, without copying.
 *
 * With @p iov NULL and @p iovcnt 0, only counts the entries needed.
 *
 * Not MT-safe on a local buffer: call from the thread that owns @p b; on a
 * shared buffer, MT-safe from any lcore (EAL or registered non-EAL thread;
 * -ENOTSUP elsewhere), which holds it as a reader for the call.
 *
 * @param b
 *   The buffer.
 * @param off
 *   Offset of the first byte.
 * @param len
 *   Number of bytes.
 * @param iov
 *   Filled with one entry per segment piece of the range.
 * @param iovcnt
 *   Entries available in @p iov.
 * @return
 *   - >= 0: Number of entries used (needed, when counting); 0 when @p len
 *     is 0.
 *   - -EINVAL: @p b is NULL or not initialised, @p iovcnt is negative, or
 *     @p iov is NULL with @p iovcnt not 0.
 *   - -ERANGE: the range is not inside the buffer.
 *   - -ENOBUFS: @p iovcnt entries are not enough; @p iov may have been
 *     partly written.
 *   - -EBUSY: a write visitor is live on @p b.
 *   - -ENOTSUP: @p b is shared and the caller is not an lcore.
 */
__rte_experimental
int hb_buf_iov(const struct hb_buf *b, uint32_t off, uint32_t len,
	       struct iovec *iov, int iovcnt);

/**
 * The mempool new segments of @p b come from.
 *
 * Reads @p b without taking it: from the thread that owns a local @p b; on a
 * shared buffer, MT-safe from any thread (its pool does not change).
 *
 * @param b
 *   An initialised buffer.
 * @return
 *   The pool; NULL with rte_errno set on failure:
 *   - EINVAL: @p b is NULL or not initialised.
 */
__rte_experimental
static inline struct rte_mempool *
hb_buf_pool(const struct hb_buf *b)
{
	if (unlikely(!__hb_buf_magic_ok(b))) {
		rte_errno = EINVAL;
		return NULL;
	}
	/* Not yet known after hb_buf_attach(): the head's pool. */
	return b->mp != NULL ? b->mp : b->head != NULL ? b->head->pool : NULL;
}

/**
 * Check every invariant of @p b (debug aid, O(segments)).
 *
 * Checks the chain (nb_segs, pkt_len, each segment with rte_mbuf_check()),
 * the tail and position caches, the segment index and the visitor state.
 *
 * Not MT-safe (reads @p b without taking it): call from the thread that owns
 * @p b, or on a shared buffer while holding a visitor on it.
 *
 * @param b
 *   The buffer.
 * @param reason
 *   If not NULL, set to a static string naming the first broken invariant.
 * @return
 *   - 0: @p b is consistent.
 *   - -EINVAL: an invariant is broken (see @p reason).
 */
__rte_experimental
int hb_buf_check(const struct hb_buf *b, const char **reason);

/**
 * Print the state of @p b and its segments to @p f (debug aid).
 *
 * Not MT-safe (reads @p b without taking it): call from the thread that owns
 * @p b, or on a shared buffer while holding a visitor on it.
 *
 * @param f
 *   Output stream.
 * @param b
 *   The buffer.
 */
__rte_experimental
void hb_buf_dump(FILE *f, const struct hb_buf *b);

/*
 * Typed integers at any offset, in big (network) or little endian order,
 * correct across segment boundaries. Same errors and thread safety as
 * hb_buf_read() and hb_buf_write(). The hb_buf_append_*() variants append
 * the value (as hb_buf_append()).
 */

/** @internal Define get/put/append for one integer type and byte order. */
#define __HB_BUF_INT_ACCESSORS(name, type, to_cpu, from_cpu)                   \
	__rte_experimental                                                     \
	static inline int hb_buf_get_##name(const struct hb_buf *b,            \
					    uint32_t off, type *v)             \
	{                                                                      \
		type x;                                                        \
		int rc;                                                        \
		if (unlikely(v == NULL))                                       \
			return -EINVAL;                                        \
		rc = hb_buf_read(b, off, &x, sizeof(x));                       \
		if (likely(rc == 0))                                           \
			*v = to_cpu(x);                                        \
		return rc;                                                     \
	}                                                                      \
	__rte_experimental                                                     \
	static inline int hb_buf_put_##name(struct hb_buf *b, uint32_t off,    \
					    type v)                            \
	{                                                                      \
		type x = from_cpu(v);                                          \
		return hb_buf_write(b, off, &x, sizeof(x));                    \
	}                                                                      \
	__rte_experimental                                                     \
	static inline int hb_buf_append_##name(struct hb_buf *b, type v)       \
	{                                                                      \
		type x = from_cpu(v);                                          \
		return hb_buf_append(b, &x, sizeof(x));                        \
	}

/** @internal identity conversion for single bytes */
#define __HB_SAME(x) (x)

/**
 * @fn int hb_buf_get_u8(const struct hb_buf *b, uint32_t off, uint8_t *v)
 * Read one byte at @p off into @p v. Errors and thread safety as
 * hb_buf_read().
 * @fn int hb_buf_put_u8(struct hb_buf *b, uint32_t off, uint8_t v)
 * Overwrite one byte at @p off. Errors and thread safety as
 * hb_buf_write().
 * @fn int hb_buf_append_u8(struct hb_buf *b, uint8_t v)
 * Append one byte. Errors and thread safety as hb_buf_append().
 */
__HB_BUF_INT_ACCESSORS(u8, uint8_t, __HB_SAME, __HB_SAME)
/** 16-bit big endian: hb_buf_get_be16(), hb_buf_put_be16(), hb_buf_append_be16() */
__HB_BUF_INT_ACCESSORS(be16, uint16_t, rte_be_to_cpu_16, rte_cpu_to_be_16)
/** 32-bit big endian: hb_buf_get_be32(), hb_buf_put_be32(), hb_buf_append_be32() */
__HB_BUF_INT_ACCESSORS(be32, uint32_t, rte_be_to_cpu_32, rte_cpu_to_be_32)
/** 64-bit big endian: hb_buf_get_be64(), hb_buf_put_be64(), hb_buf_append_be64() */
__HB_BUF_INT_ACCESSORS(be64, uint64_t, rte_be_to_cpu_64, rte_cpu_to_be_64)
/** 16-bit little endian: hb_buf_get_le16(), hb_buf_put_le16(), hb_buf_append_le16() */
__HB_BUF_INT_ACCESSORS(le16, uint16_t, rte_le_to_cpu_16, rte_cpu_to_le_16)
/** 32-bit little endian: hb_buf_get_le32(), hb_buf_put_le32(), hb_buf_append_le32() */
__HB_BUF_INT_ACCESSORS(le32, uint32_t, rte_le_to_cpu_32, rte_cpu_to_le_32)
/** 64-bit little endian: hb_buf_get_le64(), hb_buf_put_le64(), hb_buf_append_le64() */
__HB_BUF_INT_ACCESSORS(le64, uint64_t, rte_le_to_cpu_64, rte_cpu_to_le_64)

/* Inline definitions of the fast paths declared above. */

__rte_experimental
static inline int
hb_buf_init(struct hb_buf *b, struct rte_mempool *mp)
{
	if (unlikely(b == NULL || mp == NULL ||
		     mp->private_data_size <
			     sizeof(struct rte_pktmbuf_pool_private) ||
		     rte_pktmbuf_data_room_size(mp) == 0))
		return -EINVAL;
	__hb_buf_reset(b, mp);
	return 0;
}

/*
 * Always inline: as a function of its own (GCC's choice for this size)
 * the one-segment free of the seed workload cost 68 more instructions
 * (callgrind, hb-bench --workloads seed).
 */
__rte_experimental
static __rte_always_inline int
hb_buf_free(struct hb_buf *b)
{
	struct rte_mbuf *h;

	/*
	 * Local, no visitor, no index: nothing or one segment is freed
	 * inline (rte_pktmbuf_free_seg() honours its reference count);
	 * longer chains and every other case take the slow path.
	 */
	if (likely(b != NULL && b->state == __HB_STATE_IDLE && b->idx == NULL)) {
		h = b->head;
		if (h == NULL)
			return 0;
		if (likely(h->next == NULL)) {
			if (b->mp == NULL) /* adopted, never used: keep its pool */
				b->mp = h->pool;
			rte_pktmbuf_free_seg(h);
			b->head = NULL;
			b->tail = NULL;
			b->pos_seg = NULL;
			b->pos_off = 0;
			b->gen = __hb_gen_next(b->gen);
			return 0;
		}
	}
	return __hb_buf_free(b);
}

__rte_experimental
static inline int
hb_buf_attach(struct hb_buf *b, struct rte_mbuf *m)
{
	if (unlikely(b == NULL || m == NULL))
		return -EINVAL;
	/* Reads nothing from m: tail and pool are found when first needed. */
	__hb_buf_reset(b, NULL);
	b->head = m;
	b->pos_seg = m;
	return 0;
}

__rte_experimental
static inline struct rte_mbuf *
hb_buf_detach(struct hb_buf *b)
{
	struct rte_mbuf *h;

	/*
	 * Not checked since attach (tail unknown): as adopted. Else no
	 * reserved segment after the tail: the chain as it is.
	 */
	if (likely(b != NULL && b->state == __HB_STATE_IDLE && b->idx == NULL &&
		   (h = b->head) != NULL &&
		   (b->tail == NULL || b->tail->next == NULL))) {
		/* The pool stays known for later appends (first cache line). */
		if (b->mp == NULL)
			b->mp = h->pool;
		b->head = NULL;
		b->tail = NULL;
		b->pos_seg = NULL;
		b->pos_off = 0;
		b->gen = __hb_gen_next(b->gen);
		return h;
	}
	return __hb_buf_detach(b);
}

__rte_experimental
static inline int
hb_buf_append(struct hb_buf *b, const void *src, uint32_t len)
{
	struct rte_mbuf *t;

	if (likely(b != NULL && src != NULL && b->state == __HB_STATE_IDLE &&
		   (t = b->tail) != NULL)) {
		uint32_t dl = t->data_len;
		uint32_t room = (uint32_t)t->buf_len - t->data_off - dl;
		struct rte_mbuf *h = b->head;

		if (likely(len <= room && __hb_seg_exclusive(t) &&
			   h->pkt_len <= UINT32_MAX - len)) {
			memcpy(rte_pktmbuf_mtod_offset(t, char *, dl), src, len);
			t->data_len = (uint16_t)(dl + len);
			h->pkt_len += len;
			return 0;
		}
	}
	return __hb_buf_append(b, src, len);
}

__rte_experimental
static inline int
hb_buf_prepend(struct hb_buf *b, const void *src, uint32_t len)
{
	struct rte_mbuf *h;

	/*
	 * Into the head's headroom (exclusive head, no index), the chain
	 * checked: already, or here if it is one segment (an adopted packet:
	 * what the first use of its chain would check, in the head alone).
	 */
	if (likely(b != NULL && src != NULL && b->state == __HB_STATE_IDLE &&
		   b->idx == NULL && (h = b->head) != NULL && len != 0 &&
		   h->pkt_len != 0 && len <= rte_pktmbuf_headroom(h) &&
		   __hb_seg_exclusive(h) && h->pkt_len <= UINT32_MAX - len &&
		   __hb_buf_chain_ok(b, h))) {
		h->data_off = (uint16_t)(h->data_off - len);
		h->data_len = (uint16_t)(h->data_len + len);
		h->pkt_len += len;
		memcpy(rte_pktmbuf_mtod(h, char *), src, len);
		/* Offsets moved: caches and cursors are stale. */
		b->pos_seg = h;
		b->pos_off = 0;
		b->gen = __hb_gen_next(b->gen);
		return 0;
	}
	return __hb_buf_prepend(b, src, len);
}

__rte_experimental
static inline int
hb_buf_adj(struct hb_buf *b, uint32_t len)
{
	struct rte_mbuf *h;

	/* Inside the head (no index): a header stripped off a packet. */
	if (likely(b != NULL && b->state == __HB_STATE_IDLE &&
		   b->idx == NULL && (h = b->head) != NULL && len != 0 &&
		   len < h->data_len && __hb_buf_chain_ok(b, h))) {
		h->data_off = (uint16_t)(h->data_off + len);
		h->data_len = (uint16_t)(h->data_len - len);
		h->pkt_len -= len;
		/* Offsets moved: caches and cursors are stale. */
		b->pos_seg = h;
		b->pos_off = 0;
		b->gen = __hb_gen_next(b->gen);
		return 0;
	}
	return __hb_buf_adj(b, len);
}

__rte_experimental
static inline int
hb_buf_concat(struct hb_buf *dst, struct hb_buf *src)
{
	struct rte_mbuf *dh, *sh;

	/*
	 * Both local and idle without an index, both chains checked (an
	 * adopted packet of one segment is checked in its head), dst's tail
	 * its last segment, src holding bytes: link, as __hb_buf_concat()
	 * does.
	 */
	if (likely(dst != NULL && src != NULL && dst != src &&
		   dst->state == __HB_STATE_IDLE &&
		   src->state == __HB_STATE_IDLE &&
		   dst->idx == NULL && src->idx == NULL &&
		   (dh = dst->head) != NULL && (sh = src->head) != NULL &&
		   sh->pkt_len != 0 && sh->pkt_len <= UINT32_MAX - dh->pkt_len &&
		   (uint32_t)dh->nb_segs + sh->nb_segs <=
			   RTE_MBUF_MAX_NB_SEGS &&
		   __hb_buf_chain_ok(dst, dh) && dst->tail->next == NULL &&
		   __hb_buf_chain_ok(src, sh))) {
		dst->tail->next = sh;
		dh->nb_segs = (uint16_t)(dh->nb_segs + sh->nb_segs);
		dh->pkt_len += sh->pkt_len;
		dst->tail = src->tail;
		/* Offsets of dst's bytes do not move: its cursors stay valid. */
		src->head = NULL;
		src->tail = NULL;
		src->pos_seg = NULL;
		src->pos_off = 0;
		src->gen = __hb_gen_next(src->gen);
		return 0;
	}
	return __hb_buf_concat(dst, src);
}

__rte_experimental
static inline int
hb_buf_read(const struct hb_buf *b, uint32_t off, void *dst, uint32_t len)
{
	const char *p;

	if (likely(b != NULL && dst != NULL && __hb_state_readable(b->state) &&
		   (p = __hb_buf_direct(b, off, len)) != NULL)) {
		memcpy(dst, p, len);
		return 0;
	}
	return __hb_buf_read(b, off, dst, len);
}

__rte_experimental
static inline int
hb_buf_write(struct hb_buf *b, uint32_t off, const void *src, uint32_t len)
{
	char *p;

	if (likely(b != NULL && src != NULL && b->state == __HB_STATE_IDLE &&
		   (p = __hb_buf_direct(b, off, len)) != NULL)) {
		memcpy(p, src, len);
		return 0;
	}
	return __hb_buf_write(b, off, src, len);
}

__rte_experimental
static inline const void *
hb_buf_peek(const struct hb_buf *b, uint32_t off, uint32_t len, void *scratch)
{
	const char *p;

	if (likely(b != NULL && __hb_state_readable(b->state) &&
		   (p = __hb_buf_direct(b, off, len)) != NULL))
		return p;
	return __hb_buf_peek(b, off, len, scratch);
}

#ifdef __cplusplus
}
#endif

#pragma GCC diagnostic pop

#endif /* HB_BUF_H */
