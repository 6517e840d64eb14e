/* util/pool.h: a bounded set of idle handles that threads take for their
 * exclusive use and give back, so that an expensive handle (a database
 * connection) is opened once and reused rather than opened per use.
 *
 * The pool does not know what a handle is: its owner's open and close
 * functions make and release them, and the pool keeps at most max_idle of
 * them between uses. A handle in use belongs to its taker alone; the pool
 * holds no count of those. Handles are void * because each owner keeps its
 * own type in them (http/dbpool.c store handles, store/appdb.c SQLite
 * connections); owners wrap the pool in typed functions, so the void *
 * stays inside them. Thread-safe. */
#ifndef OF_UTIL_POOL_H
#define OF_UTIL_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "util/compiler.h"

struct pool;

struct pool_ops {
    /* Makes a new handle: 0 with *out set, or a negative errno. Called
     * without the pool's lock held, possibly from several threads. */
    int (*open)(void *ctx, void **out);
    /* Releases a handle open made. Called without the pool's lock held. */
    void (*close)(void *ctx, void *handle);
};

/* ops and ctx are borrowed and must outlive the pool; ctx is passed to
 * them. A max_idle of 0 counts as 1. Nothing is opened yet. NULL on
 * allocation failure. */
struct pool *pool_new(const struct pool_ops *ops, void *ctx, size_t max_idle);

/* Closes the idle handles. Every handle must have been put back.
 * NULL-safe. */
void pool_free(struct pool *p);

/* A handle for the caller's exclusive use until pool_put: an idle one, or
 * else a new one from ops->open. 0 with *out set, or open's error (*out is
 * then untouched). */
OF_MUST_CHECK int pool_get(struct pool *p, void **out);

/* Gives a handle back. It is kept for the next pool_get unless failed is
 * set (the caller saw it fail, so it must not be reused) or max_idle are
 * kept already; then it is closed. NULL-safe. */
void pool_put(struct pool *p, void *handle, bool failed);

#endif
