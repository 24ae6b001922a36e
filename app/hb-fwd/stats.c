/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * hb-fwd statistics: sums of the per-stream and per-lcore counters (read
 * with relaxed loads while the lcores forward), testpmd-style periodic and
 * final output, the --stats-json file and the /hb_fwd/ telemetry
 * commands.
 *
 * Writers: only the main lcore samples and prints. Telemetry callbacks run
 * on the telemetry thread and only read; the pool pointer they use is
 * guarded by a spinlock so that shutdown can free the pool under them.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_spinlock.h>
#include <rte_telemetry.h>

#include <hyperbuf.h>

#include "hb_fwd.h"

const char *const fwd_drop_names[FWD_DROP_MAX] = {
	[FWD_DROP_SHORT] = "short",
	[FWD_DROP_NOT_IPV4] = "not_ipv4",
	[FWD_DROP_BAD_VERSION] = "bad_version",
	[FWD_DROP_BAD_IHL] = "bad_ihl",
	[FWD_DROP_BAD_TOTAL_LEN] = "bad_total_len",
	[FWD_DROP_TTL_EXCEEDED] = "ttl_exceeded",
	[FWD_DROP_NOT_VXLAN] = "not_vxlan",
	[FWD_DROP_FRAGMENT] = "fragment",
	[FWD_DROP_BAD_UDP_LEN] = "bad_udp_len",
	[FWD_DROP_TOO_BIG] = "too_big",
	[FWD_DROP_NO_MBUF] = "no_mbuf",
	[FWD_DROP_BAD_MBUF] = "bad_mbuf",
	[FWD_DROP_HB_ERROR] = "hb_error",
	[FWD_DROP_LOCAL] = "local",
	[FWD_DROP_BAD_ARP] = "bad_arp",
	[FWD_DROP_NO_ROUTE] = "no_route",
	[FWD_DROP_FRAG_NEEDED] = "frag_needed",
	[FWD_DROP_BAD_FRAGMENT] = "bad_fragment",
	[FWD_DROP_REASM_DUP] = "reasm_duplicate",
	[FWD_DROP_REASM_OVERLAP] = "reasm_overlap",
	[FWD_DROP_REASM_TIMEOUT] = "reasm_timeout",
	[FWD_DROP_REASM_TABLE_FULL] = "reasm_table_full",
	[FWD_DROP_REASM_MEM] = "reasm_mem",
	[FWD_DROP_REASM_FLUSH] = "reasm_flush",
	[FWD_DROP_IP_FRAG] = "ip_frag_drop",
};

const char *const fwd_fstat_names[FWD_FSTAT_MAX] = {
	[FWD_FSTAT_FRAGMENTED] = "fragmented",
	[FWD_FSTAT_FRAGMENTS] = "fragments",
	[FWD_FSTAT_REASSEMBLED] = "reassembled",
	[FWD_FSTAT_JOINED] = "joined",
};

const char *const fwd_gen_names[FWD_GEN_MAX] = {
	[FWD_GEN_ARP_REPLIES] = "arp_replies",
	[FWD_GEN_ICMP_SENT] = "icmp_sent",
	[FWD_GEN_ICMP_LIMITED] = "icmp_limited",
	[FWD_GEN_ICMP_SUPPRESSED] = "icmp_suppressed",
	[FWD_GEN_NO_MBUF] = "no_mbuf",
	[FWD_GEN_TX_DROPPED] = "tx_dropped",
};

const char *
fwd_modes_str(void)
{
	static char buf[RTE_MAX_ETHPORTS * 12];
	bool same = true, first = true;
	size_t n = 0;
	uint16_t port;
	int any = -1;

	FWD_FOREACH_PORT(port) {
		if (any < 0)
			any = (int)fwd_ports[port].mode;
		same &= (int)fwd_ports[port].mode == any;
	}
	if (same)
		return fwd_mode_names[any < 0 ? (int)fwd_cfg.mode : any];
	FWD_FOREACH_PORT(port) {
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%u:%s",
				      first ? "" : ",", port,
				      fwd_mode_names[fwd_ports[port].mode]);
		first = false;
	}
	return buf;
}

/* Once-a-second samples (telemetry rates) and the last print. */
struct port_sample {
	uint64_t rx, tx;
};

