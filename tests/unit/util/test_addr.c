/* Tests for util/addr.c: text forms both ways (RFC 5952 output, strict
 * input), IPv4-mapped addresses, prefixes and masks, equality. Tables of
 * rows, each failing with its own input named. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/addr.h"

/* Text that must come back exactly as it went in: already canonical. */
static const char *const canonical[] = {
    "0.0.0.0",
    "10.1.2.3",
    "255.255.255.255",
    "::",
    "::1",
    "1::",
    "2001:db8::1",
    "2001:db8:0:1:1:1:1:1", /* RFC 5952 4.2.2: a single 0 field is not compressed */
    "2001:db8::1:0:0:1",    /* 4.2.3: of two equal runs, the first is compressed */
    "2001:0:0:1::1",        /* 4.2.3: the longest run is compressed */
    "fe80::1:2:3:4",
    "1:2:3:4:5:6:7:8",
    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    "::ffff:192.0.2.1", /* 5: IPv4-mapped keeps its dotted tail */
};

struct respell {
    const char *in;
    const char *out;
};

/* Text in any form RFC 4291 allows, and the one form it must come out as. */
static const struct respell respelled[] = {
    {"2001:0db8:0020:0000:0000:0000:0000:0010", "2001:db8:20::10"}, /* 4.1 leading zeros */
    {"2001:DB8::A", "2001:db8::a"},                                 /* 4.3 lowercase */
    {"2001:Db8:0:0:0:0:2:1", "2001:db8::2:1"},                      /* 4.2.1 shortest */
    {"2001:db8::0:1", "2001:db8::1"},                               /* "::" takes the whole run */
    {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},                  /* 4.2.3 leftmost on a tie */
    {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},                        /* 4.2.3 longest run */
    {"2001:db8::1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},  /* 4.2.2 no "::" for one field */
    {"0:0:0:0:0:0:0:0", "::"},                        /* all zeros */
    {"0:0:0:0:0:0:0:1", "::1"},                       /* leading run */
    {"1:0:0:0:0:0:0:0", "1::"},                       /* trailing run */
    {"0:0:0:0:0:1:0:0", "::1:0:0"},                   /* leading run beats a shorter one */
    {"1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"},           /* a lone trailing 0 field */
    {"::FFFF:C000:0201", "::ffff:192.0.2.1"},         /* 5: mapped, written in hex */
    {"0:0:0:0:0:ffff:192.0.2.1", "::ffff:192.0.2.1"}, /* 5: "::" before the dotted part */
    {"FE80:0000:0000:0000:0202:B3FF:FE1E:8329", "fe80::202:b3ff:fe1e:8329"},
};

static const char *const bad_addrs[] = {
    "",
    " ",
    "10.1.2",
    "10.1.2.256",
    "10.1.2.3.4",
    " 10.1.2.3", /* inet_pton allows no spaces either side */
    "10.1.2.3 ",
    "10.1.2.3/24", /* a prefix is addr_parse_cidr's business */
    "0x0a.1.2.3",
    "10..2.3",
    ":::",
    "1::2::3",
    "12345::",
    "1:2:3:4:5:6:7:8:9",
    "::ffff:1.2.3",
    "g::",
    "[::1]",
    "fe80::1%lo", /* no zone identifiers */
    "localhost",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void test_round_trip(void **state)
{
    (void)state;
    char buf[ADDR_STRLEN];
    for (size_t i = 0; i < NELEM(canonical); i++) {
        struct of_addr a;
        if (addr_parse(canonical[i], &a) != 0)
            fail_msg("addr_parse(\"%s\") failed", canonical[i]);
        addr_format(&a, buf, sizeof(buf));
        if (strcmp(buf, canonical[i]) != 0)
            fail_msg("\"%s\" came back as \"%s\"", canonical[i], buf);
        assert_int_equal(a.af, strchr(canonical[i], ':') ? ADDR_V6 : ADDR_V4);
    }
}

static void test_rfc5952(void **state)
{
    (void)state;
    char buf[ADDR_STRLEN];
    for (size_t i = 0; i < NELEM(respelled); i++) {
        struct of_addr a;
        if (addr_parse(respelled[i].in, &a) != 0)
            fail_msg("addr_parse(\"%s\") failed", respelled[i].in);
        const char *s = addr_format(&a, buf, sizeof(buf));
        assert_ptr_equal(s, buf); /* returns its buffer */
        if (strcmp(buf, respelled[i].out) != 0)
            fail_msg("\"%s\" formats as \"%s\", want \"%s\"", respelled[i].in, buf,
                     respelled[i].out);
    }
}

/* The longest text form fits ADDR_STRLEN. */
static void test_longest(void **state)
{
    (void)state;
    char buf[ADDR_STRLEN];
    struct of_addr a;
    assert_int_equal(addr_parse("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", &a), 0);
    addr_format(&a, buf, sizeof(buf));
    assert_string_equal(buf, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    assert_int_equal(addr_parse("::ffff:255.255.255.255", &a), 0);
    addr_format(&a, buf, sizeof(buf));
    assert_string_equal(buf, "::ffff:255.255.255.255");
}

static void test_parse_bad(void **state)
{
    (void)state;
    for (size_t i = 0; i < NELEM(bad_addrs); i++) {
        struct of_addr a;
        memset(&a, 0x5a, sizeof(a));
        if (addr_parse(bad_addrs[i], &a) != -EINVAL)
            fail_msg("addr_parse(\"%s\") accepted", bad_addrs[i]);
        for (size_t j = 0; j < sizeof(a.b); j++) /* *out untouched on failure */
            assert_int_equal(a.b[j], 0x5a);
        assert_int_equal(a.af, 0x5a);
    }
}

/* IPv4 keeps its 4 bytes in front and zeros behind, whatever was in *out. */
static void test_v4_layout(void **state)
{
    (void)state;
    struct of_addr a;
    memset(&a, 0xff, sizeof(a));
    assert_int_equal(addr_parse("192.0.2.1", &a), 0);
    static const uint8_t want[16] = {192, 0, 2, 1};
    assert_int_equal(a.af, ADDR_V4);
    assert_memory_equal(a.b, want, 16);

    struct of_addr b;
    memset(&b, 0xff, sizeof(b));
    addr_from_v4(&b, want);
    assert_true(addr_equal(&a, &b));
    assert_memory_equal(b.b, want, 16);

    static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
    addr_from_v6(&b, v6);
    assert_int_equal(b.af, ADDR_V6);
    assert_memory_equal(b.b, v6, 16);
    assert_int_equal(addr_parse("2001:db8::1", &a), 0);
    assert_true(addr_equal(&a, &b));
}

static void test_format_no_addr(void **state)
{
    (void)state;
    char buf[ADDR_STRLEN];
    struct of_addr a;
    memset(&a, 0, sizeof(a));
    assert_string_equal(addr_format(&a, buf, sizeof(buf)), "-");
    a.af = 5; /* not a family we know either */
    assert_string_equal(addr_format(&a, buf, sizeof(buf)), "-");
}

static void test_unmap(void **state)
{
    (void)state;
    char buf[ADDR_STRLEN];
    struct of_addr a, v4;
    assert_int_equal(addr_parse("::ffff:10.1.2.3", &a), 0);
    assert_int_equal(a.af, ADDR_V6);
    addr_unmap(&a);
    assert_int_equal(a.af, ADDR_V4);
    assert_int_equal(addr_parse("10.1.2.3", &v4), 0);
    assert_true(addr_equal(&a, &v4)); /* the same bytes, zeros behind */
    assert_string_equal(addr_format(&a, buf, sizeof(buf)), "10.1.2.3");
    addr_unmap(&a); /* IPv4 stays as it is */
    assert_true(addr_equal(&a, &v4));

    /* Only ::ffff:0:0/96 is unmapped: not the IPv4-compatible ::/96, not
     * IPv4-translated ::ffff:0:0:0/96 nor the NAT64 prefix 64:ff9b::/96. */
    static const char *const kept[] = {"::10.1.2.3",     "::ffff:0:a01:203", "64:ff9b::a01:203",
                                       "::fffe:a01:203", "1::ffff:a01:203",  "::1"};
    for (size_t i = 0; i < NELEM(kept); i++) {
        struct of_addr b;
        assert_int_equal(addr_parse(kept[i], &a), 0);
        b = a;
        addr_unmap(&a);
        if (!addr_equal(&a, &b))
            fail_msg("\"%s\" was unmapped", kept[i]);
    }

    memset(&a, 0, sizeof(a)); /* no address stays no address */
    addr_unmap(&a);
    assert_int_equal(a.af, 0);
}

static void test_equal(void **state)
{
    (void)state;
    struct of_addr x, y;
    assert_int_equal(addr_parse("10.0.0.1", &x), 0);
    assert_int_equal(addr_parse("10.0.0.1", &y), 0);
    assert_true(addr_equal(&x, &y));
    y.b[3] = 2;
    assert_false(addr_equal(&x, &y));

    /* The same 16 bytes in another family are another address. */
    y = x;
    y.af = ADDR_V6;
    assert_false(addr_equal(&x, &y));
    assert_int_equal(addr_parse("::ffff:10.0.0.1", &y), 0);
    assert_false(addr_equal(&x, &y)); /* until unmapped */
    addr_unmap(&y);
    assert_true(addr_equal(&x, &y));

    assert_int_equal(addr_parse("2001:db8::1", &x), 0);
    assert_int_equal(addr_parse("2001:DB8:0:0::0:1", &y), 0);
    assert_true(addr_equal(&x, &y));
    y.b[15] ^= 0x80;
    assert_false(addr_equal(&x, &y));
}

struct cidr_row {
    const char *in;
    const char *addr; /* after masking */
    unsigned len;
};

static const struct cidr_row cidrs[] = {
    {"10.1.2.3/20", "10.1.0.0", 20},
    {"10.1.2.3/32", "10.1.2.3", 32},
    {"10.1.2.3", "10.1.2.3", 32}, /* a bare address is a host route */
    {"10.1.2.3/0", "0.0.0.0", 0},
    {"10.1.2.3/9", "10.0.0.0", 9},
    {"10.255.2.3/9", "10.128.0.0", 9},
    {"255.255.255.255/31", "255.255.255.254", 31},
    {"192.168.1.0/024", "192.168.1.0", 24}, /* leading zeros in the length are decimal */
    {"2001:db8:ffff::/31", "2001:db8::", 31},
    {"2001:db8::1", "2001:db8::1", 128},
    {"2001:db8::1/128", "2001:db8::1", 128},
    {"2001:db8::1/127", "2001:db8::", 127},
    {"2001:db8:1234:5678::/0", "::", 0},
    {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/65", "ffff:ffff:ffff:ffff:8000::", 65},
    {"::ffff:10.1.2.3/120", "::ffff:10.1.2.0", 120}, /* stays IPv6 */
};

static const char *const bad_cidrs[] = {
    "",
    "/",
    "/24",
    "1.2.3.4/",
    "1.2.3.4/33",
    "1.2.3.4/4294967328", /* 2^32 + 32: must not wrap to 32 */
    "1.2.3.4/99999999999999999999",
    "::/129",
    "2001:db8::/-1",
    "1.2.3.4/+8",
    "1.2.3.4/-0",
    "1.2.3.4/ 8",
    "1.2.3.4/8 ",
    "1.2.3.4 /8",
    " 1.2.3.4/8",
    "  1.2.3.4",
    "1.2.3.4/8x",
    "1.2.3.4/0x8",
    "1.2.3.4/8/8",
    "1.2.3/8",
    "junk",
    "junk/8",
    "1.2.3.4/24junk",
    /* longer than any address and prefix: refused before copying */
    "1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:bbbb:cccc/128",
};

static void test_cidr(void **state)
{
    (void)state;
    char buf[ADDR_STRLEN];
    for (size_t i = 0; i < NELEM(cidrs); i++) {
        struct of_addr a;
        unsigned len = 999;
        if (addr_parse_cidr(cidrs[i].in, &a, &len) != 0)
            fail_msg("addr_parse_cidr(\"%s\") failed", cidrs[i].in);
        addr_format(&a, buf, sizeof(buf));
        if (strcmp(buf, cidrs[i].addr) != 0 || len != cidrs[i].len)
            fail_msg("\"%s\" gave %s/%u, want %s/%u", cidrs[i].in, buf, len, cidrs[i].addr,
                     cidrs[i].len);
    }
}

static void test_cidr_bad(void **state)
{
    (void)state;
    for (size_t i = 0; i < NELEM(bad_cidrs); i++) {
        struct of_addr a;
        memset(&a, 0x5a, sizeof(a));
        unsigned len = 999;
        if (addr_parse_cidr(bad_cidrs[i], &a, &len) != -EINVAL)
            fail_msg("addr_parse_cidr(\"%s\") accepted", bad_cidrs[i]);
        if (len != 999 || a.af != 0x5a || a.b[0] != 0x5a)
            fail_msg("addr_parse_cidr(\"%s\") wrote its results on failure", bad_cidrs[i]);
    }
}

/* Masking all ones to every length 0..128 leaves exactly that many leading
 * one bits: byte boundaries and everything between. */
static void test_mask_v6_every_length(void **state)
{
    (void)state;
    for (unsigned n = 0; n <= 128; n++) {
        struct of_addr a;
        uint8_t ones[16];
        memset(ones, 0xff, sizeof(ones));
        addr_from_v6(&a, ones);
        addr_mask(&a, n);
        for (unsigned bit = 0; bit < 128; bit++) {
            bool set = (a.b[bit / 8] >> (7 - bit % 8)) & 1;
            if (set != (bit < n))
                fail_msg("mask /%u: bit %u is %d", n, bit, (int)set);
        }
        assert_int_equal(a.af, ADDR_V6);
    }
}

static void test_mask_v4(void **state)
{
    (void)state;
    static const uint8_t ones[4] = {0xff, 0xff, 0xff, 0xff};
    static const struct {
        unsigned len;
        uint8_t want[4];
    } rows[] = {
        {0, {0, 0, 0, 0}},
        {1, {0x80, 0, 0, 0}},
        {7, {0xfe, 0, 0, 0}},
        {8, {0xff, 0, 0, 0}},
        {9, {0xff, 0x80, 0, 0}},
        {23, {0xff, 0xff, 0xfe, 0}},
        {31, {0xff, 0xff, 0xff, 0xfe}},
        {32, {0xff, 0xff, 0xff, 0xff}},
        {33, {0xff, 0xff, 0xff, 0xff}}, /* past the end: nothing more to clear */
        {128, {0xff, 0xff, 0xff, 0xff}},
    };
    for (size_t i = 0; i < NELEM(rows); i++) {
        struct of_addr a, want;
        addr_from_v4(&a, ones);
        addr_from_v4(&want, rows[i].want);
        addr_mask(&a, rows[i].len);
        if (!addr_equal(&a, &want))
            fail_msg("mask /%u: got %02x%02x%02x%02x", rows[i].len, a.b[0], a.b[1], a.b[2], a.b[3]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_rfc5952),
        cmocka_unit_test(test_longest),
        cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_v4_layout),
        cmocka_unit_test(test_format_no_addr),
        cmocka_unit_test(test_unmap),
        cmocka_unit_test(test_equal),
        cmocka_unit_test(test_cidr),
        cmocka_unit_test(test_cidr_bad),
        cmocka_unit_test(test_mask_v6_every_length),
        cmocka_unit_test(test_mask_v4),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
