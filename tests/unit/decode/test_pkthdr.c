/* Tests for decode/pkthdr.c: hand-made frames, one row each, with the
 * status and the values the parser must find in them. Every row runs as its
 * own named test, and every valid row is also cut at every length. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "decode/pkthdr.h"
#include "util/addr.h"

#define B16(v) (uint8_t)(((v) >> 8) & 0xff), (uint8_t)((v)&0xff)
#define B32(v)                                                                                     \
    (uint8_t)(((v) >> 24) & 0xff), (uint8_t)(((v) >> 16) & 0xff), (uint8_t)(((v) >> 8) & 0xff),    \
        (uint8_t)((v)&0xff)

/* Destination and source MAC addresses, the same in every frame. */
#define MACS                                                                                       \
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01,    /* destination MAC */                                   \
        0x02, 0x00, 0x00, 0x00, 0x00, 0x02 /* source MAC */

/* An IPv4 header without options, 10.20.0.5 -> 192.0.2.1. */
#define IPV4(total, frag, proto)                                                                   \
    0x45,             /* version 4, IHL 5 (20 bytes) */                                            \
        0x00,         /* DSCP, ECN */                                                              \
        B16(total),   /* total length */                                                           \
        B16(0x1234),  /* identification */                                                         \
        B16(frag),    /* flags, fragment offset */                                                 \
        64,           /* TTL */                                                                    \
        (proto),      /* protocol */                                                               \
        B16(0),       /* header checksum (not checked) */                                          \
        10, 20, 0, 5, /* source 10.20.0.5 */                                                       \
        192, 0, 2, 1  /* destination 192.0.2.1 */

/* An IPv6 header, 2001:db8:20::10 -> 2001:db8::1. */
#define IPV6(payload_len, next)                                                                    \
    0x60, 0x00, 0x00, 0x00, /* version 6, traffic class, flow label */                             \
        B16(payload_len),   /* payload length */                                                   \
        (next),             /* next header */                                                      \
        64,                 /* hop limit */                                                        \
        0x20, 0x01, 0x0d, 0xb8, 0x00, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, /* source */          \
        0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01  /* destination */

/* A TCP header without options. */
#define TCP(sport, dport)                                                                          \
    B16(sport),        /* source port */                                                           \
        B16(dport),    /* destination port */                                                      \
        B32(1000),     /* sequence number */                                                       \
        B32(0),        /* acknowledgment number */                                                 \
        0x50, 0x02,    /* data offset 5, SYN */                                                    \
        B16(65535),    /* window */                                                                \
        B16(0), B16(0) /* checksum, urgent pointer */

#define UDP(sport, dport, len)                                                                     \
    B16(sport),     /* source port */                                                              \
        B16(dport), /* destination port */                                                         \
        B16(len),   /* length, header included */                                                  \
        B16(0)      /* checksum */

#define DOT1Q(vid, type) B16(vid), /* priority 0, VLAN id */ B16(type)  /* inner EtherType */
#define MPLS(label, bos) B32((uint32_t)(label) << 12 | (bos) << 8 | 64) /* label, S, TTL 64 */

/* --- the frames ------------------------------------------------------- */

static const uint8_t eth_ipv4_tcp[] = {
    MACS,
    B16(0x0800), /* EtherType IPv4 */
    IPV4(1500, 0x4000, 6),
    TCP(51000, 443),
};

static const uint8_t dot1q_ipv4_udp[] = {
    MACS,
    B16(0x8100),          /* EtherType 802.1Q */
    DOT1Q(100, 0x0800),   /* VLAN 100, IPv4 */
    IPV4(28 + 40, 0, 17), /* UDP, 40 bytes of payload */
    UDP(40000, 53, 48),
};

static const uint8_t qinq_ipv4_tcp[] = {
    MACS,
    B16(0x88a8),        /* EtherType 802.1ad (service tag) */
    DOT1Q(10, 0x8100),  /* S-VLAN 10, then a C-tag */
    DOT1Q(200, 0x0800), /* C-VLAN 200, IPv4 */
    IPV4(60, 0, 6),
    TCP(33000, 80),
};

