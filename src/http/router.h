/* http/router.h: the routes, one row each, and which one a request path
 * names.
 *
 * Billing systems build links as "<base>/?module=...", with a base of the
 * server root or of /of (the original's usual path), so "/", "/of",
 * "/of/", "/of//" and the original's "index.php" under either all reach the
 * module endpoints. Runs of slashes count as one everywhere, and every
 * path may carry the /of prefix, so the API also works behind a proxy that
 * forwards /of/ as it is. The table is constant; pure functions. */
#ifndef OF_HTTP_ROUTER_H
#define OF_HTTP_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "http/endpoint.h"

#define ROUTER_MAX_PATH 256 /* longer paths name no endpoint */

/* Who may call a route. */
enum route_access {
    ROUTE_OPEN,      /* anyone (the modules: each module decides) */
    ROUTE_ALLOWLIST, /* the clients of ENDPOINTS_HOSTS; others get 403 DENIED */
    ROUTE_LOGIN,     /* a session or an API token; others get 401 */
    ROUTE_IDENTIFY,  /* anyone; the endpoint sees who (session, logout) */
};

/* One route. */
struct route {
    const char *path; /* in its one form, without /of ("" is "/") */
    bool prefix;      /* path is a folder: the route of every name in it */
    unsigned methods; /* enum http_method bits; others get 405 */
    enum route_access access;
    bool csrf;          /* a POST or DELETE with the session cookie needs X-CSRF-Token */
    bool json;          /* refusals as JSON (reply_render) */
    const char *params; /* the query keys its endpoint reads, space-separated */
    ep_handler handler;
};

/* The route of a request path (without its query string); NULL when
 * there is none (404), and for NULL. */
const struct route *router_path(const char *path);

/* The i-th row of the table, NULL past the last. */
const struct route *router_route(size_t i);

/* The file name a request path for the dashboard's files asks for: what
 * follows "/ui/" once the path is brought to its one form ("js/app.js" for
 * "/of/ui//js/app.js"). NULL when the path is not one; otherwise the name
 * is in buf (cap bytes). */
const char *router_asset(const char *path, char *buf, size_t cap);

enum route_module {
    ROUTE_MOD_INDEX, /* no module: the dashboard's page */
    ROUTE_MOD_GRAPH,
    ROUTE_MOD_GETTRAFF,
    ROUTE_MOD_UNKNOWN, /* 400 "unknown module" */
};

/* The module of the "module" parameter (NULL or "" for none). */
enum route_module router_module(const char *name);

#endif
