/* Tests for decode/sflow.c: hand-made sFlow v5 datagrams, one row each, with
 * the status sflow_decode returns, the records it yields, the sample-level
 * reject it counts, and the first record's values. Then a truncation sweep
 * and the batch-full rollback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "decode/sflow.h"
#include "util/addr.h"

#define B16(v) (uint8_t)(((v) >> 8) & 0xff), (uint8_t)((v)&0xff)
#define B32(v)                                                                                     \
    (uint8_t)(((v) >> 24) & 0xff), (uint8_t)(((v) >> 16) & 0xff), (uint8_t)(((v) >> 8) & 0xff),    \
        (uint8_t)((v)&0xff)

/* --- sampled frames --------------------------------------------------- */

/* Ethernet/IPv4/TCP, 10.20.0.5:51000 -> 192.0.2.1:443, IP length 1500:
 * 54 bytes, 2 bytes of padding. */
#define FRAME_TCP_LEN    54
#define FRAME_TCP_PADDED 56
#define FRAME_TCP                                                                                  \
    0x02, 0, 0, 0, 0, 0x01,     /* destination MAC */                                              \
        0x02, 0, 0, 0, 0, 0x02, /* source MAC */                                                   \
        B16(0x0800),            /* EtherType IPv4 */                                               \
        0x45, 0x00,             /* version 4, IHL 5; DSCP */                                       \
        B16(1500),              /* total length */                                                 \
        B16(1), B16(0x4000),    /* identification; DF */                                           \
        64, 6, B16(0),          /* TTL, protocol TCP, checksum */                                  \
        10, 20, 0, 5,           /* source */                                                       \
        192, 0, 2, 1,           /* destination */                                                  \
        B16(51000), B16(443),   /* TCP ports */                                                    \
        B32(1), B32(0),         /* sequence, acknowledgment */                                     \
        0x50, 0x10, B16(1000),  /* offset, ACK, window */                                          \
        B16(0), B16(0),         /* checksum, urgent */                                             \
        0, 0                    /* padding to 4 bytes */

/* Ethernet/ARP: 42 bytes, 2 bytes of padding. */
#define FRAME_ARP_LEN    42
#define FRAME_ARP_PADDED 44
#define FRAME_ARP                                                                                  \
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff,       /* broadcast */                                      \
        0x02, 0, 0, 0, 0, 0x02,               /* source MAC */                                     \
        B16(0x0806),                          /* EtherType ARP */                                  \
        B16(1), B16(0x0800), 6, 4, B16(1),    /* request */                                        \
        0x02, 0, 0, 0, 0, 0x02, 10, 20, 0, 5, /* sender */                                         \
        0, 0, 0, 0, 0, 0, 10, 20, 0, 1,       /* target */                                         \
        0, 0                                  /* padding to 4 bytes */

/* Ethernet and the first 6 bytes of IPv4: cut before the addresses. */
#define FRAME_CUT_LEN 20
#define FRAME_CUT                                                                                  \
    0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02, /* MACs */                                     \
        B16(0x0800),                                /* EtherType IPv4 */                           \
        0x45, 0x00, B16(1500), B16(1)               /* 6 bytes of IPv4 header */

/* --- flow records ----------------------------------------------------- */

/* sampled_header around a frame of hdr_len bytes padded to `padded`. */
#define REC_HEADER_LEN(padded) (8 + 16 + (padded))
#define REC_HEADER(proto, hdr_len, padded, ...)                                                    \
    B32(1),                 /* record: enterprise 0, format 1 sampled_header */                    \
        B32(16 + (padded)), /* record length */                                                    \
        B32(proto),         /* header_protocol */                                                  \
        B32(1518),          /* frame_length */                                                     \
        B32(4),             /* stripped (FCS) */                                                   \
        B32(hdr_len),       /* header length */                                                    \
        __VA_ARGS__         /* header bytes, padded */

#define REC_SWITCH_LEN 24
#define REC_SWITCH                                                                                 \
    B32(1001),            /* record: extended_switch */                                            \
        B32(16),          /* record length */                                                      \
        B32(100), B32(0), /* source VLAN, priority */                                              \
        B32(100), B32(0)  /* destination VLAN, priority */

