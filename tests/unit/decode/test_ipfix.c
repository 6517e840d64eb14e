/* Tests for decode/ipfix.c (and the data set decoding it shares with v9 in
 * decode/flowfields.c): hand-made IPFIX messages, one field per line.
 *
 * The packet tables keep their one-field-per-line layout by hand, so
 * clang-format is off around them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decode/ipfix.h"
#include "decode/templates.h"

#define U16(v) (uint8_t)((v) >> 8 & 0xff), (uint8_t)((v)&0xff)
#define U32(v) U16((uint32_t)(v) >> 16), U16((uint32_t)(v)&0xffff)
#define U64(v) U32((uint64_t)(v) >> 32), U32((uint64_t)(v)&0xffffffff)

#define EXPORT_S  1715680900u /* every message's export time */
#define EXPORT_MS (EXPORT_S * 1000ull)

/* clang-format off */
#define HDR(len)                                                             \
    U16(10),           /* version */                                         \
    U16(len),          /* message length */                                  \
    U32(EXPORT_S),     /* export time */                                     \
    U32(1),            /* sequence */                                        \
    U32(0)             /* observation domain */

/* Template 256: a plain IPv4 flow. 44 bytes. */
#define TPL256                                                               \
    U16(2), U16(44),   /* template set, length */                            \
    U16(256), U16(9),  /* template 256, 9 fields */                          \
    U16(8), U16(4),    /* sourceIPv4Address */                               \
    U16(12), U16(4),   /* destinationIPv4Address */                          \
    U16(7), U16(2),    /* sourceTransportPort */                             \
    U16(11), U16(2),   /* destinationTransportPort */                        \
    U16(4), U16(1),    /* protocolIdentifier */                              \
    U16(1), U16(8),    /* octetDeltaCount */                                 \
    U16(2), U16(4),    /* packetDeltaCount, reduced to 4 bytes */            \
    U16(152), U16(8),  /* flowStartMilliseconds */                           \
    U16(153), U16(8)   /* flowEndMilliseconds */

/* Two records of template 256. 86 bytes. */
#define DATA256                                                              \
    U16(256), U16(86),                      /* data set 256, length */       \
    10, 0, 0, 1,                            /* source */                     \
    192, 0, 2, 7,                           /* destination */                \
    U16(40000), U16(443),                   /* ports */                      \
    6,                                      /* TCP */                        \
    U64(1500),                              /* bytes */                      \
    U32(3),                                 /* packets */                    \
    U64(1715680800000), U64(1715680801000), /* start, end */                 \
    10, 0, 0, 2,                            /* source */                     \
    192, 0, 2, 8,                           /* destination */                \
    U16(53000), U16(53),                    /* ports */                      \
    17,                                     /* UDP */                        \
    U64(80),                                /* bytes */                      \
    U32(1),                                 /* packets */                    \
    U64(1715680802000), U64(1715680802000)  /* start, end */

/* One record of template 256. 45 bytes. */
#define DATA256_ONE                                                          \
    U16(256), U16(45), /* data set 256, length */                            \
    10, 0, 0, 3,       /* source */                                          \
    192, 0, 2, 9,      /* destination */                                     \
    U16(1), U16(2),    /* ports */                                           \
    6,                 /* TCP */                                             \
    U64(1), U32(1),    /* bytes, packets */                                  \
    U64(1000), U64(2000) /* start, end */

static const uint8_t basic[] = {HDR(146), TPL256, DATA256};
/* clang-format on */

static struct exporter xp;
static struct tpl_cache *tpls;
static struct flow_rec recs[64];
static struct flow_batch out;
static struct dec_ctx ctx;

static int setup(void **state)
{
    (void)state;
    struct hash_key key;
    hash_key_from_seed(&key, 7);
    memset(&xp, 0, sizeof(xp));
    xp.addr = (struct of_addr){ADDR_V4, {192, 0, 2, 250}};
    tpls = tpl_cache_new(0, &key);
    out = (struct flow_batch){recs, 0, OF_ARRAY_LEN(recs)};
    ctx = (struct dec_ctx){&xp, tpls, &out, EXPORT_MS + 999};
    return tpls ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tpl_cache_free(tpls);
    return 0;
}

static enum dec_status decode(const uint8_t *p, size_t len)
{
    return ipfix_decode(&ctx, p, len);
}

/* Every reject counter is zero but `st`, which is `n`. */
static void assert_counted(enum dec_status st, uint64_t n)
{
    for (int i = 0; i < DEC__COUNT; i++)
        if (i != (int)st && xp.st.dec_err[i])
            fail_msg("unexpected %s = %llu", dec_status_name(i),
                     (unsigned long long)xp.st.dec_err[i]);
    assert_int_equal(xp.st.dec_err[st], n);
}

static void assert_v4(const struct of_addr *a, uint8_t b0, uint8_t b1, uint8_t b2, uint8_t b3)
{
    const uint8_t want[4] = {b0, b1, b2, b3};
    assert_int_equal(a->af, ADDR_V4);
    assert_memory_equal(a->b, want, 4);
}

static void test_basic(void **state)
{
    (void)state;
    assert_int_equal(decode(basic, sizeof(basic)), DEC_OK);
    assert_counted(DEC_OK, 0);
    assert_int_equal(out.n, 2);
    assert_v4(&recs[0].src, 10, 0, 0, 1);
    assert_v4(&recs[0].dst, 192, 0, 2, 7);
    assert_int_equal(recs[0].sport, 40000);
    assert_int_equal(recs[0].dport, 443);
    assert_int_equal(recs[0].proto, 6);
    assert_int_equal(recs[0].bytes, 1500);
    assert_int_equal(recs[0].packets, 3);
    assert_int_equal(recs[0].start_ms, 1715680800000ull);
    assert_int_equal(recs[0].end_ms, 1715680801000ull);
    assert_int_equal(recs[0].sampling, 0);
    assert_v4(&recs[1].src, 10, 0, 0, 2);
    assert_int_equal(recs[1].dport, 53);
    assert_int_equal(recs[1].proto, 17);
    assert_int_equal(recs[1].bytes, 80);
    /* The template stays: data alone decodes now. */
    /* clang-format off */
    static const uint8_t data_only[] = {HDR(16 + 45), DATA256_ONE};
    /* clang-format on */
    out.n = 0;
    assert_int_equal(decode(data_only, sizeof(data_only)), DEC_OK);
    assert_int_equal(out.n, 1);
    assert_int_equal(recs[0].start_ms, 1000);
}

