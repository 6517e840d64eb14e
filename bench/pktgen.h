/* bench/pktgen.h: realistic export datagrams for the benchmarks.
 *
 * Every bench/<name>.c is a program of its own, so the datagram builders
 * that bench_decode and bench_flowsend share live here as static inline
 * functions rather than in a library.
 *
 * The traffic is what an access network exports: tens of thousands of local
 * hosts (net .. net + nhosts - 1) talking to remote addresses, mostly web
 * (TCP 80/443) and QUIC, with DNS, mail, VPN, ICMP and unclassified TCP/UDP
 * beside it, downloads larger than uploads, flows of up to a minute that
 * ended within the last 30 seconds. Every record has exactly one local side,
 * so a collector that accounts per local host counts every byte exactly
 * once: its download plus upload totals equal the bytes sent.
 *
 * The layouts are those of the exporters found in the field: NetFlow v5 with
 * 30 records per datagram; NetFlow v9 with softflowd's IPv4 template
 * (sysUptime-relative times); IPFIX with pmacct's IPv4 template (absolute
 * flowStart/EndMilliseconds, 64-bit counters); sFlow v5 flow samples of 128
 * bytes of Ethernet/IPv4/TCP-or-UDP header, 7 per datagram, as hsflowd
 * sends them. Datagrams stay under 1,472 bytes (one Ethernet MTU).
 *
 * The PRNG is xorshift64* from a fixed seed, so a run is reproducible. */
#ifndef OF_BENCH_PKTGEN_H
#define OF_BENCH_PKTGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PKTGEN_MAX_DGRAM 1472 /* UDP payload of one 1,500-byte IPv4 packet */
#define PKTGEN_TARGET    1400 /* data datagrams are filled up to about this */

#define PKTGEN_V5_HEADER  24
#define PKTGEN_V5_RECORD  48
#define PKTGEN_V5_RECORDS 30

#define PKTGEN_V9_HEADER    20
#define PKTGEN_V9_TPL_ID    1024
#define PKTGEN_IPFIX_HEADER 16
#define PKTGEN_IPFIX_TPL_ID 1024

#define PKTGEN_SFLOW_SAMPLES  7
#define PKTGEN_SFLOW_HDR_MAX  128 /* bytes of each sampled frame (hsflowd's default) */
#define PKTGEN_SFLOW_SEQ_OFFS 16  /* datagram sequence number, IPv4 agent */

/* The exporter's sysUptime when the datagrams are stamped: 11.6 days. */
#define PKTGEN_UPTIME_MS 1000000000u

enum pktgen_proto { PKTGEN_V5, PKTGEN_V9, PKTGEN_IPFIX, PKTGEN_SFLOW, PKTGEN__COUNT };

static const char *const pktgen_proto_names[PKTGEN__COUNT] = {"v5", "v9", "ipfix", "sflow"};

struct pktgen {
    uint64_t rng;        /* xorshift64* state, never 0 */
    uint32_t net;        /* first local address, host order */
    uint32_t nhosts;     /* local hosts: net .. net + nhosts - 1 */
    uint64_t now_ms;     /* export time stamped in headers, UNIX ms */
    uint32_t sflow_rate; /* 1-in-N signalled in sFlow samples */
    uint32_t sflow_seq;  /* per-sample sequence numbers, as an agent counts them */
};

/* One flow (or, for sFlow, the flow a sampled packet belongs to). Addresses
 * in host order. */
struct pktgen_flow {
    uint32_t src;
    uint32_t dst;
    uint16_t sport;
    uint16_t dport;
    uint8_t proto;
    uint8_t tcp_flags;
    uint8_t tos;
    uint32_t packets;
    uint32_t bytes; /* layer-3 bytes */
    uint64_t start_ms;
    uint64_t end_ms;
};

/* What one or more datagrams carry, as a collector should count it. bytes
 * are layer-3 bytes times the signalled sampling rate (1 for NetFlow and
 * IPFIX, which signal none). */
struct pktgen_sums {
    uint64_t datagrams;
    uint64_t records;
    uint64_t packets;
    uint64_t bytes;
    uint64_t bytes_dst_local; /* download: the destination is a local host */
    uint64_t bytes_src_local; /* upload: the source is a local host */
    uint64_t wire_bytes;      /* UDP payload bytes */
};

