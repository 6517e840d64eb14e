/* http/server.c: libmicrohttpd set up, requests routed, replies sent.
 *
 * One MHD daemon per listening address, each with its own thread pool
 * (libmicrohttpd's internal polling: epoll where there is one). Every
 * request goes through the same steps before an endpoint sees it: the
 * method (GET and HEAD only), the length of the raw request target (seen
 * through the URI log callback, before libmicrohttpd splits it), the path,
 * the query parameters against their caps, the module, then
 * ENDPOINTS_HOSTS. Each refusal is a one-line reason with its status.
 * None of our endpoints takes a body: a request that announces one is
 * refused (413) as soon as its headers are in, before the body is read.
 *
 * Connection state the server keeps is the guard's deadline (guard.h),
 * hung on libmicrohttpd's per-socket context pointer. */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/endpoints.h"
#include "http/guard.h"
#include "http/router.h"
#include "util/clock.h"
#include "util/log.h"

#define HTTP_MAX_THREADS 64
/* One client address may hold this share of the connections (1/4). */
#define HTTP_PER_IP_SHARE 4

struct http_server {
    struct http_ctx ctx;
    struct MHD_Daemon *mhd[HTTP_MAX_LISTENERS];
    size_t nmhd;
    struct guard *guard;
    pthread_mutex_t log_lock;
    struct log_limit log_limit;
};

/* What a request's context pointer holds, by address: the URI log
 * callback's verdict on the raw request target (within QUERY_MAX_URI or
 * not), then that the headers have been seen, then that the answer is
 * queued. Answering only in the second call of the access handler, once
 * the request is complete, is what lets libmicrohttpd keep the connection
 * open for the next request. */
static char uri_ok, uri_long, seen_ok, seen_long, answered;

static const ep_handler handlers[ROUTE__COUNT] = {
    [ROUTE_API_HOSTS] = ep_api_hosts,     [ROUTE_API_SERIES] = ep_api_series,
    [ROUTE_API_TRAFFIC] = ep_api_traffic, [ROUTE_API_TOP] = ep_api_top,
    [ROUTE_API_STATUS] = ep_api_status,   [ROUTE_METRICS] = ep_metrics,
};

static unsigned default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    return n > HTTP_MAX_THREADS ? HTTP_MAX_THREADS : (unsigned)n;
}

/* ---- libmicrohttpd callbacks ---- */

static void on_log(void *cls, const char *fmt, va_list ap) OF_PRINTF(2, 0);
static void on_log(void *cls, const char *fmt, va_list ap)
{
    struct http_server *s = cls;
    char msg[256];
    (void)vsnprintf(msg, sizeof(msg), fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    pthread_mutex_lock(&s->log_lock);
    bool say = log_every(&s->log_limit, 10);
    pthread_mutex_unlock(&s->log_lock);
    if (say)
        log_msg(LOG_WARN, "http: %s", msg);
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    return strnlen(uri, QUERY_MAX_URI + 1) > QUERY_MAX_URI ? &uri_long : &uri_ok;
}

static struct guard_conn *conn_guard(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct http_server *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context = ci ? guard_open(s->guard, ci->connect_fd) : NULL;
        return;
    }
    guard_close(s->guard, *socket_context);
    *socket_context = NULL;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct http_server *s = cls;
    (void)req_cls;
    (void)toe;
    guard_arm(s->guard, conn_guard(c)); /* the next request's time starts now */
}

static enum MHD_Result on_arg(void *cls, enum MHD_ValueKind kind, const char *key, size_t klen,
                              const char *value, size_t vlen)
{
    (void)kind;
    if (!key || klen == 0)
        return MHD_YES; /* "&&" or "=x": nothing, as PHP reads it */
    return query_add(cls, key, klen, value, vlen) == QUERY_OK ? MHD_YES : MHD_NO;
}

/* ---- requests ---- */

static bool client_allowed(const struct http_ctx *ctx, struct MHD_Connection *c)
{
    if (ctx->allow.n == 0)
        return true;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return ci && allow_sockaddr(&ctx->allow, ci->client_addr);
}

/* The endpoint of a request once its path and query are known; the reply
 * for a refusal otherwise (handler NULL). */