static struct port_sample last_sample[RTE_MAX_ETHPORTS];
static struct port_sample last_print[RTE_MAX_ETHPORTS];
static uint64_t rate_rx[RTE_MAX_ETHPORTS], rate_tx[RTE_MAX_ETHPORTS];
static uint64_t start_tsc, sample_tsc, print_tsc, now_tsc;

static rte_spinlock_t pool_lock = RTE_SPINLOCK_INITIALIZER;
static struct rte_mempool *pool;
static bool exited;
static unsigned int exit_in_use, exit_pool_size;

/* ---------------------------------------------------------------------
 * Sums
 */

static void
stream_add_drops(const struct fwd_stream *fs, uint64_t *drops,
		 uint64_t *total, uint64_t *gen, uint64_t *fstat)
{
	unsigned int r;

	for (r = 0; r < FWD_FSTAT_MAX; r++)
		fstat[r] += fwd_ctr_read(&fs->fstat[r]);
	for (r = 0; r < FWD_DROP_MAX; r++) {
		uint64_t n = fwd_ctr_read(&fs->drops[r]);

		drops[r] += n;
		*total += n;
	}
	for (r = 0; r < FWD_GEN_MAX; r++)
		gen[r] += fwd_ctr_read(&fs->gen[r]);
}

void
fwd_stats_port(uint16_t port, struct fwd_port_totals *pt)
{
	unsigned int lcore_id;
	uint16_t s;

	memset(pt, 0, sizeof(*pt));
	for (lcore_id = 0; lcore_id < RTE_MAX_LCORE; lcore_id++) {
		const struct fwd_lcore *lc = &fwd_lcores[lcore_id];

		if (lc->nb_streams == 0)
			continue;
		for (s = 0; s < lc->nb_streams; s++) {
			const struct fwd_stream *fs = &lc->streams[s];

			if (fs->rx_port == port) {
				pt->rx += fwd_ctr_read(&fs->rx_pkts);
				stream_add_drops(fs, pt->drops,
						 &pt->rx_dropped, pt->gen,
						 pt->fstat);
			}
		}
		pt->tx += fwd_ctr_read(&lc->tx[port]);
		pt->tx_dropped += fwd_ctr_read(&lc->tx_dropped[port]);
	}
}

void
fwd_stats_lcore(unsigned int lcore_id, struct fwd_totals *t)
{
	const struct fwd_lcore *lc = &fwd_lcores[lcore_id];
	uint16_t s;

	uint16_t port;

	memset(t, 0, sizeof(*t));
	for (s = 0; s < lc->nb_streams; s++) {
		const struct fwd_stream *fs = &lc->streams[s];

		t->rx += fwd_ctr_read(&fs->rx_pkts);
		stream_add_drops(fs, t->drops, &t->rx_dropped, t->gen,
				 t->fstat);
	}
	FWD_FOREACH_PORT(port) {
		t->tx += fwd_ctr_read(&lc->tx[port]);
		t->tx_dropped += fwd_ctr_read(&lc->tx_dropped[port]);
	}
	t->visits = fwd_ctr_read(&lc->visits);
	t->visits_bounced = fwd_ctr_read(&lc->visits_bounced);
}

void
fwd_stats_totals(struct fwd_totals *t)
{
	unsigned int lcore_id, r;

	memset(t, 0, sizeof(*t));
	for (lcore_id = 0; lcore_id < RTE_MAX_LCORE; lcore_id++) {
		struct fwd_totals l;

		if (fwd_lcores[lcore_id].nb_streams == 0)
			continue;
		fwd_stats_lcore(lcore_id, &l);
		t->rx += l.rx;
		t->tx += l.tx;
		t->rx_dropped += l.rx_dropped;
		t->tx_dropped += l.tx_dropped;
		t->visits += l.visits;
		t->visits_bounced += l.visits_bounced;
		for (r = 0; r < FWD_DROP_MAX; r++)
			t->drops[r] += l.drops[r];
		for (r = 0; r < FWD_GEN_MAX; r++)
			t->gen[r] += l.gen[r];
		for (r = 0; r < FWD_FSTAT_MAX; r++)
			t->fstat[r] += l.fstat[r];
	}
}

/* Whether any port forwards in frag or reasm mode. */
static bool
any_frag_mode(void)
{
	uint16_t port;

	FWD_FOREACH_PORT(port)
		if (fwd_frag_mode(fwd_ports[port].mode))
			return true;
	return false;
}

