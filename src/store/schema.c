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
#include <stdint.h>
#include <stdio.h>

#include "store/cells.h"
#include "store/store.h"
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

/* Version 2: hourly and daily rollups of the bins, so that a chart of a
 * month or a year and a ranking over many hours read a few rows per host
 * instead of thousands. The same key as the bins, for the same reason: a
 * batch touches the rollup rows of the current hour and day of every host,
 * and with the time first those sit together at the end of the tree. Per
 * class, b_ and p_ are the sums of the bins' bytes and packets, and m_ the
 * bytes of the fullest bin (each class on its own), so that coarse charts
 * keep the peaks. Steps are UTC-aligned: ts is a multiple of 3600 or 86400.
 *
 * The backfill computes from the bins what put_bins would have. Its sums
 * use of_sat_sum (below), which saturates at BIN_COUNTER_MAX like
 * put_bins: SQLite's sum() fails the whole statement on an overflow. */
/* clang-format off: it cannot settle on a layout for these lists */
#define V2_CLASSES(X)                                                                              \
    X("total")                                                                                     \
    X("icmp")                                                                                      \
    X("udp") X("tcp") X("mail") X("dns") X("vpn") X("ftp") X("web") X("proxy") X("quic") X("sip")

#define V2_COL_DEF(c)  ", b_" c " INTEGER NOT NULL DEFAULT 0"
#define V2_PEAK_DEF(c) ", m_" c " INTEGER NOT NULL DEFAULT 0"
#define V2_PKT_DEF(c)  ", p_" c " INTEGER NOT NULL DEFAULT 0"
#define V2_TABLE(name)                                                                             \
    "CREATE TABLE " name                                                                           \
    " (host INTEGER NOT NULL, dir INTEGER NOT NULL, ts INTEGER NOT NULL" V2_CLASSES(V2_COL_DEF)    \
        V2_CLASSES(V2_PEAK_DEF)                                                                    \
            V2_CLASSES(V2_PKT_DEF) ", PRIMARY KEY (ts, dir, host)) WITHOUT ROWID;"

#define V2_COL(c)  ", b_" c
#define V2_PEAK(c) ", m_" c
#define V2_PKT(c)  ", p_" c
/* Rows are inserted in key order, so that the inserts append. The start of
 * the step that ts falls in is computed so that it is right for a negative
 * ts too. */
#define V2_INSERT(name, step)                                                                      \
    "INSERT INTO " name " (host, dir, ts" V2_CLASSES(V2_COL) V2_CLASSES(V2_PEAK)                   \
        V2_CLASSES(V2_PKT) ")"                                                                     \
                           " SELECT host, dir, ts - (ts % " step " + " step ") % " step " AS step"
#define V2_GROUP " GROUP BY step, dir, host ORDER BY step, dir, host;"

#define V2_SUM(c)       ", of_sat_sum(b_" c ")"
#define V2_PKT_SUM(c)   ", of_sat_sum(p_" c ")"
#define V2_BIN_PEAK(c)  ", max(b_" c ")"
#define V2_HOUR_PEAK(c) ", max(m_" c ")"
/* clang-format on */

static const char schema_v2_tables[] = V2_TABLE("bins_1h") V2_TABLE("bins_1d");

/* Hours from the bins: m_ is the largest bin. */
static const char schema_v2_hours[] = V2_INSERT("bins_1h", "3600") V2_CLASSES(V2_SUM)
    V2_CLASSES(V2_BIN_PEAK) V2_CLASSES(V2_PKT_SUM) " FROM bins" V2_GROUP;

/* Days from the hours, which gives the same as from the bins: m_ is the
 * largest of the hours' largest bins. */
static const char schema_v2_days[] = V2_INSERT("bins_1d", "86400") V2_CLASSES(V2_SUM)
    V2_CLASSES(V2_HOUR_PEAK) V2_CLASSES(V2_PKT_SUM) " FROM bins_1h" V2_GROUP;

/* Version 3: the dashboard's own tables (src/auth/, src/daemon/networks.c),
 * kept in the store's file so that an install stays one file to back up.
 * Secrets are never stored: sessions and API tokens are kept as hashes of
 * the random tokens handed out, passwords as crypto_pwhash strings. No
 * foreign keys (SQLite enforces them only when each connection asks):
 * removing a user removes its sessions in the same transaction. API
 * token ids are AUTOINCREMENT so that the id of a revoked token never
 * names a newer one. */
