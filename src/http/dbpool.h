/* http/dbpool.h: read-only store handles for the HTTP threads.
 *
 * A store handle (an SQLite connection with its prepared statements) must
 * not be used by two threads at once, and opening one per request would
 * cost more than most requests. The pool hands each request a handle of
 * its own, opened read-only on first need and kept for the next request;
 * at most max_idle handles are kept (one per HTTP thread is enough, since
 * a thread serves one request at a time). Thread-safe. */
#ifndef OF_HTTP_DBPOOL_H
#define OF_HTTP_DBPOOL_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"
#include "util/compiler.h"

struct dbpool;

/* backend may be NULL (the default); path is copied. NULL on allocation
 * failure. Nothing is opened yet. */
struct dbpool *dbpool_new(const char *backend, const char *path, size_t max_idle);

/* Closes every idle handle. All handles must have been put back. NULL-safe. */
void dbpool_free(struct dbpool *p);

/* A handle for the calling thread's exclusive use until dbpool_put: an
 * idle one, or a new one. 0, or the error of store_open. */
OF_MUST_CHECK int dbpool_get(struct dbpool *p, struct store **out);

/* Gives a handle back. With failed set (the request saw a store error) the
 * handle is closed rather than kept, so a broken connection is not reused.
 * NULL-safe. */
void dbpool_put(struct dbpool *p, struct store *st, bool failed);

#endif
