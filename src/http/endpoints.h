/* http/endpoints.h: the endpoints, one file each, and what they share.
 *
 * An endpoint reads its parameters from a query (http/query.h), validates
 * every one of them in a pure *_parse function (which the fuzz target and
 * the unit tests call directly), then reads the store through a handle of
 * its own from the pool and fills a reply. A parse function returns 0, or
 * -EINVAL with *why set to a static one-line reason for the client's 400.
 * A handler returns 0 when it filled the reply (errors the client caused
 * included), or a negative errno when it could not answer at all, which
 * the server turns into a 500. Handlers run on the server's threads, any
 * number at once: they share only the context, which they only read (its
 * store pool and counters are thread-safe). */
#ifndef OF_HTTP_ENDPOINTS_H
#define OF_HTTP_ENDPOINTS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/ratelimit.h"
#include "config/config.h"
#include "daemon/networks.h"
#include "daemon/status.h"
#include "http/allow.h"
#include "http/dbpool.h"
#include "http/gate.h"
#include "http/query.h"
#include "http/reply.h"
#include "report/graph.h"
#include "util/addr.h"
#include "util/compiler.h"

#define HTTP_MAX_LISTENERS CONFIG_MAX_ADDRS

/* Explicit times are UNIX seconds within years 1970..9999, at most
 * GRAPH_MAX_SPAN apart. */
#define EP_TIME_MAX GRAPH_MAX_TIME

/* Answers by status class, for the metrics. */
enum http_code_class { HTTP_2XX, HTTP_3XX, HTTP_4XX, HTTP_5XX, HTTP_CODE__COUNT };

struct http_counters {
    atomic_uint_fast64_t replies[HTTP_CODE__COUNT];
    atomic_uint_fast64_t slow_closed; /* connections closed for taking too long */
};

struct http_listener {
    struct of_addr addr;
    uint16_t port;
};

struct http_ctx {
    const struct of_config *cfg;
    struct dbpool *db;
    struct status_board *board;  /* NULL when no collector publishes status */
    pthread_rwlock_t allow_lock; /* a reload replaces allow under it */
    struct allow allow;          /* ENDPOINTS_HOSTS */
    struct appdb *app;           /* the dashboard's tables; NULL: nobody can log in */
    struct networks *networks;   /* NULL: the config's networks, read-only */
    struct ratelimit *logins;    /* failed logins per client address */
    const char *font;            /* chart font file; NULL when none was found */
    uint64_t started_ms;         /* UNIX ms */
    struct http_listener listeners[HTTP_MAX_LISTENERS];
    size_t nlisteners;
    struct http_counters counters;
};

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

/* ---- parameters ---- */

/* gettraff and /api/v1/traffic: year (1970..9999), month (1..12, "05" or
 * "5"), ip. Absent parts default to this month and all hosts. */
struct ep_traff_req {
    int year, month;
    bool one; /* ip given */
    struct of_addr ip;
};
OF_MUST_CHECK int ep_traff_parse(const struct query *q, int year_now, int month_now,
                                 struct ep_traff_req *out, const char **why);

/* ?module=graph: fills host, dir, period, from/to, width and height of
 * req, and *dump for dumpdata. */
OF_MUST_CHECK int ep_graph_parse(const struct query *q, int64_t now, struct graph_req *req,
                                 bool *dump, const char **why);

/* /api/v1/series. */
#define EP_SERIES_MAX_POINTS 20000
struct ep_series_req {
    struct of_addr ip;
    int dir;
    int64_t from, to; /* [from, to), UNIX seconds */
    unsigned step;    /* STORE_STEP_BIN, _HOUR or _DAY */
};
OF_MUST_CHECK int ep_series_parse(const struct query *q, int64_t now, struct ep_series_req *out,
                                  const char **why);

/* /api/v1/top. */
#define EP_TOP_MAX_HOURS 8760
#define EP_TOP_MAX_LIMIT 1000
struct ep_top_req {
    int cls;
    int dir;
    unsigned hours;
    size_t limit;
};
OF_MUST_CHECK int ep_top_parse(const struct query *q, struct ep_top_req *out, const char **why);

/* /api/v1/hosts. */
#define EP_HOSTS_MAX_LIMIT 1000000
enum ep_hosts_sort { EP_HOSTS_BY_DL, EP_HOSTS_BY_UL, EP_HOSTS_BY_TOTAL, EP_HOSTS_BY_IP };
struct ep_hosts_req {
    int year, month;
    enum ep_hosts_sort sort;
    bool asc;
    size_t limit; /* 0: all */
};
OF_MUST_CHECK int ep_hosts_parse(const struct query *q, int year_now, int month_now,
                                 struct ep_hosts_req *out, const char **why);

/* Bodies of the dashboard's requests (http/body.h). Each returns 0 with
 * the request filled in (strings point into body), or -EINVAL with *ref
 * set (a 400). */
struct ep_login_req {
    const char *user;
    const char *password;
    size_t password_len;
};
OF_MUST_CHECK int ep_login_parse(const json_t *body, struct ep_login_req *out,
                                 struct http_refusal *ref);

