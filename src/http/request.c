/* http/request.c: the steps of a request (see request.h), each a
 * function that fills the reply when it refuses. What a step needs to know
 * about the route (its methods, who may call it, whether a change needs
 * the CSRF token, the form of its refusals, its endpoint) is in the
 * route's row (http/router.h); every endpoint gets the same struct
 * http_call (http/endpoint.h). */
#include "http/request.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http/body.h"
#include "http/context.h"
#include "http/ep_common.h"
#include "http/query.h"
#include "util/parse.h"

static enum MHD_Result on_arg(void *cls, enum MHD_ValueKind kind, const char *key, size_t klen,
                              const char *value, size_t vlen)
{
    (void)kind;
    if (!key || klen == 0)
        return MHD_YES; /* "&&" or "=x": nothing, as PHP reads it */
    return query_add(cls, key, klen, value, vlen) == QUERY_OK ? MHD_YES : MHD_NO;
}

/* ---- who may ---- */

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
    enum route_access access = q->route->access;
    if (access != ROUTE_LOGIN && access != ROUTE_IDENTIFY)
        return true;
    struct gate_in in = {.changes = q->route->csrf &&
                                    (q->method == HTTP_POST || q->method == HTTP_DELETE)};
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
    if (access == ROUTE_LOGIN && q->who.kind == GATE_NOBODY) {
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
    if (!q->route) {
        reply_refuse(r, 404, "not found", NULL);
        return false;
    }
    q->method = method_of(method);
    if (!(q->method & q->route->methods)) {
        reply_refuse(r, 405, "method not allowed", NULL);
        reply_header(r, MHD_HTTP_HEADER_ALLOW, allow_header(q->route->methods));
        return false;
    }
    return gate(ctx, c, q, r) && body_allowed(c, q, r);
}

/* ---- when the request is complete ---- */

/* What the endpoint gets of the request. */
static void call_init(struct MHD_Connection *c, const char *url, const struct http_req *q,
                      const struct query *qs, struct http_call *call)
{
    *call = (struct http_call){.q = qs, .method = q->method, .who = &q->who, .path = url};
    call->if_none_match = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || allow_from_sockaddr(ci->client_addr, &call->client) < 0)
        memset(&call->client, 0, sizeof(call->client));
}

/* The route's endpoint, with the body's JSON when one came. */
static int call_endpoint(struct http_ctx *ctx, struct http_req *q, struct http_call *call,
                         struct http_reply *r)
{
    json_t *body = NULL;
    if (q->has_body) {
        const char *why = NULL;
        int rc = body_parse(q->body ? q->body : "", q->len, &body, &why);
        if (rc < 0) {
            reply_refuse(r, rc == -E2BIG ? 413 : 400, why, NULL);
            return 0;
        }
    }
    call->body = body;
    int rc = q->route->handler(ctx, call, r);
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
    query_expect(&qs, q->route->params);
    if (qs.st != QUERY_OK) {
        reply_refuse(r, 400, query_status_reason(qs.st), NULL);
        return;
    }
    struct http_call call;
    call_init(c, url, q, &qs, &call);
    int rc = 0;
    if (q->route->access == ROUTE_ALLOWLIST && !ep_client_allowed(ctx, &call))
        reply_static(r, 403, "DENIED");
    else
        rc = call_endpoint(ctx, q, &call, r);
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
    bool api = q->route ? q->route->json : api_path(url);
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
    reply_render(&q->reply, q->route->json ? REPLY_FORM_JSON : REPLY_FORM_TEXT);
}
