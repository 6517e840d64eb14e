/* decode/netflow5.c: NetFlow version 5.
 *
 * A v5 datagram is a 24-byte header and up to 30 fixed 48-byte records. The
 * header's count is checked against the datagram length before anything is
 * emitted, so a lying count rejects the whole datagram rather than producing
 * records from the bytes that happen to follow.
 *
 * Times: First and Last are sysUptime milliseconds. The record's absolute
 * time is the header's wall clock minus (sysUptime - First), computed in
 * uint32 arithmetic: after a router's 49.7-day uptime wrap, and with
 * exporters whose uptime clock started after the flows they report (pmacct),
 * First is "greater" than sysUptime and only the modular difference is
 * right. */
#include "decode/netflow5.h"

/* sampling_interval: 2 bits of mode, 14 bits of interval (Cisco's layout,
 * which softflowd and most routers follow). */
#define NF5_SAMPLING_INTERVAL_MASK 0x3fffu

struct nf5_header {
    uint16_t version;
    uint16_t count;
    uint32_t uptime_ms;
    uint64_t now_ms; /* header wall clock in UNIX ms */
    uint32_t sampling;
};

static enum dec_status nf5_read_header(struct rd *r, size_t len, struct nf5_header *h)
{
    h->version = rd_u16(r);
    h->count = rd_u16(r);
    h->uptime_ms = rd_u32(r);
    uint32_t secs = rd_u32(r);
    uint32_t nsecs = rd_u32(r);
    rd_skip(r, 4 + 1 + 1); /* flow_sequence, engine_type, engine_id */
    uint16_t sampling = rd_u16(r);
    if (r->bad)
        return DEC_SHORT_HEADER;
    if (h->version != 5)
        return DEC_BAD_VERSION;
    if (h->count == 0 || h->count > NF5_MAX_RECORDS ||
        len < NF5_HEADER_LEN + (size_t)h->count * NF5_RECORD_LEN)
        return DEC_BAD_COUNT;
    h->now_ms = (uint64_t)secs * 1000u + nsecs / 1000000u;
    h->sampling = sampling & NF5_SAMPLING_INTERVAL_MASK;
    return DEC_OK;
}

/* The absolute time of an uptime stamp; 0 when it would precede the epoch. */
static uint64_t nf5_abs_ms(const struct nf5_header *h, uint32_t stamp)
{
    uint32_t ago = h->uptime_ms - stamp;
    return h->now_ms > ago ? h->now_ms - ago : 0;
}

static void nf5_read_record(struct rd *r, const struct nf5_header *h, struct flow_rec *f)
{
    uint8_t src[4], dst[4];
    rd_copy(r, src, 4);
    rd_copy(r, dst, 4);
    rd_skip(r, 4 + 2 + 2); /* nexthop, input, output */
    f->packets = rd_u32(r);
    f->bytes = rd_u32(r);
    uint32_t first = rd_u32(r);
    uint32_t last = rd_u32(r);
    f->sport = rd_u16(r);
    f->dport = rd_u16(r);
    rd_skip(r, 1 + 1); /* pad1, tcp_flags */
    f->proto = rd_u8(r);
    rd_skip(r, 1 + 2 + 2 + 1 + 1 + 2); /* tos, src_as, dst_as, masks, pad2 */
    addr_from_v4(&f->src, src);
    addr_from_v4(&f->dst, dst);
    f->start_ms = nf5_abs_ms(h, first);
    f->end_ms = nf5_abs_ms(h, last);
    f->sampling = h->sampling;
    /* v5 has no ICMP fields: exporters put type * 256 + code in the
     * destination port. That is not a port and must not pick a class. */
    if (f->proto == 1 || f->proto == 58)
        f->sport = f->dport = 0;
}

enum dec_status netflow5_decode(struct dec_ctx *ctx, const uint8_t *pkt, size_t len)
{
    struct rd r = rd_init(pkt, len);
    struct nf5_header h;
    enum dec_status st = nf5_read_header(&r, len, &h);
    if (st != DEC_OK)
        return st;
    if (h.sampling)
        (void)exporter_set_rate(ctx->exp, 0, EXPORTER_ANY_SAMPLER, h.sampling);
    size_t mark = ctx->out->n;
    for (uint16_t i = 0; i < h.count; i++) {
        struct rd rec = rd_sub(&r, NF5_RECORD_LEN);
        struct flow_rec *f = flow_batch_push(ctx->out);
        if (!f) {
            ctx->out->n = mark;
            return DEC_TOO_MANY_RECORDS;
        }
        nf5_read_record(&rec, &h, f);
    }
    return DEC_OK;
}
