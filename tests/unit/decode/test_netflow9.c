/* Tests for decode/netflow9.c: hand-made NetFlow v9 datagrams, one field per
 * line.
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

#include "decode/netflow9.h"
#include "decode/templates.h"

#define U16(v) (uint8_t)((v) >> 8 & 0xff), (uint8_t)((v)&0xff)
#define U32(v) U16((uint32_t)(v) >> 16), U16((uint32_t)(v)&0xffff)
#define U64(v) U32((uint64_t)(v) >> 32), U32((uint64_t)(v)&0xffffffff)

#define UNIX_S    1715680900u /* every datagram's wall clock */
#define UNIX_MS   (UNIX_S * 1000ull)
#define UPTIME_MS 100000u /* every datagram's sysUptime */

/* clang-format off */
#define HDR(count)                                                           \
    U16(9),            /* version */                                         \
    U16(count),        /* records */                                         \
    U32(UPTIME_MS),    /* sysUptime */                                       \
    U32(UNIX_S),       /* unix_secs */                                       \
    U32(1),            /* sequence */                                        \
    U32(0)             /* source id */

/* Template 256: IPv4 with sysUptime stamps, as routers send. 44 bytes. */
#define TPL256                                                               \
    U16(0), U16(44),   /* template flowset, length */                        \
    U16(256), U16(9),  /* template 256, 9 fields */                          \
    U16(8), U16(4),    /* IPV4_SRC_ADDR */                                   \
    U16(12), U16(4),   /* IPV4_DST_ADDR */                                   \
    U16(7), U16(2),    /* L4_SRC_PORT */                                     \
    U16(11), U16(2),   /* L4_DST_PORT */                                     \
    U16(4), U16(1),    /* PROTOCOL */                                        \
    U16(1), U16(4),    /* IN_BYTES */                                        \
    U16(2), U16(4),    /* IN_PKTS */                                         \
    U16(22), U16(4),   /* FIRST_SWITCHED */                                  \
    U16(21), U16(4)    /* LAST_SWITCHED */

/* Two records of template 256 and 2 bytes of padding. 64 bytes. */
#define DATA256                                                              \
    U16(256), U16(64),         /* data flowset 256, length */                \
    10, 0, 0, 1,               /* source */                                  \
    192, 0, 2, 7,              /* destination */                             \
    U16(40000), U16(443),      /* ports */                                   \
    6,                         /* TCP */                                     \
    U32(1500), U32(3),         /* bytes, packets */                          \
    U32(40000), U32(90000),    /* first, last: 60 s and 10 s ago */          \
    10, 0, 0, 2,               /* source */                                  \
    192, 0, 2, 8,              /* destination */                             \
    U16(53000), U16(53),       /* ports */                                   \
    17,                        /* UDP */                                     \
    U32(80), U32(1),           /* bytes, packets */                          \
    U32(0xfffff000), U32(0xffffff00), /* "after" sysUptime: before a wrap */ \
    0, 0                       /* padding */

/* One record of template 256. 33 bytes. */
#define DATA256_ONE                                                          \
    U16(256), U16(33),         /* data flowset 256, length */                \
    10, 0, 0, 3,               /* source */                                  \
    192, 0, 2, 9,              /* destination */                             \
    U16(1), U16(2),            /* ports */                                   \
    6,                         /* TCP */                                     \
    U32(1), U32(1),            /* bytes, packets */                          \
    U32(UPTIME_MS), U32(UPTIME_MS) /* first, last: now */

static const uint8_t basic[] = {HDR(3), TPL256, DATA256};
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
    hash_key_from_seed(&key, 9);
    memset(&xp, 0, sizeof(xp));
    xp.addr = (struct of_addr){ADDR_V4, {192, 0, 2, 251}};
    tpls = tpl_cache_new(0, &key);
    out = (struct flow_batch){recs, 0, OF_ARRAY_LEN(recs)};
    ctx = (struct dec_ctx){&xp, tpls, &out, UNIX_MS + 500};
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
    return netflow9_decode(&ctx, p, len);
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
    assert_int_equal(recs[0].start_ms, UNIX_MS - 60000);
    assert_int_equal(recs[0].end_ms, UNIX_MS - 10000);
    assert_int_equal(recs[0].sampling, 0);
    /* First and Last "greater" than sysUptime: only modular arithmetic puts
     * them just before the datagram, as pmacct and wrapped routers mean. */
    assert_int_equal(recs[1].start_ms, UNIX_MS - UPTIME_MS - 0x1000);
    assert_int_equal(recs[1].end_ms, UNIX_MS - UPTIME_MS - 0x100);
    assert_int_equal(recs[1].proto, 17);
    assert_int_equal(recs[1].dport, 53);
}

