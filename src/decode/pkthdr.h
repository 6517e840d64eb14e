/* decode/pkthdr.h: the addresses, protocol, ports and IP length of a packet
 * from its first bytes.
 *
 * sFlow exporters send the first bytes of each sampled frame (often 64 to
 * 128), and the capture importer reads whole frames of export traffic: both
 * need to find the IP header behind whatever access networks put in front
 * of it (802.1Q/802.1ad/QinQ tags, MPLS labels, PPPoE) and the transport
 * ports behind IPv4 options or IPv6 extension headers. The bytes are
 * untrusted and usually cut short: a packet whose addresses were captured is
 * reported even when its ports were not (ports 0), while one cut before its
 * addresses is rejected. */
#ifndef OF_DECODE_PKTHDR_H
#define OF_DECODE_PKTHDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/dec_status.h"
#include "util/addr.h"

/* Header protocols, numbered as sFlow's header_protocol (sflow_version_5.txt,
 * enum header_protocol). */
#define PKTHDR_PROTO_ETHERNET 1
#define PKTHDR_PROTO_IPV4     11
#define PKTHDR_PROTO_IPV6     12

/* Caps on what the packet itself decides how far we walk. More than that is
 * DEC_TOO_MANY_TAGS (VLAN tags, MPLS labels); an IPv6 extension header chain
 * longer than PKTHDR_MAX_EXT_HEADERS is reported without ports. */
#define PKTHDR_MAX_TAGS        8
#define PKTHDR_MAX_LABELS      8
#define PKTHDR_MAX_EXT_HEADERS 8

struct pkthdr {
    struct of_addr src;
    struct of_addr dst;
    /* UDP payload as far as it was captured and as far as the UDP and IP
     * lengths allow: borrowed from the parsed bytes, valid only as long as
     * they are. NULL unless proto is 17 and the whole UDP header is there. */
    const uint8_t *payload;
    size_t payload_len;
    uint32_t ip_len; /* IP bytes: IPv4 total length, IPv6 payload length + 40 */
    uint16_t sport;  /* 0 when the protocol has none or they were not captured */
    uint16_t dport;
    uint8_t proto;       /* IP protocol: the last IPv6 next header walked to */
    bool fragment;       /* any part of a fragmented IP packet */
    bool later_fragment; /* a fragment other than the first: it holds no L4 header */
    bool payload_cut;    /* the UDP length says more than payload_len */
};

/* Parses a packet that starts with a header of the given protocol
 * (PKTHDR_PROTO_*). Returns DEC_OK and fills *out, or: DEC_BAD_HEADER_PROTO
 * (a header protocol we don't read), DEC_NOT_IP (ARP, other EtherTypes, a
 * malformed IP header), DEC_HEADER_TRUNCATED (cut before the addresses),
 * DEC_TOO_MANY_TAGS. *out is written only on success. */
enum dec_status pkthdr_parse(const uint8_t *p, size_t len, uint32_t header_proto,
                             struct pkthdr *out);

/* Parses what follows an EtherType (after the MAC addresses, or after a
 * Linux cooked capture header): VLAN tags, MPLS, PPPoE session, IPv4, IPv6.
 * Same results as pkthdr_parse. */
enum dec_status pkthdr_parse_ethertype(const uint8_t *p, size_t len, uint16_t ethertype,
                                       struct pkthdr *out);

/* Parses an IP packet. version is 4 or 6 when the layer below says which
 * (a version nibble that disagrees is DEC_NOT_IP), or 0 to go by the version
 * nibble. Same results as pkthdr_parse. */
enum dec_status pkthdr_parse_ip(const uint8_t *p, size_t len, unsigned version, struct pkthdr *out);

#endif
