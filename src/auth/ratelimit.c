/* auth/ratelimit.c: a fixed array of slots, one per client address, each
 * with the times of its last RATELIMIT_FAILS failures in a ring. A login
 * costs far more (an Argon2 hash) than a linear scan of the slots, so the
 * table needs no index; the scan also finds the slot to reuse when the
 * address is new: a free one, else the one whose last failure is oldest. */
#include "auth/ratelimit.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct rl_slot {
    struct of_addr addr;
    int64_t fails[RATELIMIT_FAILS]; /* ring of failure times */
    unsigned n;                     /* failures in the ring, up to RATELIMIT_FAILS */
    unsigned next;                  /* where the next one goes */
    int64_t last;                   /* the latest failure */
    bool used;
};

struct ratelimit {
    pthread_mutex_t lock;
    struct rl_slot *slots;
    size_t max;
};

struct ratelimit *ratelimit_new(size_t max_clients)
{
    struct ratelimit *rl = calloc(1, sizeof(*rl));
    if (!rl)
        return NULL;
    rl->max = max_clients ? max_clients : 1;
    rl->slots = calloc(rl->max, sizeof(*rl->slots));
    if (!rl->slots) {
        free(rl);
        return NULL;
    }
    pthread_mutex_init(&rl->lock, NULL);
    return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
    if (!rl)
        return;
    pthread_mutex_destroy(&rl->lock);
    free(rl->slots);
    free(rl);
}

/* The key of a client: the address, an IPv6 one cut to its /64. */
static struct of_addr rl_key(const struct of_addr *client)
{
    struct of_addr k = *client;
    addr_unmap(&k);
    if (k.af == ADDR_V6)
        addr_mask(&k, 64);
    return k;
}

/* The client's slot, or the slot to take for it (*found false): a free
 * one, else the one used longest ago. There is always one (max >= 1). */
static struct rl_slot *rl_find(struct ratelimit *rl, const struct of_addr *key, bool *found)
{
    struct rl_slot *victim = &rl->slots[0];
    for (size_t i = 0; i < rl->max; i++) {
        struct rl_slot *s = &rl->slots[i];
        if (s->used && addr_equal(&s->addr, key)) {
            *found = true;
            return s;
        }
        if (victim->used && (!s->used || s->last < victim->last))
            victim = s;
    }
    *found = false;
    return victim;
}

unsigned ratelimit_attempt(struct ratelimit *rl, const struct of_addr *client, int64_t now)
{
    struct of_addr key = rl_key(client);
    unsigned wait = 0;
    bool found = false;
    pthread_mutex_lock(&rl->lock);
    struct rl_slot *s = rl_find(rl, &key, &found);
    if (!found) {
        memset(s, 0, sizeof(*s));
        s->addr = key;
        s->used = true;
    }
    if (s->n == RATELIMIT_FAILS) {
        /* the ring is full: next points at the oldest of the five */
        int64_t until = s->fails[s->next] + RATELIMIT_WINDOW_S;
        if (until > now)
            wait = (unsigned)(until - now);
    }
    if (wait == 0) {
        s->fails[s->next] = now;
        s->next = (s->next + 1) % RATELIMIT_FAILS;
        if (s->n < RATELIMIT_FAILS)
            s->n++;
        s->last = now;
    }
    pthread_mutex_unlock(&rl->lock);
    return wait;
}

void ratelimit_success(struct ratelimit *rl, const struct of_addr *client)
{
    struct of_addr key = rl_key(client);
    bool found = false;
    pthread_mutex_lock(&rl->lock);
    struct rl_slot *s = rl_find(rl, &key, &found);
    if (found)
        memset(s, 0, sizeof(*s));
    pthread_mutex_unlock(&rl->lock);
}

size_t ratelimit_count(struct ratelimit *rl)
{
    size_t n = 0;
    pthread_mutex_lock(&rl->lock);
    for (size_t i = 0; i < rl->max; i++)
        n += rl->slots[i].used;
    pthread_mutex_unlock(&rl->lock);
    return n;
}
