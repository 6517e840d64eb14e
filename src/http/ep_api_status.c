/* http/ep_api_status.c: /api/v1/status, what the collector is doing: its
 * listening sockets with the kernel's drop counts, every exporter with its
 * sampling rate, traffic per protocol and rejects by reason, the
 * accounting counters, the store, and the HTTP server's own counters.
 *
 * The collector's part comes from the latest snapshot the daemon
 * published (at most about a second old, see daemon/status.h); without a
 * collector, exporters is empty and accounting null. Times are UNIX
 * seconds. The store's part says what the store holds and what retention
 * keeps and deleted (with the options as a reload left them). */
#include "http/endpoint.h"

#include <errno.h>
#include <string.h>

#include "daemon/status.h"
#include "http/context.h"
#include "http/dbpool.h"
#include "http/ep_common.h"
#include "http/reply.h"
#include "util/clock.h"
#include "util/paths.h"

static json_t *listener_json(const struct of_addr *a, uint16_t port, const char *proto,
                             const struct status_listener *l)
{
    char ip[ADDR_STRLEN];
    addr_format(a, ip, sizeof(ip));
    json_t *j = json_pack("{s:s,s:i,s:s}", "addr", ip, "port", (int)port, "protocol", proto);
    if (j && l) {
        json_object_set_new(j, "kernel_drops", ep_json_u64(l->kernel_drops));
        json_object_set_new(j, "truncated", ep_json_u64(l->truncated));
    }
    return j;
}

static json_t *listeners_json(const struct http_ctx *ctx, const struct status *s)
{
    json_t *arr = json_array();
    for (size_t i = 0; s && arr && i < s->nlisteners; i++) {
        const struct status_listener *l = &s->listeners[i];
        if (json_array_append_new(arr, listener_json(&l->addr, l->port, l->protocol, l)) < 0)
            goto fail;
    }
    for (size_t i = 0; arr && i < ctx->nlisteners; i++) {
        const struct http_listener *h = &ctx->listeners[i];
        if (json_array_append_new(arr, listener_json(&h->addr, h->port, "http", NULL)) < 0)
            goto fail;
    }
    return arr;
fail:
    json_decref(arr);
    return NULL;
}

static json_t *protocols_json(const struct exporter_stats *st)
{
    json_t *o = json_object();
    for (size_t p = 0; o && p < FLOW_PROTO__COUNT; p++) {
        if (!st->packets[p])
            continue;
        json_t *v = json_pack("{s:o,s:o,s:o}", "packets", ep_json_u64(st->packets[p]), "records",
                              ep_json_u64(st->records[p]), "bytes", ep_json_u64(st->bytes[p]));
        if (json_object_set_new(o, flow_proto_name((enum flow_proto)p), v) < 0)
            goto fail;
    }
    return o;
fail:
    json_decref(o);
    return NULL;
}

static json_t *errors_json(const struct exporter_stats *st)
{
    json_t *o = json_object();
    for (size_t i = 1; o && i < DEC__COUNT; i++) {
        if (!st->dec_err[i])
            continue;
        if (json_object_set_new(o, dec_status_name((enum dec_status)i),
                                ep_json_u64(st->dec_err[i])) < 0)
            goto fail;
    }
    return o;
fail:
    json_decref(o);
    return NULL;
}

static json_t *exporter_json(const struct http_ctx *ctx, const struct status_exporter *e)
{
    char ip[ADDR_STRLEN];
    addr_format(&e->addr, ip, sizeof(ip));
    return json_pack("{s:s,s:I,s:I,s:o,s:o,s:o,s:I,s:I}", "addr", ip, "sampling_rate",
                     (json_int_t)ep_exporter_rate(ctx, e), "signalled_rate", (json_int_t)e->rate,
                     "protocols", protocols_json(&e->st), "errors", errors_json(&e->st),
                     "sampler_limit", ep_json_u64(e->st.sampler_limit), "first_seen",
                     (json_int_t)(e->first_ms / 1000u), "last_seen",
                     (json_int_t)(e->last_ms / 1000u));
}

static json_t *collector_json(const struct http_ctx *ctx, const struct status *s)
{
    json_t *ex = json_array();
    for (size_t i = 0; ex && i < s->nexporters; i++) {
        if (json_array_append_new(ex, exporter_json(ctx, &s->exporters[i])) < 0) {
            json_decref(ex);
            return NULL;
        }
    }
    const struct agg_stats *a = &s->acct;
    return json_pack("{s:I,s:i,s:i,s:o,s:o,s:{s:o,s:o,s:o,s:o,s:o,s:o},s:o,s:o}", "snapshot_time",
                     (json_int_t)(s->taken_ms / 1000u), "workers", (int)s->workers,
                     "default_sampling_rate", (int)s->default_rate, "exporters", ex,
                     "exporters_refused", ep_json_u64(s->exporters_refused), "accounting",
                     "records", ep_json_u64(a->records), "transit", ep_json_u64(a->transit),
                     "clock_off", ep_json_u64(a->clock_off), "span_clamped",
                     ep_json_u64(a->span_clamped), "dropped_full", ep_json_u64(a->dropped_full),
                     "absurd", ep_json_u64(a->absurd), "rows_written", ep_json_u64(s->rows_written),
                     "flush_errors", ep_json_u64(s->flush_errors));
}

