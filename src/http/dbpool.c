/* http/dbpool.c: a stack of idle read-only handles behind a mutex. The
 * mutex is held only to push or pop a pointer; opening and closing happen
 * outside it, so a slow open never holds up other requests. */
#include "http/dbpool.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct dbpool {
    pthread_mutex_t lock;
    char *backend;
    char *path;
    size_t max_idle;
    size_t nidle;
    struct store **idle;
};

struct dbpool *dbpool_new(const char *backend, const char *path, size_t max_idle)
{
    struct dbpool *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    pthread_mutex_init(&p->lock, NULL);
    p->max_idle = max_idle ? max_idle : 1;
    p->path = strdup(path);
    p->backend = backend ? strdup(backend) : NULL;
    p->idle = calloc(p->max_idle, sizeof(*p->idle));
    if (!p->path || (backend && !p->backend) || !p->idle) {
        dbpool_free(p);
        return NULL;
    }
    return p;
}

void dbpool_free(struct dbpool *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nidle; i++)
        (void)store_close(p->idle[i]);
    free(p->idle);
    free(p->path);
    free(p->backend);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

int dbpool_get(struct dbpool *p, struct store **out)
{
    struct store *st = NULL;
    pthread_mutex_lock(&p->lock);
    if (p->nidle > 0)
        st = p->idle[--p->nidle];
    pthread_mutex_unlock(&p->lock);
    if (st) {
        *out = st;
        return 0;
    }
    struct store_cfg cfg = {.backend = p->backend, .path = p->path, .readonly = 1};
    return store_open(out, &cfg);
}

void dbpool_put(struct dbpool *p, struct store *st, bool failed)
{
    if (!st)
        return;
    if (!failed) {
        pthread_mutex_lock(&p->lock);
        if (p->nidle < p->max_idle) {
            p->idle[p->nidle++] = st;
            st = NULL; /* the pool keeps it */
        }
        pthread_mutex_unlock(&p->lock);
    }
    (void)store_close(st);
}