/* Datagrams that are refused, or partly decoded with a counted reject. */
/* clang-format off */
static const uint8_t bad_version[] = {
    U16(5),            /* version: v5 */
    U16(0),            /* count */
    U32(UPTIME_MS),    /* sysUptime */
    U32(UNIX_S),       /* unix_secs */
    U32(1),            /* sequence */
    U32(0),            /* source id */
};
static const uint8_t set_length_below_4[] = {
    HDR(1), TPL256,
    U16(256), U16(2),  /* data flowset of length 2 */
};
static const uint8_t set_past_end[] = {
    HDR(1), TPL256,
    U16(256), U16(64), /* data flowset of length 64 in 8 bytes */
    0, 0, 0, 0,        /* what there is of it */
};
static const uint8_t trailing_padding[] = {
    HDR(3), TPL256, DATA256,
    0, 0, 0,           /* less than a flowset header */
};
static const uint8_t reserved_set_id[] = {
    HDR(3),
    U16(2), U16(8),    /* flowset 2: reserved in v9 (IPFIX's template set) */
    0, 0, 0, 0,        /* its body, skipped */
    TPL256, DATA256,
};
static const uint8_t template_id_255[] = {
    HDR(1),
    U16(0), U16(12),   /* template flowset */
    U16(255), U16(1),  /* template 255 */
    U16(8), U16(4),    /* IPV4_SRC_ADDR */
};
static const uint8_t template_no_fields_then_good[] = {
    HDR(3),
    U16(0), U16(4 + 4 + 40), /* template flowset */
    U16(300), U16(0),  /* template 300 with no fields: v9 has no withdrawal */
    U16(256), U16(9),  /* template 256 as in TPL256, in the same flowset */
    U16(8), U16(4),    /* IPV4_SRC_ADDR */
    U16(12), U16(4),   /* IPV4_DST_ADDR */
    U16(7), U16(2),    /* L4_SRC_PORT */
    U16(11), U16(2),   /* L4_DST_PORT */
    U16(4), U16(1),    /* PROTOCOL */
    U16(1), U16(4),    /* IN_BYTES */
    U16(2), U16(4),    /* IN_PKTS */
    U16(22), U16(4),   /* FIRST_SWITCHED */
    U16(21), U16(4),   /* LAST_SWITCHED */
    DATA256,
};
static const uint8_t template_field_len_0[] = {
    HDR(1),
    U16(0), U16(16),   /* template flowset */
    U16(256), U16(2),  /* template 256, 2 fields */
    U16(8), U16(4),    /* IPV4_SRC_ADDR */
    U16(12), U16(0),   /* IPV4_DST_ADDR of length 0 */
};
static const uint8_t template_thousands_of_fields[] = {
    HDR(1),
    U16(0), U16(16),   /* template flowset */
    U16(256), U16(3000), /* template 256, 3000 fields */
    U16(8), U16(4),    /* IPV4_SRC_ADDR */
    U16(12), U16(4),   /* IPV4_DST_ADDR, and no more */
};
static const uint8_t options_scope_not_whole_fields[] = {
    HDR(2),
    U16(1), U16(4 + 12 + 14), /* options template flowset */
    U16(257), U16(6), U16(0), /* template 257: scope of 6 bytes, no fields */
    U16(1), U16(4), 0, 0,     /* 1.5 field specifiers: skipped by the lengths */
    U16(258), U16(4), U16(4), /* template 258: one scope field, one field */
    U16(1), U16(4),           /* scope: system */
    U16(34), U16(4),          /* SAMPLING_INTERVAL */
};
static const uint8_t data_before_template[] = {
    HDR(4),
    DATA256_ONE,       /* no template 256 yet: skipped */
    TPL256, DATA256,
};
static const uint8_t no_addresses[] = {
    HDR(3),
    U16(0), U16(16),   /* template flowset */
    U16(256), U16(2),  /* template 256, 2 fields */
    U16(1), U16(4),    /* IN_BYTES */
    U16(2), U16(4),    /* IN_PKTS: no addresses */
    U16(256), U16(20), /* data flowset: two records */
    U32(100), U32(1),  /* bytes, packets */
    U32(200), U32(2),  /* bytes, packets */
};
/* clang-format on */

