/* Tests of auth/ratelimit.c: five failures in five minutes make a client
 * wait until the oldest is five minutes old; a success forgets; IPv6
 * clients count per /64; a full table forgets the stalest client. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>

#include "auth/ratelimit.h"

#define T0 INT64_C(1700000000)

static struct of_addr ip(const char *s)
{
    struct of_addr a;
    assert_int_equal(addr_parse(s, &a), 0);
    return a;
}

static void test_five_failures(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(16);
    assert_non_null(rl);
    struct of_addr a = ip("192.0.2.1");
    struct of_addr b = ip("192.0.2.2");
    for (int i = 0; i < RATELIMIT_FAILS; i++)
        assert_int_equal(ratelimit_attempt(rl, &a, T0 + i * 10), 0);
    /* the sixth waits until the first is 300 s old */
    assert_int_equal(ratelimit_attempt(rl, &a, T0 + 50), 250);
    assert_int_equal(ratelimit_attempt(rl, &a, T0 + 299), 1);
    assert_int_equal(ratelimit_attempt(rl, &b, T0 + 60), 0); /* others are not held up */
    /* refused attempts do not count: at 300 s the first has aged out */
    assert_int_equal(ratelimit_attempt(rl, &a, T0 + 300), 0);
    /* ...and that attempt is the newest of five again: the second is next */
    assert_int_equal(ratelimit_attempt(rl, &a, T0 + 301), 9);
    assert_int_equal(ratelimit_attempt(rl, &a, T0 + 310), 0);
    ratelimit_free(rl);
}

static void test_success(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(16);
    struct of_addr a = ip("2001:db8::1");
    for (int i = 0; i < RATELIMIT_FAILS - 1; i++)
        assert_int_equal(ratelimit_attempt(rl, &a, T0), 0);
    assert_int_equal(ratelimit_attempt(rl, &a, T0), 0); /* the fifth: a success */
    ratelimit_success(rl, &a);
    for (int i = 0; i < RATELIMIT_FAILS; i++)
        assert_int_equal(ratelimit_attempt(rl, &a, T0 + 1), 0);
    assert_true(ratelimit_attempt(rl, &a, T0 + 1) > 0);
    ratelimit_success(rl, &a);
    assert_int_equal(ratelimit_count(rl), 0);
    ratelimit_free(rl);
}

static void test_v6_prefix_and_mapped(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(16);
    struct of_addr a1 = ip("2001:db8:1:2::1");
    struct of_addr a2 = ip("2001:db8:1:2:ffff::9"); /* the same /64 */
    struct of_addr other = ip("2001:db8:1:3::1");
    for (int i = 0; i < RATELIMIT_FAILS; i++)
        assert_int_equal(ratelimit_attempt(rl, i % 2 ? &a1 : &a2, T0), 0);
    assert_true(ratelimit_attempt(rl, &a2, T0) > 0);
    assert_int_equal(ratelimit_attempt(rl, &other, T0), 0);
    /* an IPv4 client of a dual-stack socket is the IPv4 address */
    struct of_addr v4 = ip("192.0.2.7");
    struct of_addr mapped = ip("::ffff:192.0.2.7");
    for (int i = 0; i < RATELIMIT_FAILS; i++)
        assert_int_equal(ratelimit_attempt(rl, i % 2 ? &v4 : &mapped, T0), 0);
    assert_true(ratelimit_attempt(rl, &v4, T0) > 0);
    assert_int_equal(ratelimit_count(rl), 3);
    ratelimit_free(rl);
}

static void test_full_table(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(4);
    struct of_addr blocked = ip("198.51.100.1");
    for (int i = 0; i < RATELIMIT_FAILS; i++)
        assert_int_equal(ratelimit_attempt(rl, &blocked, T0 + 100), 0);
    char buf[32];
    for (int i = 0; i < 3; i++) {
        (void)snprintf(buf, sizeof(buf), "198.51.100.%d", 10 + i);
        struct of_addr x = ip(buf);
        assert_int_equal(ratelimit_attempt(rl, &x, T0 + i), 0);
    }
    assert_int_equal(ratelimit_count(rl), 4);
    /* a fifth address takes the slot of the one whose last failure is oldest */
    struct of_addr y = ip("198.51.100.99");
    assert_int_equal(ratelimit_attempt(rl, &y, T0 + 200), 0);
    assert_int_equal(ratelimit_count(rl), 4);
    assert_true(ratelimit_attempt(rl, &blocked, T0 + 200) > 0); /* still remembered */
    struct of_addr first = ip("198.51.100.10");
    /* .10 was forgotten: it starts again with one attempt (then .11 goes) */
    assert_int_equal(ratelimit_attempt(rl, &first, T0 + 201), 0);
    assert_int_equal(ratelimit_count(rl), 4);
    ratelimit_free(rl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_five_failures),
        cmocka_unit_test(test_success),
        cmocka_unit_test(test_v6_prefix_and_mapped),
        cmocka_unit_test(test_full_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
