/*
 * admin_images.h: a product's images in the shop admin
 * (admin_images.c): upload one or several, move one up or down,
 * delete one, edit its alt text per language; the first is the main
 * image. Forms only, no JavaScript. The product's edit page
 * (web/admin.c) shows them through admin_images_model().
 */
#ifndef SOUK_WEB_ADMIN_IMAGES_H
#define SOUK_WEB_ADMIN_IMAGES_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "http/router.h"
#include "web/page.h"

extern const struct route	admin_images_routes[];
extern const size_t		admin_images_nroutes;

/* Adds "images" (each: id, card, page, width, height, first, last and
 * "alts": code, label, text per shop language) and "nimages" to m, the
 * model of product_id's edit page. Returns 0, or -1 (database: the
 * caller answers 503). */
int	admin_images_model(struct web *w, json_object *m, int64_t product_id);

#endif
