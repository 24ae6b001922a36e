/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_LCORE_H
#define HB_LCORE_H

/*
 * Library-private, layer 1 of 7 (per-lcore; docs/guide.md, "Architecture"):
 * logging, debug assertions, and the per-lcore slots: bounce memory for
 * spanning visits and the counters. Includes no other private header;
 * every layer above includes it.
 */

#include <stddef.h>

#include <rte_debug.h>
#include <rte_lcore.h>
#include <rte_log.h>

#include "hyperbuf.h"

extern int hb_logtype;

#define HB_LOG(level, fmt, ...)                                                \
	rte_log(RTE_LOG_##level, hb_logtype, "HYPERBUF: %s(): " fmt "\n",     \
		__func__, ##__VA_ARGS__)

/*
 * HB_DEBUG (meson -Ddebug_checks=true, on in the sanitizer build) turns on
 * internal assertions (and, in the buffer layer, a full hb_buf_check()
 * after every mutating call). Without it they compile away.
 */
#ifdef HB_DEBUG
#define HB_ASSERT(exp) RTE_VERIFY(exp)
#else
#define HB_ASSERT(exp) do { } while (0)
#endif

/*
 * Per-lcore state, indexed by rte_lcore_id(), written by its lcore only.
 * bounce holds spanning visits: HB_VISIT_BOUNCE_SIZE bytes in 64-byte
 * units plus a bitmap of the units in use (hb_lcore.c); blocks are taken
 * first fit and given back in any order.
 */
struct hb_lcore {
	uint8_t *bounce;	/* HB_VISIT_BOUNCE_SIZE bytes, on first need */
	uint32_t live;		/* bounced visitors holding arena bytes */
	struct hb_stats stats;
} __rte_cache_aligned;

extern struct hb_lcore hb_lcores[RTE_MAX_LCORE];

/* The caller's slot, NULL for an unregistered non-EAL thread. */
static inline struct hb_lcore *
hb_lcore_self(void)
{
	unsigned int id = rte_lcore_id();

	return id < RTE_MAX_LCORE ? &hb_lcores[id] : NULL;
}

/*
 * Bounce memory: HB_VISIT_BOUNCE_SIZE bytes in units of HB_VISIT_ALIGN_MAX
 * bytes, followed by a bitmap of the units in use (hb_lcore.c).
 */
#define HB_BOUNCE_UNIT HB_VISIT_ALIGN_MAX

static inline uint64_t *
hb_bounce_map(const struct hb_lcore *lc)
{
	return (uint64_t *)(void *)(lc->bounce + HB_VISIT_BOUNCE_SIZE);
}

/* The general allocator: first fit in the bitmap (hb_lcore.c). */
int __hb_bounce_alloc(struct hb_lcore *lc, uint32_t len, uint32_t *off);
void __hb_bounce_free(struct hb_lcore *lc, uint32_t off, uint32_t len);

/*
 * Bounce memory of @lc (the caller's): a block of @len bytes at
 * lc->bounce + *off, aligned on HB_VISIT_ALIGN_MAX. -E2BIG: longer than
 * the arena; -ENOMEM: no free stretch that long (or no arena).
 * The common case, no other bounced visitor live and a block of at most
 * 64 units, is a bump from the start of the empty arena: one word of the
 * bitmap set, no search.
 */
static inline int
hb_bounce_alloc(struct hb_lcore *lc, uint32_t len, uint32_t *off)
{
	uint32_t n = (len + HB_BOUNCE_UNIT - 1) / HB_BOUNCE_UNIT;

	if (likely(lc->live == 0 && lc->bounce != NULL && n - 1 < 64)) {
		hb_bounce_map(lc)[0] = n == 64 ? UINT64_MAX :
				       (UINT64_C(1) << n) - 1;
		lc->live = 1;
		*off = 0;
		return 0;
	}
	return __hb_bounce_alloc(lc, len, off);
}

/* Give back a block of hb_bounce_alloc(); the last one empties the map. */
static inline void
hb_bounce_free(struct hb_lcore *lc, uint32_t off, uint32_t len)
{
	if (likely(lc->live == 1 && off == 0 && len <= 64 * HB_BOUNCE_UNIT)) {
		/* The only block: the arena is empty again. */
		hb_bounce_map(lc)[0] = 0;
		lc->live = 0;
		return;
	}
	__hb_bounce_free(lc, off, len);
}

/* Bounce arenas allocated and bounced visitors live, over all lcores. */
void hb_lcore_bounce_info(unsigned int *arenas, unsigned int *live);
/* Free the bounce arenas of lcores that hold no bounced visitor. */
void hb_lcore_fini(void);

/* Count @n events of hb_stats field at @off in @lc, the caller's slot. */
static inline void
hb_lcore_count(struct hb_lcore *lc, size_t off, uint64_t n)
{
	uint64_t *c = (uint64_t *)(void *)((char *)&lc->stats + off);

	/* Written by this lcore only; read by anyone with a relaxed load. */
	__atomic_store_n(c, *c + n, __ATOMIC_RELAXED);
}

/* Count @n events of hb_stats field at @off on the calling lcore. */
static inline void
hb_stat_add(size_t off, uint64_t n)
{
	struct hb_lcore *lc = hb_lcore_self();

	if (lc != NULL) /* not counted on unregistered threads */
		hb_lcore_count(lc, off, n);
}

/* Count an event of struct hb_stats @field on the calling lcore. */
#define HB_STAT_ADD(field, n) hb_stat_add(offsetof(struct hb_stats, field), (n))

#endif /* HB_LCORE_H */