static inline void pktgen_sums_add(struct pktgen_sums *to, const struct pktgen_sums *s)
{
    to->datagrams += s->datagrams;
    to->records += s->records;
    to->packets += s->packets;
    to->bytes += s->bytes;
    to->bytes_dst_local += s->bytes_dst_local;
    to->bytes_src_local += s->bytes_src_local;
    to->wire_bytes += s->wire_bytes;
}

static inline void pktgen_init(struct pktgen *g, uint64_t seed, uint32_t net, uint32_t nhosts,
                               uint64_t now_ms)
{
    memset(g, 0, sizeof(*g));
    g->rng = seed * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL;
    if (g->rng == 0)
        g->rng = 1;
    g->net = net;
    g->nhosts = nhosts ? nhosts : 1;
    g->now_ms = now_ms;
    g->sflow_rate = 1;
}

static inline uint64_t pktgen_rand(struct pktgen *g)
{
    g->rng ^= g->rng >> 12;
    g->rng ^= g->rng << 25;
    g->rng ^= g->rng >> 27;
    return g->rng * 0x2545f4914f6cdd1dULL;
}

/* Uniform in [0, n), n >= 1; the bias of a modulo of 64 random bits is
 * far below anything a benchmark could notice. */
static inline uint32_t pktgen_below(struct pktgen *g, uint32_t n)
{
    return (uint32_t)((pktgen_rand(g) >> 16) % n);
}

static inline bool pktgen_is_local(const struct pktgen *g, uint32_t a)
{
    return a - g->net < g->nhosts;
}

/* A big-endian writer over a caller's buffer. A write past the end sets
 * bad and writes nothing, so the builders check once at the end. */
struct pktgen_wr {
    uint8_t *p;
    size_t len;
    size_t cap;
    bool bad;
};

static inline bool pktgen_room(struct pktgen_wr *w, size_t n)
{
    if (w->bad || w->cap - w->len < n) {
        w->bad = true;
        return false;
    }
    return true;
}

static inline void pktgen_u8(struct pktgen_wr *w, uint8_t v)
{
    if (pktgen_room(w, 1))
        w->p[w->len++] = v;
}

static inline void pktgen_u16(struct pktgen_wr *w, uint16_t v)
{
    if (!pktgen_room(w, 2))
        return;
    w->p[w->len++] = (uint8_t)(v >> 8);
    w->p[w->len++] = (uint8_t)v;
}

static inline void pktgen_u32(struct pktgen_wr *w, uint32_t v)
{
    pktgen_u16(w, (uint16_t)(v >> 16));
    pktgen_u16(w, (uint16_t)v);
}

static inline void pktgen_u64(struct pktgen_wr *w, uint64_t v)
{
    pktgen_u32(w, (uint32_t)(v >> 32));
    pktgen_u32(w, (uint32_t)v);
}

static inline void pktgen_zeros(struct pktgen_wr *w, size_t n)
{
    if (!pktgen_room(w, n))
        return;
    memset(w->p + w->len, 0, n);
    w->len += n;
}

/* Overwrites a 16- or 32-bit field written earlier (set lengths, counts). */
static inline void pktgen_put16_at(uint8_t *p, size_t off, uint16_t v)
{
    p[off] = (uint8_t)(v >> 8);
    p[off + 1] = (uint8_t)v;
}

static inline void pktgen_put32_at(uint8_t *p, size_t off, uint32_t v)
{
    pktgen_put16_at(p, off, (uint16_t)(v >> 16));
    pktgen_put16_at(p, off + 2, (uint16_t)v);
}

/* The services local hosts use, with their share of flows in percent and
 * the shape of their flows: how many packets, and the mean packet size in
 * each direction (server to client, client to server). */
struct pktgen_service {
    uint8_t proto;
    uint16_t port;
    uint8_t weight;
    uint32_t max_packets;
    uint16_t down_size;
    uint16_t up_size;
};

