/* decode/exporter.c: the exporter table.
 *
 * Exporters are few (tens to thousands) and looked up once per datagram, so
 * an open-addressing index over a table sized twice the cap is enough. The
 * exporters themselves are allocated one by one so that pointers handed out
 * stay valid while the table grows. */
#include "decode/exporter.h"

#include <errno.h>
#include <stdlib.h>

struct exporter_tab {
    struct hash_key key;
    size_t max;
    size_t n;
    size_t slots;    /* power of two, >= 2 * max */
    uint32_t *index; /* slot -> exporter number + 1; 0 = empty */
    struct exporter **all;
    uint64_t refused;
};

static const char *const proto_names[FLOW_PROTO__COUNT] = {
    [FLOW_PROTO_NF5] = "netflow5",
    [FLOW_PROTO_NF9] = "netflow9",
    [FLOW_PROTO_IPFIX] = "ipfix",
    [FLOW_PROTO_SFLOW] = "sflow",
};

const char *flow_proto_name(enum flow_proto p)
{
    if ((unsigned)p >= FLOW_PROTO__COUNT)
        return "unknown";
    return proto_names[p];
}

struct exporter_tab *exporter_tab_new(size_t max_exporters, const struct hash_key *key)
{
    if (max_exporters == 0 || max_exporters > (1u << 24))
        return NULL;
    struct exporter_tab *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->key = *key;
    t->max = max_exporters;
    t->slots = 16;
    while (t->slots < 2 * max_exporters)
        t->slots *= 2;
    t->index = calloc(t->slots, sizeof(*t->index));
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): elements are pointers */
    t->all = calloc(max_exporters, sizeof(*t->all));
    if (!t->index || !t->all) {
        exporter_tab_free(t);
        return NULL;
    }
    return t;
}

void exporter_tab_free(struct exporter_tab *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->all[i]);
    free(t->all);
    free(t->index);
    free(t);
}

struct exporter *exporter_get(struct exporter_tab *t, const struct of_addr *addr)
{
    size_t mask = t->slots - 1;
    size_t i = (size_t)hash_siphash13(&t->key, addr, sizeof(*addr)) & mask;
    for (;; i = (i + 1) & mask) {
        uint32_t v = t->index[i];
        if (v == 0)
            break;
        if (addr_equal(&t->all[v - 1]->addr, addr))
            return t->all[v - 1];
    }
    if (t->n >= t->max) {
        t->refused++;
        return NULL;
    }
    struct exporter *e = calloc(1, sizeof(*e));
    if (!e) {
        t->refused++;
        return NULL;
    }
    e->addr = *addr;
    t->all[t->n++] = e;
    t->index[i] = (uint32_t)t->n;
    return e;
}

size_t exporter_tab_count(const struct exporter_tab *t)
{
    return t->n;
}

struct exporter *exporter_tab_at(struct exporter_tab *t, size_t i)
{
    return i < t->n ? t->all[i] : NULL;
}

uint64_t exporter_tab_refused(const struct exporter_tab *t)
{
    return t->refused;
}

int exporter_set_rate(struct exporter *e, uint32_t domain, uint32_t sampler, uint32_t rate)
{
    if (rate == 0)
        return -EINVAL;
    e->rate = rate;
    for (size_t i = 0; i < e->nsamplers; i++) {
        struct exporter_sampler *s = &e->samplers[i];
        if (s->domain == domain && s->sampler == sampler) {
            s->rate = rate;
            return 0;
        }
    }
    if (e->nsamplers >= EXPORTER_MAX_SAMPLERS) {
        e->st.sampler_limit++;
        return -ENOSPC;
    }
    e->samplers[e->nsamplers++] = (struct exporter_sampler){domain, sampler, rate};
    return 0;
}

uint32_t exporter_rate(const struct exporter *e, uint32_t domain, uint32_t sampler)
{
    uint32_t any = 0, only = 0;
    size_t in_domain = 0;
    for (size_t i = 0; i < e->nsamplers; i++) {
        const struct exporter_sampler *s = &e->samplers[i];
        if (s->domain != domain)
            continue;
        if (s->sampler == sampler)
            return s->rate;
        if (s->sampler == EXPORTER_ANY_SAMPLER)
            any = s->rate;
        in_domain++;
        only = s->rate;
    }
    if (any)
        return any;
    /* A record without a sampler id in a domain with exactly one sampler:
     * that sampler is the only one that can have selected it. */
    if (sampler == EXPORTER_ANY_SAMPLER && in_domain == 1)
        return only;
    return 0;
}
