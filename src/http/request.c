/* http/request.c: the steps of a request (see request.h), each a
 * function that fills the reply when it refuses. The table of routes says
 * for each path which methods it takes, who may call it, and which kind of
 * endpoint answers: one that reads only the query (the original's and the
 * data API's), or one of the dashboard's, which also gets the method, the
 * JSON body and the caller (endpoints.h). */
#include "http/request.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http/body.h"
#include "util/parse.h"

/* Who may call a route. */
enum access {
    ACCESS_PUBLIC,   /* anyone (the modules: each module decides) */
    ACCESS_ALLOW,    /* the clients of ENDPOINTS_HOSTS */
    ACCESS_LOGIN,    /* a session or an API token */
    ACCESS_IDENTIFY, /* anyone, the endpoint sees who (session, logout) */
};

#define GETS (HTTP_GET | HTTP_HEAD)

struct rule {
    unsigned methods; /* enum http_method bits */
    enum access access;
    bool api;             /* refusals as JSON (reply_render) */
    ep_handler get;       /* an endpoint that reads only the query */
    ep_call_handler call; /* a dashboard endpoint */
};

static const struct rule rules[ROUTE__COUNT] = {
    [ROUTE_MODULES] = {GETS, ACCESS_PUBLIC, false, NULL, NULL},
    [ROUTE_STATIC] = {GETS, ACCESS_PUBLIC, false, NULL, NULL},
    [ROUTE_METRICS] = {GETS, ACCESS_ALLOW, false, ep_metrics, NULL},
    [ROUTE_API_HOSTS] = {GETS, ACCESS_LOGIN, true, ep_api_hosts, NULL},
    [ROUTE_API_SERIES] = {GETS, ACCESS_LOGIN, true, ep_api_series, NULL},
    [ROUTE_API_TRAFFIC] = {GETS, ACCESS_LOGIN, true, ep_api_traffic, NULL},
    [ROUTE_API_TOP] = {GETS, ACCESS_LOGIN, true, ep_api_top, NULL},
    [ROUTE_API_STATUS] = {GETS, ACCESS_LOGIN, true, ep_api_status, NULL},
    [ROUTE_API_GRAPH] = {GETS, ACCESS_LOGIN, true, ep_graph, NULL},
    [ROUTE_API_SYSTEM] = {GETS, ACCESS_LOGIN, true, ep_api_system, NULL},
    [ROUTE_API_LOGIN] = {HTTP_POST, ACCESS_PUBLIC, true, NULL, ep_login},
    [ROUTE_API_LOGOUT] = {HTTP_POST, ACCESS_IDENTIFY, true, NULL, ep_logout},
    [ROUTE_API_SESSION] = {GETS, ACCESS_IDENTIFY, true, NULL, ep_session},
    [ROUTE_API_NETWORKS] = {GETS | HTTP_POST | HTTP_DELETE, ACCESS_LOGIN, true, NULL, ep_networks},
    [ROUTE_API_USERS] = {GETS | HTTP_POST | HTTP_DELETE, ACCESS_LOGIN, true, NULL, ep_users},
    [ROUTE_API_PASSWORD] = {HTTP_POST, ACCESS_LOGIN, true, NULL, ep_users_password},
    [ROUTE_API_TOKENS] = {GETS | HTTP_POST | HTTP_DELETE, ACCESS_LOGIN, true, NULL, ep_tokens},
};

static enum MHD_Result on_arg(void *cls, enum MHD_ValueKind kind, const char *key, size_t klen,
                              const char *value, size_t vlen)
{
    (void)kind;
    if (!key || klen == 0)
        return MHD_YES; /* "&&" or "=x": nothing, as PHP reads it */
    return query_add(cls, key, klen, value, vlen) == QUERY_OK ? MHD_YES : MHD_NO;
}

/* ---- who may ---- */

static bool client_allowed(struct http_ctx *ctx, struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    pthread_rwlock_rdlock(&ctx->allow_lock);
    bool ok = ctx->allow.n == 0 || (ci && allow_sockaddr(&ctx->allow, ci->client_addr));
    pthread_rwlock_unlock(&ctx->allow_lock);
    return ok;
}

static enum MHD_Result on_cookie_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                        const char *value)
{
    struct gate_in *in = cls;
    (void)kind;
    if (key && value && strcasecmp(key, "Cookie") == 0 && in->ncookies < GATE_MAX_COOKIE_HEADERS)
        in->cookies[in->ncookies++] = value;
    return MHD_YES;
}

/* Looks up who calls, for the routes that need to know: false with the
 * refusal in r when they may not go on. */
