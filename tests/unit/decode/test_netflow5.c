/* Tests of decode/netflow5.c with hand-made datagrams. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "decode/netflow5.h"

/* One v5 datagram with two records: 10.0.0.1:443 -> 192.0.2.7:51000 TCP
 * and an ICMP echo record whose "port" holds type 8 code 0. */
static const uint8_t two_records[] = {
    0x00, 0x05,             /* version 5 */
    0x00, 0x02,             /* count 2 */
    0x00, 0x00, 0x27, 0x10, /* sysUptime 10000 ms */
    0x66, 0x43, 0x34, 0x20, /* unix_secs 1715680288 */
    0x00, 0x00, 0x00, 0x00, /* unix_nsecs 0 */
    0x00, 0x00, 0x00, 0x01, /* flow_sequence */
    0x00, 0x00,             /* engine type, id */
    0x40, 0x0a,             /* sampling: mode 01, interval 10 */
    /* record 1 */
    0x0a, 0x00, 0x00, 0x01, /* srcaddr 10.0.0.1 */
    0xc0, 0x00, 0x02, 0x07, /* dstaddr 192.0.2.7 */
    0x00, 0x00, 0x00, 0x00, /* nexthop */
    0x00, 0x01, 0x00, 0x02, /* input, output */
    0x00, 0x00, 0x00, 0x05, /* dPkts 5 */
    0x00, 0x00, 0x05, 0xdc, /* dOctets 1500 */
    0x00, 0x00, 0x13, 0x88, /* First 5000 ms: 5 s before the header time */
    0x00, 0x00, 0x1f, 0x40, /* Last 8000 ms: 2 s before */
    0x01, 0xbb, 0xc7, 0x38, /* srcport 443, dstport 51000 */
    0x00, 0x18, 0x06, 0x00, /* pad, tcp_flags, proto 6, tos */
    0x00, 0x00, 0x00, 0x00, /* src_as, dst_as */
    0x18, 0x18, 0x00, 0x00, /* masks, pad */
    /* record 2 */
    0xc0, 0x00, 0x02, 0x07, /* srcaddr 192.0.2.7 */
    0x0a, 0x00, 0x00, 0x01, /* dstaddr 10.0.0.1 */
    0x00, 0x00, 0x00, 0x00, /* nexthop */
    0x00, 0x01, 0x00, 0x02, /* input, output */
    0x00, 0x00, 0x00, 0x01, /* dPkts 1 */
    0x00, 0x00, 0x00, 0x54, /* dOctets 84 */
    0x00, 0x00, 0x27, 0x10, /* First = sysUptime */
    0x00, 0x00, 0x27, 0x10, /* Last = sysUptime */
    0x00, 0x00, 0x08, 0x00, /* srcport 0, dstport 2048 (type 8, code 0) */
    0x00, 0x00, 0x01, 0x00, /* pad, flags, proto 1, tos */
    0x00, 0x00, 0x00, 0x00, /* src_as, dst_as */
    0x00, 0x00, 0x00, 0x00, /* masks, pad */
};

struct fixture {
    struct exporter_tab *tab;
    struct exporter *exp;
    struct flow_rec recs[64];
    struct flow_batch out;
    struct dec_ctx ctx;
};

static int setup(void **state)
{
    static struct fixture f;
    struct hash_key key;
    struct of_addr a;
    memset(&f, 0, sizeof(f));
    hash_key_from_seed(&key, 1);
    f.tab = exporter_tab_new(4, &key);
    assert_non_null(f.tab);
    assert_int_equal(addr_parse("127.0.0.1", &a), 0);
    f.exp = exporter_get(f.tab, &a);
    f.out = (struct flow_batch){f.recs, 0, 64};
    f.ctx = (struct dec_ctx){f.exp, NULL, &f.out, 1715680288000ull};
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    exporter_tab_free(f->tab);
    return 0;
}