/* sampled_ipv4, 10.20.0.9 -> 198.51.100.7. */
#define REC_IPV4_LEN 40
#define REC_IPV4(len, proto, sport, dport)                                                         \
    B32(3),              /* record: sampled_ipv4 */                                                \
        B32(32),         /* record length */                                                       \
        B32(len),        /* IP packet length */                                                    \
        B32(proto),      /* protocol */                                                            \
        10, 20, 0, 9,    /* source */                                                              \
        198, 51, 100, 7, /* destination */                                                         \
        B32(sport),      /* source port */                                                         \
        B32(dport),      /* destination port */                                                    \
        B32(0x18),       /* TCP flags */                                                           \
        B32(0)           /* TOS */

/* sampled_ipv6, 2001:db8:20::9 -> 2001:db8::7. */
#define REC_IPV6_LEN 64
#define REC_IPV6(len, proto, sport, dport)                                                         \
    B32(4),                                                            /* record: sampled_ipv6 */  \
        B32(56),                                                       /* record length */         \
        B32(len),                                                      /* IP packet length */      \
        B32(proto),                                                    /* next header */           \
        0x20, 0x01, 0x0d, 0xb8, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, /* source */                \
        0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7,    /* destination */           \
        B32(sport),                                                    /* source port */           \
        B32(dport),                                                    /* destination port */      \
        B32(0),                                                        /* TCP flags */             \
        B32(0)                                                         /* priority */

/* --- samples ---------------------------------------------------------- */

/* flow_sample header; body_len is the length of its records. */
#define FLOW_SAMPLE_LEN(body_len) (8 + 32 + (body_len))
#define FLOW_SAMPLE(body_len, rate, nrec)                                                          \
    B32(1),                   /* sample: enterprise 0, format 1 flow_sample */                     \
        B32(32 + (body_len)), /* sample length */                                                  \
        B32(1),               /* sequence_number */                                                \
        B32(3),               /* source_id: type 0, ifIndex 3 */                                   \
        B32(rate),            /* sampling_rate */                                                  \
        B32(1000),            /* sample_pool */                                                    \
        B32(0),               /* drops */                                                          \
        B32(3),               /* input */                                                          \
        B32(7),               /* output */                                                         \
        B32(nrec)             /* flow records */

/* flow_sample_expanded header, source type 0 index 5. */
#define FLOW_SAMPLE_EXP_LEN(body_len) (8 + 44 + (body_len))
#define FLOW_SAMPLE_EXP(body_len, rate, nrec)                                                      \
    B32(3),                   /* sample: enterprise 0, format 3 flow_sample_expanded */            \
        B32(44 + (body_len)), /* sample length */                                                  \
        B32(1),               /* sequence_number */                                                \
        B32(0),               /* source_id type */                                                 \
        B32(5),               /* source_id index */                                                \
        B32(rate),            /* sampling_rate */                                                  \
        B32(1000),            /* sample_pool */                                                    \
        B32(0),               /* drops */                                                          \
        B32(0), B32(3),       /* input format, value */                                            \
        B32(0), B32(7),       /* output format, value */                                           \
        B32(nrec)             /* flow records */

/* A flow sample of the TCP frame behind an extended_switch record. */
#define SAMPLE_TCP_BODY (REC_SWITCH_LEN + REC_HEADER_LEN(FRAME_TCP_PADDED))
#define SAMPLE_TCP_LEN  FLOW_SAMPLE_LEN(SAMPLE_TCP_BODY)
#define SAMPLE_TCP(rate)                                                                           \
    FLOW_SAMPLE(SAMPLE_TCP_BODY, rate, 2), REC_SWITCH,                                             \
        REC_HEADER(1, FRAME_TCP_LEN, FRAME_TCP_PADDED, FRAME_TCP)

#define COUNTER_SAMPLE_LEN (8 + 24)
#define COUNTER_SAMPLE                                                                             \
    B32(2),        /* sample: enterprise 0, format 2 counters_sample */                            \
        B32(24),   /* sample length */                                                             \
        B32(1),    /* sequence_number */                                                           \
        B32(3),    /* source_id */                                                                 \
        B32(1),    /* counter records */                                                           \
        B32(1000), /* record: a format we never read */                                            \
        B32(4),    /* record length */                                                             \
        B32(0)     /* record data */

