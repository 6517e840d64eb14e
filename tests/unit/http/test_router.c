/* Tests of http/router.c: the original's paths and ours, and the table
 * of routes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http/query.h"
#include "http/router.h"

/* The path of the route a request path names; NULL when none. */
static const char *route_of(const char *path)
{
    const struct route *rt = router_path(path);
    return rt ? rt->path : NULL;
}

static void test_paths(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        const char *want; /* the route's path; NULL: none */
    } cases[] = {
        {"/", ""},
        {"/of", ""},
        {"/of/", ""},
        {"/of//", ""}, /* "<base>/?module=" with a base ending in / */
        {"//", ""},
        {"/index.php", ""},
        {"/of/index.php", ""},
        {"/api/v1/hosts", "/api/v1/hosts"},
        {"/api/v1/hosts/", "/api/v1/hosts"},
        {"/of/api/v1/series", "/api/v1/series"},
        {"/api//v1/traffic", "/api/v1/traffic"},
        {"/api/v1/top", "/api/v1/top"},
        {"/api/v1/status", "/api/v1/status"},
        {"/metrics", "/metrics"},
        {"/api/v1/graph", "/api/v1/graph"},
        {"/api/v1/system", "/api/v1/system"},
        {"/api/v1/login", "/api/v1/login"},
        {"/of/api/v1/logout/", "/api/v1/logout"},
        {"/api/v1/session", "/api/v1/session"},
        {"/api/v1/networks", "/api/v1/networks"},
        {"/api/v1/users", "/api/v1/users"},
        {"/api/v1/users/password", "/api/v1/users/password"},
        {"/api/v1//users//password/", "/api/v1/users/password"},
        {"/api/v1/tokens", "/api/v1/tokens"},
        {"/api/v1/users/alice", NULL},
        {"/api/v1/tokens/1", NULL},
        {"/ui/js/app.js", "/ui"},
        {"/of/ui/app.css", "/ui"},
        {"//ui//x", "/ui"},
        {"/ui/../index.html", "/ui"}, /* a name no file has: 404 there */
        {"/ui", NULL},
        {"/ui/", NULL},
        {"/uix/app.js", NULL},
        {"/api/v1/ui/app.js", NULL},
        {"/office", NULL},
        {"/of/of", NULL},
        {"/api/v1", NULL},
        {"/api/v1/hostsx", NULL},
        {"/API/v1/hosts", NULL},
        {"", NULL},
        {"of/", NULL},
        {"*", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *got = route_of(cases[i].path);
        if (!cases[i].want != !got || (got && strcmp(got, cases[i].want) != 0))
            fail_msg("%s: got %s, want %s", cases[i].path, got ? got : "NULL",
                     cases[i].want ? cases[i].want : "NULL");
    }
    assert_null(router_path(NULL));
}

static void test_assets(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        const char *want; /* NULL: not a path under /ui/ */
    } cases[] = {
        {"/ui/js/app.js", "js/app.js"},
        {"/of/ui//js/pages/host.js", "js/pages/host.js"},
        {"/ui/app.css/", "app.css"},
        {"/of//ui/a", "a"},
        {"/ui/../../etc/passwd", "../../etc/passwd"}, /* looked up as it is: no such file */
        {"/ui", NULL},
        {"/ui/", NULL},
        {"/of/ui", NULL},
        {"/x/ui/app.js", NULL},
        {"ui/app.js", NULL},
        {"", NULL},
    };
    char buf[ROUTER_MAX_PATH];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *got = router_asset(cases[i].path, buf, sizeof(buf));
        if (!cases[i].want != !got || (got && strcmp(got, cases[i].want) != 0))
            fail_msg("%s: got %s, want %s", cases[i].path, got ? got : "NULL",
                     cases[i].want ? cases[i].want : "NULL");
    }
    assert_null(router_asset(NULL, buf, sizeof(buf)));
    /* a name that does not fit the buffer is no name */
    char small[8];
    assert_null(router_asset("/ui/abcdefgh", small, sizeof(small)));
    assert_string_equal(router_asset("/ui/ab", small, sizeof(small)), "ab");
}

