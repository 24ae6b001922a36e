/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_ASYNC_H
#define HB_ASYNC_H

/**
 * @file
 * HyperBuf shared buffers and asynchronous visitor acquisition.
 *
 * A buffer is local (one lcore) until hb_buf_share() makes it visitable from
 * any lcore: EAL lcores and registered non-EAL threads (an unregistered
 * thread gets -ENOTSUP). Its visitor state then moves to an atomic,
 * per-buffer structure:
 *  - readers: one counter per lcore, each on its own cache line (a
 *    "big reader" lock): a read visit costs two atomic operations on the
 *    caller's own line and reads one shared, read-mostly word (the gate);
 *    readers on different lcores do not bounce a cache line between them;
 *  - writers: exclusive; a writer sets the gate, then checks every lcore's
 *    reader counter (only lcores that ever read this buffer are checked);
 *  - waiters: a FIFO wait ring (an rte_ring of request descriptors).
 *
 * Nothing ever spins or blocks. A synchronous visit (hb_visit_read(),
 * hb_visit_write()) or buffer call (hb_buf_*()) on a shared buffer is
 * granted at once or fails with -EBUSY; it never jumps ahead of queued
 * requests. (One exception, which delays nobody: a reading call made by an
 * lcore that already holds a reader on the buffer does not wait for the
 * queue.) hb_visit_async() is granted at once (returns 0, the visitor is
 * in the request) or queues the request and returns -EINPROGRESS.
 *
 * Grants: whoever releases the last conflicting visitor (or queues,
 * cancels, or backs off) runs the grant step: under a try-lock, it grants
 * the waiters at the head of the ring in FIFO order (all consecutive
 * readers, or one writer) and posts each grant on the completion ring (an
 * rte_ring) of the lcore that asked. If another lcore is granting at that
 * moment, it leaves a note and that lcore grants again: no event is lost
 * and nobody waits. Each lcore calls hb_poll() in its main loop; hb_poll()
 * maps the granted visitors (bouncing on that lcore if needed) and runs
 * their callbacks, on that lcore: a continuation plus a poll loop, the C
 * form of async/await, the DPDK run-to-completion way.
 *
 * Fairness: FIFO. A queued writer waits only for the visitors live when it
 * queued and for the requests queued before it; later readers queue behind
 * it.
 *
 * Cancellation and teardown: hb_req_cancel() withdraws a queued request
 * (its callback will not run). Tearing a shared buffer down follows the
 * error rule: hb_buf_unshare(), hb_buf_free() and hb_buf_detach() succeed
 * when no visitor is live and no request is queued, or fail with -EBUSY
 * and change nothing (no request cancelled, the buffer still shared and
 * open). To end a buffer that others still use or wait for, first call
 * hb_buf_close(), which is a state change: every queued request completes
 * with -ECANCELED (its callback runs on its lcore's next hb_poll()), new
 * requests are refused with -ECANCELED and new visits and calls with
 * -EBUSY, and live visitors stay valid; hb_buf_is_closing() tells. Once
 * those visitors are released, the teardown calls succeed. Nothing ever
 * waits for another lcore: -EBUSY names visitors or requests that exist,
 * whose end the application sees (its releases, its hb_poll() loop). No
 * visitor outlives its buffer: the shared state is recycled, not freed,
 * so a release finishing on another lcore never touches freed memory.
 *
 * Limits: a shared buffer takes at least HB_ASYNC_WAIT_RING waiters (up to
 * twice that: the grant step moves them from the ring into a backlog of the
 * same size, where withdrawn requests are dropped at once), and an lcore
 * has HB_ASYNC_LCORE_REQS outstanding queued requests; beyond, -ENOBUFS and
 * nothing is queued.
 *
 * @warning
 * @b EXPERIMENTAL: all HyperBuf APIs may change without prior notice.
 */

#include <rte_compat.h>

#include "hb_visit.h"

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

/** Size of a shared buffer's wait ring (see the limits above). */
#define HB_ASYNC_WAIT_RING 1024u
/** Queued (not yet completed) requests one lcore can have outstanding. */
#define HB_ASYNC_LCORE_REQS 1024u

/** Kind of access requested. */
enum hb_access {
	HB_ACCESS_READ,	 /**< shared read visitor */
	HB_ACCESS_WRITE, /**< exclusive write visitor */
};

struct hb_req;

