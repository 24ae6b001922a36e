/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * The "hb_fault" mempool ops: "ring_mp_mc" plus one armed failure and
 * counters per pool (see hb_fault.h). The ring keeps mp->pool_data as it
 * would on its own; our per-pool state lives in a small table keyed by the
 * pool, filled by the alloc op and emptied by the free op.
 */

#include <errno.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_spinlock.h>

#include "hb_fault.h"

#define RING_OPS "ring_mp_mc"

enum arm {
	ARM_NONE,
	ARM_OBJ,  /* fail the dequeue that covers object number @at */
	ARM_CALL, /* fail dequeue call number @at */
};

struct fault_state {
	const struct rte_mempool *mp; /* NULL: free entry */
	rte_spinlock_t lock;
	enum arm arm;
	uint64_t at;
	struct hb_fault_stats st;
};

static struct fault_state states[HB_FAULT_MAX_POOLS];
static rte_spinlock_t states_lock = RTE_SPINLOCK_INITIALIZER;

static const struct rte_mempool_ops *
ring_ops(void)
{
	uint32_t i;

	for (i = 0; i < rte_mempool_ops_table.num_ops; i++)
		if (strcmp(rte_mempool_ops_table.ops[i].name, RING_OPS) == 0)
			return &rte_mempool_ops_table.ops[i];
	return NULL;
}

static struct fault_state *
state_of(const struct rte_mempool *mp)
{
	unsigned int i;

	if (mp == NULL)
		return NULL;
	for (i = 0; i < HB_FAULT_MAX_POOLS; i++)
		if (__atomic_load_n(&states[i].mp, __ATOMIC_ACQUIRE) == mp)
			return &states[i];
	return NULL;
}

static int
fault_alloc(struct rte_mempool *mp)
{
	const struct rte_mempool_ops *r = ring_ops();
	struct fault_state *s = NULL;
	unsigned int i;
	int rc;

	if (r == NULL)
		return -ENOENT;
	rte_spinlock_lock(&states_lock);
	for (i = 0; i < HB_FAULT_MAX_POOLS && s == NULL; i++)
		if (states[i].mp == NULL)
			s = &states[i];
	if (s == NULL) {
		rte_spinlock_unlock(&states_lock);
		return -ENOSPC;
	}
	rc = r->alloc(mp);
	if (rc == 0) {
		memset(&s->st, 0, sizeof(s->st));
		s->arm = ARM_NONE;
		rte_spinlock_init(&s->lock);
		__atomic_store_n(&s->mp, mp, __ATOMIC_RELEASE);
	}
	rte_spinlock_unlock(&states_lock);
	return rc;
}

static void
fault_free(struct rte_mempool *mp)
{
	struct fault_state *s = state_of(mp);

	ring_ops()->free(mp);
	if (s != NULL)
		__atomic_store_n(&s->mp, NULL, __ATOMIC_RELEASE);
}

static int
fault_enqueue(struct rte_mempool *mp, void *const *objs, unsigned int n)
{
	struct fault_state *s = state_of(mp);
	int rc = ring_ops()->enqueue(mp, objs, n);

	if (rc == 0 && s != NULL)
		__atomic_fetch_add(&s->st.returned, n, __ATOMIC_RELAXED);
	return rc;
}

static int
fault_dequeue(struct rte_mempool *mp, void **objs, unsigned int n)
{
	struct fault_state *s = state_of(mp);
	bool fail = false;
	int rc;

	if (s == NULL)
		return ring_ops()->dequeue(mp, objs, n);
	rte_spinlock_lock(&s->lock);
	if (s->arm == ARM_CALL)
		fail = s->st.calls == s->at;
	else if (s->arm == ARM_OBJ)
		fail = s->at >= s->st.objs && s->at - s->st.objs < n;
	s->st.calls++;
	if (fail) {
		s->arm = ARM_NONE;
		s->st.armed = false;
		s->st.failed++;
		rc = -ENOBUFS;
	} else {
		rc = ring_ops()->dequeue(mp, objs, n);
		if (rc == 0)
			s->st.objs += n;
	}
	rte_spinlock_unlock(&s->lock);
	return rc;
}

static unsigned int
fault_get_count(const struct rte_mempool *mp)
{
	return ring_ops()->get_count(mp);
}

static const struct rte_mempool_ops fault_ops = {
	.name = HB_FAULT_OPS,
	.alloc = fault_alloc,
	.free = fault_free,
	.enqueue = fault_enqueue,
	.dequeue = fault_dequeue,
	.get_count = fault_get_count,
};

int
hb_fault_register(void)
{
	uint32_t i;
	int rc;

	if (ring_ops() == NULL)
		return -ENOENT;
	for (i = 0; i < rte_mempool_ops_table.num_ops; i++)
		if (strcmp(rte_mempool_ops_table.ops[i].name, HB_FAULT_OPS) == 0)
			return 0;
	rc = rte_mempool_register_ops(&fault_ops);
	return rc < 0 ? rc : 0;
}

struct rte_mempool *
hb_fault_pool_create(const char *name, unsigned int n, uint16_t data_room,
		     int socket_id)
{
	int rc = hb_fault_register();

	if (rc != 0) {
		rte_errno = -rc;
		return NULL;
	}
	if (data_room == 0)
		data_room = RTE_MBUF_DEFAULT_BUF_SIZE;
	return rte_pktmbuf_pool_create_by_ops(name, n, 0, 0, data_room,
					      socket_id, HB_FAULT_OPS);
}

static int
arm(struct rte_mempool *mp, enum arm how, uint64_t nth)
{
	struct fault_state *s = state_of(mp);

	if (s == NULL)
		return -EINVAL;
	rte_spinlock_lock(&s->lock);
	s->arm = how;
	s->at = (how == ARM_OBJ ? s->st.objs : s->st.calls) + nth;
	s->st.armed = how != ARM_NONE;
	rte_spinlock_unlock(&s->lock);
	return 0;
}

int
hb_fault_fail_obj(struct rte_mempool *mp, uint64_t nth)
{
	return arm(mp, ARM_OBJ, nth);
}

int
hb_fault_fail_call(struct rte_mempool *mp, uint64_t nth)
{
	return arm(mp, ARM_CALL, nth);
}

void
hb_fault_disarm(struct rte_mempool *mp)
{
	(void)arm(mp, ARM_NONE, 0);
}

int
hb_fault_stats(const struct rte_mempool *mp, struct hb_fault_stats *st)
{
	struct fault_state *s = state_of(mp);

	if (s == NULL || st == NULL)
		return -EINVAL;
	rte_spinlock_lock(&s->lock);
	*st = s->st;
	st->returned = __atomic_load_n(&s->st.returned, __ATOMIC_RELAXED);
	rte_spinlock_unlock(&s->lock);
	return 0;
}
