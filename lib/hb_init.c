/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#include <errno.h>

#include <rte_eal.h>
#include <rte_lcore.h>

#include "hyperbuf.h"
#include "hb_private.h"

static bool hb_initialized;

int
hb_init(void)
{
	if (hb_initialized)
		return 0;
	if (rte_eal_process_type() == RTE_PROC_INVALID ||
	    rte_lcore_count() == 0)
		return -EPERM;
	hb_initialized = true;
	HB_LOG(DEBUG, "HyperBuf %s initialised", HB_VERSION_STR);
	return 0;
}

void
hb_fini(void)
{
	hb_initialized = false;
}
