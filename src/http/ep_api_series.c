/* http/ep_api_series.c: /api/v1/series, the stored steps of one host and
 * direction over a period, per class, in bytes, packets and Mbit/s.
 *
 * Parameters: ip (mandatory; 0.0.0.0 for all hosts), dir = R | S, period
 * as ?module=graph (day by default; explict with from and to), step = 300
 * | 3600 | 86400 | auto (default: the finest step that gives at most
 * EP_SERIES_AUTO_POINTS points). Only steps that hold data are listed. Mbit/s
 * is the average over the step (bytes * 8 / step / 1048576); peak_mbps is
 * the fullest 5-minute bin inside it, which is what the chart draws. A
 * request for more than EP_SERIES_MAX_POINTS steps is refused, so one request
 * cannot ask for a year of 5-minute bins. */
#include "http/ep_api_series.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "http/endpoint.h"
#include "http/ep_common.h"
#include "http/ep_period.h"
#include "http/query.h"
#include "http/reply.h"

#define EP_SERIES_AUTO_POINTS 2100
#define MBIT                  1048576.0

static const unsigned steps[] = {STORE_STEP_BIN, STORE_STEP_HOUR, STORE_STEP_DAY};

static int64_t points(int64_t from, int64_t to, unsigned step)
{
    return (to - from + step - 1) / step;
}

static int parse_step(const struct query *q, int64_t from, int64_t to, unsigned *out,
                      const char **why)
{
    const char *s = query_get(q, "step");
    if (!s || !s[0] || strcmp(s, "auto") == 0) {
        for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
            *out = steps[i];
            if (points(from, to, steps[i]) <= EP_SERIES_AUTO_POINTS)
                break;
        }
        return 0;
    }
    int64_t v = 0;
    if (query_int(q, "step", 0, 86400, &v) < 0 ||
        (v != STORE_STEP_BIN && v != STORE_STEP_HOUR && v != STORE_STEP_DAY)) {
        *why = "step: 300, 3600, 86400 or auto";
        return -EINVAL;
    }
    if (points(from, to, (unsigned)v) > EP_SERIES_MAX_POINTS) {
        *why = "too many steps in the range (at most 20000): use a larger step";
        return -EINVAL;
    }
    *out = (unsigned)v;
    return 0;
}

int ep_series_parse(const struct query *q, int64_t now, struct ep_series_req *out, const char **why)
{
    memset(out, 0, sizeof(*out));
    bool have_ip = false;
    if (query_addr(q, "ip", &out->ip, &have_ip) < 0) {
        *why = "ip: not an IPv4 or IPv6 address";
        return -EINVAL;
    }
    if (!have_ip) {
        *why = "missing ip (an IPv4 or IPv6 address, or 0.0.0.0 for all hosts)";
        return -EINVAL;
    }
    if (query_dir(q, "dir", &out->dir) < 0) {
        *why = "dir: R or S";
        return -EINVAL;
    }
    enum graph_period p;
    int64_t from, to;
    if (ep_period_parse(q, &p, &from, &to, why) < 0)
        return -EINVAL;
    if (ep_period_range(p, now, from, to, &out->from, &out->to) < 0) {
        *why = "period out of range";
        return -EINVAL;
    }
    return parse_step(q, out->from, out->to, &out->step, why);
}

struct series_out {
    json_t *points;
    unsigned step;
};

static json_t *class_array(const uint64_t *v, double scale)
{
    json_t *a = json_array();
    for (int c = 0; a && c < CLASS__COUNT; c++) {
        json_t *x = scale > 0 ? json_real((double)v[c] * scale) : ep_json_u64(v[c]);
        if (json_array_append_new(a, x) < 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static int add_point(struct series_out *o, int64_t ts, const uint64_t *bytes, const uint64_t *peak,
                     const uint64_t *packets)
{
    json_t *p = json_pack("{s:I,s:o,s:o,s:o,s:o}", "ts", (json_int_t)ts, "bytes",
                          class_array(bytes, 0), "packets", class_array(packets, 0), "mbps",
                          class_array(bytes, 8.0 / o->step / MBIT), "peak_mbps",
                          class_array(peak, 8.0 / STORE_STEP_BIN / MBIT));
    if (!p || json_array_append_new(o->points, p) < 0)
        return -ENOMEM;
    return 0;
}

static int on_bin(const struct bin_row *row, void *arg)
{
    return add_point(arg, row->ts, row->bytes, row->bytes, row->packets);
}

static int on_step(const struct step_row *row, void *arg)
{
    return add_point(arg, row->ts, row->bytes, row->peak, row->packets);
}

static int series_read(struct store *st, const struct ep_series_req *req, struct series_out *o)
{
    if (req->step == STORE_STEP_BIN)
        return store_get_series(st, &req->ip, req->dir, req->from, req->to, on_bin, o);
    return store_get_steps(st, &req->ip, req->dir, req->from, req->to, (enum store_step)req->step,
                           on_step, o);
}

static json_t *series_json(const struct ep_series_req *req, json_t *pts)
{
    char ip[ADDR_STRLEN];
    addr_format(&req->ip, ip, sizeof(ip));
    json_t *classes = json_array();
    for (int c = 0; classes && c < CLASS__COUNT; c++)
        json_array_append_new(classes, json_string(class_name((enum traffic_class)c)));
    return json_pack("{s:s,s:s,s:I,s:I,s:i,s:o,s:O}", "ip", ip, "dir",
                     req->dir == DIR_S ? "S" : "R", "from", (json_int_t)req->from, "to",
                     (json_int_t)req->to, "step", (int)req->step, "classes", classes, "points",
                     pts);
}

int ep_api_series(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r)
{
    const struct query *q = call->q;
    struct ep_series_req req;
    const char *why = NULL;
    if (ep_series_parse(q, (int64_t)time(NULL), &req, &why) < 0) {
        reply_refuse(r, 400, why, NULL);
        return 0;
    }
    struct store *st;
    ep_store_get(ctx, r, &st);
    if (!st)
        return 0;
    struct series_out o = {.points = json_array(), .step = req.step};
    int rc = o.points ? series_read(st, &req, &o) : -ENOMEM;
    ep_store_put(ctx, st, rc);
    if (rc == 0) {
        json_t *top = series_json(&req, o.points);
        rc = top ? reply_json(r, top) : -ENOMEM;
        json_decref(top);
    } else if (rc != -ENOMEM) {
        ep_store_error(r, rc);
        rc = 0;
    }
    json_decref(o.points);
    return rc;
}
