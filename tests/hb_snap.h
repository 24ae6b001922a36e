/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_SNAP_H
#define HB_SNAP_H

/*
 * Snapshots of a buffer or of a bare mbuf chain, for the error rule of
 * include/hb_buf.h: "a call that fails changes nothing: the buffer is byte
 * for byte and segment for segment as before, and every mbuf the call took
 * is back in its pool".
 *
 *   hb_snap_take(&before, b, true);
 *   rc = the call;                        (it fails)
 *   hb_snap_take(&now, b, true);
 *   hb_snap_diff(&before, &now, HB_SNAP_ALL, why, sizeof(why));   (0)
 *
 * Plain C, no CMocka: the libFuzzer targets use it too. hb_snap_diff()
 * says what differs and the caller asserts in its own dialect; the CMocka
 * tests use hb_assert_snap() and friends (hb_test.h).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "hyperbuf.h"

/* What hb_snap_diff() compares (bits). */
#define HB_SNAP_BYTES  (1u << 0) /* length (pkt_len), and every byte if
				  * both snapshots hold them */
#define HB_SNAP_LAYOUT (1u << 1) /* segments walked; each segment's
				  * data_off, data_len, nb_segs, pkt_len */
#define HB_SNAP_REFCNT (1u << 2) /* each segment's reference count */
#define HB_SNAP_SEGS   (1u << 3) /* the very same mbufs: each segment's
				  * address and next pointer */
#define HB_SNAP_BUF    (1u << 4) /* the struct hb_buf: head, tail (unless
				  * not known yet before), pool, shared
				  * state, state word, layout generation;
				  * and hb_buf_check() passes on the second */
#define HB_SNAP_POOLS  (1u << 5) /* mbufs in use in each pool watched */
#define HB_SNAP_ALL    ((1u << 6) - 1)

/* Pools one snapshot can watch. */
#define HB_SNAP_MAX_POOLS 4

/* One segment of the chain. */
struct hb_snap_seg {
	const struct rte_mbuf *m;
	const struct rte_mbuf *next;
	uint16_t data_off;
	uint16_t data_len;
	uint16_t refcnt;
	uint16_t nb_segs;	/* meaningful in the head only, kept as is */
	uint32_t pkt_len;	/* likewise */
};

struct hb_snap {
	bool has_buf;		/* taken of a struct hb_buf */
	struct hb_buf buf;	/* a copy of it */
	int check;		/* hb_buf_check() of it */
	const char *why;	/* its reason */
	uint32_t len;		/* head pkt_len (0: no chain) */
	uint16_t nb_segs;	/* head nb_segs */
	bool loop;		/* more segments than a chain may hold */
	uint32_t n;		/* segments walked */
	struct hb_snap_seg *seg;
	uint64_t nbytes;	/* sum of data_len */
	uint8_t *bytes;		/* their bytes (NULL: not kept) */
	unsigned int npools;
	struct rte_mempool *mp[HB_SNAP_MAX_POOLS];
	unsigned int in_use[HB_SNAP_MAX_POOLS];
};

/*
 * Record @b, its chain (with its bytes if @bytes) and the in-use count of
 * its pool. Overwrites @s (release it with hb_snap_free()). Returns 0, or
 * -ENOMEM (@s then holds nothing to free).
 */
int hb_snap_take(struct hb_snap *s, const struct hb_buf *b, bool bytes);

/* Record the bare chain at @head (NULL: none), bytes included. */
int hb_snap_chain(struct hb_snap *s, const struct rte_mbuf *head);

/*
 * Record the @n mbufs @m themselves, wherever their next pointers lead (a
 * chain made inconsistent on purpose, a loop): no walk, no bytes.
 */
int hb_snap_mbufs(struct hb_snap *s, struct rte_mbuf *const *m,
		  unsigned int n);

/* Also watch the in-use count of @mp (at most HB_SNAP_MAX_POOLS). */
void hb_snap_pool(struct hb_snap *s, struct rte_mempool *mp);

/*
 * Compare @now with @before on @what (HB_SNAP_* bits). Returns 0 if they
 * agree, else -1 with the first difference described in @why.
 */
int hb_snap_diff(const struct hb_snap *before, const struct hb_snap *now,
		 unsigned int what, char *why, size_t size);

/* Release what @s holds; @s holds nothing afterwards. */
void hb_snap_free(struct hb_snap *s);

#endif /* HB_SNAP_H */