/* Messages that are refused, or partly decoded with a counted reject. */
/* clang-format off */
static const uint8_t bad_version[] = {
    U16(9),            /* version: NetFlow v9, not IPFIX */
    U16(16),           /* length */
    U32(EXPORT_S),     /* export time */
    U32(1),            /* sequence */
    U32(0),            /* domain */
};
static const uint8_t length_below_header[] = {
    U16(10),           /* version */
    U16(15),           /* length: less than the header */
    U32(EXPORT_S),     /* export time */
    U32(1),            /* sequence */
    U32(0),            /* domain */
};
static const uint8_t length_past_datagram[] = {HDR(147), TPL256, DATA256};
static const uint8_t bytes_past_length[] = {
    HDR(146), TPL256, DATA256,
    0xde, 0xad, 0xbe, 0xef, /* not part of the message */
};
static const uint8_t set_length_below_4[] = {
    HDR(16 + 44 + 4), TPL256,
    U16(256), U16(3),  /* data set of length 3: shorter than its header */
};
static const uint8_t set_past_end[] = {
    HDR(16 + 44 + 8), TPL256,
    U16(256), U16(100), /* data set of length 100 in 8 bytes */
    0, 0, 0, 0,        /* what there is of it */
};
static const uint8_t short_set_header[] = {
    HDR(16 + 44 + 2), TPL256,
    U16(256),          /* half a set header */
};
static const uint8_t reserved_set_id[] = {
    HDR(16 + 8 + 44 + 86),
    U16(4), U16(8),    /* set id 4: reserved */
    0, 0, 0, 0,        /* its body, skipped */
    TPL256, DATA256,
};
static const uint8_t v9_set_id[] = {
    HDR(16 + 4 + 44 + 86),
    U16(0), U16(4),    /* set id 0: v9's template flowset, not IPFIX */
    TPL256, DATA256,
};
static const uint8_t template_id_255[] = {
    HDR(16 + 12),
    U16(2), U16(12),   /* template set */
    U16(255), U16(1),  /* template 255: a set id, not a template id */
    U16(8), U16(4),    /* sourceIPv4Address */
};
static const uint8_t template_field_len_0[] = {
    HDR(16 + 16),
    U16(2), U16(16),   /* template set */
    U16(256), U16(2),  /* template 256, 2 fields */
    U16(8), U16(4),    /* sourceIPv4Address */
    U16(12), U16(0),   /* destinationIPv4Address of length 0 */
};
static const uint8_t template_thousands_of_fields[] = {
    HDR(16 + 16),
    U16(2), U16(16),   /* template set */
    U16(256), U16(4000), /* template 256, 4000 fields */
    U16(8), U16(4),    /* sourceIPv4Address */
    U16(12), U16(4),   /* destinationIPv4Address, and no more */
};
static const uint8_t template_truncated_then_good[] = {
    HDR(16 + 10 + 44),
    U16(2), U16(10),   /* template set */
    U16(257), U16(2),  /* template 257, 2 fields */
    U16(8),            /* half a field */
    TPL256,
};
static const uint8_t bad_template_then_good[] = {
    HDR(16 + 52 + 86),
    U16(2), U16(4 + 8 + 40), /* template set */
    U16(300), U16(1),  /* template 300, 1 field */
    U16(8), U16(0),    /* of length 0: refused, skipped */
    U16(256), U16(9),  /* template 256 as in TPL256, in the same set */
    U16(8), U16(4),    /* sourceIPv4Address */
    U16(12), U16(4),   /* destinationIPv4Address */
    U16(7), U16(2),    /* sourceTransportPort */
    U16(11), U16(2),   /* destinationTransportPort */
    U16(4), U16(1),    /* protocolIdentifier */
    U16(1), U16(8),    /* octetDeltaCount */
    U16(2), U16(4),    /* packetDeltaCount */
    U16(152), U16(8),  /* flowStartMilliseconds */
    U16(153), U16(8),  /* flowEndMilliseconds */
    DATA256,
};
static const uint8_t options_scope_past_fields[] = {
    HDR(16 + 14),
    U16(3), U16(14),   /* options template set */
    U16(256), U16(1), U16(2), /* template 256, 1 field, 2 of them scope */
    U16(149), U16(4),  /* observationDomainId */
};
static const uint8_t data_before_template[] = {
    HDR(16 + 45 + 44 + 86),
    DATA256_ONE,       /* no template 256 yet: skipped */
    TPL256, DATA256,
};
static const uint8_t padding_after_records[] = {
    HDR(16 + 44 + 89), TPL256,
    U16(256), U16(89), /* data set 256, two records and padding */
    10, 0, 0, 1, 192, 0, 2, 7,         /* addresses */
    U16(1), U16(2), 6, U64(1), U32(1), /* ports, proto, bytes, packets */
    U64(1), U64(2),                    /* start, end */
    10, 0, 0, 2, 192, 0, 2, 8,         /* addresses */
    U16(1), U16(2), 6, U64(1), U32(1), /* ports, proto, bytes, packets */
    U64(1), U64(2),                    /* start, end */
    0, 0, 0,                           /* padding */
};
static const uint8_t no_addresses[] = {
    HDR(16 + 16 + 28),
    U16(2), U16(16),   /* template set */
    U16(256), U16(2),  /* template 256, 2 fields */
    U16(1), U16(8),    /* octetDeltaCount */
    U16(2), U16(4),    /* packetDeltaCount: no addresses at all */
    U16(256), U16(28), /* data set: two records */
    U64(100), U32(1),  /* bytes, packets */
    U64(200), U32(2),  /* bytes, packets */
};
static const uint8_t varlen_record_truncated[] = {
    HDR(16 + 20 + 27),
    U16(2), U16(20),   /* template set */
    U16(256), U16(3),  /* template 256, 3 fields */
    U16(8), U16(4),    /* sourceIPv4Address */
    U16(12), U16(4),   /* destinationIPv4Address */
    U16(82), U16(0xffff), /* interfaceName, variable length */
    U16(256), U16(27), /* data set */
    10, 0, 0, 1, 192, 0, 2, 1, /* addresses */
    3, 'e', 't', 'h',  /* a whole record */
    10, 0, 0, 2, 192, 0, 2, 2, /* addresses */
    9, 'e', 't',       /* a name of 9 bytes in 2 */
};
/* clang-format on */

