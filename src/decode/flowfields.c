/* decode/flowfields.c: compiling templates and running them over data sets.
 *
 * A template is compiled into a list of ops, one per field we read and one
 * per variable-length field, each saying how many bytes of uninteresting
 * fixed-length fields to skip before it. Decoding a record is then a loop
 * over those few ops that drops integers into an array indexed by what they
 * mean, with a bit per meaning that says it was present. Turning those
 * values into a flow record (addresses, counters, times in whichever of the
 * many clock forms the exporter chose, the sampling rate) happens once per
 * record after the loop, in the same code for v9 and IPFIX.
 *
 * Options records never become flows: they carry the sampling rate of a
 * sampler or of the whole domain (v9 34/35, 48-50; IPFIX PSAMP 302, 305/306,
 * 309/310) and IPFIX systemInitTimeMilliseconds (160), the base of the
 * sysUpTime stamps 21/22 in IPFIX. */
#include "decode/flowfields.h"

#include <assert.h>

#include "decode/templates.h"

/* NTP seconds (era 0 starts in 1900) at the UNIX epoch. */
#define FF_NTP_UNIX_OFFSET 2208988800ull
/* RFC 4330 3: NTP seconds with the top bit clear are in era 1 (from 2036). */
#define FF_NTP_ERA1_BELOW 0x80000000ull
#define FF_NTP_ERA_SECS   0x100000000ull

enum ff_kind {
    FF_SKIP = 0,
    FF_SRC4,
    FF_DST4,
    FF_SRC6,
    FF_DST6,
    FF_SPORT,
    FF_DPORT,
    FF_PROTO,
    FF_BYTES,
    FF_PKTS,
    FF_BYTES_TOTAL,
    FF_PKTS_TOTAL,
    FF_REV_BYTES,
    FF_REV_PKTS,
    FF_REV_BYTES_TOTAL,
    FF_REV_PKTS_TOTAL,
    FF_START_UPTIME, /* ms since the exporter booted (21/22) */
    FF_END_UPTIME,
    FF_START_S,
    FF_END_S,
    FF_START_MS,
    FF_END_MS,
    FF_START_US, /* NTP format */
    FF_END_US,
    FF_START_NS, /* NTP format */
    FF_END_NS,
    FF_START_DELTA_US, /* microseconds before the export time */
    FF_END_DELTA_US,
    FF_SYS_INIT_MS,
    FF_SAMPLING_INTERVAL,
    FF_SAMPLER_RANDOM_INTERVAL,
    FF_SAMPLER_ID,
    FF_SELECTOR_ID,
    FF_PKT_INTERVAL,
    FF_PKT_SPACE,
    FF_SAMPLING_SIZE,
    FF_SAMPLING_POPULATION,
    FF__COUNT
};

_Static_assert(FF__COUNT <= 64, "presence bits are one uint64_t");

#define FF_BIT(k) (1ull << (k))

/* IE number -> kind, for enterprise 0 (IANA IPFIX registry; v9 agrees). */
static const uint8_t ff_iana[] = {
    [1] = FF_BYTES,
    [2] = FF_PKTS,
    [4] = FF_PROTO,
    [7] = FF_SPORT,
    [8] = FF_SRC4,
    [11] = FF_DPORT,
    [12] = FF_DST4,
    [21] = FF_END_UPTIME,
    [22] = FF_START_UPTIME,
    [27] = FF_SRC6,
    [28] = FF_DST6,
    [34] = FF_SAMPLING_INTERVAL,
    [48] = FF_SAMPLER_ID,
    [50] = FF_SAMPLER_RANDOM_INTERVAL,
    [85] = FF_BYTES_TOTAL,
    [86] = FF_PKTS_TOTAL,
    [150] = FF_START_S,
    [151] = FF_END_S,
    [152] = FF_START_MS,
    [153] = FF_END_MS,
    [154] = FF_START_US,
    [155] = FF_END_US,
    [156] = FF_START_NS,
    [157] = FF_END_NS,
    [158] = FF_START_DELTA_US,
    [159] = FF_END_DELTA_US,
    [160] = FF_SYS_INIT_MS,
    [302] = FF_SELECTOR_ID,
    [305] = FF_PKT_INTERVAL,
    [306] = FF_PKT_SPACE,
    [309] = FF_SAMPLING_SIZE,
    [310] = FF_SAMPLING_POPULATION,
};

