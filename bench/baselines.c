/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * hb-bench: the baselines' helpers that no timed loop calls (the rest is
 * static in baselines.h): building the expert segment index of a chain,
 * gathering a packet's bytes for a check.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>

#include "hb_bench.h"
#include "baselines.h"

int
xidx_build(struct xidx *x, const struct rte_mbuf *head)
{
	const struct rte_mbuf *m;
	uint32_t i = 0, off = 0;

	x->n = head->nb_segs;
	x->s = calloc(x->n, sizeof(*x->s));
	if (x->s == NULL)
		return -ENOMEM;
	for (m = head; m != NULL; m = m->next, i++) {
		x->s[i].data = rte_pktmbuf_mtod(m, const char *);
		x->s[i].start = off;
		x->s[i].len = m->data_len;
		off += m->data_len;
	}
	x->first_len = x->s[0].len;
	x->mid_len = x->n > 2 ? x->s[1].len : 0;
	for (i = 1; i + 1 < x->n; i++)
		if (x->s[i].len != x->mid_len)
			x->mid_len = 0;
	if (x->n > 1 && x->s[x->n - 1].len > x->mid_len)
		x->mid_len = 0;
	if (x->mid_len != 0)
		x->rdiv = rte_reciprocal_value(x->mid_len);
	return 0;
}

/* Gather a whole packet into @dst; returns its length. */
uint32_t
pkt_gather(const struct rte_mbuf *m, uint8_t *dst)
{
	const struct rte_mbuf *s;
	uint32_t off = 0;

	for (s = m; s != NULL; s = s->next) {
		memcpy(dst + off, rte_pktmbuf_mtod(s, const void *),
		       s->data_len);
		off += s->data_len;
	}
	return off;
}
