/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * Per-lcore state: bounce memory for spanning visits and counters. One
 * cache-aligned slot per lcore id (EAL lcores and registered non-EAL
 * threads), written only by its own lcore, so no atomics are needed;
 * other lcores only read the counters (relaxed loads).
 */

#include <errno.h>
#include <inttypes.h>

#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "hb_lcore.h"

RTE_LOG_REGISTER(hb_logtype, lib.hyperbuf, NOTICE);

struct hb_lcore hb_lcores[RTE_MAX_LCORE];

/*
 * Bounce memory: HB_VISIT_BOUNCE_SIZE bytes cut in units of
 * HB_VISIT_ALIGN_MAX bytes (so every block suits any aligned visit),
 * followed by a bitmap of the units in use. A block is taken first fit and
 * its units are free again as soon as it is released, in any order: a
 * visit is refused only when no free stretch is long enough (a bump
 * pointer would leak every block released out of order for as long as any
 * other bounced visitor stays live).
 */
#define BOUNCE_UNIT HB_VISIT_ALIGN_MAX
#define BOUNCE_UNITS (HB_VISIT_BOUNCE_SIZE / BOUNCE_UNIT)
#define BOUNCE_MAP_WORDS (BOUNCE_UNITS / 64)

static_assert(HB_VISIT_BOUNCE_SIZE % (BOUNCE_UNIT * 64) == 0,
	      "bounce memory must be whole bitmap words of units");


/* Mark the units [first, first + n) used or free, a word at a time. */
static void
bounce_mark(uint64_t *map, uint32_t first, uint32_t n, bool used)
{
	while (n > 0) {
		uint32_t bit = first % 64, k = RTE_MIN(n, 64 - bit);
		uint64_t mask = (k == 64 ? UINT64_MAX :
				 ((UINT64_C(1) << k) - 1)) << bit;

		HB_ASSERT(used ? (map[first / 64] & mask) == 0 :
				 (map[first / 64] & mask) == mask);
		if (used)
			map[first / 64] |= mask;
		else
			map[first / 64] &= ~mask;
		first += k;
		n -= k;
	}
}

/* Lowest start of a run of n (<= 64) free units inside one word, or -1. */
static int
bounce_fit_word(uint64_t used, uint32_t n)
{
	uint64_t run = ~used;
	uint32_t have = 1;

	/* run: bit i set if units i..i+have-1 are all free. */
	while (have < n) {
		uint32_t step = RTE_MIN(have, n - have);

		run &= run >> step;
		have += step;
	}
	/* A run may not leave the word: the high units shifted in are 0. */
	return run != 0 ? __builtin_ctzll(run) : -1;
}

int
__hb_bounce_alloc(struct hb_lcore *lc, uint32_t len, uint32_t *off)
{
	uint32_t n, u, w, run = 0;
	uint64_t *map;
	int bit;

	if (len > HB_VISIT_BOUNCE_SIZE)
		return -E2BIG;
	if (unlikely(lc->bounce == NULL)) {
		unsigned int id = (unsigned int)(lc - hb_lcores);
		int socket = rte_lcore_is_enabled(id) ?
			(int)rte_lcore_to_socket_id(id) : SOCKET_ID_ANY;

		lc->bounce = rte_malloc_socket("hb_bounce",
					       HB_VISIT_BOUNCE_SIZE +
					       BOUNCE_MAP_WORDS * sizeof(*map),
					       HB_VISIT_ALIGN_MAX, socket);
		if (lc->bounce == NULL)
			return -ENOMEM;
		memset(hb_bounce_map(lc), 0, BOUNCE_MAP_WORDS * sizeof(*map));
	}
	map = hb_bounce_map(lc);
	n = (len + BOUNCE_UNIT - 1) / BOUNCE_UNIT;
	/* Headers and small ranges: first fit inside one word. */
	if (n <= 64) {
		for (w = 0; w < BOUNCE_MAP_WORDS; w++) {
			if (map[w] == UINT64_MAX)
				continue;
			bit = bounce_fit_word(map[w], n);
			if (bit >= 0) {
				u = w * 64 + (uint32_t)bit;
				goto found;
			}
		}
	}
	/* First fit across words: the lowest run of n free units. */
	for (u = 0; u < BOUNCE_UNITS; u++) {
		if (u % 64 == 0 && map[u / 64] == UINT64_MAX) {
			run = 0;
			u += 63; /* a word of used units */
			continue;
		}
		if (map[u / 64] & (UINT64_C(1) << (u % 64))) {
			run = 0;
			continue;
		}
		if (++run == n) {
			u = u + 1 - n;
			goto found;
		}
	}
	return -ENOMEM;
found:
	bounce_mark(map, u, n, true);
	lc->live++;
	*off = u * BOUNCE_UNIT;
	return 0;
}

void
__hb_bounce_free(struct hb_lcore *lc, uint32_t off, uint32_t len)
{
	HB_ASSERT(lc->live > 0);
	HB_ASSERT(off % BOUNCE_UNIT == 0 && off + len <= HB_VISIT_BOUNCE_SIZE);
	bounce_mark(hb_bounce_map(lc), off / BOUNCE_UNIT,
		    (len + BOUNCE_UNIT - 1) / BOUNCE_UNIT, false);
	lc->live--;
}

static void
stats_read(const struct hb_lcore *lc, struct hb_stats *st)
{
	const uint64_t *src = (const uint64_t *)&lc->stats;
	uint64_t *dst = (uint64_t *)st;
	size_t i;

	for (i = 0; i < sizeof(*st) / sizeof(uint64_t); i++)
		dst[i] += __atomic_load_n(&src[i], __ATOMIC_RELAXED);
}

int
hb_stats_get(struct hb_stats *st)
{
	unsigned int i;

	if (st == NULL)
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	for (i = 0; i < RTE_MAX_LCORE; i++)
		stats_read(&hb_lcores[i], st);
	return 0;
}

int
hb_lcore_stats_get(unsigned int lcore_id, struct hb_stats *st)
{
	if (st == NULL || lcore_id >= RTE_MAX_LCORE)
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	stats_read(&hb_lcores[lcore_id], st);
	return 0;
}

void
hb_stats_reset(void)
{
	unsigned int i;

	for (i = 0; i < RTE_MAX_LCORE; i++)
		memset(&hb_lcores[i].stats, 0, sizeof(hb_lcores[i].stats));
}

void
hb_lcore_bounce_info(unsigned int *arenas, unsigned int *live)
{
	unsigned int i;

	*arenas = 0;
	*live = 0;
	for (i = 0; i < RTE_MAX_LCORE; i++) {
		*arenas += hb_lcores[i].bounce != NULL;
		*live += hb_lcores[i].live;
	}
}

void
hb_lcore_fini(void)
{
	unsigned int i;

	for (i = 0; i < RTE_MAX_LCORE; i++) {
		struct hb_lcore *lc = &hb_lcores[i];

		if (lc->live != 0) {
			/* Leak rather than pull memory from under a view. */
			HB_LOG(ERR, "lcore %u still has %u bounced visitors",
			       i, lc->live);
			continue;
		}
		rte_free(lc->bounce);
		lc->bounce = NULL;
	}
}
