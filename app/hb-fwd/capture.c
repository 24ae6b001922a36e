/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * hb-fwd --capture FILE[,N[,KIB]]: every forwarding lcore appends every
 * Nth packet it receives (the first, then one in N: a pcap record header
 * and the packet's bytes as received) to ONE capture buffer shared by all
 * lcores (hb_buf_share()), and the main lcore drains it into FILE, a
 * classic pcap file (microsecond timestamps, Ethernet). Nothing waits
 * for anything: the forwarding loop only copies the captured packets into
 * a staging area of its lcore and, once per poll round, asks for a write
 * visit of the shared buffer with hb_visit_async(); while the buffer is
 * busy the request is queued and the lcore goes on forwarding, and the
 * callback (from the lcore's hb_poll()) copies the staged records in.
 *
 * The shared buffer is a log: each lcore reserves the bytes of its next
 * write, [off, off + len), from one atomic word (cap_state: the reserved
 * end, plus a PAUSED bit), then asks for a write visit of exactly that
 * range with declared growth (grow = off + len: the buffer grows to cover
 * it, zero-filled, whatever was granted before). Grants follow the wait
 * queue, not the reservations, so a range may be written after a later
 * one: the bytes between stay zero until then. A pcap record header never
 * has a capture length of 0, so the drainer reads the log with async read
 * visits and writes out the records up to the first zero header: the
 * complete prefix, in reservation order (per lcore: capture order).
 *
 * Draining without copying the log around: the drained prefix is cut off
 * with hb_buf_adj(), which needs the buffer to itself, and moves every
 * offset. So the drainer first sets PAUSED (no new reservation; the
 * lcores keep staging), waits (on its next steps) until every reserved
 * byte was written (cap_committed), cuts, then moves the reserved end back
 * by what it cut and clears PAUSED in one store. A cut that finds the
 * buffer busy (-EBUSY: a release still running) is tried again on the
 * next step: nothing ever spins.
 *
 * Bounds, and the only place a packet to capture is dropped (counted):
 * the shared buffer holds at most KIB KiB (default 4096); each lcore
 * stages into slots of CAP_SLOT bytes (a quarter of KIB per lcore, at
 * least two slots), one slot per write visit, the oldest written while
 * the next ones fill. A packet that finds every slot full (the shared
 * buffer full, or its grants held up, for that long) is dropped and
 * counted, never lost silently. Each record is cut to CAP_SNAPLEN bytes
 * (its length on the wire kept in the header).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include <hyperbuf.h>

#include "hb_fwd.h"

#define CAP_SLOT (HB_VISIT_BOUNCE_SIZE / 2)	/* one staging slot */
#define CAP_REC_HDR 16u				/* pcap record header */
#define CAP_SNAPLEN (CAP_SLOT - CAP_REC_HDR)	/* bytes kept per packet */
#define CAP_CHUNK HB_VISIT_BOUNCE_SIZE		/* most read per visit */
#define CAP_PAUSED (UINT64_C(1) << 63)		/* cap_state: no reserving */
#define CAP_SEG_ROOM 8192u			/* capture pool data room */
#define CAP_FLUSH_MS 2000u			/* at exit: longest wait */

bool fwd_cap_on;

/* One staging slot: whole records, written by one visit. */
struct cap_slot {
	uint32_t len;	/* bytes staged */
	uint32_t nrec;	/* records staged */
	uint8_t data[CAP_SLOT];
};

/*
 * A forwarding lcore's capture state (its own: no atomics). Slots head ..
 * tail (modulo nslot) hold records: head is the oldest (being written
 * when busy), tail the one filling.
 */
struct cap_lcore {
	struct hb_req req;	/* the write request of slot[head] */
	bool busy;		/* a request is out */
	bool retry;		/* it failed at delivery: ask again */
	unsigned int nslot;
	unsigned int head, tail;
	uint32_t off;		/* its reservation */
	uint64_t seen;		/* packets received */
	uint64_t skip;		/* of the next ones, not to capture */
	uint64_t captured;	/* records staged */
	uint64_t dropped;	/* packets to capture that found no room */
	uint64_t lost;		/* staged records never written (exit) */
	uint32_t staged;	/* bytes staged now ... */
	uint32_t staged_max;	/* ... and at most */
	struct cap_slot slot[];
} __rte_cache_aligned;

static struct cap_lcore *cap_lc[RTE_MAX_LCORE];

/* The shared log and its reservation words, each on a line of its own. */
static struct {
	struct hb_buf b;
} __rte_cache_aligned cap;
static uint64_t cap_state __rte_cache_aligned; /* PAUSED | reserved end */
static uint64_t cap_committed __rte_cache_aligned; /* bytes written */

/* The drainer's state (main lcore only). */
static struct {
	struct hb_req req;
	bool busy;		/* a read request is out */
	bool pausing;		/* PAUSED set, waiting to cut */
	uint32_t drained;	/* prefix written to the file */
	uint64_t written;	/* records written */
	uint64_t cuts;		/* hb_buf_adj() done */
	uint64_t high;		/* most bytes reserved at once */
	int err;		/* first error */
} dr;

static struct rte_mempool *cap_pool;
static FILE *cap_file;
static uint32_t cap_bound;	/* bytes the shared log may hold */
static uint64_t cap_tsc0;	/* TSC at start ... */
static struct timeval cap_tv0;	/* ... and the wall clock then */

/* ---------------------------------------------------------------------
 * Setup and pcap file
 */

static void
put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v)); /* pcap files are in the writer's order */
}