static const struct pktgen_service pktgen_services[] = {
    {6, 443, 38, 3000, 1300, 90},    /* HTTPS */
    {6, 80, 9, 2000, 1200, 120},     /* HTTP */
    {17, 443, 14, 3000, 1250, 80},   /* QUIC */
    {17, 53, 10, 2, 180, 70},        /* DNS */
    {6, 53, 1, 6, 400, 80},          /* DNS over TCP */
    {6, 25, 1, 60, 600, 900},        /* SMTP */
    {6, 587, 1, 60, 300, 800},       /* submission */
    {6, 993, 1, 200, 900, 150},      /* IMAPS (unclassified: not in the mail list) */
    {17, 123, 2, 2, 76, 76},         /* NTP */
    {1, 0, 2, 10, 84, 84},           /* ICMP echo */
    {17, 51820, 2, 5000, 1100, 300}, /* WireGuard */
    {47, 0, 1, 2000, 900, 200},      /* GRE */
    {6, 8080, 1, 500, 1100, 150},    /* proxy */
    {17, 5060, 1, 20, 600, 600},     /* SIP */
    {6, 22, 2, 1000, 200, 150},      /* SSH */
    {6, 0, 8, 1500, 1000, 200},      /* other TCP: a random high port */
    {17, 0, 6, 800, 700, 300},       /* other UDP: a random high port */
};

static inline const struct pktgen_service *pktgen_pick_service(struct pktgen *g)
{
    uint32_t total = 0;
    for (size_t i = 0; i < sizeof(pktgen_services) / sizeof(pktgen_services[0]); i++)
        total += pktgen_services[i].weight;
    uint32_t x = pktgen_below(g, total);
    for (size_t i = 0; i < sizeof(pktgen_services) / sizeof(pktgen_services[0]); i++) {
        if (x < pktgen_services[i].weight)
            return &pktgen_services[i];
        x -= pktgen_services[i].weight;
    }
    return &pktgen_services[0];
}

/* A remote address: anywhere in 11.0.0.0 .. 90.255.255.255 that is not one
 * of ours. */
static inline uint32_t pktgen_remote(struct pktgen *g)
{
    uint32_t a;
    do
        a = 0x0b000000u + pktgen_below(g, 0x50000000u);
    while (pktgen_is_local(g, a));
    return a;
}

/* Most flows are short; one in eight is a long transfer. */
static inline uint32_t pktgen_packets(struct pktgen *g, uint32_t max_packets)
{
    uint32_t cap = pktgen_below(g, 8) == 0 ? max_packets : (max_packets < 20 ? max_packets : 20);
    return 1 + pktgen_below(g, cap);
}

static inline void pktgen_flow(struct pktgen *g, struct pktgen_flow *f)
{
    const struct pktgen_service *s = pktgen_pick_service(g);
    uint32_t local = g->net + pktgen_below(g, g->nhosts);
    uint32_t remote = pktgen_remote(g);
    uint16_t port = s->port;
    if (port == 0 && (s->proto == 6 || s->proto == 17))
        port = (uint16_t)(1024 + pktgen_below(g, 30000));
    uint16_t ephemeral = (uint16_t)(32768 + pktgen_below(g, 28232));
    bool down = pktgen_below(g, 100) < 60; /* a flow from the server to the local client */
    memset(f, 0, sizeof(*f));
    f->proto = s->proto;
    f->packets = pktgen_packets(g, s->max_packets);
    uint32_t mean = down ? s->down_size : s->up_size;
    uint32_t size = mean / 2 + pktgen_below(g, mean) + 1; /* mean/2 .. 3*mean/2 */
    if (size > 1500)
        size = 1500;
    if (size < 28)
        size = 28;
    f->bytes = f->packets * size;
    if (s->proto == 6 || s->proto == 17) {
        f->sport = down ? port : ephemeral;
        f->dport = down ? ephemeral : port;
    }
    f->src = down ? remote : local;
    f->dst = down ? local : remote;
    f->tcp_flags = s->proto == 6 ? (f->packets > 2 ? 0x1b : 0x12) : 0; /* FIN|SYN|PSH|ACK */
    f->end_ms = g->now_ms - pktgen_below(g, 30000);
    uint32_t dur = f->packets > 1 ? pktgen_below(g, 60000) : 0;
    f->start_ms = f->end_ms - dur;
}

