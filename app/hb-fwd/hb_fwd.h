/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_FWD_H
#define HB_FWD_H

/*
 * hb-fwd: declarations shared by the files of the sample forwarding
 * application (main.c: setup and shutdown, args.c: command line, fwd.c:
 * the forwarding lcores, stats.c: statistics, JSON and telemetry;
 * fwd_pkt.h: the per-packet code of each mode, also used by the tests).
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_lcore.h>

/* The modes, drop reasons and the per-packet code of each engine. */
#include "fwd_pkt.h"
#include "fwd_raw.h"
#include "fwd_frag.h"
#include "fwd_frag_raw.h"

/* Packets per RX burst: default and largest accepted. */
#define FWD_DEF_BURST 32
#define FWD_MAX_BURST 512
/* RX queues (streams) one lcore may poll. */
#define FWD_MAX_STREAMS 16
/* RX queues per port. */
#define FWD_MAX_RXQ 64
/* Descriptors per queue: default. */
#define FWD_DEF_RXD 1024
#define FWD_DEF_TXD 1024
/* mbufs: least pool size, default per-lcore cache (as dpdk-testpmd). */
#define FWD_MIN_MBUFS 8192
#define FWD_DEF_MBUF_CACHE 250
/* VXLAN nesting depth for encap/decap. */
#define FWD_MAX_TUNNEL_DEPTH 8
/* --mtu: IPv4's least (RFC 791), and the largest a 16-bit frame allows. */
#define FWD_MIN_MTU 68
#define FWD_MAX_MTU 65000
/* --route entries. */
#define FWD_MAX_ROUTES 1024
/* ICMP errors per second per lcore (--icmp-rate), burst of the bucket. */
#define FWD_DEF_ICMP_RATE 100
#define FWD_ICMP_BURST 10
/* --idle-sleep: empty polls of all its queues before an lcore sleeps. */
#define FWD_IDLE_POLLS 64
/* reasm: datagrams in progress and mbufs held per lcore, time-out (ms). */
#define FWD_DEF_REASM_DGRAMS 1024
#define FWD_MAX_REASM_DGRAMS (1u << 20)
#define FWD_DEF_REASM_MBUFS 4096
#define FWD_MAX_REASM_MBUFS (1u << 24)
#define FWD_DEF_REASM_TIMEOUT_MS 1000

/* How packets are handled (--engine). */
enum fwd_engine {
	FWD_ENGINE_HYPERBUF, /* through HyperBuf (fwd_pkt.h) */
	FWD_ENGINE_RAW,	     /* plain mbuf code (fwd_raw.h): the baseline */
	FWD_ENGINE_MAX
};

extern const char *const fwd_mode_names[FWD_MODE_MAX];
extern const char *const fwd_drop_names[FWD_DROP_MAX];
extern const char *const fwd_engine_names[FWD_ENGINE_MAX];

/* One --route: ADDR/PREFIX,PORT. */
struct fwd_route_cfg {
	uint32_t addr; /* host order */
	uint8_t depth;
	uint16_t port;
};