struct status_case {
    const char *name;
    const uint8_t *pkt;
    size_t len;
    enum dec_status ret;     /* what ipfix_decode returns */
    size_t records;          /* flow records appended */
    enum dec_status counted; /* the one reject counted in the exporter */
    uint64_t times;
};

#define PKT(p) #p, p, sizeof(p) /* name, bytes, length */

static const struct status_case status_cases[] = {
    {"empty", basic, 0, DEC_SHORT_HEADER, 0, DEC_OK, 0},
    {"short_header", basic, 15, DEC_SHORT_HEADER, 0, DEC_OK, 0},
    {"header_only", basic, 16, DEC_BAD_LENGTH, 0, DEC_OK, 0},
    {PKT(bad_version), DEC_BAD_VERSION, 0, DEC_OK, 0},
    {PKT(length_below_header), DEC_BAD_LENGTH, 0, DEC_OK, 0},
    {PKT(length_past_datagram), DEC_BAD_LENGTH, 0, DEC_OK, 0},
    {PKT(bytes_past_length), DEC_OK, 2, DEC_OK, 0},
    {PKT(set_length_below_4), DEC_OK, 0, DEC_BAD_SET_LENGTH, 1},
    {PKT(set_past_end), DEC_OK, 0, DEC_SET_PAST_END, 1},
    {PKT(short_set_header), DEC_OK, 0, DEC_BAD_SET_LENGTH, 1},
    {PKT(reserved_set_id), DEC_OK, 2, DEC_BAD_SET_ID, 1},
    {PKT(v9_set_id), DEC_OK, 2, DEC_BAD_SET_ID, 1},
    {PKT(template_id_255), DEC_OK, 0, DEC_TPL_BAD_ID, 1},
    {PKT(template_field_len_0), DEC_OK, 0, DEC_TPL_BAD_FIELD, 1},
    {PKT(template_thousands_of_fields), DEC_OK, 0, DEC_TPL_TRUNCATED, 1},
    {PKT(template_truncated_then_good), DEC_OK, 0, DEC_TPL_TRUNCATED, 1},
    {PKT(bad_template_then_good), DEC_OK, 2, DEC_TPL_BAD_FIELD, 1},
    {PKT(options_scope_past_fields), DEC_OK, 0, DEC_TPL_FIELD_COUNT, 1},
    {PKT(data_before_template), DEC_OK, 2, DEC_NO_TEMPLATE, 1},
    {PKT(padding_after_records), DEC_OK, 2, DEC_OK, 0},
    {PKT(no_addresses), DEC_OK, 0, DEC_NOT_IP, 2},
    {PKT(varlen_record_truncated), DEC_OK, 0, DEC_RECORD_TRUNCATED, 1},
};

static void test_status_table(void **state)
{
    for (size_t i = 0; i < OF_ARRAY_LEN(status_cases); i++) {
        const struct status_case *c = &status_cases[i];
        teardown(state);
        setup(state);
        print_message("case %s\n", c->name);
        assert_int_equal(decode(c->pkt, c->len), c->ret);
        assert_int_equal(out.n, c->records);
        assert_counted(c->counted, c->times);
    }
}

/* RFC 7011: every strict prefix of a message disagrees with its length. */
static void test_truncation_sweep(void **state)
{
    (void)state;
    for (size_t len = 0; len < sizeof(basic); len++) {
        out.n = 0;
        assert_int_not_equal(decode(basic, len), DEC_OK);
        assert_int_equal(out.n, 0);
    }
    struct tpl_stats st;
    tpl_cache_stats(tpls, &st);
    assert_int_equal(st.templates, 0); /* nothing learned from a refused message */
}

static void test_too_many_records(void **state)
{
    (void)state;
    out.cap = 1;
    assert_int_equal(decode(basic, sizeof(basic)), DEC_OK);
    assert_int_equal(out.n, 0); /* the set is rolled back whole */
    assert_counted(DEC_TOO_MANY_RECORDS, 1);
    assert_non_null(tpl_get(tpls, &xp.addr, 0, 256)); /* the template set still counted */
    out.cap = OF_ARRAY_LEN(recs);
}

/* clang-format off */
static const uint8_t varlen_and_enterprise[] = {
    HDR(16 + 40 + 54),
    U16(2), U16(40),                           /* template set */
    U16(257), U16(6),                          /* template 257, 6 fields */
    U16(82), U16(0xffff),                      /* interfaceName, variable length */
    U16(8), U16(4),                            /* sourceIPv4Address */
    U16(0x8000 | 1), U16(4), U32(9999),        /* enterprise 9999, element 1: not octets */
    U16(12), U16(4),                           /* destinationIPv4Address */
    U16(0x8000 | 300), U16(0xffff), U32(9999), /* enterprise 9999, variable length */
    U16(1), U16(4),                            /* octetDeltaCount */
    U16(257), U16(54),                         /* data set 257 */
    3, 'e', 't', 'h',                          /* name: 1-byte length */
    10, 0, 0, 1,                               /* source */
    U32(0xffffffff),                           /* enterprise field */
    192, 0, 2, 1,                              /* destination */
    0,                                         /* enterprise field, empty */
    U32(100),                                  /* bytes */
    255, U16(5), 'w', 'l', 'a', 'n', '0',      /* name: 3-byte length */
    10, 0, 0, 2,                               /* source */
    U32(0xffffffff),                           /* enterprise field */
    192, 0, 2, 2,                              /* destination */
    255, U16(2), 'x', 'y',                     /* enterprise field, 3-byte length */
    U32(200),                                  /* bytes */
};
/* clang-format on */

