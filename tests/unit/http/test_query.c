/* Tests of http/query.c: caps, sticky failures, and the typed readers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "account/classes.h"
#include "http/query.h"

static enum query_status add(struct query *q, const char *k, const char *v)
{
    return query_add(q, k, strlen(k), v, v ? strlen(v) : 0);
}

static void test_get_last_wins(void **state)
{
    (void)state;
    struct query q;
    query_init(&q);
    assert_int_equal(add(&q, "ip", "10.0.0.1"), QUERY_OK);
    assert_int_equal(add(&q, "dumpdata", NULL), QUERY_OK);
    assert_int_equal(add(&q, "month", ""), QUERY_OK);
    assert_int_equal(add(&q, "ip", "10.0.0.2"), QUERY_OK);
    assert_string_equal(query_get(&q, "ip"), "10.0.0.2"); /* as PHP's $_GET */
    assert_string_equal(query_get(&q, "dumpdata"), "");
    assert_null(query_get(&q, "nope"));
    assert_true(query_has(&q, "dumpdata"));
    assert_false(query_given(&q, "dumpdata"));
    assert_false(query_given(&q, "month"));
    assert_true(query_given(&q, "ip"));
    assert_false(query_has(&q, "IP")); /* keys are case-sensitive, as in PHP */
}

static void test_caps(void **state)
{
    (void)state;
    struct query q;
    char key[QUERY_MAX_KEY + 2], val[QUERY_MAX_VALUE + 2];
    query_init(&q);
    for (size_t i = 0; i < QUERY_MAX_PARAMS; i++)
        assert_int_equal(add(&q, "k", "v"), QUERY_OK);
    assert_int_equal(add(&q, "k", "v"), QUERY_TOO_MANY);
    assert_int_equal(add(&q, "x", "y"), QUERY_TOO_MANY); /* sticky */
    assert_int_equal(q.n, QUERY_MAX_PARAMS);

    memset(key, 'k', sizeof(key));
    key[QUERY_MAX_KEY] = '\0';
    query_init(&q);
    assert_int_equal(add(&q, key, "1"), QUERY_OK); /* exactly the cap */
    key[QUERY_MAX_KEY] = 'k';
    key[QUERY_MAX_KEY + 1] = '\0';
    assert_int_equal(add(&q, key, "1"), QUERY_KEY_LONG);

    memset(val, 'v', sizeof(val));
    val[QUERY_MAX_VALUE] = '\0';
    query_init(&q);
    assert_int_equal(add(&q, "a", val), QUERY_OK);
    val[QUERY_MAX_VALUE] = 'v';
    val[QUERY_MAX_VALUE + 1] = '\0';
    assert_int_equal(add(&q, "b", val), QUERY_VALUE_LONG);

    /* the total: eight values of 256 bytes and their keys pass 2048 */
    val[QUERY_MAX_VALUE] = '\0';
    query_init(&q);
    enum query_status st = QUERY_OK;
    for (int i = 0; i < 9 && st == QUERY_OK; i++)
        st = add(&q, "k", val);
    assert_int_equal(st, QUERY_TOO_LONG);
    assert_true(q.total <= QUERY_MAX_TOTAL);
}

static void test_bad_chars(void **state)
{
    (void)state;
    struct query q;
    query_init(&q);
    /* "%00" decoded: the length says 3, the string stops at 1 */
    assert_int_equal(query_add(&q, "ip", 2,
                               "1\0"
                               "2",
                               3),
                     QUERY_BAD_CHAR);
    query_init(&q);
    assert_int_equal(add(&q, "a\nb", "1"), QUERY_BAD_CHAR);
    query_init(&q);
    assert_int_equal(add(&q, "a", "x\x7f"), QUERY_BAD_CHAR);
    query_init(&q);
    assert_int_equal(add(&q, "", "x"), QUERY_EMPTY_KEY);
    assert_string_equal(query_status_reason(QUERY_TOO_MANY), "too many parameters");
    assert_non_null(query_status_reason((enum query_status)99));
}

