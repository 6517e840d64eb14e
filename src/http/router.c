/* http/router.c: the table of routes, and request paths to its rows. The
 * path is first brought to one form (single slashes, no trailing slash,
 * the /of prefix and a final index.php dropped) in a bounded buffer, then
 * looked up in the table. Each row says all there is to know about a
 * route before its endpoint runs, so that the request layer has one place
 * to look. */
#include "http/router.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define GETS   (HTTP_GET | HTTP_HEAD)
#define CHANGE (GETS | HTTP_POST | HTTP_DELETE)

/* The query keys the endpoints read. "/" takes the module's and then
 * those of the module it names. */
#define PERIOD  "period from to"
#define GRAPH   "ip dir " PERIOD " w h dumpdata"
#define TRAFF   "ip month year"
#define MODULES "module " GRAPH " month year"

/* path, folder, methods, who may call, CSRF, JSON refusals, query keys,
 * endpoint */
static const struct route routes[] = {
    {"", false, GETS, ROUTE_OPEN, false, false, MODULES, ep_modules},
    {"/ui", true, GETS, ROUTE_OPEN, false, false, "", ep_ui},
    {"/metrics", false, GETS, ROUTE_ALLOWLIST, false, false, "", ep_metrics},
    {"/api/v1/hosts", false, GETS, ROUTE_LOGIN, false, true, TRAFF " sort order limit",
     ep_api_hosts},
    {"/api/v1/series", false, GETS, ROUTE_LOGIN, false, true, "ip dir step " PERIOD, ep_api_series},
    {"/api/v1/traffic", false, GETS, ROUTE_LOGIN, false, true, TRAFF, ep_api_traffic},
    {"/api/v1/top", false, GETS, ROUTE_LOGIN, false, true, "class dir hours limit", ep_api_top},
    {"/api/v1/status", false, GETS, ROUTE_LOGIN, false, true, "", ep_api_status},
    {"/api/v1/graph", false, GETS, ROUTE_LOGIN, false, true, GRAPH, ep_graph},
    {"/api/v1/system", false, GETS, ROUTE_LOGIN, false, true, "", ep_api_system},
    {"/api/v1/login", false, HTTP_POST, ROUTE_OPEN, false, true, "", ep_login},
    {"/api/v1/logout", false, HTTP_POST, ROUTE_IDENTIFY, true, true, "", ep_logout},
    {"/api/v1/session", false, GETS, ROUTE_IDENTIFY, false, true, "", ep_session},
    {"/api/v1/networks", false, CHANGE, ROUTE_LOGIN, true, true, "cidr", ep_networks},
    {"/api/v1/users", false, CHANGE, ROUTE_LOGIN, true, true, "name", ep_users},
    {"/api/v1/users/password", false, HTTP_POST, ROUTE_LOGIN, true, true, "", ep_users_password},
    {"/api/v1/tokens", false, CHANGE, ROUTE_LOGIN, true, true, "id", ep_tokens},
};

/* Collapses slashes and drops a trailing one. False when the path does not
 * start with '/' or does not fit. */
static bool normalize(const char *path, char *out, size_t cap)
{
    size_t n = 0;
    if (path[0] != '/')
        return false;
    for (const char *p = path; *p; p++) {
        if (*p == '/' && n > 0 && out[n - 1] == '/')
            continue;
        if (n + 1 >= cap)
            return false;
        out[n++] = *p;
    }
    if (n > 0 && out[n - 1] == '/')
        n--;
    out[n] = '\0';
    return true;
}

static const char *strip(const char *p, const char *prefix)
{
    size_t n = strlen(prefix);
    /* p has at least n characters when strncmp matches, so p[n] is at most
     * its NUL; the analyzer does not know what strncmp compares.
     * NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
    if (strncmp(p, prefix, n) == 0 && (p[n] == '\0' || p[n] == '/'))
        return p + n;
    return p;
}

/* The path in its one form, the /of prefix dropped; NULL when it has none. */
static const char *canonical(const char *path, char *buf, size_t cap)
{
    if (!path || !normalize(path, buf, cap))
        return NULL;
    return strip(buf, "/of");
}

const char *router_asset(const char *path, char *buf, size_t cap)
{
    static const char ui[] = "/ui/";
    const char *p = canonical(path, buf, cap);
    if (!p || strncmp(p, ui, sizeof(ui) - 1) != 0)
        return NULL;
    return p + sizeof(ui) - 1;
}

/* Whether the canonical path p is the route's: its path, or for a folder
 * a name in it. */
static bool route_matches(const struct route *rt, const char *p)
{
    if (!rt->prefix)
        return strcmp(p, rt->path) == 0;
    size_t n = strlen(rt->path);
    return strncmp(p, rt->path, n) == 0 && p[n] == '/' && p[n + 1] != '\0';
}

const struct route *router_path(const char *path)
{
    char buf[ROUTER_MAX_PATH];
    const char *p = canonical(path, buf, sizeof(buf));
    if (!p)
        return NULL;
    if (strcmp(p, "/index.php") == 0)
        p = "";
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
        if (route_matches(&routes[i], p))
            return &routes[i];
    return NULL;
}

const struct route *router_route(size_t i)
{
    return i < sizeof(routes) / sizeof(routes[0]) ? &routes[i] : NULL;
}

enum route_module router_module(const char *name)
{
    if (!name || !name[0])
        return ROUTE_MOD_INDEX;
    if (strcmp(name, "graph") == 0)
        return ROUTE_MOD_GRAPH;
    if (strcmp(name, "gettraff") == 0)
        return ROUTE_MOD_GETTRAFF;
    return ROUTE_MOD_UNKNOWN;
}