static void test_variable_length_and_enterprise(void **state)
{
    (void)state;
    assert_int_equal(decode(varlen_and_enterprise, sizeof(varlen_and_enterprise)), DEC_OK);
    assert_counted(DEC_OK, 0);
    assert_int_equal(out.n, 2);
    assert_v4(&recs[0].src, 10, 0, 0, 1);
    assert_v4(&recs[0].dst, 192, 0, 2, 1);
    assert_int_equal(recs[0].bytes, 100);
    assert_v4(&recs[1].src, 10, 0, 0, 2);
    assert_v4(&recs[1].dst, 192, 0, 2, 2);
    assert_int_equal(recs[1].bytes, 200);
    assert_int_equal(tpl_get(tpls, &xp.addr, 0, 257)->reclen, 0);
}

/* A name of 300 bytes, which needs the 3-byte length form. */
static void test_long_variable_field(void **state)
{
    (void)state;
    uint8_t pkt[16 + 20 + 4 + 3 + 300 + 8];
    /* clang-format off */
    static const uint8_t head[] = {
        HDR(sizeof(pkt)),
        U16(2), U16(20),      /* template set */
        U16(258), U16(3),     /* template 258, 3 fields */
        U16(82), U16(0xffff), /* interfaceName, variable length */
        U16(8), U16(4),       /* sourceIPv4Address */
        U16(12), U16(4),      /* destinationIPv4Address */
        U16(258), U16(4 + 3 + 300 + 8), /* data set 258 */
        255, U16(300),        /* name length; the name follows */
    };
    static const uint8_t tail[] = {
        10, 0, 0, 9,          /* source */
        192, 0, 2, 9,         /* destination */
    };
    /* clang-format on */
    memcpy(pkt, head, sizeof(head));
    memset(pkt + sizeof(head), 'n', 300);
    memcpy(pkt + sizeof(head) + 300, tail, sizeof(tail));
    assert_int_equal(decode(pkt, sizeof(pkt)), DEC_OK);
    assert_counted(DEC_OK, 0);
    assert_int_equal(out.n, 1);
    assert_v4(&recs[0].src, 10, 0, 0, 9);
    assert_v4(&recs[0].dst, 192, 0, 2, 9);
}

/* A template of 257 fields is refused; one of 256 is kept. */
static void test_field_count_cap(void **state)
{
    (void)state;
    for (size_t n = TPL_MAX_FIELDS; n <= TPL_MAX_FIELDS + 1; n++) {
        uint8_t pkt[16 + 8 + 4 * (TPL_MAX_FIELDS + 1)];
        size_t len = 16 + 8 + 4 * n;
        static const uint8_t head[] = {HDR(0), U16(2), U16(0), U16(256), U16(0)};
        memcpy(pkt, head, sizeof(head));
        pkt[2] = (uint8_t)(len >> 8), pkt[3] = (uint8_t)len;                 /* message length */
        pkt[18] = (uint8_t)((len - 16) >> 8), pkt[19] = (uint8_t)(len - 16); /* set length */
        pkt[22] = (uint8_t)(n >> 8), pkt[23] = (uint8_t)n;                   /* field count */
        for (size_t i = 0; i < n; i++) {
            uint8_t *f = pkt + 24 + 4 * i;
            f[0] = 0, f[1] = 10, f[2] = 0, f[3] = 4; /* ingressInterface/4 */
        }
        xp.st.dec_err[DEC_TPL_FIELD_COUNT] = 0;
        assert_int_equal(decode(pkt, len), DEC_OK);
        bool kept = tpl_get(tpls, &xp.addr, 0, 256) != NULL;
        assert_true(kept == (n <= TPL_MAX_FIELDS));
        assert_int_equal(xp.st.dec_err[DEC_TPL_FIELD_COUNT], n > TPL_MAX_FIELDS);
        tpl_withdraw(tpls, &xp.addr, 0, 256);
    }
}

static void test_withdrawal(void **state)
{
    (void)state;
    /* clang-format off */
    static const uint8_t withdraw_256[] = {
        HDR(16 + 8 + 45),
        U16(2), U16(8),   /* template set */
        U16(256), U16(0), /* template 256 with no fields: withdrawn */
        DATA256_ONE,      /* so this has no template */
    };
    /* clang-format on */
    assert_int_equal(decode(basic, sizeof(basic)), DEC_OK);
    out.n = 0;
    assert_int_equal(decode(withdraw_256, sizeof(withdraw_256)), DEC_OK);
    assert_int_equal(out.n, 0);
    assert_counted(DEC_NO_TEMPLATE, 1);
}