static void test_listed(void **state)
{
    (void)state;
    assert_true(query_listed("ip dir period", "ip"));
    assert_true(query_listed("ip dir period", "dir"));
    assert_true(query_listed("ip dir period", "period"));
    assert_false(query_listed("ip dir period", "i"));
    assert_false(query_listed("ip dir period", "per"));
    assert_false(query_listed("ip dir period", "periods"));
    assert_false(query_listed("ip dir period", ""));
    assert_false(query_listed("", "ip"));
    assert_true(query_listed("  ip  dir ", "dir"));
    assert_false(query_listed("ip dir", "ip dir"));
}

/* Declaring the keys changes nothing a client sees: every pair is still
 * collected and capped, and the declared ones read as before. */
static void test_expect(void **state)
{
    (void)state;
    struct query q;
    query_init(&q);
    assert_int_equal(query_add(&q, "ip", 2, "10.0.0.1", 8), QUERY_OK);
    assert_int_equal(query_add(&q, "_", 1, "123", 3), QUERY_OK);
    query_expect(&q, "ip dir");
    assert_int_equal(q.n, 2);
    assert_string_equal(query_get(&q, "ip"), "10.0.0.1");
    assert_null(query_get(&q, "dir"));
    int dir = -1;
    assert_int_equal(query_dir(&q, "dir", &dir), 0);
    assert_int_equal(dir, DIR_R);
}

static void test_int(void **state)
{
    (void)state;
    struct query q;
    int64_t v = 7;
    query_init(&q);
    assert_int_equal(add(&q, "a", "05"), QUERY_OK);
    assert_int_equal(add(&q, "b", "-1"), QUERY_OK);
    assert_int_equal(add(&q, "c", "1e3"), QUERY_OK);
    assert_int_equal(add(&q, "d", "99999999999999999999999"), QUERY_OK);
    assert_int_equal(add(&q, "e", ""), QUERY_OK);
    assert_int_equal(add(&q, "f", " 5"), QUERY_OK);
    assert_int_equal(query_int(&q, "a", 1, 12, &v), 0);
    assert_int_equal(v, 5);
    v = 7;
    assert_int_equal(query_int(&q, "b", 0, 10, &v), -ERANGE);
    assert_int_equal(query_int(&q, "c", 0, 10000, &v), -EINVAL);
    assert_int_equal(query_int(&q, "d", 0, 10000, &v), -ERANGE);
    assert_int_equal(query_int(&q, "e", 0, 10, &v), 0); /* empty: the default stays */
    assert_int_equal(query_int(&q, "f", 0, 10, &v), -EINVAL);
    assert_int_equal(query_int(&q, "zz", 0, 10, &v), 0);
    assert_int_equal(v, 7);
}

static void test_addr_dir(void **state)
{
    (void)state;
    struct query q;
    struct of_addr a;
    bool given = true;
    int dir = -1;
    query_init(&q);
    assert_int_equal(add(&q, "ip", "2001:db8::1"), QUERY_OK);
    assert_int_equal(add(&q, "bad", "10.0.0.256"), QUERY_OK);
    assert_int_equal(add(&q, "dir", "S"), QUERY_OK);
    assert_int_equal(add(&q, "d2", "s"), QUERY_OK);
    assert_int_equal(query_addr(&q, "ip", &a, &given), 0);
    assert_true(given);
    assert_int_equal(a.af, ADDR_V6);
    assert_int_equal(query_addr(&q, "bad", &a, &given), -EINVAL);
    assert_int_equal(query_addr(&q, "none", &a, &given), 0);
    assert_false(given);
    assert_int_equal(query_dir(&q, "dir", &dir), 0);
    assert_int_equal(dir, DIR_S);
    assert_int_equal(query_dir(&q, "d2", &dir), -EINVAL);
    assert_int_equal(query_dir(&q, "none", &dir), 0);
    assert_int_equal(dir, DIR_R);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_last_wins), cmocka_unit_test(test_caps),
        cmocka_unit_test(test_bad_chars),     cmocka_unit_test(test_int),
        cmocka_unit_test(test_addr_dir),      cmocka_unit_test(test_listed),
        cmocka_unit_test(test_expect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
