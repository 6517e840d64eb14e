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
        cmocka_unit_test(test_long_path),
        cmocka_unit_test(test_modules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