static ep_handler pick(struct http_server *s, struct MHD_Connection *c, enum route route,
                       const struct query *q, struct http_reply *r)
{
    if (route != ROUTE_MODULES) {
        if (!client_allowed(&s->ctx, c)) {
            reply_static(r, 403, "DENIED");
            return NULL;
        }
        return handlers[route];
    }
    switch (router_module(query_get(q, "module"))) {
    case ROUTE_MOD_INDEX:
        return ep_index;
    case ROUTE_MOD_GRAPH:
        if (client_allowed(&s->ctx, c))
            return ep_graph;
        reply_static(r, 403, "GRAPH:DENIED"); /* the original's body, to the byte */
        return NULL;
    case ROUTE_MOD_GETTRAFF:
        if (client_allowed(&s->ctx, c))
            return ep_gettraff;
        reply_static(r, 403, "GETTRAFF:DENIED");
        return NULL;
    default:
        reply_error(r, 400, "unknown module");
        return NULL;
    }
}

static void handle(struct http_server *s, struct MHD_Connection *c, const char *url,
                   bool uri_too_long, struct http_reply *r)
{
    if (uri_too_long) {
        reply_error(r, 400, "request URI too long");
        return;
    }
    enum route route = router_path(url);
    if (route == ROUTE_NONE) {
        reply_error(r, 404, "not found");
        return;
    }
    struct query q;
    query_init(&q);
    (void)MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, on_arg, &q);
    if (q.st != QUERY_OK) {
        reply_error(r, 400, query_status_reason(q.st));
        return;
    }
    ep_handler h = pick(s, c, route, &q, r);
    if (h && h(&s->ctx, &q, r) < 0)
        reply_error(r, 500, "internal error");
}

static void count_reply(struct http_ctx *ctx, unsigned status)
{
    size_t k = status >= 500   ? HTTP_5XX
               : status >= 400 ? HTTP_4XX
               : status >= 300 ? HTTP_3XX
                               : HTTP_2XX;
    atomic_fetch_add(&ctx->counters.replies[k], 1);
}

static enum MHD_Result send_reply(struct http_server *s, struct MHD_Connection *c,
                                  struct http_reply *r)
{
    struct MHD_Response *resp;
    if (r->body_free)
        resp = MHD_create_response_from_buffer_with_free_callback(r->len, (void *)r->body,
                                                                  r->body_free);
    else
        resp = MHD_create_response_from_buffer(r->len, (void *)r->body, MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        reply_fini(r);
        return MHD_NO; /* out of memory: libmicrohttpd closes the connection */
    }
    r->body_free = NULL; /* the response owns the body now */
    (void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->type);
    (void)MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (r->no_store)
        (void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (r->status == 405)
        (void)MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    if (r->status == 503)
        (void)MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "5");
    enum MHD_Result ret = MHD_queue_response(c, r->status, resp);
    MHD_destroy_response(resp);
    count_reply(&s->ctx, r->status);
    return ret;
}

static bool is_get(const char *method)
{
    return strcmp(method, MHD_HTTP_METHOD_GET) == 0 || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
}

/* True when the request announces a body (none of ours takes one). */
static bool has_body(struct MHD_Connection *c)
{
    const char *len =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING) ||
           (len && strcmp(len, "0") != 0);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **req_cls)
{
    struct http_server *s = cls;
    struct http_reply r = {.status = 500, .type = REPLY_TEXT};
    (void)version;
    (void)upload;
    if (*req_cls == &uri_ok || *req_cls == &uri_long) {
        /* The headers are in: the answer's time starts. */
        guard_arm(s->guard, conn_guard(c));
        if (!is_get(method)) {
            reply_error(&r, 405, "method not allowed (GET or HEAD)");
        } else if (has_body(c)) {
            /* Refused before the body is read; libmicrohttpd then closes. */
            reply_error(&r, 413, "request body not accepted");
        } else {
            *req_cls = *req_cls == &uri_ok ? &seen_ok : &seen_long;
            return MHD_YES;
        }
    } else if (*req_cls == &answered || *upload_size) {
        *upload_size = 0;
        return MHD_YES;
    } else {
        handle(s, c, url, *req_cls == &seen_long, &r);
    }
    *req_cls = &answered;
    return send_reply(s, c, &r);
}

/* ---- start and stop ---- */

static int sockaddr_of(const char *text, uint16_t port, struct sockaddr_storage *ss,
                       struct http_listener *l)
{
    struct of_addr a;
    if (addr_parse(text, &a) < 0)
        return -EINVAL;
    memset(ss, 0, sizeof(*ss));
    if (a.af == ADDR_V4) {
        struct sockaddr_in *sin = (struct sockaddr_in *)ss;
        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        memcpy(&sin->sin_addr, a.b, 4);
    } else {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(port);
        memcpy(&sin6->sin6_addr, a.b, 16);
    }
    l->addr = a;
    l->port = port;
    return 0;
}

