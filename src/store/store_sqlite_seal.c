/* store/store_sqlite_seal.c: adding each bin to the rollups and the monthly
 * totals once.
 *
 * A bin is written every FLUSH_INTERVAL while it fills, and late flows
 * write to it for a while after it ended. Adding every one of those writes
 * to the hourly and daily rollups made each write three upserts per row.
 * The monthly totals took one more upsert per host and write. Instead,
 * rollup_mark (schema.c, version 4) divides the bins: those before the mark
 * are in the rollups and the monthly totals, those from it on are not yet.
 * The writer seals a bin (adds it whole to its hour, its day and its
 * month, one statement each over the bin's rows) once it lies SEAL_LAG_S
 * before the newest bin of a batch, and moves the mark past it; a write to
 * a bin before the mark (a late flow) adds to them at once, as every write
 * used to. So they are written once per bin instead of once per write, and
 * bins, rollups, monthly totals and the mark change in the writer's one
 * transaction.
 *
 * Readers of a rollup or of the monthly totals add the bins from the mark
 * on themselves (store_sqlite_query.c, store_sqlite_traff.c): the few
 * minutes of bins after it.
 *
 * A bin whose blob does not decode (a damaged or hand-edited file) is left
 * out of the rollups and counted in s->damaged, rather than fail the seal
 * and with it every later write. */
#include "store/store_sqlite_int.h"

#include <errno.h>

#include "store/schema.h"

/* How long a bin stays open for late flows before it is sealed: exporters
 * send most flows within a minute or two of their end. A later flow still
 * counts, only at the cost of a rollup write of its own. */
#define SEAL_LAG_S 600

int store_sqlite_mark_get(struct sqlite_store *s, int64_t *mark, bool *set)
{
    sqlite3_stmt *st = s->st[ST_MARK_GET];
    int rc = sqlite3_step(st);
    *set = rc == SQLITE_ROW;
    *mark = *set ? sqlite3_column_int64(st, 0) : 0;
    int err = rc == SQLITE_ROW ? 0 : schema_errno(s->db, rc);
    sqlite3_reset(st);
    return err;
}

static int mark_set(struct sqlite_store *s, int64_t mark)
{
    sqlite3_stmt *st = s->st[ST_MARK_SET];
    sqlite3_bind_int64(st, 1, mark);
    return store_sqlite_run(s, st);
}

/* The first bin start in [from, to) that holds rows; *found false if none. */
static int next_bin(struct sqlite_store *s, int64_t from, int64_t to, int64_t *next, bool *found)
{
    sqlite3_stmt *st = s->st[ST_NEXT_BIN];
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
    *next = *found ? sqlite3_column_int64(st, 0) : 0;
    int err = rc == SQLITE_ROW ? 0 : schema_errno(s->db, rc);
    sqlite3_reset(st);
    return err;
}

/* Adds every row of bin ts to its month's totals, 0.0.0.0 left out. */
static int seal_month(struct sqlite_store *s, int64_t ts)
{
    int32_t ym = 0;
    int64_t all = 0;
    int rc = store_sqlite_month_of(ts, &ym);
    if (rc == 0)
        rc = store_sqlite_id(s, ST_ALL_ID, &all); /* 0: none */
    if (rc < 0)
        return rc;
    sqlite3_stmt *st = s->st[ST_SEAL_MONTH];
    sqlite3_bind_int64(st, 1, ts);
    sqlite3_bind_int(st, 2, ym);
    sqlite3_bind_int64(st, 3, all);
    return store_sqlite_run(s, st);
}

/* Adds every row of bin ts to its hour, its day and its month. */
static int seal_bin(struct sqlite_store *s, int64_t ts)
{
    for (int lv = STORE_SQLITE_HOURS; lv <= STORE_SQLITE_DAYS; lv++) {
        sqlite3_stmt *st = s->st[ST_SEAL_HOURS + lv - STORE_SQLITE_HOURS];
        sqlite3_bind_int64(st, 1, ts);
        sqlite3_bind_int64(st, 2,
                           store_sqlite_floor(ts, store_sqlite_step((enum store_sqlite_level)lv)));
        int rc = store_sqlite_run(s, st);
        if (rc < 0)
            return rc;
    }
    return seal_month(s, ts);
}

int store_sqlite_seal(struct sqlite_store *s, int64_t mark, bool set, int64_t newest)
{
    int64_t target = store_sqlite_floor(newest - SEAL_LAG_S, BIN_SECONDS);
    int64_t m = mark;
    while (m < target) {
        int64_t next = 0;
        bool found = false;
        int rc = next_bin(s, m, target, &next, &found);
        if (rc < 0)
            return rc;
        if (!found) {
            m = target;
            break;
        }
        rc = seal_bin(s, next);
        if (rc < 0)
            return rc;
        m = next + BIN_SECONDS;
    }
    return m != mark || !set ? mark_set(s, m) : 0;
}

/* A bin's counters, or false (counted) when its blob is damaged. */
static bool bin_cells(sqlite3_context *ctx, sqlite3_value *v, struct cells *c)
{
    if (cells_decode(sqlite3_value_blob(v), (size_t)sqlite3_value_bytes(v), CELLS_BIN, c) == 0)
        return true;
    struct sqlite_store *s = sqlite3_user_data(ctx);
    s->damaged++;
    return false;
}

/* of_rollup(c): a bin's cells blob as a rollup's, whose peaks are the
 * bin's bytes; NULL for a damaged blob. */
static void sql_of_rollup(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct cells c;
    if (!bin_cells(ctx, argv[0], &c)) {
        sqlite3_result_null(ctx);
        return;
    }
    for (size_t d = 0; d < DIR__COUNT; d++)
        for (size_t i = 0; i < CLASS__COUNT; i++)
            c.v[d][2 * CLASS__COUNT + i] = c.v[d][i];
    uint8_t blob[CELLS_BLOB_MAX];
    size_t len = cells_encode(&c, CELLS_ROLLUP, blob);
    sqlite3_result_blob(ctx, blob, (int)len, SQLITE_TRANSIENT);
}

/* of_total(c, dir): the total bytes of direction dir of a bin's blob;
 * NULL for a damaged blob. */
static void sql_of_total(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct cells c;
    int64_t dir = sqlite3_value_int64(argv[1]);
    if (dir < 0 || dir >= DIR__COUNT || !bin_cells(ctx, argv[0], &c)) {
        sqlite3_result_null(ctx);
        return;
    }
    sqlite3_result_int64(ctx, (sqlite3_int64)c.v[dir][CLASS_TOTAL]);
}

int store_sqlite_seal_init(struct sqlite_store *s)
{
    const int flags = SQLITE_UTF8 | SQLITE_DIRECTONLY;
    int rc = sqlite3_create_function(s->db, "of_rollup", 1, flags, s, sql_of_rollup, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(s->db, "of_total", 2, flags, s, sql_of_total, NULL, NULL);
    return schema_errno(s->db, rc);
}
