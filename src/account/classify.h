/* account/classify.h: which classes a flow's bytes count in.
 *
 * Every byte counts in CLASS_TOTAL, in its protocol class (icmp, udp, tcp)
 * if it has one, and in at most one port class chosen by the REMOTE side's
 * port (for R the source port, for S the destination port) or, for
 * protocols without ports, by the protocol (GRE and ESP are vpn). The tables
 * are flat arrays indexed by port, so classifying is three loads. A table is
 * read-only once built; threads share it. */
#ifndef OF_ACCOUNT_CLASSIFY_H
#define OF_ACCOUNT_CLASSIFY_H

#include <stdint.h>

#include "account/classes.h"
#include "util/compiler.h"

struct classifier {
    uint8_t tcp[65536];    /* port class by TCP port; CLASS_TOTAL = none */
    uint8_t udp[65536];    /* port class by UDP port; CLASS_TOTAL = none */
    uint8_t by_proto[256]; /* port class of port-less protocols; CLASS_TOTAL = none */
};

/* The default table of SPEC.md: TCP 80,443 web; 20,21 ftp; 25,110,143,587
 * mail; 53 dns; 3128,8080,8888,1080 proxy; UDP 53 dns; 443,80 quic;
 * 1701,51820 vpn; 5060 sip; protocols 47, 50 vpn. */
void classify_init_default(struct classifier *c);

/* Replaces the members of one port class with a list such as
 * "tcp/80, tcp/443, udp/443, proto/47". The protocol classes (total, icmp,
 * tcp, udp) cannot be changed. 0, or -EINVAL with *bad_item pointing at the
 * offending item's text in list. */
OF_MUST_CHECK int classify_set_class(struct classifier *c, enum traffic_class cls, const char *list,
                                     const char **bad_item);

/* The protocol class of an IP protocol: CLASS_ICMP, CLASS_TCP, CLASS_UDP or
 * CLASS_TOTAL when it has none. */
static inline enum traffic_class classify_proto(uint8_t proto)
{
    switch (proto) {
    case 1:
    case 58:
        return CLASS_ICMP;
    case 6:
        return CLASS_TCP;
    case 17:
        return CLASS_UDP;
    default:
        return CLASS_TOTAL;
    }
}

/* The port class for a flow of proto whose remote side uses remote_port;
 * CLASS_TOTAL when it has none. */
static inline enum traffic_class classify_port(const struct classifier *c, uint8_t proto,
                                               uint16_t remote_port)
{
    if (proto == 6)
        return (enum traffic_class)c->tcp[remote_port];
    if (proto == 17)
        return (enum traffic_class)c->udp[remote_port];
    return (enum traffic_class)c->by_proto[proto];
}

#endif
