/* decode/sflow.c: sFlow version 5 (sflow_version_5.txt).
 *
 * An sFlow datagram is a header and a list of samples; a flow sample is a
 * header and a list of flow records. Every sample and every record carries
 * its own length, and each gets its own cursor, so a sample or record we do
 * not read (counter samples, extended switch/router data, other enterprises)
 * is skipped by its length and a bad one never makes the walk lose its
 * place.
 *
 * A flow sample describes one sampled packet, so it yields at most one flow
 * record. Its records are read into a struct sflow_found first and the flow
 * record is pushed only once the whole sample has been read and accepted:
 * nothing needs rolling back when a sample is rejected. The packet comes
 * from the raw header record when that parses (bytes = the IP length inside
 * it, not the frame length, so that sFlow counts the same bytes as NetFlow),
 * else from a sampled IPv4/IPv6 record.
 *
 * The datagram has no length field of its own: a sample count that promises
 * more than the datagram holds cannot be caught up front. The samples that
 * are wholly inside the datagram are kept and the datagram is reported with
 * DEC_SAMPLE_COUNT or DEC_SAMPLE_TRUNCATED. */
#include "decode/sflow.h"

#include <stdbool.h>
#include <string.h>

#include "decode/cursor.h"
#include "decode/pkthdr.h"

#define SFLOW_VERSION   5
#define SFLOW_ADDR_IPV4 1
#define SFLOW_ADDR_IPV6 2

/* Data formats are enterprise << 12 | format; we read enterprise 0 only. */
#define SFLOW_ENTERPRISE(type) ((type) >> 12)
#define SFLOW_FORMAT(type)     ((type)&0xfffu)

#define SFLOW_SAMPLE_FLOW         1
#define SFLOW_SAMPLE_FLOW_EXP     3
#define SFLOW_SAMPLE_COUNTERS     2
#define SFLOW_SAMPLE_COUNTERS_EXP 4

#define SFLOW_REC_RAW_HEADER 1
#define SFLOW_REC_IPV4       3
#define SFLOW_REC_IPV6       4

#define SFLOW_SOURCE_INDEX_MASK 0x00ffffffu

#define IP_PROTO_ICMP   1
#define IP_PROTO_ICMPV6 58

struct sflow_sample {
    uint32_t source_id; /* type << 24 | index */
    uint32_t rate;
    uint32_t nrecords;
};

/* What the flow records of one sample told about its packet. */
struct sflow_found {
    bool have_hdr;          /* a raw packet header record was seen */
    enum dec_status hdr_st; /* how its header parsed */
    struct pkthdr hdr;      /* valid when hdr_st is DEC_OK */
    bool have_ip;           /* a sampled IPv4/IPv6 record was read */
    struct pkthdr ip;       /* what it said, in the same form */
};

static enum dec_status sflow_read_header(struct rd *r, uint32_t *nsamples)
{
    uint32_t version = rd_u32(r);
    uint32_t addr_type = rd_u32(r);
    if (r->bad)
        return DEC_SHORT_HEADER;
    if (version != SFLOW_VERSION)
        return DEC_BAD_VERSION;
    /* The agent address is not used: exporters are told apart by the
     * datagram's source address, which is what the operator configures. */
    if (addr_type == SFLOW_ADDR_IPV4)
        rd_skip(r, 4);
    else if (addr_type == SFLOW_ADDR_IPV6)
        rd_skip(r, 16);
    else
        return DEC_BAD_ADDRESS_TYPE;
    rd_skip(r, 4 + 4 + 4); /* sub_agent_id, sequence_number, uptime */
    uint32_t n = rd_u32(r);
    if (r->bad)
        return DEC_SHORT_HEADER;
    if (n > SFLOW_MAX_SAMPLES)
        return DEC_SAMPLE_COUNT;
    *nsamples = n;
    return DEC_OK;
}

/* The part shared by both flow sample forms, behind the source id and
 * before the interfaces: sampling_rate, sample_pool, drops. */
static void sflow_read_rate(struct rd *s, struct sflow_sample *smp)
{
    smp->rate = rd_u32(s);
    rd_skip(s, 4 + 4); /* sample_pool, drops */
}

static enum dec_status sflow_check_sample(const struct rd *s, const struct sflow_sample *smp)
{
    if (s->bad)
        return DEC_SAMPLE_TRUNCATED;
    if (smp->rate == 0)
        return DEC_ZERO_SAMPLING;
    if (smp->nrecords > SFLOW_MAX_RECORDS)
        return DEC_RECORD_COUNT;
    return DEC_OK;
}

