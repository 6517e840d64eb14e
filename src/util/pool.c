/* util/pool.c: a stack of idle handles behind a mutex. The mutex is held
 * only to push or pop a pointer; handles are opened and closed outside
 * it, so a slow open (a database file on a busy disk) never holds up the
 * threads that only want an idle handle back. The stack's array is sized
 * once, at max_idle, so putting a handle back never allocates. */
#include "util/pool.h"

#include <pthread.h>
#include <stdlib.h>

struct pool {
    pthread_mutex_t lock;
    const struct pool_ops *ops;
    void *ctx;
    size_t max_idle;
    size_t nidle;
    void **idle;
};

struct pool *pool_new(const struct pool_ops *ops, void *ctx, size_t max_idle)
{
    struct pool *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    p->ops = ops;
    p->ctx = ctx;
    p->max_idle = max_idle ? max_idle : 1;
    p->idle = calloc(p->max_idle, sizeof(*p->idle));
    if (!p->idle || pthread_mutex_init(&p->lock, NULL) != 0) {
        free(p->idle);
        free(p);
        return NULL;
    }
    return p;
}

void pool_free(struct pool *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nidle; i++)
        p->ops->close(p->ctx, p->idle[i]);
    free(p->idle);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

int pool_get(struct pool *p, void **out)
{
    void *h = NULL;
    pthread_mutex_lock(&p->lock);
    if (p->nidle > 0)
        h = p->idle[--p->nidle];
    pthread_mutex_unlock(&p->lock);
    if (!h) {
        int rc = p->ops->open(p->ctx, &h);
        if (rc < 0)
            return rc;
    }
    *out = h;
    return 0;
}

void pool_put(struct pool *p, void *handle, bool failed)
{
    if (!handle)
        return;
    if (!failed) {
        pthread_mutex_lock(&p->lock);
        if (p->nidle < p->max_idle) {
            p->idle[p->nidle++] = handle;
            handle = NULL; /* the pool keeps it */
        }
        pthread_mutex_unlock(&p->lock);
    }
    if (handle)
        p->ops->close(p->ctx, handle);
}
