/* account/agg.c: the in-memory counters.
 *
 * Rows live in one dense array (so that handing them to the store is a
 * pointer, not a copy) behind an open-addressing index keyed by SipHash of
 * (host, direction, bin). Both grow by doubling up to the configured cap; no
 * memory is allocated per record.
 *
 * A record that spans several bins is split in proportion to the time it
 * spent in each, in milliseconds, with cumulative rounding: bin i gets
 * floor(B * t_i / d) - floor(B * t_(i-1) / d), where t_i is the time from
 * the start to the end of bin i. The parts add up to B exactly, and no bin
 * gets more than its share plus one. */
#include "account/agg.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define AGG_MIN_ROWS 1024
#define BIN_MS       ((uint64_t)BIN_SECONDS * 1000u)

static int agg_resize(struct agg *a, size_t cap, bool forced);

__extension__ typedef unsigned __int128 agg_u128;

struct agg {
    struct agg_cfg cfg;
    struct agg_budget *budget; /* NULL: none */
    size_t bytes;              /* of rows and slots, as charged to the budget */
    struct hash_key key;
    struct bin_row *rows; /* host rows, then (after agg_rows) the 0.0.0.0 rows */
    size_t n;             /* host rows */
    size_t cap;           /* rows allocated */
    uint32_t *slots;      /* row index + 1; 0 = empty */
    size_t nslots;        /* power of two, 2 * cap */
    struct bin_row *totals;
    size_t ntotals;
    size_t totals_cap;
};

void agg_cfg_default(struct agg_cfg *cfg)
{
    cfg->max_entries = AGG_MAX_ROWS;
    cfg->default_rate = 100;
    cfg->force_rate = false;
    cfg->max_age_s = 3600;
    cfg->max_future_s = 300;
    cfg->max_span_s = 86400;
}

void agg_budget_init(struct agg_budget *b, size_t limit)
{
    atomic_init(&b->used, 0);
    b->limit = limit;
}

/* Takes n bytes from the budget: always when forced, else only if they fit. */
static bool budget_take(struct agg_budget *b, size_t n, bool forced)
{
    if (!b)
        return true;
    size_t used = atomic_load(&b->used);
    do {
        if (!forced && b->limit && (used > b->limit || n > b->limit - used))
            return false;
    } while (!atomic_compare_exchange_weak(&b->used, &used, used + n));
    return true;
}

static void budget_give(struct agg_budget *b, size_t n)
{
    if (b)
        atomic_fetch_sub(&b->used, n);
}

/* Bytes the budget has left, SIZE_MAX when unlimited. */
static size_t budget_left(struct agg_budget *b)
{
    if (!b || !b->limit)
        return SIZE_MAX;
    size_t used = atomic_load(&b->used);
    return used < b->limit ? b->limit - used : 0;
}

static size_t slots_for(size_t cap)
{
    size_t nslots = 16;
    while (nslots < 2 * cap)
        nslots *= 2;
    return nslots;
}

static size_t bytes_for(size_t cap)
{
    return cap * sizeof(struct bin_row) + slots_for(cap) * sizeof(uint32_t);
}

size_t agg_row_bytes(void)
{
    return sizeof(struct bin_row) + 3 * sizeof(uint32_t); /* 2 to 4 slots a row */
}

size_t agg_min_bytes(void)
{
    return bytes_for(AGG_MIN_ROWS);
}

struct agg *agg_new(const struct agg_cfg *cfg, struct agg_budget *budget,
                    const struct hash_key *key)
{
    struct agg *a = calloc(1, sizeof(*a));
    if (!a)
        return NULL;
    a->cfg = *cfg;
    if (a->cfg.max_entries < AGG_MIN_ROWS)
        a->cfg.max_entries = AGG_MIN_ROWS;
    if (a->cfg.max_entries > AGG_MAX_ROWS)
        a->cfg.max_entries = AGG_MAX_ROWS;
    a->budget = budget;
    a->key = *key;
    if (agg_resize(a, AGG_MIN_ROWS, false) < 0) {
        agg_free(a);
        return NULL;
    }
    return a;
}