/* Decoded values of one record: num[kind] is valid when bit kind of have is
 * set. Addresses live apart from the integers. */
struct ff_vals {
    uint64_t have;
    uint64_t num[FF__COUNT];
    uint8_t src4[4], dst4[4];
    uint8_t src6[16], dst6[16];
};

/* The first and the last packet's time fields, in order of preference. */
struct ff_clock_kinds {
    uint8_t ms, us, ns, s, uptime, delta;
};

static const struct ff_clock_kinds ff_start_kinds = {
    FF_START_MS, FF_START_US, FF_START_NS, FF_START_S, FF_START_UPTIME, FF_START_DELTA_US,
};
static const struct ff_clock_kinds ff_end_kinds = {
    FF_END_MS, FF_END_US, FF_END_NS, FF_END_S, FF_END_UPTIME, FF_END_DELTA_US,
};

static enum ff_kind ff_kind_of(uint16_t ie, uint32_t pen)
{
    if (pen == FF_PEN_REVERSE) {
        switch (ie) {
        case 1:
            return FF_REV_BYTES;
        case 2:
            return FF_REV_PKTS;
        case 85:
            return FF_REV_BYTES_TOTAL;
        case 86:
            return FF_REV_PKTS_TOTAL;
        default:
            return FF_SKIP;
        }
    }
    if (pen != 0 || ie >= OF_ARRAY_LEN(ff_iana))
        return FF_SKIP;
    return (enum ff_kind)ff_iana[ie];
}

/* A kind we can read at this length; other lengths are skipped rather than
 * misread (an IPv4 address is 4 bytes, NTP stamps 8, integers 1 to 8 in
 * reduced-size encoding). */
static enum ff_kind ff_kind_for_len(enum ff_kind k, uint16_t len)
{
    switch (k) {
    case FF_SKIP:
        return FF_SKIP;
    case FF_SRC4:
    case FF_DST4:
        return len == 4 ? k : FF_SKIP;
    case FF_SRC6:
    case FF_DST6:
        return len == 16 ? k : FF_SKIP;
    case FF_START_US:
    case FF_END_US:
    case FF_START_NS:
    case FF_END_NS:
        return len == 8 ? k : FF_SKIP;
    default:
        return len >= 1 && len <= 8 ? k : FF_SKIP;
    }
}

void ff_compile(const struct ff_field *fields, size_t n, size_t nscope, enum ff_family family,
                struct ff_op *ops, struct ff_prog *prog)
{
    size_t nops = 0, minlen = 0;
    uint32_t pending = 0;
    bool var = false;
    for (size_t i = 0; i < n; i++) {
        const struct ff_field *f = &fields[i];
        assert(f->len > 0);
        bool v9_scope = family == FF_FAMILY_V9 && i < nscope;
        enum ff_kind k = v9_scope ? FF_SKIP : ff_kind_of(f->ie, f->pen);
        if (f->len == FF_VARLEN) {
            ops[nops++] = (struct ff_op){pending, FF_VARLEN, FF_SKIP};
            pending = 0;
            var = true;
            minlen += 1;
            continue;
        }
        minlen += f->len;
        k = ff_kind_for_len(k, f->len);
        if (k == FF_SKIP) {
            pending += f->len;
            continue;
        }
        ops[nops++] = (struct ff_op){pending, f->len, (uint8_t)k};
        pending = 0;
    }
    /* A fixed-length record is read through a cursor of exactly its length,
     * so trailing fields need no op; a variable one must be walked to its
     * end to find the next record. */
    if (var && pending)
        ops[nops++] = (struct ff_op){pending, 0, FF_SKIP};
    assert(nops <= n + 1);
    prog->ops = ops;
    prog->nops = nops;
    prog->reclen = var ? 0 : minlen;
    prog->minlen = minlen;
    prog->options = false;
}

/* RFC 7011 7: a length below 255 in one byte, or 255 and two more bytes. */
static size_t ff_varlen(struct rd *r)
{
    size_t len = rd_u8(r);
    if (len == 255)
        len = rd_u16(r);
    return len;
}

