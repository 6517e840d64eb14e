/* http/ep_networks.c: /api/v1/networks (GET, POST, DELETE ?cidr=): the
 * local networks, the config file's (read-only here) and those added in
 * the dashboard, applied to the running collector at once
 * (daemon/networks.h). A network is named by its canonical text, so
 * "2001:DB8::/32" and "2001:db8::/32" are one network. */
#include "http/ep_networks.h"

#include <errno.h>
#include <string.h>

#include "daemon/networks.h"
#include "http/body.h"
#include "http/context.h"
#include "http/endpoint.h"
#include "http/ep_common.h"
#include "http/query.h"
#include "http/reply.h"

int ep_network_parse(const json_t *body, struct ep_network_req *out, struct http_refusal *ref)
{
    const char *cidr = NULL;
    size_t n = 0;
    *ref = (struct http_refusal){400, NULL, NULL};
    if (!body) {
        ref->why = "request body must be a JSON object";
        return -EINVAL;
    }
    if (body_string(body, "cidr", &cidr, &n) < 0 || n != strlen(cidr) ||
        networks_canon(cidr, out->cidr, sizeof(out->cidr)) < 0) {
        *ref = (struct http_refusal){400, "cidr: a network such as 10.1.0.0/16, host bits zero",
                                     "cidr"};
        return -EINVAL;
    }
    out->description = "";
    int rc = body_string(body, "description", &out->description, &n);
    if (rc == -ENOENT) {
        out->description = "";
        n = 0;
    } else if (rc < 0 || !networks_desc_ok(out->description, n)) {
        *ref = (struct http_refusal){
            400, "description: at most 128 bytes, without control characters", "description"};
        return -EINVAL;
    }
    return 0;
}

static json_t *network_json(const char *cidr, const char *desc, enum networks_source src)
{
    return json_pack("{s:s,s:s,s:s}", "cidr", cidr, "description", desc, "source",
                     src == NETWORKS_CONFIG ? "config" : "ui");
}

static int add_network(const char *cidr, const char *desc, enum networks_source src, void *arg)
{
    json_t *n = network_json(cidr, desc, src);
    return n && json_array_append_new(arg, n) == 0 ? 0 : -ENOMEM;
}

/* Without a collector (no live list), the config's networks. */
static int list_config(const struct nets *nets, json_t *arr)
{
    for (size_t i = 0; i < nets_count(nets); i++) {
        char cidr[NETS_CIDR_STRLEN];
        if (add_network(nets_cidr(nets, i, cidr, sizeof(cidr)), nets_desc(nets, i), NETWORKS_CONFIG,
                        arr) < 0)
            return -ENOMEM;
    }
    return 0;
}

static int networks_get(struct http_ctx *ctx, struct http_reply *r)
{
    json_t *arr = json_array();
    int rc = -ENOMEM;
    if (arr)
        rc = ctx->networks ? networks_list(ctx->networks, add_network, arr)
                           : list_config(ctx->cfg->nets, arr);
    json_t *j = rc == 0 ? json_pack("{s:O}", "networks", arr) : NULL;
    json_decref(arr);
    rc = j ? ep_json(r, 200, j) : -ENOMEM;
    json_decref(j);
    return rc;
}

static int networks_post(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r)
{
    struct ep_network_req req;
    struct http_refusal ref;
    if (ep_network_parse(call->body, &req, &ref) < 0) {
        reply_refuse(r, ref.status, ref.why, ref.field);
        return 0;
    }
    char canon[NETS_CIDR_STRLEN];
    int rc = networks_add(ctx->networks, req.cidr, req.description, canon, sizeof(canon));
    if (rc == -EEXIST) {
        reply_refuse(r, 409, "that network is listed already", "cidr");
        return 0;
    }
    if (rc == -ENOSPC) {
        reply_refuse(r, 409, "too many networks added in the dashboard (at most 10000)", "cidr");
        return 0;
    }
    if (rc < 0) {
        ep_app_error(r, rc);
        return 0;
    }
    json_t *j = network_json(canon, req.description, NETWORKS_UI);
    rc = j ? ep_json(r, 201, j) : -ENOMEM;
    json_decref(j);
    return rc;
}

static int networks_del(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r)
{
    const char *cidr = query_get(call->q, "cidr");
    char canon[NETS_CIDR_STRLEN];
    if (!cidr || networks_canon(cidr, canon, sizeof(canon)) < 0) {
        reply_refuse(r, 400, "cidr: a network such as 10.1.0.0/16, host bits zero", "cidr");
        return 0;
    }
    int rc = networks_delete(ctx->networks, canon);
    if (rc == -ENOENT)
        reply_refuse(r, 404, "no such network", "cidr");
    else if (rc == -EPERM)
        reply_refuse(r, 409, "defined in the config file; edit it there", "cidr");
    else if (rc < 0)
        ep_app_error(r, rc);
    else
        ep_no_content(r);
    return 0;
}

int ep_networks(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r)
{
    if (call->method != HTTP_GET && call->method != HTTP_HEAD && !ctx->networks) {
        reply_refuse(r, 503, "networks cannot be changed without the collector", NULL);
        return 0;
    }
    if (call->method == HTTP_POST)
        return networks_post(ctx, call, r);
    if (call->method == HTTP_DELETE)
        return networks_del(ctx, call, r);
    return networks_get(ctx, r);
}