/* Datagram header with an IPv4 agent. */
#define DGRAM_HDR_LEN 28
#define DGRAM(nsamples)                                                                            \
    B32(5),            /* version */                                                               \
        B32(1),        /* agent address type IPv4 */                                               \
        192, 0, 2, 10, /* agent address */                                                         \
        B32(0),        /* sub_agent_id */                                                          \
        B32(1),        /* sequence_number */                                                       \
        B32(1000),     /* uptime */                                                                \
        B32(nsamples)  /* samples */

/* --- datagrams -------------------------------------------------------- */

static const uint8_t one_flow[] = {
    DGRAM(1),
    SAMPLE_TCP(512),
};

static const uint8_t expanded[] = {
    DGRAM(1),
    FLOW_SAMPLE_EXP(REC_HEADER_LEN(FRAME_TCP_PADDED), 256, 1),
    REC_HEADER(1, FRAME_TCP_LEN, FRAME_TCP_PADDED, FRAME_TCP),
};

static const uint8_t counter_then_flow[] = {
    DGRAM(2),
    COUNTER_SAMPLE,
    SAMPLE_TCP(1),
};

static const uint8_t unknown_records[] = {
    DGRAM(1),
    FLOW_SAMPLE(8 + 12 + 8 + 4 + REC_HEADER_LEN(FRAME_TCP_PADDED), 1, 3),
    B32(1234), /* record: enterprise 0, unknown format */
    B32(12),   /* record length */
    B32(1),
    B32(2),
    B32(3),            /* record data */
    B32(9u << 12 | 1), /* record: enterprise 9, format 1 */
    B32(4),            /* record length */
    B32(0xffffffff),   /* record data */
    REC_HEADER(1, FRAME_TCP_LEN, FRAME_TCP_PADDED, FRAME_TCP),
};

static const uint8_t count_too_high[] = {
    DGRAM(3), /* says 3, holds 2 */
    SAMPLE_TCP(1),
    SAMPLE_TCP(1),
};

static const uint8_t sample_past_end[] = {
    DGRAM(2), SAMPLE_TCP(1), B32(1), /* sample: flow_sample */
    B32(500),                        /* sample length: past the end */
    B32(2),   B32(3),        B32(1), B32(1000),
};

static const uint8_t zero_rate[] = {
    DGRAM(2), SAMPLE_TCP(0), /* rejected */
    SAMPLE_TCP(1),           /* still read */
};

static const uint8_t ipv6_agent[] = {
    B32(5), /* version */
    B32(2), /* agent address type IPv6 */
    0x20,          0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0a, /* agent address */
    B32(0),                                                                 /* sub_agent_id */
    B32(7),                                                                 /* sequence_number */
    B32(1000),                                                              /* uptime */
    B32(1),                                                                 /* samples */
    SAMPLE_TCP(1),
};

static const uint8_t bad_version[] = {
    B32(4), /* version 4 */
    B32(1), 192, 0, 2, 10, B32(0), B32(1), B32(1000), B32(0),
};

static const uint8_t bad_address_type[] = {
    B32(5), /* version */
    B32(3), /* agent address type: unknown */
    192,    0, 2, 10, B32(0), B32(1), B32(1000), B32(0),
};

static const uint8_t too_many_samples[] = {
    DGRAM(SFLOW_MAX_SAMPLES + 1),
    SAMPLE_TCP(1),
};

static const uint8_t short_header[] = {
    B32(5), B32(1), 192, 0, 2, 10, B32(0), B32(1), B32(1000), /* no sample count */
};

static const uint8_t no_samples[] = {
    DGRAM(0),
};

static const uint8_t arp_sample[] = {
    DGRAM(1),
    FLOW_SAMPLE(REC_HEADER_LEN(FRAME_ARP_PADDED), 1, 1),
    REC_HEADER(1, FRAME_ARP_LEN, FRAME_ARP_PADDED, FRAME_ARP),
};

static const uint8_t no_packet_records[] = {
    DGRAM(1),
    FLOW_SAMPLE(REC_SWITCH_LEN, 1, 1),
    REC_SWITCH,
};

static const uint8_t sampled_ipv4_only[] = {
    DGRAM(1),
    FLOW_SAMPLE(REC_IPV4_LEN, 10, 1),
    REC_IPV4(1400, 17, 53, 33333),
};

static const uint8_t sampled_ipv6_only[] = {
    DGRAM(1),
    FLOW_SAMPLE(REC_IPV6_LEN, 10, 1),
    REC_IPV6(1280, 6, 443, 50000),
};

