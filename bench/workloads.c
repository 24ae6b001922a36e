/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * hb-bench: the workload table, in one place: every workload, its
 * implementations (HyperBuf, its variants, the baselines) and the target
 * each baseline's ratio is held to (baseline time / HyperBuf time; 0:
 * report only), as listed under "Targets" in bench/README.md: change both
 * together. The order here is the order of the runs and of the report.
 * The code of each workload is in wl_buf.c, wl_visit.c or wl_multi.c.
 */

#include <rte_common.h>

#include "hb_bench.h"

#define IMPL(n, r, f, t) { .name = (n), .role = (r), .run = (f), .target = (t) }
#define IMPL_MC(n, r, f, t)                                                    \
	{ .name = (n), .role = (r), .mc = (f), .target = (t) }

/*
 * contend-long with holds of @us microseconds: useful work (bursts
 * forwarded, held or not) against the spinning locks, @t each.
 */
#define CL_WORKLOAD(us, t)                                                     \
	{                                                                      \
		.name = "contend-long" #us, .group = "contend-long",           \
		.op = "burst of 32 from a ring + write visit held " #us        \
		      " us, 2 lcores (lcore time per burst)",                   \
		.ops_per_iter = 1, .lcores = 2, .mc_mul = 2,                   \
		.setup = cl##us##_setup, .teardown = cl_teardown,              \
		.mc_check = cl_check, .prime = ct_prime_all,                   \
		.impl = {                                                      \
			IMPL_MC("hyperbuf", ROLE_HB, cl_hb, 0),                \
			IMPL_MC("rwlock", ROLE_BASE, cl_rwlock, (t)),          \
			IMPL_MC("spinlock", ROLE_BASE, cl_spinlock, (t)),      \
			IMPL_MC("spin-trylock", ROLE_BASE, cl_trylock, 0),     \
		},                                                             \
	}

