/* store/appdb.c: a stack of idle read-write SQLite connections behind a
 * mutex, for the dashboard's tables. The mutex is held only to push or pop
 * a pointer; connections are opened and closed outside it. Each new
 * connection checks the file's schema version once, so a file the program
 * cannot read is refused with the store's own message. */
#include "store/appdb.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/schema.h"
#include "store/store_sqlite.h"
#include "util/log.h"

struct appdb {
    pthread_mutex_t lock;
    char *path;
    size_t max_idle;
    size_t nidle;
    sqlite3 **idle;
};

struct appdb *appdb_new(const char *path, size_t max_idle)
{
    struct appdb *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    pthread_mutex_init(&p->lock, NULL);
    p->max_idle = max_idle ? max_idle : 1;
    p->path = strdup(path);
    p->idle = calloc(p->max_idle, sizeof(*p->idle));
    if (!p->path || !p->idle) {
        appdb_free(p);
        return NULL;
    }
    return p;
}

void appdb_free(struct appdb *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nidle; i++)
        sqlite3_close_v2(p->idle[i]);
    free(p->idle);
    free(p->path);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

static int appdb_open(const char *path, sqlite3 **out)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        rc = schema_errno(db, rc);
        goto fail;
    }
    sqlite3_busy_timeout(db, STORE_SQLITE_BUSY_MS);
    rc = schema_check(db, path);
    if (rc < 0)
        goto fail;
    *out = db;
    return 0;
fail:
    sqlite3_close_v2(db);
    return rc;
}

int appdb_get(struct appdb *p, sqlite3 **out)
{
    sqlite3 *db = NULL;
    pthread_mutex_lock(&p->lock);
    if (p->nidle > 0)
        db = p->idle[--p->nidle];
    pthread_mutex_unlock(&p->lock);
    if (db) {
        *out = db;
        return 0;
    }
    return appdb_open(p->path, out);
}

void appdb_put(struct appdb *p, sqlite3 *db, bool failed)
{
    if (!db)
        return;
    if (!failed && sqlite3_get_autocommit(db)) {
        pthread_mutex_lock(&p->lock);
        if (p->nidle < p->max_idle) {
            p->idle[p->nidle++] = db;
            db = NULL; /* the pool keeps it */
        }
        pthread_mutex_unlock(&p->lock);
    }
    sqlite3_close_v2(db);
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