/* Options (args.c fills it, everything else reads it). */
struct fwd_config {
	uint64_t portmask;	   /* 0: every available port */
	enum fwd_mode mode;	   /* ports not named in --mode */
	int port_mode[RTE_MAX_ETHPORTS]; /* PORT:MODE of --mode, or -1 */
	enum fwd_engine engine;
	uint16_t burst;
	unsigned int queues_per_lcore; /* 0: spread queues evenly */
	uint16_t rxq;		   /* RX queues per port */
	uint16_t rxd, txd;
	int portmap[RTE_MAX_ETHPORTS]; /* peer from --portmap, or -1 */
	unsigned int stats_period; /* seconds, 0: no periodic output */
	unsigned int duration;	   /* seconds, 0: until a signal */
	uint64_t max_packets;	   /* stop after this many received, 0: no */
	const char *stats_json;	   /* file for the final counters, or NULL */
	unsigned int mbuf_size;	   /* data room, headroom included */
	unsigned int nb_mbufs;	   /* 0: computed */
	unsigned int mbuf_cache;
	bool promisc;
	/* VXLAN */
	uint32_t vni;
	rte_be32_t vxlan_src, vxlan_dst;
	struct rte_ether_addr vxlan_mac;
	unsigned int tunnel_depth;
	/* Ports and the router */
	unsigned int mtu;	   /* 0: the device's */
	unsigned int port_mtu[RTE_MAX_ETHPORTS]; /* --mtu PORT:N; 0: mtu */
	/* reasm */
	unsigned int reasm_dgrams; /* per lcore */
	unsigned int reasm_mbufs;  /* per lcore */
	unsigned int reasm_timeout_ms;
	rte_be32_t ip[RTE_MAX_ETHPORTS];	/* --ip address, 0: none */
	uint8_t ip_prefix[RTE_MAX_ETHPORTS];
	bool has_eth_dest[RTE_MAX_ETHPORTS];
	struct rte_ether_addr eth_dest[RTE_MAX_ETHPORTS];
	unsigned int nb_routes;
	struct fwd_route_cfg routes[FWD_MAX_ROUTES];
	unsigned int icmp_rate;	   /* per second per lcore, 0: never */
	unsigned int idle_sleep;   /* us, 0: busy poll */
	/* --capture FILE[,N[,KIB]] */
	const char *capture_file;  /* NULL: no capture */
	unsigned int capture_every; /* every Nth packet received */
	unsigned int capture_kib;  /* bound of the shared capture buffer */
};

extern struct fwd_config fwd_cfg;

struct fwd_lcore;
struct fwd_stream;

/* One burst of one stream, for its engine and mode: packets received. */
typedef uint16_t (*fwd_burst_t)(struct fwd_lcore *lc, struct fwd_stream *fs);

/* Packets hb-fwd built (ARP replies, ICMP errors), counted per stream. */
enum fwd_gen {
	FWD_GEN_ARP_REPLIES,	 /* ARP replies sent */
	FWD_GEN_ICMP_SENT,	 /* ICMP time exceeded sent */
	FWD_GEN_ICMP_LIMITED,	 /* ... not sent: rate limit (--icmp-rate) */
	FWD_GEN_ICMP_SUPPRESSED, /* ... not sent: RFC 1812 rules, no --ip */
	FWD_GEN_NO_MBUF,	 /* not built: the pool was empty */
	FWD_GEN_TX_DROPPED,	 /* built, refused by the TX queue, freed */
	FWD_GEN_MAX
};

extern const char *const fwd_gen_names[FWD_GEN_MAX];

/* frag and reasm: packets cut and joined, counted per stream. */
enum fwd_fstat {
	FWD_FSTAT_FRAGMENTED,	/* frag: packets cut */
	FWD_FSTAT_FRAGMENTS,	/* ... into this many fragments */
	FWD_FSTAT_REASSEMBLED,	/* reasm: datagrams made whole */
	FWD_FSTAT_JOINED,	/* ... of this many fragments */
	FWD_FSTAT_MAX
};

extern const char *const fwd_fstat_names[FWD_FSTAT_MAX];

/*
 * One RX queue polled by one lcore, and where its packets go. The
 * counters are written by the polling lcore only (relaxed stores) and
 * read by the main lcore and telemetry (relaxed loads).
 */
struct fwd_stream {
	uint16_t rx_port;
	uint16_t rx_queue;
	uint16_t tx_port;  /* the peer: where forwarded packets go (route with
			    * --route: where the lookup says) */
	uint16_t tx_queue;
	uint16_t burst;
	enum fwd_mode mode; /* the RX port's */
	fwd_burst_t fn;
	/* What the per-packet code needs (encap, depth, router, pool). */
	struct fwd_pctx ctx;
	/* encap: outer headers for tx_port (fwd_stream_init()) */
	struct fwd_encap encap;

