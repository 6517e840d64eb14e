/* decode/dispatch.c: protocol detection and the per-exporter counters that
 * every protocol shares, so that each decoder deals only with its format. */
#include "decode/dispatch.h"

#include <stdbool.h>

#include "decode/ipfix.h"
#include "decode/netflow5.h"
#include "decode/netflow9.h"
#include "decode/sflow.h"

/* The protocol of a version field, or false. */
static bool detect_version(struct rd *r, enum flow_proto *proto)
{
    switch (rd_u16(r)) {
    case 5:
        *proto = FLOW_PROTO_NF5;
        return !r->bad;
    case 9:
        *proto = FLOW_PROTO_NF9;
        return !r->bad;
    case 10:
        *proto = FLOW_PROTO_IPFIX;
        return !r->bad;
    case 0:
        *proto = FLOW_PROTO_SFLOW;
        return rd_u16(r) == 5 && !r->bad;
    default:
        return false;
    }
}

enum dec_status dispatch_detect(const uint8_t *p, size_t len, enum flow_proto *proto)
{
    struct rd r = rd_init(p, len);
    if (detect_version(&r, proto))
        return DEC_OK;
    return len < 4 ? DEC_SHORT_HEADER : DEC_BAD_VERSION;
}

enum dec_status dispatch_datagram(struct dec_ctx *ctx, const uint8_t *p, size_t len)
{
    struct exporter *e = ctx->exp;
    enum flow_proto proto;
    enum dec_status st = dispatch_detect(p, len, &proto);
    if (st != DEC_OK) {
        dec_count(ctx, st);
        return st;
    }
    if (e->first_ms == 0)
        e->first_ms = ctx->arrival_ms;
    e->last_ms = ctx->arrival_ms;
    e->st.packets[proto]++;
    e->st.bytes[proto] += len;
    size_t before = ctx->out->n;
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
