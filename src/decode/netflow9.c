/* decode/netflow9.c: NetFlow version 9 (RFC 3954).
 *
 * This file reads what is particular to v9: the header, whose sysUptime and
 * wall clock turn the records' sysUptime stamps into absolute times, and the
 * template and options template records (flowsets 0 and 1). Data flowsets
 * are shared with IPFIX (flowfields.c).
 *
 * The header carries no length and its record count means different things
 * to different exporters (records, or flowsets), so the walk is bounded by
 * the datagram alone: a datagram cut short still yields every flowset it
 * holds whole, and the cut one is counted and contributes nothing. A bad
 * flowset is counted and skipped by its length; a template record that runs
 * past its flowset ends that flowset, any other bad template record is
 * counted and skipped. */
#include "decode/netflow9.h"

#include <assert.h>

#include "decode/flowfields.h"
#include "decode/templates.h"

#define NF9_MIN_SET_LEN     4u /* flowset header alone */
#define NF9_MIN_TPL_RECORD  4u /* template id + field count */
#define NF9_MIN_OPTS_RECORD 6u /* template id + scope length + options length */
#define NF9_FIELD_SPEC_LEN  4u /* type + length */

struct nf9_header {
    uint16_t version;
    uint16_t count;
    uint32_t uptime_ms;
    uint32_t unix_secs;
    uint32_t sequence;
    uint32_t source_id;
};

static enum dec_status nf9_read_header(struct rd *r, struct nf9_header *h)
{
    h->version = rd_u16(r);
    h->count = rd_u16(r);
    h->uptime_ms = rd_u32(r);
    h->unix_secs = rd_u32(r);
    h->sequence = rd_u32(r);
    h->source_id = rd_u32(r);
    if (r->bad)
        return DEC_SHORT_HEADER;
    if (h->version != NF9_VERSION)
        return DEC_BAD_VERSION;
    return DEC_OK;
}

/* Fields past TPL_MAX_FIELDS are read but not kept; tpl_put refuses them. */
static void nf9_read_fields(struct rd *r, size_t count, struct tpl_def *d)
{
    for (size_t i = 0; i < count && !r->bad; i++) {
        uint16_t type = rd_u16(r);
        uint16_t len = rd_u16(r);
        if (i < TPL_MAX_FIELDS)
            d->fields[i] = (struct ff_field){type, len, 0};
    }
}

/* RFC 3954 5.2: template id, field count, (type, length) pairs. v9 has no
 * withdrawal, so a field count of 0 is simply bad (tpl_put says so). */
static enum dec_status nf9_read_template(struct rd *set, struct tpl_def *d)
{
    d->id = rd_u16(set);
    d->nfields = rd_u16(set);
    d->nscope = 0;
    d->options = false;
    d->family = FF_FAMILY_V9;
    nf9_read_fields(set, d->nfields, d);
    return set->bad ? DEC_TPL_TRUNCATED : DEC_OK;
}

/* RFC 3954 6.1: template id, then the scope and option field lists' lengths
 * in bytes, then the lists. The lengths give the record's extent before its
 * fields are read, so a malformed one is skipped whole. */
static enum dec_status nf9_read_options_template(struct rd *set, struct tpl_def *d)
{
    d->id = rd_u16(set);
    uint16_t scope_len = rd_u16(set);
    uint16_t opts_len = rd_u16(set);
    struct rd body = rd_sub(set, (size_t)scope_len + opts_len);
    if (set->bad)
        return DEC_TPL_TRUNCATED;
    if (scope_len % NF9_FIELD_SPEC_LEN || opts_len % NF9_FIELD_SPEC_LEN)
        return DEC_TPL_FIELD_COUNT;
    d->nscope = scope_len / NF9_FIELD_SPEC_LEN;
    d->nfields = d->nscope + opts_len / NF9_FIELD_SPEC_LEN;
    d->options = true;
    d->family = FF_FAMILY_V9;
    nf9_read_fields(&body, d->nfields, d);
    return DEC_OK;
}

static void nf9_template_set(struct dec_ctx *ctx, uint32_t domain, struct rd *set, bool options)
{
    struct tpl_def d;
    size_t min = options ? NF9_MIN_OPTS_RECORD : NF9_MIN_TPL_RECORD;
    /* Fewer bytes than the shortest record are padding (RFC 3954 5.3). */
    while (set->left >= min) {
        enum dec_status st =
            options ? nf9_read_options_template(set, &d) : nf9_read_template(set, &d);
        if (st == DEC_OK)
            st = tpl_put(ctx->tpls, &ctx->exp->addr, domain, &d);
        if (st != DEC_OK)
            dec_count(ctx, st);
        if (st == DEC_TPL_TRUNCATED)
            return;
    }
}

static enum dec_status nf9_set(struct ff_env *env, uint16_t set_id, struct rd *set)
{
    switch (set_id) {
    case NF9_SET_TEMPLATE:
        nf9_template_set(env->ctx, env->domain, set, false);
        return DEC_OK;
    case NF9_SET_OPTIONS_TPL:
        nf9_template_set(env->ctx, env->domain, set, true);
        return DEC_OK;
    default:
        if (set_id < TPL_MIN_ID)
            return DEC_BAD_SET_ID;
        return ff_data_set(env, set_id, set);
    }
}

/* Fewer than 4 bytes after the last flowset are padding some exporters add
 * to the datagram. */
static void nf9_walk(struct ff_env *env, struct rd *r)
{
    while (r->left >= NF9_MIN_SET_LEN) {
        uint16_t set_id = rd_u16(r);
        uint16_t set_len = rd_u16(r);
        if (set_len < NF9_MIN_SET_LEN) {
            dec_count(env->ctx, DEC_BAD_SET_LENGTH);
            return;
        }
        struct rd set = rd_sub(r, set_len - NF9_MIN_SET_LEN);
        if (set.bad) {
            dec_count(env->ctx, DEC_SET_PAST_END);
            return;
        }
        enum dec_status st = nf9_set(env, set_id, &set);
        if (st != DEC_OK)
            dec_count(env->ctx, st);
    }
}

enum dec_status netflow9_decode(struct dec_ctx *ctx, const uint8_t *pkt, size_t len)
{
    assert(ctx->tpls);
    struct rd r = rd_init(pkt, len);
    struct nf9_header h;
    enum dec_status st = nf9_read_header(&r, &h);
    if (st != DEC_OK)
        return st;
    struct ff_env env = {
        .ctx = ctx,
        .domain = h.source_id,
        .export_ms = (uint64_t)h.unix_secs * 1000u,
        .v9 = true,
        .sys_uptime_ms = h.uptime_ms,
    };
    nf9_walk(&env, &r);
    return DEC_OK;
}
