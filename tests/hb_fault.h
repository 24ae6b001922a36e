/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_FAULT_H
#define HB_FAULT_H

/*
 * Fault injection for mempools: a mempool ops driver, "hb_fault", that
 * delegates everything to DPDK's "ring_mp_mc" ops but can be told to fail
 * one dequeue, and counts what it hands out. Any code that takes mbufs from
 * a pool (HyperBuf, an application under test) can then be made to fail at
 * exactly its k-th allocation:
 *
 *   mp = hb_fault_pool_create("p", 64, 0, SOCKET_ID_ANY);   (cache 0)
 *   hb_fault_stats(mp, &st0); run the operation; hb_fault_stats(mp, &st1);
 *   calls = st1.calls - st0.calls;          (its allocation points)
 *   for (k = 0; k < calls; k++) {
 *           hb_fault_fail_call(mp, k);      (the k-th dequeue from now)
 *           rc = run the operation;         (expect -ENOMEM, nothing kept)
 *           hb_fault_disarm(mp);
 *   }
 *
 * Any pool can use the driver: rte_pktmbuf_pool_create_by_ops(...,
 * HB_FAULT_OPS) after hb_fault_register() (which needs the EAL, as the
 * ring driver is a plugin loaded by rte_eal_init()), or
 * rte_mempool_set_ops_byname(mp, HB_FAULT_OPS, NULL) on an empty pool. A
 * pool with a per-lcore cache serves most gets from its cache: the driver
 * sees (and fails) only dequeues that reach the ring, so use cache size 0
 * for exact allocation points.
 *
 * MT-safe: each pool's state has its own lock; up to HB_FAULT_MAX_POOLS
 * pools use the driver at a time.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>

/** Name of the mempool ops. */
#define HB_FAULT_OPS "hb_fault"
/** Pools that can use the driver at the same time. */
#define HB_FAULT_MAX_POOLS 32

/** Counters of one pool, since its creation. */
struct hb_fault_stats {
	uint64_t calls;	   /* dequeue calls (failed ones included) */
	uint64_t objs;	   /* objects handed out by successful dequeues */
	uint64_t returned; /* objects given back (enqueued) */
	uint64_t failed;   /* dequeues failed on purpose */
	bool armed;	   /* a failure is armed and has not fired yet */
};

/*
 * Register the ops (idempotent). Call after rte_eal_init().
 * Returns 0 or a negative errno (-ENOENT: no "ring_mp_mc" ops loaded).
 */
int hb_fault_register(void);

/*
 * A pktmbuf pool of @n mbufs of @data_room bytes (0: the default size),
 * with no per-lcore cache, on the hb_fault ops. NULL (rte_errno set) on
 * failure.
 */
struct rte_mempool *hb_fault_pool_create(const char *name, unsigned int n,
					 uint16_t data_room, int socket_id);

/*
 * Fail the dequeue that would hand out the @nth object from now (0: the
 * next object handed out). One shot; replaces any armed failure.
 * Returns 0, or -EINVAL if @mp does not use the driver.
 */
int hb_fault_fail_obj(struct rte_mempool *mp, uint64_t nth);

/* Fail the @nth dequeue call from now (0: the next one). One shot. */
int hb_fault_fail_call(struct rte_mempool *mp, uint64_t nth);

/* Cancel an armed failure that has not fired. */
void hb_fault_disarm(struct rte_mempool *mp);

/* Counters of @mp; -EINVAL if @mp does not use the driver. */
int hb_fault_stats(const struct rte_mempool *mp, struct hb_fault_stats *st);

#endif /* HB_FAULT_H */