static void test_withdraw_all(void **state)
{
    (void)state;
    /* clang-format off */
    static const uint8_t options_and_templates[] = {
        HDR(16 + 22 + 44),
        U16(3), U16(22),          /* options template set */
        U16(300), U16(3), U16(1), /* template 300, 3 fields, 1 scope */
        U16(302), U16(4),         /* selectorId (scope) */
        U16(305), U16(4),         /* samplingPacketInterval */
        U16(306), U16(4),         /* samplingPacketSpace */
        TPL256,
    };
    static const uint8_t withdraw_all_data[] = {
        HDR(16 + 8 + 45),
        U16(2), U16(8),           /* template set */
        U16(2), U16(0),           /* template id 2, no fields: all templates */
        DATA256_ONE,              /* so this has no template */
    };
    static const uint8_t withdraw_all_options[] = {
        HDR(16 + 8),
        U16(3), U16(8),           /* options template set */
        U16(3), U16(0),           /* template id 3, no fields: all options templates */
    };
    /* clang-format on */
    assert_int_equal(decode(options_and_templates, sizeof(options_and_templates)), DEC_OK);
    assert_int_equal(decode(withdraw_all_data, sizeof(withdraw_all_data)), DEC_OK);
    assert_int_equal(out.n, 0);
    assert_counted(DEC_NO_TEMPLATE, 1);
    assert_null(tpl_get(tpls, &xp.addr, 0, 256));
    assert_non_null(tpl_get(tpls, &xp.addr, 0, 300)); /* options templates stay */
    assert_int_equal(decode(withdraw_all_options, sizeof(withdraw_all_options)), DEC_OK);
    assert_null(tpl_get(tpls, &xp.addr, 0, 300));
}

static void test_redefinition(void **state)
{
    (void)state;
    /* clang-format off */
    static const uint8_t redefine_256[] = {
        HDR(16 + 20 + 14),
        U16(2), U16(20),   /* template set */
        U16(256), U16(3),  /* template 256 again, now 3 fields */
        U16(12), U16(4),   /* destinationIPv4Address */
        U16(8), U16(4),    /* sourceIPv4Address */
        U16(11), U16(2),   /* destinationTransportPort */
        U16(256), U16(14), /* data set 256 */
        192, 0, 2, 1,      /* destination */
        10, 0, 0, 1,       /* source */
        U16(22),           /* destination port */
    };
    /* clang-format on */
    assert_int_equal(decode(basic, sizeof(basic)), DEC_OK);
    assert_int_equal(decode(basic, sizeof(basic)), DEC_OK);
    assert_counted(DEC_OK, 0); /* a refresh is no change */
    out.n = 0;
    assert_int_equal(decode(redefine_256, sizeof(redefine_256)), DEC_OK);
    assert_counted(DEC_TPL_CHANGED, 1);
    assert_int_equal(out.n, 1);
    assert_v4(&recs[0].src, 10, 0, 0, 1);
    assert_int_equal(recs[0].dport, 22);
}

/* softflowd's IPFIX options: the init time and the PSAMP rate, then records
 * with sysUpTime stamps. */
/* clang-format off */
static const uint8_t softflowd_like[] = {
    HDR(16 + 34 + 42 + 44 + 36),
    U16(3), U16(34),          /* options template set */
    U16(256), U16(6), U16(1), /* template 256, 6 fields, 1 scope */
    U16(143), U16(4),         /* meteringProcessId (scope) */
    U16(160), U16(8),         /* systemInitTimeMilliseconds */
    U16(305), U16(4),         /* samplingPacketInterval */
    U16(306), U16(4),         /* samplingPacketSpace */
    U16(304), U16(2),         /* selectorAlgorithm */
    U16(82), U16(16),         /* interfaceName */
    U16(256), U16(42),        /* options data set */
    U32(15025),               /* pid */
    U64(1715680801284),       /* init time */
    U32(1),                   /* interval */
    U32(9),                   /* space: 1 in 10 */
    U16(1),                   /* algorithm */
    't', 'r', 'a', 'f', 'f', 'i', 'c', '-', 'p', 'u', 'b', 'l', 'i', 'c', '.', 'p', /* name */
    U16(2), U16(44),          /* template set */
    U16(1024), U16(9),        /* template 1024, 9 fields */
    U16(8), U16(4),           /* sourceIPv4Address */
    U16(12), U16(4),          /* destinationIPv4Address */
    U16(22), U16(4),          /* flowStartSysUpTime */
    U16(21), U16(4),          /* flowEndSysUpTime */
    U16(1), U16(4),           /* octetDeltaCount */
    U16(2), U16(4),           /* packetDeltaCount */
    U16(7), U16(2),           /* sourceTransportPort */
    U16(11), U16(2),          /* destinationTransportPort */
    U16(4), U16(1),           /* protocolIdentifier */
    U16(1024), U16(36),       /* data set 1024 */
    10, 0, 0, 1,              /* source */
    192, 0, 2, 1,             /* destination */
    U32(1000),                /* start: 1 s after init */
    U32(5000),                /* end */
    U32(4000), U32(4),        /* bytes, packets */
    U16(1234), U16(80),       /* ports */
    6,                        /* TCP */
    0, 0, 0,                  /* padding */
};
/* clang-format on */

static void test_options_sampling_and_uptime(void **state)
{
    (void)state;
    assert_int_equal(decode(softflowd_like, sizeof(softflowd_like)), DEC_OK);
    assert_counted(DEC_OK, 0);
    assert_int_equal(out.n, 1);
    assert_int_equal(recs[0].sampling, 10);
    assert_int_equal(recs[0].start_ms, 1715680802284ull);
    assert_int_equal(recs[0].end_ms, 1715680806284ull);
    assert_int_equal(exporter_rate(&xp, 0, EXPORTER_ANY_SAMPLER), 10);
    assert_int_equal(tpl_sys_init_ms(tpls, &xp.addr, 0), 1715680801284ull);
    /* Later messages use what was learned. */
    /* clang-format off */
    static const uint8_t data_only[] = {
        HDR(16 + 33),
        U16(1024), U16(33),        /* data set 1024 */
        10, 0, 0, 2, 192, 0, 2, 2, /* addresses */
        U32(10000), U32(10000),    /* start, end */
        U32(40), U32(1),           /* bytes, packets */
        U16(1), U16(2), 17,        /* ports, UDP */
    };
    /* clang-format on */
    out.n = 0;
    assert_int_equal(decode(data_only, sizeof(data_only)), DEC_OK);
    assert_int_equal(out.n, 1);
    assert_int_equal(recs[0].sampling, 10);
    assert_int_equal(recs[0].start_ms, 1715680811284ull);
}

