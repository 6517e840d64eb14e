/* Tests of util/parse.c. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

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

static void test_bytes(void **state)
{
    (void)state;
    uint64_t v = 99;
    assert_int_equal(parse_bytes("512", 0, UINT64_MAX, &v), 0);
    assert_int_equal(v, 512);
    assert_int_equal(parse_bytes("64K", 0, UINT64_MAX, &v), 0);
    assert_int_equal(v, 65536);
    assert_int_equal(parse_bytes("512m", 0, UINT64_MAX, &v), 0);
    assert_int_equal(v, 536870912);
    assert_int_equal(parse_bytes("2G", 0, UINT64_MAX, &v), 0);
    assert_int_equal(v, 2147483648ull);
    assert_int_equal(parse_bytes("3t", 0, UINT64_MAX, &v), 0);
    assert_int_equal(v, 3298534883328ull);
    assert_int_equal(parse_bytes("16383T", 0, UINT64_MAX, &v), 0);
    assert_int_equal(v, 16383ull << 40);
    v = 7;
    assert_int_equal(parse_bytes("16777216T", 0, UINT64_MAX, &v), -ERANGE); /* 2^64 */
    assert_int_equal(parse_bytes("1G", 0, 1000, &v), -ERANGE);
    assert_int_equal(parse_bytes("1K", 2048, 4096, &v), -ERANGE);
    assert_int_equal(parse_bytes("", 0, 10, &v), -EINVAL);
    assert_int_equal(parse_bytes("G", 0, 10, &v), -EINVAL);
    assert_int_equal(parse_bytes("1GB", 0, UINT64_MAX, &v), -EINVAL);
    assert_int_equal(parse_bytes("1 G", 0, UINT64_MAX, &v), -EINVAL);
    assert_int_equal(parse_bytes("1P", 0, UINT64_MAX, &v), -EINVAL);
    assert_int_equal(parse_bytes("1.5G", 0, UINT64_MAX, &v), -EINVAL);
    assert_int_equal(parse_bytes("-1K", 0, UINT64_MAX, &v), -EINVAL);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_u64),
        cmocka_unit_test(test_bytes),
        cmocka_unit_test(test_i64_bool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
