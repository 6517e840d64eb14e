/* http/router.c: request paths to endpoints. The path is first brought to
 * one form (single slashes, no trailing slash, the /of prefix and a final
 * index.php dropped) in a bounded buffer, then looked up in a table. */
#include "http/router.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

static const struct {
    const char *path;
    enum route route;
} routes[] = {
    {"", ROUTE_MODULES},
    {"/api/v1/hosts", ROUTE_API_HOSTS},
    {"/api/v1/series", ROUTE_API_SERIES},
    {"/api/v1/traffic", ROUTE_API_TRAFFIC},
    {"/api/v1/top", ROUTE_API_TOP},
    {"/api/v1/status", ROUTE_API_STATUS},
    {"/metrics", ROUTE_METRICS},
    {"/api/v1/graph", ROUTE_API_GRAPH},
    {"/api/v1/system", ROUTE_API_SYSTEM},
    {"/api/v1/login", ROUTE_API_LOGIN},
    {"/api/v1/logout", ROUTE_API_LOGOUT},
    {"/api/v1/session", ROUTE_API_SESSION},
    {"/api/v1/networks", ROUTE_API_NETWORKS},
    {"/api/v1/users", ROUTE_API_USERS},
    {"/api/v1/users/password", ROUTE_API_PASSWORD},
    {"/api/v1/tokens", ROUTE_API_TOKENS},
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

enum route router_path(const char *path)
{
    char buf[ROUTER_MAX_PATH];
    if (router_asset(path, buf, sizeof(buf)))
        return ROUTE_STATIC;
    const char *p = canonical(path, buf, sizeof(buf));
    if (!p)
        return ROUTE_NONE;
    if (strcmp(p, "/index.php") == 0)
        p = "";
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
        if (strcmp(p, routes[i].path) == 0)
            return routes[i].route;
    return ROUTE_NONE;
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