static inline void pktgen_count(const struct pktgen *g, const struct pktgen_flow *f, uint64_t bytes,
                                uint64_t packets, struct pktgen_sums *s)
{
    s->records++;
    s->packets += packets;
    s->bytes += bytes;
    if (pktgen_is_local(g, f->dst))
        s->bytes_dst_local += bytes;
    if (pktgen_is_local(g, f->src))
        s->bytes_src_local += bytes;
}

/* An exporter's uptime stamp for a UNIX ms time (sysUptime at now_ms is
 * PKTGEN_UPTIME_MS). */
static inline uint32_t pktgen_uptime(const struct pktgen *g, uint64_t ms)
{
    return PKTGEN_UPTIME_MS - (uint32_t)(g->now_ms - ms);
}

/* Finishes a datagram: its length, or 0 when it did not fit (our bug). */
static inline size_t pktgen_done(struct pktgen_wr *w, struct pktgen_sums *s)
{
    if (w->bad)
        return 0;
    s->datagrams = 1;
    s->wire_bytes = w->len;
    return w->len;
}

/* NetFlow v5: 30 records. *s is overwritten with what the datagram holds. */
static inline size_t pktgen_v5(struct pktgen *g, uint8_t *buf, size_t cap, struct pktgen_sums *s)
{
    struct pktgen_wr w = {buf, 0, cap, false};
    memset(s, 0, sizeof(*s));
    pktgen_u16(&w, 5);
    pktgen_u16(&w, PKTGEN_V5_RECORDS);
    pktgen_u32(&w, PKTGEN_UPTIME_MS);
    pktgen_u32(&w, (uint32_t)(g->now_ms / 1000u));
    pktgen_u32(&w, (uint32_t)(g->now_ms % 1000u) * 1000000u);
    pktgen_u32(&w, 0); /* flow_sequence: stamped when sent */
    pktgen_u8(&w, 0);  /* engine type */
    pktgen_u8(&w, 0);  /* engine id */
    pktgen_u16(&w, 0); /* sampling_interval: none signalled */
    for (int i = 0; i < PKTGEN_V5_RECORDS; i++) {
        struct pktgen_flow f;
        pktgen_flow(g, &f);
        pktgen_u32(&w, f.src);
        pktgen_u32(&w, f.dst);
        pktgen_u32(&w, 0);                                 /* next hop */
        pktgen_u16(&w, pktgen_is_local(g, f.dst) ? 1 : 2); /* input */
        pktgen_u16(&w, pktgen_is_local(g, f.dst) ? 2 : 1); /* output */
        pktgen_u32(&w, f.packets);
        pktgen_u32(&w, f.bytes);
        pktgen_u32(&w, pktgen_uptime(g, f.start_ms));
        pktgen_u32(&w, pktgen_uptime(g, f.end_ms));
        /* ICMP: exporters put type * 256 + code in the destination port */
        pktgen_u16(&w, f.sport);
        pktgen_u16(&w, f.proto == 1 ? 0x0800 : f.dport);
        pktgen_u8(&w, 0); /* pad1 */
        pktgen_u8(&w, f.tcp_flags);
        pktgen_u8(&w, f.proto);
        pktgen_u8(&w, f.tos);
        pktgen_zeros(&w, 2 + 2 + 1 + 1 + 2); /* src_as, dst_as, masks, pad2 */
        pktgen_count(g, &f, f.bytes, f.packets, s);
    }
    return pktgen_done(&w, s);
}

