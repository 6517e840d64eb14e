/* Tests of ep_graph_parse (http/ep_graph.c): what ?module=graph accepts. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "http/ep_graph.h"
#include "http/query.h"
#include "unit/http/query_helper.h"

#define NOW 1715700000

static int parse(const char *qs, struct graph_req *req, bool *dump, const char **why)
{
    struct query q;
    char buf[8192];
    assert_int_equal(query_from(&q, buf, sizeof(buf), qs), QUERY_OK);
    *why = NULL;
    int rc = ep_graph_parse(&q, NOW, req, dump, why);
    if (rc < 0)
        assert_non_null(*why);
    return rc;
}

static void test_defaults(void **state)
{
    (void)state;
    struct graph_req r;
    bool dump = true;
    const char *why;
    assert_int_equal(parse("module=graph&ip=172.30.73.247", &r, &dump, &why), 0);
    assert_int_equal(r.host.af, ADDR_V4);
    assert_int_equal(r.dir, DIR_R);
    assert_int_equal(r.period, GRAPH_DAY);
    assert_int_equal(r.width, CHART_DEFAULT_W);
    assert_int_equal(r.height, CHART_DEFAULT_H);
    assert_int_equal(r.now, NOW);
    assert_false(dump);
    /* the README's full example */
    assert_int_equal(
        parse("module=graph&dir=R&period=week&ip=172.16.68.173&w=1300&h=400", &r, &dump, &why), 0);
    assert_int_equal(r.period, GRAPH_WEEK);
    assert_int_equal(r.width, 1300);
    assert_int_equal(
        parse("ip=0.0.0.0&dir=S&period=explict&from=100&to=200&dumpdata", &r, &dump, &why), 0);
    assert_int_equal(r.dir, DIR_S);
    assert_int_equal(r.period, GRAPH_EXPLICIT);
    assert_int_equal(r.from, 100);
    assert_int_equal(r.to, 200);
    assert_true(dump);
    assert_int_equal(parse("ip=2001:db8::1&dumpdata=1", &r, &dump, &why), 0);
    assert_int_equal(r.host.af, ADDR_V6);
}

static void test_sizes(void **state)
{
    (void)state;
    struct graph_req r;
    bool dump;
    const char *why;
    assert_int_equal(parse("ip=10.0.0.1&w=0&h=", &r, &dump, &why), 0); /* PHP: unset */
    assert_int_equal(r.width, CHART_DEFAULT_W);
    assert_int_equal(r.height, CHART_DEFAULT_H);
    assert_int_equal(parse("ip=10.0.0.1&w=1&h=1", &r, &dump, &why), 0); /* raised */
    assert_int_equal(r.width, CHART_MIN_W);
    assert_int_equal(r.height, CHART_MIN_H);
    assert_int_equal(parse("ip=10.0.0.1&w=4000&h=2000", &r, &dump, &why), 0);
    assert_int_equal(r.width, CHART_MAX_W);
    assert_int_equal(r.height, CHART_MAX_H);
    assert_int_equal(parse("ip=10.0.0.1&w=4001", &r, &dump, &why), -EINVAL);
    assert_int_equal(parse("ip=10.0.0.1&h=2001", &r, &dump, &why), -EINVAL);
    assert_int_equal(parse("ip=10.0.0.1&w=-1", &r, &dump, &why), -EINVAL);
    assert_int_equal(parse("ip=10.0.0.1&w=12px", &r, &dump, &why), -EINVAL);
    assert_int_equal(parse("ip=10.0.0.1&h=18446744073709551617", &r, &dump, &why), -EINVAL);
}

static void test_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "ip=",
        "ip=10.0.0",
        "ip=10.0.0.1/24",
        "ip=localhost",
        "ip=10.0.0.1&dir=RS",
        "ip=10.0.0.1&dir=received",
        "ip=10.0.0.1&period=days",
        "ip=10.0.0.1&period=explicit", /* the original spells it explict */
        "ip=10.0.0.1&period=explict",
        "ip=10.0.0.1&period=explict&from=1",
        "ip=10.0.0.1&period=explict&from=2&to=1",
        "ip=10.0.0.1&period=explict&from=-2&to=1",
        "ip=10.0.0.1&period=explict&from=0&to=253402300800",
        "ip=10.0.0.1&period=explict&from=0&to=400000000",
    };
    struct graph_req r;
    bool dump;
    const char *why;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (parse(bad[i], &r, &dump, &why) != -EINVAL)
            fail_msg("\"%s\" was accepted", bad[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
