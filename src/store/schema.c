/* store/schema.c: the migration steps of the SQLite store.
 *
 * steps[i] takes a file from version i to version i + 1, so the array is the
 * whole history of the schema: append a step to change it, and never edit a
 * step that has been released, because files out there already went through
 * it. Each step runs in a BEGIN IMMEDIATE transaction that re-reads the
 * version first, so two processes opening a new file at the same moment
 * apply it once between them. */
#include "store/schema.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>

#include "util/log.h"

/* Version 1: the first release. Counter columns follow enum traffic_class. */
static const char schema_v1[] =
    "CREATE TABLE hosts ("
    " id INTEGER PRIMARY KEY,"
    " ip TEXT NOT NULL UNIQUE,"
    " key BLOB NOT NULL UNIQUE);"
    /* Time first: a batch is mostly one new bin for every host, and with
     * the time first it appends to the end of the tree. With the host first
     * it would dirty one page per host in every batch, however big the table
     * has grown. Time-range queries over all hosts and retention read ranges
     * of this key; one host's series is one lookup per bin. */
    "CREATE TABLE bins ("
    " host INTEGER NOT NULL, dir INTEGER NOT NULL, ts INTEGER NOT NULL,"
    " b_total INTEGER NOT NULL DEFAULT 0, b_icmp INTEGER NOT NULL DEFAULT 0,"
    " b_udp INTEGER NOT NULL DEFAULT 0, b_tcp INTEGER NOT NULL DEFAULT 0,"
    " b_mail INTEGER NOT NULL DEFAULT 0, b_dns INTEGER NOT NULL DEFAULT 0,"
    " b_vpn INTEGER NOT NULL DEFAULT 0, b_ftp INTEGER NOT NULL DEFAULT 0,"
    " b_web INTEGER NOT NULL DEFAULT 0, b_proxy INTEGER NOT NULL DEFAULT 0,"
    " b_quic INTEGER NOT NULL DEFAULT 0, b_sip INTEGER NOT NULL DEFAULT 0,"
    " p_total INTEGER NOT NULL DEFAULT 0, p_icmp INTEGER NOT NULL DEFAULT 0,"
    " p_udp INTEGER NOT NULL DEFAULT 0, p_tcp INTEGER NOT NULL DEFAULT 0,"
    " p_mail INTEGER NOT NULL DEFAULT 0, p_dns INTEGER NOT NULL DEFAULT 0,"
    " p_vpn INTEGER NOT NULL DEFAULT 0, p_ftp INTEGER NOT NULL DEFAULT 0,"
    " p_web INTEGER NOT NULL DEFAULT 0, p_proxy INTEGER NOT NULL DEFAULT 0,"
    " p_quic INTEGER NOT NULL DEFAULT 0, p_sip INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (ts, dir, host)) WITHOUT ROWID;"
    /* Month first: every reader asks for one month, of all hosts or of one. */
    "CREATE TABLE monthly ("
    " ym INTEGER NOT NULL, host INTEGER NOT NULL,"
    " dl INTEGER NOT NULL DEFAULT 0, ul INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (ym, host)) WITHOUT ROWID;";

static const char *const steps[] = {
    schema_v1,
};

int schema_version(void)
{
    return (int)OF_ARRAY_LEN(steps);
}

int schema_errno(struct sqlite3 *db, int sqlite_rc)
{
    int sys = db ? sqlite3_system_errno(db) : 0;
    switch (sqlite_rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
        return 0;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return -EBUSY;
    case SQLITE_NOMEM:
        return -ENOMEM;
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return -EROFS;
    case SQLITE_FULL:
        return -ENOSPC;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return -EBADMSG;
    case SQLITE_TOOBIG:
        return -E2BIG;
    case SQLITE_RANGE:
    case SQLITE_MISUSE:
        return -EINVAL;
    case SQLITE_CANTOPEN:
        return sys > 0 ? -sys : -ENOENT;
    default:
        return sys > 0 ? -sys : -EIO;
    }
}