static const uint8_t qinq_9100_ipv4_tcp[] = {
    MACS,
    B16(0x9100),        /* EtherType pre-standard QinQ */
    DOT1Q(10, 0x8100),  /* outer tag, then 802.1Q */
    DOT1Q(200, 0x0800), /* inner tag, IPv4 */
    IPV4(60, 0, 6),
    TCP(33000, 25),
};

/* PKTHDR_MAX_TAGS tags: the most we follow. */
static const uint8_t tags_8[] = {
    MACS,
    B16(0x8100),
    DOT1Q(1, 0x8100), /* tag 1 */
    DOT1Q(2, 0x8100), /* tag 2 */
    DOT1Q(3, 0x8100), /* tag 3 */
    DOT1Q(4, 0x8100), /* tag 4 */
    DOT1Q(5, 0x8100), /* tag 5 */
    DOT1Q(6, 0x8100), /* tag 6 */
    DOT1Q(7, 0x8100), /* tag 7 */
    DOT1Q(8, 0x0800), /* tag 8, IPv4 */
    IPV4(40, 0, 6),
    TCP(1, 2),
};

static const uint8_t tags_9[] = {
    MACS,
    B16(0x8100),
    DOT1Q(1, 0x8100), /* tag 1 */
    DOT1Q(2, 0x8100), /* tag 2 */
    DOT1Q(3, 0x8100), /* tag 3 */
    DOT1Q(4, 0x8100), /* tag 4 */
    DOT1Q(5, 0x8100), /* tag 5 */
    DOT1Q(6, 0x8100), /* tag 6 */
    DOT1Q(7, 0x8100), /* tag 7 */
    DOT1Q(8, 0x8100), /* tag 8 */
    DOT1Q(9, 0x0800), /* tag 9: one too many */
    IPV4(40, 0, 6),
    TCP(1, 2),
};

static const uint8_t mpls_1_ipv4[] = {
    MACS,
    B16(0x8847),     /* EtherType MPLS unicast */
    MPLS(16001, 1),  /* the only label, bottom of stack */
    IPV4(52, 0, 17), /* UDP */
    UDP(5000, 5060, 32),
};

static const uint8_t mpls_3_ipv6[] = {
    MACS,
    B16(0x8847),   /* EtherType MPLS unicast */
    MPLS(100, 0),  /* transport label */
    MPLS(200, 0),  /* service label */
    MPLS(300, 1),  /* bottom of stack */
    IPV6(1200, 6), /* TCP */
    TCP(443, 50000),
};

static const uint8_t mpls_mc_ipv4[] = {
    MACS,           B16(0x8848), /* EtherType MPLS multicast */
    MPLS(16, 1),                 /* bottom of stack */
    IPV4(40, 0, 6), TCP(1234, 8080),
};

static const uint8_t mpls_9[] = {
    MACS,           B16(0x8847), MPLS(1, 0), MPLS(2, 0), MPLS(3, 0), MPLS(4, 0), /* labels 1-4 */
    MPLS(5, 0),     MPLS(6, 0),  MPLS(7, 0), MPLS(8, 0),                         /* labels 5-8 */
    MPLS(9, 1), /* label 9: one too many */
    IPV4(40, 0, 6), TCP(1, 2),
};

/* An Ethernet pseudowire behind the label: no IP version nibble. */
static const uint8_t mpls_pw[] = {
    MACS, B16(0x8847), MPLS(1, 1), 0x00, 0x00, 0x00, 0x00, /* pseudowire control word */
    MACS,
};