	uint64_t rx_pkts __rte_cache_aligned;
	uint64_t drops[FWD_DROP_MAX];
	uint64_t gen[FWD_GEN_MAX];
	uint64_t fstat[FWD_FSTAT_MAX];
} __rte_cache_aligned;

/*
 * An lcore's frag and reasm state (fwd_frag.c), for lcores that poll a
 * port in one of those modes: its reassembly table (one per engine) and
 * where fragments wait for TX.
 */
struct fwd_frag_lcore {
	struct fwd_reasm *reasm;	 /* --engine hyperbuf */
	struct fwd_raw_reasm *raw_reasm; /* --engine raw */
	/* The HyperBuf table's limits and high-water marks, kept when it
	 * is freed (fwd_frag_lcore_fini()) for the summary. */
	bool had_reasm;
	uint32_t dgrams_max, dgrams_limit, mbufs_max, mbufs_limit;
	struct rte_mbuf *out[FWD_MAX_BURST + FWD_FRAG_MAX_OUT];
};

/* Per-lcore forwarding state, cache aligned, written by its lcore only. */
struct fwd_lcore {
	uint16_t nb_streams;
	bool housekeeper; /* main lcore forwarding alone: also runs timers */
	/* This lcore's TX queue on each port, UINT16_MAX: none. */
	uint16_t txq[RTE_MAX_ETHPORTS];
	struct fwd_tbucket icmp_tb; /* ICMP error rate limit */
	uint64_t visits __rte_cache_aligned; /* visitors acquired */
	uint64_t visits_bounced;	     /* ... of them not direct */
	uint64_t tx[RTE_MAX_ETHPORTS];	     /* handed to each port */
	uint64_t tx_dropped[RTE_MAX_ETHPORTS]; /* refused by it, freed */
	struct fwd_stream streams[FWD_MAX_STREAMS];
	struct fwd_frag_lcore *frag; /* frag, reasm: fwd_frag_lcore_init() */
} __rte_cache_aligned;

extern struct fwd_lcore fwd_lcores[RTE_MAX_LCORE];

/* Per-port configuration, set up before forwarding starts. */
struct fwd_port {
	bool enabled;
	enum fwd_mode mode; /* of the packets received on it */
	uint16_t peer;
	uint16_t nb_rxq;
	uint16_t nb_txq;
	bool rss;
	uint16_t mtu; /* as set up (frag: of the TX port) */
	struct rte_ether_addr mac;
};

extern struct fwd_port fwd_ports[RTE_MAX_ETHPORTS];

/* Router state (--ip, --eth-dest, --route), NULL if none was given. */
extern struct fwd_l3 *fwd_l3;

/* Every port in use (also after the ports are closed). */
#define FWD_FOREACH_PORT(p)                                                    \
	for ((p) = 0; (p) < RTE_MAX_ETHPORTS; (p)++)                           \
		if (fwd_ports[(p)].enabled)

/* Set by the signal handlers, --duration or --max-packets. */
extern volatile bool force_quit;

/* Counter update by its only writer: a relaxed store, never torn. */
static inline void
fwd_ctr_add(uint64_t *c, uint64_t n)
{
	__atomic_store_n(c, *c + n, __ATOMIC_RELAXED);
}

