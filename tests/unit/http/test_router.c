/* Tests of http/router.c: the original's paths and ours. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/router.h"

static void test_paths(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        enum route want;
    } cases[] = {
        {"/", ROUTE_MODULES},
        {"/of", ROUTE_MODULES},
        {"/of/", ROUTE_MODULES},
        {"/of//", ROUTE_MODULES}, /* "<base>/?module=" with a base ending in / */
        {"//", ROUTE_MODULES},
        {"/index.php", ROUTE_MODULES},
        {"/of/index.php", ROUTE_MODULES},
        {"/api/v1/hosts", ROUTE_API_HOSTS},
        {"/api/v1/hosts/", ROUTE_API_HOSTS},
        {"/of/api/v1/series", ROUTE_API_SERIES},
        {"/api//v1/traffic", ROUTE_API_TRAFFIC},
        {"/api/v1/top", ROUTE_API_TOP},
        {"/api/v1/status", ROUTE_API_STATUS},
        {"/metrics", ROUTE_METRICS},
        {"/api/v1/graph", ROUTE_API_GRAPH},
        {"/api/v1/system", ROUTE_API_SYSTEM},
        {"/api/v1/login", ROUTE_API_LOGIN},
        {"/of/api/v1/logout/", ROUTE_API_LOGOUT},
        {"/api/v1/session", ROUTE_API_SESSION},
        {"/api/v1/networks", ROUTE_API_NETWORKS},
        {"/api/v1/users", ROUTE_API_USERS},
        {"/api/v1/users/password", ROUTE_API_PASSWORD},
        {"/api/v1//users//password/", ROUTE_API_PASSWORD},
        {"/api/v1/tokens", ROUTE_API_TOKENS},
        {"/api/v1/users/alice", ROUTE_NONE},
        {"/api/v1/tokens/1", ROUTE_NONE},
        {"/ui/js/app.js", ROUTE_STATIC},
        {"/of/ui/app.css", ROUTE_STATIC},
        {"//ui//x", ROUTE_STATIC},
        {"/ui/../index.html", ROUTE_STATIC}, /* a name no file has: 404 there */
        {"/ui", ROUTE_NONE},
        {"/ui/", ROUTE_NONE},
        {"/uix/app.js", ROUTE_NONE},
        {"/api/v1/ui/app.js", ROUTE_NONE},
        {"/office", ROUTE_NONE},
        {"/of/of", ROUTE_NONE},
        {"/api/v1", ROUTE_NONE},
        {"/api/v1/hostsx", ROUTE_NONE},
        {"/API/v1/hosts", ROUTE_NONE},
        {"", ROUTE_NONE},
        {"of/", ROUTE_NONE},
        {"*", ROUTE_NONE},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (router_path(cases[i].path) != cases[i].want)
            fail_msg("%s: got %d, want %d", cases[i].path, router_path(cases[i].path),
                     cases[i].want);
    }
    assert_int_equal(router_path(NULL), ROUTE_NONE);
}

static void test_assets(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        const char *want; /* NULL: not ROUTE_STATIC */
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
    assert_int_equal(router_path(p), ROUTE_MODULES); /* slashes collapse to one */
    memset(p, 'a', sizeof(p) - 1);
    p[0] = '/';
    assert_int_equal(router_path(p), ROUTE_NONE);
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
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_assets),
        cmocka_unit_test(test_long_path),
        cmocka_unit_test(test_modules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