static const uint8_t pppoe_ipv4[] = {
    MACS,
    B16(0x8864),   /* EtherType PPPoE session */
    0x11,          /* version 1, type 1 */
    0x00,          /* code: session data */
    B16(0x0042),   /* session id */
    B16(2 + 1480), /* length: PPP protocol and the IP packet */
    B16(0x0021),   /* PPP protocol IPv4 */
    IPV4(1480, 0, 6),
    TCP(60000, 443),
};

static const uint8_t vlan_pppoe_ipv6[] = {
    MACS,
    B16(0x8100),        /* EtherType 802.1Q */
    DOT1Q(300, 0x8864), /* VLAN 300, PPPoE session */
    0x11,               /* version 1, type 1 */
    0x00,               /* code: session data */
    B16(0x0007),        /* session id */
    B16(2 + 40 + 8),    /* length: PPP protocol and the IP packet */
    B16(0x0057),        /* PPP protocol IPv6 */
    IPV6(8, 17),        /* UDP */
    UDP(51820, 51820, 8),
};

static const uint8_t pppoe_lcp[] = {
    MACS,        B16(0x8864),         /* EtherType PPPoE session */
    0x11,                             /* version 1, type 1 */
    0x00,                             /* code: session data */
    B16(0x0007),                      /* session id */
    B16(6),                           /* length */
    B16(0xc021),                      /* PPP protocol LCP */
    0x09,        0x01,        B16(8), /* echo request */
};

static const uint8_t pppoe_discovery[] = {
    MACS, B16(0x8863),                 /* EtherType PPPoE discovery */
    0x11, 0x09,        B16(0), B16(0), /* PADI */
};

static const uint8_t ipv6_hbh_frag_udp[] = {
    MACS,
    B16(0x86dd),           /* EtherType IPv6 */
    IPV6(8 + 8 + 1208, 0), /* hop-by-hop options follow */
    44,                    /* hop-by-hop: next header fragment */
    0,                     /* hop-by-hop: length 0 (8 bytes) */
    0x05,
    0x02,
    0x00,
    0x00, /* router alert option */
    0x01,
    0x00,        /* PadN */
    17,          /* fragment: next header UDP */
    0,           /* fragment: reserved */
    B16(0x0001), /* fragment: offset 0, more fragments */
    B32(0xabcd), /* fragment: identification */
    UDP(443, 40001, 4000),
};

static const uint8_t ipv6_later_frag[] = {
    MACS,
    B16(0x86dd),       /* EtherType IPv6 */
    IPV6(8 + 600, 44), /* fragment header follows */
    17,                /* fragment: next header UDP */
    0,                 /* fragment: reserved */
    B16(1208),         /* fragment: offset 151 (1208 bytes), last */
    B32(0xabcd),       /* fragment: identification */
    B16(0x1111),
    B16(0x2222), /* payload bytes, not a UDP header */
};

static const uint8_t ipv6_rthdr_dstopt_ah_tcp[] = {
    MACS,
    B16(0x86dd),                /* EtherType IPv6 */
    IPV6(24 + 8 + 16 + 20, 43), /* routing header follows */
    60,                         /* routing: next header destination options */
    2,                          /* routing: length 2 (24 bytes) */
    0,
    0, /* routing type, segments left */
    0,
    0,
    0,
    0, /* reserved */
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,  /* one address */
    51, /* destination options: next header AH */
    0,  /* destination options: length 0 (8 bytes) */
    0x01,
    0x04,
    0,
    0,
    0,
    0,               /* PadN */
    6,               /* AH: next header TCP */
    2,               /* AH: length 2 ((2 + 2) * 4 = 16 bytes) */
    B16(0),          /* AH: reserved */
    B32(0x100),      /* AH: SPI */
    B32(1),          /* AH: sequence number */
    B32(0xdeadbeef), /* AH: ICV */
    TCP(22, 50022),
};