/* An lcore's reassembly table, now and at most (relaxed loads). */
struct reasm_state {
	bool present;
	uint32_t dgrams, dgrams_max, dgrams_limit;
	uint32_t mbufs, mbufs_max, mbufs_limit;
	uint64_t bytes;
};

static void
reasm_state(unsigned int lcore_id, struct reasm_state *rs)
{
	const struct fwd_frag_lcore *f = fwd_lcores[lcore_id].frag;
	const struct fwd_reasm *t = f != NULL ? f->reasm : NULL;

	memset(rs, 0, sizeof(*rs));
	if (t == NULL) {
		/* Freed at exit: what it held at most (nothing is left). */
		if (f == NULL || !f->had_reasm)
			return;
		rs->present = true;
		rs->dgrams_max = f->dgrams_max;
		rs->dgrams_limit = f->dgrams_limit;
		rs->mbufs_max = f->mbufs_max;
		rs->mbufs_limit = f->mbufs_limit;
		return;
	}
	rs->present = true;
	rs->dgrams = __atomic_load_n(&t->used, __ATOMIC_RELAXED);
	rs->dgrams_max = __atomic_load_n(&t->used_max, __ATOMIC_RELAXED);
	rs->dgrams_limit = t->max_dgrams;
	rs->mbufs = __atomic_load_n(&t->segs, __ATOMIC_RELAXED);
	rs->mbufs_max = __atomic_load_n(&t->segs_max, __ATOMIC_RELAXED);
	rs->mbufs_limit = t->max_segs;
	rs->bytes = __atomic_load_n(&t->bytes, __ATOMIC_RELAXED);
}

uint64_t
fwd_stats_rx_total(void)
{
	unsigned int lcore_id;
	uint64_t n = 0;
	uint16_t s;

	for (lcore_id = 0; lcore_id < RTE_MAX_LCORE; lcore_id++) {
		const struct fwd_lcore *lc = &fwd_lcores[lcore_id];

		for (s = 0; s < lc->nb_streams; s++)
			n += fwd_ctr_read(&lc->streams[s].rx_pkts);
	}
	return n;
}

/* ---------------------------------------------------------------------
 * Rates and output
 */

static uint64_t
per_second(uint64_t delta, uint64_t cycles)
{
	if (cycles == 0)
		return 0;
	return (uint64_t)((double)delta * (double)rte_get_tsc_hz() /
			  (double)cycles);
}

void
fwd_stats_start(uint64_t now)
{
	start_tsc = sample_tsc = print_tsc = now_tsc = now;
}

double
fwd_stats_elapsed(void)
{
	return (double)(now_tsc - start_tsc) / (double)rte_get_tsc_hz();
}

/* Main lcore, about once a second: per-port rates for telemetry. */
void
fwd_stats_sample(uint64_t now)
{
	uint16_t port;

	FWD_FOREACH_PORT(port) {
		struct fwd_port_totals pt;

		fwd_stats_port(port, &pt);
		__atomic_store_n(&rate_rx[port],
				 per_second(pt.rx - last_sample[port].rx,
					    now - sample_tsc),
				 __ATOMIC_RELAXED);
		__atomic_store_n(&rate_tx[port],
				 per_second(pt.tx - last_sample[port].tx,
					    now - sample_tsc),
				 __ATOMIC_RELAXED);
		last_sample[port].rx = pt.rx;
		last_sample[port].tx = pt.tx;
	}
	sample_tsc = now;
	now_tsc = now;
}

void
fwd_stats_print_periodic(void)
{
	uint64_t cycles = now_tsc - print_tsc;
	uint64_t all_rx = 0, all_tx = 0;
	uint16_t port;

	printf("\nhb-fwd: %.0f s, mode %s\n"
	       "  port       RX-pps       TX-pps     RX-packets     TX-packets  RX-dropped  TX-dropped\n",
	       fwd_stats_elapsed(), fwd_modes_str());
	FWD_FOREACH_PORT(port) {
		struct fwd_port_totals pt;
		uint64_t rx_pps, tx_pps;

		fwd_stats_port(port, &pt);
		rx_pps = per_second(pt.rx - last_print[port].rx, cycles);
		tx_pps = per_second(pt.tx - last_print[port].tx, cycles);
		all_rx += rx_pps;
		all_tx += tx_pps;
		printf("  %4u %12" PRIu64 " %12" PRIu64 " %14" PRIu64
		       " %14" PRIu64 " %11" PRIu64 " %11" PRIu64 "\n",
		       port, rx_pps, tx_pps, pt.rx, pt.tx, pt.rx_dropped,
		       pt.tx_dropped);
		last_print[port].rx = pt.rx;
		last_print[port].tx = pt.tx;
	}
	printf("  all: RX %.2f Mpps, TX %.2f Mpps\n", (double)all_rx / 1e6,
	       (double)all_tx / 1e6);
	print_tsc = now_tsc;
	fflush(stdout);
}

