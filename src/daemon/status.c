/* daemon/status.c: building, merging and publishing status snapshots.
 *
 * The arrays grow by doubling; their size is bounded by what the daemon
 * holds (MAX_EXPORTERS per worker, a few sockets per worker), not by what
 * arrives. Exporters are merged after a sort rather than by searching on
 * every add, so a snapshot of thousands of exporters over several workers
 * stays O(n log n). */
#include "daemon/status.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct status_board {
    pthread_mutex_t lock;
    struct status *cur;
};

struct status *status_new(void)
{
    struct status *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    atomic_init(&s->refs, 1);
    return s;
}

void status_put(struct status *s)
{
    if (!s || atomic_fetch_sub(&s->refs, 1) != 1)
        return;
    free(s->listeners);
    free(s->exporters);
    free(s);
}

/* Makes room for one more element of an array of *cap elements. */
static int grow(void **arr, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p = realloc(*arr, ncap * elem);
    if (!p)
        return -ENOMEM;
    *arr = p;
    *cap = ncap;
    return 0;
}

int status_add_listener(struct status *s, const struct of_addr *addr, uint16_t port,
                        const char *protocol, uint64_t kernel_drops, uint64_t truncated)
{
    for (size_t i = 0; i < s->nlisteners; i++) {
        struct status_listener *l = &s->listeners[i];
        if (l->port == port && addr_equal(&l->addr, addr)) {
            l->kernel_drops += kernel_drops;
            l->truncated += truncated;
            return 0;
        }
    }
    if (grow((void **)&s->listeners, s->nlisteners, &s->listeners_cap, sizeof(*s->listeners)) < 0)
        return -ENOMEM;
    s->listeners[s->nlisteners++] = (struct status_listener){
        .addr = *addr,
        .port = port,
        .protocol = protocol,
        .kernel_drops = kernel_drops,
        .truncated = truncated,
    };
    return 0;
}

int status_add_exporter(struct status *s, const struct exporter *e)
{
    if (grow((void **)&s->exporters, s->nexporters, &s->exporters_cap, sizeof(*s->exporters)) < 0)
        return -ENOMEM;
    s->exporters[s->nexporters++] = (struct status_exporter){
        .addr = e->addr,
        .rate = e->rate,
        .first_ms = e->first_ms,
        .last_ms = e->last_ms,
        .st = e->st,
    };
    return 0;
}

void status_add_acct(struct status *s, const struct agg_stats *a)
{
    s->acct.records += a->records;
    s->acct.transit += a->transit;
    s->acct.clock_off += a->clock_off;
    s->acct.span_clamped += a->span_clamped;
    s->acct.dropped_full += a->dropped_full;
    s->acct.absurd += a->absurd;
}

static int addr_cmp(const struct of_addr *a, const struct of_addr *b)
{
    if (a->af != b->af)
        return a->af < b->af ? -1 : 1;
    return memcmp(a->b, b->b, sizeof(a->b));
}

static int exporter_cmp(const void *x, const void *y)
{
    const struct status_exporter *a = x, *b = y;
    return addr_cmp(&a->addr, &b->addr);
}

static void merge_stats(struct exporter_stats *into, const struct exporter_stats *from)
{
    for (size_t p = 0; p < FLOW_PROTO__COUNT; p++) {
        into->packets[p] += from->packets[p];
        into->bytes[p] += from->bytes[p];
        into->records[p] += from->records[p];
    }
    for (size_t i = 0; i < DEC__COUNT; i++)
        into->dec_err[i] += from->dec_err[i];
    into->sampler_limit += from->sampler_limit;
    into->sflow_counter_samples += from->sflow_counter_samples;
}

static void merge_exporter(struct status_exporter *into, const struct status_exporter *from)
{
    merge_stats(&into->st, &from->st);
    if (from->last_ms >= into->last_ms && from->rate)
        into->rate = from->rate;
    if (from->first_ms && (!into->first_ms || from->first_ms < into->first_ms))
        into->first_ms = from->first_ms;
    if (from->last_ms > into->last_ms)
        into->last_ms = from->last_ms;
}

void status_finish(struct status *s)
{
    if (s->nexporters < 2)
        return;
    qsort(s->exporters, s->nexporters, sizeof(*s->exporters), exporter_cmp);
    size_t out = 0;
    for (size_t i = 1; i < s->nexporters; i++) {
        if (addr_equal(&s->exporters[out].addr, &s->exporters[i].addr))
            merge_exporter(&s->exporters[out], &s->exporters[i]);
        else
            s->exporters[++out] = s->exporters[i];
    }
    s->nexporters = out + 1;
}

struct status_board *status_board_new(void)
{
    struct status_board *b = calloc(1, sizeof(*b));
    if (!b)
        return NULL;
    pthread_mutex_init(&b->lock, NULL);
    return b;
}

void status_board_free(struct status_board *b)
{
    if (!b)
        return;
    status_put(b->cur);
    pthread_mutex_destroy(&b->lock);
    free(b);
}

void status_board_publish(struct status_board *b, struct status *s)
{
    pthread_mutex_lock(&b->lock);
    struct status *old = b->cur;
    b->cur = s;
    pthread_mutex_unlock(&b->lock);
    status_put(old); /* outside the lock: freeing may take a moment */
}

struct status *status_board_get(struct status_board *b)
{
    pthread_mutex_lock(&b->lock);
    struct status *s = b->cur;
    if (s)
        atomic_fetch_add(&s->refs, 1);
    pthread_mutex_unlock(&b->lock);
    return s;
}
