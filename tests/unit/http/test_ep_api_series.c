/* Tests of ep_series_parse (http/ep_api_series.c): the step rules. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "http/ep_api_series.h"
#include "http/query.h"
#include "unit/http/query_helper.h"

#define NOW 1715700000

static int parse(const char *qs, struct ep_series_req *r)
{
    struct query q;
    char buf[1024];
    const char *why = NULL;
    assert_int_equal(query_from(&q, buf, sizeof(buf), qs), QUERY_OK);
    int rc = ep_series_parse(&q, NOW, r, &why);
    if (rc < 0)
        assert_non_null(why);
    return rc;
}

static void test_steps(void **state)
{
    (void)state;
    struct ep_series_req r;
    assert_int_equal(parse("ip=10.0.0.1&period=week", &r), 0);
    assert_int_equal(r.step, 300); /* 2016 points */
    assert_int_equal(r.to, NOW);
    assert_int_equal(r.from, NOW - 7 * 86400);
    assert_int_equal(parse("ip=10.0.0.1&period=month&step=auto", &r), 0);
    assert_int_equal(r.step, 3600);
    assert_int_equal(parse("ip=10.0.0.1&period=year", &r), 0);
    assert_int_equal(r.step, 86400);
    assert_int_equal(parse("ip=10.0.0.1&period=year&step=3600", &r), 0); /* 8760 points */
    assert_int_equal(r.step, 3600);
    assert_int_equal(parse("ip=0.0.0.0&dir=S&period=explict&from=0&to=300&step=86400", &r), 0);
    assert_int_equal(r.dir, DIR_S);
    assert_int_equal(r.from, 0);
    assert_int_equal(r.to, 300);
}

static void test_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "ip=x",
        "ip=10.0.0.1&dir=B",
        "ip=10.0.0.1&step=60",
        "ip=10.0.0.1&step=-300",
        "ip=10.0.0.1&step=hour",
        "ip=10.0.0.1&period=year&step=300", /* 105,120 points */
        "ip=10.0.0.1&period=explict&from=9&to=3",
    };
    struct ep_series_req r;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (parse(bad[i], &r) != -EINVAL)
            fail_msg("\"%s\" was accepted", bad[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_steps),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
