/* http/ep_common.h: what the endpoints share around the store (ep_common.c): a
 * handle from the pool and the same answer for the same failure, the
 * dashboard's tables, the local networks, and a few JSON helpers. */
#ifndef OF_HTTP_EP_COMMON_H
#define OF_HTTP_EP_COMMON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "util/compiler.h"

struct http_call;
struct http_ctx;
struct http_reply;
struct netsref;
struct nets;
struct of_addr;
struct sqlite3;
struct status;
struct status_exporter;
struct store;

/* A store handle from the pool, or a 503 reply when none can be opened
 * (then *st is NULL and the handler is done). */
void ep_store_get(struct http_ctx *ctx, struct http_reply *r, struct store **st);

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