static const uint8_t ipv6_ext_9[] = {
    0x60,      0,    0,    0,    B16(9 * 8 + 20), /* payload length */
    60,                                           /* next header destination options */
    64,                                           /* hop limit */
    0x20,      0x01, 0x0d, 0xb8, 0x00,
    0x20,      0,    0,    0,    0,
    0,         0,    0,    0,    0,
    0x10, /* source */
    0x20,      0x01, 0x0d, 0xb8, 0x00,
    0x00,      0,    0,    0,    0,
    0,         0,    0,    0,    0,
    0x01, /* destination */
    60,        0,    1,    4,    0,
    0,         0,    0, /* destination options 1 */
    60,        0,    1,    4,    0,
    0,         0,    0, /* destination options 2 */
    60,        0,    1,    4,    0,
    0,         0,    0, /* destination options 3 */
    60,        0,    1,    4,    0,
    0,         0,    0, /* destination options 4 */
    60,        0,    1,    4,    0,
    0,         0,    0, /* destination options 5 */
    60,        0,    1,    4,    0,
    0,         0,    0, /* destination options 6 */
    60,        0,    1,    4,    0,
    0,         0,    0, /* destination options 7 */
    60,        0,    1,    4,    0,
    0,         0,    0, /* destination options 8 */
    6,         0,    1,    4,    0,
    0,         0,    0, /* destination options 9: past the cap */
    TCP(1, 2),
};

static const uint8_t ipv4_later_frag[] = {
    MACS,
    B16(0x0800),        /* EtherType IPv4 */
    IPV4(520, 185, 17), /* offset 185 (1480 bytes), last fragment */
    B16(0x1111),
    B16(0x2222), /* payload bytes, not a UDP header */
};

static const uint8_t ipv4_first_frag[] = {
    MACS, B16(0x0800),      /* EtherType IPv4 */
    IPV4(1500, 0x2000, 17), /* more fragments, offset 0 */
    UDP(4500, 4500, 3000),  /* UDP length beyond this fragment */
};

static const uint8_t ipv4_options_udp[] = {
    MACS,
    B16(0x0800), /* EtherType IPv4 */
    0x46,        /* version 4, IHL 6 (24 bytes) */
    0x00,        /* DSCP, ECN */
    B16(24 + 8), /* total length */
    B16(1),      /* identification */
    B16(0),      /* flags, offset */
    1,           /* TTL */
    17,          /* protocol UDP */
    B16(0),      /* checksum */
    10,
    20,
    0,
    7, /* source 10.20.0.7 */
    224,
    0,
    0,
    1, /* destination 224.0.0.1 */
    0x94,
    0x04,
    0x00,
    0x00, /* router alert option */
    UDP(5353, 5353, 8),
};

/* Cut 10 bytes into the IPv4 header: no addresses. */
static const uint8_t cut_in_ipv4[] = {
    MACS, B16(0x0800),                                   /* EtherType IPv4 */
    0x45, 0x00,        B16(1500), B16(1), B16(0), 64, 6, /* first 10 bytes */
};

/* Cut two bytes into TCP: addresses but no port pair. */
static const uint8_t cut_before_ports[] = {
    MACS, B16(0x0800),            /* EtherType IPv4 */
    IPV4(1500, 0, 6), B16(51000), /* source port only */
};

/* A 20-byte IPv4 packet padded to Ethernet's minimum: the padding must not
 * be read as ports. */
static const uint8_t ipv4_padded[] = {
    MACS,           B16(0x0800), /* EtherType IPv4 */
    IPV4(20, 0, 6), 0x12,        0x34, 0x56, 0x78, 0x9a, 0xbc,
    0x12,           0x34,        0x56, 0x78, 0x9a, 0xbc, 0x12, /* padding */
    0x34,           0x56,        0x78, 0x9a, 0xbc, 0x12, 0x34,
    0x56,           0x78,        0x9a, 0xbc, 0x12, 0x34, /* padding */
};

