/* decode/dispatch.c: protocol detection and the per-exporter counters that
 * every protocol shares, so that each decoder deals only with its format. */
#include "decode/dispatch.h"

#include "decode/ipfix.h"
#include "decode/netflow5.h"
#include "decode/netflow9.h"
#include "decode/sflow.h"

int dispatch_detect(const uint8_t *p, size_t len)
{
    struct rd r = rd_init(p, len);
    uint16_t hi = rd_u16(&r);
    if (r.bad)
        return -1;
    switch (hi) {
    case 5:
        return FLOW_PROTO_NF5;
    case 9:
        return FLOW_PROTO_NF9;
    case 10:
        return FLOW_PROTO_IPFIX;
    case 0:
        if (rd_u16(&r) == 5 && !r.bad)
            return FLOW_PROTO_SFLOW;
        return -1;
    default:
        return -1;
    }
}

enum dec_status dispatch_datagram(struct dec_ctx *ctx, const uint8_t *p, size_t len)
{
    struct exporter *e = ctx->exp;
    int proto = dispatch_detect(p, len);
    if (proto < 0) {
        dec_count(ctx, len < 4 ? DEC_SHORT_HEADER : DEC_BAD_VERSION);
        return len < 4 ? DEC_SHORT_HEADER : DEC_BAD_VERSION;
    }
    if (e->first_ms == 0)
        e->first_ms = ctx->arrival_ms;
    e->last_ms = ctx->arrival_ms;
    e->st.packets[proto]++;
    e->st.bytes[proto] += len;
    size_t before = ctx->out->n;
    enum dec_status st;
    switch (proto) {
    case FLOW_PROTO_NF5:
        st = netflow5_decode(ctx, p, len);
        break;
    case FLOW_PROTO_NF9:
        st = netflow9_decode(ctx, p, len);
        break;
    case FLOW_PROTO_IPFIX:
        st = ipfix_decode(ctx, p, len);
        break;
    default:
        st = sflow_decode(ctx, p, len);
        break;
    }
    if (st != DEC_OK)
        dec_count(ctx, st);
    e->st.records[proto] += ctx->out->n - before;
    return st;
}
