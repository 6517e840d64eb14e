/* store/store_sqlite_int.h: what the two files of the SQLite backend share.
 *
 * store_sqlite.c opens and closes the store, prepares its statements and
 * writes batches (bins, rollups, monthly totals); store_sqlite_query.c
 * answers the queries; store_sqlite_prune.c deletes old rows. Nothing else includes this header:
 * callers use store_sqlite.h and the wrappers of store.h. */
#ifndef OF_STORE_STORE_SQLITE_INT_H
#define OF_STORE_STORE_SQLITE_INT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/cells.h"
#include "store/store_sqlite.h"
#include "util/hash.h"
#include "util/log.h"

/* af byte and 16 address bytes: the hosts.key column. */
#define STORE_SQLITE_KEY_LEN 17

/* The tables a series can be read from, finest first. */
enum store_sqlite_level {
    STORE_SQLITE_BINS,
    STORE_SQLITE_HOURS,
    STORE_SQLITE_DAYS,
    STORE_SQLITE_LEVELS
};

/* Statements prepared at open. Those that exist once per level (row
 * reads and writes, spans, series) are consecutive and in level order, so
 * that for instance ST_SPAN + level picks the level's. */
enum stmt_id {
    ST_BEGIN,
    ST_BEGIN_READ,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_HOST_ID,
    ST_HOST_ADD,
    ST_HOST_KEY,
    ST_HOST_MAX,
    ST_HOST_COUNT,
    ST_BIN_PUT,
    ST_HOUR_PUT,
    ST_DAY_PUT,
    ST_MONTH_PUT,
    ST_SPAN,
    ST_SPAN_HOURS,
    ST_SPAN_DAYS,
    ST_SERIES,
    ST_STEPS_HOURS,
    ST_STEPS_DAYS,
    ST_TRAFF_ALL,
    ST_TRAFF_ONE,
    ST_VERSION,
    ST_FREE_BYTES,
    ST_MARK_GET,
    ST_MARK_SET,
    ST_NEXT_BIN,
    ST_SEAL_HOURS,
    ST_SEAL_DAYS,
    ST_SEAL_MONTH,
    ST_ALL_ID,
    ST_OPEN_BINS,
    ST_MONTH_HOSTS,
    ST__COUNT
};

/* The levels prune may delete from (the bins and the hours), and the
 * statements it needs for each. */
#define STORE_SQLITE_PRUNE_LEVELS 2
#define STORE_SQLITE_PRUNE_STMTS  3

struct host_slot {
    struct of_addr a;
    int64_t id; /* 0: empty (SQLite hands out ids from 1) */
};

struct host_cache {
    struct hash_key key;
    struct host_slot *slots;
    size_t nslots; /* power of two */
    size_t n;
};

struct sqlite_store {
    struct store base; /* first, so that the ops can cast back */
    sqlite3 *db;
    char *path;
    bool readonly;
    sqlite3_stmt *st[ST__COUNT];
    /* The rankings' statements, one per level, prepared when first used:
     * only the HTTP server ranks. */
    sqlite3_stmt *top[STORE_SQLITE_LEVELS];
    /* Retention's statements (store_sqlite_prune.c), prepared when first
     * used: only the collector prunes. */
    sqlite3_stmt *prune[STORE_SQLITE_PRUNE_LEVELS][STORE_SQLITE_PRUNE_STMTS];
    struct host_cache hosts;
    struct log_limit log_limit;
    /* What of_add (the upserts' conflict clause) computed last, and whether
     * it ran for the latest write. */
    struct cells merged;
    bool merged_set;
    /* Rows whose blob did not decode, which writes replaced or left out of
     * the rollups (logged by the writer). */
    uint64_t damaged;
    struct log_limit log_damaged;
};

/* Length in seconds of a level's steps, and its table. */
int64_t store_sqlite_step(enum store_sqlite_level lv);
const char *store_sqlite_table(enum store_sqlite_level lv);

/* The start of the step of length step (> 0) that ts falls in. ts must be
 * at least INT64_MIN + step. */