static uint32_t
get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

int
fwd_cap_setup(void)
{
	uint8_t gh[24];
	unsigned int id, n, nslot;
	int rc;

	if (fwd_cfg.capture_file == NULL)
		return 0;
	cap_bound = fwd_cfg.capture_kib * 1024u;
	cap_file = fopen(fwd_cfg.capture_file, "wb");
	if (cap_file == NULL) {
		printf("hb-fwd: --capture: cannot open %s: %s\n",
		       fwd_cfg.capture_file, strerror(errno));
		return -errno;
	}
	/* Global header: magic, version 2.4, UTC, snaplen, Ethernet. */
	put32(gh, 0xa1b2c3d4);
	put32(gh + 4, 2 | (4u << 16));
	put32(gh + 8, 0);
	put32(gh + 12, 0);
	put32(gh + 16, CAP_SNAPLEN);
	put32(gh + 20, 1);
	if (fwrite(gh, sizeof(gh), 1, cap_file) != 1)
		return -EIO;
	/* Enough segments for the bound, whatever else the pools hold. */
	n = cap_bound / (CAP_SEG_ROOM - RTE_PKTMBUF_HEADROOM) + 64;
	cap_pool = rte_pktmbuf_pool_create("hb_fwd_cap", n, 0, 0,
					   CAP_SEG_ROOM, (int)rte_socket_id());
	if (cap_pool == NULL) {
		printf("hb-fwd: --capture: no pool of %u mbufs: %s\n", n,
		       rte_strerror(rte_errno));
		return -ENOMEM;
	}
	rc = hb_buf_init(&cap.b, cap_pool);
	if (rc == 0)
		rc = hb_buf_share(&cap.b);
	if (rc != 0) {
		printf("hb-fwd: --capture: cannot share the capture buffer: %s\n",
		       strerror(-rc));
		return rc;
	}
	nslot = RTE_MAX(2u, cap_bound / 4 / CAP_SLOT);
	RTE_LCORE_FOREACH(id) {
		if (fwd_lcores[id].nb_streams == 0)
			continue;
		cap_lc[id] = rte_zmalloc_socket("hb_fwd_cap_lcore",
			sizeof(*cap_lc[id]) + nslot * sizeof(struct cap_slot),
			RTE_CACHE_LINE_SIZE, (int)rte_lcore_to_socket_id(id));
		if (cap_lc[id] == NULL) {
			printf("hb-fwd: --capture: no memory for %u staging slots of %u bytes (-m)\n",
			       nslot, CAP_SLOT);
			return -ENOMEM;
		}
		cap_lc[id]->nslot = nslot;
	}
	cap_tsc0 = rte_get_tsc_cycles();
	gettimeofday(&cap_tv0, NULL);
	fwd_cap_on = true;
	printf("hb-fwd: capturing one packet received in %u into %s: shared buffer of at most %u KiB, %u staging slots of %u KiB per lcore\n",
	       fwd_cfg.capture_every, fwd_cfg.capture_file,
	       fwd_cfg.capture_kib, nslot, CAP_SLOT / 1024);
	return 0;
}

