/* http/dbpool.c: read-only store handles in a util/pool.h pool. The pool
 * keeps the idle handles and the lock; this file says how a handle is
 * opened (read-only, with the configured backend and path) and closed. */
#include "http/dbpool.h"

#include <stdlib.h>
#include <string.h>

#include "util/pool.h"

struct dbpool {
    struct pool *pool;
    char *backend;
    char *path;
};

static int dbpool_open(void *ctx, void **out)
{
    const struct dbpool *p = ctx;
    struct store_cfg cfg = {.backend = p->backend, .path = p->path, .readonly = 1};
    struct store *st = NULL;
    int rc = store_open(&st, &cfg);
    if (rc < 0)
        return rc;
    *out = st;
    return 0;
}

static void dbpool_close(void *ctx, void *handle)
{
    (void)ctx;
    (void)store_close(handle);
}

static const struct pool_ops dbpool_ops = {.open = dbpool_open, .close = dbpool_close};

struct dbpool *dbpool_new(const char *backend, const char *path, size_t max_idle)
{
    struct dbpool *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    p->path = strdup(path);
    p->backend = backend ? strdup(backend) : NULL;
    p->pool = pool_new(&dbpool_ops, p, max_idle);
    if (!p->path || (backend && !p->backend) || !p->pool) {
        dbpool_free(p);
        return NULL;
    }
    return p;
}

void dbpool_free(struct dbpool *p)
{
    if (!p)
        return;
    pool_free(p->pool);
    free(p->path);
    free(p->backend);
    free(p);
}

int dbpool_get(struct dbpool *p, struct store **out)
{
    void *handle = NULL;
    int rc = pool_get(p->pool, &handle);
    if (rc < 0)
        return rc;
    *out = handle;
    return 0;
}

void dbpool_put(struct dbpool *p, struct store *st, bool failed)
{
    pool_put(p->pool, st, failed);
}