/* The retention options and what was deleted: from the collector's
 * snapshot, else the options as configured. */
static void retention_json(json_t *j, const struct http_ctx *ctx, const struct status *s)
{
    const struct retention_cfg *cfg = s ? &s->retention.cfg : &ctx->cfg->retention;
    json_object_set_new(j, "reserved_space", json_integer(cfg->reserve_pct));
    json_object_set_new(j, "retention_days", json_integer(cfg->bin_days));
    json_object_set_new(j, "retention_hourly_days", json_integer(cfg->hour_days));
    json_object_set_new(j, "retention_floor_days",
                        json_pack("{s:i,s:i}", "bins", RETENTION_BIN_FLOOR_DAYS, "hourly",
                                  RETENTION_HOUR_FLOOR_DAYS));
    if (!s)
        return;
    const struct retention_stats *r = &s->retention;
    json_object_set_new(j, "pruned",
                        json_pack("{s:o,s:o}", "bins", ep_json_u64(r->pruned_bins), "hourly",
                                  ep_json_u64(r->pruned_hours)));
    json_object_set_new(j, "last_prune", json_integer(r->last_run));
    json_object_set_new(j, "disk_short", json_boolean(r->disk_short));
    json_object_set_new(j, "at_floor", json_boolean(r->at_floor));
    json_object_set_new(j, "prune_errors", ep_json_u64(r->errors));
}

static json_t *store_json(struct http_ctx *ctx, const struct status *s)
{
    struct store *st = NULL;
    struct store_info info = {0};
    int rc = dbpool_get(ctx->db, &st);
    if (rc == 0) {
        rc = store_get_info(st, &info);
        dbpool_put(ctx->db, st, rc < 0);
    }
    json_t *j = json_pack("{s:s}", "path", ctx->cfg->db_path);
    if (!j)
        return NULL;
    retention_json(j, ctx, s);
    if (rc < 0) {
        json_object_set_new(j, "error", json_string(strerror(-rc)));
        return j;
    }
    json_object_set_new(j, "size", ep_json_u64(info.size_bytes));
    json_object_set_new(j, "free_inside", ep_json_u64(info.free_bytes));
    json_object_set_new(j, "hosts", ep_json_u64(info.hosts));
    json_object_set_new(j, "first_bin", json_integer(info.first_bin));
    json_object_set_new(j, "last_bin", json_integer(info.last_bin));
    json_object_set_new(j, "first_hour", json_integer(info.first_hour));
    json_object_set_new(j, "schema", json_integer(info.schema_version));
    return j;
}

static json_t *http_json(const struct http_ctx *ctx)
{
    const struct http_counters *c = &ctx->counters;
    return json_pack("{s:{s:o,s:o,s:o,s:o},s:o}", "replies", "2xx",
                     ep_json_u64(atomic_load(&c->replies[HTTP_2XX])), "3xx",
                     ep_json_u64(atomic_load(&c->replies[HTTP_3XX])), "4xx",
                     ep_json_u64(atomic_load(&c->replies[HTTP_4XX])), "5xx",
                     ep_json_u64(atomic_load(&c->replies[HTTP_5XX])), "slow_closed",
                     ep_json_u64(atomic_load(&c->slow_closed)));
}

static json_t *status_json(struct http_ctx *ctx, const struct status *s)
{
    json_t *top = json_pack("{s:s,s:I,s:I,s:o,s:o,s:o}", "version", OF_VERSION, "time",
                            (json_int_t)(clock_now_ms() / 1000u), "uptime",
                            (json_int_t)ep_uptime(ctx, s), "listeners", listeners_json(ctx, s),
                            "store", store_json(ctx, s), "http", http_json(ctx));
    if (!top)
        return NULL;
    json_t *coll = s ? collector_json(ctx, s) : json_pack("{s:[],s:n}", "exporters", "accounting");
    if (!coll || json_object_update(top, coll) < 0) {
        json_decref(coll);
        json_decref(top);
        return NULL;
    }
    json_decref(coll);
    return top;
}

int ep_api_status(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r)
{
    (void)call;
    struct status *s = ctx->board ? status_board_get(ctx->board) : NULL;
    json_t *top = status_json(ctx, s);
    status_put(s);
    if (!top)
        return -ENOMEM;
    int rc = reply_json(r, top);
    json_decref(top);
    return rc;
}