/* A truncated options message must not change the exporter's state. */
static void test_options_truncation_sweep(void **state)
{
    (void)state;
    for (size_t len = 0; len < sizeof(softflowd_like); len++) {
        out.n = 0;
        assert_int_not_equal(decode(softflowd_like, len), DEC_OK);
        assert_int_equal(out.n, 0);
    }
    assert_int_equal(xp.nsamplers, 0);
    assert_int_equal(tpl_sys_init_ms(tpls, &xp.addr, 0), 0);
}

static void test_selector_rates(void **state)
{
    (void)state;
    /* clang-format off */
    static const uint8_t options[] = {
        HDR(16 + 22 + 28 + 22 + 16),
        U16(3), U16(22),          /* options template set */
        U16(300), U16(3), U16(1), /* template 300, 3 fields, 1 scope */
        U16(302), U16(4),         /* selectorId (scope) */
        U16(305), U16(4),         /* samplingPacketInterval */
        U16(306), U16(4),         /* samplingPacketSpace */
        U16(300), U16(28),        /* options data set 300 */
        U32(7), U32(1), U32(99),  /* selector 7: 1 in 100 */
        U32(8), U32(2), U32(6),   /* selector 8: 2 in 8 */
        U16(3), U16(22),          /* options template set */
        U16(301), U16(3), U16(1), /* template 301, 3 fields, 1 scope */
        U16(302), U16(4),         /* selectorId (scope) */
        U16(309), U16(4),         /* samplingSize */
        U16(310), U16(4),         /* samplingPopulation */
        U16(301), U16(16),        /* options data set 301 */
        U32(9), U32(1), U32(50),  /* selector 9: 1 of 50 */
    };
    static const uint8_t data[] = {
        HDR(16 + 20 + 16 + 20 + 52 + 12 + 14),
        U16(2), U16(20),          /* template set */
        U16(400), U16(3),         /* template 400, 3 fields */
        U16(8), U16(4),           /* sourceIPv4Address */
        U16(12), U16(4),          /* destinationIPv4Address */
        U16(302), U16(4),         /* selectorId */
        U16(2), U16(16),          /* template set */
        U16(401), U16(2),         /* template 401, 2 fields */
        U16(8), U16(4),           /* sourceIPv4Address */
        U16(12), U16(4),          /* destinationIPv4Address */
        U16(2), U16(20),          /* template set */
        U16(402), U16(3),         /* template 402, 3 fields */
        U16(8), U16(4),           /* sourceIPv4Address */
        U16(12), U16(4),          /* destinationIPv4Address */
        U16(34), U16(2),          /* samplingInterval, in the record itself */
        U16(400), U16(52),        /* data set 400 */
        10, 0, 0, 1, 192, 0, 2, 1, U32(7),  /* selector 7 */
        10, 0, 0, 1, 192, 0, 2, 1, U32(8),  /* selector 8 */
        10, 0, 0, 1, 192, 0, 2, 1, U32(9),  /* selector 9 */
        10, 0, 0, 1, 192, 0, 2, 1, U32(11), /* unknown selector */
        U16(401), U16(12),        /* data set 401 */
        10, 0, 0, 1, 192, 0, 2, 1,          /* no selector; several known, none for all */
        U16(402), U16(14),        /* data set 402 */
        10, 0, 0, 1, 192, 0, 2, 1, U16(64), /* 1 in 64 */
    };
    /* clang-format on */
    assert_int_equal(decode(options, sizeof(options)), DEC_OK);
    assert_counted(DEC_OK, 0);
    assert_int_equal(decode(data, sizeof(data)), DEC_OK);
    assert_counted(DEC_OK, 0);
    assert_int_equal(out.n, 6);
    assert_int_equal(recs[0].sampling, 100);
    assert_int_equal(recs[1].sampling, 4);
    assert_int_equal(recs[2].sampling, 50);
    assert_int_equal(recs[3].sampling, 0);
    assert_int_equal(recs[4].sampling, 0);
    assert_int_equal(recs[5].sampling, 64);
}

static void test_ipv6(void **state)
{
    (void)state;
    /* clang-format off */
    static const uint8_t v6[] = {
        HDR(16 + 36 + 49),
        U16(2), U16(36),      /* template set */
        U16(260), U16(7),     /* template 260, 7 fields */
        U16(27), U16(16),     /* sourceIPv6Address */
        U16(28), U16(16),     /* destinationIPv6Address */
        U16(7), U16(2),       /* sourceTransportPort */
        U16(11), U16(2),      /* destinationTransportPort */
        U16(4), U16(1),       /* protocolIdentifier */
        U16(85), U16(4),      /* octetTotalCount: used with no delta */
        U16(86), U16(4),      /* packetTotalCount */
        U16(260), U16(49),    /* data set 260 */
        0x20, 0x01, 0x0d, 0xb8, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, /* source */
        0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,    /* destination */
        U16(50000), U16(443), /* ports */
        17,                   /* UDP */
        U32(1350), U32(1),    /* bytes, packets */
    };
    /* clang-format on */
    static const uint8_t want_src[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x20, [15] = 0x10};
    assert_int_equal(decode(v6, sizeof(v6)), DEC_OK);
    assert_int_equal(out.n, 1);
    assert_int_equal(recs[0].src.af, ADDR_V6);
    assert_memory_equal(recs[0].src.b, want_src, 16);
    assert_int_equal(recs[0].dst.af, ADDR_V6);
    assert_int_equal(recs[0].dst.b[15], 1);
    assert_int_equal(recs[0].dport, 443);
    assert_int_equal(recs[0].bytes, 1350);
    assert_int_equal(recs[0].packets, 1);
    assert_int_equal(recs[0].start_ms, 0); /* no times in the template */
}