/* ---------------------------------------------------------------------
 * Forwarding lcores: stage, reserve, write
 */

/* The pcap record of @m into @h, if it fits; false if not. */
static inline bool
cap_stage(struct cap_slot *h, const struct rte_mbuf *m, uint64_t tsc)
{
	uint32_t caplen = RTE_MIN(m->pkt_len, CAP_SNAPLEN);
	uint64_t us = (uint64_t)((double)(tsc - cap_tsc0) * 1e6 /
				 (double)rte_get_tsc_hz()) +
		      (uint64_t)cap_tv0.tv_usec;
	const void *src;
	uint8_t *p;

	if (h->len + CAP_REC_HDR + caplen > CAP_SLOT)
		return false;
	p = h->data + h->len;
	put32(p, (uint32_t)(cap_tv0.tv_sec + us / 1000000));
	put32(p + 4, (uint32_t)(us % 1000000));
	put32(p + 8, caplen);
	put32(p + 12, m->pkt_len);
	/* Copied out (chains too): the packet leaves with the burst. */
	src = rte_pktmbuf_read(m, 0, caplen, p + CAP_REC_HDR);
	if (src != p + CAP_REC_HDR)
		memcpy(p + CAP_REC_HDR, src, caplen);
	h->len += CAP_REC_HDR + caplen;
	h->nrec++;
	return true;
}

/* The next slot after @i. */
static inline unsigned int
cap_next(const struct cap_lcore *c, unsigned int i)
{
	return i + 1 == c->nslot ? 0 : i + 1;
}

/* Stage @m: in the filling slot, else in a free one; false: all full. */
static inline bool
cap_stage_lcore(struct cap_lcore *c, const struct rte_mbuf *m, uint64_t tsc)
{
	struct cap_slot *h = &c->slot[c->tail];
	uint32_t before = h->len;

	if (!cap_stage(h, m, tsc)) {
		/* Full, or being written: the next one, if free. */
		if (cap_next(c, c->tail) == c->head)
			return false;
		c->tail = cap_next(c, c->tail);
		h = &c->slot[c->tail];
		before = 0;
		if (!cap_stage(h, m, tsc))
			return false;
	}
	c->staged += h->len - before;
	c->staged_max = RTE_MAX(c->staged_max, c->staged);
	return true;
}

void
fwd_cap_rx(struct rte_mbuf **pkts, uint16_t n)
{
	struct cap_lcore *c = cap_lc[rte_lcore_id()];
	const unsigned int every = fwd_cfg.capture_every;
	uint64_t tsc, i = c->skip;

	/* A countdown, no division per packet: most bursts skip at once. */
	c->seen += n;
	if (likely(i >= n)) {
		c->skip = i - n;
		return;
	}
	tsc = rte_get_tsc_cycles();
	for (; i < n; i += every) {
		if (cap_stage_lcore(c, pkts[i], tsc))
			c->captured++;
		else
			c->dropped++; /* every slot in use: the bound */
	}
	c->skip = i - n;
}

/*
 * Reserve @len bytes at the end of the log: false while the drainer
 * pauses or when the bound would be passed (the records stay staged).
 * A lock-free update (CAS): nobody waits for anybody.
 */