static void
print_hb_library(FILE *f)
{
	struct hb_stats st;

	if (hb_stats_get(&st) != 0)
		return;
	fprintf(f,
		"  HyperBuf library (hb_stats_get): visits_bounced %" PRIu64
		", bounce_bytes %" PRIu64 ", visits_grown %" PRIu64
		",\n    visits_busy %" PRIu64 ", visits_failed %" PRIu64
		", segs_alloc %" PRIu64 ", idx_builds %" PRIu64 "\n",
		st.visits_bounced, st.bounce_bytes, st.visits_grown,
		st.visits_busy, st.visits_failed, st.segs_alloc,
		st.idx_builds);
}

void
fwd_stats_print_final(void)
{
	double secs = fwd_stats_elapsed();
	struct fwd_totals t;
	unsigned int lcore_id, r;
	bool any = false;
	uint16_t port;

	fwd_stats_totals(&t);
	printf("\n=============== hb-fwd summary: mode %s, engine %s, %.2f s ===============\n",
	       fwd_modes_str(), fwd_engine_names[fwd_cfg.engine], secs);
	printf("  port     RX-packets     TX-packets   RX-dropped   TX-dropped  RX-Mpps  TX-Mpps\n");
	FWD_FOREACH_PORT(port) {
		struct fwd_port_totals pt;

		fwd_stats_port(port, &pt);
		printf("  %4u %14" PRIu64 " %14" PRIu64 " %12" PRIu64
		       " %12" PRIu64 " %8.2f %8.2f\n",
		       port, pt.rx, pt.tx, pt.rx_dropped, pt.tx_dropped,
		       secs > 0 ? (double)pt.rx / secs / 1e6 : 0.0,
		       secs > 0 ? (double)pt.tx / secs / 1e6 : 0.0);
	}
	printf("  %4s %14" PRIu64 " %14" PRIu64 " %12" PRIu64 " %12" PRIu64
	       " %8.2f %8.2f\n",
	       "all", t.rx, t.tx, t.rx_dropped, t.tx_dropped,
	       secs > 0 ? (double)t.rx / secs / 1e6 : 0.0,
	       secs > 0 ? (double)t.tx / secs / 1e6 : 0.0);

	printf("  RX-dropped by reason:");
	for (r = 0; r < FWD_DROP_MAX; r++) {
		if (t.drops[r] == 0)
			continue;
		printf("%s %s %" PRIu64, any ? "," : "", fwd_drop_names[r],
		       t.drops[r]);
		any = true;
	}
	printf("%s\n", any ? "" : " none");
	if (any_frag_mode()) {
		printf("  frag/reasm:");
		for (r = 0; r < FWD_FSTAT_MAX; r++)
			printf("%s %s %" PRIu64, r != 0 ? "," : "",
			       fwd_fstat_names[r], t.fstat[r]);
		printf("\n");
	}
	if (fwd_l3 != NULL) {
		printf("  built by hb-fwd:");
		for (r = 0; r < FWD_GEN_MAX; r++)
			printf("%s %s %" PRIu64, r != 0 ? "," : "",
			       fwd_gen_names[r], t.gen[r]);
		printf("\n");
	}

	printf("  HyperBuf visits: %" PRIu64 " (%" PRIu64 " direct, %" PRIu64
	       " bounced, %.3f%% bounced)\n",
	       t.visits, t.visits - t.visits_bounced, t.visits_bounced,
	       t.visits != 0 ? 100.0 * (double)t.visits_bounced /
				       (double)t.visits : 0.0);
	RTE_LCORE_FOREACH(lcore_id) {
		struct fwd_totals l;

		if (fwd_lcores[lcore_id].nb_streams == 0)
			continue;
		fwd_stats_lcore(lcore_id, &l);
		printf("    lcore %u: RX %" PRIu64 ", TX %" PRIu64
		       ", visits %" PRIu64 " direct, %" PRIu64 " bounced\n",
		       lcore_id, l.rx, l.tx, l.visits - l.visits_bounced,
		       l.visits_bounced);
	}
	RTE_LCORE_FOREACH(lcore_id) {
		struct reasm_state rs;

		reasm_state(lcore_id, &rs);
		if (rs.present)
			printf("    lcore %u reassembly table: %u datagrams (most %u of %u), %u mbufs (most %u of %u), %" PRIu64 " bytes\n",
			       lcore_id, rs.dgrams, rs.dgrams_max,
			       rs.dgrams_limit, rs.mbufs, rs.mbufs_max,
			       rs.mbufs_limit, rs.bytes);
	}
	print_hb_library(stdout);

	FWD_FOREACH_PORT(port) {
		struct rte_eth_stats es;

		if (rte_eth_stats_get(port, &es) != 0)
			continue;
		printf("  ethdev port %u: ipackets %" PRIu64 ", imissed %" PRIu64
		       ", ierrors %" PRIu64 ", rx_nombuf %" PRIu64
		       ", opackets %" PRIu64 ", oerrors %" PRIu64 "\n",
		       port, es.ipackets, es.imissed, es.ierrors,
		       es.rx_nombuf, es.opackets, es.oerrors);
	}
	printf("=================================================================\n");
	fflush(stdout);
}

