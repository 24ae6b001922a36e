/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hb_snap.h"

/* A chain never has more segments; a walk past them is a loop. */
#define WALK_MAX ((uint32_t)RTE_MBUF_MAX_NB_SEGS + 1)

static void
seg_take(struct hb_snap_seg *sg, const struct rte_mbuf *m)
{
	sg->m = m;
	sg->next = m->next;
	sg->data_off = m->data_off;
	sg->data_len = m->data_len;
	sg->refcnt = rte_mbuf_refcnt_read(m);
	sg->nb_segs = m->nb_segs;
	sg->pkt_len = m->pkt_len;
}

static int
walk(struct hb_snap *s, const struct rte_mbuf *head, bool bytes)
{
	const struct rte_mbuf *m;
	uint32_t n = 0, i;
	uint64_t off = 0;

	s->len = head != NULL ? head->pkt_len : 0;
	s->nb_segs = head != NULL ? head->nb_segs : 0;
	for (m = head; m != NULL && n < WALK_MAX; m = m->next) {
		n++;
		s->nbytes += m->data_len;
	}
	s->loop = m != NULL;
	s->n = n;
	if (n > 0) {
		s->seg = calloc(n, sizeof(*s->seg));
		if (s->seg == NULL)
			return -ENOMEM;
	}
	if (bytes) {
		/* One byte more: malloc(0) may return NULL. */
		s->bytes = malloc(s->nbytes + 1);
		if (s->bytes == NULL) {
			free(s->seg);
			s->seg = NULL;
			return -ENOMEM;
		}
	}
	for (m = head, i = 0; i < n; m = m->next, i++) {
		seg_take(&s->seg[i], m);
		if (bytes)
			memcpy(s->bytes + off,
			       rte_pktmbuf_mtod(m, const void *), m->data_len);
		off += m->data_len;
	}
	return 0;
}

int
hb_snap_take(struct hb_snap *s, const struct hb_buf *b, bool bytes)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->has_buf = true;
	memcpy(&s->buf, b, sizeof(*b));
	s->check = hb_buf_check(b, &s->why);
	rc = walk(s, b->head, bytes);
	if (rc != 0) {
		memset(s, 0, sizeof(*s));
		return rc;
	}
	if (hb_buf_pool(b) != NULL)
		hb_snap_pool(s, hb_buf_pool(b));
	return 0;
}

int
hb_snap_chain(struct hb_snap *s, const struct rte_mbuf *head)
{
	int rc;

	memset(s, 0, sizeof(*s));
	rc = walk(s, head, true);
	if (rc != 0)
		memset(s, 0, sizeof(*s));
	return rc;
}

int
hb_snap_mbufs(struct hb_snap *s, struct rte_mbuf *const *m, unsigned int n)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	if (n == 0)
		return 0;
	s->seg = calloc(n, sizeof(*s->seg));
	if (s->seg == NULL)
		return -ENOMEM;
	s->n = n;
	s->len = m[0]->pkt_len;
	s->nb_segs = m[0]->nb_segs;
	for (i = 0; i < n; i++) {
		seg_take(&s->seg[i], m[i]);
		s->nbytes += m[i]->data_len;
	}
	return 0;
}

void
hb_snap_pool(struct hb_snap *s, struct rte_mempool *mp)
{
	if (s->npools >= HB_SNAP_MAX_POOLS)
		return;
	s->mp[s->npools] = mp;
	s->in_use[s->npools] = rte_mempool_in_use_count(mp);
	s->npools++;
}

void
hb_snap_free(struct hb_snap *s)
{
	free(s->seg);
	free(s->bytes);
	memset(s, 0, sizeof(*s));
}

