/* http/router.h: which endpoint a request path and module name.
 *
 * Billing systems build links as "<base>/?module=...", with a base of the
 * server root or of /of (the original's usual path), so "/", "/of",
 * "/of/", "/of//" and the original's "index.php" under either all reach the
 * module endpoints. Runs of slashes count as one everywhere, and every
 * path may carry the /of prefix, so the API also works behind a proxy that
 * forwards /of/ as it is. Pure functions; no state. */
#ifndef OF_HTTP_ROUTER_H
#define OF_HTTP_ROUTER_H

#include <stddef.h>

#define ROUTER_MAX_PATH 256 /* longer paths name no endpoint */

enum route {
    ROUTE_NONE,    /* no such path: 404 */
    ROUTE_MODULES, /* "/": the endpoint is the module parameter's */
    ROUTE_API_HOSTS,
    ROUTE_API_SERIES,
    ROUTE_API_TRAFFIC,
    ROUTE_API_TOP,
    ROUTE_API_STATUS,
    ROUTE_METRICS,
    ROUTE_API_GRAPH,    /* /api/v1/graph: ?module=graph for the dashboard */
    ROUTE_API_SYSTEM,   /* /api/v1/system */
    ROUTE_API_LOGIN,    /* /api/v1/login */
    ROUTE_API_LOGOUT,   /* /api/v1/logout */
    ROUTE_API_SESSION,  /* /api/v1/session */
    ROUTE_API_NETWORKS, /* /api/v1/networks */
    ROUTE_API_USERS,    /* /api/v1/users */
    ROUTE_API_PASSWORD, /* /api/v1/users/password */
    ROUTE_API_TOKENS,   /* /api/v1/tokens */
    ROUTE_STATIC,       /* "/ui/<name>": a file of the dashboard (router_asset) */
    ROUTE__COUNT
};

enum route_module {
    ROUTE_MOD_INDEX, /* no module: a short index of the API */
    ROUTE_MOD_GRAPH,
    ROUTE_MOD_GETTRAFF,
    ROUTE_MOD_UNKNOWN, /* 400 "unknown module" */
};

/* The route of a request path (without its query string). NULL is
 * ROUTE_NONE. */
enum route router_path(const char *path);

/* The file name a ROUTE_STATIC path asks for: what follows "/ui/" once
 * the path is brought to its one form ("js/app.js" for "/of/ui//js/app.js").
 * NULL when the path is not ROUTE_STATIC; otherwise the name is in buf
 * (cap bytes). */
const char *router_asset(const char *path, char *buf, size_t cap);

/* The module of the "module" parameter (NULL or "" for none). */
enum route_module router_module(const char *name);

#endif