static bool gate(struct http_ctx *ctx, struct MHD_Connection *c, struct http_req *q,
                 struct http_reply *r)
{
    enum access access = rules[q->route].access;
    if (access != ACCESS_LOGIN && access != ACCESS_IDENTIFY)
        return true;
    struct gate_in in = {.changes = q->method == HTTP_POST || q->method == HTTP_DELETE};
    (void)MHD_get_connection_values(c, MHD_HEADER_KIND, on_cookie_header, &in);
    in.authorization =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    in.csrf = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
    switch (gate_check(ctx->app, &in, (int64_t)time(NULL), &q->who)) {
    case GATE_NO_STORE:
        reply_refuse(r, 503, "store unavailable", NULL);
        return false;
    case GATE_CSRF:
        reply_refuse(r, 403, "missing or wrong CSRF token", NULL);
        return false;
    case GATE_OK:
        break;
    }
    if (access == ACCESS_LOGIN && q->who.kind == GATE_NOBODY) {
        reply_refuse(r, 401, "login required", NULL);
        reply_header(r, "WWW-Authenticate", "Bearer");
        return false;
    }
    return true;
}

/* ---- when the headers are in ---- */

static enum http_method method_of(const char *m)
{
    if (strcmp(m, MHD_HTTP_METHOD_GET) == 0)
        return HTTP_GET;
    if (strcmp(m, MHD_HTTP_METHOD_HEAD) == 0)
        return HTTP_HEAD;
    if (strcmp(m, MHD_HTTP_METHOD_POST) == 0)
        return HTTP_POST;
    if (strcmp(m, MHD_HTTP_METHOD_DELETE) == 0)
        return HTTP_DELETE;
    return 0;
}

static const char *allow_header(unsigned methods)
{
    if (methods == HTTP_POST)
        return "POST";
    if (methods & HTTP_POST)
        return "GET, HEAD, POST, DELETE";
    return "GET, HEAD";
}

/* Whether the request announces a body, and its announced length (0 for
 * a chunked one). */
static bool announces_body(struct MHD_Connection *c, uint64_t *len)
{
    const char *cl =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    *len = 0;
    if (cl && parse_u64(cl, 0, UINT64_MAX, len) < 0)
        *len = UINT64_MAX; /* libmicrohttpd refuses those already */
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING) ||
           (cl && *len != 0);
}

/* The body rules: only POSTs take one, as JSON, of BODY_MAX bytes at most.
 * False with the refusal in r. */
static bool body_allowed(struct MHD_Connection *c, struct http_req *q, struct http_reply *r)
{
    uint64_t len = 0;
    q->has_body = announces_body(c, &len);
    if (!q->has_body)
        return true;
    if (q->method != HTTP_POST) {
        /* Refused before the body is read; libmicrohttpd then closes. */
        reply_refuse(r, 413, "request body not accepted", NULL);
        return false;
    }
    const char *type =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!body_type_json(type)) {
        reply_refuse(r, 400, "Content-Type must be application/json", NULL);
        return false;
    }
    if (len > BODY_MAX) {
        reply_refuse(r, 413, "request body too large (at most 16384 bytes)", NULL);
        return false;
    }
    return true;
}

/* Everything that can be decided from the request line and the headers.
 * False with the refusal in r. */
static bool headers_ok(struct http_ctx *ctx, struct MHD_Connection *c, const char *url,
                       const char *method, bool uri_too_long, struct http_req *q,
                       struct http_reply *r)
{
    if (uri_too_long) {
        reply_refuse(r, 400, "request URI too long", NULL);
        return false;
    }
    q->route = router_path(url);
    if (q->route == ROUTE_NONE) {
        reply_refuse(r, 404, "not found", NULL);
        return false;
    }
    const struct rule *rule = &rules[q->route];
    q->method = method_of(method);
    if (!(q->method & rule->methods)) {
        reply_refuse(r, 405, "method not allowed", NULL);
        reply_header(r, MHD_HTTP_HEADER_ALLOW, allow_header(rule->methods));
        return false;
    }
    return gate(ctx, c, q, r) && body_allowed(c, q, r);
}

/* ---- when the request is complete ---- */

/* The endpoint of a request to "/", by its module; the reply for a
 * refusal otherwise (handler NULL). */
static ep_handler pick_module(struct http_ctx *ctx, struct MHD_Connection *c, const struct query *q,
                              struct http_reply *r)
{
    switch (router_module(query_get(q, "module"))) {
    case ROUTE_MOD_INDEX:
        return ep_index;
    case ROUTE_MOD_GRAPH:
        if (client_allowed(ctx, c))
            return ep_graph;
        reply_static(r, 403, "GRAPH:DENIED"); /* the original's body, to the byte */
        return NULL;
    case ROUTE_MOD_GETTRAFF:
        if (client_allowed(ctx, c))
            return ep_gettraff;
        reply_static(r, 403, "GETTRAFF:DENIED");
        return NULL;
    default:
        reply_refuse(r, 400, "unknown module", NULL);
        return NULL;
    }
}