static const uint8_t arp[] = {
    0xff,        0xff,        0xff, 0xff, 0xff,   0xff,               /* broadcast */
    0x02,        0x00,        0x00, 0x00, 0x00,   0x02,               /* source MAC */
    B16(0x0806),                                                      /* EtherType ARP */
    B16(1),      B16(0x0800), 6,    4,    B16(1),                     /* Ethernet/IPv4 request */
    0x02,        0x00,        0x00, 0x00, 0x00,   0x02, 10, 20, 0, 5, /* sender */
    0,           0,           0,    0,    0,      0,    10, 20, 0, 1, /* target */
};

static const uint8_t cut_in_ethernet[] = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, /* 9 bytes of MACs */
};

static const uint8_t raw_ipv4_icmp[] = {
    IPV4(84, 0, 1), /* ICMP */
    8,
    0,      /* echo request, code 0 */
    B16(0), /* checksum */
    B16(1),
    B16(1), /* identifier, sequence */
};

static const uint8_t raw_ipv6_tcp[] = {
    IPV6(20, 6),
    TCP(8443, 50001),
};

static const uint8_t raw_ipv6_icmp6[] = {
    IPV6(64, 58),   /* ICMPv6 */
    128, 0, B16(0), /* echo request */
};

static const uint8_t cut_in_ipv6_addrs[] = {
    0x60, 0,    0,    0,    B16(20), 6,    64,                               /* fixed part */
    0x20, 0x01, 0x0d, 0xb8, 0x00,    0x20, 0,  0, 0, 0, 0, 0, 0, 0, 0, 0x10, /* source */
    0x20, 0x01, 0x0d, 0xb8, /* 4 bytes of destination */
};

static const uint8_t ihl_too_small[] = {
    0x44, 0x00, B16(40), B16(1), B16(0), 64, 6, B16(0), /* IHL 4 */
    10,   20,   0,       5,      192,    0,  2, 1,
};

static const uint8_t total_below_ihl[] = {
    0x45, 0x00, B16(19), B16(1), B16(0), 64, 6, B16(0), /* total length 19 */
    10,   20,   0,       5,      192,    0,  2, 1,
};

/* --- the table -------------------------------------------------------- */

struct pkthdr_case {
    const char *name;
    const uint8_t *pkt;
    size_t len;
    uint32_t header_proto;
    enum dec_status st;
    const char *src;
    const char *dst;
    uint8_t proto;
    uint16_t sport;
    uint16_t dport;
    uint32_t ip_len;
    bool later_fragment;
};

#define PKT(a) a, sizeof(a)
#define ETH    PKTHDR_PROTO_ETHERNET

