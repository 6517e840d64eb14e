/* store/store_sqlite_prune.c: deleting the oldest 5-minute bins or hourly
 * rollups of the SQLite store, for retention.
 *
 * The tables are keyed by (ts, host), so the oldest rows are the start
 * of the key, and a call deletes exactly max_rows of them or fewer: it looks
 * up the key of the max_rows-th oldest row before the cut (a walk over that
 * many keys) and deletes the range of keys up to it, which SQLite does as a
 * range of the primary key. DELETE ... LIMIT would be simpler, but only
 * builds of SQLite with SQLITE_ENABLE_UPDATE_DELETE_LIMIT have it. A
 * chunk may end in the middle of a bin's rows; the next call takes the
 * rest.
 *
 * Deleted rows leave free pages inside the file. The schema keeps
 * auto_vacuum off (the default), so the file does not shrink: SQLite fills
 * those pages before it makes the file longer, which is what bounds the
 * disk use (retention counts them as free space, see store/retention.c). */
#include "store/store_sqlite_int.h"

#include <errno.h>
#include <stdio.h>

#include "store/schema.h"

enum prune_stmt {
    PRUNE_NTH,    /* the key of the ?2-th oldest row (from 0) with ts < ?1 */
    PRUNE_UPTO,   /* deletes the rows with key <= (?1, ?2) */
    PRUNE_BEFORE, /* deletes the rows with ts < ?1 */
};

static int prune_sql(enum store_sqlite_level lv, enum prune_stmt id, char *buf, size_t len)
{
    const char *t = store_sqlite_table(lv);
    int n = 0;
    switch (id) {
    case PRUNE_NTH:
        n = snprintf(buf, len,
                     "SELECT ts, host FROM %s WHERE ts < ?1"
                     " ORDER BY ts, host LIMIT 1 OFFSET ?2",
                     t);
        break;
    case PRUNE_UPTO:
        n = snprintf(buf, len, "DELETE FROM %s WHERE (ts, host) <= (?1, ?2)", t);
        break;
    case PRUNE_BEFORE:
        n = snprintf(buf, len, "DELETE FROM %s WHERE ts < ?1", t);
        break;
    }
    return n > 0 && (size_t)n < len ? 0 : -EOVERFLOW;
}

static int prune_stmt(struct sqlite_store *s, enum store_sqlite_level lv, enum prune_stmt id,
                      sqlite3_stmt **out)
{
    sqlite3_stmt **st = &s->prune[lv][id];
    if (!*st) {
        char sql[160];
        int rc = prune_sql(lv, id, sql, sizeof(sql));
        if (rc < 0)
            return rc;
        rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
        if (rc != SQLITE_OK) {
            log_msg(LOG_ERR, "store: %s: cannot prepare \"%s\": %s", s->path, sql,
                    sqlite3_errmsg(s->db));
            return schema_errno(s->db, rc);
        }
    }
    *out = *st;
    return 0;
}

/* The key of the n-th oldest row (from 0) before before in key; *found is
 * false when there are not that many. */
static int prune_nth(struct sqlite_store *s, enum store_sqlite_level lv, int64_t before, int64_t n,
                     int64_t key[2], bool *found)
{
    sqlite3_stmt *st = NULL;
    int rc = prune_stmt(s, lv, PRUNE_NTH, &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, before);
    sqlite3_bind_int64(st, 2, n);
    rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    for (int i = 0; i < 2 && *found; i++)
        key[i] = sqlite3_column_int64(st, i);
    int err = rc == SQLITE_ROW ? 0 : schema_errno(s->db, rc);
    sqlite3_reset(st);
    return err;
}

/* Deletes up to max_rows of the oldest rows before before; inside the
 * caller's transaction. */
static int prune_rows(struct sqlite_store *s, enum store_sqlite_level lv, int64_t before,
                      int64_t max_rows, uint64_t *deleted)
{
    int64_t key[2] = {0, 0};
    bool found = false;
    int rc = prune_nth(s, lv, before, max_rows - 1, key, &found);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st = NULL;
    rc = prune_stmt(s, lv, found ? PRUNE_UPTO : PRUNE_BEFORE, &st);
    if (rc < 0)
        return rc;
    if (found) {
        for (int i = 0; i < 2; i++)
            sqlite3_bind_int64(st, i + 1, key[i]);
    } else {
        sqlite3_bind_int64(st, 1, before);
    }
    rc = store_sqlite_run(s, st);
    if (rc == 0)
        *deleted = (uint64_t)sqlite3_changes(s->db);
    return rc;
}

/* Lowers before to the rollup mark: a bin after it is in no rollup yet,
 * and deleting it would lose it from the hours and days for good. */
static int prune_sealed(struct sqlite_store *s, int64_t *before)
{
    int64_t mark = 0;
    bool set = false;
    int rc = store_sqlite_mark_get(s, &mark, &set);
    if (rc == 0 && set && mark < *before)
        *before = mark;
    return rc;
}

int store_sqlite_prune(struct store *base, enum store_step step, int64_t before, uint64_t max_rows,
                       uint64_t *deleted)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    enum store_sqlite_level lv;
    if (step == STORE_STEP_BIN)
        lv = STORE_SQLITE_BINS;
    else if (step == STORE_STEP_HOUR)
        lv = STORE_SQLITE_HOURS;
    else
        return -EINVAL;
    if (max_rows == 0)
        return -EINVAL;
    if (s->readonly)
        return -EROFS;
    if (max_rows > STORE_SQLITE_PRUNE_MAX)
        max_rows = STORE_SQLITE_PRUNE_MAX;
    uint64_t n = 0;
    int rc = store_sqlite_run(s, s->st[ST_BEGIN]);
    if (rc == 0 && lv == STORE_SQLITE_BINS)
        rc = prune_sealed(s, &before);
    if (rc == 0)
        rc = prune_rows(s, lv, before, (int64_t)max_rows, &n);
    if (rc == 0)
        rc = store_sqlite_run(s, s->st[ST_COMMIT]);
    if (rc < 0) {
        if (!sqlite3_get_autocommit(s->db))
            (void)store_sqlite_run(s, s->st[ST_ROLLBACK]);
        return rc;
    }
    *deleted = n;
    return 0;
}

void store_sqlite_prune_fini(struct sqlite_store *s)
{
    for (int lv = 0; lv < STORE_SQLITE_PRUNE_LEVELS; lv++)
        for (int id = 0; id < STORE_SQLITE_PRUNE_STMTS; id++) {
            sqlite3_finalize(s->prune[lv][id]);
            s->prune[lv][id] = NULL;
        }
}
