/* daemon/ingest.c: datagram -> exporter -> decoder -> agg. */
#include "daemon/ingest.h"

#include <pthread.h>
#include <stdlib.h>

#include "decode/dispatch.h"
#include "decode/templates.h"
#include "util/log.h"

struct ingest {
    const struct of_config *cfg;
    const struct nets *nets; /* the local networks in use: cfg's, or the latest published */
    pthread_mutex_t lock;
    struct exporter_tab *exporters;
    struct tpl_cache *tpls;
    struct flow_rec *recs;
    struct agg *agg;
    struct agg_stats st;
    struct log_limit log_refused;
    struct log_limit log_full;
    struct log_limit log_tpl_full;
};

struct ingest *ingest_new(const struct of_config *cfg, struct agg_budget *budget,
                          const struct hash_key *key)
{
    struct ingest *in = calloc(1, sizeof(*in));
    if (!in)
        return NULL;
    in->cfg = cfg;
    in->nets = cfg->nets;
    pthread_mutex_init(&in->lock, NULL);
    in->exporters = exporter_tab_new(cfg->max_exporters, key);
    in->tpls = tpl_cache_new(cfg->max_templates, key);
    in->recs = calloc(INGEST_MAX_RECORDS, sizeof(*in->recs));
    in->agg = agg_new(&cfg->agg, budget, key);
    if (!in->exporters || !in->tpls || !in->recs || !in->agg) {
        ingest_free(in);
        return NULL;
    }
    return in;
}

void ingest_free(struct ingest *in)
{
    if (!in)
        return;
    exporter_tab_free(in->exporters);
    tpl_cache_free(in->tpls);
    free(in->recs);
    agg_free(in->agg);
    pthread_mutex_destroy(&in->lock);
    free(in);
}

void ingest_lock(struct ingest *in)
{
    pthread_mutex_lock(&in->lock);
}

void ingest_unlock(struct ingest *in)
{
    pthread_mutex_unlock(&in->lock);
}

/* A limit that loses data is counted where it is reached; these also say
 * so in the log at once, at most once a minute per worker and limit. */
static void warn_counters_full(struct ingest *in)
{
    if (log_every(&in->log_full, 60))
        log_msg(LOG_WARN,
                "counters full (COUNTERS_MEMORY=%zu bytes in all, MAX_ROWS=%zu per table): "
                "host updates are being dropped (%llu so far); the store is not keeping up, "
                "or the memory allowed is too small",
                in->cfg->counters_memory, in->cfg->agg.max_entries,
                (unsigned long long)in->st.dropped_full);
}

static void warn_templates_full(struct ingest *in, const struct exporter *e)
{
    if (log_every(&in->log_tpl_full, 60)) {
        char a[ADDR_STRLEN];
        log_msg(LOG_WARN,
                "template cache full for %s (MAX_TEMPLATES=%zu per exporter, %u per worker): "
                "its new templates are refused and the records that need them dropped",
                addr_format(&e->addr, a, sizeof(a)), in->cfg->max_templates, TPL_MAX_TOTAL);
    }
}

void ingest_datagram(struct ingest *in, const struct of_addr *from, const uint8_t *p, size_t len,
                     uint64_t arrival_ms)
{
    struct exporter *e = exporter_get(in->exporters, from);
    if (!e) {
        if (log_every(&in->log_refused, 60)) {
            char a[ADDR_STRLEN];
            log_msg(LOG_WARN, "exporter table full (MAX_EXPORTERS=%zu): dropping datagrams from %s",
                    in->cfg->max_exporters, addr_format(from, a, sizeof(a)));
        }
        return;
    }
    struct flow_batch batch = {in->recs, 0, INGEST_MAX_RECORDS};
    struct dec_ctx ctx = {e, in->tpls, &batch, arrival_ms};
    uint64_t tpl_refused = e->st.dec_err[DEC_TPL_LIMIT];
    uint64_t dropped = in->st.dropped_full;
    (void)dispatch_datagram(&ctx, p, len);
    enum flow_proto proto;
    bool sflow = dispatch_detect(p, len, &proto) == DEC_OK && proto == FLOW_PROTO_SFLOW;
    agg_add_batch(in->agg, in->nets, in->cfg->cls, batch.recs, batch.n, arrival_ms, sflow, &in->st);
    if (OF_UNLIKELY(e->st.dec_err[DEC_TPL_LIMIT] != tpl_refused))
        warn_templates_full(in, e);
    if (OF_UNLIKELY(in->st.dropped_full != dropped))
        warn_counters_full(in);
}

void ingest_use_nets(struct ingest *in, const struct nets *nets)
{
    in->nets = nets;
}

bool ingest_needs_flush(const struct ingest *in)
{
    return agg_needs_flush(in->agg);
}

struct agg *ingest_swap_agg(struct ingest *in, struct agg *fresh)
{
    struct agg *old = in->agg;
    in->agg = fresh;
    return old;
}

struct agg *ingest_agg(struct ingest *in)
{
    return in->agg;
}

const struct agg_stats *ingest_agg_stats(const struct ingest *in)
{
    return &in->st;
}

struct exporter_tab *ingest_exporters(struct ingest *in)
{
    return in->exporters;
}