/* softflowd's IPv4 template: (element, length). */
static const uint16_t pktgen_v9_fields[][2] = {
    {8, 4},   /* IPV4_SRC_ADDR */
    {12, 4},  /* IPV4_DST_ADDR */
    {22, 4},  /* FIRST_SWITCHED (sysUptime ms) */
    {21, 4},  /* LAST_SWITCHED */
    {1, 4},   /* IN_BYTES */
    {2, 4},   /* IN_PKTS */
    {10, 4},  /* INPUT_SNMP */
    {14, 4},  /* OUTPUT_SNMP */
    {61, 1},  /* DIRECTION */
    {136, 1}, /* flowEndReason */
    {7, 2},   /* L4_SRC_PORT */
    {11, 2},  /* L4_DST_PORT */
    {4, 1},   /* PROTOCOL */
    {6, 1},   /* TCP_FLAGS */
    {60, 1},  /* IP_PROTOCOL_VERSION */
    {5, 1},   /* SRC_TOS */
};
#define PKTGEN_V9_NFIELDS (sizeof(pktgen_v9_fields) / sizeof(pktgen_v9_fields[0]))
#define PKTGEN_V9_RECLEN  42

/* pmacct's IPv4 template. */
static const uint16_t pktgen_ipfix_fields[][2] = {
    {153, 8}, /* flowEndMilliseconds */
    {152, 8}, /* flowStartMilliseconds */
    {1, 8},   /* octetDeltaCount */
    {2, 8},   /* packetDeltaCount */
    {60, 1},  /* ipVersion */
    {10, 4},  /* ingressInterface */
    {14, 4},  /* egressInterface */
    {61, 1},  /* flowDirection */
    {8, 4},   /* sourceIPv4Address */
    {12, 4},  /* destinationIPv4Address */
    {7, 2},   /* sourceTransportPort */
    {11, 2},  /* destinationTransportPort */
    {5, 1},   /* ipClassOfService */
    {6, 1},   /* tcpControlBits */
    {4, 1},   /* protocolIdentifier */
};
#define PKTGEN_IPFIX_NFIELDS (sizeof(pktgen_ipfix_fields) / sizeof(pktgen_ipfix_fields[0]))
#define PKTGEN_IPFIX_RECLEN  57

/* A template set (v9 flowset id 0, IPFIX set id 2) of one template. */
static inline void pktgen_template_set(struct pktgen_wr *w, uint16_t set_id, uint16_t tpl_id,
                                       const uint16_t (*fields)[2], size_t n)
{
    pktgen_u16(w, set_id);
    pktgen_u16(w, (uint16_t)(4 + 4 + 4 * n));
    pktgen_u16(w, tpl_id);
    pktgen_u16(w, (uint16_t)n);
    for (size_t i = 0; i < n; i++) {
        pktgen_u16(w, fields[i][0]);
        pktgen_u16(w, fields[i][1]);
    }
}

static inline void pktgen_v9_record(struct pktgen *g, struct pktgen_wr *w,
                                    const struct pktgen_flow *f)
{
    bool in = pktgen_is_local(g, f->dst);
    pktgen_u32(w, f->src);
    pktgen_u32(w, f->dst);
    pktgen_u32(w, pktgen_uptime(g, f->start_ms));
    pktgen_u32(w, pktgen_uptime(g, f->end_ms));
    pktgen_u32(w, f->bytes);
    pktgen_u32(w, f->packets);
    pktgen_u32(w, in ? 1 : 2);
    pktgen_u32(w, in ? 2 : 1);
    pktgen_u8(w, 0); /* direction: ingress */
    pktgen_u8(w, 3); /* end reason: end of flow detected */
    pktgen_u16(w, f->sport);
    pktgen_u16(w, f->dport);
    pktgen_u8(w, f->proto);
    pktgen_u8(w, f->tcp_flags);
    pktgen_u8(w, 4);
    pktgen_u8(w, f->tos);
}

static inline void pktgen_ipfix_record(struct pktgen *g, struct pktgen_wr *w,
                                       const struct pktgen_flow *f)
{
    bool in = pktgen_is_local(g, f->dst);
    pktgen_u64(w, f->end_ms);
    pktgen_u64(w, f->start_ms);
    pktgen_u64(w, f->bytes);
    pktgen_u64(w, f->packets);
    pktgen_u8(w, 4);
    pktgen_u32(w, in ? 1 : 2);
    pktgen_u32(w, in ? 2 : 1);
    pktgen_u8(w, 0);
    pktgen_u32(w, f->src);
    pktgen_u32(w, f->dst);
    pktgen_u16(w, f->sport);
    pktgen_u16(w, f->dport);
    pktgen_u8(w, f->tos);
    pktgen_u8(w, f->tcp_flags);
    pktgen_u8(w, f->proto);
}