static void ff_read(const struct ff_prog *p, struct rd *r, struct ff_vals *v)
{
    uint64_t have = 0;
    for (size_t i = 0; i < p->nops; i++) {
        const struct ff_op *op = &p->ops[i];
        if (op->skip)
            rd_skip(r, op->skip);
        size_t len = op->len == FF_VARLEN ? ff_varlen(r) : op->len;
        switch (op->kind) {
        case FF_SKIP:
            rd_skip(r, len);
            continue;
        case FF_SRC4:
            rd_copy(r, v->src4, 4);
            break;
        case FF_DST4:
            rd_copy(r, v->dst4, 4);
            break;
        case FF_SRC6:
            rd_copy(r, v->src6, 16);
            break;
        case FF_DST6:
            rd_copy(r, v->dst6, 16);
            break;
        default:
            v->num[op->kind] = rd_uint(r, len);
            break;
        }
        have |= FF_BIT(op->kind);
    }
    v->have = have;
}

static bool ff_has(const struct ff_vals *v, uint8_t k)
{
    return (v->have & FF_BIT(k)) != 0;
}

static bool ff_zero(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return false;
    return true;
}

/* Both addresses of one family, IPv4 first unless only its zero
 * placeholders are filled in a record that also has IPv6 addresses (dual
 * templates). False when the record has no address pair. */
static bool ff_addrs(const struct ff_vals *v, struct of_addr *src, struct of_addr *dst)
{
    uint64_t four = FF_BIT(FF_SRC4) | FF_BIT(FF_DST4);
    uint64_t six = FF_BIT(FF_SRC6) | FF_BIT(FF_DST6);
    bool has4 = (v->have & four) == four, has6 = (v->have & six) == six;
    if (has4 && has6 && ff_zero(v->src4, 4) && ff_zero(v->dst4, 4))
        has4 = false;
    if (has4) {
        addr_from_v4(src, v->src4);
        addr_from_v4(dst, v->dst4);
        return true;
    }
    if (has6) {
        addr_from_v6(src, v->src6);
        addr_from_v6(dst, v->dst6);
        return true;
    }
    return false;
}

/* RFC 7011 6.1.9/6.1.10: 32.32 NTP time to UNIX ms; 0 before the epoch. */
static uint64_t ff_ntp_ms(uint64_t ntp)
{
    uint64_t secs = ntp >> 32;
    uint64_t frac = ntp & 0xffffffffu;
    if (secs < FF_NTP_ERA1_BELOW)
        secs += FF_NTP_ERA_SECS;
    if (secs < FF_NTP_UNIX_OFFSET)
        return 0;
    return (secs - FF_NTP_UNIX_OFFSET) * 1000u + ((frac * 1000u) >> 32);
}

/* A sysUpTime stamp. v9: relative to the header's sysUptime and wall clock,
 * in uint32 arithmetic, so that an uptime wrap or an exporter whose uptime
 * starts after its flows (pmacct) still comes out right. IPFIX: relative to
 * systemInitTimeMilliseconds from the record itself or the domain's options;
 * unknown (0) without it. */
static uint64_t ff_uptime_ms(const struct ff_env *env, const struct ff_vals *v, uint64_t stamp)
{
    if (env->v9) {
        uint32_t ago = env->sys_uptime_ms - (uint32_t)stamp;
        return env->export_ms > ago ? env->export_ms - ago : 0;
    }
    uint64_t init = ff_has(v, FF_SYS_INIT_MS) ? v->num[FF_SYS_INIT_MS] : env->sys_init_ms;
    return init ? init + (uint32_t)stamp : 0;
}

static uint64_t ff_time(const struct ff_env *env, const struct ff_vals *v,
                        const struct ff_clock_kinds *k)
{
    if (ff_has(v, k->ms))
        return v->num[k->ms];
    if (ff_has(v, k->us))
        return ff_ntp_ms(v->num[k->us]);
    if (ff_has(v, k->ns))
        return ff_ntp_ms(v->num[k->ns]);
    if (ff_has(v, k->s))
        return v->num[k->s] * 1000u;
    if (ff_has(v, k->uptime))
        return ff_uptime_ms(env, v, v->num[k->uptime]);
    if (ff_has(v, k->delta)) {
        uint64_t ago = v->num[k->delta] / 1000u;
        return env->export_ms > ago ? env->export_ms - ago : 0;
    }
    return 0;
}

static uint32_t ff_clamp_rate(uint64_t rate)
{
    return rate > UINT32_MAX ? UINT32_MAX : (uint32_t)rate;
}

/* The 1-in-N rate the record itself states, 0 when none: v9/IPFIX sampling
 * interval, v9 random sampler interval, PSAMP (interval + space) / interval
 * (written 1 + space / interval, which cannot overflow) and population /
 * size. */