/* A dual-stack template whose unused family is zero in each record. */
static void test_dual_stack_template(void **state)
{
    (void)state;
    /* clang-format off */
    static const uint8_t dual[] = {
        HDR(16 + 24 + 84),
        U16(2), U16(24),   /* template set */
        U16(261), U16(4),  /* template 261, 4 fields */
        U16(8), U16(4),    /* sourceIPv4Address */
        U16(12), U16(4),   /* destinationIPv4Address */
        U16(27), U16(16),  /* sourceIPv6Address */
        U16(28), U16(16),  /* destinationIPv6Address */
        U16(261), U16(84), /* data set 261 */
        0, 0, 0, 0, 0, 0, 0, 0, /* IPv4 unused */
        0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, /* source */
        0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, /* destination */
        10, 0, 0, 1, 192, 0, 2, 1,                      /* IPv4 in use */
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* IPv6 unused */
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    };
    /* clang-format on */
    assert_int_equal(decode(dual, sizeof(dual)), DEC_OK);
    assert_int_equal(out.n, 2);
    assert_int_equal(recs[0].src.af, ADDR_V6);
    assert_int_equal(recs[0].src.b[15], 1);
    assert_int_equal(recs[0].dst.b[15], 2);
    assert_v4(&recs[1].src, 10, 0, 0, 1);
}

/* RFC 5103 biflow: the reverse counters become a second, reversed flow. */
/* clang-format off */
static const uint8_t biflow[] = {
    HDR(16 + 52 + 62),
    U16(2), U16(52),                     /* template set */
    U16(270), U16(9),                    /* template 270, 9 fields */
    U16(8), U16(4),                      /* sourceIPv4Address */
    U16(12), U16(4),                     /* destinationIPv4Address */
    U16(7), U16(2),                      /* sourceTransportPort */
    U16(11), U16(2),                     /* destinationTransportPort */
    U16(4), U16(1),                      /* protocolIdentifier */
    U16(1), U16(4),                      /* octetDeltaCount */
    U16(2), U16(4),                      /* packetDeltaCount */
    U16(0x8000 | 1), U16(4), U32(29305), /* reverseOctetDeltaCount */
    U16(0x8000 | 2), U16(4), U32(29305), /* reversePacketDeltaCount */
    U16(270), U16(62),                   /* data set 270 */
    10, 0, 0, 1, 192, 0, 2, 1,           /* addresses */
    U16(40000), U16(443), 6,             /* ports, TCP */
    U32(500), U32(5),                    /* forward */
    U32(0), U32(0),                      /* no reverse traffic */
    10, 0, 0, 2, 192, 0, 2, 2,           /* addresses */
    U16(40001), U16(80), 6,              /* ports, TCP */
    U32(600), U32(6),                    /* forward */
    U32(90000), U32(60),                 /* reverse */
};
/* clang-format on */

static void test_biflow(void **state)
{
    (void)state;
    assert_int_equal(decode(biflow, sizeof(biflow)), DEC_OK);
    assert_counted(DEC_OK, 0);
    assert_int_equal(out.n, 3);
    assert_int_equal(recs[0].bytes, 500);
    assert_v4(&recs[1].src, 10, 0, 0, 2);
    assert_int_equal(recs[1].bytes, 600);
    assert_int_equal(recs[1].packets, 6);
    assert_v4(&recs[2].src, 192, 0, 2, 2);
    assert_v4(&recs[2].dst, 10, 0, 0, 2);
    assert_int_equal(recs[2].sport, 80);
    assert_int_equal(recs[2].dport, 40001);
    assert_int_equal(recs[2].proto, 6);
    assert_int_equal(recs[2].bytes, 90000);
    assert_int_equal(recs[2].packets, 60);
    /* Without room for the reverse flow, the whole set is refused. */
    out.n = 0;
    out.cap = 2;
    assert_int_equal(decode(biflow, sizeof(biflow)), DEC_OK);
    assert_int_equal(out.n, 0);
    assert_int_equal(xp.st.dec_err[DEC_TOO_MANY_RECORDS], 1);
    out.cap = OF_ARRAY_LEN(recs);
}

static void test_icmp_has_no_ports(void **state)
{
    (void)state;
    /* clang-format off */
    static const uint8_t icmp[] = {
        HDR(16 + 32 + 34),
        U16(2), U16(32),   /* template set */
        U16(262), U16(6),  /* template 262, 6 fields */
        U16(8), U16(4),    /* sourceIPv4Address */
        U16(12), U16(4),   /* destinationIPv4Address */
        U16(32), U16(2),   /* icmpTypeCodeIPv4 */
        U16(7), U16(2),    /* sourceTransportPort */
        U16(11), U16(2),   /* destinationTransportPort */
        U16(4), U16(1),    /* protocolIdentifier */
        U16(262), U16(34), /* data set 262 */
        10, 0, 0, 1, 192, 0, 2, 1,             /* addresses */
        U16(0x0800), U16(0), U16(2048), 1,     /* ICMP echo, type in the port */
        10, 0, 0, 1, 192, 0, 2, 1,             /* addresses */
        U16(0), U16(5), U16(7), 58,            /* protocol 58: no ports either */
    };
    /* clang-format on */
    assert_int_equal(decode(icmp, sizeof(icmp)), DEC_OK);
    assert_int_equal(out.n, 2);
    assert_int_equal(recs[0].proto, 1);
    assert_int_equal(recs[0].sport, 0);
    assert_int_equal(recs[0].dport, 0);
    assert_int_equal(recs[1].sport, 0);
    assert_int_equal(recs[1].dport, 0);
}

/* One time form per row: a template of src, dst and the start/end elements
 * (0 = none), and the UNIX ms expected. */
struct time_case {
    const char *name;
    uint16_t ie_start, ie_end, len;
    uint64_t v_start, v_end;
    uint64_t want_start, want_end;
};

#define NTP_SECS(unix_s) ((uint64_t)(unix_s) + 2208988800ull)