void agg_free(struct agg *a)
{
    if (!a)
        return;
    budget_give(a->budget, a->bytes);
    free(a->rows);
    free(a->slots);
    free(a->totals);
    free(a);
}

static uint64_t row_hash(const struct agg *a, const struct of_addr *host, uint8_t dir, int64_t ts)
{
    uint8_t k[sizeof(*host) + 1 + 8];
    memcpy(k, host, sizeof(*host));
    k[sizeof(*host)] = dir;
    memcpy(k + sizeof(*host) + 1, &ts, 8);
    return hash_siphash13(&a->key, k, sizeof(k));
}

static void slot_insert(struct agg *a, size_t row)
{
    const struct bin_row *r = &a->rows[row];
    size_t mask = a->nslots - 1;
    size_t i = (size_t)row_hash(a, &r->host, r->dir, r->ts) & mask;
    while (a->slots[i] != 0)
        i = (i + 1) & mask;
    a->slots[i] = (uint32_t)(row + 1);
}

/* Makes room for cap rows and rebuilds the index (a power of two of at
 * least twice the rows, so probes stay short). The growth is charged to the
 * budget first: -ENOSPC when it does not fit, unless forced. */
static int agg_resize(struct agg *a, size_t cap, bool forced)
{
    size_t want = bytes_for(cap);
    size_t more = want > a->bytes ? want - a->bytes : 0;
    if (!budget_take(a->budget, more, forced))
        return -ENOSPC;
    struct bin_row *rows = realloc(a->rows, cap * sizeof(*rows));
    uint32_t *slots = rows ? calloc(slots_for(cap), sizeof(*slots)) : NULL;
    if (!slots) {
        if (rows)
            a->rows = rows;
        budget_give(a->budget, more);
        return -ENOMEM;
    }
    a->rows = rows;
    free(a->slots);
    a->slots = slots;
    a->nslots = slots_for(cap);
    a->cap = cap;
    budget_give(a->budget, a->bytes + more - want);
    a->bytes = want;
    for (size_t r = 0; r < a->n; r++)
        slot_insert(a, r);
    return 0;
}

/* Grows to up to cap rows: all of them when the budget allows, else as
 * many more as it does. 0, -ENOSPC when not one more row fits, or -ENOMEM. */
static int agg_grow(struct agg *a, size_t cap)
{
    while (cap > a->cap) {
        int rc = agg_resize(a, cap, false);
        if (rc != -ENOSPC)
            return rc;
        cap = a->cap + (cap - a->cap) / 2;
    }
    return -ENOSPC;
}

static int agg_double(struct agg *a)
{
    size_t cap = a->cap * 2;
    if (cap > a->cfg.max_entries)
        cap = a->cfg.max_entries;
    return agg_grow(a, cap);
}

/* The row of (host, dir, ts) whose row_hash is h, created empty on first
 * use; NULL when full. */
static struct bin_row *agg_row(struct agg *a, const struct of_addr *host, uint8_t dir, int64_t ts,
                               uint64_t h)
{
    size_t mask = a->nslots - 1;
    size_t i = (size_t)h & mask;
    for (; a->slots[i] != 0; i = (i + 1) & mask) {
        struct bin_row *r = &a->rows[a->slots[i] - 1];
        if (r->ts == ts && r->dir == dir && addr_equal(&r->host, host))
            return r;
    }
    if (a->n == a->cap) {
        if (agg_double(a) < 0)
            return NULL;
        return agg_row(a, host, dir, ts, h);
    }
    struct bin_row *r = &a->rows[a->n];
    memset(r, 0, sizeof(*r));
    r->host = *host;
    r->dir = dir;
    r->ts = ts;
    a->slots[i] = (uint32_t)(++a->n);
    return r;
}

static uint64_t sat_mul(uint64_t v, uint32_t rate)
{
    agg_u128 p = (agg_u128)v * rate;
    return p > AGG_COUNTER_MAX ? AGG_COUNTER_MAX : (uint64_t)p;
}

