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
    if (strncmp(p, prefix, n) == 0 && (p[n] == '\0' || p[n] == '/'))
        return p + n;
    return p;
}

enum route router_path(const char *path)
{
    char buf[ROUTER_MAX_PATH];
    if (!path || !normalize(path, buf, sizeof(buf)))
        return ROUTE_NONE;
    const char *p = strip(buf, "/of");
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
