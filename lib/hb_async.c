/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * Asynchronous visits, layer 6 of 7 (docs/guide.md, "Architecture"): a
 * visit that cannot be granted now is queued as a waiter on the buffer's
 * guard (hb_guard.h), standing for the caller's struct hb_req; hb_poll()
 * takes the lcore's completions from the guard layer, makes the granted
 * views (hb_visit_int.h) and runs the callbacks. Nothing below calls
 * this file.
 */

#include <errno.h>

#include "hb_async.h"
#include "hb_visit_int.h"

static void
req_fill(struct hb_req *req, struct hb_buf *b, enum hb_access acc,
	 uint32_t off, uint32_t len, uint32_t grow, hb_visit_cb cb, void *arg,
	 unsigned int lcore)
{
	req->buf = b;
	req->cb = cb;
	req->arg = arg;
	req->off = off;
	req->len = len;
	req->grow = grow;
	req->acc = (uint16_t)acc;
	req->lcore = (uint16_t)lcore;
	req->slot = UINT32_MAX;
	req->gen = 0;
}

/* @req (filled in) was refused now with @rc: queue it if busy and shared. */
static int
async_refused(struct hb_req *req, int rc)
{
	struct hb_buf *b = req->buf;

	if (rc != -EBUSY || (b->state & __HB_GUARD_SHARED) == 0)
		return rc;
	rc = hb_guard_queue(b->sh, req->acc == HB_ACCESS_WRITE, req->lcore,
			    req, &req->slot, &req->gen);
	if (rc == -EINPROGRESS)
		HB_STAT_ADD(async_queued, 1);
	return rc;
}

int
hb_visit_async(struct hb_req *req, struct hb_buf *b, enum hb_access acc,
	       uint32_t off, uint32_t len, uint32_t grow, hb_visit_cb cb,
	       void *arg)
{
	const bool write = acc == HB_ACCESS_WRITE;
	unsigned int me;
	int rc;

	/* Not queued until it is: hb_req_cancel() on a refused one: -EINVAL. */
	if (req != NULL)
		req->slot = UINT32_MAX;
	if (req == NULL || cb == NULL || !hb_buf_magic_ok(b) ||
	    (acc != HB_ACCESS_READ && acc != HB_ACCESS_WRITE) || len == 0 ||
	    (!write && grow != 0))
		return -EINVAL;
	req->v.state = 0;
	if ((uint64_t)off + len > (uint64_t)hb_buf_len(b) + (write ? grow : 0))
		return -ERANGE;
	me = rte_lcore_id();
	if (me >= RTE_MAX_LCORE)
		return -ENOTSUP;
	req_fill(req, b, acc, off, len, grow, cb, arg, me);

	/*
	 * Granted at once if nothing conflicts and nobody waits (the visit
	 * calls' paths), else queued on the guard of a shared buffer.
	 */
	rc = hb_visit_now(b, off, len, grow, write, &req->v);
	if (likely(rc == 0)) {
		HB_STAT_ADD(async_now, 1);
		return 0;
	}
	return async_refused(req, rc);
}

struct hb_visitor *
hb_req_visitor(struct hb_req *req)
{
	if (req == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	return &req->v;
}

int
hb_req_cancel(struct hb_req *req)
{
	struct hb_guard *g;
	unsigned int me = rte_lcore_id();
	int rc;

	if (req == NULL || req->slot >= HB_ASYNC_LCORE_REQS ||
	    req->lcore >= RTE_MAX_LCORE)
		return -EINVAL;
	if (me != req->lcore)
		return -EPERM;
	rc = hb_guard_withdraw(me, req->slot, req->gen, req);
	if (rc != 0)
		return rc;
	req->slot = UINT32_MAX;
	HB_STAT_ADD(async_cancelled, 1);
	/* The buffer may have been unshared meanwhile (no guard: NULL). */
	g = __atomic_load_n(&req->buf->sh, __ATOMIC_RELAXED);
	if (g != NULL)
		hb_guard_withdrawn(g);
	return 0;
}

/* Deliver a granted request on its lcore: make the view, run the callback. */
static void
deliver(struct hb_req *req)
{
	const bool write = req->acc == HB_ACCESS_WRITE;
	struct hb_buf *b = req->buf;
	int rc;

	rc = hb_visit_map_granted(b, req->off, req->len, req->grow, write,
				  req->lcore, &req->v);
	if (rc != 0)
		hb_guard_exit(b->sh, write, req->lcore);
	HB_STAT_ADD(async_granted, 1);
	req->cb(req, rc, req->arg);
}

/* Complete the lcore @me's completions, at most @max (0: all). */
static __rte_noinline unsigned int
poll_completions(unsigned int me, unsigned int max)
{
	struct hb_guard_done burst[32];
	unsigned int done = 0, n, i;

	do {
		unsigned int want = RTE_DIM(burst);

		if (max != 0 && max - done < want)
			want = max - done;
		n = hb_guard_poll(me, burst, want);
		for (i = 0; i < n; i++) {
			struct hb_req *req = burst[i].arg;

			req->slot = UINT32_MAX;
			if (burst[i].granted) {
				deliver(req);
			} else {
				HB_STAT_ADD(async_teardown, 1);
				req->cb(req, -ECANCELED, req->arg);
			}
			done++;
		}
	} while (n == RTE_DIM(burst) && (max == 0 || done < max));
	return done;
}

unsigned int
hb_poll(unsigned int max)
{
	unsigned int me = rte_lcore_id();

	if (unlikely(me >= RTE_MAX_LCORE))
		return 0;
	/* Nothing queued, nothing to complete (hb_guard_idle()). */
	if (likely(hb_guard_idle(me)))
		return 0;
	return poll_completions(me, max);
}