static void test_two_records(void **state)
{
    struct fixture *f = *state;
    char a[ADDR_STRLEN];
    assert_int_equal(netflow5_decode(&f->ctx, two_records, sizeof(two_records)), DEC_OK);
    assert_int_equal(f->out.n, 2);
    const struct flow_rec *r = &f->recs[0];
    assert_string_equal(addr_format(&r->src, a, sizeof(a)), "10.0.0.1");
    assert_string_equal(addr_format(&r->dst, a, sizeof(a)), "192.0.2.7");
    assert_int_equal(r->bytes, 1500);
    assert_int_equal(r->packets, 5);
    assert_int_equal(r->sport, 443);
    assert_int_equal(r->dport, 51000);
    assert_int_equal(r->proto, 6);
    assert_int_equal(r->start_ms, 1715680288000ull - 5000);
    assert_int_equal(r->end_ms, 1715680288000ull - 2000);
    assert_int_equal(r->sampling, 10);
    assert_int_equal(f->exp->rate, 10);
    /* ICMP: type/code in the port field is not a port */
    assert_int_equal(f->recs[1].proto, 1);
    assert_int_equal(f->recs[1].sport, 0);
    assert_int_equal(f->recs[1].dport, 0);
    assert_int_equal(f->recs[1].end_ms, 1715680288000ull);
}

/* pmacct: First/Last later than sysUptime. Only uint32 arithmetic gives
 * the true time (the header's time plus the difference). */
static void test_uptime_wrap(void **state)
{
    struct fixture *f = *state;
    uint8_t p[sizeof(two_records)];
    memcpy(p, two_records, sizeof(p));
    p[4] = 0x00, p[5] = 0x00, p[6] = 0x00, p[7] = 0x64; /* sysUptime 100 */
    p[24 + 24] = 0xff, p[24 + 25] = 0xff, p[24 + 26] = 0xfc,
           p[24 + 27] = 0x18; /* First = 100 - 1100 */
    p[24 + 28] = 0x00, p[24 + 29] = 0x00, p[24 + 30] = 0x00, p[24 + 31] = 0x32; /* Last 50 */
    assert_int_equal(netflow5_decode(&f->ctx, p, sizeof(p)), DEC_OK);
    assert_int_equal(f->recs[0].start_ms, 1715680288000ull - 1100);
    assert_int_equal(f->recs[0].end_ms, 1715680288000ull - 50);
}

struct bad_case {
    const char *what;
    size_t len;    /* bytes of two_records to pass */
    uint8_t count; /* header count to write (0 keeps it) */
    uint8_t version;
    enum dec_status want;
};

static void test_bad_headers(void **state)
{
    struct fixture *f = *state;
    static const struct bad_case cases[] = {
        {"empty", 0, 0, 5, DEC_SHORT_HEADER},
        {"header cut", 23, 0, 5, DEC_SHORT_HEADER},
        {"no records", 24, 0, 5, DEC_BAD_COUNT},
        {"count 0", sizeof(two_records), 0xff, 5, DEC_BAD_COUNT},
        {"count past end", sizeof(two_records), 3, 5, DEC_BAD_COUNT},
        {"count above 30", sizeof(two_records), 31, 5, DEC_BAD_COUNT},
        {"last record cut", sizeof(two_records) - 1, 0, 5, DEC_BAD_COUNT},
        {"version 7", sizeof(two_records), 0, 7, DEC_BAD_VERSION},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint8_t p[sizeof(two_records)];
        memcpy(p, two_records, sizeof(p));
        p[1] = cases[i].version;
        if (cases[i].count)
            p[3] = cases[i].count == 0xff ? 0 : cases[i].count;
        f->out.n = 0;
        enum dec_status st = netflow5_decode(&f->ctx, p, cases[i].len);
        if (st != cases[i].want)
            fail_msg("%s: got %s, want %s", cases[i].what, dec_status_name(st),
                     dec_status_name(cases[i].want));
        assert_int_equal(f->out.n, 0);
    }
}

/* Every strict prefix is refused and yields nothing. */
static void test_truncation_sweep(void **state)
{
    struct fixture *f = *state;
    for (size_t len = 0; len < sizeof(two_records); len++) {
        f->out.n = 0;
        assert_int_not_equal(netflow5_decode(&f->ctx, two_records, len), DEC_OK);
        assert_int_equal(f->out.n, 0);
    }
}

static void test_batch_full_rolls_back(void **state)
{
    struct fixture *f = *state;
    f->out.cap = 1;
    assert_int_equal(netflow5_decode(&f->ctx, two_records, sizeof(two_records)),
                     DEC_TOO_MANY_RECORDS);
    assert_int_equal(f->out.n, 0);
    f->out.cap = 64;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_two_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uptime_wrap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_headers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncation_sweep, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch_full_rolls_back, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
