/* Tests of http/ep_period.c: the graph periods as time ranges (in UTC
 * here, so that "day" and the calendar steps are fixed). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "http/ep_period.h"
#include "http/query.h"
#include "unit/http/query_helper.h"

#define NOW 1711886400 /* 2024-03-31 12:00:00 UTC */

static int setup(void **state)
{
    (void)state;
    setenv("TZ", "UTC", 1);
    tzset();
    return 0;
}

static void test_ranges(void **state)
{
    (void)state;
    static const struct {
        enum graph_period p;
        int64_t from;
    } cases[] = {
        {GRAPH_HOUR, NOW - 3600},  {GRAPH_DAY, 1711843200}, /* 2024-03-31 00:00 */
        {GRAPH_24H, NOW - 86400},  {GRAPH_48H, NOW - 2 * 86400}, {GRAPH_WEEK, NOW - 7 * 86400},
        {GRAPH_MONTH, 1709380800}, /* "-1 month" from 31 March: 31 February, 2 March 2024 */
        {GRAPH_YEAR, 1680264000},  /* 2023-03-31 12:00 */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t f = 0, t = 0;
        assert_int_equal(ep_period_range(cases[i].p, NOW, 0, 0, &f, &t), 0);
        assert_int_equal(f, cases[i].from);
        assert_int_equal(t, NOW);
    }
    int64_t f = 0, t = 0;
    assert_int_equal(ep_period_range(GRAPH_EXPLICIT, NOW, 10, 20, &f, &t), 0);
    assert_int_equal(f, 10);
    assert_int_equal(t, 20);
    assert_int_equal(ep_period_range(GRAPH_EXPLICIT, NOW, 20, 20, &f, &t), -EINVAL);
    assert_int_equal(ep_period_range((enum graph_period)99, NOW, 0, 0, &f, &t), -EINVAL);
}

static void test_parse(void **state)
{
    (void)state;
    struct query q;
    char buf[256];
    enum graph_period p;
    int64_t f, t;
    const char *why = NULL;
    assert_int_equal(query_from(&q, buf, sizeof(buf), "period="), QUERY_OK);
    assert_int_equal(ep_period_parse(&q, &p, &f, &t, &why), 0);
    assert_int_equal(p, GRAPH_DAY);
    assert_int_equal(query_from(&q, buf, sizeof(buf), "period=explict&from=5&to=6"), QUERY_OK);
    assert_int_equal(ep_period_parse(&q, &p, &f, &t, &why), 0);
    assert_int_equal(p, GRAPH_EXPLICIT);
    assert_int_equal(query_from(&q, buf, sizeof(buf), "period=month&from=x"), QUERY_OK);
    assert_int_equal(ep_period_parse(&q, &p, &f, &t, &why), 0); /* from/to only for explict */
    assert_int_equal(query_from(&q, buf, sizeof(buf), "period=explict&from=6&to=5"), QUERY_OK);
    assert_int_equal(ep_period_parse(&q, &p, &f, &t, &why), -EINVAL);
    assert_string_equal(why, "from must be before to");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
