/* Tests of http/allow.c: ENDPOINTS_HOSTS, IPv4-mapped clients included. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/allow.h"

static struct sockaddr_in6 v6(const char *s)
{
    struct sockaddr_in6 sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin6_family = AF_INET6;
    assert_int_equal(inet_pton(AF_INET6, s, &sa.sin6_addr), 1);
    return sa;
}

static struct sockaddr_in v4(const char *s)
{
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    assert_int_equal(inet_pton(AF_INET, s, &sa.sin_addr), 1);
    return sa;
}

static void test_empty_allows_all(void **state)
{
    (void)state;
    struct addr_list l = {.n = 0};
    struct allow al;
    struct sockaddr_in a = v4("192.0.2.1");
    assert_int_equal(allow_init(&al, &l), 0);
    assert_true(allow_sockaddr(&al, (struct sockaddr *)&a));
    assert_true(allow_sockaddr(&al, NULL));
}

static void test_list(void **state)
{
    (void)state;
    struct addr_list l = {.n = 2};
    memcpy(l.a[0], "127.0.0.1", sizeof("127.0.0.1"));
    memcpy(l.a[1], "2001:db8::5", sizeof("2001:db8::5"));
    struct allow al;
    assert_int_equal(allow_init(&al, &l), 0);
    struct sockaddr_in a = v4("127.0.0.1"), b = v4("127.0.0.2");
    struct sockaddr_in6 mapped = v6("::ffff:127.0.0.1"), c = v6("2001:db8::5"), d = v6("::1");
    assert_true(allow_sockaddr(&al, (struct sockaddr *)&a));
    assert_false(allow_sockaddr(&al, (struct sockaddr *)&b));
    assert_true(allow_sockaddr(&al, (struct sockaddr *)&mapped)); /* dual-stack socket */
    assert_true(allow_sockaddr(&al, (struct sockaddr *)&c));
    assert_false(allow_sockaddr(&al, (struct sockaddr *)&d));
    assert_false(allow_sockaddr(&al, NULL));
    struct sockaddr unix_sa = {.sa_family = AF_UNIX};
    assert_false(allow_sockaddr(&al, &unix_sa));
}

static void test_bad_entry(void **state)
{
    (void)state;
    struct addr_list l = {.n = 1};
    memcpy(l.a[0], "billing.example", sizeof("billing.example"));
    struct allow al;
    assert_int_equal(allow_init(&al, &l), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_allows_all),
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_bad_entry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
