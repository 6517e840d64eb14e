/* http/ep_common.c: what every endpoint needs around the store: a handle
 * from the pool, and the same answer for the same store failure. A busy
 * store (a long write holding the lock past the busy timeout) is a 503,
 * which tells clients to come back rather than that something broke. */
#include "http/endpoints.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "util/clock.h"
#include "util/log.h"

void ep_store_get(struct http_ctx *ctx, struct http_reply *r, struct store **st)
{
    *st = NULL;
    int rc = dbpool_get(ctx->db, st);
    if (rc < 0) {
        static struct log_limit limit;
        static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
        pthread_mutex_lock(&lock);
        bool say = log_every(&limit, 60);
        pthread_mutex_unlock(&lock);
        if (say)
            log_msg(LOG_WARN, "http: cannot open the store %s: %s", ctx->cfg->db_path,
                    strerror(-rc));
        *st = NULL;
        reply_error(r, 503, "store unavailable");
    }
}

void ep_store_put(struct http_ctx *ctx, struct store *st, int rc)
{
    dbpool_put(ctx->db, st, rc < 0 && rc != -EINVAL);
}

void ep_store_error(struct http_reply *r, int rc)
{
    if (rc == -EBUSY || rc == -EAGAIN)
        reply_error(r, 503, "store busy, try again");
    else if (rc == -EINVAL)
        reply_error(r, 400, "request out of range");
    else
        reply_error(r, 500, "store error");
}

json_t *ep_json_u64(uint64_t v)
{
    return json_integer(v > (uint64_t)INT64_MAX ? (json_int_t)INT64_MAX : (json_int_t)v);
}

const char *ep_netdesc(const struct http_ctx *ctx, const struct of_addr *addr)
{
    long i = nets_lookup(ctx->cfg->nets, addr);
    if (i < 0)
        return NULL;
    const char *d = nets_desc(ctx->cfg->nets, (size_t)i);
    return d && d[0] ? d : NULL;
}

uint32_t ep_exporter_rate(const struct http_ctx *ctx, const struct status_exporter *e)
{
    const struct agg_cfg *a = &ctx->cfg->agg;
    bool only_sflow = true;
    for (size_t p = 0; p < FLOW_PROTO__COUNT; p++)
        if (p != FLOW_PROTO_SFLOW && e->st.packets[p])
            only_sflow = false;
    if (e->rate && (only_sflow || !a->force_rate))
        return e->rate;
    return a->default_rate;
}

uint64_t ep_uptime(const struct http_ctx *ctx, const struct status *s)
{
    uint64_t now = clock_now_ms();
    uint64_t start = s ? s->started_ms : ctx->started_ms;
    return now > start ? (now - start) / 1000u : 0;
}