struct status_case {
    const char *name;
    const uint8_t *pkt;
    size_t len;
    enum dec_status ret;     /* what netflow9_decode returns */
    size_t records;          /* flow records appended */
    enum dec_status counted; /* the one reject counted in the exporter */
    uint64_t times;
};

#define PKT(p) #p, p, sizeof(p) /* name, bytes, length */

static const struct status_case status_cases[] = {
    {"empty", basic, 0, DEC_SHORT_HEADER, 0, DEC_OK, 0},
    {"short_header", basic, 19, DEC_SHORT_HEADER, 0, DEC_OK, 0},
    {"header_only", basic, 20, DEC_OK, 0, DEC_OK, 0},
    {PKT(bad_version), DEC_BAD_VERSION, 0, DEC_OK, 0},
    {PKT(set_length_below_4), DEC_OK, 0, DEC_BAD_SET_LENGTH, 1},
    {PKT(set_past_end), DEC_OK, 0, DEC_SET_PAST_END, 1},
    {PKT(trailing_padding), DEC_OK, 2, DEC_OK, 0},
    {PKT(reserved_set_id), DEC_OK, 2, DEC_BAD_SET_ID, 1},
    {PKT(template_id_255), DEC_OK, 0, DEC_TPL_BAD_ID, 1},
    {PKT(template_no_fields_then_good), DEC_OK, 2, DEC_TPL_FIELD_COUNT, 1},
    {PKT(template_field_len_0), DEC_OK, 0, DEC_TPL_BAD_FIELD, 1},
    {PKT(template_thousands_of_fields), DEC_OK, 0, DEC_TPL_TRUNCATED, 1},
    {PKT(options_scope_not_whole_fields), DEC_OK, 0, DEC_TPL_FIELD_COUNT, 1},
    {PKT(data_before_template), DEC_OK, 2, DEC_NO_TEMPLATE, 1},
    {PKT(no_addresses), DEC_OK, 0, DEC_NOT_IP, 2},
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

/* A malformed options template is skipped by its lengths; the next one in
 * the flowset is kept. */
static void test_malformed_options_template_skipped(void **state)
{
    (void)state;
    assert_int_equal(decode(options_scope_not_whole_fields, sizeof(options_scope_not_whole_fields)),
                     DEC_OK);
    assert_counted(DEC_TPL_FIELD_COUNT, 1);
    assert_null(tpl_get(tpls, &xp.addr, 0, 257));
    const struct ff_prog *p = tpl_get(tpls, &xp.addr, 0, 258);
    assert_non_null(p);
    assert_true(p->options);
    assert_int_equal(p->reclen, 8);
}

/* Template, a flowset of two records, a flowset of one. */
static const uint8_t three_sets[] = {HDR(4), TPL256, DATA256, DATA256_ONE};
#define END_OF_TEMPLATES (NF9_HEADER_LEN + 44)
#define END_OF_FIRST     (END_OF_TEMPLATES + 64)

/* v9 has no message length: a prefix is read as far as it goes, and yields
 * exactly the records of the flowsets it holds whole; the cut flowset is
 * counted unless what is left of it is too short to be one. */
static void test_truncation_sweep(void **state)
{
    for (size_t len = 0; len < sizeof(three_sets); len++) {
        teardown(state);
        setup(state);
        enum dec_status st = decode(three_sets, len);
        if (len < NF9_HEADER_LEN) {
            assert_int_equal(st, DEC_SHORT_HEADER);
            continue;
        }
        assert_int_equal(st, DEC_OK);
        size_t want = len >= END_OF_FIRST ? 2 : 0;
        assert_int_equal(out.n, want);
        size_t whole = len >= END_OF_FIRST       ? END_OF_FIRST
                       : len >= END_OF_TEMPLATES ? END_OF_TEMPLATES
                                                 : NF9_HEADER_LEN;
        bool cut_set = len - whole >= 4;
        uint64_t cut = xp.st.dec_err[DEC_SET_PAST_END] + xp.st.dec_err[DEC_BAD_SET_LENGTH];
        assert_int_equal(cut, cut_set ? 1 : 0);
        assert_true((tpl_get(tpls, &xp.addr, 0, 256) != NULL) == (len >= END_OF_TEMPLATES));
    }
}

static void test_too_many_records(void **state)
{
    (void)state;
    out.cap = 2;
    assert_int_equal(decode(three_sets, sizeof(three_sets)), DEC_OK);
    assert_int_equal(out.n, 2); /* the first data flowset fit; the second is refused whole */
    assert_counted(DEC_TOO_MANY_RECORDS, 1);
    out.cap = OF_ARRAY_LEN(recs);
}

/* softflowd: an options template scoped to an interface with
 * SAMPLING_INTERVAL, the data templates, the options record, then data. */
/* clang-format off */
static const uint8_t softflowd_like[] = {
    HDR(4),
    U16(1), U16(28),           /* options template flowset */
    U16(256), U16(4), U16(12), /* template 256: 1 scope field, 3 fields */
    U16(2), U16(4),            /* scope: interface */
    U16(34), U16(4),           /* SAMPLING_INTERVAL */
    U16(35), U16(1),           /* SAMPLING_ALGORITHM */
    U16(82), U16(16),          /* IF_NAME */
    0, 0,                      /* padding */
    U16(0), U16(44),           /* template flowset */
    U16(1024), U16(9),         /* template 1024, 9 fields */
    U16(8), U16(4),            /* IPV4_SRC_ADDR */
    U16(12), U16(4),           /* IPV4_DST_ADDR */
    U16(22), U16(4),           /* FIRST_SWITCHED */
    U16(21), U16(4),           /* LAST_SWITCHED */
    U16(1), U16(4),            /* IN_BYTES */
    U16(2), U16(4),            /* IN_PKTS */
    U16(7), U16(2),            /* L4_SRC_PORT */
    U16(11), U16(2),           /* L4_DST_PORT */
    U16(4), U16(1),            /* PROTOCOL */
    U16(256), U16(32),         /* options data flowset */
    U32(0),                    /* interface 0: the scope, not IN_PKTS */
    U32(10),                   /* 1 in 10 */
    1,                         /* deterministic */
    't', 'r', 'a', 'f', 'f', 'i', 'c', '-', 'p', 'u', 'b', 'l', 'i', 'c', '.', 'p', /* name */
    0, 0, 0,                   /* padding */
    U16(1024), U16(36),        /* data flowset 1024 */
    10, 0, 0, 1,               /* source */
    192, 0, 2, 1,              /* destination */
    U32(UPTIME_MS - 5000),     /* first */
    U32(UPTIME_MS - 1000),     /* last */
    U32(4000), U32(4),         /* bytes, packets */
    U16(1234), U16(80),        /* ports */
    6,                         /* TCP */
    0, 0, 0,                   /* padding */
};
/* clang-format on */

static void test_options_sampling_interval(void **state)
{
    (void)state;
    assert_int_equal(decode(softflowd_like, sizeof(softflowd_like)), DEC_OK);
    assert_counted(DEC_OK, 0);
    assert_int_equal(out.n, 1);
    assert_int_equal(recs[0].sampling, 10);
    assert_int_equal(recs[0].bytes, 4000);
    assert_int_equal(recs[0].start_ms, UNIX_MS - 5000);
    assert_int_equal(recs[0].end_ms, UNIX_MS - 1000);
    assert_true(tpl_get(tpls, &xp.addr, 0, 256)->options);
}

/* Cisco's sampler options: FLOW_SAMPLER_ID, mode and interval per sampler;
 * data records name their sampler. */
static void test_sampler_ids(void **state)
{
    (void)state;
    /* clang-format off */
    static const uint8_t pkt[] = {
        HDR(7),
        U16(1), U16(28),           /* options template flowset */
        U16(257), U16(4), U16(12), /* template 257: 1 scope field, 3 fields */
        U16(1), U16(4),            /* scope: system */
        U16(48), U16(1),           /* FLOW_SAMPLER_ID */
        U16(49), U16(1),           /* FLOW_SAMPLER_MODE */
        U16(50), U16(4),           /* FLOW_SAMPLER_RANDOM_INTERVAL */
        0, 0,                      /* padding */
        U16(257), U16(24),         /* options data flowset */
        U32(0), 1, 2, U32(100),    /* sampler 1: random 1 in 100 */
        U32(0), 2, 2, U32(1000),   /* sampler 2: random 1 in 1000 */
        U16(0), U16(20),           /* template flowset */
        U16(258), U16(3),          /* template 258, 3 fields */
        U16(8), U16(4),            /* IPV4_SRC_ADDR */
        U16(12), U16(4),           /* IPV4_DST_ADDR */
        U16(48), U16(1),           /* FLOW_SAMPLER_ID */
        U16(258), U16(32),         /* data flowset 258 */
        10, 0, 0, 1, 192, 0, 2, 1, 1, /* sampler 1 */
        10, 0, 0, 1, 192, 0, 2, 1, 2, /* sampler 2 */
        10, 0, 0, 1, 192, 0, 2, 1, 3, /* sampler 3: unknown */
        0,                         /* padding */
    };
    /* clang-format on */
    assert_int_equal(decode(pkt, sizeof(pkt)), DEC_OK);
    assert_counted(DEC_OK, 0);
    assert_int_equal(out.n, 3);
    assert_int_equal(recs[0].sampling, 100);
    assert_int_equal(recs[1].sampling, 1000);
    assert_int_equal(recs[2].sampling, 0);
}

/* pmacct: absolute 8-byte millisecond stamps and 8-byte counters. */
static void test_pmacct_layout(void **state)
{
    (void)state;
    /* clang-format off */
    static const uint8_t pkt[] = {
        HDR(2),
        U16(0), U16(68),        /* template flowset */
        U16(1024), U16(15),     /* template 1024, 15 fields */
        U16(153), U16(8),       /* flowEndMilliseconds */
        U16(152), U16(8),       /* flowStartMilliseconds */
        U16(1), U16(8),         /* IN_BYTES */
        U16(2), U16(8),         /* IN_PKTS */
        U16(60), U16(1),        /* IP_PROTOCOL_VERSION */
        U16(10), U16(4),        /* INPUT_SNMP */
        U16(14), U16(4),        /* OUTPUT_SNMP */
        U16(61), U16(1),        /* DIRECTION */
        U16(8), U16(4),         /* IPV4_SRC_ADDR */
        U16(12), U16(4),        /* IPV4_DST_ADDR */
        U16(7), U16(2),         /* L4_SRC_PORT */
        U16(11), U16(2),        /* L4_DST_PORT */
        U16(5), U16(1),         /* SRC_TOS */
        U16(6), U16(1),         /* TCP_FLAGS */
        U16(4), U16(1),         /* PROTOCOL */
        U16(1024), U16(61),     /* data flowset 1024 */
        U64(1715680869133),     /* end */
        U64(1715680805432),     /* start */
        U64(19811), U64(21),    /* bytes, packets */
        4,                      /* IPv4 */
        U32(0), U32(0),         /* interfaces */
        0,                      /* direction */
        10, 20, 0, 15,          /* source */
        192, 0, 2, 129,         /* destination */
        U16(54498), U16(51820), /* ports */
        0, 0,                   /* tos, flags */
        17,                     /* UDP */
    };
    /* clang-format on */
    assert_int_equal(decode(pkt, sizeof(pkt)), DEC_OK);
    assert_counted(DEC_OK, 0);
    assert_int_equal(out.n, 1);
    assert_v4(&recs[0].src, 10, 20, 0, 15);
    assert_int_equal(recs[0].sport, 54498);
    assert_int_equal(recs[0].dport, 51820);
    assert_int_equal(recs[0].proto, 17);
    assert_int_equal(recs[0].bytes, 19811);
    assert_int_equal(recs[0].packets, 21);
    assert_int_equal(recs[0].start_ms, 1715680805432ull);
    assert_int_equal(recs[0].end_ms, 1715680869133ull);
}

static void test_ipv6_and_icmp(void **state)
{
    (void)state;
    /* clang-format off */
    static const uint8_t pkt[] = {
        HDR(3),
        U16(0), U16(40),      /* template flowset */
        U16(2049), U16(8),    /* template 2049, 8 fields */
        U16(27), U16(16),     /* IPV6_SRC_ADDR */
        U16(28), U16(16),     /* IPV6_DST_ADDR */
        U16(139), U16(2),     /* ICMP_TYPE (IPv6) */
        U16(7), U16(2),       /* L4_SRC_PORT */
        U16(11), U16(2),      /* L4_DST_PORT */
        U16(4), U16(1),       /* PROTOCOL */
        U16(1), U16(4),       /* IN_BYTES */
        U16(2), U16(4),       /* IN_PKTS */
        U16(2049), U16(100),  /* data flowset 2049 */
        0x20, 0x01, 0x0d, 0xb8, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, /* source */
        0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,    /* destination */
        U16(0x8000), U16(0), U16(32768), 58, U32(104), U32(1),           /* ICMPv6 echo */
        0x20, 0x01, 0x0d, 0xb8, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, /* source */
        0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,    /* destination */
        U16(0), U16(50000), U16(443), 17, U32(1350), U32(1),             /* QUIC */
        0, 0,                 /* padding */
    };
    /* clang-format on */
    assert_int_equal(decode(pkt, sizeof(pkt)), DEC_OK);
    assert_counted(DEC_OK, 0);
    assert_int_equal(out.n, 2);
    assert_int_equal(recs[0].src.af, ADDR_V6);
    assert_int_equal(recs[0].src.b[15], 0x10);
    assert_int_equal(recs[0].dst.af, ADDR_V6);
    assert_int_equal(recs[0].proto, 58);
    assert_int_equal(recs[0].sport, 0);
    assert_int_equal(recs[0].dport, 0);
    assert_int_equal(recs[0].bytes, 104);
    assert_int_equal(recs[1].sport, 50000);
    assert_int_equal(recs[1].dport, 443);
}

/* Variable-length fields use the IPFIX encoding in v9 too. */
static void test_variable_length(void **state)
{
    (void)state;
    /* clang-format off */
    static const uint8_t pkt[] = {
        HDR(3),
        U16(0), U16(20),      /* template flowset */
        U16(300), U16(3),     /* template 300, 3 fields */
        U16(8), U16(4),       /* IPV4_SRC_ADDR */
        U16(95), U16(0xffff), /* APPLICATION_TAG, variable length */
        U16(12), U16(4),      /* IPV4_DST_ADDR */
        U16(300), U16(31),    /* data flowset 300 */
        10, 0, 0, 1, 2, 'a', 'b', 192, 0, 2, 1,                /* 1-byte length */
        10, 0, 0, 2, 255, U16(3), 'x', 'y', 'z', 192, 0, 2, 2, /* 3-byte length */
        0, 0,                 /* padding, shorter than a record */
    };
    /* clang-format on */
    assert_int_equal(decode(pkt, sizeof(pkt)), DEC_OK);
    assert_counted(DEC_OK, 0);
    assert_int_equal(out.n, 2);
    assert_v4(&recs[0].dst, 192, 0, 2, 1);
    assert_v4(&recs[1].src, 10, 0, 0, 2);
    assert_v4(&recs[1].dst, 192, 0, 2, 2);
}

/* Source ids keep their templates apart. */
static void test_source_ids(void **state)
{
    (void)state;
    uint8_t pkt[sizeof(basic)];
    memcpy(pkt, basic, sizeof(pkt));
    pkt[19] = 7; /* source id 7 */
    assert_int_equal(decode(pkt, sizeof(pkt)), DEC_OK);
    assert_int_equal(out.n, 2);
    assert_non_null(tpl_get(tpls, &xp.addr, 7, 256));
    assert_null(tpl_get(tpls, &xp.addr, 0, 256));
    /* clang-format off */
    static const uint8_t data_in_0[] = {HDR(1), DATA256_ONE};
    /* clang-format on */
    assert_int_equal(decode(data_in_0, sizeof(data_in_0)), DEC_OK);
    assert_counted(DEC_NO_TEMPLATE, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_basic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_options_template_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncation_sweep, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_many_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_options_sampling_interval, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sampler_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pmacct_layout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ipv6_and_icmp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_variable_length, setup, teardown),
        cmocka_unit_test_setup_teardown(test_source_ids, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