static int query_int(sqlite3 *db, const char *sql, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    }
    int err = schema_errno(db, rc);
    sqlite3_finalize(st);
    return err;
}

/* Whether a version 0 file is ours to fill: no application id of another
 * program, and no tables of its own. */
static int schema_check_owner(sqlite3 *db, const char *path, int version)
{
    int app_id = 0;
    int rc = query_int(db, "PRAGMA application_id", &app_id);
    if (rc < 0)
        return rc;
    if (app_id != 0 && app_id != SCHEMA_APP_ID) {
        log_msg(LOG_ERR, "store: %s belongs to another program (application_id 0x%08x)", path,
                (unsigned)app_id);
        return -EBADMSG;
    }
    if (version != 0 || app_id == SCHEMA_APP_ID)
        return 0;
    int tables = 0;
    rc = query_int(db, "SELECT count(*) FROM sqlite_master", &tables);
    if (rc < 0)
        return rc;
    if (tables != 0) {
        log_msg(LOG_ERR, "store: %s holds tables of another program", path);
        return -EBADMSG;
    }
    return 0;
}

static int schema_refuse_newer(const char *path, int version)
{
    log_msg(LOG_ERR,
            "store: %s has schema version %d, newer than this program's %d; "
            "refusing to use it (upgrade the program)",
            path, version, schema_version());
    return -EPROTO;
}

static int exec(sqlite3 *db, const char *sql)
{
    return schema_errno(db, sqlite3_exec(db, sql, NULL, NULL, NULL));
}

/* Runs steps[step] unless the file got there meanwhile. Called inside the
 * step's transaction. */
static int schema_step(sqlite3 *db, const char *path, int step)
{
    int version = 0;
    int rc = query_int(db, "PRAGMA user_version", &version);
    if (rc < 0)
        return rc;
    if (version > schema_version())
        return schema_refuse_newer(path, version);
    if (version > step)
        return 0;
    rc = schema_check_owner(db, path, version);
    if (rc < 0)
        return rc;
    rc = exec(db, steps[step]);
    if (rc < 0) {
        log_msg(LOG_ERR, "store: %s: schema step to version %d failed: %s", path, step + 1,
                sqlite3_errmsg(db));
        return rc;
    }
    char sql[80];
    int n = snprintf(sql, sizeof(sql), "PRAGMA user_version = %d; PRAGMA application_id = %d",
                     step + 1, SCHEMA_APP_ID);
    if (n < 0 || (size_t)n >= sizeof(sql))
        return -EOVERFLOW;
    return exec(db, sql);
}

int schema_migrate(struct sqlite3 *db, const char *path)
{
    int version = 0;
    int rc = query_int(db, "PRAGMA user_version", &version);
    if (rc < 0)
        return rc;
    if (version > schema_version())
        return schema_refuse_newer(path, version);
    for (int step = version; step < schema_version(); step++) {
        rc = exec(db, "BEGIN IMMEDIATE");
        if (rc < 0)
            return rc;
        rc = schema_step(db, path, step);
        if (rc == 0)
            rc = exec(db, "COMMIT");
        if (rc < 0) {
            if (!sqlite3_get_autocommit(db))
                (void)exec(db, "ROLLBACK");
            return rc;
        }
    }
    return 0;
}

int schema_check(struct sqlite3 *db, const char *path)
{
    int version = 0;
    int rc = query_int(db, "PRAGMA user_version", &version);
    if (rc < 0)
        return rc;
    if (version > schema_version())
        return schema_refuse_newer(path, version);
    rc = schema_check_owner(db, path, version);
    if (rc < 0)
        return rc;
    if (version == 0) {
        log_msg(LOG_ERR, "store: %s is empty; the collector creates it", path);
        return -EPROTO;
    }
    if (version < schema_version()) {
        log_msg(LOG_ERR,
                "store: %s has schema version %d, older than this program's %d; "
                "open it once for writing (start the collector) to upgrade it",
                path, version, schema_version());
        return -EPROTO;
    }
    return 0;
}
