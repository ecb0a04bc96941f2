/*
 * customer_query.h: a shop's customers read the way the API lists
 * them (web/wc_customers.c): a search, an exact e-mail, sorts, offset
 * paging with the total count. The page holds ids: each customer is
 * read with wc_json_customer_load() (NEEDSWORK: three round trips a
 * customer; one statement a part for the page if lists grow).
 *
 * Everything returned lives in ctx->a. SHOP_OK or SHOP_EDB.
 */
#ifndef SOUK_SHOP_CUSTOMER_QUERY_H
#define SOUK_SHOP_CUSTOMER_QUERY_H

#include <stddef.h>
#include <stdint.h>
#include "core/str.h"
#include "shop/ctx.h"

#define CUSTOMER_QUERY_MAX	100

enum customer_query_order {
	CQ_ORDER_ID,
	CQ_ORDER_REGISTERED,	/* created_at */
	CQ_ORDER_EMAIL,
	CQ_ORDER_NAME,
	CQ_ORDER__MAX
};

struct customer_query {
	struct str	 search;	/* part of the e-mail or name; "" */
	struct str	 email;		/* exact (lower-cased); "" any */
	enum customer_query_order order;
	int		 desc;
	int64_t		 offset;
	int64_t		 limit;		/* 1..CUSTOMER_QUERY_MAX */
};

struct cq_result {
	int64_t		*ids;
	size_t		 n;
	int64_t		 total;
};

int	customer_query(struct shop_ctx *ctx, const struct customer_query *q,
	    struct cq_result *out);

#endif
