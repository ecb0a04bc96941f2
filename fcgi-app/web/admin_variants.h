/*
 * admin_variants.h: the shop admin's attributes and a product's
 * variants (admin_variants.c): /admin/attributes (attributes and their
 * values with names per language: create, rename, reorder, delete) and
 * /admin/products/:id/variants (pick values, generate the variants,
 * edit every variant in one form).
 */
#ifndef SOUK_WEB_ADMIN_VARIANTS_H
#define SOUK_WEB_ADMIN_VARIANTS_H

#include <stddef.h>
#include "http/router.h"

extern const struct route	admin_variants_routes[];
extern const size_t		admin_variants_nroutes;

#endif