struct listen_plan {
    unsigned threads;
    unsigned conns;  /* per address */
    unsigned per_ip; /* per client address, per listening address */
};

/* One MHD daemon on addr (text); dual makes an IPv6 one accept IPv4 too. */
static int listen_one(struct http_server *s, const char *addr, bool dual,
                      const struct listen_plan *p)
{
    struct sockaddr_storage ss;
    struct http_listener *l = &s->ctx.listeners[s->nmhd];
    if (sockaddr_of(addr, s->ctx.cfg->http_port, &ss, l) < 0)
        return -EINVAL;
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6)
        flags |= dual ? MHD_USE_DUAL_STACK : MHD_USE_IPv6;
    errno = 0;
    /* The logger goes first, so that the other options' complaints use it. */
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, s->ctx.cfg->http_port, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, on_log,
        s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, p->threads,
        MHD_OPTION_CONNECTION_LIMIT, p->conns, MHD_OPTION_PER_IP_CONNECTION_LIMIT, p->per_ip,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)s->ctx.cfg->http_timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, HTTP_CONN_MEMORY, MHD_OPTION_URI_LOG_CALLBACK, on_uri,
        s, MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, s, MHD_OPTION_END);
    if (!d)
        return errno ? -errno : -EADDRNOTAVAIL;
    s->mhd[s->nmhd++] = d;
    s->ctx.nlisteners = s->nmhd;
    log_msg(LOG_INFO, "http: listening on %s port %u (%u threads, %u connections)", addr,
            s->ctx.cfg->http_port, p->threads, p->conns);
    return 0;
}

static int listen_all(struct http_server *s)
{
    const struct of_config *cfg = s->ctx.cfg;
    size_t naddr = cfg->http_listen.n ? cfg->http_listen.n : 1;
    struct listen_plan p;
    p.threads = cfg->http_threads ? cfg->http_threads : default_threads();
    p.conns = (unsigned)((cfg->http_max_conn + naddr - 1) / naddr);
    /* libmicrohttpd shares a daemon's connections out among its threads. */
    if (p.conns < p.threads)
        p.conns = p.threads;
    p.per_ip = p.conns / HTTP_PER_IP_SHARE ? p.conns / HTTP_PER_IP_SHARE : 1;
    if (cfg->http_listen.n == 0) {
        int rc = listen_one(s, "::", true, &p);
        if (rc < 0) /* no IPv6 on this system */
            rc = listen_one(s, "0.0.0.0", false, &p);
        return rc;
    }
    for (size_t i = 0; i < cfg->http_listen.n && i < HTTP_MAX_LISTENERS; i++) {
        int rc = listen_one(s, cfg->http_listen.a[i], false, &p);
        if (rc < 0) {
            log_msg(LOG_ERR, "http: cannot listen on %s port %u: %s", cfg->http_listen.a[i],
                    cfg->http_port, strerror(-rc));
            return rc;
        }
    }
    return 0;
}

int http_server_start(struct http_server **out, const struct of_config *cfg,
                      struct status_board *board)
{
    int rc = -ENOMEM;
    struct http_server *s = calloc(1, sizeof(*s));
    if (!s)
        return -ENOMEM;
    pthread_mutex_init(&s->log_lock, NULL);
    s->ctx.cfg = cfg;
    s->ctx.board = board;
    s->ctx.started_ms = clock_now_ms();
    s->ctx.font = cfg->charts_font[0] ? cfg->charts_font : chart_default_font();
    size_t naddr = cfg->http_listen.n ? cfg->http_listen.n : 1;
    unsigned threads = cfg->http_threads ? cfg->http_threads : default_threads();
    rc = allow_init(&s->ctx.allow, &cfg->endpoints_hosts);
    if (rc < 0)
        goto fail;
    rc = -ENOMEM;
    s->ctx.db = dbpool_new(NULL, cfg->db_path, naddr * threads);
    if (!s->ctx.db)
        goto fail;
    /* Each address may hold one thread's worth more than its share. */
    rc = guard_new(&s->guard, (size_t)cfg->http_max_conn + naddr * threads, 2 * cfg->http_timeout,
                   &s->ctx.counters.slow_closed);
    if (rc < 0)
        goto fail;
    rc = listen_all(s);
    if (rc < 0)
        goto fail;
    *out = s;
    return 0;
fail:
    http_server_stop(s);
    return rc;
}

void http_server_stop(struct http_server *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nmhd; i++)
        MHD_stop_daemon(s->mhd[i]);
    guard_free(s->guard);
    dbpool_free(s->ctx.db);
    pthread_mutex_destroy(&s->log_lock);
    free(s);
}
