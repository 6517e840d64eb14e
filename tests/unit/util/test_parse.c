/* Tests of util/parse.c and util/addr.c. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/addr.h"
#include "util/parse.h"

static void test_u64(void **state)
{
    (void)state;
    uint64_t v = 99;
    assert_int_equal(parse_u64("0", 0, 10, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(parse_u64("05", 1, 12, &v), 0);
    assert_int_equal(v, 5);
    assert_int_equal(parse_u64("18446744073709551615", 0, UINT64_MAX, &v), 0);
    assert_int_equal(v, UINT64_MAX);
    v = 7;
    assert_int_equal(parse_u64("18446744073709551616", 0, UINT64_MAX, &v), -ERANGE);
    assert_int_equal(parse_u64("13", 1, 12, &v), -ERANGE);
    assert_int_equal(parse_u64("", 0, 10, &v), -EINVAL);
    assert_int_equal(parse_u64(" 1", 0, 10, &v), -EINVAL);
    assert_int_equal(parse_u64("1 ", 0, 10, &v), -EINVAL);
    assert_int_equal(parse_u64("-1", 0, 10, &v), -EINVAL);
    assert_int_equal(parse_u64("+1", 0, 10, &v), -EINVAL);
    assert_int_equal(parse_u64("0x10", 0, 100, &v), -EINVAL);
    assert_int_equal(v, 7); /* untouched on failure */
}

static void test_i64_bool(void **state)
{
    (void)state;
    int64_t v;
    int b;
    assert_int_equal(parse_i64("-5", -10, 10, &v), 0);
    assert_int_equal(v, -5);
    assert_int_equal(parse_i64("-", -10, 10, &v), -EINVAL);
    assert_int_equal(parse_i64("11", -10, 10, &v), -ERANGE);
    assert_int_equal(parse_bool("Yes", &b), 0);
    assert_int_equal(b, 1);
    assert_int_equal(parse_bool("off", &b), 0);
    assert_int_equal(b, 0);
    assert_int_equal(parse_bool("2", &b), -EINVAL);
}

static void test_addr(void **state)
{
    (void)state;
    struct of_addr a;
    char buf[ADDR_STRLEN];
    unsigned len;
    assert_int_equal(addr_parse("2001:0db8:0020:0000:0000:0000:0000:0010", &a), 0);
    assert_string_equal(addr_format(&a, buf, sizeof(buf)), "2001:db8:20::10"); /* RFC 5952 */
    assert_int_equal(addr_parse("::ffff:10.1.2.3", &a), 0);
    assert_int_equal(a.af, ADDR_V6);
    addr_unmap(&a);
    assert_int_equal(a.af, ADDR_V4);
    assert_string_equal(addr_format(&a, buf, sizeof(buf)), "10.1.2.3");
    assert_int_equal(addr_parse("10.1.2", &a), -EINVAL);
    assert_int_equal(addr_parse("10.1.2.256", &a), -EINVAL);
    assert_int_equal(addr_parse("", &a), -EINVAL);
    assert_int_equal(addr_parse_cidr("10.1.2.3/20", &a, &len), 0);
    assert_int_equal(len, 20);
    assert_string_equal(addr_format(&a, buf, sizeof(buf)), "10.1.0.0");
    assert_int_equal(addr_parse_cidr("2001:db8:ffff::/31", &a, &len), 0);
    assert_string_equal(addr_format(&a, buf, sizeof(buf)), "2001:db8::");
    assert_int_equal(addr_parse_cidr("10.0.0.0/33", &a, &len), -EINVAL);
    struct of_addr x, y;
    assert_int_equal(addr_parse("10.0.0.1", &x), 0);
    assert_int_equal(addr_parse("10.0.0.1", &y), 0);
    assert_true(addr_equal(&x, &y));
    y.b[3] = 2;
    assert_false(addr_equal(&x, &y));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_u64),
        cmocka_unit_test(test_i64_bool),
        cmocka_unit_test(test_addr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