/* A data set of as many records as fit below PKTGEN_TARGET, padded to a
 * multiple of 4 bytes. Returns how many records it holds. */
static inline size_t pktgen_data_set(struct pktgen *g, struct pktgen_wr *w, bool ipfix,
                                     struct pktgen_sums *s)
{
    size_t reclen = ipfix ? PKTGEN_IPFIX_RECLEN : PKTGEN_V9_RECLEN;
    size_t start = w->len;
    size_t room = PKTGEN_TARGET > start + 4 ? PKTGEN_TARGET - start - 4 : 0;
    size_t n = room / reclen;
    /* NOLINTNEXTLINE(bugprone-branch-clone): equal IDs today, named apart for the reader */
    pktgen_u16(w, ipfix ? PKTGEN_IPFIX_TPL_ID : PKTGEN_V9_TPL_ID);
    pktgen_u16(w, 0); /* length: below */
    for (size_t i = 0; i < n; i++) {
        struct pktgen_flow f;
        pktgen_flow(g, &f);
        if (ipfix)
            pktgen_ipfix_record(g, w, &f);
        else
            pktgen_v9_record(g, w, &f);
        pktgen_count(g, &f, f.bytes, f.packets, s);
    }
    pktgen_zeros(w, (4 - (w->len - start) % 4) % 4);
    if (!w->bad)
        pktgen_put16_at(w->p, start + 2, (uint16_t)(w->len - start));
    return n;
}

/* NetFlow v9: an optional template flowset, then one data flowset. */
static inline size_t pktgen_v9(struct pktgen *g, uint8_t *buf, size_t cap, bool with_template,
                               struct pktgen_sums *s)
{
    struct pktgen_wr w = {buf, 0, cap, false};
    memset(s, 0, sizeof(*s));
    pktgen_u16(&w, 9);
    pktgen_u16(&w, 0); /* count: below */
    pktgen_u32(&w, PKTGEN_UPTIME_MS);
    pktgen_u32(&w, (uint32_t)(g->now_ms / 1000u));
    pktgen_u32(&w, 0); /* package sequence: stamped when sent */
    pktgen_u32(&w, 0); /* source id */
    size_t count = 0;
    if (with_template) {
        pktgen_template_set(&w, 0, PKTGEN_V9_TPL_ID, pktgen_v9_fields, PKTGEN_V9_NFIELDS);
        count++;
    }
    count += pktgen_data_set(g, &w, false, s);
    if (!w.bad)
        pktgen_put16_at(buf, 2, (uint16_t)count); /* records of all flowsets */
    return pktgen_done(&w, s);
}

/* IPFIX: an optional template set, then one data set. */
static inline size_t pktgen_ipfix(struct pktgen *g, uint8_t *buf, size_t cap, bool with_template,
                                  struct pktgen_sums *s)
{
    struct pktgen_wr w = {buf, 0, cap, false};
    memset(s, 0, sizeof(*s));
    pktgen_u16(&w, 10);
    pktgen_u16(&w, 0); /* length: below */
    pktgen_u32(&w, (uint32_t)(g->now_ms / 1000u));
    pktgen_u32(&w, 0); /* sequence: stamped when sent */
    pktgen_u32(&w, 0); /* observation domain */
    if (with_template)
        pktgen_template_set(&w, 2, PKTGEN_IPFIX_TPL_ID, pktgen_ipfix_fields, PKTGEN_IPFIX_NFIELDS);
    pktgen_data_set(g, &w, true, s);
    if (!w.bad)
        pktgen_put16_at(buf, 2, (uint16_t)w.len);
    return pktgen_done(&w, s);
}

/* The IP packet one sample describes: a packet of the flow, its length the
 * flow's mean packet size. */
static inline uint16_t pktgen_packet_len(const struct pktgen_flow *f)
{
    uint32_t len = f->bytes / (f->packets ? f->packets : 1);
    uint32_t min = f->proto == 6 ? 40 : 28;
    if (len < min)
        len = min;
    return (uint16_t)(len > 1500 ? 1500 : len);
}

