/* store/appdb.c: read-write SQLite connections for the dashboard's
 * tables, kept in a util/pool.h pool, and the few statement helpers the
 * files that use those tables share. Each new connection checks the
 * file's schema version once, so a file the program cannot read is
 * refused with the store's own message. */
#include "store/appdb.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/schema.h"
#include "store/store_sqlite.h"
#include "util/log.h"
#include "util/pool.h"

struct appdb {
    struct pool *pool;
    char *path;
};

static int appdb_open(void *ctx, void **out)
{
    const struct appdb *p = ctx;
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(p->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        rc = schema_errno(db, rc);
        goto fail;
    }
    sqlite3_busy_timeout(db, STORE_SQLITE_BUSY_MS);
    rc = schema_check(db, p->path);
    if (rc < 0)
        goto fail;
    *out = db;
    return 0;
fail:
    sqlite3_close_v2(db);
    return rc;
}

static void appdb_close(void *ctx, void *handle)
{
    (void)ctx;
    sqlite3_close_v2(handle);
}

static const struct pool_ops appdb_ops = {.open = appdb_open, .close = appdb_close};

struct appdb *appdb_new(const char *path, size_t max_idle)
{
    struct appdb *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    p->path = strdup(path);
    p->pool = pool_new(&appdb_ops, p, max_idle);
    if (!p->path || !p->pool) {
        appdb_free(p);
        return NULL;
    }
    return p;
}

void appdb_free(struct appdb *p)
{
    if (!p)
        return;
    pool_free(p->pool);
    free(p->path);
    free(p);
}

int appdb_get(struct appdb *p, sqlite3 **out)
{
    void *handle = NULL;
    int rc = pool_get(p->pool, &handle);
    if (rc < 0)
        return rc;
    *out = handle;
    return 0;
}

void appdb_put(struct appdb *p, sqlite3 *db, bool failed)
{
    if (!db)
        return;
    /* A connection still inside a transaction would hand that transaction
     * (and any lock it holds) to whoever took it next: close it instead. */
    pool_put(p->pool, db, failed || !sqlite3_get_autocommit(db));
}

int appdb_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **out)
{
    int rc = sqlite3_prepare_v2(db, sql, -1, out, NULL);
    if (rc != SQLITE_OK) {
        log_msg(LOG_ERR, "store: cannot prepare a statement: %s", sqlite3_errmsg(db));
        return schema_errno(db, rc);
    }
    return 0;
}

int appdb_int64(sqlite3 *db, const char *sql, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int rc = appdb_prepare(db, sql, &st);
    if (rc < 0)
        return rc;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        rc = schema_errno(db, step);
    sqlite3_finalize(st);
    return rc;
}

const char *appdb_text(sqlite3_stmt *st, int col)
{
    const char *s = (const char *)sqlite3_column_text(st, col);
    return s ? s : "";
}

int appdb_each(sqlite3 *db, sqlite3_stmt *st, appdb_row_cb row, void *arg)
{
    int rc = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        rc = row(st, arg);
        if (rc != 0)
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = schema_errno(db, step);
    sqlite3_finalize(st);
    return rc;
}

int appdb_run(sqlite3 *db, sqlite3_stmt *st)
{
    int rc;
    do
        rc = sqlite3_step(st);
    while (rc == SQLITE_ROW);
    int err = 0;
    if (rc != SQLITE_DONE) {
        int ext = sqlite3_extended_errcode(db);
        err = ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY
                  ? -EEXIST
                  : schema_errno(db, rc);
    }
    sqlite3_finalize(st);
    return err;
}

int appdb_insert_capped(sqlite3 *db, const char *count_sql, int64_t max, sqlite3_stmt *st)
{
    int64_t n = 0;
    int rc = appdb_int64(db, count_sql, &n);
    if (rc == 0 && n >= max)
        rc = -ENOSPC;
    if (rc < 0) {
        sqlite3_finalize(st);
        return rc;
    }
    return appdb_run(db, st);
}

static int exec(sqlite3 *db, const char *sql)
{
    return schema_errno(db, sqlite3_exec(db, sql, NULL, NULL, NULL));
}

int appdb_begin(sqlite3 *db)
{
    return exec(db, "BEGIN IMMEDIATE");
}

int appdb_commit(sqlite3 *db)
{
    return exec(db, "COMMIT");
}

void appdb_rollback(sqlite3 *db)
{
    if (!sqlite3_get_autocommit(db))
        (void)exec(db, "ROLLBACK");
}

int appdb_transaction(sqlite3 *db, int (*step)(sqlite3 *db, void *arg), void *arg)
{
    int rc = appdb_begin(db);
    if (rc < 0)
        return rc;
    rc = step(db, arg);
    if (rc == 0)
        rc = appdb_commit(db);
    if (rc < 0)
        appdb_rollback(db);
    return rc;
}
