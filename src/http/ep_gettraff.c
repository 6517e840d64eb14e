/* http/ep_gettraff.c: ?module=gettraff, the monthly totals billing systems
 * pull, in the original's shape: {"<ip>":{"dl":"<bytes>","ul":"<bytes>"}}
 * with the numbers as strings, {} when there is nothing (report/traff.c
 * builds the body, shared with `ophanimflow traff`). A month may be given
 * with or without its leading zero, as the original's clients do both. */
#include "http/ep_gettraff.h"

#include <errno.h>
#include <string.h>

#include "http/endpoint.h"
#include "http/ep_common.h"
#include "http/query.h"
#include "http/reply.h"
#include "report/traff.h"

int ep_traff_parse(const struct query *q, int year_now, int month_now, struct ep_traff_req *out,
                   const char **why)
{
    int64_t year = year_now, month = month_now;
    if (query_int(q, "year", 1970, 9999, &year) < 0) {
        *why = "year: a year in 1970..9999";
        return -EINVAL;
    }
    if (query_int(q, "month", 1, 12, &month) < 0) {
        *why = "month: a month in 1..12";
        return -EINVAL;
    }
    memset(out, 0, sizeof(*out));
    if (query_addr(q, "ip", &out->ip, &out->one) < 0) {
        *why = "ip: not an IPv4 or IPv6 address";
        return -EINVAL;
    }
    out->year = (int)year;
    out->month = (int)month;
    return 0;
}

struct store *ep_traff_begin(struct http_ctx *ctx, const struct query *q, struct http_reply *r,
                             struct ep_traff_req *req)
{
    const char *why = NULL;
    int year, month;
    traff_this_month(&year, &month);
    if (ep_traff_parse(q, year, month, req, &why) < 0) {
        reply_refuse(r, 400, why, NULL);
        return NULL;
    }
    struct store *st;
    ep_store_get(ctx, r, &st);
    return st;
}

int ep_gettraff(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r)
{
    const struct query *q = call->q;
    struct ep_traff_req req;
    struct store *st = ep_traff_begin(ctx, q, r, &req);
    if (!st)
        return 0;
    char *body = NULL;
    int rc = traff_json(st, req.year, req.month, req.one ? &req.ip : NULL, &body);
    ep_store_put(ctx, st, rc);
    if (rc < 0) {
        ep_store_error(r, rc);
        return 0;
    }
    reply_take(r, 200, REPLY_JSON, body, strlen(body));
    r->no_store = true;
    return 0;
}
