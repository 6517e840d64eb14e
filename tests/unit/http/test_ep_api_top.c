/* Tests of ep_top_parse (http/ep_api_top.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "http/ep_api_top.h"
#include "http/query.h"
#include "unit/http/query_helper.h"

static int parse(const char *qs, struct ep_top_req *r)
{
    struct query q;
    char buf[1024];
    const char *why = NULL;
    assert_int_equal(query_from(&q, buf, sizeof(buf), qs), QUERY_OK);
    return ep_top_parse(&q, r, &why);
}

static void test_top(void **state)
{
    (void)state;
    struct ep_top_req r;
    assert_int_equal(parse("", &r), 0);
    assert_int_equal(r.cls, CLASS_TOTAL);
    assert_int_equal(r.dir, DIR_R);
    assert_int_equal(r.hours, 24);
    assert_int_equal(r.limit, 20);
    assert_int_equal(parse("class=quic&dir=S&hours=48&limit=1000", &r), 0);
    assert_int_equal(r.cls, CLASS_QUIC);
    assert_int_equal(r.dir, DIR_S);
    assert_int_equal(r.hours, 48);
    assert_int_equal(r.limit, 1000);
    static const char *const bad[] = {"class=QUIC", "class=all",  "hours=0", "hours=8761",
                                      "limit=0",    "limit=1001", "dir=x",   "hours=1.5"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (parse(bad[i], &r) != -EINVAL)
            fail_msg("\"%s\" was accepted", bad[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_top),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
