/* http/ep_api_hosts.c: /api/v1/hosts, every host with its totals for a
 * month (this month by default), for the dashboard's host picker.
 *
 * Parameters: year, month (as gettraff), sort = dl (default) | ul | total
 * | ip, order = desc | asc (default desc, asc for ip), limit = 1..1000000
 * (default all). The store hands hosts over in address order; they are
 * collected and sorted here, ties by address so the order is stable. */
#include "http/ep_api_hosts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "http/endpoint.h"
#include "http/ep_common.h"
#include "http/ep_gettraff.h"
#include "http/query.h"
#include "http/reply.h"
#include "report/traff.h"

struct host_list {
    struct traff_row *rows;
    size_t n, cap;
};

static int collect(const struct traff_row *row, void *arg)
{
    struct host_list *l = arg;
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 256;
        struct traff_row *p = realloc(l->rows, ncap * sizeof(*p));
        if (!p)
            return -ENOMEM;
        l->rows = p;
        l->cap = ncap;
    }
    l->rows[l->n++] = *row;
    return 0;
}

static int cmp_addr(const struct of_addr *a, const struct of_addr *b)
{
    if (a->af != b->af)
        return a->af < b->af ? -1 : 1;
    return memcmp(a->b, b->b, sizeof(a->b));
}

static int cmp_u64(uint64_t a, uint64_t b)
{
    return a < b ? -1 : a > b;
}

static int cmp_dl(const void *x, const void *y)
{
    const struct traff_row *a = x, *b = y;
    int c = cmp_u64(a->dl, b->dl);
    return c ? c : -cmp_addr(&a->host, &b->host);
}

static int cmp_ul(const void *x, const void *y)
{
    const struct traff_row *a = x, *b = y;
    int c = cmp_u64(a->ul, b->ul);
    return c ? c : -cmp_addr(&a->host, &b->host);
}

static int cmp_total(const void *x, const void *y)
{
    const struct traff_row *a = x, *b = y;
    int c = cmp_u64(a->dl + a->ul, b->dl + b->ul);
    return c ? c : -cmp_addr(&a->host, &b->host);
}

static int cmp_ip(const void *x, const void *y)
{
    const struct traff_row *a = x, *b = y;
    return cmp_addr(&a->host, &b->host);
}

int ep_hosts_parse(const struct query *q, int year_now, int month_now, struct ep_hosts_req *out,
                   const char **why)
{
    static const char *const sorts[] = {"dl", "ul", "total", "ip"};
    struct ep_traff_req t;
    if (ep_traff_parse(q, year_now, month_now, &t, why) < 0)
        return -EINVAL;
    if (t.one) {
        *why = "ip: not a parameter of hosts (see /api/v1/traffic)";
        return -EINVAL;
    }
    memset(out, 0, sizeof(*out));
    out->year = t.year;
    out->month = t.month;
    out->sort = EP_HOSTS_BY_DL;
    const char *s = query_get(q, "sort");
    if (s && s[0]) {
        size_t i = 0;
        while (i < 4 && strcmp(s, sorts[i]) != 0)
            i++;
        if (i == 4) {
            *why = "sort: dl, ul, total or ip";
            return -EINVAL;
        }
        out->sort = (enum ep_hosts_sort)i;
    }
    out->asc = out->sort == EP_HOSTS_BY_IP;
    const char *o = query_get(q, "order");
    if (o && o[0]) {
        if (strcmp(o, "asc") != 0 && strcmp(o, "desc") != 0) {
            *why = "order: asc or desc";
            return -EINVAL;
        }
        out->asc = o[0] == 'a';
    }
    int64_t limit = 0;
    if (query_int(q, "limit", 1, EP_HOSTS_MAX_LIMIT, &limit) < 0) {
        *why = "limit: 1..1000000";
        return -EINVAL;
    }
    out->limit = (size_t)limit;
    return 0;
}

static void sort_hosts(struct host_list *l, const struct ep_hosts_req *req)
{
    int (*const cmps[])(const void *, const void *) = {cmp_dl, cmp_ul, cmp_total, cmp_ip};
    if (l->n == 0)
        return; /* rows is NULL then, which qsort must not get */
    qsort(l->rows, l->n, sizeof(*l->rows), cmps[req->sort]);
    if (req->asc)
        return;
    for (size_t i = 0, j = l->n; i + 1 < j; i++, j--) {
        struct traff_row t = l->rows[i];
        l->rows[i] = l->rows[j - 1];
        l->rows[j - 1] = t;
    }
}

static json_t *host_json(const struct ep_nets *nets, const struct traff_row *row)
{
    char ip[ADDR_STRLEN];
    addr_format(&row->host, ip, sizeof(ip));
    const char *desc = ep_netdesc(nets, &row->host);
    return json_pack("{s:s,s:o,s:o,s:s*}", "ip", ip, "dl", ep_json_u64(row->dl), "ul",
                     ep_json_u64(row->ul), "desc", desc);
}

static int hosts_json(const struct http_ctx *ctx, const struct ep_hosts_req *req,
                      const struct host_list *l, struct http_reply *r)
{
    json_t *arr = json_array();
    json_t *top = json_pack("{s:i,s:i,s:I,s:o}", "year", req->year, "month", req->month, "count",
                            (json_int_t)l->n, "hosts", arr);
    if (!top)
        return -ENOMEM;
    size_t n = req->limit && req->limit < l->n ? req->limit : l->n;
    struct ep_nets nets;
    ep_nets_hold(ctx, &nets);
    for (size_t i = 0; i < n; i++) {
        if (json_array_append_new(arr, host_json(&nets, &l->rows[i])) < 0) {
            ep_nets_release(&nets);
            json_decref(top);
            return -ENOMEM;
        }
    }
    ep_nets_release(&nets);
    int rc = reply_json(r, top);
    json_decref(top);
    return rc;
}

int ep_api_hosts(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r)
{
    const struct query *q = call->q;
    struct ep_hosts_req req;
    const char *why = NULL;
    int year, month;
    traff_this_month(&year, &month);
    if (ep_hosts_parse(q, year, month, &req, &why) < 0) {
        reply_refuse(r, 400, why, NULL);
        return 0;
    }
    struct store *st;
    ep_store_get(ctx, r, &st);
    if (!st)
        return 0;
    struct host_list l = {0};
    int rc = store_get_traff(st, req.year, req.month, NULL, collect, &l);
    ep_store_put(ctx, st, rc);
    if (rc == 0) {
        sort_hosts(&l, &req);
        rc = hosts_json(ctx, &req, &l, r);
    } else if (rc != -ENOMEM) {
        ep_store_error(r, rc);
        rc = 0;
    }
    free(l.rows);
    return rc;
}
