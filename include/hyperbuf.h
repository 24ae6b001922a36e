/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HYPERBUF_H
#define HYPERBUF_H

/**
 * @file
 * HyperBuf: rte_mbuf chains as one logical, growable byte buffer.
 *
 * Include this umbrella header to get every HyperBuf module:
 *  - hb_buf.h: the logical buffer (append, prepend, read, write, trim, adj,
 *    split, peek, iov, typed integers);
 *  - hb_cursor.h: a read cursor for parsing byte streams;
 *  - hb_visit.h: read and write visitors, typed views of a byte range;
 *  - hb_async.h: shared buffers, asynchronous visits, hb_poll().
 *
 * Call hb_init() once after rte_eal_init() and hb_fini() before
 * rte_eal_cleanup().
 *
 * @warning
 * @b EXPERIMENTAL: all HyperBuf APIs may change without prior notice.
 */

#include <rte_compat.h>

#include "hb_buf.h"
#include "hb_cursor.h"
#include "hb_writer.h"
#include "hb_visit.h"
#include "hb_async.h"

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

/** HyperBuf version as a string, e.g. "0.1.0". */
#define HB_VERSION_STR "0.1.0"

/**
 * Set up HyperBuf's per-lcore state and register its telemetry commands.
 *
 * Idempotent: later calls return 0 and do nothing.
 *
 * Not MT-safe: call once from the main lcore, after rte_eal_init() and
 * before any other lcore uses HyperBuf.
 *
 * @return
 *   - 0: Success.
 *   - -EPERM: the EAL is not initialised.
 *   - -ENOMEM: no memory for the pool of shared-buffer states.
 */
__rte_experimental
int hb_init(void);

/**
 * Release what hb_init() set up. Call before rte_eal_cleanup(), once no
 * lcore uses HyperBuf any more (no visitor live, no request queued, every
 * shared buffer unshared or freed). hb_init() may be called again
 * afterwards.
 *
 * Not MT-safe: call from the main lcore, before rte_eal_cleanup(), with no
 * lcore using HyperBuf.
 */
__rte_experimental
void hb_fini(void);

/**
 * HyperBuf counters. Each lcore counts its own events in its per-lcore
 * state (plain stores, no atomics); readers sum them. Events on the inline
 * fast paths (direct visits, appends within the tail) are not counted.
 * Also served by the telemetry command /hyperbuf/stats.
 */
struct hb_stats {
	uint64_t visits_bounced; /**< visits served from bounce memory */
	uint64_t bounce_bytes;	 /**< bytes gathered into bounce memory */
	uint64_t visits_grown;	 /**< write visits that grew their buffer */
	uint64_t visits_busy;	 /**< visits refused with -EBUSY */
	uint64_t visits_failed;	 /**< visits refused: -ENOMEM or -E2BIG */
	uint64_t segs_alloc;	 /**< segments taken from pools by buffers */
	uint64_t idx_builds;	 /**< segment indexes built */
	uint64_t pullups;	 /**< hb_buf_pullup() calls that moved bytes */
	uint64_t pullup_bytes;	 /**< bytes they moved */
	uint64_t async_now;	 /**< hb_visit_async() granted at once */
	uint64_t async_queued;	 /**< hb_visit_async() requests queued */
	uint64_t async_granted;	 /**< queued requests delivered by hb_poll
				      (granted, or failed at delivery) */
	uint64_t async_cancelled; /**< queued requests withdrawn */
	uint64_t async_teardown; /**< queued requests ended by hb_buf_close() */
};

/**
 * Sum of every lcore's counters.
 *
 * MT-safe: any thread (the counters may move meanwhile).
 *
 * @param st
 *   Receives the sums.
 * @return
 *   - 0: Success.
 *   - -EINVAL: @p st is NULL.
 */
__rte_experimental
int hb_stats_get(struct hb_stats *st);

/**
 * Counters of one lcore.
 *
 * MT-safe: any thread (the counters may move meanwhile).
 *
 * @param lcore_id
 *   An lcore id (EAL lcore or registered non-EAL thread).
 * @param st
 *   Receives the counters.
 * @return
 *   - 0: Success.
 *   - -EINVAL: @p st is NULL or @p lcore_id is not below RTE_MAX_LCORE.
 */
__rte_experimental
int hb_lcore_stats_get(unsigned int lcore_id, struct hb_stats *st);

/**
 * Zero every lcore's counters.
 *
 * Any thread, but not MT-safe with lcores counting meanwhile: their counts
 * of that moment may survive the reset.
 */
__rte_experimental
void hb_stats_reset(void);

#ifdef __cplusplus
}
#endif

#pragma GCC diagnostic pop

#endif /* HYPERBUF_H */
