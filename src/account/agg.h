/* account/agg.h: per-host, per-bin counters in memory until they are stored.
 *
 * An agg turns flow records into (host, direction, 5-minute bin) rows of 12
 * class counters: it finds the local side(s), picks the classes, applies the
 * sampling rate, and spreads the record over the bins its times cover. Rows
 * leave for the store with agg_rows() and the agg is then reset. It grows
 * while its budget (the memory every agg of a collector shares, in bytes)
 * and cfg->max_entries allow; agg_needs_flush() says when to empty it
 * before it can grow no more, and updates that find it full are dropped and
 * counted. One per worker; not thread-safe, but a budget is. */
#ifndef OF_ACCOUNT_AGG_H
#define OF_ACCOUNT_AGG_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "account/bins.h"
#include "account/classify.h"
#include "account/nets.h"
#include "decode/flow.h"
#include "util/compiler.h"
#include "util/hash.h"

/* No counter goes past AGG_COUNTER_MAX (it saturates). A record that
 * claims more than AGG_RECORD_MAX bytes or packets after sampling (a week
 * of 10 Tbit/s) is not believed: it is counted as absurd and dropped. */
#define AGG_COUNTER_MAX BIN_COUNTER_MAX
#define AGG_RECORD_MAX  ((uint64_t)1 << 60)

/* Rows an agg may hold whatever its budget: its index counts rows in 32 bits. */
#define AGG_MAX_ROWS ((size_t)UINT32_MAX / 4)

struct agg_cfg {
    size_t max_entries;    /* rows held at most by one agg (MAX_ROWS) */
    uint32_t default_rate; /* SAMPLING_RATE: used when a record signals none */
    bool force_rate;       /* SAMPLING_FORCE: default_rate whatever is signalled (not sFlow) */
    uint32_t max_age_s;    /* flows that ended longer before arrival: clock is off */
    uint32_t max_future_s; /* flows that end later than arrival plus this: clock is off */
    uint32_t max_span_s;   /* longer flows are cut to their last max_span_s */
};

/* Defaults: AGG_MAX_ROWS rows, rate 100, not forced, 3600 s, 300 s, 86400 s. */
void agg_cfg_default(struct agg_cfg *cfg);

/* The memory the aggs of one collector may hold together (COUNTERS_MEMORY):
 * each charges its rows and index as it grows, and gives them back when
 * freed. An agg keeps what it grew to for reuse, so the budget bounds the
 * peak, not the average. */
struct agg_budget {
    atomic_size_t used; /* bytes held by the aggs that share it */
    size_t limit;       /* bytes; 0 = no limit */
};

void agg_budget_init(struct agg_budget *b, size_t limit);

/* What one row costs in memory, its share of the index included (about). */
size_t agg_row_bytes(void);

/* What the smallest agg takes from its budget, which agg_new charges. */
size_t agg_min_bytes(void);

struct agg_stats {
    uint64_t records;      /* records counted for at least one local host */
    uint64_t transit;      /* records with no local side (counted for nobody) */
    uint64_t clock_off;    /* records binned by arrival: their times were not sane */
    uint64_t span_clamped; /* records longer than max_span_s */
    uint64_t dropped_full; /* host updates lost because the agg was full */
    uint64_t absurd;       /* records with counters past AGG_RECORD_MAX */
};

struct agg;

/* budget may be NULL (only cfg->max_entries bounds the agg); it must
 * outlive the agg. NULL when out of memory or when the budget cannot hold
 * the smallest agg. */
struct agg *agg_new(const struct agg_cfg *cfg, struct agg_budget *budget,
                    const struct hash_key *key);
void agg_free(struct agg *a); /* accepts NULL; gives its memory back to the budget */

/* Accounts one record that arrived at arrival_ms (UNIX ms). sflow says
 * whether the record came from sFlow, whose per-sample rate is always
 * the true one (force_rate does not apply). */
void agg_add(struct agg *a, const struct nets *nets, const struct classifier *cls,
             const struct flow_rec *r, uint64_t arrival_ms, bool sflow, struct agg_stats *st);

/* The same for n records that arrived together; faster than one by one
 * (the memory waits of several records overlap). */
void agg_add_batch(struct agg *a, const struct nets *nets, const struct classifier *cls,
                   const struct flow_rec *recs, size_t n, uint64_t arrival_ms, bool sflow,
                   struct agg_stats *st);

/* Makes room for rows (up to the cap and what the budget allows) now, so
 * that adding them later never stops to grow the table: the writer sizes
 * an empty agg before handing it to a worker, whose receive loop must not
 * stall. 0 (with less room than asked when the budget had no more),
 * -ENOSPC when not one more row fits, or -ENOMEM. */
int agg_reserve(struct agg *a, size_t rows);

size_t agg_count(const struct agg *a);

/* True once the agg holds three quarters of the rows it could grow to. */
bool agg_needs_flush(const struct agg *a);

/* All rows, followed by one 0.0.0.0 row per (direction, bin) that sums them.
 * The rows belong to the agg and stay valid until agg_reset or agg_free.
 * 0 or -ENOMEM. */
OF_MUST_CHECK int agg_rows(struct agg *a, struct bin_batch *out);

/* Forgets every row; keeps the memory for reuse. */
void agg_reset(struct agg *a);

#endif
