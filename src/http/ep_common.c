/* http/ep_common.c: what every endpoint needs around the store: a handle
 * from the pool, and the same answer for the same store failure. A busy
 * store (a long write holding the lock past the busy timeout) is a 503,
 * which tells clients to come back rather than that something broke. */
#include "http/ep_common.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "daemon/networks.h"
#include "daemon/status.h"
#include "http/context.h"
#include "http/dbpool.h"
#include "http/endpoint.h"
#include "http/reply.h"
#include "store/appdb.h"
#include "util/clock.h"
#include "util/log.h"

/* The 503 for a store that cannot be opened, logged at most once a
 * minute: the data's pool and the dashboard's tables say the same about
 * the same file, so they share the one limit. */
static void store_unavailable(const struct http_ctx *ctx, struct http_reply *r, int rc)
{
    static struct log_limit limit;
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&lock);
    bool say = log_every(&limit, 60);
    pthread_mutex_unlock(&lock);
    if (say)
        log_msg(LOG_WARN, "http: cannot open the store %s: %s", ctx->cfg->db_path, strerror(-rc));
    reply_refuse(r, 503, "store unavailable", NULL);
}

void ep_store_get(struct http_ctx *ctx, struct http_reply *r, struct store **st)
{
    *st = NULL;
    int rc = dbpool_get(ctx->db, st);
    if (rc < 0) {
        *st = NULL;
        store_unavailable(ctx, r, rc);
    }
}

void ep_store_put(struct http_ctx *ctx, struct store *st, int rc)
{
    dbpool_put(ctx->db, st, rc < 0 && rc != -EINVAL);
}

void ep_store_error(struct http_reply *r, int rc)
{
    if (rc == -EBUSY || rc == -EAGAIN)
        reply_refuse(r, 503, "store busy, try again", NULL);
    else if (rc == -EINVAL)
        reply_refuse(r, 400, "request out of range", NULL);
    else
        reply_refuse(r, 500, "store error", NULL);
}

bool ep_client_allowed(struct http_ctx *ctx, const struct http_call *call)
{
    pthread_rwlock_rdlock(&ctx->allow_lock);
    bool ok = ctx->allow.n == 0 || (call->client.af != 0 && allow_addr(&ctx->allow, &call->client));
    pthread_rwlock_unlock(&ctx->allow_lock);
    return ok;
}

json_t *ep_json_u64(uint64_t v)
{
    return json_integer(v > (uint64_t)INT64_MAX ? (json_int_t)INT64_MAX : (json_int_t)v);
}

void ep_nets_hold(const struct http_ctx *ctx, struct ep_nets *n)
{
    n->ref = ctx->networks ? livenets_get(networks_live(ctx->networks)) : NULL;
    n->nets = n->ref ? netsref_nets(n->ref) : ctx->cfg->nets;
}

void ep_nets_release(struct ep_nets *n)
{
    netsref_put(n->ref);
    n->ref = NULL;
    n->nets = NULL;
}

const char *ep_netdesc(const struct ep_nets *n, const struct of_addr *addr)
{
    long i = nets_lookup(n->nets, addr);
    if (i < 0)
        return NULL;
    const char *d = nets_desc(n->nets, (size_t)i);
    return d && d[0] ? d : NULL;
}

void ep_app_get(struct http_ctx *ctx, struct http_reply *r, struct sqlite3 **db)
{
    *db = NULL;
    int rc = ctx->app ? appdb_get(ctx->app, db) : -ENOENT;
    if (rc < 0) {
        *db = NULL;
        store_unavailable(ctx, r, rc);
    }
}

void ep_app_put(struct http_ctx *ctx, struct sqlite3 *db, int rc)
{
    /* Answers such as "no such user" are not failures of the connection. */
    bool failed =
        rc < 0 && rc != -ENOENT && rc != -EEXIST && rc != -EINVAL && rc != -ENOSPC && rc != -EACCES;
    appdb_put(ctx->app, db, failed);
}

void ep_app_error(struct http_reply *r, int rc)
{
    if (rc == -EBUSY || rc == -EAGAIN)
        reply_refuse(r, 503, "store busy, try again", NULL);
    else
        reply_refuse(r, 500, "store error", NULL);
}

int ep_json(struct http_reply *r, unsigned status, const json_t *j)
{
    int rc = reply_json(r, j);
    if (rc == 0)
        r->status = status;
    return rc;
}

void ep_no_content(struct http_reply *r)
{
    reply_fini(r);
    r->status = 204;
    r->type = REPLY_TEXT;
    r->no_store = true;
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

int ep_with_app(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r,
                ep_app_fn fn)
{
    struct sqlite3 *db = NULL;
    ep_app_get(ctx, r, &db);
    if (!db)
        return 0;
    int rc = fn(db, call, r);
    ep_app_put(ctx, db, rc);
    if (rc < 0 && rc != -ENOMEM) {
        ep_app_error(r, rc);
        rc = 0;
    }
    return rc;
}
