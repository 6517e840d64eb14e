/* http/guard.c: connection deadlines and the thread that enforces them.
 *
 * A fixed table of slots (the connection limit bounds it) with a free
 * list, behind one mutex held for a few instructions per event. The
 * thread holds the same mutex while it shuts sockets down, and
 * libmicrohttpd reports a closing connection (guard_close) before it
 * closes the socket, so a socket number is never shut down after it has
 * been handed to someone else. shutdown() rather than close(): the socket
 * stays libmicrohttpd's to close. */
#include "http/guard.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "util/clock.h"

#define GUARD_TICK_MS 500

struct guard_conn {
    int fd;
    uint64_t deadline_ms; /* UINT64_MAX: already shut down */
    struct guard_conn *next_free;
    bool used;
};

struct guard {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    bool stop;
    uint64_t limit_ms;
    atomic_uint_fast64_t *closed;
    struct guard_conn *slots;
    size_t nslots;
    struct guard_conn *free_list;
};

static void guard_sweep(struct guard *g, uint64_t now)
{
    for (size_t i = 0; i < g->nslots; i++) {
        struct guard_conn *c = &g->slots[i];
        if (!c->used || c->deadline_ms > now)
            continue;
        (void)shutdown(c->fd, SHUT_RDWR); /* ENOTCONN when the peer already left */
        c->deadline_ms = UINT64_MAX;
        atomic_fetch_add(g->closed, 1);
    }
}

static void *guard_main(void *arg)
{
    struct guard *g = arg;
    pthread_mutex_lock(&g->lock);
    while (!g->stop) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += GUARD_TICK_MS * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        (void)pthread_cond_timedwait(&g->wake, &g->lock, &ts);
        if (!g->stop)
            guard_sweep(g, clock_now_ms());
    }
    pthread_mutex_unlock(&g->lock);
    return NULL;
}

int guard_new(struct guard **out, size_t max_conns, unsigned limit_s, atomic_uint_fast64_t *closed)
{
    struct guard *g = calloc(1, sizeof(*g));
    if (!g)
        return -ENOMEM;
    g->slots = calloc(max_conns ? max_conns : 1, sizeof(*g->slots));
    if (!g->slots) {
        free(g);
        return -ENOMEM;
    }
    g->nslots = max_conns ? max_conns : 1;
    for (size_t i = g->nslots; i > 0; i--) {
        g->slots[i - 1].next_free = g->free_list;
        g->free_list = &g->slots[i - 1];
    }
    g->limit_ms = (uint64_t)limit_s * 1000u;
    g->closed = closed;
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->wake, NULL);
    int rc = pthread_create(&g->thread, NULL, guard_main, g);
    if (rc != 0) {
        pthread_cond_destroy(&g->wake);
        pthread_mutex_destroy(&g->lock);
        free(g->slots);
        free(g);
        return -rc;
    }
    *out = g;
    return 0;
}

void guard_free(struct guard *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->lock);
    g->stop = true;
    pthread_cond_signal(&g->wake);
    pthread_mutex_unlock(&g->lock);
    pthread_join(g->thread, NULL);
    pthread_cond_destroy(&g->wake);
    pthread_mutex_destroy(&g->lock);
    free(g->slots);
    free(g);
}

struct guard_conn *guard_open(struct guard *g, int fd)
{
    uint64_t deadline = clock_now_ms() + g->limit_ms;
    pthread_mutex_lock(&g->lock);
    struct guard_conn *c = g->free_list;
    if (c) {
        g->free_list = c->next_free;
        c->fd = fd;
        c->deadline_ms = deadline;
        c->used = true;
    }
    pthread_mutex_unlock(&g->lock);
    return c;
}

void guard_arm(struct guard *g, struct guard_conn *c)
{
    if (!c)
        return;
    uint64_t deadline = clock_now_ms() + g->limit_ms;
    pthread_mutex_lock(&g->lock);
    if (c->deadline_ms != UINT64_MAX)
        c->deadline_ms = deadline;
    pthread_mutex_unlock(&g->lock);
}

void guard_close(struct guard *g, struct guard_conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&g->lock);
    c->used = false;
    c->next_free = g->free_list;
    g->free_list = c;
    pthread_mutex_unlock(&g->lock);
}