static int
differ(char *why, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
differ(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
	return -1;
}

static int
diff_buf(const struct hb_snap *a, const struct hb_snap *b, char *why,
	 size_t size)
{
	const struct hb_buf *x = &a->buf, *y = &b->buf;

	if (!a->has_buf || !b->has_buf)
		return differ(why, size, "not a buffer snapshot");
	if (b->check != 0)
		return differ(why, size, "hb_buf_check: %s",
			      b->why != NULL ? b->why : "?");
	if (y->head != x->head)
		return differ(why, size, "head %p -> %p", (const void *)x->head,
			      (const void *)y->head);
	/* An adopted chain's tail is found on first use, and then cached. */
	if (y->tail != x->tail && !(x->tail == NULL && x->head != NULL))
		return differ(why, size, "tail %p -> %p", (const void *)x->tail,
			      (const void *)y->tail);
	if (hb_buf_pool(y) != hb_buf_pool(x))
		return differ(why, size, "pool changed");
	if (y->sh != x->sh)
		return differ(why, size, "shared state changed");
	if (y->state != x->state)
		return differ(why, size, "state %#" PRIx64 " -> %#" PRIx64,
			      x->state, y->state);
	if (y->gen != x->gen)
		return differ(why, size, "generation %#x -> %#x", x->gen,
			      y->gen);
	return 0;
}

static int
diff_segs(const struct hb_snap *a, const struct hb_snap *b,
	  unsigned int what, char *why, size_t size)
{
	uint32_t i;

	if (a->loop || b->loop)
		return differ(why, size, "the chain loops");
	if (what & HB_SNAP_LAYOUT) {
		if (b->n != a->n)
			return differ(why, size, "segments %u -> %u", a->n,
				      b->n);
		if (b->nb_segs != a->nb_segs)
			return differ(why, size, "nb_segs %u -> %u", a->nb_segs,
				      b->nb_segs);
	}
	for (i = 0; i < a->n && i < b->n; i++) {
		const struct hb_snap_seg *x = &a->seg[i], *y = &b->seg[i];

		if ((what & HB_SNAP_SEGS) &&
		    (y->m != x->m || y->next != x->next))
			return differ(why, size,
				      "segment %u: mbuf %p -> %p, next %p -> %p",
				      i, (const void *)x->m, (const void *)y->m,
				      (const void *)x->next,
				      (const void *)y->next);
		if ((what & HB_SNAP_LAYOUT) &&
		    (y->data_off != x->data_off || y->data_len != x->data_len))
			return differ(why, size,
				      "segment %u: data_off %u -> %u, data_len %u -> %u",
				      i, x->data_off, y->data_off, x->data_len,
				      y->data_len);
		if ((what & HB_SNAP_LAYOUT) &&
		    (y->nb_segs != x->nb_segs || y->pkt_len != x->pkt_len))
			return differ(why, size,
				      "segment %u: nb_segs %u -> %u, pkt_len %u -> %u",
				      i, x->nb_segs, y->nb_segs, x->pkt_len,
				      y->pkt_len);
		if ((what & HB_SNAP_REFCNT) && y->refcnt != x->refcnt)
			return differ(why, size, "segment %u: refcnt %u -> %u",
				      i, x->refcnt, y->refcnt);
	}
	if ((what & HB_SNAP_SEGS) && b->n != a->n)
		return differ(why, size, "segments %u -> %u", a->n, b->n);
	return 0;
}

static int
diff_bytes(const struct hb_snap *a, const struct hb_snap *b, char *why,
	   size_t size)
{
	uint64_t i;

	if (b->len != a->len)
		return differ(why, size, "length %u -> %u", a->len, b->len);
	if (a->bytes == NULL || b->bytes == NULL)
		return 0;
	if (b->nbytes != a->nbytes)
		return differ(why, size, "segments hold %" PRIu64 " -> %" PRIu64
			      " bytes", a->nbytes, b->nbytes);
	if (memcmp(a->bytes, b->bytes, a->nbytes) == 0)
		return 0;
	for (i = 0; a->bytes[i] == b->bytes[i]; i++)
		;
	return differ(why, size, "byte %" PRIu64 ": %#x -> %#x", i, a->bytes[i],
		      b->bytes[i]);
}

int
hb_snap_diff(const struct hb_snap *a, const struct hb_snap *b,
	     unsigned int what, char *why, size_t size)
{
	unsigned int i;

	if ((what & HB_SNAP_BUF) && diff_buf(a, b, why, size) != 0)
		return -1;
	if ((what & (HB_SNAP_LAYOUT | HB_SNAP_REFCNT | HB_SNAP_SEGS)) &&
	    diff_segs(a, b, what, why, size) != 0)
		return -1;
	if ((what & HB_SNAP_BYTES) && diff_bytes(a, b, why, size) != 0)
		return -1;
	if (!(what & HB_SNAP_POOLS))
		return 0;
	if (b->npools != a->npools)
		return differ(why, size, "pools watched differ");
	for (i = 0; i < a->npools; i++) {
		if (b->mp[i] != a->mp[i])
			return differ(why, size, "pools watched differ");
		if (b->in_use[i] != a->in_use[i])
			return differ(why, size, "pool %s: %u mbufs in use, was %u",
				      a->mp[i]->name, b->in_use[i],
				      a->in_use[i]);
	}
	return 0;
}