static uint32_t ff_stated_rate(const struct ff_vals *v)
{
    if (ff_has(v, FF_SAMPLING_INTERVAL) && v->num[FF_SAMPLING_INTERVAL])
        return ff_clamp_rate(v->num[FF_SAMPLING_INTERVAL]);
    if (ff_has(v, FF_SAMPLER_RANDOM_INTERVAL) && v->num[FF_SAMPLER_RANDOM_INTERVAL])
        return ff_clamp_rate(v->num[FF_SAMPLER_RANDOM_INTERVAL]);
    if (ff_has(v, FF_PKT_INTERVAL) && v->num[FF_PKT_INTERVAL]) {
        uint64_t space = ff_has(v, FF_PKT_SPACE) ? v->num[FF_PKT_SPACE] : 0;
        return ff_clamp_rate(1u + space / v->num[FF_PKT_INTERVAL]);
    }
    if (ff_has(v, FF_SAMPLING_SIZE) && ff_has(v, FF_SAMPLING_POPULATION) &&
        v->num[FF_SAMPLING_SIZE] && v->num[FF_SAMPLING_POPULATION] >= v->num[FF_SAMPLING_SIZE])
        return ff_clamp_rate(v->num[FF_SAMPLING_POPULATION] / v->num[FF_SAMPLING_SIZE]);
    return 0;
}

/* The record's sampler (v9 FLOW_SAMPLER_ID / IPFIX samplerId, or PSAMP
 * selectorId), or EXPORTER_ANY_SAMPLER. Ids are narrowed to 32 bits, and
 * the one id that would read as "any" is moved next to it. */
static uint32_t ff_sampler(const struct ff_vals *v)
{
    uint64_t id;
    if (ff_has(v, FF_SAMPLER_ID))
        id = v->num[FF_SAMPLER_ID];
    else if (ff_has(v, FF_SELECTOR_ID))
        id = v->num[FF_SELECTOR_ID];
    else
        return EXPORTER_ANY_SAMPLER;
    return id >= EXPORTER_ANY_SAMPLER ? EXPORTER_ANY_SAMPLER - 1 : (uint32_t)id;
}

static uint32_t ff_record_rate(const struct ff_env *env, const struct ff_vals *v,
                               uint32_t domain_rate)
{
    uint32_t rate = ff_stated_rate(v);
    if (rate)
        return rate;
    uint32_t sampler = ff_sampler(v);
    if (sampler == EXPORTER_ANY_SAMPLER)
        return domain_rate;
    return exporter_rate(env->ctx->exp, env->domain, sampler);
}

static uint64_t ff_counter(const struct ff_vals *v, uint8_t delta, uint8_t total)
{
    if (ff_has(v, delta))
        return v->num[delta];
    return ff_has(v, total) ? v->num[total] : 0;
}

static void ff_fill(const struct ff_env *env, const struct ff_vals *v, uint32_t domain_rate,
                    struct flow_rec *f)
{
    f->bytes = ff_counter(v, FF_BYTES, FF_BYTES_TOTAL);
    f->packets = ff_counter(v, FF_PKTS, FF_PKTS_TOTAL);
    f->proto = ff_has(v, FF_PROTO) ? (uint8_t)v->num[FF_PROTO] : 0;
    /* ICMP type and code are not ports, whatever field carried them. */
    if (f->proto != 1 && f->proto != 58) {
        f->sport = ff_has(v, FF_SPORT) ? (uint16_t)v->num[FF_SPORT] : 0;
        f->dport = ff_has(v, FF_DPORT) ? (uint16_t)v->num[FF_DPORT] : 0;
    }
    f->start_ms = ff_time(env, v, &ff_start_kinds);
    f->end_ms = ff_time(env, v, &ff_end_kinds);
    if (!f->start_ms)
        f->start_ms = f->end_ms;
    if (!f->end_ms)
        f->end_ms = f->start_ms;
    f->sampling = ff_record_rate(env, v, domain_rate);
}

/* RFC 5103: a biflow record's reverse counters are a second flow, the
 * other way. Only when it carried traffic. */