static void test_long_path(void **state)
{
    (void)state;
    char p[ROUTER_MAX_PATH * 2];
    memset(p, '/', sizeof(p) - 1);
    p[sizeof(p) - 1] = '\0';
    assert_string_equal(route_of(p), ""); /* slashes collapse to one */
    memset(p, 'a', sizeof(p) - 1);
    p[0] = '/';
    assert_null(router_path(p));
}

/* Every row is reached by its own path, with and without /of, and says
 * what the request layer needs: methods, an endpoint, JSON refusals
 * exactly under /api/, and the CSRF token for every change made behind a
 * login. */
/* The keys a row names are real keys, each once. */
static void check_params(const struct route *rt)
{
    assert_non_null(rt->params);
    char words[256];
    assert_true(strlen(rt->params) < sizeof(words));
    memcpy(words, rt->params, strlen(rt->params) + 1);
    for (char *w = words; *w;) {
        size_t len = strcspn(w, " ");
        assert_true(len > 0 && len <= QUERY_MAX_KEY);
        char *next = w + len + (w[len] == ' ');
        w[len] = '\0';
        if (query_listed(next, w))
            fail_msg("%s: %s named twice", rt->path, w);
        assert_true(query_listed(rt->params, w));
        w = next;
    }
}

static void test_table(void **state)
{
    (void)state;
    size_t n = 0;
    for (const struct route *rt; (rt = router_route(n)); n++) {
        char path[ROUTER_MAX_PATH], of[ROUTER_MAX_PATH];
        assert_true(snprintf(path, sizeof(path), "%s%s", rt->path[0] ? rt->path : "/",
                             rt->prefix ? "/x" : "") < (int)sizeof(path));
        assert_true(snprintf(of, sizeof(of), "/of%s", path) < (int)sizeof(of));
        if (router_path(path) != rt || router_path(of) != rt)
            fail_msg("%s: not found as %s and %s", rt->path, path, of);
        assert_non_null(rt->handler);
        assert_true(rt->methods != 0);
        assert_int_equal(rt->json, strncmp(rt->path, "/api/", 5) == 0);
        bool login = rt->access == ROUTE_LOGIN || rt->access == ROUTE_IDENTIFY;
        if (login && (rt->methods & (HTTP_POST | HTTP_DELETE)))
            assert_true(rt->csrf);
        if (rt->csrf)
            assert_true(login);
        for (size_t j = 0; j < n; j++)
            assert_string_not_equal(router_route(j)->path, rt->path);
        check_params(rt);
    }
    assert_int_equal(n, 17);
}

/* What the endpoints read, as the rows say: the original's modules take
 * every key of graph and gettraff, an API route only its own. */
static void test_params(void **state)
{
    (void)state;
    const struct route *root = router_path("/");
    const struct route *graph = router_path("/api/v1/graph");
    const struct route *traffic = router_path("/api/v1/traffic");
    const char *graph_keys[] = {"ip", "dir", "period", "from", "to", "w", "h", "dumpdata"};
    for (size_t i = 0; i < sizeof(graph_keys) / sizeof(graph_keys[0]); i++) {
        assert_true(query_listed(root->params, graph_keys[i]));
        assert_true(query_listed(graph->params, graph_keys[i]));
    }
    assert_true(query_listed(root->params, "module"));
    assert_true(query_listed(root->params, "month"));
    assert_true(query_listed(traffic->params, "year"));
    assert_false(query_listed(graph->params, "module"));
    assert_false(query_listed(graph->params, "month"));
    assert_string_equal(router_path("/api/v1/status")->params, "");
}

static void test_modules(void **state)
{
    (void)state;
    assert_int_equal(router_module(NULL), ROUTE_MOD_INDEX);
    assert_int_equal(router_module(""), ROUTE_MOD_INDEX);
    assert_int_equal(router_module("graph"), ROUTE_MOD_GRAPH);
    assert_int_equal(router_module("gettraff"), ROUTE_MOD_GETTRAFF);
    assert_int_equal(router_module("Graph"), ROUTE_MOD_UNKNOWN);
    assert_int_equal(router_module("graph "), ROUTE_MOD_UNKNOWN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths),     cmocka_unit_test(test_assets),
        cmocka_unit_test(test_long_path), cmocka_unit_test(test_modules),
        cmocka_unit_test(test_table),     cmocka_unit_test(test_params),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