static struct pkthdr_case cases[] = {
    {"ethernet_ipv4_tcp", PKT(eth_ipv4_tcp), ETH, DEC_OK, "10.20.0.5", "192.0.2.1", 6, 51000, 443,
     1500, false},
    {"dot1q", PKT(dot1q_ipv4_udp), ETH, DEC_OK, "10.20.0.5", "192.0.2.1", 17, 40000, 53, 68, false},
    {"qinq_88a8", PKT(qinq_ipv4_tcp), ETH, DEC_OK, "10.20.0.5", "192.0.2.1", 6, 33000, 80, 60,
     false},
    {"qinq_9100", PKT(qinq_9100_ipv4_tcp), ETH, DEC_OK, "10.20.0.5", "192.0.2.1", 6, 33000, 25, 60,
     false},
    {"tags_at_cap", PKT(tags_8), ETH, DEC_OK, "10.20.0.5", "192.0.2.1", 6, 1, 2, 40, false},
    {"too_many_tags", PKT(tags_9), ETH, DEC_TOO_MANY_TAGS, NULL, NULL, 0, 0, 0, 0, false},
    {"mpls_1_label", PKT(mpls_1_ipv4), ETH, DEC_OK, "10.20.0.5", "192.0.2.1", 17, 5000, 5060, 52,
     false},
    {"mpls_3_labels_ipv6", PKT(mpls_3_ipv6), ETH, DEC_OK, "2001:db8:20::10", "2001:db8::1", 6, 443,
     50000, 1240, false},
    {"mpls_multicast", PKT(mpls_mc_ipv4), ETH, DEC_OK, "10.20.0.5", "192.0.2.1", 6, 1234, 8080, 40,
     false},
    {"mpls_too_many_labels", PKT(mpls_9), ETH, DEC_TOO_MANY_TAGS, NULL, NULL, 0, 0, 0, 0, false},
    {"mpls_pseudowire", PKT(mpls_pw), ETH, DEC_NOT_IP, NULL, NULL, 0, 0, 0, 0, false},
    {"pppoe_ipv4", PKT(pppoe_ipv4), ETH, DEC_OK, "10.20.0.5", "192.0.2.1", 6, 60000, 443, 1480,
     false},
    {"vlan_pppoe_ipv6", PKT(vlan_pppoe_ipv6), ETH, DEC_OK, "2001:db8:20::10", "2001:db8::1", 17,
     51820, 51820, 48, false},
    {"pppoe_lcp", PKT(pppoe_lcp), ETH, DEC_NOT_IP, NULL, NULL, 0, 0, 0, 0, false},
    {"pppoe_discovery", PKT(pppoe_discovery), ETH, DEC_NOT_IP, NULL, NULL, 0, 0, 0, 0, false},
    {"ipv6_hbh_fragment", PKT(ipv6_hbh_frag_udp), ETH, DEC_OK, "2001:db8:20::10", "2001:db8::1", 17,
     443, 40001, 40 + 1224, false},
    {"ipv6_later_fragment", PKT(ipv6_later_frag), ETH, DEC_OK, "2001:db8:20::10", "2001:db8::1", 17,
     0, 0, 40 + 608, true},
    {"ipv6_routing_dstopts_ah", PKT(ipv6_rthdr_dstopt_ah_tcp), ETH, DEC_OK, "2001:db8:20::10",
     "2001:db8::1", 6, 22, 50022, 40 + 68, false},
    {"ipv6_ext_chain_past_cap", PKT(ipv6_ext_9), PKTHDR_PROTO_IPV6, DEC_OK, "2001:db8:20::10",
     "2001:db8::1", 60, 0, 0, 40 + 92, false},
    {"ipv4_later_fragment", PKT(ipv4_later_frag), ETH, DEC_OK, "10.20.0.5", "192.0.2.1", 17, 0, 0,
     520, true},
    {"ipv4_first_fragment", PKT(ipv4_first_frag), ETH, DEC_OK, "10.20.0.5", "192.0.2.1", 17, 4500,
     4500, 1500, false},
    {"ipv4_options", PKT(ipv4_options_udp), ETH, DEC_OK, "10.20.0.7", "224.0.0.1", 17, 5353, 5353,
     32, false},
    {"cut_in_ip_header", PKT(cut_in_ipv4), ETH, DEC_HEADER_TRUNCATED, NULL, NULL, 0, 0, 0, 0,
     false},
    {"cut_before_ports", PKT(cut_before_ports), ETH, DEC_OK, "10.20.0.5", "192.0.2.1", 6, 0, 0,
     1500, false},
    {"ethernet_padding", PKT(ipv4_padded), ETH, DEC_OK, "10.20.0.5", "192.0.2.1", 6, 0, 0, 20,
     false},
    {"arp", PKT(arp), ETH, DEC_NOT_IP, NULL, NULL, 0, 0, 0, 0, false},
    {"cut_in_ethernet", PKT(cut_in_ethernet), ETH, DEC_HEADER_TRUNCATED, NULL, NULL, 0, 0, 0, 0,
     false},
    {"raw_ipv4_icmp", PKT(raw_ipv4_icmp), PKTHDR_PROTO_IPV4, DEC_OK, "10.20.0.5", "192.0.2.1", 1, 0,
     0, 84, false},
    {"raw_ipv6_tcp", PKT(raw_ipv6_tcp), PKTHDR_PROTO_IPV6, DEC_OK, "2001:db8:20::10", "2001:db8::1",
     6, 8443, 50001, 60, false},
    {"raw_ipv6_icmpv6", PKT(raw_ipv6_icmp6), PKTHDR_PROTO_IPV6, DEC_OK, "2001:db8:20::10",
     "2001:db8::1", 58, 0, 0, 104, false},
    {"raw_ipv4_holding_ipv6", PKT(raw_ipv6_tcp), PKTHDR_PROTO_IPV4, DEC_NOT_IP, NULL, NULL, 0, 0, 0,
     0, false},
    {"cut_in_ipv6_addresses", PKT(cut_in_ipv6_addrs), PKTHDR_PROTO_IPV6, DEC_HEADER_TRUNCATED, NULL,
     NULL, 0, 0, 0, 0, false},
    {"ihl_below_5", PKT(ihl_too_small), PKTHDR_PROTO_IPV4, DEC_NOT_IP, NULL, NULL, 0, 0, 0, 0,
     false},
    {"total_length_below_header", PKT(total_below_ihl), PKTHDR_PROTO_IPV4, DEC_NOT_IP, NULL, NULL,
     0, 0, 0, 0, false},
    {"unknown_header_protocol", PKT(eth_ipv4_tcp), 2, DEC_BAD_HEADER_PROTO, NULL, NULL, 0, 0, 0, 0,
     false},
    {"empty", NULL, 0, ETH, DEC_HEADER_TRUNCATED, NULL, NULL, 0, 0, 0, 0, false},
};