static const uint8_t sampled_icmp[] = {
    DGRAM(1), FLOW_SAMPLE(REC_IPV4_LEN, 1, 1),
    REC_IPV4(84, 1, 8, 0), /* echo request as type 8 in the source port */
};

static const uint8_t unknown_hdr_proto_then_ipv4[] = {
    DGRAM(1),
    FLOW_SAMPLE(REC_HEADER_LEN(FRAME_TCP_PADDED) + REC_IPV4_LEN, 1, 2),
    REC_HEADER(2, FRAME_TCP_LEN, FRAME_TCP_PADDED, FRAME_TCP), /* 2: Token Ring */
    REC_IPV4(1400, 17, 53, 33333),
};

static const uint8_t raw_header_wins[] = {
    DGRAM(1),
    FLOW_SAMPLE(REC_IPV4_LEN + REC_HEADER_LEN(FRAME_TCP_PADDED), 1, 2),
    REC_IPV4(1400, 17, 53, 33333),
    REC_HEADER(1, FRAME_TCP_LEN, FRAME_TCP_PADDED, FRAME_TCP),
};

static const uint8_t record_count_too_high[] = {
    DGRAM(1),
    FLOW_SAMPLE(REC_HEADER_LEN(FRAME_TCP_PADDED), 1, 2), /* says 2, holds 1 */
    REC_HEADER(1, FRAME_TCP_LEN, FRAME_TCP_PADDED, FRAME_TCP),
};

static const uint8_t record_count_over_cap[] = {
    DGRAM(1),
    FLOW_SAMPLE(REC_HEADER_LEN(FRAME_TCP_PADDED), 1, SFLOW_MAX_RECORDS + 1),
    REC_HEADER(1, FRAME_TCP_LEN, FRAME_TCP_PADDED, FRAME_TCP),
};

static const uint8_t record_past_sample[] = {
    DGRAM(2),      FLOW_SAMPLE(REC_SWITCH_LEN, 1, 1),
    B32(1001), /* record: extended_switch */
    B32(40),   /* record length: past the sample */
    B32(100),      B32(0),
    B32(100),      B32(0),
    SAMPLE_TCP(1), /* still read */
};

static const uint8_t header_past_record[] = {
    DGRAM(1),
    FLOW_SAMPLE(REC_HEADER_LEN(FRAME_TCP_PADDED), 1, 1),
    B32(1),                     /* record: sampled_header */
    B32(16 + FRAME_TCP_PADDED), /* record length */
    B32(1),                     /* header_protocol Ethernet */
    B32(1518),                  /* frame_length */
    B32(4),                     /* stripped */
    B32(FRAME_TCP_PADDED + 4),  /* header length: past the record */
    FRAME_TCP,
};

static const uint8_t header_record_too_short[] = {
    DGRAM(1), FLOW_SAMPLE(8 + 8, 1, 1),
    B32(1), /* record: sampled_header */
    B32(8), /* record length: no room for its fields */
    B32(1),   B32(1518),
};

static const uint8_t sampled_ipv4_too_short[] = {
    DGRAM(1), FLOW_SAMPLE(8 + 16, 1, 1),
    B32(3),  /* record: sampled_ipv4 */
    B32(16), /* record length: no room for the ports */
    B32(100), B32(6),
    10,       20,
    0,        9,
    198,      51,
    100,      7,
};

static const uint8_t header_cut_before_addresses[] = {
    DGRAM(1),
    FLOW_SAMPLE(REC_HEADER_LEN(FRAME_CUT_LEN), 1, 1),
    REC_HEADER(1, FRAME_CUT_LEN, FRAME_CUT_LEN, FRAME_CUT),
};

static const uint8_t trailing_bytes[] = {
    DGRAM(1), SAMPLE_TCP(1), B32(0), /* more than the sample count covers */
};

static const uint8_t other_enterprise_sample[] = {
    DGRAM(2),      B32(4300u << 12 | 1), /* sample: enterprise 4300, format 1 */
    B32(8),                              /* sample length */
    B32(1),        B32(2),               /* sample data */
    SAMPLE_TCP(1),
};

static const uint8_t short_flow_sample[] = {
    DGRAM(2),      B32(1), /* sample: flow_sample */
    B32(8),                /* sample length: shorter than its fixed fields */
    B32(1),        B32(3), /* sequence_number, source_id */
    SAMPLE_TCP(1),         /* still read */
};

