/* http/ep_api_traffic.c: /api/v1/traffic, gettraff's totals with the
 * numbers as JSON numbers: {"<ip>":{"dl":N,"ul":N},...}, {} when empty.
 * The same parameters as gettraff (year, month, ip). */
#include "http/endpoint.h"

#include <errno.h>

#include "http/ep_common.h"
#include "http/ep_gettraff.h"
#include "http/reply.h"
#include "report/traff.h"

static int add_row(const struct traff_row *row, void *arg)
{
    json_t *obj = arg;
    char ip[ADDR_STRLEN];
    addr_format(&row->host, ip, sizeof(ip));
    json_t *v = json_pack("{s:o,s:o}", "dl", ep_json_u64(row->dl), "ul", ep_json_u64(row->ul));
    if (!v || json_object_set_new(obj, ip, v) < 0)
        return -ENOMEM;
    return 0;
}

int ep_api_traffic(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r)
{
    const struct query *q = call->q;
    struct ep_traff_req req;
    struct store *st = ep_traff_begin(ctx, q, r, &req);
    if (!st)
        return 0;
    json_t *obj = json_object();
    int rc = obj ? store_get_traff(st, req.year, req.month, req.one ? &req.ip : NULL, add_row, obj)
                 : -ENOMEM;
    ep_store_put(ctx, st, rc);
    if (rc == 0) {
        rc = reply_json(r, obj);
    } else if (rc != -ENOMEM) {
        ep_store_error(r, rc);
        rc = 0;
    }
    json_decref(obj);
    return rc;
}