static bool
cap_reserve(uint32_t len, uint32_t *off)
{
	uint64_t s = __atomic_load_n(&cap_state, __ATOMIC_ACQUIRE);

	do {
		if ((s & CAP_PAUSED) != 0 || s + len > cap_bound)
			return false;
	} while (!__atomic_compare_exchange_n(&cap_state, &s, s + len, true,
					      __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	*off = (uint32_t)s;
	return true;
}

/* The oldest slot is written (or given up): free it. */
static void
cap_slot_done(struct cap_lcore *c)
{
	struct cap_slot *h = &c->slot[c->head];

	c->staged -= h->len;
	h->len = 0;
	h->nrec = 0;
	if (c->head != c->tail)
		c->head = cap_next(c, c->head);
	c->busy = false;
}

/* The write visit of slot[head] was granted: copy it in. */
static void
cap_write(struct cap_lcore *c, struct hb_visitor *v)
{
	struct cap_slot *h = &c->slot[c->head];

	memcpy(v->ptr, h->data, h->len);
	if (hb_visit_release(v) != 0)
		RTE_LOG(ERR, USER1, "hb-fwd: capture: release failed\n");
	/* After the bytes (the release published them to the drainer). */
	__atomic_fetch_add(&cap_committed, h->len, __ATOMIC_RELEASE);
	cap_slot_done(c);
}

static void
cap_granted(struct hb_req *req, int status, void *arg)
{
	struct cap_lcore *c = arg;

	if (status == 0) {
		cap_write(c, hb_req_visitor(req));
	} else if (status == -ECANCELED) {
		/* The capture was closed (not before every lcore is done). */
		c->lost += c->slot[c->head].nrec;
		cap_slot_done(c);
	} else {
		/* -ENOMEM, -E2BIG at delivery: the range stays reserved. */
		c->retry = true;
	}
}

/* Ask for the write visit of slot[head] at its reservation. */
static void
cap_issue(struct cap_lcore *c)
{
	const uint32_t len = c->slot[c->head].len;
	int rc;

	c->busy = true;
	c->retry = false;
	rc = hb_visit_async(&c->req, &cap.b, HB_ACCESS_WRITE, c->off, len,
			    c->off + len, cap_granted, c);
	if (rc == 0)
		cap_write(c, hb_req_visitor(&c->req));
	else if (rc != -EINPROGRESS)
		c->retry = true; /* -ENOMEM, -ENOBUFS: the next round */
}

void
fwd_cap_poll(void)
{
	struct cap_lcore *c = cap_lc[rte_lcore_id()];

	hb_poll(0);
	if (c->busy) {
		if (c->retry)
			cap_issue(c);
		return;
	}
	if (c->slot[c->head].len == 0 ||
	    !cap_reserve(c->slot[c->head].len, &c->off))
		return;
	/* The oldest goes out; new records go to the next slot. */
	if (c->tail == c->head)
		c->tail = cap_next(c, c->tail);
	cap_issue(c);
}

/*
 * At a forwarding lcore's exit: write out what it staged. The main lcore
 * drains meanwhile (when it forwards itself, here); a bounded wait.
 */
void
fwd_cap_lcore_done(void)
{
	const unsigned int me = rte_lcore_id();
	struct cap_lcore *c = cap_lc[me];
	const uint64_t end = rte_get_tsc_cycles() +
			     rte_get_tsc_hz() * CAP_FLUSH_MS / 1000;
	unsigned int k;

	while ((c->busy || c->staged != 0) && rte_get_tsc_cycles() < end) {
		fwd_cap_poll();
		if (me == rte_get_main_lcore())
			fwd_cap_drain();
		rte_delay_us_sleep(10);
	}
	/* Not written in time: say so (a queued request is withdrawn). */
	if (c->busy && hb_req_cancel(&c->req) == 0)
		c->busy = false;
	for (k = 0; k < c->nslot; k++)
		c->lost += c->slot[k].nrec;
	if (c->lost != 0)
		RTE_LOG(ERR, USER1,
			"hb-fwd: capture: lcore %u could not write %" PRIu64 " records in %u ms\n",
			me, c->lost, CAP_FLUSH_MS);
}

/* ---------------------------------------------------------------------
 * The drainer (main lcore)
 */

/*
 * Write out the complete records at the start of @p (@len bytes, the log
 * from dr.drained on): up to the first zero header (a range not written
 * yet) or the first record cut by the end of the view.
 */
static uint32_t
cap_write_out(const uint8_t *p, uint32_t len)
{
	uint32_t done = 0, caplen, n;

	while (len - done >= CAP_REC_HDR) {
		caplen = get32(p + done + 8);
		if (caplen == 0 || caplen > CAP_SNAPLEN)
			break;
		n = CAP_REC_HDR + caplen;
		if (n > len - done)
			break;
		if (fwrite(p + done, n, 1, cap_file) != 1 && dr.err == 0)
			dr.err = -EIO;
		done += n;
		dr.written++;
	}
	return done;
}

/* The read visit was granted: copy, let the writers in, then write out. */
static void
cap_read(struct hb_visitor *v)
{
	static uint8_t copy[CAP_CHUNK];
	uint32_t len = v->len;

	memcpy(copy, v->ptr, len);
	if (hb_visit_release(v) != 0 && dr.err == 0)
		dr.err = -EINVAL;
	dr.drained += cap_write_out(copy, len);
	dr.busy = false;
}

static void
cap_read_granted(struct hb_req *req, int status, void *arg __rte_unused)
{
	if (status == 0) {
		cap_read(hb_req_visitor(req));
		return;
	}
	if (dr.err == 0 && status != -ECANCELED)
		dr.err = status;
	dr.busy = false;
}

/*
 * Cut the drained prefix off once PAUSED has let every reservation be
 * written; then reservations go on, moved back by the cut.
 */
static void
cap_cut(void)
{
	uint64_t s = __atomic_load_n(&cap_state, __ATOMIC_ACQUIRE);
	uint64_t end = s & ~CAP_PAUSED;

	/* Acquire: pairs with the writers' release after their bytes. */
	if (__atomic_load_n(&cap_committed, __ATOMIC_ACQUIRE) != end)
		return; /* a reserved range is not written yet */
	if (dr.drained != 0 && hb_buf_adj(&cap.b, dr.drained) != 0)
		return; /* a release is still leaving: next step */
	__atomic_fetch_sub(&cap_committed, dr.drained, __ATOMIC_RELAXED);
	/* One store: the new end, and PAUSED cleared (nobody reserves). */
	__atomic_store_n(&cap_state, end - dr.drained, __ATOMIC_RELEASE);
	dr.drained = 0;
	dr.pausing = false;
	dr.cuts++;
}

void
fwd_cap_drain(void)
{
	uint64_t s;
	uint32_t len;
	int rc;

	if (!fwd_cap_on)
		return;
	hb_poll(0);
	if (dr.busy)
		return;
	if (dr.pausing) {
		cap_cut();
		return;
	}
	s = __atomic_load_n(&cap_state, __ATOMIC_ACQUIRE);
	dr.high = RTE_MAX(dr.high, s & ~CAP_PAUSED);
	/* What the log holds: the writers only make it longer meanwhile. */
	len = hb_buf_len(&cap.b);
	if (len - dr.drained < CAP_REC_HDR) {
		/* Caught up: cut what was drained, making room. */
		if (dr.drained != 0) {
			__atomic_fetch_or(&cap_state, CAP_PAUSED,
					  __ATOMIC_ACQ_REL);
			dr.pausing = true;
		}
		return;
	}
	dr.busy = true;
	rc = hb_visit_async(&dr.req, &cap.b, HB_ACCESS_READ, dr.drained,
			    RTE_MIN(len - dr.drained, CAP_CHUNK), 0,
			    cap_read_granted, NULL);
	if (rc == 0)
		cap_read(hb_req_visitor(&dr.req));
	else if (rc != -EINPROGRESS)
		dr.busy = false; /* -ENOMEM (bounce memory): next step */
	/* A quarter of the bound drained: make room now. */
	if (!dr.busy && dr.drained >= cap_bound / 4) {
		__atomic_fetch_or(&cap_state, CAP_PAUSED, __ATOMIC_ACQ_REL);
		dr.pausing = true;
	}
}

/* Are forwarding lcores other than the main one still running? */
static bool
cap_workers_running(void)
{
	unsigned int id;

	RTE_LCORE_FOREACH_WORKER(id)
		if (rte_eal_get_lcore_state(id) == RUNNING)
			return true;
	return false;
}

void
fwd_cap_wait_workers(void)
{
	while (fwd_cap_on && cap_workers_running()) {
		fwd_cap_drain();
		rte_delay_us_sleep(50);
	}
}

int
fwd_cap_finish(void)
{
	const uint64_t end = rte_get_tsc_cycles() +
			     rte_get_tsc_hz() * CAP_FLUSH_MS / 1000;
	int rc, ret = 0;

	if (!fwd_cap_on)
		return 0;
	/* Everything written: drain to the end of the log. */
	while ((dr.busy || dr.pausing ||
		dr.drained + CAP_REC_HDR <= hb_buf_len(&cap.b)) &&
	       rte_get_tsc_cycles() < end) {
		fwd_cap_drain();
		rte_delay_us_sleep(10);
	}
	if (dr.drained + CAP_REC_HDR <= hb_buf_len(&cap.b)) {
		printf("hb-fwd: capture: %u bytes left in the capture buffer\n",
		       hb_buf_len(&cap.b) - dr.drained);
		ret = -EIO;
	}
	rc = hb_buf_close(&cap.b);
	if (rc == 0)
		rc = hb_buf_free(&cap.b);
	if (rc != 0) {
		printf("hb-fwd: capture: cannot free the capture buffer: %s\n",
		       strerror(-rc));
		ret = rc;
	}
	if (dr.err != 0)
		ret = dr.err;
	if (fclose(cap_file) != 0 && ret == 0)
		ret = -errno;
	cap_file = NULL;
	return ret;
}

void
fwd_cap_free(void)
{
	unsigned int id;

	for (id = 0; id < RTE_MAX_LCORE; id++) {
		rte_free(cap_lc[id]);
		cap_lc[id] = NULL;
	}
	if (cap_pool != NULL && rte_mempool_in_use_count(cap_pool) != 0)
		printf("hb-fwd: capture: %u mbufs still in use\n",
		       rte_mempool_in_use_count(cap_pool));
	rte_mempool_free(cap_pool);
	cap_pool = NULL;
	fwd_cap_on = false;
}

/* ---------------------------------------------------------------------
 * Statistics
 */

/* Sum of the lcores' counters. */
static void
cap_totals(uint64_t *seen, uint64_t *captured, uint64_t *dropped,
	   uint64_t *lost)
{
	unsigned int id;

	*seen = *captured = *dropped = *lost = 0;
	for (id = 0; id < RTE_MAX_LCORE; id++) {
		const struct cap_lcore *c = cap_lc[id];

		if (c == NULL)
			continue;
		*seen += (c->seen + fwd_cfg.capture_every - 1) /
			 fwd_cfg.capture_every;
		*captured += c->captured;
		*dropped += c->dropped;
		*lost += c->lost;
	}
}

void
fwd_cap_print(void)
{
	uint64_t seen, captured, dropped, lost;

	if (!fwd_cap_on)
		return;
	cap_totals(&seen, &captured, &dropped, &lost);
	printf("capture: %" PRIu64 " packets to capture, %" PRIu64
	       " written to %s, %" PRIu64 " dropped (staging full), %" PRIu64
	       " lost; %" PRIu64 " cuts, at most %" PRIu64
	       " bytes in the shared buffer\n", seen, dr.written,
	       fwd_cfg.capture_file, dropped, lost, dr.cuts, dr.high);
}

void
fwd_cap_json(FILE *f)
{
	uint64_t seen, captured, dropped, lost;
	bool first = true;
	unsigned int id;

	if (!fwd_cap_on)
		return;
	cap_totals(&seen, &captured, &dropped, &lost);
	fprintf(f, "  \"capture\": {\"file\": \"%s\", \"every\": %u, "
		"\"bound_bytes\": %u, \"to_capture\": %" PRIu64
		", \"captured\": %" PRIu64 ", \"written\": %" PRIu64
		", \"dropped\": %" PRIu64 ", \"lost\": %" PRIu64
		", \"cuts\": %" PRIu64 ", \"high_bytes\": %" PRIu64
		", \"lcores\": [", fwd_cfg.capture_file,
		fwd_cfg.capture_every, cap_bound, seen, captured, dr.written,
		dropped, lost, dr.cuts, dr.high);
	for (id = 0; id < RTE_MAX_LCORE; id++) {
		const struct cap_lcore *c = cap_lc[id];

		if (c == NULL)
			continue;
		fprintf(f, "%s{\"lcore\": %u, \"received\": %" PRIu64
			", \"captured\": %" PRIu64 ", \"dropped\": %" PRIu64
			", \"staging_bytes\": %u, \"staged_max\": %u}",
			first ? "" : ", ", id, c->seen, c->captured,
			c->dropped, c->nslot * CAP_SLOT, c->staged_max);
		first = false;
	}
	fprintf(f, "]},\n");
}