static inline uint16_t pktgen_ip_checksum(const uint8_t *h, size_t len)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)h[i] << 8 | h[i + 1];
    while (sum >> 16)
        sum = (sum & 0xffffu) + (sum >> 16);
    return (uint16_t)~sum;
}

/* The first bytes of the frame: Ethernet, IPv4, TCP/UDP/ICMP, then payload
 * up to hdr_len. */
static inline void pktgen_frame(struct pktgen_wr *w, const struct pktgen_flow *f, uint16_t ip_len,
                                size_t hdr_len)
{
    size_t start = w->len;
    static const uint8_t macs[12] = {0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2};
    if (!pktgen_room(w, 12))
        return;
    memcpy(w->p + w->len, macs, sizeof(macs));
    w->len += sizeof(macs);
    pktgen_u16(w, 0x0800);
    size_t ip = w->len;
    pktgen_u8(w, 0x45);
    pktgen_u8(w, f->tos);
    pktgen_u16(w, ip_len);
    pktgen_u16(w, (uint16_t)(f->src ^ f->dst)); /* identification */
    pktgen_u16(w, 0x4000);                      /* don't fragment */
    pktgen_u8(w, 64);
    pktgen_u8(w, f->proto);
    pktgen_u16(w, 0); /* checksum: below */
    pktgen_u32(w, f->src);
    pktgen_u32(w, f->dst);
    if (!w->bad)
        pktgen_put16_at(w->p, ip + 10, pktgen_ip_checksum(w->p + ip, 20));
    if (f->proto == 6) {
        pktgen_u16(w, f->sport);
        pktgen_u16(w, f->dport);
        pktgen_u32(w, (uint32_t)f->start_ms); /* sequence */
        pktgen_u32(w, (uint32_t)f->end_ms);   /* acknowledgement */
        pktgen_u16(w, 0x5010);                /* 20-byte header, ACK */
        pktgen_u16(w, 64240);
        pktgen_u32(w, 0); /* checksum, urgent pointer */
    } else if (f->proto == 17) {
        pktgen_u16(w, f->sport);
        pktgen_u16(w, f->dport);
        pktgen_u16(w, (uint16_t)(ip_len - 20));
        pktgen_u16(w, 0);
    } else if (f->proto == 1) {
        pktgen_u32(w, 0x08000000u); /* echo request */
        pktgen_u32(w, 1);
    }
    size_t have = w->len - start;
    if (have < hdr_len)
        pktgen_zeros(w, hdr_len - have);
}

/* One flow sample (enterprise 0, format 1) with a raw packet header record. */
static inline void pktgen_flow_sample(struct pktgen *g, struct pktgen_wr *w, struct pktgen_sums *s)
{
    struct pktgen_flow f;
    pktgen_flow(g, &f);
    uint16_t ip_len = pktgen_packet_len(&f);
    uint32_t frame_len = 14u + ip_len + 4u; /* with the FCS */
    size_t hdr_len = frame_len - 4u < PKTGEN_SFLOW_HDR_MAX ? frame_len - 4u : PKTGEN_SFLOW_HDR_MAX;
    size_t hdr_pad = (4 - hdr_len % 4) % 4;
    uint32_t rec_len = (uint32_t)(16 + hdr_len + hdr_pad);
    bool in = pktgen_is_local(g, f.dst);
    pktgen_u32(w, 1);                            /* flow_sample */
    pktgen_u32(w, 32 + 8 + rec_len);             /* sample length */
    pktgen_u32(w, ++g->sflow_seq);               /* sequence number */
    pktgen_u32(w, in ? 1 : 2);                   /* source id: ifIndex */
    pktgen_u32(w, g->sflow_rate);                /* sampling rate */
    pktgen_u32(w, g->sflow_seq * g->sflow_rate); /* sample pool */
    pktgen_u32(w, 0);                            /* drops */
    pktgen_u32(w, in ? 2 : 1);                   /* input */
    pktgen_u32(w, in ? 1 : 2);                   /* output */
    pktgen_u32(w, 1);                            /* flow records */
    pktgen_u32(w, 1);                            /* raw packet header */
    pktgen_u32(w, rec_len);
    pktgen_u32(w, 1); /* header protocol: Ethernet */
    pktgen_u32(w, frame_len);
    pktgen_u32(w, 4); /* stripped: the FCS */
    pktgen_u32(w, (uint32_t)hdr_len);
    pktgen_frame(w, &f, ip_len, hdr_len);
    pktgen_zeros(w, hdr_pad);
    pktgen_count(g, &f, (uint64_t)ip_len * g->sflow_rate, g->sflow_rate, s);
}