void
fwd_stats_set_pool(struct rte_mempool *mp)
{
	rte_spinlock_lock(&pool_lock);
	pool = mp;
	rte_spinlock_unlock(&pool_lock);
}

void
fwd_stats_set_exit(unsigned int in_use, unsigned int pool_size)
{
	rte_spinlock_lock(&pool_lock);
	exit_in_use = in_use;
	exit_pool_size = pool_size;
	exited = true;
	rte_spinlock_unlock(&pool_lock);
}

/* ---------------------------------------------------------------------
 * JSON (--stats-json)
 */

static void
json_counts(FILE *f, const char *const *names, const uint64_t *v,
	    unsigned int n)
{
	unsigned int r;

	fprintf(f, "{");
	for (r = 0; r < n; r++)
		fprintf(f, "%s\"%s\": %" PRIu64, r != 0 ? ", " : "",
			names[r], v[r]);
	fprintf(f, "}");
}

static void
json_drops(FILE *f, const uint64_t *drops)
{
	json_counts(f, fwd_drop_names, drops, FWD_DROP_MAX);
}

int
fwd_stats_write_json(const char *path)
{
	struct fwd_totals t;
	struct hb_stats st;
	unsigned int lcore_id;
	bool first = true;
	uint16_t port;
	FILE *f;

	f = fopen(path, "w");
	if (f == NULL) {
		fprintf(stderr, "hb-fwd: cannot write %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	fwd_stats_totals(&t);
	fprintf(f, "{\n  \"mode\": \"%s\",\n  \"engine\": \"%s\",\n"
		"  \"burst\": %u,\n  \"tunnel_depth\": %u,\n"
		"  \"seconds\": %.6f,\n",
		fwd_modes_str(), fwd_engine_names[fwd_cfg.engine],
		fwd_cfg.burst, fwd_cfg.tunnel_depth, fwd_stats_elapsed());
	fprintf(f, "  \"ports\": [");
	FWD_FOREACH_PORT(port) {
		struct fwd_port_totals pt;

		fwd_stats_port(port, &pt);
		fprintf(f, "%s\n    {\"port\": %u, \"peer\": %u, \"mode\": \"%s\", \"mac\": \""
			RTE_ETHER_ADDR_PRT_FMT "\", \"rx_queues\": %u, "
			"\"tx_queues\": %u, \"rss\": %s,\n     \"rx\": %" PRIu64
			", \"tx\": %" PRIu64 ", \"rx_dropped\": %" PRIu64
			", \"tx_dropped\": %" PRIu64 ",\n     \"drops\": ",
			first ? "" : ",", port, fwd_ports[port].peer,
			fwd_mode_names[fwd_ports[port].mode],
			RTE_ETHER_ADDR_BYTES(&fwd_ports[port].mac),
			fwd_ports[port].nb_rxq, fwd_ports[port].nb_txq,
			fwd_ports[port].rss ? "true" : "false", pt.rx, pt.tx,
			pt.rx_dropped, pt.tx_dropped);
		json_drops(f, pt.drops);
		fprintf(f, ",\n     \"built\": ");
		json_counts(f, fwd_gen_names, pt.gen, FWD_GEN_MAX);
		fprintf(f, ",\n     \"frag\": ");
		json_counts(f, fwd_fstat_names, pt.fstat, FWD_FSTAT_MAX);
		fprintf(f, ", \"mtu\": %u}", fwd_ports[port].mtu);
		first = false;
	}
	fprintf(f, "\n  ],\n  \"totals\": {\"rx\": %" PRIu64 ", \"tx\": %" PRIu64
		", \"rx_dropped\": %" PRIu64 ", \"tx_dropped\": %" PRIu64
		"},\n  \"drops\": ",
		t.rx, t.tx, t.rx_dropped, t.tx_dropped);
	json_drops(f, t.drops);
	fprintf(f, ",\n  \"built\": ");
	json_counts(f, fwd_gen_names, t.gen, FWD_GEN_MAX);
	fprintf(f, ",\n  \"frag\": ");
	json_counts(f, fwd_fstat_names, t.fstat, FWD_FSTAT_MAX);
	fprintf(f, ",\n  \"visits\": {\"total\": %" PRIu64 ", \"direct\": %" PRIu64
		", \"bounced\": %" PRIu64 "},\n  \"lcores\": [",
		t.visits, t.visits - t.visits_bounced, t.visits_bounced);
	first = true;
	RTE_LCORE_FOREACH(lcore_id) {
		struct fwd_totals l;
		struct reasm_state rs;

		if (fwd_lcores[lcore_id].nb_streams == 0)
			continue;
		fwd_stats_lcore(lcore_id, &l);
		fprintf(f, "%s\n    {\"lcore\": %u, \"streams\": %u, \"rx\": %" PRIu64
			", \"tx\": %" PRIu64 ", \"visits_direct\": %" PRIu64
			", \"visits_bounced\": %" PRIu64,
			first ? "" : ",", lcore_id,
			fwd_lcores[lcore_id].nb_streams, l.rx, l.tx,
			l.visits - l.visits_bounced, l.visits_bounced);
		reasm_state(lcore_id, &rs);
		if (rs.present)
			fprintf(f, ",\n     \"reasm\": {\"dgrams\": %u, \"dgrams_max\": %u, \"dgrams_limit\": %u, \"mbufs\": %u, \"mbufs_max\": %u, \"mbufs_limit\": %u, \"bytes\": %" PRIu64 "}",
				rs.dgrams, rs.dgrams_max, rs.dgrams_limit,
				rs.mbufs, rs.mbufs_max, rs.mbufs_limit,
				rs.bytes);
		fprintf(f, "}");
		first = false;
	}
	memset(&st, 0, sizeof(st));
	hb_stats_get(&st);
	fprintf(f, "\n  ],\n  \"hyperbuf\": {\"visits_bounced\": %" PRIu64
		", \"bounce_bytes\": %" PRIu64 ", \"visits_grown\": %" PRIu64
		", \"visits_busy\": %" PRIu64 ", \"visits_failed\": %" PRIu64
		", \"segs_alloc\": %" PRIu64 ", \"idx_builds\": %" PRIu64 "},\n",
		st.visits_bounced, st.bounce_bytes, st.visits_grown,
		st.visits_busy, st.visits_failed, st.segs_alloc,
		st.idx_builds);
	fwd_cap_json(f);
	fprintf(f, "  \"mbufs_in_use\": %u,\n  \"mbufs_total\": %u\n}\n",
		exit_in_use, exit_pool_size);
	if (fclose(f) != 0) {
		fprintf(stderr, "hb-fwd: cannot write %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Telemetry: /hb_fwd/stats, /hb_fwd/port_stats,<port>,
 * /hb_fwd/lcore_stats,<lcore>, /hb_fwd/info
 */

static int
tel_param(const char *params, unsigned long max, unsigned long *out)
{
	char *end;

	if (params == NULL || *params < '0' || *params > '9')
		return -EINVAL;
	*out = strtoul(params, &end, 10);
	if (*end != '\0' || *out >= max)
		return -EINVAL;
	return 0;
}

static void
tel_add_counts(struct rte_tel_data *d, const char *name,
	       const char *const *names, const uint64_t *v, unsigned int n)
{
	struct rte_tel_data *c = rte_tel_data_alloc();
	unsigned int r;

	if (c == NULL)
		return;
	rte_tel_data_start_dict(c);
	for (r = 0; r < n; r++)
		rte_tel_data_add_dict_u64(c, names[r], v[r]);
	if (rte_tel_data_add_dict_container(d, name, c, 0) != 0)
		rte_tel_data_free(c);
}

static void
tel_add_drops(struct rte_tel_data *d, const uint64_t *drops,
	      const uint64_t *gen, const uint64_t *fstat)
{
	tel_add_counts(d, "drops", fwd_drop_names, drops, FWD_DROP_MAX);
	tel_add_counts(d, "built", fwd_gen_names, gen, FWD_GEN_MAX);
	tel_add_counts(d, "frag", fwd_fstat_names, fstat, FWD_FSTAT_MAX);
}

static int
tel_stats(const char *cmd __rte_unused, const char *params __rte_unused,
	  struct rte_tel_data *d)
{
	struct fwd_totals t;
	struct hb_stats st;
	uint64_t rx_pps = 0, tx_pps = 0;
	struct rte_tel_data *c;
	uint16_t port;

	fwd_stats_totals(&t);
	FWD_FOREACH_PORT(port) {
		rx_pps += __atomic_load_n(&rate_rx[port], __ATOMIC_RELAXED);
		tx_pps += __atomic_load_n(&rate_tx[port], __ATOMIC_RELAXED);
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "mode", fwd_modes_str());
	rte_tel_data_add_dict_u64(d, "running", !force_quit);
	rte_tel_data_add_dict_u64(d, "rx", t.rx);
	rte_tel_data_add_dict_u64(d, "tx", t.tx);
	rte_tel_data_add_dict_u64(d, "rx_dropped", t.rx_dropped);
	rte_tel_data_add_dict_u64(d, "tx_dropped", t.tx_dropped);
	rte_tel_data_add_dict_u64(d, "rx_pps", rx_pps);
	rte_tel_data_add_dict_u64(d, "tx_pps", tx_pps);
	rte_tel_data_add_dict_u64(d, "visits_direct",
				  t.visits - t.visits_bounced);
	rte_tel_data_add_dict_u64(d, "visits_bounced", t.visits_bounced);
	rte_spinlock_lock(&pool_lock);
	if (pool != NULL) {
		rte_tel_data_add_dict_u64(d, "mbufs_in_use",
					  rte_mempool_in_use_count(pool));
		rte_tel_data_add_dict_u64(d, "mbufs_total", pool->size);
	} else if (exited) {
		rte_tel_data_add_dict_u64(d, "mbufs_in_use", exit_in_use);
		rte_tel_data_add_dict_u64(d, "mbufs_total", exit_pool_size);
	}
	rte_spinlock_unlock(&pool_lock);
	tel_add_drops(d, t.drops, t.gen, t.fstat);

	c = rte_tel_data_alloc();
	if (c != NULL && hb_stats_get(&st) == 0) {
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_u64(c, "visits_bounced", st.visits_bounced);
		rte_tel_data_add_dict_u64(c, "bounce_bytes", st.bounce_bytes);
		rte_tel_data_add_dict_u64(c, "visits_grown", st.visits_grown);
		rte_tel_data_add_dict_u64(c, "visits_busy", st.visits_busy);
		rte_tel_data_add_dict_u64(c, "visits_failed", st.visits_failed);
		rte_tel_data_add_dict_u64(c, "segs_alloc", st.segs_alloc);
		rte_tel_data_add_dict_u64(c, "idx_builds", st.idx_builds);
		if (rte_tel_data_add_dict_container(d, "hyperbuf", c, 0) != 0)
			rte_tel_data_free(c);
	} else if (c != NULL) {
		rte_tel_data_free(c);
	}
	return 0;
}

static int
tel_port_stats(const char *cmd __rte_unused, const char *params,
	       struct rte_tel_data *d)
{
	struct fwd_port_totals pt;
	unsigned long port;

	if (tel_param(params, RTE_MAX_ETHPORTS, &port) != 0 ||
	    !fwd_ports[port].enabled)
		return -EINVAL;
	fwd_stats_port((uint16_t)port, &pt);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "port", port);
	rte_tel_data_add_dict_u64(d, "peer", fwd_ports[port].peer);
	rte_tel_data_add_dict_u64(d, "rx", pt.rx);
	rte_tel_data_add_dict_u64(d, "tx", pt.tx);
	rte_tel_data_add_dict_u64(d, "rx_dropped", pt.rx_dropped);
	rte_tel_data_add_dict_u64(d, "tx_dropped", pt.tx_dropped);
	rte_tel_data_add_dict_u64(d, "rx_pps",
				  __atomic_load_n(&rate_rx[port], __ATOMIC_RELAXED));
	rte_tel_data_add_dict_u64(d, "tx_pps",
				  __atomic_load_n(&rate_tx[port], __ATOMIC_RELAXED));
	tel_add_drops(d, pt.drops, pt.gen, pt.fstat);
	return 0;
}

static int
tel_lcore_stats(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	struct fwd_totals t;
	struct hb_stats st;
	unsigned long lcore;

	if (tel_param(params, RTE_MAX_LCORE, &lcore) != 0 ||
	    fwd_lcores[lcore].nb_streams == 0)
		return -EINVAL;
	fwd_stats_lcore((unsigned int)lcore, &t);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "lcore", lcore);
	rte_tel_data_add_dict_u64(d, "streams", fwd_lcores[lcore].nb_streams);
	rte_tel_data_add_dict_u64(d, "rx", t.rx);
	rte_tel_data_add_dict_u64(d, "tx", t.tx);
	rte_tel_data_add_dict_u64(d, "rx_dropped", t.rx_dropped);
	rte_tel_data_add_dict_u64(d, "tx_dropped", t.tx_dropped);
	rte_tel_data_add_dict_u64(d, "visits_direct",
				  t.visits - t.visits_bounced);
	rte_tel_data_add_dict_u64(d, "visits_bounced", t.visits_bounced);
	if (hb_lcore_stats_get((unsigned int)lcore, &st) == 0) {
		rte_tel_data_add_dict_u64(d, "hb_visits_bounced",
					  st.visits_bounced);
		rte_tel_data_add_dict_u64(d, "hb_segs_alloc", st.segs_alloc);
	}
	return 0;
}

static int
tel_info(const char *cmd __rte_unused, const char *params __rte_unused,
	 struct rte_tel_data *d)
{
	struct rte_tel_data *ports, *lcores;
	unsigned int lcore_id;
	uint16_t port;

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "mode", fwd_modes_str());
	rte_tel_data_add_dict_string(d, "engine",
				     fwd_engine_names[fwd_cfg.engine]);
	rte_tel_data_add_dict_string(d, "hyperbuf_version", HB_VERSION_STR);
	rte_tel_data_add_dict_u64(d, "burst", fwd_cfg.burst);
	rte_tel_data_add_dict_u64(d, "tunnel_depth", fwd_cfg.tunnel_depth);
	ports = rte_tel_data_alloc();
	if (ports != NULL) {
		rte_tel_data_start_array(ports, RTE_TEL_U64_VAL);
		FWD_FOREACH_PORT(port)
			rte_tel_data_add_array_u64(ports, port);
		if (rte_tel_data_add_dict_container(d, "ports", ports, 0) != 0)
			rte_tel_data_free(ports);
	}
	lcores = rte_tel_data_alloc();
	if (lcores != NULL) {
		rte_tel_data_start_array(lcores, RTE_TEL_U64_VAL);
		for (lcore_id = 0; lcore_id < RTE_MAX_LCORE; lcore_id++) {
			if (fwd_lcores[lcore_id].nb_streams != 0)
				rte_tel_data_add_array_u64(lcores, lcore_id);
		}
		if (rte_tel_data_add_dict_container(d, "forwarding_lcores",
						    lcores, 0) != 0)
			rte_tel_data_free(lcores);
	}
	return 0;
}

void
fwd_telemetry_register(void)
{
	/* Commands cannot be unregistered; they only read static state. */
	rte_telemetry_register_cmd("/hb_fwd/stats", tel_stats,
		"hb-fwd totals: RX, TX, drops by reason, rates, HyperBuf visits and counters, mbufs in use. Takes no parameters");
	rte_telemetry_register_cmd("/hb_fwd/port_stats", tel_port_stats,
		"hb-fwd counters of one port. Parameters: int port_id");
	rte_telemetry_register_cmd("/hb_fwd/lcore_stats", tel_lcore_stats,
		"hb-fwd counters of one forwarding lcore. Parameters: int lcore_id");
	rte_telemetry_register_cmd("/hb_fwd/info", tel_info,
		"hb-fwd configuration: mode, burst, ports, forwarding lcores. Takes no parameters");
}