static const struct time_case time_cases[] = {
    {"seconds", 150, 151, 4, 1715680800, 1715680860, 1715680800000ull, 1715680860000ull},
    {"milliseconds", 152, 153, 8, 1715680800123ull, 1715680860456ull, 1715680800123ull,
     1715680860456ull},
    {"microseconds_ntp", 154, 155, 8, NTP_SECS(1715680800) << 32 | 0x80000000u,
     NTP_SECS(1715680801) << 32, 1715680800500ull, 1715680801000ull},
    {"nanoseconds_ntp", 156, 157, 8, NTP_SECS(1715680800) << 32 | 0x40000000u,
     NTP_SECS(1715680800) << 32 | 0xc0000000u, 1715680800250ull, 1715680800750ull},
    {"ntp_era_1", 152, 155, 8, 2085982592000ull, (uint64_t)4096 << 32, 2085982592000ull,
     2085982592000ull},
    {"delta_microseconds", 158, 159, 4, 100000000, 40000000, EXPORT_MS - 100000, EXPORT_MS - 40000},
    {"uptime_without_init_time", 22, 21, 4, 1000, 2000, 0, 0},
    {"start_only", 152, 0, 8, 1715680800123ull, 0, 1715680800123ull, 1715680800123ull},
    {"end_only", 0, 153, 8, 0, 1715680800456ull, 1715680800456ull, 1715680800456ull},
};

static size_t put_be(uint8_t *p, uint64_t v, size_t len)
{
    for (size_t i = 0; i < len; i++)
        p[i] = (uint8_t)(v >> 8 * (len - 1 - i));
    return len;
}

static size_t time_packet(const struct time_case *c, uint8_t *p)
{
    size_t nt = (c->ie_start != 0) + (c->ie_end != 0);
    size_t tpl_len = 8 + 4 * (2 + nt), data_len = 4 + 8 + c->len * nt;
    size_t n = 0;
    n += put_be(p + n, 10, 2);                      /* version */
    n += put_be(p + n, 16 + tpl_len + data_len, 2); /* length */
    n += put_be(p + n, EXPORT_S, 4);                /* export time */
    n += put_be(p + n, 1, 4);                       /* sequence */
    n += put_be(p + n, 0, 4);                       /* domain */
    n += put_be(p + n, 2, 2);                       /* template set */
    n += put_be(p + n, tpl_len, 2);                 /* its length */
    n += put_be(p + n, 280, 2);                     /* template 280 */
    n += put_be(p + n, 2 + nt, 2);                  /* field count */
    n += put_be(p + n, 8, 2);                       /* sourceIPv4Address */
    n += put_be(p + n, 4, 2);                       /* its length */
    n += put_be(p + n, 12, 2);                      /* destinationIPv4Address */
    n += put_be(p + n, 4, 2);                       /* its length */
    if (c->ie_start) {
        n += put_be(p + n, c->ie_start, 2); /* the start element */
        n += put_be(p + n, c->len, 2);      /* its length */
    }
    if (c->ie_end) {
        n += put_be(p + n, c->ie_end, 2); /* the end element */
        n += put_be(p + n, c->len, 2);    /* its length */
    }
    n += put_be(p + n, 280, 2);        /* data set */
    n += put_be(p + n, data_len, 2);   /* its length */
    n += put_be(p + n, 0x0a000001, 4); /* 10.0.0.1 */
    n += put_be(p + n, 0xc0000201, 4); /* 192.0.2.1 */
    if (c->ie_start)
        n += put_be(p + n, c->v_start, c->len);
    if (c->ie_end)
        n += put_be(p + n, c->v_end, c->len);
    return n;
}

static void test_time_forms(void **state)
{
    for (size_t i = 0; i < OF_ARRAY_LEN(time_cases); i++) {
        const struct time_case *c = &time_cases[i];
        teardown(state);
        setup(state);
        print_message("case %s\n", c->name);
        uint8_t pkt[128];
        size_t len = time_packet(c, pkt);
        assert_int_equal(decode(pkt, len), DEC_OK);
        assert_counted(DEC_OK, 0);
        assert_int_equal(out.n, 1);
        assert_int_equal(recs[0].start_ms, c->want_start);
        assert_int_equal(recs[0].end_ms, c->want_end);
    }
}

/* systemInitTimeMilliseconds in the data record itself. */
static void test_init_time_in_record(void **state)
{
    (void)state;
    /* clang-format off */
    static const uint8_t pkt[] = {
        HDR(16 + 28 + 28),
        U16(2), U16(28),     /* template set */
        U16(281), U16(5),    /* template 281, 5 fields */
        U16(8), U16(4),      /* sourceIPv4Address */
        U16(12), U16(4),     /* destinationIPv4Address */
        U16(160), U16(8),    /* systemInitTimeMilliseconds */
        U16(22), U16(4),     /* flowStartSysUpTime */
        U16(21), U16(4),     /* flowEndSysUpTime */
        U16(281), U16(28),   /* data set 281 */
        10, 0, 0, 1, 192, 0, 2, 1, /* addresses */
        U64(1715680000000),  /* init time */
        U32(500), U32(1500), /* start, end */
    };
    /* clang-format on */
    assert_int_equal(decode(pkt, sizeof(pkt)), DEC_OK);
    assert_int_equal(out.n, 1);
    assert_int_equal(recs[0].start_ms, 1715680000500ull);
    assert_int_equal(recs[0].end_ms, 1715680001500ull);
    assert_int_equal(tpl_sys_init_ms(tpls, &xp.addr, 0), 0); /* a record's own, not learned */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_basic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncation_sweep, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_many_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_variable_length_and_enterprise, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_variable_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_field_count_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_withdrawal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_withdraw_all, setup, teardown),
        cmocka_unit_test_setup_teardown(test_redefinition, setup, teardown),
        cmocka_unit_test_setup_teardown(test_options_sampling_and_uptime, setup, teardown),
        cmocka_unit_test_setup_teardown(test_options_truncation_sweep, setup, teardown),
        cmocka_unit_test_setup_teardown(test_selector_rates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ipv6, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dual_stack_template, setup, teardown),
        cmocka_unit_test_setup_teardown(test_biflow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_icmp_has_no_ports, setup, teardown),
        cmocka_unit_test_setup_teardown(test_time_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_init_time_in_record, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
