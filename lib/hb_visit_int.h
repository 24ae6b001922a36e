/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_VISIT_INT_H
#define HB_VISIT_INT_H

/*
 * Library-private, layer 5 of 7 (views and streams; docs/guide.md,
 * "Architecture"): what the async layer needs of the visitors. Includes
 * the buffer layer (and through it the layers below).
 */

#include "hb_buf_int.h"

/*
 * A visit of [@off, @off + @len) of @b (not NULL, @len not 0) into @v, as
 * hb_visit_read()/hb_visit_write() make it (alignment 1): 0 granted now,
 * else the visit calls' errors (-EBUSY: refused now, nothing taken).
 */
int hb_visit_now(struct hb_buf *b, uint32_t off, uint32_t len, uint32_t grow,
		 bool write, struct hb_visitor *v);

/*
 * Make the view of a visit granted by the guard of @b (shared) to lcore
 * @id, the caller: the range checked, grown if asked, mapped (bounced on
 * @id if it spans segments). 0, or the visit calls' errors; on error the
 * caller still holds what the grant gave.
 */
int hb_visit_map_granted(struct hb_buf *b, uint32_t off, uint32_t len,
			 uint32_t grow, bool write, unsigned int id,
			 struct hb_visitor *v);

#endif /* HB_VISIT_INT_H */
