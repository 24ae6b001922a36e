/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * Initialisation, layer 7 of 7 (docs/guide.md, "Architecture"):
 * hb_init()/hb_fini() and the telemetry commands, on top of everything.
 */

#include <errno.h>
#include <stdlib.h>

#include <rte_eal.h>
#include <rte_telemetry.h>

#include "hb_guard.h"
#include "hb_seg.h"

static bool hb_initialized;
static bool hb_telemetry_registered;

#define STATS_FIELDS(F)                                                        \
	F(visits_bounced) F(bounce_bytes) F(visits_grown) F(visits_busy)       \
	F(visits_failed) F(segs_alloc) F(idx_builds) F(pullups)               \
	F(pullup_bytes) F(async_now)                                           \
	F(async_queued) F(async_granted) F(async_cancelled) F(async_teardown)

static int
telemetry_stats(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	struct hb_stats st;
	int rc;

	if (params != NULL && *params != '\0') {
		char *end;
		unsigned long id = strtoul(params, &end, 0);

		if (*end != '\0' || id >= RTE_MAX_LCORE)
			return -EINVAL;
		rc = hb_lcore_stats_get((unsigned int)id, &st);
	} else {
		rc = hb_stats_get(&st);
	}
	if (rc != 0)
		return rc;
	rte_tel_data_start_dict(d);
#define ADD(f) rte_tel_data_add_dict_u64(d, #f, st.f);
	STATS_FIELDS(ADD)
#undef ADD
	return 0;
}

static int
telemetry_info(const char *cmd __rte_unused, const char *params __rte_unused,
	       struct rte_tel_data *d)
{
	unsigned int arenas, live;

	hb_lcore_bounce_info(&arenas, &live);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "version", HB_VERSION_STR);
	rte_tel_data_add_dict_int(d, "buf_size", (int)sizeof(struct hb_buf));
	rte_tel_data_add_dict_int(d, "bounce_size", HB_VISIT_BOUNCE_SIZE);
	rte_tel_data_add_dict_int(d, "bounce_arenas", (int)arenas);
	rte_tel_data_add_dict_int(d, "bounced_visitors_live", (int)live);
	return 0;
}

int
hb_init(void)
{
	if (hb_initialized)
		return 0;
	if (rte_eal_process_type() == RTE_PROC_INVALID ||
	    rte_lcore_count() == 0)
		return -EPERM;
	if (hb_guard_init() != 0)
		return -ENOMEM;
	hb_seg_init();
	if (!hb_telemetry_registered) {
		/* Commands cannot be unregistered: once per process. */
		rte_telemetry_register_cmd("/hyperbuf/stats", telemetry_stats,
			"HyperBuf counters, all lcores or one. Parameters: int lcore_id (optional)");
		rte_telemetry_register_cmd("/hyperbuf/info", telemetry_info,
			"HyperBuf version, sizes and bounce memory. Takes no parameters");
		hb_telemetry_registered = true;
	}
	hb_initialized = true;
	HB_LOG(DEBUG, "HyperBuf %s initialised", HB_VERSION_STR);
	return 0;
}

void
hb_fini(void)
{
	hb_lcore_fini();
	hb_guard_fini();
	hb_seg_fini();
	hb_initialized = false;
}