/* Counters stop at AGG_COUNTER_MAX instead of wrapping, so that a sender
 * that lies about its counters cannot turn a total into a small number, and
 * every value fits the store's signed 64-bit integers. */
static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a > AGG_COUNTER_MAX - b ? AGG_COUNTER_MAX : a + b;
}

/* What one host side of a record adds: where, the classes, the counters,
 * the time span, and the hash of its first bin's row (computed early so the
 * row can be prefetched while other records are prepared). */
struct side {
    const struct of_addr *host;
    uint8_t dir;
    uint8_t classes[3];
    uint8_t nclasses;
    uint64_t bytes;
    uint64_t packets;
    uint64_t start_ms;
    uint64_t end_ms;
    uint64_t hash;
};

static int64_t bin_ts(uint64_t ms)
{
    return (int64_t)(ms / BIN_MS * BIN_SECONDS);
}

/* 0, or -ENOSPC when the row is new and the agg is full. */
static int add_to_bin(struct agg *a, const struct side *s, int64_t ts, uint64_t h, uint64_t bytes,
                      uint64_t packets)
{
    struct bin_row *r = agg_row(a, s->host, s->dir, ts, h);
    if (!r)
        return -ENOSPC;
    for (size_t i = 0; i < s->nclasses; i++) {
        r->bytes[s->classes[i]] = sat_add(r->bytes[s->classes[i]], bytes);
        r->packets[s->classes[i]] = sat_add(r->packets[s->classes[i]], packets);
    }
    return 0;
}

/* Spreads a side over the bins of [start_ms, end_ms]. 0, or -ENOSPC when
 * a bin did not fit (the others are still added). */
static int add_side(struct agg *a, const struct side *s)
{
    uint64_t first = s->start_ms / BIN_MS, last = s->end_ms / BIN_MS;
    if (first == last)
        return add_to_bin(a, s, bin_ts(s->start_ms), s->hash, s->bytes, s->packets);
    uint64_t dur = s->end_ms - s->start_ms;
    uint64_t done_b = 0, done_p = 0;
    int rc = 0;
    for (uint64_t b = first; b <= last; b++) {
        int64_t ts = (int64_t)(b * BIN_SECONDS);
        uint64_t upto = b == last ? dur : (b + 1) * BIN_MS - s->start_ms;
        uint64_t cum_b = (uint64_t)((agg_u128)s->bytes * upto / dur);
        uint64_t cum_p = (uint64_t)((agg_u128)s->packets * upto / dur);
        uint64_t h = b == first ? s->hash : row_hash(a, s->host, s->dir, ts);
        if (add_to_bin(a, s, ts, h, cum_b - done_b, cum_p - done_p) < 0)
            rc = -ENOSPC;
        done_b = cum_b;
        done_p = cum_p;
    }
    return rc;
}

/* Picks the times a record is binned by: its own when they are sane,
 * otherwise its arrival. */
static void record_times(const struct agg *a, const struct flow_rec *r, uint64_t arrival_ms,
                         uint64_t *start, uint64_t *end, struct agg_stats *st)
{
    uint64_t s = r->start_ms, e = r->end_ms;
    if (e == 0) { /* the protocol carries no flow times (sFlow) */
        *start = *end = arrival_ms;
        return;
    }
    if (e + (uint64_t)a->cfg.max_age_s * 1000u < arrival_ms ||
        e > arrival_ms + (uint64_t)a->cfg.max_future_s * 1000u) {
        st->clock_off++;
        *start = *end = arrival_ms;
        return;
    }
    if (s == 0 || s > e)
        s = e;
    if (e - s > (uint64_t)a->cfg.max_span_s * 1000u) {
        st->span_clamped++;
        s = e - (uint64_t)a->cfg.max_span_s * 1000u;
    }
    *start = s;
    *end = e;
}