/* POST /api/v1/users and /api/v1/users/password: name and password. */
struct ep_user_req {
    const char *name;
    const char *password;
    size_t password_len;
};
OF_MUST_CHECK int ep_user_parse(const json_t *body, struct ep_user_req *out,
                                struct http_refusal *ref);

/* POST /api/v1/networks: cidr (canonical text) and description. */
struct ep_network_req {
    char cidr[NETS_CIDR_STRLEN];
    const char *description;
};
OF_MUST_CHECK int ep_network_parse(const json_t *body, struct ep_network_req *out,
                                   struct http_refusal *ref);

/* POST /api/v1/tokens: name. */
OF_MUST_CHECK int ep_token_parse(const json_t *body, const char **name, struct http_refusal *ref);

/* The time range of a graph period (report/graph.h) that ends now; from
 * and to are used for GRAPH_EXPLICIT only. -EINVAL for a range out of
 * bounds. */
OF_MUST_CHECK int ep_period_range(enum graph_period p, int64_t now, int64_t from, int64_t to,
                                  int64_t *out_from, int64_t *out_to);

/* Reads period, from and to as ?module=graph does: period defaults to day,
 * "explict" needs from < to. */
OF_MUST_CHECK int ep_period_parse(const struct query *q, enum graph_period *period, int64_t *from,
                                  int64_t *to, const char **why);

/* ---- handlers ---- */

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

/* "/ui/<name>": ep_static for the call's path and If-None-Match. */
int ep_ui(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r);

/* The dashboard's files (http/webfiles.h), public, from memory: web/<name>
 * as 200 with its bytes, 304 without when if_none_match (the request's
 * If-None-Match header, NULL when it has none) lists its ETag, 404 when
 * there is no such file. Both return 0. */
int ep_static_file(const char *name, const char *if_none_match, struct http_reply *r);
/* The same for a request path "/ui/<name>" (router_asset, http/router.h). */
int ep_static(const char *path, const char *if_none_match, struct http_reply *r);

/* ---- shared by the handlers ---- */

/* A store handle from the pool, or a 503 reply when none can be opened
 * (then *st is NULL and the handler is done). */
void ep_store_get(struct http_ctx *ctx, struct http_reply *r, struct store **st);

/* gettraff and /api/v1/traffic: parses *req (this month by default) and
 * takes a store handle; NULL when the reply (400 or 503) is already made. */
struct store *ep_traff_begin(struct http_ctx *ctx, const struct query *q, struct http_reply *r,
                             struct ep_traff_req *req);

/* Returns the handle; rc is the request's store result. */
void ep_store_put(struct http_ctx *ctx, struct store *st, int rc);

/* The reply for a store error: 503 when the store is busy, else 500. */
void ep_store_error(struct http_reply *r, int rc);

/* Whether the client may call the original's endpoints and /metrics:
 * ENDPOINTS_HOSTS is empty or lists its address. */
bool ep_client_allowed(struct http_ctx *ctx, const struct http_call *call);

/* A JSON integer for a counter (counters never pass BIN_COUNTER_MAX,
 * which fits). */
json_t *ep_json_u64(uint64_t v);

/* The sampling rate applied to an exporter's NetFlow/IPFIX records: the
 * one it signals, or SAMPLING_RATE when it signals none or SAMPLING_FORCE
 * is on (sFlow always carries its own per sample). */
uint32_t ep_exporter_rate(const struct http_ctx *ctx, const struct status_exporter *e);

/* The uptime and UNIX time in seconds of a status (or of the server when
 * there is none). */
uint64_t ep_uptime(const struct http_ctx *ctx, const struct status *s);

/* The local networks, held for the length of a request (so that a table
 * replaced meanwhile stays valid): ep_nets_hold, then ep_netdesc any
 * number of times, then ep_nets_release. */
struct ep_nets {
    struct netsref *ref; /* NULL: the config's table */
    const struct nets *nets;
};
void ep_nets_hold(const struct http_ctx *ctx, struct ep_nets *n);
void ep_nets_release(struct ep_nets *n);

/* The description of the network addr belongs to, or NULL. */
const char *ep_netdesc(const struct ep_nets *n, const struct of_addr *addr);

/* A connection to the dashboard's tables, or a 503 reply (then *db is
 * NULL and the handler is done). */
void ep_app_get(struct http_ctx *ctx, struct http_reply *r, struct sqlite3 **db);
void ep_app_put(struct http_ctx *ctx, struct sqlite3 *db, int rc);

/* Runs fn with a connection to the dashboard's tables (or answers 503),
 * and answers a store error fn returns (other than -ENOMEM, which it
 * returns) as ep_app_error does. */
typedef int (*ep_app_fn)(struct sqlite3 *db, const struct http_call *call, struct http_reply *r);
int ep_with_app(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r,
                ep_app_fn fn);

/* The reply for an error of the dashboard's tables (503 busy, else 500). */
void ep_app_error(struct http_reply *r, int rc);

/* 201 or 200 with j as the body (j stays the caller's); 0 or -ENOMEM. */
OF_MUST_CHECK int ep_json(struct http_reply *r, unsigned status, const json_t *j);

/* 204 No Content. */
void ep_no_content(struct http_reply *r);

#endif