/**
 * Completion callback of a queued request, run by hb_poll() on the lcore
 * that queued it.
 *
 * @param req
 *   The request. With @p status 0, hb_req_visitor(req) is a live visitor
 *   that the callback (or later code) must release with
 *   hb_visit_release().
 * @param status
 *   0: granted. -ECANCELED: the buffer was closed (hb_buf_close()).
 *   -ERANGE: the range no longer fits the buffer (it shrank meanwhile).
 *   -ENOMEM, -E2BIG: as hb_visit_read()/hb_visit_write() (bounce memory,
 *   growth).
 * @param arg
 *   The argument given to hb_visit_async().
 */
typedef void (*hb_visit_cb)(struct hb_req *req, int status, void *arg);

/**
 * An asynchronous visit request. Caller-owned; it must stay valid from
 * hb_visit_async() until the request is granted at once (return 0), its
 * callback has run, or hb_req_cancel() returned 0. Fields are private.
 */
struct hb_req {
	struct hb_visitor v;	/**< @internal the granted visitor */
	struct hb_buf *buf;	/**< @internal buffer */
	hb_visit_cb cb;		/**< @internal completion callback */
	void *arg;		/**< @internal callback argument */
	uint32_t off;		/**< @internal range offset */
	uint32_t len;		/**< @internal range length */
	uint32_t grow;		/**< @internal declared growth */
	uint16_t acc;		/**< @internal enum hb_access */
	uint16_t lcore;		/**< @internal lcore that queued it */
	uint32_t slot;		/**< @internal slot on that lcore */
	uint32_t gen;		/**< @internal slot generation */
};

/**
 * Make @p b visitable from any lcore.
 *
 * Allocates the shared state and the wait ring (rte_ring) on the socket of
 * the buffer's pool. Call with no visitor live.
 *
 * Not MT-safe: call from the thread that owns the local buffer @p b;
 * afterwards any lcore may use it.
 *
 * @param b
 *   A local buffer.
 * @return
 *   - 0: Success.
 *   - -EINVAL: @p b is NULL or not initialised.
 *   - -EALREADY: @p b is already shared.
 *   - -EBUSY: a visitor is live on @p b.
 *   - -EPERM: hb_init() was not called.
 *   - -ENOMEM: no memory for the shared state or the ring.
 */
__rte_experimental
int hb_buf_share(struct hb_buf *b);

/**
 * Make a shared buffer local again (owned by the calling thread).
 *
 * Succeeds only when nothing is left to wait for: no visitor live
 * (granted requests not yet released included) and no request queued.
 * Otherwise it fails and changes nothing: the buffer stays shared (and
 * open, unless hb_buf_close() closed it), queued requests stay queued and
 * are granted in their turn. To end a buffer with requests queued, call
 * hb_buf_close() first. On success the shared state goes back to
 * HyperBuf's pool.
 *
 * Any thread, while no other thread starts a call or visit on @p b (they
 * may release their visitors and poll; after hb_buf_close() their new
 * requests and visits are refused).
 *
 * @param b
 *   A shared buffer.
 * @return
 *   - 0: Success: @p b is local.
 *   - -EINVAL: @p b is NULL, not initialised, or not shared.
 *   - -EBUSY: a visitor is live or a request is queued (after
 *     hb_buf_close(): a request whose -ECANCELED completion is still being
 *     posted); nothing changed. Call again once they are released or
 *     completed (e.g. after the next hb_poll() of their lcores).
 */
__rte_experimental
int hb_buf_unshare(struct hb_buf *b);

/**
 * Start the teardown of a shared buffer: a state change, for good.
 *
 * Every queued request completes with -ECANCELED (its callback runs on its
 * lcore's next hb_poll(); if another lcore is granting at that moment, that
 * lcore posts the cancellations before it finishes). From then on new
 * requests (hb_visit_async()) fail with -ECANCELED and new visits and
 * buffer calls with -EBUSY. Live visitors, and requests already granted,
 * are untouched: once they are released, hb_buf_unshare(), hb_buf_free()
 * and hb_buf_detach() succeed. Idempotent.
 *
 * MT-safe: any thread, also while other lcores visit @p b, queue
 * requests or poll.
 *
 * @param b
 *   A shared buffer.
 * @return
 *   - 0: Success: @p b is closing (also if it already was).
 *   - -EINVAL: @p b is NULL, not initialised, or not shared.
 */
__rte_experimental
int hb_buf_close(struct hb_buf *b);

/**
 * Is @p b a shared buffer that hb_buf_close() closed?
 *
 * MT-safe: any thread (the answer changes with hb_buf_close(), and with
 * the teardown call that makes @p b local).
 *
 * @param b
 *   A buffer.
 * @return
 *   true if @p b is shared and closing; false otherwise (also for NULL
 *   or an uninitialised buffer).
 */
