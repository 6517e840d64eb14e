/* decode/pkthdr.c: from the first bytes of a frame to addresses, protocol,
 * ports and IP length.
 *
 * Each layer is one function that reads its header through the cursor and
 * hands the rest to the next layer. Two kinds of length meet here: the
 * lengths the packet claims (IPv4 total length, IPv6 payload length, PPPoE
 * and UDP lengths) and what was captured, which for a sampled header is
 * usually much less. Every claimed length gets its own cursor, cut down to
 * what was captured (pkthdr_sub_captured), so Ethernet padding behind a short
 * packet is never read as a header, and a packet cut after its addresses
 * still counts: its bytes come from the IP length field, not from what was
 * captured, and only its ports are lost. */
#include "decode/pkthdr.h"

#include <string.h>

#include "decode/cursor.h"

#define ETHERTYPE_IPV4       0x0800
#define ETHERTYPE_IPV6       0x86dd
#define ETHERTYPE_VLAN       0x8100 /* 802.1Q */
#define ETHERTYPE_QINQ       0x88a8 /* 802.1ad service tag */
#define ETHERTYPE_QINQ_OLD   0x9100 /* pre-standard QinQ, still in use */
#define ETHERTYPE_MPLS       0x8847
#define ETHERTYPE_MPLS_MC    0x8848
#define ETHERTYPE_PPPOE_SESS 0x8864

#define ETH_MACS_LEN 12

#define PPPOE_VER_TYPE     0x11 /* RFC 2516: version 1, type 1 */
#define PPPOE_CODE_SESSION 0x00
#define PPP_PROTO_IPV4     0x0021
#define PPP_PROTO_IPV6     0x0057

#define MPLS_BOTTOM_OF_STACK 0x100u

#define IPV4_MIN_HDR_LEN 20u
#define IPV4_MORE_FRAGS  0x2000u
#define IPV4_FRAG_OFFSET 0x1fffu
#define IPV6_HDR_LEN     40u
#define IPV6_FRAG_OFFSET 0xfff8u
#define IPV6_FRAG_LEN    8u
#define UDP_HDR_LEN      8u

#define IPPROTO_NUM_HOPOPTS  0
#define IPPROTO_NUM_TCP      6
#define IPPROTO_NUM_UDP      17
#define IPPROTO_NUM_ROUTING  43
#define IPPROTO_NUM_FRAGMENT 44
#define IPPROTO_NUM_AH       51
#define IPPROTO_NUM_DSTOPTS  60
#define IPPROTO_NUM_SCTP     132

static enum dec_status pkthdr_ethertype(struct rd *r, uint16_t type, struct pkthdr *h);

/* A cursor over the captured part of a range the packet says is n bytes
 * long: the parent moves past it. Sampled headers end wherever the exporter
 * cut them, so the claimed range is often only partly there. */
static struct rd pkthdr_sub_captured(struct rd *r, size_t n)
{
    return rd_sub(r, r->left < n ? r->left : n);
}

static void pkthdr_udp(struct rd *l4, struct pkthdr *h)
{
    uint16_t sport = rd_u16(l4);
    uint16_t dport = rd_u16(l4);
    if (l4->bad)
        return;
    h->sport = sport;
    h->dport = dport;
    uint16_t udp_len = rd_u16(l4);
    rd_skip(l4, 2); /* checksum */
    if (l4->bad || udp_len < UDP_HDR_LEN)
        return;
    struct rd payload = pkthdr_sub_captured(l4, udp_len - UDP_HDR_LEN);
    h->payload = payload.p;
    h->payload_len = payload.left;
    h->payload_cut = payload.left < udp_len - UDP_HDR_LEN;
}

/* Ports of the protocols that have them at the start of their header; both
 * or neither, since a header cut between them gives no usable pair. */
static void pkthdr_l4(struct rd *l4, struct pkthdr *h)
{
    switch (h->proto) {
    case IPPROTO_NUM_UDP:
        pkthdr_udp(l4, h);
        break;
    case IPPROTO_NUM_TCP:
    case IPPROTO_NUM_SCTP: {
        uint16_t sport = rd_u16(l4);
        uint16_t dport = rd_u16(l4);
        if (!l4->bad) {
            h->sport = sport;
            h->dport = dport;
        }
        break;
    }
    default:
        break; /* ICMP, GRE, ESP...: no ports */
    }
}

