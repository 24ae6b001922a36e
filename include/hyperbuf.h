/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HYPERBUF_H
#define HYPERBUF_H

/**
 * @file
 * HyperBuf: rte_mbuf chains as one logical, growable byte buffer.
 *
 * Include this umbrella header to get every HyperBuf module:
 *  - hb_buf.h: the logical buffer (append, prepend, read, write, trim, adj,
 *    split, peek, iov, typed integers);
 *  - hb_cursor.h: a read cursor for parsing byte streams.
 *
 * Call hb_init() once after rte_eal_init() and hb_fini() before
 * rte_eal_cleanup().
 *
 * @warning
 * @b EXPERIMENTAL: all HyperBuf APIs may change without prior notice.
 */

#include "hb_buf.h"
#include "hb_cursor.h"

#ifdef __cplusplus
extern "C" {
#endif

/** HyperBuf version as a string, e.g. "0.1.0". */
#define HB_VERSION_STR "0.1.0"

/**
 * Set up HyperBuf's per-lcore state and register its telemetry commands.
 *
 * Call after rte_eal_init(), from the main lcore. Idempotent: later calls
 * return 0 and do nothing. Not MT-safe.
 *
 * @return
 *   - 0: Success.
 *   - -EPERM: the EAL is not initialised.
 */
int hb_init(void);

/**
 * Release what hb_init() set up. Call before rte_eal_cleanup(), once no
 * lcore uses HyperBuf any more. hb_init() may be called again afterwards.
 * Not MT-safe.
 */
void hb_fini(void);

#ifdef __cplusplus
}
#endif

#endif /* HYPERBUF_H */
