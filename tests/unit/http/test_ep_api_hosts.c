/* Tests of ep_hosts_parse (http/ep_api_hosts.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "http/ep_api_hosts.h"
#include "http/query.h"
#include "unit/http/query_helper.h"

static int parse(const char *qs, struct ep_hosts_req *r)
{
    struct query q;
    char buf[1024];
    const char *why = NULL;
    assert_int_equal(query_from(&q, buf, sizeof(buf), qs), QUERY_OK);
    return ep_hosts_parse(&q, 2026, 3, r, &why);
}

static void test_hosts(void **state)
{
    (void)state;
    struct ep_hosts_req r;
    assert_int_equal(parse("", &r), 0);
    assert_int_equal(r.year, 2026);
    assert_int_equal(r.month, 3);
    assert_int_equal(r.sort, EP_HOSTS_BY_DL);
    assert_false(r.asc);
    assert_int_equal(r.limit, 0);
    assert_int_equal(parse("sort=ip", &r), 0);
    assert_true(r.asc); /* addresses read upwards */
    assert_int_equal(parse("sort=total&order=asc&limit=5&year=2024&month=05", &r), 0);
    assert_int_equal(r.sort, EP_HOSTS_BY_TOTAL);
    assert_true(r.asc);
    assert_int_equal(r.limit, 5);
    assert_int_equal(r.month, 5);
    static const char *const bad[] = {"sort=DL",       "order=down", "limit=0",
                                      "limit=1000001", "month=13",   "ip=10.0.0.1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (parse(bad[i], &r) != -EINVAL)
            fail_msg("\"%s\" was accepted", bad[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hosts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