/* flow_sample (enterprise 0, format 1). */
static enum dec_status sflow_read_flow_sample(struct rd *s, struct sflow_sample *smp)
{
    rd_skip(s, 4); /* sequence_number */
    smp->source_id = rd_u32(s);
    sflow_read_rate(s, smp);
    rd_skip(s, 4 + 4); /* input, output */
    smp->nrecords = rd_u32(s);
    return sflow_check_sample(s, smp);
}

/* flow_sample_expanded (enterprise 0, format 3): the source id and the
 * interfaces as separate words. */
static enum dec_status sflow_read_flow_sample_exp(struct rd *s, struct sflow_sample *smp)
{
    rd_skip(s, 4); /* sequence_number */
    uint32_t type = rd_u32(s);
    uint32_t index = rd_u32(s);
    smp->source_id = type << 24 | (index & SFLOW_SOURCE_INDEX_MASK);
    sflow_read_rate(s, smp);
    rd_skip(s, 4 + 4 + 4 + 4); /* input format/value, output format/value */
    smp->nrecords = rd_u32(s);
    return sflow_check_sample(s, smp);
}

/* sampled_header (format 1). The header's own length gets its cursor; the
 * padding to 4 bytes behind it is left to the record's cursor. Only the
 * first such record of a sample is used. */
static enum dec_status sflow_read_raw_header(struct rd *rec, struct sflow_found *f)
{
    if (f->have_hdr)
        return DEC_OK;
    uint32_t header_proto = rd_u32(rec);
    rd_skip(rec, 4 + 4); /* frame_length, stripped: we count IP bytes */
    uint32_t header_len = rd_u32(rec);
    if (rec->bad)
        return DEC_RECORD_TOO_SHORT;
    struct rd hdr = rd_sub(rec, header_len);
    if (hdr.bad)
        return DEC_RECORD_TRUNCATED;
    f->have_hdr = true;
    f->hdr_st = pkthdr_parse(hdr.p, hdr.left, header_proto, &f->hdr);
    return DEC_OK;
}

/* The part of sampled_ipv4 / sampled_ipv6 (formats 3, 4) behind the
 * addresses: ports as 32-bit words, then flags and TOS/priority. */
static enum dec_status sflow_read_ip_tail(struct rd *rec, struct sflow_found *f)
{
    uint32_t sport = rd_u32(rec);
    uint32_t dport = rd_u32(rec);
    rd_skip(rec, 4 + 4); /* tcp_flags, tos / priority */
    if (rec->bad)
        return DEC_RECORD_TOO_SHORT;
    /* ICMP type and code are sometimes put in the ports; they are not
     * ports and must not pick a traffic class. */
    if (f->ip.proto != IP_PROTO_ICMP && f->ip.proto != IP_PROTO_ICMPV6) {
        f->ip.sport = (uint16_t)sport;
        f->ip.dport = (uint16_t)dport;
    }
    f->have_ip = true;
    return DEC_OK;
}

/* sampled_ipv4 (format 3) and sampled_ipv6 (format 4): length is the IP
 * packet's length without lower layers. */
static enum dec_status sflow_read_sampled_ip(struct rd *rec, size_t addr_len, struct sflow_found *f)
{
    uint32_t ip_len = rd_u32(rec);
    uint32_t proto = rd_u32(rec);
    uint8_t src[16], dst[16];
    rd_copy(rec, src, addr_len);
    rd_copy(rec, dst, addr_len);
    if (rec->bad)
        return DEC_RECORD_TOO_SHORT;
    memset(&f->ip, 0, sizeof(f->ip));
    if (addr_len == 4) {
        addr_from_v4(&f->ip.src, src);
        addr_from_v4(&f->ip.dst, dst);
    } else {
        addr_from_v6(&f->ip.src, src);
        addr_from_v6(&f->ip.dst, dst);
    }
    f->ip.ip_len = ip_len;
    f->ip.proto = (uint8_t)proto;
    return sflow_read_ip_tail(rec, f);
}

static enum dec_status sflow_read_record(uint32_t type, struct rd *rec, struct sflow_found *f)
{
    if (SFLOW_ENTERPRISE(type) != 0)
        return DEC_OK;
    switch (SFLOW_FORMAT(type)) {
    case SFLOW_REC_RAW_HEADER:
        return sflow_read_raw_header(rec, f);
    case SFLOW_REC_IPV4:
        return sflow_read_sampled_ip(rec, 4, f);
    case SFLOW_REC_IPV6:
        return sflow_read_sampled_ip(rec, 16, f);
    default:
        return DEC_OK; /* extended data (switch, router, gateway, user...) */
    }
}