static const char schema_v3[] = "CREATE TABLE users ("
                                " id INTEGER PRIMARY KEY,"
                                " name TEXT NOT NULL UNIQUE,"
                                " pwhash TEXT NOT NULL,"
                                " created INTEGER NOT NULL);"
                                "CREATE TABLE sessions ("
                                " hash BLOB PRIMARY KEY,"
                                " user INTEGER NOT NULL,"
                                " created INTEGER NOT NULL,"
                                " last_seen INTEGER NOT NULL) WITHOUT ROWID;"
                                "CREATE INDEX sessions_user ON sessions (user);"
                                "CREATE TABLE api_tokens ("
                                " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                                " name TEXT NOT NULL,"
                                " hash BLOB NOT NULL UNIQUE,"
                                " created INTEGER NOT NULL,"
                                " last_used INTEGER);"
                                "CREATE TABLE ui_networks ("
                                " id INTEGER PRIMARY KEY,"
                                " cidr TEXT NOT NULL UNIQUE,"
                                " description TEXT NOT NULL DEFAULT '',"
                                " created INTEGER NOT NULL);";

/* Version 4: one row per host and step instead of one per host, direction
 * and step, with both directions' counters in one blob (store/cells.h)
 * instead of 24 or 36 integer columns. Most counters are zero and took a
 * column header byte each; a bin now takes about a third of the bytes,
 * and a write one row instead of two. The upgrade packs the old rows with
 * of_pack (below), an aggregate over a (ts, host) group of up to two rows:
 * of_pack(kind, dir, counters...), kind 2 for bins (b_, p_), 3 for rollups
 * (b_, p_, m_).
 *
 * And rollup_mark: the bins before its ts are in the rollups and the
 * monthly totals, those from it on are not yet. Those used to be rewritten
 * with every write of a bin (a bin is written every FLUSH_INTERVAL while
 * it fills), which made a write four upserts per row; now a bin is added to
 * its hour, day and month once, when it is sealed, and the readers add the
 * few bins after the mark themselves (store_sqlite_seal.c). Every bin of a
 * version 3 file is in its rollups and monthly totals, so the mark starts
 * after the last one. */
/* clang-format off */
#define V4_TABLE(name)                                                                             \
    "CREATE TABLE " name " (ts INTEGER NOT NULL, host INTEGER NOT NULL, c BLOB NOT NULL,"         \
    " PRIMARY KEY (ts, host)) WITHOUT ROWID;"
#define V4_COPY(from, to, kind, cols)                                                              \
    "INSERT INTO " to " (ts, host, c) SELECT ts, host, of_pack(" kind ", dir" cols ")"           \
    " FROM " from " GROUP BY ts, host ORDER BY ts, host;"                                          \
    "DROP TABLE " from "; ALTER TABLE " to " RENAME TO " from ";"
/* clang-format on */

#define V4_BIN_COLS  V2_CLASSES(V2_COL) V2_CLASSES(V2_PKT)
#define V4_ROLL_COLS V2_CLASSES(V2_COL) V2_CLASSES(V2_PKT) V2_CLASSES(V2_PEAK)

static const char schema_v4_tables[] =
    V4_TABLE("bins_v4") V4_TABLE("bins_1h_v4") V4_TABLE("bins_1d_v4");
static const char schema_v4_bins[] = V4_COPY("bins", "bins_v4", "2", V4_BIN_COLS);
static const char schema_v4_hours[] = V4_COPY("bins_1h", "bins_1h_v4", "3", V4_ROLL_COLS);
static const char schema_v4_days[] = V4_COPY("bins_1d", "bins_1d_v4", "3", V4_ROLL_COLS);
static const char schema_v4_mark[] =
    "CREATE TABLE rollup_mark (id INTEGER PRIMARY KEY CHECK (id = 1), ts INTEGER NOT NULL);"
    "INSERT INTO rollup_mark (id, ts)"
    " SELECT 1, max(ts) + 300 FROM bins HAVING max(ts) IS NOT NULL;";

/* Each step is a list of SQL texts, run in order; a text may hold several
 * statements. */
static const char *const step_v1[] = {schema_v1, NULL};
static const char *const step_v2[] = {schema_v2_tables, schema_v2_hours, schema_v2_days, NULL};
static const char *const step_v3[] = {schema_v3, NULL};
static const char *const step_v4[] = {schema_v4_tables, schema_v4_bins, schema_v4_hours,
                                      schema_v4_days,   schema_v4_mark, NULL};

static const char *const *const steps[] = {
    step_v1,
    step_v2,
    step_v3,
    step_v4,
};

/* of_sat_sum(x): the sum of the integers x of a group, stopping at
 * BIN_COUNTER_MAX. Counters are never negative; a negative one means the
 * file was edited by hand, and fails the step rather than be guessed at. */
