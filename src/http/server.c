/* http/server.c: libmicrohttpd set up, requests handed to request.c,
 * replies sent.
 *
 * One MHD daemon per listening address, each with its own thread pool
 * (libmicrohttpd's internal polling: epoll where there is one). The access
 * handler is called once the headers are in, then for each piece of body,
 * then once the request is complete; request.c does the work of each call
 * (see request.h for the steps). A refusal decided from the headers goes
 * out at once when a body is announced, so that the body is never read
 * (libmicrohttpd then closes the connection); without a body it waits for
 * the last call, so that the connection stays open for the next request.
 * The length of the raw request target is judged in the URI log callback,
 * before libmicrohttpd splits it.
 *
 * Connection state the server keeps is the guard's deadline (guard.h),
 * hung on libmicrohttpd's per-socket context pointer; request state (a
 * struct http_req) hangs on the request's context pointer and is freed
 * when libmicrohttpd reports the request completed. */
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

#include <strings.h>

#include "auth/ratelimit.h"
#include "auth/secret.h"
#include "chart/chart.h"
#include "http/context.h"
#include "http/dbpool.h"
#include "http/guard.h"
#include "http/query.h"
#include "http/request.h"
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

/* What a request's context pointer holds before and after its struct
 * http_req: the URI log callback's verdict on the raw request target
 * (within QUERY_MAX_URI or not), and an answer queued without a struct
 * (there was no memory for one). Answering only once the request is
 * complete (not while its body may still come) is what lets
 * libmicrohttpd keep the connection open for the next request. */
static char uri_ok, uri_long, answered;

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

static void req_free(void *p)
{
    if (p != &uri_ok && p != &uri_long && p != &answered)
        request_free(p);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct http_server *s = cls;
    (void)toe;
    req_free(*req_cls);
    *req_cls = NULL;
    guard_arm(s->guard, conn_guard(c)); /* the next request's time starts now */
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
    if (r->status != 204 && r->status != 304)
        (void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->type);
    (void)MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (r->no_store)
        (void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    bool retry = false;
    for (size_t i = 0; i < r->nheaders; i++) {
        (void)MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
        retry |= strcasecmp(r->headers[i].name, MHD_HTTP_HEADER_RETRY_AFTER) == 0;
    }
    if (r->status == 503 && !retry)
        (void)MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "5");
    enum MHD_Result ret = MHD_queue_response(c, r->status, resp);
    MHD_destroy_response(resp);
    count_reply(&s->ctx, r->status);
    return ret;
}

/* The first call, once the headers are in. */
static enum MHD_Result on_headers(struct http_server *s, struct MHD_Connection *c, const char *url,
                                  const char *method, void **req_cls)
{
    /* The answer's time starts. */
    guard_arm(s->guard, conn_guard(c));
    bool too_long = *req_cls == &uri_long;
    struct http_req *q = request_new();
    if (!q) {
        struct http_reply r = {.status = 503, .type = REPLY_TEXT};
        *req_cls = &answered;
        reply_refuse(&r, 503, "out of memory", NULL);
        reply_render(&r, REPLY_FORM_TEXT);
        return send_reply(s, c, &r);
    }
    *req_cls = q;
    if (request_headers(&s->ctx, c, url, method, too_long, q))
        return MHD_YES;
    if (!request_announces_body(c)) {
        q->refused = true;
        return MHD_YES;
    }
    q->answered = true;
    return send_reply(s, c, &q->reply);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **req_cls)
{
    struct http_server *s = cls;
    (void)version;
    if (!*req_cls || *req_cls == &uri_ok || *req_cls == &uri_long)
        return on_headers(s, c, url, method, req_cls);
    struct http_req *q = *req_cls == &answered ? NULL : *req_cls;
    if (!q || q->answered) {
        *upload_size = 0;
        return MHD_YES;
    }
    if (*upload_size) {
        bool go_on = request_body(q, upload, *upload_size);
        *upload_size = 0;
        /* Someone sending far more than they may: closed, not answered. */
        return go_on ? MHD_YES : MHD_NO;
    }
    if (!q->refused)
        request_answer(&s->ctx, c, url, q);
    q->answered = true;
    return send_reply(s, c, &q->reply);
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
                      struct status_board *board, const struct http_deps *deps)
{
    int rc = -ENOMEM;
    struct http_server *s = calloc(1, sizeof(*s));
    if (!s)
        return -ENOMEM;
    pthread_mutex_init(&s->log_lock, NULL);
    pthread_rwlock_init(&s->ctx.allow_lock, NULL);
    s->ctx.cfg = cfg;
    s->ctx.board = board;
    s->ctx.app = deps ? deps->app : NULL;
    s->ctx.networks = deps ? deps->networks : NULL;
    s->ctx.started_ms = clock_now_ms();
    s->ctx.font = cfg->charts_font[0] ? cfg->charts_font : chart_default_font();
    size_t naddr = cfg->http_listen.n ? cfg->http_listen.n : 1;
    unsigned threads = cfg->http_threads ? cfg->http_threads : default_threads();
    rc = secret_init();
    if (rc < 0)
        goto fail;
    rc = allow_init(&s->ctx.allow, &cfg->endpoints_hosts);
    if (rc < 0)
        goto fail;
    rc = -ENOMEM;
    s->ctx.db = dbpool_new(NULL, cfg->db_path, naddr * threads);
    s->ctx.logins = ratelimit_new(RATELIMIT_CLIENTS);
    if (!s->ctx.db || !s->ctx.logins)
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

int http_server_set_allow(struct http_server *s, const struct addr_list *hosts)
{
    struct allow fresh;
    int rc = allow_init(&fresh, hosts);
    if (rc < 0)
        return rc;
    pthread_rwlock_wrlock(&s->ctx.allow_lock);
    s->ctx.allow = fresh;
    pthread_rwlock_unlock(&s->ctx.allow_lock);
    return 0;
}

void http_server_stop(struct http_server *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nmhd; i++)
        MHD_stop_daemon(s->mhd[i]);
    guard_free(s->guard);
    dbpool_free(s->ctx.db);
    ratelimit_free(s->ctx.logins);
    pthread_rwlock_destroy(&s->ctx.allow_lock);
    pthread_mutex_destroy(&s->log_lock);
    free(s);
}