static void side_init(struct agg *a, struct side *s, const struct of_addr *host, uint8_t dir,
                      enum traffic_class proto_cls, enum traffic_class port_cls)
{
    s->host = host;
    s->dir = dir;
    s->nclasses = 0;
    s->classes[s->nclasses++] = CLASS_TOTAL;
    if (proto_cls != CLASS_TOTAL)
        s->classes[s->nclasses++] = (uint8_t)proto_cls;
    if (port_cls != CLASS_TOTAL)
        s->classes[s->nclasses++] = (uint8_t)port_cls;
    s->hash = row_hash(a, host, dir, bin_ts(s->start_ms));
    __builtin_prefetch(&a->slots[(size_t)s->hash & (a->nslots - 1)]);
}

/* Everything about a record short of touching its rows: which sides are
 * local, the rate, the times, the classes. Returns how many sides (0-2)
 * were written to out. */
static size_t resolve(struct agg *a, const struct nets *nets, const struct classifier *cls,
                      const struct flow_rec *r, uint64_t arrival_ms, bool sflow,
                      struct agg_stats *st, struct side out[2])
{
    bool src_local = nets_lookup(nets, &r->src) >= 0;
    bool dst_local = nets_lookup(nets, &r->dst) >= 0;
    if (!src_local && !dst_local) {
        st->transit++;
        return 0;
    }
    uint32_t rate = a->cfg.default_rate;
    if (r->sampling && (sflow || !a->cfg.force_rate))
        rate = r->sampling;
    uint64_t bytes = sat_mul(r->bytes, rate), packets = sat_mul(r->packets, rate);
    if (bytes > AGG_RECORD_MAX || packets > AGG_RECORD_MAX) {
        st->absurd++;
        return 0;
    }
    uint64_t start, end;
    record_times(a, r, arrival_ms, &start, &end, st);
    enum traffic_class pc = classify_proto(r->proto);
    size_t n = 0;
    for (size_t k = 0; k < 2; k++) {
        out[k].bytes = bytes;
        out[k].packets = packets;
        out[k].start_ms = start;
        out[k].end_ms = end;
    }
    if (dst_local) /* R: the remote side is the source */
        side_init(a, &out[n++], &r->dst, DIR_R, pc, classify_port(cls, r->proto, r->sport));
    if (src_local) /* S: the remote side is the destination */
        side_init(a, &out[n++], &r->src, DIR_S, pc, classify_port(cls, r->proto, r->dport));
    st->records++;
    return n;
}

static void apply(struct agg *a, const struct side *s, size_t n, struct agg_stats *st)
{
    for (size_t k = 0; k < n; k++)
        if (add_side(a, &s[k]) < 0)
            st->dropped_full++;
}

void agg_add(struct agg *a, const struct nets *nets, const struct classifier *cls,
             const struct flow_rec *r, uint64_t arrival_ms, bool sflow, struct agg_stats *st)
{
    struct side s[2];
    size_t n = resolve(a, nets, cls, r, arrival_ms, sflow, st, s);
    apply(a, s, n, st);
}

/* Records land on rows scattered over a table far larger than the caches,
 * so adding them one by one waits on memory for every row. In groups of
 * AGG_BATCH: prepare all (their index slots prefetched meanwhile), then
 * prefetch the rows the slots point at, then add; the waits overlap. */
#define AGG_BATCH 16

static void prefetch_row(const struct agg *a, const struct side *s)
{
    uint32_t idx = a->slots[(size_t)s->hash & (a->nslots - 1)];
    if (!idx)
        return;
    const char *row = (const char *)&a->rows[idx - 1];
    for (size_t off = 0; off < sizeof(struct bin_row); off += 64)
        __builtin_prefetch(row + off);
}

void agg_add_batch(struct agg *a, const struct nets *nets, const struct classifier *cls,
                   const struct flow_rec *recs, size_t n, uint64_t arrival_ms, bool sflow,
                   struct agg_stats *st)
{
    struct side sides[2 * AGG_BATCH];
    for (size_t i = 0; i < n; i += AGG_BATCH) {
        size_t m = n - i < AGG_BATCH ? n - i : AGG_BATCH, ns = 0;
        for (size_t k = 0; k < m; k++)
            ns += resolve(a, nets, cls, &recs[i + k], arrival_ms, sflow, st, &sides[ns]);
        for (size_t k = 0; k < ns; k++)
            prefetch_row(a, &sides[k]);
        apply(a, sides, ns, st);
    }
}