struct workload workloads[] = {
	{
		.name = "seed", .group = "seed",
		.op = "120 B buffer + 13 byte writes + free", .ops_per_iter = 1,
		.setup = seed_setup,
		.impl = {
			IMPL("hyperbuf", ROLE_HB, seed_hb, 0),
			IMPL("hyperbuf-put", ROLE_HB_VARIANT, seed_hb_put, 0),
			IMPL("vec", ROLE_BASE, seed_vec, 0),
			IMPL("mbuf", ROLE_BASE, seed_mbuf, 0.9),
		},
	},
	{
		.name = "append64k", .group = "append64k",
		.op = "64 KiB: append + read back + free", .ops_per_iter = 1,
		.setup = app64k_setup,
		.impl = {
			IMPL("hyperbuf", ROLE_HB, app_hb, 0),
			IMPL("hyperbuf-cursor", ROLE_HB_VARIANT, app_hb_cursor, 0),
			IMPL("hyperbuf-stream", ROLE_HB_VARIANT, app_hb_stream, 0),
			IMPL("mbuf-idiomatic", ROLE_BASE, app_mbuf_idiomatic, 10.0),
			IMPL("mbuf-expert", ROLE_BASE, app_mbuf_expert, 1.1),
			IMPL("vec", ROLE_BASE, app_vec, 1.0),
		},
	},
	{
		.name = "append1m", .group = "append1m",
		.op = "1 MiB: append + read back + free", .ops_per_iter = 1,
		.setup = app1m_setup,
		.impl = {
			IMPL("hyperbuf", ROLE_HB, app_hb, 0),
			IMPL("hyperbuf-cursor", ROLE_HB_VARIANT, app_hb_cursor, 0),
			IMPL("hyperbuf-stream", ROLE_HB_VARIANT, app_hb_stream, 0),
			IMPL("mbuf-idiomatic", ROLE_BASE, app_mbuf_idiomatic, 100.0),
			IMPL("mbuf-expert", ROLE_BASE, app_mbuf_expert, 0),
			IMPL("vec", ROLE_BASE, app_vec, 1.3),
		},
	},
	{
		.name = "msg2pkt", .group = "msg2pkt",
		.op = "64 KiB message -> 44 packets", .ops_per_iter = 1,
		.setup = msg_setup, .teardown = msg_teardown,
		.impl = {
			IMPL("hyperbuf", ROLE_HB, msg_hb, 0),
			IMPL("hyperbuf-writer", ROLE_HB_VARIANT, msg_hb_writer, 0),
			IMPL("vec+copy", ROLE_BASE, msg_vec, 1.5),
			IMPL("vec+copy-reuse", ROLE_BASE, msg_vec_reuse, 1.5),
		},
	},
	{
		.name = "pkt2msg", .group = "pkt2msg",
		.op = "45 received 1500 B packets -> 64 KiB message + read back",
		.ops_per_iter = 1,
		.setup = p2m_setup,
		.impl = {
			IMPL("hyperbuf", ROLE_HB, p2m_hb, 0),
			IMPL("hyperbuf-cursor", ROLE_HB_VARIANT, p2m_hb_cursor, 0),
			IMPL("vec+copy", ROLE_BASE, p2m_vec, 1.25),
			IMPL("chain-idiom", ROLE_BASE, p2m_chain, 2.0),
		},
	},
	{
		.name = "random64k", .group = "random",
		.op = "8 B read at a random offset of 64 KiB", .ops_per_iter = RND_READS,
		.setup = rnd64k_setup, .teardown = rnd_teardown,
		.impl = {
			IMPL("hyperbuf", ROLE_HB, rnd_hb, 0),
			IMPL("rte_pktmbuf_read", ROLE_BASE, rnd_mbuf_read, 30.0),
			IMPL("expert-index", ROLE_BASE, rnd_expert, 0.9),
		},
	},
	{
		.name = "random1m", .group = "random",
		.op = "8 B read at a random offset of 1 MiB", .ops_per_iter = RND_READS,
		.setup = rnd1m_setup, .teardown = rnd_teardown,
		.impl = {
			IMPL("hyperbuf", ROLE_HB, rnd_hb, 0),
			IMPL("rte_pktmbuf_read", ROLE_BASE, rnd_mbuf_read, 100.0),
			IMPL("expert-index", ROLE_BASE, rnd_expert, 0),
		},
	},
	{
		.name = "visit-hdr", .group = "visit-hdr",
		.op = "64 B packet: read Eth+IPv4 + MAC swap", .ops_per_iter = 0,
		.setup = vis_hdr_setup, .teardown = vis_teardown,
		.impl = {
			IMPL("hyperbuf", ROLE_HB, vis_hb, 0),
			IMPL("hyperbuf-1visit", ROLE_HB_VARIANT, vis_hb_1visit, 0),
			IMPL("mtod", ROLE_BASE, vis_mtod, 0.95),
		},
	},
	{
		.name = "visit-split", .group = "visit-split",
		.op = "2-segment packet: read Eth+IPv4 + MAC swap", .ops_per_iter = 0,
		.setup = vis_split_setup, .teardown = vis_split_teardown,
		.impl = {
			IMPL("hyperbuf", ROLE_HB, vis_hb, 0),
			IMPL("hyperbuf-1visit", ROLE_HB_VARIANT, vis_hb_1visit, 0),
			IMPL("hyperbuf-pullup", ROLE_HB_VARIANT, vis_hb_pullup,
			     0),
			IMPL("read+writeback", ROLE_BASE, vis_read_writeback,
			     1.0),
		},
	},
	{
		.name = "shared-read1", .group = "shared-read",
		.op = "34 B read visit of a shared buffer on 1 lcore",
		.ops_per_iter = 1, .lcores = 1,
		.setup = sr_setup, .teardown = mc_teardown,
		.mc_check = sr_check,
		.impl = {
			IMPL_MC("hyperbuf", ROLE_HB, sr_hb, 0),
			IMPL_MC("rwlock", ROLE_BASE, sr_rwlock, 0),
		},
	},
	{
		.name = "shared-read", .group = "shared-read",
		.op = "34 B read visit of one shared buffer on 2 lcores "
		      "(lcore time per visit)",
		.ops_per_iter = 1, .lcores = 2,
		.setup = sr_setup, .teardown = mc_teardown,
		.mc_check = sr_check,
		.impl = {
			IMPL_MC("hyperbuf", ROLE_HB, sr_hb, 0),
			IMPL_MC("rwlock", ROLE_BASE, sr_rwlock, 3.0),
		},
	},
	{
		.name = "contend1", .group = "contend",
		.op = "work unit + read or write visit on 1 lcore "
		      "(no contention)",
		.ops_per_iter = 1, .lcores = 1,
		.setup = ct_setup, .teardown = mc_teardown,
		.mc_check = ct_check, .prime = ct_prime_all,
		.impl = {
			IMPL_MC("hyperbuf", ROLE_HB, ct_hb, 0),
			IMPL_MC("hyperbuf-queue", ROLE_HB_VARIANT, ct_hb_queue,
				0),
			IMPL_MC("rwlock", ROLE_BASE, ct_rwlock, 0),
		},
	},
	{
		.name = "contend", .group = "contend",
		.op = "work unit + read or write visit on 2 lcores "
		      "(lcore time per unit)",
		.ops_per_iter = 1, .lcores = 2,
		.setup = ct_setup, .teardown = mc_teardown,
		.mc_check = ct_check, .prime = ct_prime_all,
		.impl = {
			IMPL_MC("hyperbuf", ROLE_HB, ct_hb, 0),
			IMPL_MC("hyperbuf-queue", ROLE_HB_VARIANT, ct_hb_queue,
				0),
			IMPL_MC("rwlock", ROLE_BASE, ct_rwlock, 0.8),
		},
	},
	CL_WORKLOAD(1, 0),
	CL_WORKLOAD(5, 1.5),
	CL_WORKLOAD(20, 1.5),
};

const unsigned int nb_workloads = RTE_DIM(workloads);