static int call_endpoint(struct http_ctx *ctx, struct MHD_Connection *c, struct http_req *q,
                         const struct query *qs, struct http_reply *r)
{
    struct http_call call = {.q = qs, .method = q->method, .who = &q->who};
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || allow_from_sockaddr(ci->client_addr, &call.client) < 0)
        memset(&call.client, 0, sizeof(call.client));
    json_t *body = NULL;
    if (q->has_body) {
        const char *why = NULL;
        int rc = body_parse(q->body ? q->body : "", q->len, &body, &why);
        if (rc < 0) {
            reply_refuse(r, rc == -E2BIG ? 413 : 400, why, NULL);
            return 0;
        }
    }
    call.body = body;
    int rc = rules[q->route].call(ctx, &call, r);
    json_decref(body);
    return rc;
}

static void handle(struct http_ctx *ctx, struct MHD_Connection *c, const char *url,
                   struct http_req *q, struct http_reply *r)
{
    if (q->too_big) {
        reply_refuse(r, 413, "request body too large (at most 16384 bytes)", NULL);
        return;
    }
    struct query qs;
    query_init(&qs);
    (void)MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, on_arg, &qs);
    if (qs.st != QUERY_OK) {
        reply_refuse(r, 400, query_status_reason(qs.st), NULL);
        return;
    }
    const struct rule *rule = &rules[q->route];
    int rc = 0;
    if (q->route == ROUTE_STATIC) {
        rc = ep_static(url, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match"), r);
    } else if (q->route == ROUTE_MODULES) {
        ep_handler h = pick_module(ctx, c, &qs, r);
        rc = h ? h(ctx, &qs, r) : 0;
    } else if (rule->access == ACCESS_ALLOW && !client_allowed(ctx, c)) {
        reply_static(r, 403, "DENIED");
    } else if (rule->call) {
        rc = call_endpoint(ctx, c, q, &qs, r);
    } else {
        rc = rule->get(ctx, &qs, r);
    }
    if (rc < 0)
        reply_refuse(r, 500, "internal error", NULL);
}

/* Keeps what fits of a body; past BODY_MAX the rest is counted only. */
static void take_body(struct http_req *q, const char *data, size_t n)
{
    q->seen += n;
    if (q->too_big)
        return;
    if (q->len + n > BODY_MAX) {
        q->too_big = true;
        return;
    }
    if (!q->body) {
        q->body = malloc(BODY_MAX);
        if (!q->body) {
            q->too_big = true; /* no memory: refused as if it were too big */
            return;
        }
    }
    memcpy(q->body + q->len, data, n);
    q->len += n;
}

struct http_req *request_new(void)
{
    struct http_req *q = calloc(1, sizeof(*q));
    if (q)
        q->reply = (struct http_reply){.status = 500, .type = REPLY_TEXT};
    return q;
}

void request_free(struct http_req *q)
{
    if (!q)
        return;
    reply_fini(&q->reply);
    free(q->body);
    free(q);
}

/* Whether a path lies under /api/ (or /of/api/), so that its refusals are
 * JSON even where no route matches it. */
static bool api_path(const char *url)
{
    const char *p = url + strspn(url, "/");
    if (strncmp(p, "of/", 3) == 0)
        p += 3 + strspn(p + 3, "/");
    return strncmp(p, "api/", 4) == 0;
}

bool request_headers(struct http_ctx *ctx, struct MHD_Connection *c, const char *url,
                     const char *method, bool uri_too_long, struct http_req *q)
{
    if (headers_ok(ctx, c, url, method, uri_too_long, q, &q->reply))
        return true;
    bool api = q->route == ROUTE_NONE ? api_path(url) : rules[q->route].api;
    reply_render(&q->reply, api ? REPLY_FORM_JSON : REPLY_FORM_TEXT);
    return false;
}

bool request_announces_body(struct MHD_Connection *c)
{
    uint64_t len = 0;
    return announces_body(c, &len);
}

bool request_body(struct http_req *q, const char *data, size_t n)
{
    take_body(q, data, n);
    return q->seen <= REQUEST_BODY_DISCARD;
}

void request_answer(struct http_ctx *ctx, struct MHD_Connection *c, const char *url,
                    struct http_req *q)
{
    handle(ctx, c, url, q, &q->reply);
    reply_render(&q->reply, rules[q->route].api ? REPLY_FORM_JSON : REPLY_FORM_TEXT);
}
