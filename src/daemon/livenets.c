/* daemon/livenets.c: versions of the networks table with reference
 * counts. Taking a reference and publishing happen under one mutex, so a
 * version's count can reach zero only once it is no longer current, and
 * nobody can take a reference to it after that. The current pointer is
 * also atomic, so that readers that already hold a version can see
 * whether it is still current without the mutex. A reader holding version
 * A keeps A's memory alive, so the current pointer cannot be a new
 * version at A's old address while it compares. */
#include "daemon/livenets.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct netsref {
    struct nets *nets;
    atomic_uint refs;
};

struct livenets {
    pthread_mutex_t lock;
    struct netsref *_Atomic cur; /* holds one reference */
};

static struct netsref *ref_new(struct nets *n)
{
    struct netsref *r = malloc(sizeof(*r));
    if (!r)
        return NULL;
    r->nets = n;
    atomic_init(&r->refs, 1);
    return r;
}

struct livenets *livenets_new(struct nets *first)
{
    struct livenets *l = calloc(1, sizeof(*l));
    struct netsref *r = ref_new(first);
    if (!l || !r) {
        free(l);
        free(r);
        nets_free(first);
        return NULL;
    }
    pthread_mutex_init(&l->lock, NULL);
    atomic_init(&l->cur, r);
    return l;
}

void livenets_free(struct livenets *l)
{
    if (!l)
        return;
    netsref_put(atomic_load(&l->cur));
    pthread_mutex_destroy(&l->lock);
    free(l);
}

void netsref_put(struct netsref *r)
{
    if (!r)
        return;
    if (atomic_fetch_sub(&r->refs, 1) == 1) {
        nets_free(r->nets);
        free(r);
    }
}

const struct nets *netsref_nets(const struct netsref *r)
{
    return r->nets;
}

struct netsref *livenets_get(struct livenets *l)
{
    pthread_mutex_lock(&l->lock);
    struct netsref *r = atomic_load(&l->cur);
    atomic_fetch_add(&r->refs, 1);
    pthread_mutex_unlock(&l->lock);
    return r;
}

int livenets_publish(struct livenets *l, struct nets *n)
{
    struct netsref *r = ref_new(n);
    if (!r) {
        nets_free(n);
        return -ENOMEM;
    }
    pthread_mutex_lock(&l->lock);
    struct netsref *old = atomic_exchange(&l->cur, r);
    pthread_mutex_unlock(&l->lock);
    netsref_put(old);
    return 0;
}

const struct nets *livenets_refresh(struct livenets *l, struct netsref **held)
{
    if (*held != atomic_load_explicit(&l->cur, memory_order_acquire)) {
        netsref_put(*held);
        *held = livenets_get(l);
    }
    return (*held)->nets;
}