/* sFlow v5 from an IPv4 agent: PKTGEN_SFLOW_SAMPLES flow samples. */
static inline size_t pktgen_sflow(struct pktgen *g, uint8_t *buf, size_t cap, struct pktgen_sums *s)
{
    struct pktgen_wr w = {buf, 0, cap, false};
    memset(s, 0, sizeof(*s));
    pktgen_u32(&w, 5);
    pktgen_u32(&w, 1);           /* agent address type: IPv4 */
    pktgen_u32(&w, 0xc0000201u); /* agent 192.0.2.1 */
    pktgen_u32(&w, 0);           /* sub agent */
    pktgen_u32(&w, 0);           /* sequence: stamped when sent */
    pktgen_u32(&w, PKTGEN_UPTIME_MS);
    pktgen_u32(&w, PKTGEN_SFLOW_SAMPLES);
    for (int i = 0; i < PKTGEN_SFLOW_SAMPLES; i++)
        pktgen_flow_sample(g, &w, s);
    return pktgen_done(&w, s);
}

/* Builds the n-th datagram of an exporter's stream of proto. v9 and IPFIX
 * exporters resend their templates now and then: every tpl_every datagrams
 * (0: only the first). */
static inline size_t pktgen_build(struct pktgen *g, enum pktgen_proto proto, size_t n,
                                  size_t tpl_every, uint8_t *buf, size_t cap, struct pktgen_sums *s)
{
    bool tpl = n == 0 || (tpl_every && n % tpl_every == 0);
    switch (proto) {
    case PKTGEN_V5:
        return pktgen_v5(g, buf, cap, s);
    case PKTGEN_V9:
        return pktgen_v9(g, buf, cap, tpl, s);
    case PKTGEN_IPFIX:
        return pktgen_ipfix(g, buf, cap, tpl, s);
    default:
        return pktgen_sflow(g, buf, cap, s);
    }
}

/* Stamps the sequence numbers a real exporter would put in a datagram it
 * sends as its dgrams-th (from 0), after having sent records flow records.
 * v5 and IPFIX count records, v9 and sFlow datagrams. */
static inline void pktgen_stamp(enum pktgen_proto proto, uint8_t *buf, size_t len, uint64_t dgrams,
                                uint64_t records)
{
    switch (proto) {
    case PKTGEN_V5:
        if (len >= PKTGEN_V5_HEADER)
            pktgen_put32_at(buf, 16, (uint32_t)records);
        break;
    case PKTGEN_V9:
        if (len >= PKTGEN_V9_HEADER)
            pktgen_put32_at(buf, 12, (uint32_t)dgrams);
        break;
    case PKTGEN_IPFIX:
        if (len >= PKTGEN_IPFIX_HEADER)
            pktgen_put32_at(buf, 8, (uint32_t)records);
        break;
    default:
        if (len >= PKTGEN_SFLOW_SEQ_OFFS + 4)
            pktgen_put32_at(buf, PKTGEN_SFLOW_SEQ_OFFS, (uint32_t)dgrams);
        break;
    }
}

/* "v5", "v9", "ipfix" or "sflow" (also "netflow5", "netflow9"); -1 if none. */
static inline int pktgen_proto_parse(const char *s)
{
    for (int i = 0; i < PKTGEN__COUNT; i++)
        if (strcmp(s, pktgen_proto_names[i]) == 0)
            return i;
    if (strcmp(s, "netflow5") == 0)
        return PKTGEN_V5;
    if (strcmp(s, "netflow9") == 0)
        return PKTGEN_V9;
    return -1;
}

#endif