/* --- the table -------------------------------------------------------- */

struct sflow_case {
    const char *name;
    const uint8_t *pkt;
    size_t len;
    enum dec_status st;      /* returned */
    size_t nrecs;            /* records left in the batch */
    enum dec_status counted; /* the sample-level reject counted, DEC_OK for none */
    uint64_t ncounted;
    /* the first record, when there is one */
    const char *src;
    const char *dst;
    uint8_t proto;
    uint16_t sport;
    uint16_t dport;
    uint64_t bytes;
    uint32_t sampling;
};

#define PKT(a)  a, sizeof(a)
#define TCP_REC "10.20.0.5", "192.0.2.1", 6, 51000, 443, 1500

static struct sflow_case cases[] = {
    {"flow_sample", PKT(one_flow), DEC_OK, 1, DEC_OK, 0, TCP_REC, 512},
    {"expanded_flow_sample", PKT(expanded), DEC_OK, 1, DEC_OK, 0, TCP_REC, 256},
    {"counter_sample_skipped", PKT(counter_then_flow), DEC_OK, 1, DEC_OK, 0, TCP_REC, 1},
    {"unknown_records_skipped", PKT(unknown_records), DEC_OK, 1, DEC_OK, 0, TCP_REC, 1},
    {"sample_count_too_high", PKT(count_too_high), DEC_SAMPLE_COUNT, 2, DEC_OK, 0, TCP_REC, 1},
    {"sample_past_end", PKT(sample_past_end), DEC_SAMPLE_TRUNCATED, 1, DEC_OK, 0, TCP_REC, 1},
    {"zero_sampling_rate", PKT(zero_rate), DEC_OK, 1, DEC_ZERO_SAMPLING, 1, TCP_REC, 1},
    {"ipv6_agent", PKT(ipv6_agent), DEC_OK, 1, DEC_OK, 0, TCP_REC, 1},
    {"bad_version", PKT(bad_version), DEC_BAD_VERSION, 0, DEC_OK, 0, NULL, NULL, 0, 0, 0, 0, 0},
    {"bad_address_type", PKT(bad_address_type), DEC_BAD_ADDRESS_TYPE, 0, DEC_OK, 0, NULL, NULL, 0,
     0, 0, 0, 0},
    {"samples_over_cap", PKT(too_many_samples), DEC_SAMPLE_COUNT, 0, DEC_OK, 0, NULL, NULL, 0, 0, 0,
     0, 0},
    {"short_header", PKT(short_header), DEC_SHORT_HEADER, 0, DEC_OK, 0, NULL, NULL, 0, 0, 0, 0, 0},
    {"empty", NULL, 0, DEC_SHORT_HEADER, 0, DEC_OK, 0, NULL, NULL, 0, 0, 0, 0, 0},
    {"no_samples", PKT(no_samples), DEC_OK, 0, DEC_OK, 0, NULL, NULL, 0, 0, 0, 0, 0},
    {"arp_not_ip", PKT(arp_sample), DEC_OK, 0, DEC_NOT_IP, 1, NULL, NULL, 0, 0, 0, 0, 0},
    {"no_packet_records", PKT(no_packet_records), DEC_OK, 0, DEC_NOT_IP, 1, NULL, NULL, 0, 0, 0, 0,
     0},
    {"sampled_ipv4", PKT(sampled_ipv4_only), DEC_OK, 1, DEC_OK, 0, "10.20.0.9", "198.51.100.7", 17,
     53, 33333, 1400, 10},
    {"sampled_ipv6", PKT(sampled_ipv6_only), DEC_OK, 1, DEC_OK, 0, "2001:db8:20::9", "2001:db8::7",
     6, 443, 50000, 1280, 10},
    {"sampled_icmp_no_ports", PKT(sampled_icmp), DEC_OK, 1, DEC_OK, 0, "10.20.0.9", "198.51.100.7",
     1, 0, 0, 84, 1},
    {"unknown_header_protocol_falls_back", PKT(unknown_hdr_proto_then_ipv4), DEC_OK, 1, DEC_OK, 0,
     "10.20.0.9", "198.51.100.7", 17, 53, 33333, 1400, 1},
    {"raw_header_wins", PKT(raw_header_wins), DEC_OK, 1, DEC_OK, 0, TCP_REC, 1},
    {"record_count_too_high", PKT(record_count_too_high), DEC_OK, 0, DEC_RECORD_COUNT, 1, NULL,
     NULL, 0, 0, 0, 0, 0},
    {"record_count_over_cap", PKT(record_count_over_cap), DEC_OK, 0, DEC_RECORD_COUNT, 1, NULL,
     NULL, 0, 0, 0, 0, 0},
    {"record_past_sample", PKT(record_past_sample), DEC_OK, 1, DEC_RECORD_TRUNCATED, 1, TCP_REC, 1},
    {"header_past_record", PKT(header_past_record), DEC_OK, 0, DEC_RECORD_TRUNCATED, 1, NULL, NULL,
     0, 0, 0, 0, 0},
    {"header_record_too_short", PKT(header_record_too_short), DEC_OK, 0, DEC_RECORD_TOO_SHORT, 1,
     NULL, NULL, 0, 0, 0, 0, 0},
    {"sampled_ipv4_too_short", PKT(sampled_ipv4_too_short), DEC_OK, 0, DEC_RECORD_TOO_SHORT, 1,
     NULL, NULL, 0, 0, 0, 0, 0},
    {"header_cut_before_addresses", PKT(header_cut_before_addresses), DEC_OK, 0,
     DEC_HEADER_TRUNCATED, 1, NULL, NULL, 0, 0, 0, 0, 0},
    {"trailing_bytes", PKT(trailing_bytes), DEC_SAMPLE_COUNT, 1, DEC_OK, 0, TCP_REC, 1},
    {"other_enterprise_sample_skipped", PKT(other_enterprise_sample), DEC_OK, 1, DEC_OK, 0, TCP_REC,
     1},
    {"short_flow_sample", PKT(short_flow_sample), DEC_OK, 1, DEC_SAMPLE_TRUNCATED, 1, TCP_REC, 1},
};

