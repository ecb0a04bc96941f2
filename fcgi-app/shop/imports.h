/*
 * imports.h: a shop's CSV imports ({p}imports), the admin's side of
 * shop/catalog_import.h. A staff member uploads a WooCommerce or
 * Shopify product CSV; the file is kept under upload_dir (config.h:
 * private, never served by nginx) as "s<shop>/<random>.csv", and a
 * row records it with its state:
 *
 *   previewing -> previewed -> importing -> done
 *        \             \            \
 *         failed      cancelled     (failed: the database gave up)
 *
 * ("uploaded" is the state of a row whose preview job was not queued
 * yet; imports_create() writes the row and the job in one transaction,
 * so it is never seen outside.) The work is souk-worker's job
 * "catalog.import" (payload {"import_id": N, "mode": "preview" or
 * "apply"}), run by imports_job_run(): it reads the file with
 * catalog_import_run(), writes the bytes read to bytes_done about once
 * a second (the admin's progress bar reads the row, so it survives a
 * reload), then stores the report as JSON and the state.
 *
 * A worker killed mid-run leaves the row previewing or importing and
 * its job leased; when the lease ends another worker claims the job
 * and runs it again from the start. That is safe: a preview writes
 * nothing, and the import is idempotent (catalog_import.h: products
 * matched by slug and SKU, a product written whole or not at all, a
 * product already there with the same data counted "same"), so the
 * second run finishes what the first began and changes nothing else.
 * The file is removed once the import is done, failed or cancelled.
 *
 * Reports (preview, report) are JSON text as stored:
 *   {"format": "WooCommerce", "rows": N, "rows_refused": N,
 *    "products": {"new": N, "updated": N, "same": N},
 *    "variants": {...}, "categories": {"new": N},
 *    "images": {"new": N, "failed": N},
 *    "errors": [{"line": N, "reason": msgid, "detail": "...",
 *                "warning": bool}, ...],
 *    "file_error": msgid, "file_error_line": N}  (file_error: when the
 *   whole file was refused; the counts are then absent)
 * Reasons are untranslated msgids, shown with _() by the reader.
 *
 * Everything returned lives in ctx->a. Functions return SHOP_OK or a
 * negative enum shop_err (ctx.h).
 */
#ifndef SOUK_SHOP_IMPORTS_H
#define SOUK_SHOP_IMPORTS_H

#include <stddef.h>
#include <stdint.h>
#include "core/str.h"
#include "shop/ctx.h"

#define IMPORTS_NAME_MAX	255	/* characters of file_name kept */
#define IMPORTS_LIST_MAX	50	/* imports imports_list() returns */
#define IMPORTS_JOB_KIND	"catalog.import"

enum imports_state {
	IMPORTS_UPLOADED,
	IMPORTS_PREVIEWING,
	IMPORTS_PREVIEWED,
	IMPORTS_IMPORTING,
	IMPORTS_DONE,
	IMPORTS_FAILED,
	IMPORTS_CANCELLED,
	IMPORTS__STATES
};

struct imports_row {
	int64_t			 id;
	int64_t			 staff_id;
	struct str		 staff_email;	/* "" when deleted since */
	struct str		 file_name;	/* as the browser sent it */
	struct str		 path;		/* under upload_dir */
	struct str		 format;	/* "WooCommerce", ""; */
	enum imports_state	 state;
	uint64_t		 bytes_done, bytes_total;
	struct str		 preview;	/* JSON (above), "" before */
	struct str		 report;	/* JSON (above), "" before */
	struct str		 created_at;	/* "YYYY-MM-DD HH:MM:SS" UTC */
	struct str		 updated_at;
};

/* The state's name as the column spells it ("previewing"): static. */
const char	*imports_state_name(enum imports_state s);

/*
 * Keeps data (the uploaded file, named file_name by the browser) under
 * upload_dir and records an import of it by staff_id, queued for its
 * preview, row and job in one transaction. The content is not checked
 * here beyond being there (the preview says what is wrong with it).
 * Returns SHOP_OK with *id; SHOP_EINVAL when data is empty; SHOP_EDB
 * (the database, or the file could not be written: logged).
 */
int	imports_create(struct shop_ctx *ctx, int64_t staff_id,
	    struct str file_name, struct str data, int64_t *id);

/* Import id of this shop into *out; SHOP_ENOTFOUND when there is none
 * (another shop's id included). */
int	imports_get(struct shop_ctx *ctx, int64_t id, struct imports_row *out);

/* The newest IMPORTS_LIST_MAX imports (their reports left empty). */
int	imports_list(struct shop_ctx *ctx, struct imports_row **out,
	    size_t *n);

/*
 * Starts the import of a previewed file: state importing, progress 0,
 * and its "apply" job, in one transaction. SHOP_ENOTFOUND (no such
 * import), SHOP_ECONFLICT (not previewed: started already, done,
 * failed or cancelled; nothing changed), SHOP_EDB.
 */
int	imports_start(struct shop_ctx *ctx, int64_t id);

/*
 * Drops a previewed or failed import: state cancelled, its file
 * removed. SHOP_ENOTFOUND, SHOP_ECONFLICT (previewing, importing or
 * over), SHOP_EDB.
 */
int	imports_cancel(struct shop_ctx *ctx, int64_t id);

/*
 * Runs one "catalog.import" job of ctx's shop with payload (the job's
 * JSON): reads the import's row, checks that its state wants this run
 * (a job run twice after a lease ran out finds the work done and does
 * nothing), runs catalog_import_run() on the file and records the
 * progress, the report and the new state. tick(arg) is called about
 * once a second while the file is read (the worker renews its lease
 * there); when it returns -1 the run stops (the worker is stopping)
 * and the row stays as it is for the next run. Returns 1 done (the
 * row records the outcome, a refused file included), 0 to retry later
 * (database failure, stopped; err says why), -1 never to retry (a
 * payload it cannot read, an import that is gone; err).
 */
int	imports_job_run(struct shop_ctx *ctx, struct str payload,
	    int (*tick)(void *arg), void *arg, char *err, size_t errlen);

#endif