/* --- the checks ------------------------------------------------------- */

static void assert_addr(const struct of_addr *a, const char *want)
{
    char buf[ADDR_STRLEN];
    assert_string_equal(addr_format(a, buf, sizeof(buf)), want);
}

static void run_case(void **state)
{
    const struct pkthdr_case *c = *state;
    struct pkthdr h;
    memset(&h, 0xa5, sizeof(h));
    struct pkthdr untouched = h;
    assert_int_equal(pkthdr_parse(c->pkt, c->len, c->header_proto, &h), c->st);
    if (c->st != DEC_OK) {
        assert_memory_equal(&h, &untouched, sizeof(h)); /* written only on success */
        return;
    }
    assert_addr(&h.src, c->src);
    assert_addr(&h.dst, c->dst);
    assert_int_equal(h.proto, c->proto);
    assert_int_equal(h.sport, c->sport);
    assert_int_equal(h.dport, c->dport);
    assert_int_equal(h.ip_len, c->ip_len);
    assert_int_equal(h.later_fragment, c->later_fragment);
}

/* Every strict prefix of a frame that parses: cut before the addresses it
 * is DEC_HEADER_TRUNCATED, after them it gives the same addresses, protocol
 * and IP length, and the ports either whole or 0. */
static void run_prefixes(void **state)
{
    const struct pkthdr_case *c = *state;
    struct pkthdr full;
    assert_int_equal(pkthdr_parse(c->pkt, c->len, c->header_proto, &full), DEC_OK);
    for (size_t len = 0; len < c->len; len++) {
        struct pkthdr h;
        enum dec_status st = pkthdr_parse(c->pkt, len, c->header_proto, &h);
        if (st != DEC_OK) {
            assert_int_equal(st, DEC_HEADER_TRUNCATED);
            continue;
        }
        assert_true(addr_equal(&h.src, &full.src));
        assert_true(addr_equal(&h.dst, &full.dst));
        assert_int_equal(h.ip_len, full.ip_len);
        if (h.sport || h.dport) {
            assert_int_equal(h.sport, full.sport);
            assert_int_equal(h.dport, full.dport);
        }
        if (h.payload)
            assert_true(h.payload >= c->pkt && h.payload + h.payload_len <= c->pkt + len);
    }
}

/* --- the importer's entry points -------------------------------------- */

