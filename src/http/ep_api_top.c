/* http/ep_api_top.c: /api/v1/top, hosts ranked by the bytes of one class
 * and direction over the last N hours (the dashboard's "top by class").
 *
 * Parameters: class = total (default) | icmp | ... | sip, dir = R | S,
 * hours = 1..8760 (default 24), limit = 1..1000 (default 20). The window
 * is whole 5-minute bins: the current one and the hours * 12 - 1 before
 * it, so "the last hour" is twelve bins whatever the minute. mbps is the
 * host's average rate over the window. */
#include "http/ep_api_top.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "http/endpoint.h"
#include "http/ep_common.h"
#include "http/query.h"
#include "http/reply.h"
#include "store/store.h"

int ep_top_parse(const struct query *q, struct ep_top_req *out, const char **why)
{
    memset(out, 0, sizeof(*out));
    out->cls = CLASS_TOTAL;
    const char *c = query_get(q, "class");
    if (c && c[0]) {
        out->cls = class_from_name(c);
        if (out->cls < 0) {
            *why = "class: total, icmp, udp, tcp, mail, dns, vpn, ftp, web, proxy, quic or sip";
            return -EINVAL;
        }
    }
    if (query_dir(q, "dir", &out->dir) < 0) {
        *why = "dir: R or S";
        return -EINVAL;
    }
    int64_t hours = 24, limit = 20;
    if (query_int(q, "hours", 1, EP_TOP_MAX_HOURS, &hours) < 0) {
        *why = "hours: 1..8760";
        return -EINVAL;
    }
    if (query_int(q, "limit", 1, EP_TOP_MAX_LIMIT, &limit) < 0) {
        *why = "limit: 1..1000";
        return -EINVAL;
    }
    out->hours = (unsigned)hours;
    out->limit = (size_t)limit;
    return 0;
}

struct top_out {
    const struct ep_nets *nets;
    json_t *hosts;
    double seconds;
};

static int add_host(const struct top_row *row, void *arg)
{
    struct top_out *o = arg;
    char ip[ADDR_STRLEN];
    addr_format(&row->host, ip, sizeof(ip));
    json_t *h = json_pack("{s:s,s:o,s:f,s:s*}", "ip", ip, "bytes", ep_json_u64(row->bytes), "mbps",
                          (double)row->bytes * 8.0 / o->seconds / 1048576.0, "desc",
                          ep_netdesc(o->nets, &row->host));
    if (!h || json_array_append_new(o->hosts, h) < 0)
        return -ENOMEM;
    return 0;
}

int ep_api_top(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r)
{
    const struct query *q = call->q;
    struct ep_top_req req;
    const char *why = NULL;
    if (ep_top_parse(q, &req, &why) < 0) {
        reply_refuse(r, 400, why, NULL);
        return 0;
    }
    int64_t now = (int64_t)time(NULL);
    int64_t to = now - now % BIN_SECONDS + BIN_SECONDS;
    int64_t from = to - (int64_t)req.hours * 3600;
    struct store *st;
    ep_store_get(ctx, r, &st);
    if (!st)
        return 0;
    struct ep_nets nets;
    ep_nets_hold(ctx, &nets);
    struct top_out o = {.nets = &nets, .hosts = json_array(), .seconds = (double)(to - from)};
    int rc =
        o.hosts ? store_get_top(st, req.dir, req.cls, from, to, req.limit, add_host, &o) : -ENOMEM;
    ep_nets_release(&nets);
    ep_store_put(ctx, st, rc);
    if (rc == 0) {
        json_t *top =
            json_pack("{s:s,s:s,s:i,s:I,s:I,s:O}", "class", class_name((enum traffic_class)req.cls),
                      "dir", req.dir == DIR_S ? "S" : "R", "hours", (int)req.hours, "from",
                      (json_int_t)from, "to", (json_int_t)to, "hosts", o.hosts);
        rc = top ? reply_json(r, top) : -ENOMEM;
        json_decref(top);
    } else if (rc != -ENOMEM) {
        ep_store_error(r, rc);
        rc = 0;
    }
    json_decref(o.hosts);
    return rc;
}