int64_t store_sqlite_floor(int64_t ts, int64_t step);

/* a + b, stopping at BIN_COUNTER_MAX. Both must be at most INT64_MAX,
 * so that the sum cannot wrap. */
static inline uint64_t store_sqlite_sat_add(uint64_t a, uint64_t b)
{
    uint64_t sum = a + b;
    return sum > BIN_COUNTER_MAX ? BIN_COUNTER_MAX : sum;
}

/* A copy of a with the unused bytes of an IPv4 address zeroed, so that
 * equal addresses have equal bytes; -EINVAL for an unknown family. */
int store_sqlite_host_norm(const struct of_addr *a, struct of_addr *out);

/* The hosts.key of a normalized address. */
void store_sqlite_host_key(const struct of_addr *a, uint8_t key[STORE_SQLITE_KEY_LEN]);

/* year * 100 + month of the local time at ts: the month of the monthly
 * totals a bin starting at ts counts in. 0 or -EINVAL. */
int store_sqlite_month_of(int64_t ts, int32_t *ym);

/* The address of a hosts.key blob of len bytes; -EBADMSG when it is not
 * one. */
int store_sqlite_host_from_key(const void *blob, int len, struct of_addr *out);

/* Whether a is the pseudo host 0.0.0.0. */
bool store_sqlite_host_is_all(const struct of_addr *a);

/* The statement that reads the host and the counters (a cells blob) of
 * the rows of level lv with ts in [?1, ?2), a range of whole steps. The
 * store owns it. */
int store_sqlite_top_stmt(struct sqlite_store *s, enum store_sqlite_level lv, sqlite3_stmt **out);

/* Runs statement id, which returns at most one row of one integer: *out is
 * it, 0 when there is no row or it is NULL (host ids start at 1). 0 or a
 * negative errno. */
int store_sqlite_id(struct sqlite_store *s, enum stmt_id id, int64_t *out);

/* Steps a statement that returns no rows and resets it: 0, or a negative
 * errno (-EPROTO if it returned a row). */
int store_sqlite_run(struct sqlite_store *s, sqlite3_stmt *st);

/* The queries of the ops table (store_sqlite_query.c, the monthly totals
 * in store_sqlite_traff.c). */
int store_sqlite_get_series(struct store *base, const struct of_addr *host, int dir, int64_t from,
                            int64_t to, series_cb cb, void *arg);
int store_sqlite_get_traff(struct store *base, int year, int month, const struct of_addr *host,
                           traff_cb cb, void *arg);
int store_sqlite_get_steps(struct store *base, const struct of_addr *host, int dir, int64_t from,
                           int64_t to, enum store_step step, step_cb cb, void *arg);
int store_sqlite_get_top(struct store *base, int dir, int cls, int64_t from, int64_t to,
                         size_t limit, top_cb cb, void *arg);
int store_sqlite_get_info(struct store *base, struct store_info *out);

/* The rollup mark (store_sqlite_seal.c): the bins before *mark are in the
 * rollups, those from it on are not; *set is false while the store has no
 * mark (no bins yet). */
int store_sqlite_mark_get(struct sqlite_store *s, int64_t *mark, bool *set);

/* Adds the bins from the mark to SEAL_LAG_S before newest to the rollups
 * and the monthly totals and moves the mark past them; mark and set as store_sqlite_mark_get gave
 * them (a mark not set yet is set). Inside the writer's transaction. */
int store_sqlite_seal(struct sqlite_store *s, int64_t mark, bool set, int64_t newest);

/* Registers of_rollup and of_total, which the sealing statements and the
 * readers use, on s's connection. */
int store_sqlite_seal_init(struct sqlite_store *s);

/* The ops table's prune (store_sqlite_prune.c), and the release of its
 * statements at close. */
int store_sqlite_prune(struct store *base, enum store_step step, int64_t before, uint64_t max_rows,
                       uint64_t *deleted);
void store_sqlite_prune_fini(struct sqlite_store *s);

#endif
