/* http/server.h: the embedded HTTP server of `ophanimflow run`: the
 * original's ?module=graph and ?module=gettraff, the JSON API under
 * /api/v1/, /metrics and the web dashboard (see router.h and README.md,
 * "HTTP API").
 *
 * libmicrohttpd with its own threads: a pool of HTTP_THREADS per listening
 * address, HTTP_MAX_CONNECTIONS in all, a quarter of them per client
 * address, HTTP_TIMEOUT seconds of idleness before a close, a deadline per
 * request (http/guard.h), and a memory cap per connection that bounds the
 * request line and headers. The server reads the store through read-only
 * handles of its own and the collector's status through snapshots, so
 * nothing it does can hold up collection. */
#ifndef OF_HTTP_SERVER_H
#define OF_HTTP_SERVER_H

#include "config/config.h"
#include "daemon/networks.h"
#include "daemon/status.h"
#include "store/appdb.h"
#include "util/compiler.h"

/* Bytes a connection may use for the request line, the headers and the
 * response headers; a request past it is refused by libmicrohttpd. */
#define HTTP_CONN_MEMORY ((size_t)32 * 1024)

struct http_server;

/* What the dashboard's endpoints work with; either may be NULL. */
struct http_deps {
    struct appdb *app;         /* users, sessions, tokens (NULL: nobody can log in) */
    struct networks *networks; /* the live networks (NULL: cfg's, read-only) */
};

/* Listens on HTTP_LISTEN_ADDRESS (empty: one dual-stack socket on ::, or
 * 0.0.0.0 where there is no IPv6), port cfg->http_port, and serves until
 * http_server_stop. board (may be NULL) is where the collector's status
 * comes from. Start it after daemon_new, so that its threads inherit the
 * blocked signals. cfg, board and what deps (may be NULL) points to must
 * outlive the server. 0, -EINVAL for a bad setting, -EIO when libsodium
 * cannot start, or -errno when a socket cannot be bound. */
OF_MUST_CHECK int http_server_start(struct http_server **out, const struct of_config *cfg,
                                    struct status_board *board, const struct http_deps *deps);

/* Replaces ENDPOINTS_HOSTS (a reloaded config file); requests being
 * served finish with the list they started with. 0 or -EINVAL for an
 * entry that is not an address. */
OF_MUST_CHECK int http_server_set_allow(struct http_server *s, const struct addr_list *hosts);

/* Stops accepting, finishes the requests being served, frees. NULL-safe. */
void http_server_stop(struct http_server *s);

#endif