static enum dec_status pkthdr_ipv4(struct rd *r, struct pkthdr *h)
{
    uint8_t ver_ihl = rd_u8(r);
    rd_skip(r, 1); /* DSCP, ECN */
    uint16_t total = rd_u16(r);
    rd_skip(r, 2); /* identification */
    uint16_t frag = rd_u16(r);
    rd_skip(r, 1); /* TTL */
    uint8_t proto = rd_u8(r);
    rd_skip(r, 2); /* header checksum */
    uint8_t src[4], dst[4];
    rd_copy(r, src, sizeof(src));
    rd_copy(r, dst, sizeof(dst));
    if (r->bad)
        return DEC_HEADER_TRUNCATED;
    size_t hdr_len = (size_t)(ver_ihl & 0x0fu) * 4u;
    if (hdr_len < IPV4_MIN_HDR_LEN || total < hdr_len)
        return DEC_NOT_IP;
    addr_from_v4(&h->src, src);
    addr_from_v4(&h->dst, dst);
    h->proto = proto;
    h->ip_len = total;
    h->fragment = (frag & (IPV4_MORE_FRAGS | IPV4_FRAG_OFFSET)) != 0;
    h->later_fragment = (frag & IPV4_FRAG_OFFSET) != 0;
    struct rd body = pkthdr_sub_captured(r, total - IPV4_MIN_HDR_LEN);
    rd_skip(&body, hdr_len - IPV4_MIN_HDR_LEN); /* options */
    if (!h->later_fragment && !body.bad)
        pkthdr_l4(&body, h);
    return DEC_OK;
}

static bool pkthdr_ipv6_is_ext(uint8_t next)
{
    switch (next) {
    case IPPROTO_NUM_HOPOPTS:
    case IPPROTO_NUM_ROUTING:
    case IPPROTO_NUM_FRAGMENT:
    case IPPROTO_NUM_AH:
    case IPPROTO_NUM_DSTOPTS:
        return true;
    default:
        return false;
    }
}

/* Steps over one extension header and sets *next to the header behind it.
 * False when the walk cannot go on: the header was not captured whole, or
 * it is the fragment header of a later fragment (*next is then the
 * fragment's upper-layer protocol). */
static bool pkthdr_ipv6_ext(struct rd *body, uint8_t *next, struct pkthdr *h)
{
    struct rd peek = *body;
    rd_skip(&peek, 1); /* next header */
    size_t units = rd_u8(&peek);
    if (peek.bad)
        return false;
    size_t len;
    if (*next == IPPROTO_NUM_FRAGMENT)
        len = IPV6_FRAG_LEN; /* RFC 8200 4.5: fixed size, no length field */
    else if (*next == IPPROTO_NUM_AH)
        len = (units + 2u) * 4u; /* RFC 4302 2.2: 4-octet units, minus 2 */
    else
        len = (units + 1u) * 8u; /* RFC 8200 4.3: 8-octet units past the first 8 */
    struct rd ext = rd_sub(body, len);
    uint8_t after = rd_u8(&ext);
    if (ext.bad)
        return false;
    bool is_frag = *next == IPPROTO_NUM_FRAGMENT;
    *next = after;
    if (is_frag) {
        rd_skip(&ext, 1); /* reserved */
        uint16_t offset_flags = rd_u16(&ext);
        h->fragment = true;
        if (offset_flags & IPV6_FRAG_OFFSET) {
            h->later_fragment = true;
            return false;
        }
    }
    return true;
}

/* Walks the extension header chain (RFC 8200 4.1) to the upper-layer
 * header. A chain longer than the cap, or cut short, leaves proto at the
 * last next-header value reached and the ports at 0: the packet still counts
 * in its addresses' totals. */
static void pkthdr_ipv6_upper(struct rd *body, uint8_t next, struct pkthdr *h)
{
    for (size_t n = 0; pkthdr_ipv6_is_ext(next) && n < PKTHDR_MAX_EXT_HEADERS; n++) {
        if (!pkthdr_ipv6_ext(body, &next, h))
            break;
    }
    h->proto = next;
    if (!pkthdr_ipv6_is_ext(next) && !h->later_fragment)
        pkthdr_l4(body, h);
}

static enum dec_status pkthdr_ipv6(struct rd *r, struct pkthdr *h)
{
    rd_skip(r, 4); /* version, traffic class, flow label */
    uint16_t payload_len = rd_u16(r);
    uint8_t next = rd_u8(r);
    rd_skip(r, 1); /* hop limit */
    uint8_t src[16], dst[16];
    rd_copy(r, src, sizeof(src));
    rd_copy(r, dst, sizeof(dst));
    if (r->bad)
        return DEC_HEADER_TRUNCATED;
    addr_from_v6(&h->src, src);
    addr_from_v6(&h->dst, dst);
    h->ip_len = payload_len + IPV6_HDR_LEN;
    struct rd body = pkthdr_sub_captured(r, payload_len);
    pkthdr_ipv6_upper(&body, next, h);
    return DEC_OK;
}

/* An IP header whose version the layer below names (4 or 6) or leaves to
 * the version nibble (0), as MPLS does. */
static enum dec_status pkthdr_ip(struct rd *r, unsigned version, struct pkthdr *h)
{
    struct rd peek = *r;
    unsigned nibble = rd_u8(&peek) >> 4;
    if (peek.bad)
        return DEC_HEADER_TRUNCATED;
    if (version != 0 && nibble != version)
        return DEC_NOT_IP;
    if (nibble == 4)
        return pkthdr_ipv4(r, h);
    if (nibble == 6)
        return pkthdr_ipv6(r, h);
    return DEC_NOT_IP;
}