static enum dec_status ff_emit_reverse(const struct ff_vals *v, struct flow_batch *out, size_t fwd)
{
    uint64_t bytes = ff_counter(v, FF_REV_BYTES, FF_REV_BYTES_TOTAL);
    uint64_t packets = ff_counter(v, FF_REV_PKTS, FF_REV_PKTS_TOTAL);
    if (bytes == 0 && packets == 0)
        return DEC_OK;
    struct flow_rec *r = flow_batch_push(out);
    if (!r)
        return DEC_TOO_MANY_RECORDS;
    const struct flow_rec *f = &out->recs[fwd];
    *r = *f;
    r->src = f->dst;
    r->dst = f->src;
    r->sport = f->dport;
    r->dport = f->sport;
    r->bytes = bytes;
    r->packets = packets;
    return DEC_OK;
}

static enum dec_status ff_emit(const struct ff_env *env, const struct ff_vals *v,
                               uint32_t domain_rate)
{
    struct flow_batch *out = env->ctx->out;
    struct of_addr src, dst;
    if (!ff_addrs(v, &src, &dst))
        return DEC_NOT_IP;
    struct flow_rec *f = flow_batch_push(out);
    if (!f)
        return DEC_TOO_MANY_RECORDS;
    f->src = src;
    f->dst = dst;
    ff_fill(env, v, domain_rate, f);
    return ff_emit_reverse(v, out, out->n - 1);
}

/* The next record of a data set: a cursor of the template's length, or for a
 * variable-length template the set cursor itself, walked. Returns false at
 * the end of the set (what is left is padding, RFC 7011 3.3.1). */
static bool ff_next(const struct ff_prog *p, struct rd *set, struct ff_vals *v, bool *truncated)
{
    if (set->left < p->minlen || set->left == 0)
        return false;
    if (p->reclen) {
        struct rd rec = rd_sub(set, p->reclen);
        ff_read(p, &rec, v);
        return true;
    }
    ff_read(p, set, v);
    *truncated = set->bad;
    return !set->bad;
}

static enum dec_status ff_flow_set(struct ff_env *env, const struct ff_prog *p, struct rd *set)
{
    struct flow_batch *out = env->ctx->out;
    size_t mark = out->n;
    uint32_t domain_rate = exporter_rate(env->ctx->exp, env->domain, EXPORTER_ANY_SAMPLER);
    /* Zeroed once per set, not per record: the presence bits say what a
     * record set, and stale values are never read. */
    struct ff_vals v = {0};
    bool truncated = false;
    while (ff_next(p, set, &v, &truncated)) {
        enum dec_status st = ff_emit(env, &v, domain_rate);
        if (st == DEC_NOT_IP) {
            dec_count(env->ctx, st);
        } else if (st != DEC_OK) {
            out->n = mark;
            return st;
        }
    }
    if (truncated) {
        out->n = mark;
        return DEC_RECORD_TRUNCATED;
    }
    return DEC_OK;
}

static void ff_apply_options(struct ff_env *env, const struct ff_vals *v)
{
    struct dec_ctx *ctx = env->ctx;
    uint32_t rate = ff_stated_rate(v);
    if (rate)
        (void)exporter_set_rate(ctx->exp, env->domain, ff_sampler(v), rate);
    if (ff_has(v, FF_SYS_INIT_MS) && v->num[FF_SYS_INIT_MS]) {
        uint64_t init = v->num[FF_SYS_INIT_MS];
        if (tpl_set_sys_init_ms(ctx->tpls, &ctx->exp->addr, env->domain, init) != DEC_OK)
            dec_count(ctx, DEC_TPL_LIMIT);
        env->sys_init_ms = init;
    }
}

/* Options records change exporter state, which cannot be rolled back, so the
 * set is walked once to check that every record is whole before any is
 * applied. */
static enum dec_status ff_options_set(struct ff_env *env, const struct ff_prog *p, struct rd *set)
{
    struct ff_vals v = {0};
    bool truncated = false;
    struct rd check = *set;
    while (ff_next(p, &check, &v, &truncated))
        ;
    if (truncated)
        return DEC_RECORD_TRUNCATED;
    while (ff_next(p, set, &v, &truncated))
        ff_apply_options(env, &v);
    return DEC_OK;
}

enum dec_status ff_data_set(struct ff_env *env, uint16_t set_id, struct rd *set)
{
    struct dec_ctx *ctx = env->ctx;
    const struct ff_prog *p = tpl_get(ctx->tpls, &ctx->exp->addr, env->domain, set_id);
    if (!p)
        return DEC_NO_TEMPLATE;
    if (p->options)
        return ff_options_set(env, p, set);
    return ff_flow_set(env, p, set);
}