/* Counter read by anyone. */
static inline uint64_t
fwd_ctr_read(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

/* args.c */
extern char fwd_args_error[256];
void fwd_usage(const char *prgname);
void fwd_usage_to(FILE *f, const char *prgname);
int fwd_parse_args(int argc, char **argv);

/* fwd.c */
int fwd_lcore_main(void *arg);
void fwd_stream_init(struct fwd_stream *fs, struct fwd_lcore *lc,
		     struct rte_mempool *mp);
/* For the burst loops of fwd_frag.c: fwd.c's TX, built packets' TX. */
void fwd_tx_pkts(struct fwd_lcore *lc, uint16_t port, uint16_t txq,
		 struct rte_mbuf **pkts, uint16_t n);
void fwd_tx_built(struct fwd_lcore *lc, struct fwd_stream *fs,
		  struct rte_mbuf **gen, uint16_t n,
		  const struct fwd_gen_count *gc);
void fwd_hb_error_log(const char *what);

/* fwd_frag.c: frag and reasm */
uint16_t fwd_burst_hb_frag(struct fwd_lcore *lc, struct fwd_stream *fs);
uint16_t fwd_burst_raw_frag(struct fwd_lcore *lc, struct fwd_stream *fs);
uint16_t fwd_burst_hb_reasm(struct fwd_lcore *lc, struct fwd_stream *fs);
uint16_t fwd_burst_raw_reasm(struct fwd_lcore *lc, struct fwd_stream *fs);
bool fwd_frag_mode(enum fwd_mode mode);
int fwd_frag_lcore_init(struct fwd_lcore *lc, struct rte_mempool *mp_frag);
void fwd_frag_lcore_fini(struct fwd_lcore *lc);
void fwd_frag_lcore_free(struct fwd_lcore *lc);

/* main.c: timers (stats, --duration, --max-packets); main lcore only. */
void fwd_housekeeping(uint64_t now);

/*
 * capture.c: --capture. Forwarding lcores: fwd_cap_rx() on each burst
 * received, fwd_cap_poll() once per round, fwd_cap_lcore_done() at exit.
 * Main lcore: fwd_cap_setup() before forwarding, fwd_cap_drain() in its
 * loop, fwd_cap_wait_workers(), then fwd_cap_finish() once the lcores
 * are done, fwd_cap_free() at the end.
 */
#define FWD_CAP_DEF_EVERY 1
#define FWD_CAP_DEF_KIB 4096
#define FWD_CAP_MAX_KIB (1024 * 1024)
extern bool fwd_cap_on;
int fwd_cap_setup(void);
void fwd_cap_rx(struct rte_mbuf **pkts, uint16_t n);
void fwd_cap_poll(void);
void fwd_cap_lcore_done(void);
void fwd_cap_drain(void);
void fwd_cap_wait_workers(void);
int fwd_cap_finish(void);
void fwd_cap_free(void);
void fwd_cap_print(void);
void fwd_cap_json(FILE *f);

/* stats.c */
struct fwd_totals {
	uint64_t rx, tx, rx_dropped, tx_dropped;
	uint64_t drops[FWD_DROP_MAX];
	uint64_t gen[FWD_GEN_MAX];
	uint64_t fstat[FWD_FSTAT_MAX];
	uint64_t visits, visits_bounced;
};

struct fwd_port_totals {
	uint64_t rx, tx, rx_dropped, tx_dropped;
	uint64_t drops[FWD_DROP_MAX]; /* of packets received on the port */
	uint64_t gen[FWD_GEN_MAX];    /* built in answer to them */
	uint64_t fstat[FWD_FSTAT_MAX]; /* of packets received on the port */
};

/* "io", or "0:encap,1:decap" when the ports differ. */
const char *fwd_modes_str(void);

void fwd_stats_port(uint16_t port, struct fwd_port_totals *pt);
void fwd_stats_lcore(unsigned int lcore, struct fwd_totals *t);
void fwd_stats_totals(struct fwd_totals *t);
uint64_t fwd_stats_rx_total(void);
void fwd_stats_start(uint64_t now);
void fwd_stats_sample(uint64_t now);
void fwd_stats_print_periodic(void);
void fwd_stats_print_final(void);
void fwd_stats_set_pool(struct rte_mempool *mp);
void fwd_stats_set_exit(unsigned int in_use, unsigned int pool_size);
int fwd_stats_write_json(const char *path);
void fwd_telemetry_register(void);
double fwd_stats_elapsed(void);

#endif /* HB_FWD_H */
