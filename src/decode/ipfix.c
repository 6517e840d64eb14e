/* decode/ipfix.c: IPFIX messages (RFC 7011).
 *
 * This file reads what is particular to IPFIX: the message header, whose
 * length bounds the set walk (bytes past it are ignored), and the template
 * and options template records with their enterprise bit and withdrawals.
 * Data sets are shared with NetFlow v9 (flowfields.c), which also turns
 * RFC 5103 reverse counters into a second, reversed flow.
 *
 * Error policy: a bad header refuses the datagram before anything is
 * learned. A bad set is counted and skipped by its length, so one set an
 * exporter got wrong costs only that set. A template record that runs past
 * its set ends that set; any other bad template record is counted and
 * skipped, since its extent is known. */
#include "decode/ipfix.h"

#include <assert.h>

#include "decode/flowfields.h"
#include "decode/templates.h"

#define IPFIX_ENTERPRISE_BIT 0x8000u
#define IPFIX_MIN_SET_LEN    4u /* set header alone */
#define IPFIX_MIN_TPL_RECORD 4u /* template id + field count: a withdrawal */

struct ipfix_header {
    uint16_t version;
    uint16_t length;
    uint32_t export_s;
    uint32_t sequence;
    uint32_t domain;
};

static enum dec_status ipfix_read_header(struct rd *r, size_t len, struct ipfix_header *h)
{
    h->version = rd_u16(r);
    h->length = rd_u16(r);
    h->export_s = rd_u32(r);
    h->sequence = rd_u32(r);
    h->domain = rd_u32(r);
    if (r->bad)
        return DEC_SHORT_HEADER;
    if (h->version != IPFIX_VERSION)
        return DEC_BAD_VERSION;
    if (h->length < IPFIX_HEADER_LEN || h->length > len)
        return DEC_BAD_LENGTH;
    return DEC_OK;
}

/* Field specifiers (RFC 7011 3.2): id with the enterprise bit, length, and
 * the enterprise number when the bit is set. Fields past TPL_MAX_FIELDS are
 * read (to find the record's end) but not kept; tpl_put refuses them. */
static void ipfix_read_fields(struct rd *set, size_t count, struct tpl_def *d)
{
    for (size_t i = 0; i < count && !set->bad; i++) {
        uint16_t ie = rd_u16(set);
        uint16_t len = rd_u16(set);
        uint32_t pen = 0;
        if (ie & IPFIX_ENTERPRISE_BIT) {
            pen = rd_u32(set);
            ie &= (uint16_t)~IPFIX_ENTERPRISE_BIT;
        }
        if (i < TPL_MAX_FIELDS)
            d->fields[i] = (struct ff_field){ie, len, pen};
    }
}

/* One template record (3.4.1) or options template record (3.4.2.2). A field
 * count of 0 is a withdrawal (8.1), which has no scope field count. */
static enum dec_status ipfix_read_template(struct rd *set, bool options, struct tpl_def *d)
{
    d->id = rd_u16(set);
    d->nfields = rd_u16(set);
    d->nscope = 0;
    d->options = options;
    d->family = FF_FAMILY_IPFIX;
    if (options && d->nfields > 0)
        d->nscope = rd_u16(set);
    ipfix_read_fields(set, d->nfields, d);
    return set->bad ? DEC_TPL_TRUNCATED : DEC_OK;
}

/* RFC 7011 8.1: template id 2 in a template set (3 in an options template
 * set) withdraws all templates (all options templates) of the domain. */
static enum dec_status ipfix_withdraw(struct dec_ctx *ctx, uint32_t domain, const struct tpl_def *d)
{
    uint16_t all = d->options ? IPFIX_SET_OPTIONS_TPL : IPFIX_SET_TEMPLATE;
    if (d->id == all) {
        tpl_withdraw_all(ctx->tpls, &ctx->exp->addr, domain, d->options);
        return DEC_OK;
    }
    if (d->id < TPL_MIN_ID)
        return DEC_TPL_BAD_ID;
    tpl_withdraw(ctx->tpls, &ctx->exp->addr, domain, d->id);
    return DEC_OK;
}

static void ipfix_template_set(struct dec_ctx *ctx, uint32_t domain, struct rd *set, bool options)
{
    struct tpl_def d;
    /* Fewer bytes than the shortest record are padding (3.3.1). */
    while (set->left >= IPFIX_MIN_TPL_RECORD) {
        enum dec_status st = ipfix_read_template(set, options, &d);
        if (st == DEC_OK && d.nfields == 0)
            st = ipfix_withdraw(ctx, domain, &d);
        else if (st == DEC_OK)
            st = tpl_put(ctx->tpls, &ctx->exp->addr, domain, &d);
        if (st != DEC_OK)
            dec_count(ctx, st);
        if (st == DEC_TPL_TRUNCATED)
            return;
    }
}

static enum dec_status ipfix_set(struct ff_env *env, uint16_t set_id, struct rd *set)
{
    switch (set_id) {
    case IPFIX_SET_TEMPLATE:
        ipfix_template_set(env->ctx, env->domain, set, false);
        return DEC_OK;
    case IPFIX_SET_OPTIONS_TPL:
        ipfix_template_set(env->ctx, env->domain, set, true);
        return DEC_OK;
    default:
        if (set_id < TPL_MIN_ID)
            return DEC_BAD_SET_ID;
        return ff_data_set(env, set_id, set);
    }
}

/* RFC 7011 3.3.2: the set length counts its own 4-byte header, so anything
 * below 4 would make the walk stand still. Sets fill the message exactly, so
 * a short remainder is an error too, not padding. */
static void ipfix_walk(struct ff_env *env, struct rd *msg)
{
    while (msg->left > 0) {
        uint16_t set_id = rd_u16(msg);
        uint16_t set_len = rd_u16(msg);
        if (msg->bad || set_len < IPFIX_MIN_SET_LEN) {
            dec_count(env->ctx, DEC_BAD_SET_LENGTH);
            return;
        }
        struct rd set = rd_sub(msg, set_len - IPFIX_MIN_SET_LEN);
        if (set.bad) {
            dec_count(env->ctx, DEC_SET_PAST_END);
            return;
        }
        enum dec_status st = ipfix_set(env, set_id, &set);
        if (st != DEC_OK)
            dec_count(env->ctx, st);
    }
}

enum dec_status ipfix_decode(struct dec_ctx *ctx, const uint8_t *pkt, size_t len)
{
    assert(ctx->tpls);
    struct rd r = rd_init(pkt, len);
    struct ipfix_header h;
    enum dec_status st = ipfix_read_header(&r, len, &h);
    if (st != DEC_OK)
        return st;
    struct rd msg = rd_sub(&r, h.length - IPFIX_HEADER_LEN);
    struct ff_env env = {
        .ctx = ctx,
        .domain = h.domain,
        .export_ms = (uint64_t)h.export_s * 1000u,
        .v9 = false,
        .sys_init_ms = tpl_sys_init_ms(ctx->tpls, &ctx->exp->addr, h.domain),
    };
    ipfix_walk(&env, &msg);
    return DEC_OK;
}