int agg_reserve(struct agg *a, size_t rows)
{
    if (rows <= a->cap)
        return 0;
    /* At least double: a table sized exactly for each write's rows would be
     * resized at nearly every write, rebuilding its index in new memory
     * that the worker then faults in page by page. */
    if (rows < 2 * a->cap)
        rows = 2 * a->cap;
    if (rows > a->cfg.max_entries)
        rows = a->cfg.max_entries;
    if (rows <= a->cap)
        return 0;
    return agg_grow(a, rows);
}

size_t agg_count(const struct agg *a)
{
    return a->n;
}

bool agg_needs_flush(const struct agg *a)
{
    size_t most = a->cfg.max_entries;
    size_t left = budget_left(a->budget);
    if (left != SIZE_MAX && a->cap + left / agg_row_bytes() < most)
        most = a->cap + left / agg_row_bytes();
    return a->n >= most / 4 * 3;
}

/* The 0.0.0.0 row of (dir, ts) among the totals built so far. Totals are
 * few (two directions times the bins seen), so a linear probe over a small
 * open-addressing table is built per export. */
static struct bin_row *total_row(struct agg *a, uint32_t *idx, size_t nidx, uint8_t dir, int64_t ts)
{
    size_t mask = nidx - 1;
    size_t i =
        (size_t)(((uint64_t)ts / BIN_SECONDS) * 2 + dir) * 0x9e3779b97f4a7c15ULL >> 20 & mask;
    for (; idx[i] != 0; i = (i + 1) & mask) {
        struct bin_row *t = &a->totals[idx[i] - 1];
        if (t->ts == ts && t->dir == dir)
            return t;
    }
    struct bin_row *t = &a->totals[a->ntotals];
    memset(t, 0, sizeof(*t));
    t->host.af = ADDR_V4;
    t->dir = dir;
    t->ts = ts;
    idx[i] = (uint32_t)(++a->ntotals);
    return t;
}

int agg_rows(struct agg *a, struct bin_batch *out)
{
    /* Every host row could be in a bin of its own: size for the worst case. */
    if (a->totals_cap < a->n) {
        struct bin_row *t = realloc(a->totals, a->n * sizeof(*t));
        if (!t)
            return -ENOMEM;
        a->totals = t;
        a->totals_cap = a->n;
    }
    size_t nidx = 16;
    while (nidx < 2 * a->n)
        nidx *= 2;
    uint32_t *idx = calloc(nidx, sizeof(*idx));
    if (!idx)
        return -ENOMEM;
    a->ntotals = 0;
    for (size_t i = 0; i < a->n; i++) {
        const struct bin_row *r = &a->rows[i];
        struct bin_row *t = total_row(a, idx, nidx, r->dir, r->ts);
        for (size_t c = 0; c < CLASS__COUNT; c++) {
            t->bytes[c] = sat_add(t->bytes[c], r->bytes[c]);
            t->packets[c] = sat_add(t->packets[c], r->packets[c]);
        }
    }
    free(idx);
    /* Hand out one contiguous array: host rows, then totals. */
    /* The totals are few: they may go past the budget rather than fail. */
    if (a->cap < a->n + a->ntotals && agg_resize(a, a->n + a->ntotals, true) < 0)
        return -ENOMEM;
    if (a->ntotals) /* totals is NULL until the first non-empty export */
        memcpy(a->rows + a->n, a->totals, a->ntotals * sizeof(*a->totals));
    out->rows = a->rows;
    out->n = a->n + a->ntotals;
    return 0;
}

void agg_reset(struct agg *a)
{
    memset(a->slots, 0, a->nslots * sizeof(*a->slots));
    a->n = 0;
    a->ntotals = 0;
}