/* RFC 3032: labels up to the one with the bottom-of-stack bit. What follows
 * has no type field; the IP version nibble tells IPv4 from IPv6. */
static enum dec_status pkthdr_mpls(struct rd *r, struct pkthdr *h)
{
    for (size_t n = 1;; n++) {
        if (n > PKTHDR_MAX_LABELS)
            return DEC_TOO_MANY_TAGS;
        uint32_t entry = rd_u32(r);
        if (r->bad)
            return DEC_HEADER_TRUNCATED;
        if (entry & MPLS_BOTTOM_OF_STACK)
            break;
    }
    return pkthdr_ip(r, 0, h);
}

/* RFC 2516 session stage: a 6-byte PPPoE header whose length covers the PPP
 * protocol field and its payload. */
static enum dec_status pkthdr_pppoe(struct rd *r, struct pkthdr *h)
{
    uint8_t ver_type = rd_u8(r);
    uint8_t code = rd_u8(r);
    rd_skip(r, 2); /* session id */
    uint16_t len = rd_u16(r);
    if (r->bad)
        return DEC_HEADER_TRUNCATED;
    if (ver_type != PPPOE_VER_TYPE || code != PPPOE_CODE_SESSION)
        return DEC_NOT_IP;
    struct rd sess = pkthdr_sub_captured(r, len);
    uint16_t ppp_proto = rd_u16(&sess);
    if (sess.bad)
        return DEC_HEADER_TRUNCATED;
    if (ppp_proto == PPP_PROTO_IPV4)
        return pkthdr_ip(&sess, 4, h);
    if (ppp_proto == PPP_PROTO_IPV6)
        return pkthdr_ip(&sess, 6, h);
    return DEC_NOT_IP;
}

static bool pkthdr_is_vlan(uint16_t type)
{
    return type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD;
}

static enum dec_status pkthdr_ethertype(struct rd *r, uint16_t type, struct pkthdr *h)
{
    for (size_t tags = 1; pkthdr_is_vlan(type); tags++) {
        if (tags > PKTHDR_MAX_TAGS)
            return DEC_TOO_MANY_TAGS;
        rd_skip(r, 2); /* priority, DEI, VLAN id */
        type = rd_u16(r);
        if (r->bad)
            return DEC_HEADER_TRUNCATED;
    }
    switch (type) {
    case ETHERTYPE_IPV4:
        return pkthdr_ip(r, 4, h);
    case ETHERTYPE_IPV6:
        return pkthdr_ip(r, 6, h);
    case ETHERTYPE_MPLS:
    case ETHERTYPE_MPLS_MC:
        return pkthdr_mpls(r, h);
    case ETHERTYPE_PPPOE_SESS:
        return pkthdr_pppoe(r, h);
    default:
        return DEC_NOT_IP; /* ARP, LLDP, 802.3 length fields... */
    }
}

static enum dec_status pkthdr_ethernet(struct rd *r, struct pkthdr *h)
{
    rd_skip(r, ETH_MACS_LEN);
    uint16_t type = rd_u16(r);
    if (r->bad)
        return DEC_HEADER_TRUNCATED;
    return pkthdr_ethertype(r, type, h);
}

enum dec_status pkthdr_parse(const uint8_t *p, size_t len, uint32_t header_proto,
                             struct pkthdr *out)
{
    struct rd r = rd_init(p, len);
    struct pkthdr h;
    memset(&h, 0, sizeof(h));
    enum dec_status st;
    switch (header_proto) {
    case PKTHDR_PROTO_ETHERNET:
        st = pkthdr_ethernet(&r, &h);
        break;
    case PKTHDR_PROTO_IPV4:
        st = pkthdr_ip(&r, 4, &h);
        break;
    case PKTHDR_PROTO_IPV6:
        st = pkthdr_ip(&r, 6, &h);
        break;
    default:
        return DEC_BAD_HEADER_PROTO;
    }
    if (st == DEC_OK)
        *out = h;
    return st;
}

enum dec_status pkthdr_parse_ethertype(const uint8_t *p, size_t len, uint16_t ethertype,
                                       struct pkthdr *out)
{
    struct rd r = rd_init(p, len);
    struct pkthdr h;
    memset(&h, 0, sizeof(h));
    enum dec_status st = pkthdr_ethertype(&r, ethertype, &h);
    if (st == DEC_OK)
        *out = h;
    return st;
}

enum dec_status pkthdr_parse_ip(const uint8_t *p, size_t len, unsigned version, struct pkthdr *out)
{
    struct rd r = rd_init(p, len);
    struct pkthdr h;
    memset(&h, 0, sizeof(h));
    enum dec_status st = pkthdr_ip(&r, version, &h);
    if (st == DEC_OK)
        *out = h;
    return st;
}
