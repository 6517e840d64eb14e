/* http/endpoint.h: what every endpoint is, one file each (ep_*.c).
 *
 * An endpoint reads its parameters from the call's query (http/query.h)
 * or JSON body (http/body.h), validates every one of them in a pure parse
 * function of its own (which the fuzz target and the unit tests call
 * directly), then reads the store through a handle from the pool and
 * fills a reply (http/reply.h); a refusal is a reply_refuse, which the
 * request layer writes in the route's form. The routes and which endpoint
 * answers each are the table in http/router.h. Endpoints run on the
 * server's threads, any number at once: they share only the context
 * (http/context.h), which they only read (its store pool and counters are
 * thread-safe). */
#ifndef OF_HTTP_ENDPOINT_H
#define OF_HTTP_ENDPOINT_H

#include <jansson.h>

#include "util/addr.h"

struct gate_who;
struct http_ctx;
struct http_reply;
struct query;

/* What an endpoint gets of a request. */
enum http_method { HTTP_GET = 1, HTTP_HEAD = 2, HTTP_POST = 4, HTTP_DELETE = 8 };
struct http_call {
    const struct query *q;
    enum http_method method;
    const json_t *body;         /* the JSON object sent; NULL when none was */
    const struct gate_who *who; /* the caller (http/gate.h); GATE_NOBODY unless the route asks */
    struct of_addr client;      /* the client's address (af 0 when unknown) */
    const char *path;           /* the request path, as sent */
    const char *if_none_match;  /* the If-None-Match header; NULL when absent */
};

/* Every endpoint: 0 when it filled the reply (a refusal included), or a
 * negative errno when it could not answer at all (a 500). */
typedef int (*ep_handler)(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r);

/* "/" (and /of, index.php): the endpoint of the module parameter, the
 * original's graph and gettraff for the clients of ENDPOINTS_HOSTS only
 * (403 GRAPH:DENIED or GETTRAFF:DENIED otherwise), the page without one. */
int ep_modules(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r);
int ep_index(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r);
int ep_graph(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r);
int ep_gettraff(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r);
int ep_api_hosts(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r);
int ep_api_series(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r);
int ep_api_traffic(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r);
int ep_api_top(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r);
int ep_api_status(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r);
int ep_metrics(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r);
int ep_api_system(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r);

/* The dashboard's own endpoints (login, users, networks, tokens). */
int ep_login(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r);
int ep_logout(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r);
int ep_session(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r);
int ep_users(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r);
int ep_users_password(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r);
int ep_networks(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r);
int ep_tokens(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r);

/* "/ui/<name>": the dashboard's files (http/ep_static.h). */
int ep_ui(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r);

#endif