static enum dec_status sflow_read_records(struct rd *s, uint32_t nrecords, struct sflow_found *f)
{
    for (uint32_t i = 0; i < nrecords; i++) {
        if (s->left == 0)
            return DEC_RECORD_COUNT;
        uint32_t type = rd_u32(s);
        uint32_t len = rd_u32(s);
        struct rd rec = rd_sub(s, len);
        if (rec.bad)
            return DEC_RECORD_TRUNCATED;
        enum dec_status st = sflow_read_record(type, &rec, f);
        if (st != DEC_OK)
            return st;
    }
    return DEC_OK;
}

/* The packet the sample describes: its raw header if that parsed, else its
 * sampled IP record, else why there is none. */
static enum dec_status sflow_pick(const struct sflow_found *f, const struct pkthdr **pkt)
{
    if (f->have_hdr && f->hdr_st == DEC_OK) {
        *pkt = &f->hdr;
        return DEC_OK;
    }
    if (f->have_ip) {
        *pkt = &f->ip;
        return DEC_OK;
    }
    return f->have_hdr ? f->hdr_st : DEC_NOT_IP;
}

static enum dec_status sflow_emit(struct dec_ctx *ctx, const struct sflow_sample *smp,
                                  const struct pkthdr *pkt)
{
    struct flow_rec *r = flow_batch_push(ctx->out);
    if (!r)
        return DEC_TOO_MANY_RECORDS;
    r->src = pkt->src;
    r->dst = pkt->dst;
    r->bytes = pkt->ip_len;
    r->packets = 1;
    r->sampling = smp->rate;
    r->sport = pkt->sport;
    r->dport = pkt->dport;
    r->proto = pkt->proto;
    /* sFlow carries the rate in every sample, so nothing is looked up
     * later: the exporter only shows the latest rate in its status (a
     * switch may have a source per port, too many to keep one each). */
    ctx->exp->rate = smp->rate;
    return DEC_OK;
}

static enum dec_status sflow_flow_sample(struct dec_ctx *ctx, uint32_t format, struct rd *s)
{
    struct sflow_sample smp;
    enum dec_status st = format == SFLOW_SAMPLE_FLOW ? sflow_read_flow_sample(s, &smp)
                                                     : sflow_read_flow_sample_exp(s, &smp);
    if (st != DEC_OK)
        return st;
    struct sflow_found f;
    memset(&f, 0, sizeof(f));
    st = sflow_read_records(s, smp.nrecords, &f);
    if (st != DEC_OK)
        return st;
    const struct pkthdr *pkt = NULL;
    st = sflow_pick(&f, &pkt);
    if (st != DEC_OK)
        return st;
    return sflow_emit(ctx, &smp, pkt);
}

/* One sample. Counter samples (formats 2 and 4) are counted and skipped;
 * formats we don't know and other enterprises' samples are skipped: their
 * cursor already moved the datagram's past them. */
static enum dec_status sflow_sample(struct dec_ctx *ctx, uint32_t type, struct rd *s)
{
    if (SFLOW_ENTERPRISE(type) != 0)
        return DEC_OK;
    uint32_t format = SFLOW_FORMAT(type);
    if (format == SFLOW_SAMPLE_COUNTERS || format == SFLOW_SAMPLE_COUNTERS_EXP)
        ctx->exp->st.sflow_counter_samples++;
    if (format != SFLOW_SAMPLE_FLOW && format != SFLOW_SAMPLE_FLOW_EXP)
        return DEC_OK;
    return sflow_flow_sample(ctx, format, s);
}

enum dec_status sflow_decode(struct dec_ctx *ctx, const uint8_t *pkt, size_t len)
{
    struct rd r = rd_init(pkt, len);
    uint32_t nsamples = 0;
    enum dec_status st = sflow_read_header(&r, &nsamples);
    if (st != DEC_OK)
        return st;
    size_t mark = ctx->out->n;
    for (uint32_t i = 0; i < nsamples; i++) {
        if (r.left == 0)
            return DEC_SAMPLE_COUNT;
        uint32_t type = rd_u32(&r);
        uint32_t sample_len = rd_u32(&r);
        struct rd s = rd_sub(&r, sample_len);
        if (s.bad)
            return DEC_SAMPLE_TRUNCATED;
        st = sflow_sample(ctx, type, &s);
        if (st == DEC_TOO_MANY_RECORDS) {
            ctx->out->n = mark;
            return st;
        }
        if (st != DEC_OK)
            dec_count(ctx, st);
    }
    return r.left == 0 ? DEC_OK : DEC_SAMPLE_COUNT;
}
