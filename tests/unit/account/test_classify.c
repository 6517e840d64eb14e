/* Tests of account/classify.c: the default port table and overrides. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "account/classify.h"

static void test_defaults(void **state)
{
    (void)state;
    struct classifier *c = malloc(sizeof(*c));
    classify_init_default(c);
    static const struct {
        uint8_t proto;
        uint16_t port;
        enum traffic_class proto_cls, port_cls;
    } cases[] = {
        {6, 80, CLASS_TCP, CLASS_WEB},
        {6, 443, CLASS_TCP, CLASS_WEB},
        {6, 20, CLASS_TCP, CLASS_FTP},
        {6, 21, CLASS_TCP, CLASS_FTP},
        {6, 25, CLASS_TCP, CLASS_MAIL},
        {6, 110, CLASS_TCP, CLASS_MAIL},
        {6, 143, CLASS_TCP, CLASS_MAIL},
        {6, 587, CLASS_TCP, CLASS_MAIL},
        {6, 53, CLASS_TCP, CLASS_DNS},
        {17, 53, CLASS_UDP, CLASS_DNS},
        {6, 3128, CLASS_TCP, CLASS_PROXY},
        {6, 8080, CLASS_TCP, CLASS_PROXY},
        {6, 8888, CLASS_TCP, CLASS_PROXY},
        {6, 1080, CLASS_TCP, CLASS_PROXY},
        {17, 443, CLASS_UDP, CLASS_QUIC},
        {17, 80, CLASS_UDP, CLASS_QUIC},
        {17, 1701, CLASS_UDP, CLASS_VPN},
        {17, 51820, CLASS_UDP, CLASS_VPN},
        {17, 5060, CLASS_UDP, CLASS_SIP},
        {47, 0, CLASS_TOTAL, CLASS_VPN},
        {50, 0, CLASS_TOTAL, CLASS_VPN},
        {1, 0, CLASS_ICMP, CLASS_TOTAL},
        {58, 0, CLASS_ICMP, CLASS_TOTAL},
        /* a class is (protocol, port): these are plain tcp/udp */
        {6, 5060, CLASS_TCP, CLASS_TOTAL},
        {6, 1701, CLASS_TCP, CLASS_TOTAL},
        {17, 21, CLASS_UDP, CLASS_TOTAL},
        {17, 3128, CLASS_UDP, CLASS_TOTAL},
        {17, 25, CLASS_UDP, CLASS_TOTAL},
        {6, 22, CLASS_TCP, CLASS_TOTAL},
        {6, 993, CLASS_TCP, CLASS_TOTAL},
        {17, 123, CLASS_UDP, CLASS_TOTAL},
        {132, 80, CLASS_TOTAL, CLASS_TOTAL}, /* SCTP: neither */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(classify_proto(cases[i].proto), cases[i].proto_cls);
        if (classify_port(c, cases[i].proto, cases[i].port) != cases[i].port_cls)
            fail_msg("proto %u port %u: got %d", cases[i].proto, cases[i].port,
                     classify_port(c, cases[i].proto, cases[i].port));
    }
    free(c);
}

static void test_override(void **state)
{
    (void)state;
    struct classifier *c = malloc(sizeof(*c));
    const char *bad = NULL;
    classify_init_default(c);
    assert_int_equal(classify_set_class(c, CLASS_WEB, "tcp/80, tcp/8443,udp/8443", &bad), 0);
    assert_int_equal(classify_port(c, 6, 443), CLASS_TOTAL); /* replaced, not added */
    assert_int_equal(classify_port(c, 6, 8443), CLASS_WEB);
    assert_int_equal(classify_port(c, 17, 8443), CLASS_WEB);
    assert_int_equal(classify_port(c, 17, 443), CLASS_QUIC); /* others untouched */
    assert_int_equal(classify_set_class(c, CLASS_VPN, "proto/47 udp/4500", &bad), 0);
    assert_int_equal(classify_port(c, 50, 0), CLASS_TOTAL);
    assert_int_equal(classify_port(c, 17, 4500), CLASS_VPN);
    /* refusals leave the table as it was */
    assert_int_equal(classify_set_class(c, CLASS_SIP, "udp/5060, udp/70000", &bad), -EINVAL);
    assert_string_equal(bad, "udp/70000");
    assert_int_equal(classify_port(c, 17, 5060), CLASS_SIP);
    assert_int_equal(classify_set_class(c, CLASS_SIP, "sctp/5060", &bad), -EINVAL);
    assert_int_equal(classify_set_class(c, CLASS_SIP, "proto/6", &bad), -EINVAL);
    assert_int_equal(classify_set_class(c, CLASS_TCP, "tcp/1", &bad), -EINVAL);
    assert_int_equal(classify_set_class(c, CLASS_SIP, "", &bad), 0); /* empty: class unused */
    assert_int_equal(classify_port(c, 17, 5060), CLASS_TOTAL);
    free(c);
}

static void test_names(void **state)
{
    (void)state;
    static const char *const order[] = {"total", "icmp", "udp", "tcp",   "mail", "dns",
                                        "vpn",   "ftp",  "web", "proxy", "quic", "sip"};
    for (int i = 0; i < CLASS__COUNT; i++) {
        assert_string_equal(class_name((enum traffic_class)i), order[i]);
        assert_int_equal(class_from_name(order[i]), i);
    }
    assert_null(class_name(CLASS__COUNT));
    assert_int_equal(class_from_name("http"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_override),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