/* --- the checks ------------------------------------------------------- */

#define MAX_RECS 8

struct harness {
    struct exporter exp;
    struct flow_rec recs[MAX_RECS];
    struct flow_batch out;
    struct dec_ctx ctx;
};

static void harness_init(struct harness *h, size_t cap)
{
    memset(h, 0, sizeof(*h));
    h->out.recs = h->recs;
    h->out.cap = cap;
    h->ctx.exp = &h->exp;
    h->ctx.out = &h->out;
    h->ctx.arrival_ms = 1715680800000u;
}

static void assert_addr(const struct of_addr *a, const char *want)
{
    char buf[ADDR_STRLEN];
    assert_string_equal(addr_format(a, buf, sizeof(buf)), want);
}

static void run_case(void **state)
{
    const struct sflow_case *c = *state;
    struct harness h;
    harness_init(&h, MAX_RECS);
    assert_int_equal(sflow_decode(&h.ctx, c->pkt, c->len), c->st);
    assert_int_equal(h.out.n, c->nrecs);
    for (int st = 0; st < DEC__COUNT; st++)
        assert_int_equal(h.exp.st.dec_err[st], st == (int)c->counted ? c->ncounted : 0);
    if (c->nrecs == 0)
        return;
    const struct flow_rec *r = &h.recs[0];
    assert_addr(&r->src, c->src);
    assert_addr(&r->dst, c->dst);
    assert_int_equal(r->proto, c->proto);
    assert_int_equal(r->sport, c->sport);
    assert_int_equal(r->dport, c->dport);
    assert_int_equal(r->bytes, c->bytes);
    assert_int_equal(r->packets, 1);
    assert_int_equal(r->sampling, c->sampling);
    assert_int_equal(r->start_ms, 0);
    assert_int_equal(r->end_ms, 0);
}

/* The exporter shows the rate of its latest accepted sample; a rejected
 * sample's is not taken. Counter samples are counted. */
