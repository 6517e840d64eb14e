/* Tests of account/nets.c: parsing, nesting, longest-prefix match. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "account/nets.h"

static long lookup(const struct nets *n, const char *ip)
{
    struct of_addr a;
    assert_int_equal(addr_parse(ip, &a), 0);
    return nets_lookup(n, &a);
}

static void test_nested_longest_match(void **state)
{
    (void)state;
    struct nets *n = nets_new();
    assert_int_equal(nets_add(n, "10.0.0.0/8", "core"), 0);         /* 0 */
    assert_int_equal(nets_add(n, "10.20.0.0/16", "city"), 0);       /* 1 */
    assert_int_equal(nets_add(n, "10.20.5.0/24", "office"), 0);     /* 2 */
    assert_int_equal(nets_add(n, "10.20.5.128/25", NULL), 0);       /* 3 */
    assert_int_equal(nets_add(n, "192.168.1.0/24", "lan"), 0);      /* 4 */
    assert_int_equal(nets_add(n, "2001:db8:20::/64", "v6"), 0);     /* 5 */
    assert_int_equal(nets_add(n, "2001:db8::/32", "v6 wide"), 0);   /* 6 */
    assert_int_equal(nets_add(n, "203.0.113.7/32", "one host"), 0); /* 7 */
    assert_int_equal(nets_build(n), 0);
    static const struct {
        const char *ip;
        long want;
    } cases[] =
        {
            {"10.0.0.0", 0},         {"9.255.255.255", -1}, {"10.19.255.255", 0},
            {"10.20.0.0", 1},        {"10.20.4.255", 1},    {"10.20.5.0", 2},
            {"10.20.5.127", 2},      {"10.20.5.128", 3},    {"10.20.5.255", 3},
            {"10.20.6.0", 1},        {"10.21.0.0", 0},      {"10.255.255.255", 0},
            {"11.0.0.0", -1},        {"192.168.1.77", 4},   {"192.168.2.1", -1},
            {"2001:db8:20::1", 5},   {"2001:db8:21::1", 6}, {"2001:db9::1", -1},
            {"203.0.113.7", 7},      {"203.0.113.8", -1},   {"203.0.113.6", -1},
            {"::ffff:10.0.0.1", -1}, /* mapped stays IPv6 here; unmapping is the caller's */
        };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (lookup(n, cases[i].ip) != cases[i].want)
            fail_msg("%s: got %ld want %ld", cases[i].ip, lookup(n, cases[i].ip), cases[i].want);
    assert_string_equal(nets_desc(n, 2), "office");
    assert_string_equal(nets_desc(n, 3), "");
    char buf[NETS_CIDR_STRLEN];
    assert_string_equal(nets_cidr(n, 5, buf, sizeof(buf)), "2001:db8:20::/64");
    nets_free(n);
}

static void test_whole_space(void **state)
{
    (void)state;
    struct nets *n = nets_new();
    assert_int_equal(nets_add(n, "0.0.0.0/0", "all v4"), 0);
    assert_int_equal(nets_add(n, "::/0", "all v6"), 0);
    assert_int_equal(nets_add(n, "255.255.255.255/32", "last"), 0);
    assert_int_equal(nets_build(n), 0);
    assert_int_equal(lookup(n, "0.0.0.0"), 0);
    assert_int_equal(lookup(n, "255.255.255.254"), 0);
    assert_int_equal(lookup(n, "255.255.255.255"), 2);
    assert_int_equal(lookup(n, "::"), 1);
    assert_int_equal(lookup(n, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), 1);
    nets_free(n);
}

static void test_bad_input(void **state)
{
    (void)state;
    struct nets *n = nets_new();
    char longdesc[NETS_MAX_DESC + 1];
    memset(longdesc, 'x', sizeof(longdesc) - 1);
    longdesc[sizeof(longdesc) - 1] = '\0';
    assert_int_equal(nets_add(n, "10.0.0.1/24", NULL), -EINVAL); /* host bits set */
    assert_int_equal(nets_add(n, "10.0.0.0/33", NULL), -EINVAL);
    assert_int_equal(nets_add(n, "10.0.0.0", NULL), -EINVAL);
    assert_int_equal(nets_add(n, "10.0.0.0/", NULL), -EINVAL);
    assert_int_equal(nets_add(n, "10.0.0.0/-1", NULL), -EINVAL);
    assert_int_equal(nets_add(n, "banana/8", NULL), -EINVAL);
    assert_int_equal(nets_add(n, "2001:db8::/129", NULL), -EINVAL);
    assert_int_equal(nets_add(n, "10.0.0.0/8", longdesc), -ENAMETOOLONG);
    assert_int_equal(nets_add(n, "10.0.0.0/8", "a"), 0);
    assert_int_equal(nets_add(n, "10.0.0.0/8", "b"), -EEXIST);
    assert_int_equal(nets_count(n), 1);
    nets_free(n);
}

static void test_empty(void **state)
{
    (void)state;
    struct nets *n = nets_new();
    assert_int_equal(nets_build(n), 0);
    assert_int_equal(lookup(n, "10.0.0.1"), -1);
    assert_int_equal(lookup(n, "::1"), -1);
    nets_free(n);
}

/* Many adjacent and nested prefixes: every /24 of 10.1.0.0/16 that is even
 * is listed, inside the /16; odd ones fall back to the /16. */
static void test_many(void **state)
{
    (void)state;
    struct nets *n = nets_new();
    assert_int_equal(nets_add(n, "10.1.0.0/16", "outer"), 0);
    for (int i = 0; i < 256; i += 2) {
        char c[32];
        snprintf(c, sizeof(c), "10.1.%d.0/24", i);
        assert_int_equal(nets_add(n, c, NULL), 0);
    }
    assert_int_equal(nets_build(n), 0);
    for (int i = 0; i < 256; i++) {
        char ip[32];
        snprintf(ip, sizeof(ip), "10.1.%d.9", i);
        assert_int_equal(lookup(n, ip), i % 2 ? 0 : 1 + i / 2);
    }
    nets_free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nested_longest_match),
        cmocka_unit_test(test_whole_space),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