__rte_experimental
bool hb_buf_is_closing(const struct hb_buf *b);

/**
 * Is @p b shared?
 *
 * MT-safe: any thread (only hb_buf_share() and hb_buf_unshare() change the
 * answer).
 *
 * @param b
 *   An initialised buffer.
 * @return
 *   true if @p b is shared.
 */
__rte_experimental
static inline bool
hb_buf_is_shared(const struct hb_buf *b)
{
	return (b->state & __HB_GUARD_SHARED) != 0;
}

/**
 * Ask for a visitor on [@p off, @p off + @p len) of @p b, granted now or
 * later.
 *
 * On a shared buffer: if no visitor conflicts and no request is queued, the
 * visitor is granted at once (returns 0, hb_req_visitor(req) is live, the
 * callback is not called). Otherwise the request is queued in FIFO order and
 * -EINPROGRESS is returned; @p cb runs from hb_poll() on this lcore when it
 * completes. On a local buffer the request is granted at once or fails
 * (-EBUSY): only shared buffers queue.
 *
 * From any lcore (EAL or registered non-EAL thread; -ENOTSUP elsewhere, on
 * a local buffer too), on a local buffer only from the thread that owns
 * @p b; @p cb runs on the calling lcore, from its hb_poll().
 *
 * @param req
 *   Caller-owned request (see struct hb_req for its lifetime).
 * @param b
 *   The buffer.
 * @param acc
 *   HB_ACCESS_READ or HB_ACCESS_WRITE.
 * @param off
 *   Offset of the first byte.
 * @param len
 *   Number of bytes (at least 1).
 * @param grow
 *   For HB_ACCESS_WRITE, how many bytes the visit may add (see
 *   hb_visit_write()); must be 0 for reads.
 * @param cb
 *   Completion callback.
 * @param arg
 *   Callback argument.
 * @return
 *   - 0: Granted now.
 *   - -EINPROGRESS: Queued; @p cb will run.
 *   - -EINVAL: NULL @p req, @p b or @p cb, @p b not initialised, unknown
 *     @p acc, @p len 0, or @p grow on a read.
 *   - -ERANGE: the range does not fit the buffer (and @p grow).
 *   - -EBUSY: a local buffer with a conflicting visitor.
 *   - -ENOBUFS: the wait ring or this lcore's request slots are full;
 *     nothing queued.
 *   - -ECANCELED: the buffer is closing (hb_buf_close()); nothing queued.
 *   - -ENOTSUP: the caller is an unregistered non-EAL thread.
 *   - -ENOMEM, -E2BIG: as hb_visit_read()/hb_visit_write() when granted
 *     at once but the view cannot be made.
 */
__rte_experimental
int hb_visit_async(struct hb_req *req, struct hb_buf *b, enum hb_access acc,
		   uint32_t off, uint32_t len, uint32_t grow, hb_visit_cb cb,
		   void *arg);

/**
 * The visitor held by a granted request.
 *
 * MT-safe: any thread (it only computes an address).
 *
 * @param req
 *   A request granted at once or whose callback got status 0.
 * @return
 *   The visitor; NULL with rte_errno set on failure:
 *   - EINVAL: @p req is NULL.
 */
__rte_experimental
struct hb_visitor *hb_req_visitor(struct hb_req *req);

/**
 * Withdraw a queued request.
 *
 * Call on the lcore that queued @p req (-EPERM elsewhere).
 *
 * @param req
 *   A request for which hb_visit_async() returned -EINPROGRESS.
 * @return
 *   - 0: Withdrawn: its callback will not run; @p req may be reused.
 *   - -EALREADY: Too late: it was granted, or cancelled by hb_buf_close(),
 *     and its callback will run at the next hb_poll().
 *   - -EINVAL: @p req is NULL or not a queued request.
 *   - -EPERM: called from another lcore than the one that queued it.
 */
__rte_experimental
int hb_req_cancel(struct hb_req *req);

/**
 * Complete this lcore's granted or cancelled requests: map each granted
 * visitor and run the callbacks, on the calling lcore.
 *
 * Call it in every lcore's main loop (it costs a ring poll when idle).
 *
 * Call on each lcore (EAL or registered non-EAL thread) that queues
 * requests: it completes that lcore's requests only (an unregistered thread
 * gets 0).
 *
 * @param max
 *   Most completions to handle (0: no limit).
 * @return
 *   Number of callbacks run (0 also for an unregistered thread).
 */
__rte_experimental
unsigned int hb_poll(unsigned int max);

#ifdef __cplusplus
}
#endif

#pragma GCC diagnostic pop

#endif /* HB_ASYNC_H */
