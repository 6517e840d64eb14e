/* http/ep_modules.c: "/" with ?module=, the original's entry point. The
 * module parameter picks the endpoint; graph and gettraff answer only the
 * clients of ENDPOINTS_HOSTS, and refuse the others with the original's
 * own bodies (GRAPH:DENIED, GETTRAFF:DENIED, to the byte), which billing
 * systems may match on. Without a module, "/" is the dashboard's page. */
#include "http/endpoint.h"

#include "http/ep_common.h"
#include "http/query.h"
#include "http/reply.h"
#include "http/router.h"

int ep_modules(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r)
{
    switch (router_module(query_get(call->q, "module"))) {
    case ROUTE_MOD_INDEX:
        return ep_index(ctx, call, r);
    case ROUTE_MOD_GRAPH:
        if (ep_client_allowed(ctx, call))
            return ep_graph(ctx, call, r);
        reply_static(r, 403, "GRAPH:DENIED");
        return 0;
    case ROUTE_MOD_GETTRAFF:
        if (ep_client_allowed(ctx, call))
            return ep_gettraff(ctx, call, r);
        reply_static(r, 403, "GETTRAFF:DENIED");
        return 0;
    default:
        reply_refuse(r, 400, "unknown module", NULL);
        return 0;
    }
}
