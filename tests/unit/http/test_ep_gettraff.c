/* Tests of ep_traff_parse (http/ep_gettraff.c): year, month, ip. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "http/ep_gettraff.h"
#include "http/query.h"
#include "unit/http/query_helper.h"

static int parse(const char *qs, struct ep_traff_req *r)
{
    struct query q;
    char buf[1024];
    const char *why = NULL;
    assert_int_equal(query_from(&q, buf, sizeof(buf), qs), QUERY_OK);
    int rc = ep_traff_parse(&q, 2026, 11, r, &why);
    if (rc < 0)
        assert_non_null(why);
    return rc;
}

static void test_accepted(void **state)
{
    (void)state;
    struct ep_traff_req r;
    assert_int_equal(parse("module=gettraff", &r), 0);
    assert_int_equal(r.year, 2026);
    assert_int_equal(r.month, 11);
    assert_false(r.one);
    assert_int_equal(parse("year=2023&month=12&ip=172.16.1.33", &r), 0);
    assert_int_equal(r.year, 2023);
    assert_int_equal(r.month, 12);
    assert_true(r.one);
    assert_int_equal(parse("month=05", &r), 0);
    assert_int_equal(r.month, 5);
    assert_int_equal(parse("month=5&year=&ip=", &r), 0); /* empty: the default */
    assert_int_equal(r.month, 5);
    assert_int_equal(r.year, 2026);
    assert_false(r.one);
    assert_int_equal(parse("year=1970&month=1", &r), 0);
    assert_int_equal(parse("year=9999&month=12&ip=::1", &r), 0);
}

static void test_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "month=0",    "month=13",   "month=-1", "month=5.0", "month=May", "year=1969",
        "year=10000", "year=20 24", "ip=1.2.3", "ip=::g",    "month=0x5",
    };
    struct ep_traff_req r;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (parse(bad[i], &r) != -EINVAL)
            fail_msg("\"%s\" was accepted", bad[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
