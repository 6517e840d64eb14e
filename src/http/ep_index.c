/* http/ep_index.c: "/" without a module: the dashboard's page. Its
 * scripts and styles come from /ui/ (ep_static.c); the plain-text map of
 * the API this once was is the README's "HTTP API" now. */
#include "http/endpoint.h"

#include "http/ep_static.h"
#include "http/reply.h"

int ep_index(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r)
{
    (void)ctx;
    (void)call;
    return ep_static_file("index.html", NULL, r);
}