static void test_rates(void **state)
{
    (void)state;
    struct harness h;
    harness_init(&h, MAX_RECS);
    assert_int_equal(sflow_decode(&h.ctx, PKT(one_flow)), DEC_OK);
    assert_int_equal(h.exp.rate, 512);
    assert_int_equal(sflow_decode(&h.ctx, PKT(expanded)), DEC_OK);
    assert_int_equal(h.exp.rate, 256);
    assert_int_equal(h.exp.st.sflow_counter_samples, 0);
    assert_int_equal(sflow_decode(&h.ctx, PKT(counter_then_flow)), DEC_OK);
    assert_int_equal(h.exp.st.sflow_counter_samples, 1);
    assert_int_equal(h.exp.rate, 1);

    harness_init(&h, MAX_RECS);
    assert_int_equal(sflow_decode(&h.ctx, PKT(arp_sample)), DEC_OK);
    assert_int_equal(h.exp.rate, 0);
}

/* A full batch rejects the datagram and keeps what was there before it. */
static void test_batch_full(void **state)
{
    (void)state;
    struct harness h;
    harness_init(&h, 2);
    assert_int_equal(sflow_decode(&h.ctx, PKT(one_flow)), DEC_OK);
    assert_int_equal(h.out.n, 1);
    assert_int_equal(sflow_decode(&h.ctx, PKT(count_too_high)), DEC_TOO_MANY_RECORDS);
    assert_int_equal(h.out.n, 1);
    assert_int_equal(h.recs[0].sampling, 512);
}

/* A datagram of every kind of sample; its strict prefixes are never DEC_OK
 * and yield exactly the flow samples they hold whole. */
static const uint8_t sweep[] = {
    DGRAM(4),
    SAMPLE_TCP(7),
    COUNTER_SAMPLE,
    FLOW_SAMPLE_EXP(REC_HEADER_LEN(FRAME_TCP_PADDED), 256, 1),
    REC_HEADER(1, FRAME_TCP_LEN, FRAME_TCP_PADDED, FRAME_TCP),
    FLOW_SAMPLE(REC_IPV6_LEN, 10, 1),
    REC_IPV6(1280, 6, 443, 50000),
};

static void test_truncation_sweep(void **state)
{
    (void)state;
    /* Where each sample ends, and whether it yields a record. */
    static const struct {
        size_t end;
        bool flow;
    } samples[] = {
        {DGRAM_HDR_LEN + SAMPLE_TCP_LEN, true},
        {DGRAM_HDR_LEN + SAMPLE_TCP_LEN + COUNTER_SAMPLE_LEN, false},
        {DGRAM_HDR_LEN + SAMPLE_TCP_LEN + COUNTER_SAMPLE_LEN +
             FLOW_SAMPLE_EXP_LEN(REC_HEADER_LEN(FRAME_TCP_PADDED)),
         true},
        {sizeof(sweep), true},
    };
    assert_int_equal(samples[2].end + FLOW_SAMPLE_LEN(REC_IPV6_LEN), sizeof(sweep));

    struct harness full;
    harness_init(&full, MAX_RECS);
    assert_int_equal(sflow_decode(&full.ctx, PKT(sweep)), DEC_OK);
    assert_int_equal(full.out.n, 3);

    for (size_t len = 0; len < sizeof(sweep); len++) {
        struct harness h;
        harness_init(&h, MAX_RECS);
        enum dec_status st = sflow_decode(&h.ctx, sweep, len);
        assert_int_not_equal(st, DEC_OK);
        size_t want = 0;
        for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
            if (samples[i].end <= len && samples[i].flow)
                want++;
        assert_int_equal(h.out.n, want);
        for (size_t i = 0; i < h.out.n; i++)
            assert_memory_equal(&h.recs[i], &full.recs[i], sizeof(h.recs[i]));
        /* A cut datagram is one reject, reported by the status alone. */
        for (int s = 0; s < DEC__COUNT; s++)
            assert_int_equal(h.exp.st.dec_err[s], 0);
    }
}

int main(void)
{
    enum { NCASES = sizeof(cases) / sizeof(cases[0]) };
    struct CMUnitTest tests[NCASES + 3];
    size_t n = 0;
    for (size_t i = 0; i < NCASES; i++)
        tests[n++] = (struct CMUnitTest){cases[i].name, run_case, NULL, NULL, &cases[i]};
    tests[n++] = (struct CMUnitTest){"rates", test_rates, NULL, NULL, NULL};
    tests[n++] = (struct CMUnitTest){"batch_full", test_batch_full, NULL, NULL, NULL};
    tests[n++] = (struct CMUnitTest){"truncation_sweep", test_truncation_sweep, NULL, NULL, NULL};
    return _cmocka_run_group_tests("sflow", tests, n, NULL, NULL);
}
