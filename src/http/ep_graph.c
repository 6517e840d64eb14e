/* http/ep_graph.c: ?module=graph, the bandwidthd-style PNG of one host (or
 * 0.0.0.0, all hosts) and direction over a period, or with dumpdata the
 * bars it is drawn from as text (report/graph.c does both).
 *
 * Sizes follow the original where it was lenient and refuse what could
 * only be a mistake: an empty or zero w/h means the default (PHP treated
 * them as unset), a size below the minimum is raised to it so that small
 * embeds still get a picture, and a size above the maximum or anything
 * that is not a number is a 400. A host without data gets a valid, empty
 * chart, not an error: billing pages embed the image for every customer. */
#include "http/ep_graph.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "http/context.h"
#include "http/endpoint.h"
#include "http/ep_common.h"
#include "http/ep_period.h"
#include "http/query.h"
#include "http/reply.h"

static int parse_size(const struct query *q, const char *key, int def, int min, int max, int *out,
                      const char **why, const char *reason)
{
    int64_t v = 0;
    if (query_int(q, key, 0, max, &v) < 0) {
        *why = reason;
        return -EINVAL;
    }
    if (v == 0)
        v = def;
    else if (v < min)
        v = min;
    *out = (int)v;
    return 0;
}

int ep_graph_parse(const struct query *q, int64_t now, struct graph_req *req, bool *dump,
                   const char **why)
{
    memset(req, 0, sizeof(*req));
    bool have_ip = false;
    if (query_addr(q, "ip", &req->host, &have_ip) < 0) {
        *why = "ip: not an IPv4 or IPv6 address";
        return -EINVAL;
    }
    if (!have_ip) {
        *why = "missing ip (an IPv4 or IPv6 address, or 0.0.0.0 for all hosts)";
        return -EINVAL;
    }
    if (query_dir(q, "dir", &req->dir) < 0) {
        *why = "dir: R or S";
        return -EINVAL;
    }
    if (ep_period_parse(q, &req->period, &req->from, &req->to, why) < 0)
        return -EINVAL;
    if (parse_size(q, "w", CHART_DEFAULT_W, CHART_MIN_W, CHART_MAX_W, &req->width, why,
                   "w: a width in pixels, at most 4000") < 0)
        return -EINVAL;
    if (parse_size(q, "h", CHART_DEFAULT_H, CHART_MIN_H, CHART_MAX_H, &req->height, why,
                   "h: a height in pixels, at most 2000") < 0)
        return -EINVAL;
    req->now = now;
    *dump = query_has(q, "dumpdata");
    return 0;
}

static int graph_reply(const struct graph_req *req, bool dump, const struct graph_data *d,
                       struct http_reply *r)
{
    int rc;
    if (dump) {
        char *text = NULL;
        size_t len = 0;
        rc = graph_dump(d, &text, &len);
        if (rc == 0)
            reply_take(r, 200, REPLY_TEXT, text, len);
    } else {
        void *png = NULL;
        size_t len = 0;
        rc = graph_png(req, d, &png, &len);
        if (rc == 0) {
            reply_take(r, 200, REPLY_PNG, png, len);
            r->body_free = chart_free;
        } else if (rc == -ENOENT) {
            reply_refuse(r, 500, "chart font not found (set CHARTS_FONT)", NULL);
            rc = 0;
        }
    }
    r->no_store = true;
    return rc;
}

int ep_graph(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r)
{
    const struct query *q = call->q;
    struct graph_req req;
    bool dump = false;
    const char *why = NULL;
    if (ep_graph_parse(q, (int64_t)time(NULL), &req, &dump, &why) < 0) {
        reply_refuse(r, 400, why, NULL);
        return 0;
    }
    /* The title is drawn before the networks are let go (graph_reply). */
    struct ep_nets nets;
    ep_nets_hold(ctx, &nets);
    req.netdesc = ctx->cfg->charts_netdesc ? ep_netdesc(&nets, &req.host) : NULL;
    req.prealloc = ctx->cfg->charts_prealloc;
    req.font = ctx->font;
    struct store *st;
    ep_store_get(ctx, r, &st);
    if (!st) {
        ep_nets_release(&nets);
        return 0;
    }
    struct graph_data d;
    memset(&d, 0, sizeof(d));
    int rc = graph_load(st, &req, &d);
    ep_store_put(ctx, st, rc);
    if (rc < 0) {
        ep_nets_release(&nets);
        ep_store_error(r, rc);
        return 0;
    }
    rc = graph_reply(&req, dump, &d, r);
    graph_data_fini(&d);
    ep_nets_release(&nets);
    return rc;
}