static const uint8_t ip_udp_payload[] = {
    IPV4(28 + 6, 0, 17),
    UDP(47107, 6343, 8 + 6),
    0,
    0,
    0,
    5,
    0,
    0, /* payload */
    0xee,
    0xee, /* Ethernet padding, not payload */
};

static void test_udp_payload(void **state)
{
    (void)state;
    struct pkthdr h;
    assert_int_equal(pkthdr_parse_ip(PKT(ip_udp_payload), 4, &h), DEC_OK);
    assert_non_null(h.payload);
    assert_ptr_equal(h.payload, ip_udp_payload + 28);
    assert_int_equal(h.payload_len, 6);
    assert_false(h.payload_cut);
    assert_false(h.fragment);

    /* Captured 3 bytes into the payload. */
    assert_int_equal(pkthdr_parse_ip(ip_udp_payload, 31, 0, &h), DEC_OK);
    assert_int_equal(h.payload_len, 3);
    assert_true(h.payload_cut);

    /* Cut inside the UDP header: ports, no payload. */
    assert_int_equal(pkthdr_parse_ip(ip_udp_payload, 26, 4, &h), DEC_OK);
    assert_int_equal(h.sport, 47107);
    assert_null(h.payload);

    /* A version the layer below did not announce. */
    assert_int_equal(pkthdr_parse_ip(PKT(ip_udp_payload), 6, &h), DEC_NOT_IP);
}

static void test_first_fragment_payload(void **state)
{
    (void)state;
    struct pkthdr h;
    assert_int_equal(pkthdr_parse(PKT(ipv4_first_frag), ETH, &h), DEC_OK);
    assert_true(h.fragment);
    assert_false(h.later_fragment);
    assert_true(h.payload_cut);

    assert_int_equal(pkthdr_parse(PKT(ipv6_hbh_frag_udp), ETH, &h), DEC_OK);
    assert_true(h.fragment);
    assert_false(h.later_fragment);

    assert_int_equal(pkthdr_parse(PKT(ipv6_later_frag), ETH, &h), DEC_OK);
    assert_true(h.fragment);
    assert_null(h.payload);
}

/* A Linux cooked capture gives the EtherType without MAC addresses. */
static void test_ethertype_entry(void **state)
{
    (void)state;
    struct pkthdr h;
    assert_int_equal(
        pkthdr_parse_ethertype(dot1q_ipv4_udp + 14, sizeof(dot1q_ipv4_udp) - 14, 0x8100, &h),
        DEC_OK);
    assert_int_equal(h.dport, 53);
    assert_int_equal(pkthdr_parse_ethertype(arp + 14, sizeof(arp) - 14, 0x0806, &h), DEC_NOT_IP);
}

int main(void)
{
    enum { NCASES = sizeof(cases) / sizeof(cases[0]) };
    static char prefix_names[NCASES][64];
    struct CMUnitTest tests[2 * NCASES + 3];
    size_t n = 0;
    for (size_t i = 0; i < NCASES; i++)
        tests[n++] = (struct CMUnitTest){cases[i].name, run_case, NULL, NULL, &cases[i]};
    for (size_t i = 0; i < NCASES; i++) {
        if (cases[i].st != DEC_OK)
            continue;
        snprintf(prefix_names[i], sizeof(prefix_names[i]), "prefixes_%s", cases[i].name);
        tests[n++] = (struct CMUnitTest){prefix_names[i], run_prefixes, NULL, NULL, &cases[i]};
    }
    tests[n++] = (struct CMUnitTest){"udp_payload", test_udp_payload, NULL, NULL, NULL};
    tests[n++] = (struct CMUnitTest){"first_fragment_payload", test_first_fragment_payload, NULL,
                                     NULL, NULL};
    tests[n++] = (struct CMUnitTest){"ethertype_entry", test_ethertype_entry, NULL, NULL, NULL};
    return _cmocka_run_group_tests("pkthdr", tests, n, NULL, NULL);
}