static void sat_sum_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    uint64_t *sum = sqlite3_aggregate_context(ctx, sizeof(*sum));
    if (!sum) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    int type = sqlite3_value_type(argv[0]);
    if (type == SQLITE_NULL)
        return;
    int64_t v = sqlite3_value_int64(argv[0]);
    if (type != SQLITE_INTEGER || v < 0) {
        sqlite3_result_error(ctx, "of_sat_sum: a counter is not a non-negative integer", -1);
        return;
    }
    /* *sum starts at 0 and never passes BIN_COUNTER_MAX. */
    *sum = (uint64_t)v > BIN_COUNTER_MAX - *sum ? BIN_COUNTER_MAX : *sum + (uint64_t)v;
}

static void sat_sum_final(sqlite3_context *ctx)
{
    uint64_t *sum = sqlite3_aggregate_context(ctx, 0);
    sqlite3_result_int64(ctx, sum ? (sqlite3_int64)*sum : 0);
}

/* of_pack(kind, dir, counters...): the (ts, host) group's rows as one
 * cells blob; see schema_v4. A row of a direction twice, or a counter that
 * is not a non-negative integer, fails the step. */
struct pack_acc {
    struct cells c;
    unsigned dirs; /* bit per direction seen */
    int kind;
};

static void pack_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct pack_acc *acc = sqlite3_aggregate_context(ctx, sizeof(*acc));
    if (!acc) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    int kind = sqlite3_value_int(argv[0]);
    int64_t dir = sqlite3_value_int64(argv[1]);
    if ((kind != CELLS_BIN && kind != CELLS_ROLLUP) || argc != 2 + kind * CLASS__COUNT || dir < 0 ||
        dir >= DIR__COUNT || (acc->dirs & (1u << dir))) {
        sqlite3_result_error(ctx, "of_pack: not a row of the old schema", -1);
        return;
    }
    acc->kind = kind;
    acc->dirs |= 1u << dir;
    for (int i = 0; i < kind * CLASS__COUNT; i++) {
        sqlite3_value *v = argv[2 + i];
        int64_t x = sqlite3_value_int64(v);
        if (sqlite3_value_type(v) != SQLITE_INTEGER || x < 0) {
            sqlite3_result_error(ctx, "of_pack: a counter is not a non-negative integer", -1);
            return;
        }
        acc->c.v[dir][i] = (uint64_t)x > BIN_COUNTER_MAX ? BIN_COUNTER_MAX : (uint64_t)x;
    }
}

static void pack_final(sqlite3_context *ctx)
{
    struct pack_acc *acc = sqlite3_aggregate_context(ctx, 0);
    uint8_t blob[CELLS_BLOB_MAX];
    if (!acc || !acc->dirs) {
        sqlite3_result_zeroblob(ctx, 0);
        return;
    }
    size_t n = cells_encode(&acc->c, (enum cells_kind)acc->kind, blob);
    sqlite3_result_blob(ctx, blob, (int)n, SQLITE_TRANSIENT);
}

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
    for (const char *const *sql = steps[step]; *sql && rc == 0; sql++)
        rc = exec(db, *sql);
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
    if (version < schema_version()) {
        const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY;
        rc = schema_errno(db, sqlite3_create_function(db, "of_sat_sum", 1, flags, NULL, NULL,
                                                      sat_sum_step, sat_sum_final));
        if (rc == 0)
            rc = schema_errno(db, sqlite3_create_function(db, "of_pack", -1, flags, NULL, NULL,
                                                          pack_step, pack_final));
        if (rc < 0)
            return rc;
    }
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

int schema_check_writable(struct sqlite3 *db, const char *path)
{
    int version = 0;
    int rc = sqlite3_db_readonly(db, "main") == 1 ? -EROFS : exec(db, "BEGIN IMMEDIATE");
    if (rc == 0)
        rc = query_int(db, "PRAGMA user_version", &version);
    char sql[48];
    if (rc == 0) {
        (void)snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version);
        rc = exec(db, sql);
    }
    if (rc == 0)
        rc = exec(db, "COMMIT");
    if (rc == 0)
        return 0;
    log_msg(LOG_ERR,
            "store: %s: cannot write (%s); check the owner and mode of the file and of its "
            "directory, the mount, and the free space",
            path, rc == -EROFS ? "SQLite could open it read-only only" : sqlite3_errmsg(db));
    if (!sqlite3_get_autocommit(db))
        (void)exec(db, "ROLLBACK");
    return rc;
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
