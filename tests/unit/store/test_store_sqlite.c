/* tests/unit/store/test_store_sqlite.c: the SQLite store on real database
 * files, one fresh temporary directory per test (see store_fixture.h):
 * opening, writing bins, monthly totals and rollups (and when the bins are
 * sealed into the rollups), and reading series and monthly totals back. The
 * other queries are in test_store_sqlite_query.c, the upgrades of old files
 * in test_schema.c. */
/* cmocka.h needs these first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/schema.h"
#include "store/store.h"
#include "store/store_sqlite.h"
#include "unit/store/store_fixture.h"

#define MAX_GOT 64

struct series_got {
    struct bin_row rows[MAX_GOT];
    size_t n;
    int stop_after; /* return 7 after that many rows; 0 = never */
};

struct traff_got {
    struct traff_row rows[MAX_GOT];
    size_t n;
    int stop_after;
};

struct steps_got {
    struct step_row rows[MAX_GOT];
    size_t n;
};

static int series_cb_collect(const struct bin_row *row, void *arg)
{
    struct series_got *g = arg;
    assert_true(g->n < MAX_GOT);
    g->rows[g->n++] = *row;
    return g->stop_after && (int)g->n >= g->stop_after ? 7 : 0;
}

static int traff_cb_collect(const struct traff_row *row, void *arg)
{
    struct traff_got *g = arg;
    assert_true(g->n < MAX_GOT);
    g->rows[g->n++] = *row;
    return g->stop_after && (int)g->n >= g->stop_after ? 7 : 0;
}

static int steps_cb_collect(const struct step_row *row, void *arg)
{
    struct steps_got *g = arg;
    assert_true(g->n < MAX_GOT);
    g->rows[g->n++] = *row;
    return 0;
}

static size_t series(struct store *s, const char *host, int dir, int64_t from, int64_t to,
                     struct series_got *g)
{
    memset(g, 0, sizeof(*g));
    struct of_addr a = ip(host);
    assert_int_equal(store_get_series(s, &a, dir, from, to, series_cb_collect, g), 0);
    return g->n;
}

static size_t traff(struct store *s, int year, int month, const char *host, struct traff_got *g)
{
    memset(g, 0, sizeof(*g));
    struct of_addr a;
    if (host)
        a = ip(host);
    assert_int_equal(store_get_traff(s, year, month, host ? &a : NULL, traff_cb_collect, g), 0);
    return g->n;
}

/* The hours or days through the store's interface, which adds the bins
 * not sealed yet to what the rollup tables hold. */
static size_t steps(struct store *s, const char *host, int dir, int64_t from, int64_t to,
                    enum store_step step, struct steps_got *g)
{
    memset(g, 0, sizeof(*g));
    struct of_addr a = ip(host);
    assert_int_equal(store_get_steps(s, &a, dir, from, to, step, steps_cb_collect, g), 0);
    return g->n;
}

static void assert_row_seed(const struct bin_row *r, int64_t ts, uint64_t seed, uint64_t times)
{
    assert_int_equal(r->ts, ts);
    for (int c = 0; c < CLASS__COUNT; c++) {
        assert_int_equal(r->bytes[c], times * (seed * 1000 + (uint64_t)c));
        assert_int_equal(r->packets[c], times * (seed * 10 + (uint64_t)c));
    }
}

static void test_backend_names(void **state)
{
    struct fixture *f = *state;
    struct store_cfg cfg = {.backend = "clickhouse-someday", .path = f->path};
    struct store *s = NULL;
    assert_int_equal(store_open(&s, &cfg), -ENOENT);
    assert_null(s);
    assert_int_equal(try_open(f->path, 0), 0); /* NULL backend: sqlite */
    cfg.backend = "sqlite";
    cfg.path = NULL;
    assert_int_equal(store_open(&s, &cfg), -EINVAL);
    assert_int_equal(store_close(NULL), 0);
}

static void test_put_and_series(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    const struct bin_row rows[] = {
        mkrow("10.0.0.1", DIR_R, T_JAN15 + 600, 3), mkrow("10.0.0.1", DIR_R, T_JAN15, 1),
        mkrow("10.0.0.1", DIR_S, T_JAN15, 2),       mkrow("10.0.0.1", DIR_R, T_JAN15 + 300, 4),
        mkrow("2001:db8::1", DIR_R, T_JAN15, 5),    mkrow("10.0.0.1", DIR_S, T_JAN15 + 1500, 6),
    };
    put(s, rows, OF_ARRAY_LEN(rows));
    struct series_got g;

    assert_int_equal(series(s, "10.0.0.1", DIR_R, T_JAN15, T_JAN15 + 900, &g), 3);
    assert_row_seed(&g.rows[0], T_JAN15, 1, 1);
    assert_row_seed(&g.rows[1], T_JAN15 + 300, 4, 1);
    assert_row_seed(&g.rows[2], T_JAN15 + 600, 3, 1);
    assert_host(&g.rows[0].host, "10.0.0.1");
    assert_int_equal(g.rows[0].dir, DIR_R);

    /* from is inclusive, to exclusive */
    assert_int_equal(series(s, "10.0.0.1", DIR_R, T_JAN15 + 300, T_JAN15 + 600, &g), 1);
    assert_row_seed(&g.rows[0], T_JAN15 + 300, 4, 1);

    /* bins missing in between are left out, not reported as zeros */
    assert_int_equal(series(s, "10.0.0.1", DIR_S, 0, T_FEB01, &g), 2);
    assert_row_seed(&g.rows[0], T_JAN15, 2, 1);
    assert_row_seed(&g.rows[1], T_JAN15 + 1500, 6, 1);
    assert_int_equal(g.rows[0].dir, DIR_S);

    /* ranges need not be aligned to bins nor end near the stored ones */
    assert_int_equal(series(s, "10.0.0.1", DIR_R, INT64_MIN, INT64_MAX, &g), 3);
    assert_int_equal(series(s, "10.0.0.1", DIR_R, T_JAN15 + 1, T_JAN15 + 601, &g), 2);
    assert_row_seed(&g.rows[0], T_JAN15 + 300, 4, 1);
    assert_row_seed(&g.rows[1], T_JAN15 + 600, 3, 1);
    assert_int_equal(series(s, "10.0.0.1", DIR_R, T_JAN15 + 601, INT64_MAX, &g), 0);
    assert_int_equal(series(s, "10.0.0.1", DIR_R, T_JAN15, T_JAN15, &g), 0);
    assert_int_equal(series(s, "10.0.0.1", DIR_R, T_FEB01, T_JAN15, &g), 0);

    assert_int_equal(series(s, "2001:db8::1", DIR_R, 0, T_FEB01, &g), 1);
    assert_row_seed(&g.rows[0], T_JAN15, 5, 1);
    assert_host(&g.rows[0].host, "2001:db8::1");

    assert_int_equal(series(s, "2001:db8::1", DIR_S, 0, T_FEB01, &g), 0);
    assert_int_equal(series(s, "10.9.9.9", DIR_R, 0, T_FEB01, &g), 0);

    /* a non-zero callback result stops the walk and comes back */
    memset(&g, 0, sizeof(g));
    g.stop_after = 1;
    struct of_addr a = ip("10.0.0.1");
    assert_int_equal(store_get_series(s, &a, DIR_R, 0, T_FEB01, series_cb_collect, &g), 7);
    assert_int_equal(g.n, 1);
    /* and the statement is usable again */
    assert_int_equal(series(s, "10.0.0.1", DIR_R, 0, T_FEB01, &g), 3);

    assert_int_equal(store_get_series(s, &a, 2, 0, T_FEB01, series_cb_collect, &g), -EINVAL);
    struct of_addr none = {.af = 0};
    assert_int_equal(store_get_series(s, &none, DIR_R, 0, T_FEB01, series_cb_collect, &g), -EINVAL);
    assert_int_equal(store_close(s), 0);
}

static void test_additive_upsert(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    const struct bin_row row = mkrow("10.0.0.1", DIR_R, T_JAN15, 2);
    put(s, &row, 1);
    put(s, &row, 1);
    /* the same bin twice in one batch adds up as well */
    const struct bin_row twice[] = {row, row};
    put(s, twice, 2);
    struct series_got g;
    assert_int_equal(series(s, "10.0.0.1", DIR_R, 0, T_FEB01, &g), 1);
    assert_row_seed(&g.rows[0], T_JAN15, 2, 4);
    struct traff_got t;
    assert_int_equal(traff(s, 2024, 1, NULL, &t), 1);
    assert_int_equal(t.rows[0].dl, 4 * 2000);
    assert_int_equal(t.rows[0].ul, 0);
    assert_int_equal(store_close(s), 0);
}

/* Sums stop at BIN_COUNTER_MAX instead of overflowing into floats. */
static void test_sums_saturate(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    struct bin_row row = mkrow("10.0.0.1", DIR_R, T_JAN15, 0);
    for (int c = 0; c < CLASS__COUNT; c++)
        row.bytes[c] = BIN_COUNTER_MAX;
    put(s, &row, 1);
    put(s, &row, 1);
    struct series_got g;
    assert_int_equal(series(s, "10.0.0.1", DIR_R, 0, T_FEB01, &g), 1);
    assert_int_equal(g.rows[0].bytes[CLASS_TOTAL], BIN_COUNTER_MAX);
    assert_int_equal(g.rows[0].bytes[CLASS_SIP], BIN_COUNTER_MAX);
    assert_int_equal(g.rows[0].packets[CLASS_SIP], 2 * CLASS_SIP);
    struct traff_got t;
    assert_int_equal(traff(s, 2024, 1, NULL, &t), 1);
    assert_int_equal(t.rows[0].dl, BIN_COUNTER_MAX);
    assert_int_equal(store_close(s), 0);
}

static void test_monthly_totals(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    const struct bin_row rows[] = {
        mkrow("10.0.0.1", DIR_R, T_JAN15, 1),       /* dl 1000 */
        mkrow("10.0.0.1", DIR_R, T_JAN15 + 300, 2), /* dl 2000 */
        mkrow("10.0.0.1", DIR_S, T_JAN15, 3),       /* ul 3000 */
        mkrow("10.0.0.2", DIR_S, T_JAN15, 4),       /* ul 4000 */
        mkrow("10.0.0.1", DIR_R, T_FEB01 - 300, 5), /* Jan 31 23:55 */
        mkrow("10.0.0.1", DIR_R, T_FEB01, 6),       /* February */
        mkrow("0.0.0.0", DIR_R, T_JAN15, 7),        /* all hosts: no monthly row */
        mkrow("0.0.0.0", DIR_S, T_JAN15, 8),
    };
    put(s, rows, OF_ARRAY_LEN(rows));
    struct traff_got t;
    assert_int_equal(traff(s, 2024, 1, NULL, &t), 2);
    assert_host(&t.rows[0].host, "10.0.0.1");
    assert_int_equal(t.rows[0].dl, 1000 + 2000 + 5000);
    assert_int_equal(t.rows[0].ul, 3000);
    assert_host(&t.rows[1].host, "10.0.0.2");
    assert_int_equal(t.rows[1].dl, 0);
    assert_int_equal(t.rows[1].ul, 4000);

    assert_int_equal(traff(s, 2024, 2, NULL, &t), 1);
    assert_host(&t.rows[0].host, "10.0.0.1");
    assert_int_equal(t.rows[0].dl, 6000);
    assert_int_equal(t.rows[0].ul, 0);

    /* one host */
    assert_int_equal(traff(s, 2024, 1, "10.0.0.2", &t), 1);
    assert_host(&t.rows[0].host, "10.0.0.2");
    assert_int_equal(t.rows[0].ul, 4000);
    assert_int_equal(traff(s, 2024, 2, "10.0.0.2", &t), 0);
    assert_int_equal(traff(s, 2024, 1, "0.0.0.0", &t), 0);
    assert_int_equal(traff(s, 2024, 1, "192.0.2.1", &t), 0);
    /* empty month */
    assert_int_equal(traff(s, 2023, 12, NULL, &t), 0);
    /* but the pseudo host's bins are there */
    struct series_got g;
    assert_int_equal(series(s, "0.0.0.0", DIR_S, 0, T_FEB01, &g), 1);
    assert_row_seed(&g.rows[0], T_JAN15, 8, 1);

    memset(&t, 0, sizeof(t));
    t.stop_after = 1;
    assert_int_equal(store_get_traff(s, 2024, 1, NULL, traff_cb_collect, &t), 7);
    assert_int_equal(t.n, 1);
    assert_int_equal(store_get_traff(s, 2024, 13, NULL, traff_cb_collect, &t), -EINVAL);
    assert_int_equal(store_get_traff(s, 2024, 0, NULL, traff_cb_collect, &t), -EINVAL);
    assert_int_equal(store_close(s), 0);
}

/* 2024-01-31 22:00 UTC is already February 1st in Kyiv (UTC+2 in winter). */
static void test_month_in_local_time(void **state)
{
    struct fixture *f = *state;
    const int64_t feb_kyiv = T_FEB01 - 2 * 3600;
    setenv("TZ", "Europe/Kyiv", 1);
    tzset();
    time_t t = (time_t)feb_kyiv;
    struct tm tm;
    if (!localtime_r(&t, &tm) || tm.tm_mon != 1 || tm.tm_hour != 0) {
        setenv("TZ", "UTC", 1);
        tzset();
        skip(); /* no tzdata for Europe/Kyiv */
    }
    struct store *s = open_store(f->path, 0);
    const struct bin_row rows[] = {
        mkrow("10.0.0.1", DIR_R, feb_kyiv - 300, 1), /* Jan 31 23:55 in Kyiv */
        mkrow("10.0.0.1", DIR_R, feb_kyiv, 2),       /* Feb 1 00:00 in Kyiv */
        mkrow("10.0.0.1", DIR_S, feb_kyiv + 300, 3),
    };
    put(s, rows, OF_ARRAY_LEN(rows));
    struct traff_got g;
    assert_int_equal(traff(s, 2024, 1, NULL, &g), 1);
    assert_int_equal(g.rows[0].dl, 1000);
    assert_int_equal(g.rows[0].ul, 0);
    assert_int_equal(traff(s, 2024, 2, NULL, &g), 1);
    assert_int_equal(g.rows[0].dl, 2000);
    assert_int_equal(g.rows[0].ul, 3000);
    assert_int_equal(store_close(s), 0);
    setenv("TZ", "UTC", 1);
    tzset();
}

static void test_address_order(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    static const char *const want[] = {
        "9.255.255.255", "10.0.0.2",    "10.0.0.10",    "192.168.1.1",
        "::1",           "2001:db8::1", "2001:db8::10",
    };
    /* written in reverse text order, each in its own batch */
    static const char *const put_order[] = {
        "2001:db8::10", "2001:db8::1", "::1",           "192.168.1.1",
        "10.0.0.2",     "10.0.0.10",   "9.255.255.255",
    };
    for (size_t i = 0; i < OF_ARRAY_LEN(put_order); i++) {
        const struct bin_row r = mkrow(put_order[i], DIR_R, T_JAN15, i + 1);
        put(s, &r, 1);
    }
    struct traff_got g;
    assert_int_equal(traff(s, 2024, 1, NULL, &g), OF_ARRAY_LEN(want));
    for (size_t i = 0; i < OF_ARRAY_LEN(want); i++)
        assert_host(&g.rows[i].host, want[i]);
    assert_int_equal(store_close(s), 0);
    /* the text form is stored too, for people reading the file */
    sqlite3 *db = raw_open(f->path);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM hosts WHERE ip = '2001:db8::10'"), 1);
    sqlite3_close(db);
}

static void test_ipv4_tail_bytes_ignored(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    struct bin_row r = mkrow("10.0.0.1", DIR_R, T_JAN15, 1);
    put(s, &r, 1);
    r.host.b[10] = 0xff; /* garbage behind an IPv4 address is not part of it */
    put(s, &r, 1);
    struct bin_row all = mkrow("0.0.0.0", DIR_R, T_JAN15, 2);
    all.host.b[15] = 1; /* still the pseudo host: no monthly row */
    put(s, &all, 1);
    struct traff_got t;
    assert_int_equal(traff(s, 2024, 1, NULL, &t), 1);
    assert_host(&t.rows[0].host, "10.0.0.1");
    struct series_got g;
    assert_int_equal(series(s, "10.0.0.1", DIR_R, 0, T_FEB01, &g), 1);
    assert_row_seed(&g.rows[0], T_JAN15, 1, 2);
    assert_int_equal(store_close(s), 0);
    assert_int_equal(count_rows(f->path, "hosts"), 2);
}

static void test_reopen_keeps_data(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    const struct bin_row rows[] = {
        mkrow("10.0.0.1", DIR_R, T_JAN15, 1),
        mkrow("10.0.0.2", DIR_S, T_JAN15, 2),
    };
    put(s, rows, OF_ARRAY_LEN(rows));
    assert_int_equal(store_close(s), 0);

    s = open_store(f->path, 0);
    struct series_got g;
    assert_int_equal(series(s, "10.0.0.1", DIR_R, 0, T_FEB01, &g), 1);
    assert_row_seed(&g.rows[0], T_JAN15, 1, 1);
    /* hosts known from the file get their old ids, not new rows */
    put(s, rows, OF_ARRAY_LEN(rows));
    assert_int_equal(series(s, "10.0.0.2", DIR_S, 0, T_FEB01, &g), 1);
    assert_row_seed(&g.rows[0], T_JAN15, 2, 2);
    assert_int_equal(store_close(s), 0);
    assert_int_equal(count_rows(f->path, "hosts"), 2);
    assert_int_equal(count_rows(f->path, "bins"), 2);
}

static void test_schema_version(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(schema_version(), 4);
    struct store *s = open_store(f->path, 0);
    sqlite3 *db = raw_open(f->path);
    assert_int_equal(raw_int(db, "PRAGMA user_version"), schema_version());
    assert_int_equal(raw_int(db, "PRAGMA application_id"), SCHEMA_APP_ID);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE name IN"
                                 " ('hosts', 'bins', 'monthly', 'bins_1h', 'bins_1d',"
                                 " 'rollup_mark')"),
                     6);
    /* version 4's counter tables: one blob per (ts, host), keyed by it */
    assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE name IN"
                                 " ('bins', 'bins_1h', 'bins_1d') AND sql LIKE '%c BLOB%'"
                                 " AND sql LIKE '%WITHOUT ROWID%'"),
                     3);
    /* a new store has no bins, so no mark either */
    assert_int_equal(count_rows(f->path, "rollup_mark"), 0);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_int_equal(store_close(s), 0);
    /* opening again changes nothing */
    assert_int_equal(try_open(f->path, 0), 0);
    assert_int_equal(try_open(f->path, 1), 0);
}

static void test_future_version_refused(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(try_open(f->path, 0), 0);
    sqlite3 *db = raw_open(f->path);
    char sql[64];
    (void)snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", schema_version() + 1);
    raw_exec(db, sql);
    sqlite3_close(db);
    assert_int_equal(try_open(f->path, 0), -EPROTO);
    assert_int_equal(try_open(f->path, 1), -EPROTO);
    db = raw_open(f->path);
    assert_int_equal(raw_int(db, "PRAGMA user_version"), schema_version() + 1);
    sqlite3_close(db);
}

static void test_foreign_file_refused(void **state)
{
    struct fixture *f = *state;
    sqlite3 *db = raw_open(f->path);
    raw_exec(db, "CREATE TABLE mine (x)");
    sqlite3_close(db);
    assert_int_equal(try_open(f->path, 0), -EBADMSG);
    assert_int_equal(try_open(f->path, 1), -EBADMSG);

    db = raw_open(f->path);
    raw_exec(db, "DROP TABLE mine; PRAGMA application_id = 42");
    sqlite3_close(db);
    assert_int_equal(try_open(f->path, 0), -EBADMSG);

    /* not a database at all */
    FILE *fp = fopen(f->path, "w");
    assert_non_null(fp);
    for (int i = 0; i < 64; i++)
        fputs("this is not an SQLite file\n", fp);
    fclose(fp);
    assert_int_equal(try_open(f->path, 0), -EBADMSG);
}

static void test_readonly_open(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(try_open(f->path, 1), -ENOENT);
    FILE *fp = fopen(f->path, "w"); /* empty: the collector has not started yet */
    assert_non_null(fp);
    fclose(fp);
    assert_int_equal(try_open(f->path, 1), -EPROTO);
}

static void test_readonly_while_writing(void **state)
{
    struct fixture *f = *state;
    struct store *w = open_store(f->path, 0);
    const struct bin_row row = mkrow("10.0.0.1", DIR_R, T_JAN15, 1);
    put(w, &row, 1);

    /* another process in the middle of a write transaction, adding a bin
     * of 5 bytes received as the file keeps it: one cells blob per host */
    sqlite3 *db = raw_open(f->path);
    raw_exec(db, "BEGIN IMMEDIATE");
    struct cells c;
    memset(&c, 0, sizeof(c));
    c.v[DIR_R][CLASS_TOTAL] = 5;
    uint8_t blob[CELLS_BLOB_MAX];
    size_t len = cells_encode(&c, CELLS_BIN, blob);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "INSERT INTO bins (ts, host, c) VALUES (1705277400,"
                                        " (SELECT id FROM hosts WHERE ip = '10.0.0.1'), ?1)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_bind_blob(st, 1, blob, (int)len, SQLITE_STATIC), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);

    struct store *r = open_store(f->path, 1);
    struct series_got g;
    assert_int_equal(series(r, "10.0.0.1", DIR_R, 0, T_FEB01, &g), 1);
    assert_row_seed(&g.rows[0], T_JAN15, 1, 1);
    struct traff_got t;
    assert_int_equal(traff(r, 2024, 1, NULL, &t), 1);
    struct bin_batch b = {.rows = &row, .n = 1};
    assert_int_equal(store_put_bins(r, &b), -EROFS);

    raw_exec(db, "COMMIT");
    sqlite3_close(db);
    assert_int_equal(series(r, "10.0.0.1", DIR_R, 0, T_FEB01, &g), 2);
    assert_int_equal(g.rows[1].bytes[CLASS_TOTAL], 5);
    assert_int_equal(g.rows[1].ts, T_JAN15 + 600);
    assert_int_equal(g.rows[1].packets[CLASS_TOTAL], 0);
    assert_int_equal(store_close(r), 0);
    assert_int_equal(store_close(w), 0);
}

static void assert_put_fails(struct store *s, const struct bin_row *rows, size_t n, int want)
{
    struct bin_batch b = {.rows = rows, .n = n};
    assert_int_equal(store_put_bins(s, &b), want);
}

static void test_invalid_rows_write_nothing(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    struct bin_row rows[] = {
        mkrow("10.0.0.1", DIR_R, T_JAN15, 1),
        mkrow("10.0.0.2", DIR_S, T_JAN15, 2),
        mkrow("10.0.0.3", DIR_R, T_JAN15, 3),
    };
    rows[2].dir = 2;
    assert_put_fails(s, rows, 3, -EINVAL);
    rows[2].dir = DIR_R;
    rows[2].ts = T_JAN15 + 1; /* not the start of a bin */
    assert_put_fails(s, rows, 3, -EINVAL);
    rows[2].ts = T_JAN15;
    rows[2].host.af = 0;
    assert_put_fails(s, rows, 3, -EINVAL);
    rows[2].host = ip("10.0.0.3");
    rows[2].packets[CLASS_WEB] = (uint64_t)INT64_MAX + 1;
    assert_put_fails(s, rows, 3, -ERANGE);

    struct series_got g;
    assert_int_equal(series(s, "10.0.0.1", DIR_R, INT64_MIN, INT64_MAX, &g), 0);
    struct traff_got t;
    assert_int_equal(traff(s, 2024, 1, NULL, &t), 0);
    assert_int_equal(store_close(s), 0);
    assert_int_equal(count_rows(f->path, "hosts"), 0);
    assert_int_equal(count_rows(f->path, "bins"), 0);
    assert_int_equal(count_rows(f->path, "monthly"), 0);
    /* a refused first batch does not set the mark either */
    assert_int_equal(count_rows(f->path, "rollup_mark"), 0);
}

/* A failure in the middle of the transaction (here a trigger that refuses one
 * bin, written last) leaves no trace, and the host ids the failed batch had
 * handed out are not remembered: the next new host gets the same id. */
static void test_failure_midway_rolls_back(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    const struct bin_row a = mkrow("10.0.0.1", DIR_R, T_JAN15, 1);
    put(s, &a, 1);

    sqlite3 *db = raw_open(f->path);
    raw_exec(db, "CREATE TRIGGER boom BEFORE INSERT ON bins WHEN NEW.ts = 1705363200"
                 " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
    const struct bin_row batch[] = {
        mkrow("10.0.0.1", DIR_R, T_JAN15, 1), mkrow("10.0.0.2", DIR_R, T_JAN15, 2),
        mkrow("10.0.0.3", DIR_R, T_JAN15 + 86400, 3), /* the trigger's bin */
    };
    struct bin_batch b = {.rows = batch, .n = 3};
    assert_true(store_put_bins(s, &b) < 0);

    struct series_got g;
    assert_int_equal(series(s, "10.0.0.1", DIR_R, 0, T_FEB01, &g), 1);
    assert_row_seed(&g.rows[0], T_JAN15, 1, 1);
    assert_int_equal(series(s, "10.0.0.2", DIR_R, 0, T_FEB01, &g), 0);
    struct traff_got t;
    assert_int_equal(traff(s, 2024, 1, NULL, &t), 1);
    assert_int_equal(t.rows[0].dl, 1000);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM hosts"), 1);
    /* the batch's newest bin would have sealed a's: neither the mark nor
     * the rollups moved */
    assert_int_equal(raw_mark(db), T_JAN15);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM bins_1h"), 0);

    raw_exec(db, "DROP TRIGGER boom");
    sqlite3_close(db);
    const struct bin_row d = mkrow("10.0.0.4", DIR_R, T_JAN15, 4);
    put(s, &d, 1); /* gets the id 10.0.0.2 had for a moment */
    const struct bin_row b2 = mkrow("10.0.0.2", DIR_R, T_JAN15, 2);
    put(s, &b2, 1);
    assert_int_equal(series(s, "10.0.0.4", DIR_R, 0, T_FEB01, &g), 1);
    assert_row_seed(&g.rows[0], T_JAN15, 4, 1);
    assert_int_equal(series(s, "10.0.0.2", DIR_R, 0, T_FEB01, &g), 1);
    assert_row_seed(&g.rows[0], T_JAN15, 2, 1);
    assert_int_equal(store_close(s), 0);
}

/* A row with only total and web bytes; packets are a tenth of the bytes. */
static struct bin_row mkweb(const char *host, int dir, int64_t ts, uint64_t total, uint64_t web)
{
    struct bin_row r;
    memset(&r, 0, sizeof(r));
    r.host = ip(host);
    r.dir = (uint8_t)dir;
    r.ts = ts;
    r.bytes[CLASS_TOTAL] = total;
    r.bytes[CLASS_WEB] = web;
    r.packets[CLASS_TOTAL] = total / 10;
    r.packets[CLASS_WEB] = web / 10;
    return r;
}

/* How long a bin stays open after the newest bin of a batch before it is
 * sealed into the rollups, as store_sqlite_seal.c has it. */
#define SEAL_LAG_S 600

/* The host of the rows that seal the others: a host of its own, so that
 * the rollups of the hosts under test hold only their rows. */
#define SEALER "192.0.2.99"

/* Seals every bin before ts (a bin start): a batch whose newest bin is
 * SEAL_LAG_S after ts does. Its own bin stays open, so it is in no rollup
 * until a later seal_before passes it. */
static void seal_before(struct store *s, int64_t ts)
{
    const struct bin_row r = mkweb(SEALER, DIR_R, ts + SEAL_LAG_S, 1, 0);
    put(s, &r, 1);
}

static int64_t raw_count_monthly(const char *path)
{
    return count_rows(path, "monthly");
}

static int64_t mark_of(const char *path)
{
    sqlite3 *db = raw_open(path);
    int64_t mark = raw_mark(db);
    sqlite3_close(db);
    return mark;
}

/* Column col ("b_total", "m_web", ...) of the rollup row of host, dir and
 * step start ts in table, as its view v_<table> (store_fixture.h) shows
 * it in version 3's columns; -1 when there is no such row. */
static int64_t rollup(const char *path, const char *table, const char *host, int dir, int64_t ts,
                      const char *col)
{
    sqlite3 *db = raw_open(path);
    char sql[256];
    (void)snprintf(sql, sizeof(sql),
                   "SELECT coalesce((SELECT %s FROM v_%s WHERE ts = %lld AND dir = %d AND"
                   " host = (SELECT id FROM hosts WHERE ip = '%s')), -1)",
                   col, table, (long long)ts, dir, host);
    int64_t v = raw_int(db, sql);
    sqlite3_close(db);
    return v;
}

struct roll_want {
    const char *table;
    int64_t ts;
    int64_t b_total, m_total, b_web, m_web, p_total;
};

static void assert_rollup(const char *path, const char *host, int dir, const struct roll_want *w)
{
    assert_int_equal(rollup(path, w->table, host, dir, w->ts, "b_total"), w->b_total);
    assert_int_equal(rollup(path, w->table, host, dir, w->ts, "m_total"), w->m_total);
    assert_int_equal(rollup(path, w->table, host, dir, w->ts, "b_web"), w->b_web);
    assert_int_equal(rollup(path, w->table, host, dir, w->ts, "m_web"), w->m_web);
    assert_int_equal(rollup(path, w->table, host, dir, w->ts, "p_total"), w->p_total);
    assert_int_equal(rollup(path, w->table, host, dir, w->ts, "b_sip"), 0);
    assert_int_equal(rollup(path, w->table, host, dir, w->ts, "m_sip"), 0);
}

/* Asserts that the rollup row of table at step start ts holds exactly bin
 * r, every class: its bytes and packets as the sums, its bytes as the
 * peaks. */
static void assert_rollup_is_bin(const char *path, const char *table, int64_t ts,
                                 const struct bin_row *r)
{
    char host[ADDR_STRLEN];
    assert_non_null(addr_format(&r->host, host, sizeof(host)));
    for (int c = 0; c < CLASS__COUNT; c++) {
        const char *name = class_name((enum traffic_class)c);
        char col[32];
        (void)snprintf(col, sizeof(col), "b_%s", name);
        assert_int_equal(rollup(path, table, host, r->dir, ts, col), r->bytes[c]);
        (void)snprintf(col, sizeof(col), "m_%s", name);
        assert_int_equal(rollup(path, table, host, r->dir, ts, col), r->bytes[c]);
        (void)snprintf(col, sizeof(col), "p_%s", name);
        assert_int_equal(rollup(path, table, host, r->dir, ts, col), r->packets[c]);
    }
}

/* A step read through the store, of rows made by mkweb. */
static void assert_step(const struct step_row *r, int64_t ts, uint64_t total, uint64_t peak,
                        uint64_t web, uint64_t web_peak)
{
    assert_int_equal(r->ts, ts);
    assert_int_equal(r->bytes[CLASS_TOTAL], total);
    assert_int_equal(r->peak[CLASS_TOTAL], peak);
    assert_int_equal(r->bytes[CLASS_WEB], web);
    assert_int_equal(r->peak[CLASS_WEB], web_peak);
    assert_int_equal(r->packets[CLASS_TOTAL], total / 10);
    assert_int_equal(r->bytes[CLASS_SIP], 0);
    assert_int_equal(r->peak[CLASS_SIP], 0);
}

/* Sums and peaks per hour and per UTC day, each class's peak on its own,
 * for rows given in no particular order. */
static void test_rollup_across_boundaries(void **state)
{
    struct fixture *f = *state;
    const int64_t jan16 = T_JAN15 + T_DAY;
    struct store *s = open_store(f->path, 0);
    const struct bin_row rows[] = {
        mkweb("10.0.0.1", DIR_R, jan16 + T_HOUR, 1000, 1), /* 01:00 */
        mkweb("10.0.0.1", DIR_R, jan16 - 600, 100, 10),    /* Jan 15 23:50 */
        mkweb("10.0.0.1", DIR_S, jan16 - 300, 5, 0),       /* upload: its own rows */
        mkweb("10.0.0.1", DIR_R, jan16 - 300, 50, 40),     /* 23:55: web's peak */
        mkweb("10.0.0.1", DIR_R, jan16, 7, 7),             /* Jan 16 00:00 */
        mkweb("10.0.0.1", DIR_R, jan16 + 3300, 1, 0),      /* 00:55 */
        mkweb("0.0.0.0", DIR_R, jan16 - 300, 60, 50),      /* all hosts: rolled up too */
        mkweb("0.0.0.0", DIR_R, jan16, 8, 8),
    };
    put(s, rows, OF_ARRAY_LEN(rows));
    /* the newest bins are still open; seal them all to read the tables */
    seal_before(s, jan16 + T_HOUR + BIN_SECONDS);
    assert_int_equal(store_close(s), 0);

    const struct roll_want r[] = {
        {"bins_1h", jan16 - T_HOUR, 150, 100, 50, 40, 15},
        {"bins_1h", jan16, 8, 7, 7, 7, 0},
        {"bins_1h", jan16 + T_HOUR, 1000, 1000, 1, 1, 100},
        {"bins_1d", T_JAN15, 150, 100, 50, 40, 15},
        {"bins_1d", jan16, 1008, 1000, 8, 7, 100},
    };
    for (size_t i = 0; i < OF_ARRAY_LEN(r); i++)
        assert_rollup(f->path, "10.0.0.1", DIR_R, &r[i]);
    const struct roll_want up = {"bins_1h", jan16 - T_HOUR, 5, 5, 0, 0, 0};
    assert_rollup(f->path, "10.0.0.1", DIR_S, &up);
    assert_int_equal(rollup(f->path, "bins_1h", "10.0.0.1", DIR_S, jan16, "b_total"), -1);
    const struct roll_want all[] = {
        {"bins_1h", jan16 - T_HOUR, 60, 60, 50, 50, 6},
        {"bins_1d", jan16, 8, 8, 8, 8, 0},
    };
    for (size_t i = 0; i < OF_ARRAY_LEN(all); i++)
        assert_rollup(f->path, "0.0.0.0", DIR_R, &all[i]);
    /* per (step, dir, host), as version 3 counted them; the sealer's bin
     * is not among them */
    assert_int_equal(count_rows(f->path, "v_bins_1h"), 6);
    assert_int_equal(count_rows(f->path, "v_bins_1d"), 5);
    assert_rollups_match_bins(f->path);
}

/* A bin written again grows, and the peak is the bin's new size, not the
 * largest piece any one write added: whether the writes come before the
 * bin is sealed or after it (late flows). */
static void test_rollup_peak_is_the_bin(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    const struct bin_row first[] = {
        mkweb("10.0.0.1", DIR_R, T_JAN15, 100, 0),
        mkweb("10.0.0.1", DIR_R, T_JAN15 + 300, 150, 0),
    };
    put(s, first, OF_ARRAY_LEN(first));
    const struct bin_row again = mkweb("10.0.0.1", DIR_R, T_JAN15, 100, 0);
    put(s, &again, 1);
    seal_before(s, T_JAN15 + 600);
    struct roll_want w = {"bins_1h", T_JAN15, 350, 200, 0, 0, 35};
    assert_rollup(f->path, "10.0.0.1", DIR_R, &w);
    w.table = "bins_1d";
    assert_rollup(f->path, "10.0.0.1", DIR_R, &w);

    /* twice in one batch, and the other bin too: late now, so the
     * rollups are written by this batch itself */
    const struct bin_row twice[] = {
        mkweb("10.0.0.1", DIR_R, T_JAN15, 30, 3),
        mkweb("10.0.0.1", DIR_R, T_JAN15 + 300, 1, 1),
        mkweb("10.0.0.1", DIR_R, T_JAN15, 30, 3),
    };
    put(s, twice, OF_ARRAY_LEN(twice));
    w = (struct roll_want){"bins_1h", T_JAN15, 411, 260, 7, 6, 41};
    assert_rollup(f->path, "10.0.0.1", DIR_R, &w);
    w.table = "bins_1d";
    assert_rollup(f->path, "10.0.0.1", DIR_R, &w);
    assert_int_equal(store_close(s), 0);
    assert_rollups_match_bins(f->path);
}

/* Rollup sums stop at BIN_COUNTER_MAX like the bins' sums, when bins are
 * sealed and when a late row adds to a saturated sum. */
static void test_rollup_saturates(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    struct bin_row rows[3];
    for (size_t i = 0; i < OF_ARRAY_LEN(rows); i++) {
        rows[i] = mkweb("10.0.0.1", DIR_R, T_JAN15 + 300 * (int64_t)i, BIN_COUNTER_MAX, 1);
        rows[i].packets[CLASS_TOTAL] = 7;
    }
    put(s, rows, 2);
    put(s, &rows[2], 1);
    seal_before(s, T_JAN15 + 900);
    put(s, &rows[2], 1); /* late, and that bin saturates too */
    struct traff_got t;
    assert_int_equal(traff(s, 2024, 1, "10.0.0.1", &t), 1);
    assert_int_equal(t.rows[0].dl, BIN_COUNTER_MAX);
    assert_int_equal(store_close(s), 0);
    const char *const tables[] = {"bins_1h", "bins_1d"};
    for (size_t i = 0; i < OF_ARRAY_LEN(tables); i++) {
        const struct roll_want w = {tables[i], T_JAN15, BIN_COUNTER_MAX, BIN_COUNTER_MAX, 4, 2, 28};
        assert_rollup(f->path, "10.0.0.1", DIR_R, &w);
    }
}

/* A host's steps of one direction over the 3 days from T_JAN15, added up
 * from its bins: what store_get_steps should report. */
struct step_sums {
    int64_t step;
    struct step_row v[72];
    bool any[72];
    size_t n; /* steps store_get_steps reported */
};

static int step_sums_add(const struct bin_row *r, void *arg)
{
    struct step_sums *w = arg;
    size_t i = (size_t)((r->ts - T_JAN15) / w->step);
    assert_true(r->ts >= T_JAN15 && i < OF_ARRAY_LEN(w->v));
    struct step_row *v = &w->v[i];
    v->ts = T_JAN15 + (int64_t)i * w->step;
    for (int c = 0; c < CLASS__COUNT; c++) {
        v->bytes[c] += r->bytes[c];
        v->packets[c] += r->packets[c];
        if (r->bytes[c] > v->peak[c])
            v->peak[c] = r->bytes[c];
    }
    w->any[i] = true;
    return 0;
}

static int step_sums_check(const struct step_row *row, void *arg)
{
    struct step_sums *w = arg;
    size_t i = (size_t)((row->ts - T_JAN15) / w->step);
    assert_true(row->ts >= T_JAN15 && i < OF_ARRAY_LEN(w->v));
    assert_true(w->any[i]);
    assert_int_equal(row->ts, w->v[i].ts);
    for (int c = 0; c < CLASS__COUNT; c++) {
        assert_int_equal(row->bytes[c], w->v[i].bytes[c]);
        assert_int_equal(row->peak[c], w->v[i].peak[c]);
        assert_int_equal(row->packets[c], w->v[i].packets[c]);
    }
    w->n++;
    return 0;
}

/* Asserts that the hours or days of host and dir read through the store
 * are what its bins add up to, the bins not sealed yet included. */
static void assert_steps_match_series(struct store *s, const char *host, int dir,
                                      enum store_step step)
{
    struct step_sums *w = calloc(1, sizeof(*w));
    assert_non_null(w);
    w->step = step;
    const int64_t end = T_JAN15 + 3 * T_DAY;
    struct of_addr a = ip(host);
    assert_int_equal(store_get_series(s, &a, dir, T_JAN15, end, step_sums_add, w), 0);
    assert_int_equal(store_get_steps(s, &a, dir, T_JAN15, end, step, step_sums_check, w), 0);
    size_t want = 0;
    for (size_t i = 0; i < OF_ARRAY_LEN(w->any); i++)
        want += w->any[i];
    assert_true(want > 0);
    assert_int_equal(w->n, want);
    free(w);
}

/* Many small batches of rows in random places: the rollups hold exactly
 * what the bins before the mark add up to, and the steps read through the
 * store what all the bins add up to, whatever the order and the repeats. */
static void test_rollup_random_batches(void **state)
{
    struct fixture *f = *state;
    static const char *const hosts[] = {"10.0.0.1", "10.0.0.2", "2001:db8::1", "0.0.0.0"};
    struct store *s = open_store(f->path, 0);
    uint64_t x = 42;
    struct bin_row rows[40];
    for (int batch = 0; batch < 60; batch++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        size_t n = 1 + (size_t)(x >> 33) % OF_ARRAY_LEN(rows);
        for (size_t i = 0; i < n; i++) {
            x = x * 6364136223846793005u + 1442695040888963407u;
            /* 3 days of bins, but mostly a few hours around midnight */
            int64_t bin = (int64_t)(x >> 40) % (x & 1 ? 864 : 48) + (x & 1 ? 0 : 264);
            rows[i] = mkrow(hosts[(x >> 20) % 4], (int)((x >> 24) & 1), T_JAN15 + bin * 300,
                            (x >> 28) % 1000);
        }
        put(s, rows, n);
    }
    for (size_t h = 0; h < OF_ARRAY_LEN(hosts); h++)
        for (int dir = 0; dir < DIR__COUNT; dir++) {
            assert_steps_match_series(s, hosts[h], dir, STORE_STEP_HOUR);
            assert_steps_match_series(s, hosts[h], dir, STORE_STEP_DAY);
        }
    assert_int_equal(store_close(s), 0);
    assert_true(count_rows(f->path, "v_bins_1h") > 100);
    assert_rollups_match_bins(f->path);
}

/* A batch that fails while writing the daily rollups (here while sealing a
 * bin, after it has added a late row to the rollups and sealed another
 * bin) leaves no trace in the bins, the hourly rollups or the mark. */
static void test_rollup_failure_rolls_back(void **state)
{
    struct fixture *f = *state;
    const int64_t jan16 = T_JAN15 + T_DAY;
    struct store *s = open_store(f->path, 0);
    const struct bin_row a = mkrow("10.0.0.1", DIR_R, T_JAN15, 1);
    put(s, &a, 1);
    seal_before(s, T_JAN15 + 300); /* a is in the rollups */
    sqlite3 *db = raw_open(f->path);
    raw_exec(db, "CREATE TRIGGER boom BEFORE INSERT ON bins_1d WHEN NEW.ts = 1705363200"
                 " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
    sqlite3_close(db);
    const struct bin_row batch[] = {
        mkrow("10.0.0.1", DIR_R, T_JAN15, 2),        /* late: into the rollups at once */
        mkrow("10.0.0.1", DIR_R, jan16, 3),          /* a new day: the trigger's */
        mkrow("10.0.0.1", DIR_R, jan16 + T_HOUR, 4), /* seals the sealer's bin and jan16 */
    };
    struct bin_batch b = {.rows = batch, .n = OF_ARRAY_LEN(batch)};
    assert_true(store_put_bins(s, &b) < 0);
    assert_int_equal(store_close(s), 0);
    assert_int_equal(count_rows(f->path, "bins"), 2); /* a and the sealer's */
    assert_int_equal(count_rows(f->path, "bins_1h"), 1);
    assert_int_equal(count_rows(f->path, "bins_1d"), 1);
    assert_int_equal(rollup(f->path, "bins_1h", "10.0.0.1", DIR_R, T_JAN15, "b_total"), 1000);
    assert_int_equal(rollup(f->path, "bins_1d", "10.0.0.1", DIR_R, T_JAN15, "b_total"), 1000);
    assert_int_equal(mark_of(f->path), T_JAN15 + 300);
    assert_rollups_match_bins(f->path);
}

/* A bin goes into the rollup tables only when a later batch seals it, but
 * the steps read through the store hold it from the start: the readers add
 * the bins from the mark on themselves. */
static void test_rollup_waits_for_seal(void **state)
{
    struct fixture *f = *state;
    const int64_t bin = T_JAN15 + 300;
    struct store *s = open_store(f->path, 0);
    const struct bin_row first = mkweb("10.0.0.1", DIR_R, bin, 100, 30);
    put(s, &first, 1);
    /* a batch whose newest bin is SEAL_LAG_S after the first leaves it
     * open: it seals only the bins that ended that long before */
    const struct bin_row second = mkweb("10.0.0.1", DIR_R, bin + SEAL_LAG_S, 120, 20);
    put(s, &second, 1);
    assert_int_equal(count_rows(f->path, "bins_1h"), 0);
    assert_int_equal(count_rows(f->path, "bins_1d"), 0);
    assert_int_equal(mark_of(f->path), bin); /* the first batch's oldest bin */
    struct steps_got g;
    assert_int_equal(steps(s, "10.0.0.1", DIR_R, 0, T_FEB01, STORE_STEP_HOUR, &g), 1);
    assert_step(&g.rows[0], T_JAN15, 220, 120, 50, 30);
    assert_int_equal(steps(s, "10.0.0.1", DIR_R, 0, T_FEB01, STORE_STEP_DAY, &g), 1);
    assert_step(&g.rows[0], T_JAN15, 220, 120, 50, 30);
    assert_int_equal(steps(s, "10.0.0.1", DIR_S, 0, T_FEB01, STORE_STEP_HOUR, &g), 0);

    /* one bin later, another host's row seals the first bin, not the
     * second; the reads stay the same, half from the tables */
    const struct bin_row other = mkweb("10.0.0.2", DIR_S, bin + SEAL_LAG_S + BIN_SECONDS, 1, 0);
    put(s, &other, 1);
    assert_int_equal(mark_of(f->path), bin + BIN_SECONDS);
    assert_int_equal(count_rows(f->path, "v_bins_1h"), 1);
    const struct roll_want w = {"bins_1h", T_JAN15, 100, 100, 30, 30, 10};
    assert_rollup(f->path, "10.0.0.1", DIR_R, &w);
    assert_int_equal(steps(s, "10.0.0.1", DIR_R, 0, T_FEB01, STORE_STEP_HOUR, &g), 1);
    assert_step(&g.rows[0], T_JAN15, 220, 120, 50, 30);
    assert_int_equal(steps(s, "10.0.0.1", DIR_R, 0, T_FEB01, STORE_STEP_DAY, &g), 1);
    assert_step(&g.rows[0], T_JAN15, 220, 120, 50, 30);
    assert_int_equal(store_close(s), 0);
    assert_rollups_match_bins(f->path);
}

/* Sealing adds each bin whole to its hour and its day (both directions of
 * a host, every class, the bin's bytes as the peaks) and moves the mark to
 * SEAL_LAG_S before the batch's newest bin, past bins and gaps alike. */
static void test_seal_moves_mark(void **state)
{
    struct fixture *f = *state;
    const int64_t bin = T_JAN15 + T_HOUR;
    struct store *s = open_store(f->path, 0);
    const struct bin_row rows[] = {
        mkrow("10.0.0.1", DIR_R, bin, 3),
        mkrow("10.0.0.1", DIR_S, bin, 4),
        mkrow("2001:db8::1", DIR_S, bin, 5),
    };
    put(s, rows, OF_ARRAY_LEN(rows));
    assert_int_equal(mark_of(f->path), bin);
    seal_before(s, bin + T_HOUR);
    assert_int_equal(store_close(s), 0);
    assert_int_equal(mark_of(f->path), bin + T_HOUR);
    for (size_t i = 0; i < OF_ARRAY_LEN(rows); i++) {
        assert_rollup_is_bin(f->path, "bins_1h", bin, &rows[i]);
        assert_rollup_is_bin(f->path, "bins_1d", T_JAN15, &rows[i]);
    }
    /* those and nothing else: the sealer's bin is after the mark */
    assert_int_equal(count_rows(f->path, "v_bins_1h"), OF_ARRAY_LEN(rows));
    assert_int_equal(count_rows(f->path, "v_bins_1d"), OF_ARRAY_LEN(rows));
    assert_rollups_match_bins(f->path);
}

/* A row for a bin that is already sealed (a late flow) goes into the
 * rollups at once: the sums grow by it, and the peak becomes the bin's new
 * size when that is larger than the old peak. */
static void test_late_row_after_seal(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    const struct bin_row rows[] = {
        mkweb("10.0.0.1", DIR_R, T_JAN15, 100, 10),
        mkweb("10.0.0.1", DIR_R, T_JAN15 + 300, 150, 0),
    };
    put(s, rows, OF_ARRAY_LEN(rows));
    seal_before(s, T_JAN15 + 600);
    assert_int_equal(mark_of(f->path), T_JAN15 + 600);
    struct roll_want w = {"bins_1h", T_JAN15, 250, 150, 10, 10, 25};
    assert_rollup(f->path, "10.0.0.1", DIR_R, &w);

    /* 00:00 grows from 100 to 180: above the old peak, though the row
     * itself is only 80 */
    const struct bin_row late = mkweb("10.0.0.1", DIR_R, T_JAN15, 80, 5);
    put(s, &late, 1);
    assert_int_equal(mark_of(f->path), T_JAN15 + 600);
    w = (struct roll_want){"bins_1h", T_JAN15, 330, 180, 15, 15, 33};
    assert_rollup(f->path, "10.0.0.1", DIR_R, &w);
    w.table = "bins_1d";
    assert_rollup(f->path, "10.0.0.1", DIR_R, &w);

    /* 00:05 grows to 160, below the peak: the peak stays */
    const struct bin_row small = mkweb("10.0.0.1", DIR_R, T_JAN15 + 300, 10, 0);
    put(s, &small, 1);
    w = (struct roll_want){"bins_1h", T_JAN15, 340, 180, 15, 15, 34};
    assert_rollup(f->path, "10.0.0.1", DIR_R, &w);
    w.table = "bins_1d";
    assert_rollup(f->path, "10.0.0.1", DIR_R, &w);
    /* and the reads through the store count the late rows once */
    struct steps_got g;
    assert_int_equal(steps(s, "10.0.0.1", DIR_R, 0, T_FEB01, STORE_STEP_HOUR, &g), 1);
    assert_step(&g.rows[0], T_JAN15, 340, 180, 15, 15);
    assert_int_equal(steps(s, "10.0.0.1", DIR_R, 0, T_FEB01, STORE_STEP_DAY, &g), 1);
    assert_step(&g.rows[0], T_JAN15, 340, 180, 15, 15);
    assert_int_equal(store_close(s), 0);
    assert_rollups_match_bins(f->path);
}

/* Both directions of a host and step are one row of the table (v_bins
 * shows them as two), in the bins and in the rollups. */
static void test_one_row_per_host_and_bin(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    const struct bin_row rows[] = {
        mkrow("10.0.0.1", DIR_R, T_JAN15, 1),
        mkrow("10.0.0.1", DIR_S, T_JAN15, 2),
        mkrow("10.0.0.2", DIR_R, T_JAN15, 3),
    };
    put(s, rows, OF_ARRAY_LEN(rows));
    assert_int_equal(count_rows(f->path, "bins"), 2);
    assert_int_equal(count_rows(f->path, "v_bins"), 3);
    sqlite3 *db = raw_open(f->path);
    assert_int_equal(raw_int(db, "SELECT b_total FROM v_bins WHERE dir = 0 AND host ="
                                 " (SELECT id FROM hosts WHERE ip = '10.0.0.1')"),
                     1000);
    assert_int_equal(raw_int(db, "SELECT b_total FROM v_bins WHERE dir = 1 AND host ="
                                 " (SELECT id FROM hosts WHERE ip = '10.0.0.1')"),
                     2000);
    sqlite3_close(db);
    struct series_got g;
    assert_int_equal(series(s, "10.0.0.1", DIR_S, 0, T_FEB01, &g), 1);
    assert_row_seed(&g.rows[0], T_JAN15, 2, 1);
    assert_int_equal(series(s, "10.0.0.2", DIR_S, 0, T_FEB01, &g), 0);

    seal_before(s, T_JAN15 + 300);
    assert_int_equal(store_close(s), 0);
    assert_int_equal(count_rows(f->path, "bins"), 3); /* and the sealer's */
    assert_int_equal(count_rows(f->path, "bins_1h"), 2);
    assert_int_equal(count_rows(f->path, "v_bins_1h"), 3);
    assert_int_equal(count_rows(f->path, "bins_1d"), 2);
    assert_int_equal(count_rows(f->path, "v_bins_1d"), 3);
    assert_rollups_match_bins(f->path);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void put_timed(struct store *s, const struct bin_row *rows, size_t n, const char *what)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    put(s, rows, n);
    print_message("store_sqlite: %zu rows, %s: %.3f s\n", n, what, seconds_since(&t0));
}

/* A flush of 50,000 hosts in both directions. The times are printed, not
 * checked: they are for people comparing builds and machines. */
static void test_big_batch(void **state)
{
    struct fixture *f = *state;
    enum { HOSTS = 50000, N = 2 * HOSTS };
    struct bin_row *rows = calloc(N, sizeof(*rows));
    assert_non_null(rows);
    for (size_t i = 0; i < N; i++) {
        struct bin_row *r = &rows[i];
        size_t h = i / 2;
        /* host 0 is the pseudo host 0.0.0.0, the others 10.0.0.1 and up */
        uint8_t v4[4] = {h ? 10 : 0, (uint8_t)(h >> 16), (uint8_t)(h >> 8), (uint8_t)h};
        addr_from_v4(&r->host, v4);
        r->dir = (uint8_t)(i % 2);
        r->ts = T_JAN15;
        for (int c = 0; c < CLASS__COUNT; c++) {
            r->bytes[c] = (h + 1) * 1500 * (uint64_t)(c + 1);
            r->packets[c] = (h + 1) * (uint64_t)(c + 1);
        }
    }
    struct store *s = open_store(f->path, 0);
    put_timed(s, rows, N, "new hosts, new bins");
    for (size_t i = 0; i < N; i++)
        rows[i].ts += BIN_SECONDS;
    put_timed(s, rows, N, "known hosts, new bins");
    put_timed(s, rows, N, "known hosts, existing bins");
    assert_int_equal(store_close(s), 0);

    s = open_store(f->path, 0);
    for (size_t i = 0; i < N; i++)
        rows[i].ts += BIN_SECONDS;
    put_timed(s, rows, N, "reopened, new bins");
    /* That write grew the WAL past what is kept; the next write starts it
     * over (the last one was checkpointed) and cuts it back. */
    char wal[sizeof(f->path) + 8];
    (void)snprintf(wal, sizeof(wal), "%s-wal", f->path);
    struct stat sb;
    assert_int_equal(stat(wal, &sb), 0);
    assert_true(sb.st_size > STORE_SQLITE_WAL_KEEP);
    put_timed(s, rows, 1, "one row");
    assert_int_equal(stat(wal, &sb), 0);
    assert_true(sb.st_size <= STORE_SQLITE_WAL_KEEP);

    struct series_got g;
    assert_int_equal(series(s, "10.0.195.79", DIR_S, 0, T_FEB01, &g), 3);
    assert_int_equal(g.rows[1].bytes[CLASS_SIP], 2 * 50000 * 1500 * 12);
    assert_int_equal(g.rows[2].packets[CLASS_TOTAL], 50000);
    struct traff_got t;
    assert_int_equal(traff(s, 2024, 1, "0.0.0.0", &t), 0);
    assert_int_equal(series(s, "0.0.0.0", DIR_R, 0, T_FEB01, &g), 3);
    assert_int_equal(traff(s, 2024, 1, "10.0.0.1", &t), 1);
    assert_int_equal(t.rows[0].dl, 4 * 2 * 1500);
    assert_int_equal(t.rows[0].ul, 4 * 2 * 1500);
    assert_int_equal(store_close(s), 0);
    free(rows);
    assert_int_equal(count_rows(f->path, "hosts"), HOSTS);
    /* one row per host and bin holds both directions (asked of the blobs
     * directly: v_bins decodes each one 48 times, seconds for 150,000) */
    assert_int_equal(count_rows(f->path, "bins"), 3 * HOSTS);
    char sql[160];
    (void)snprintf(sql, sizeof(sql),
                   "SELECT count(*) FROM bins WHERE of_cell(c, %d, %d, %d) > 0"
                   " AND of_cell(c, %d, %d, %d) > 0",
                   CELLS_BIN, DIR_R, CLASS_TOTAL, CELLS_BIN, DIR_S, CLASS_TOTAL);
    sqlite3 *db = raw_open(f->path);
    assert_int_equal(raw_int(db, sql), 3 * HOSTS);
    sqlite3_close(db);
    /* No bin is sealed yet: the monthly table holds none of them, and the
     * totals above came from the bins. */
    assert_int_equal(count_rows(f->path, "monthly"), 0);
}

/* The monthly totals hold the sealed bins; the reader adds the open ones,
 * and a host whose only traffic of the month is in open bins is listed at
 * its place in address order, 0.0.0.0 never. Then the seal moves it all
 * into the table, and the totals read the same. */
static void test_traff_adds_open_bins(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    const int64_t t0 = T_JAN15 + 10 * T_HOUR;
    const struct bin_row sealed[] = {mkweb("10.0.0.5", DIR_R, t0, 100, 0),
                                     mkweb("10.0.0.5", DIR_S, t0, 7, 0)};
    put(s, sealed, 2);
    seal_before(s, t0 + BIN_SECONDS);
    const struct bin_row open[] = {
        mkweb("10.0.0.5", DIR_R, t0 + T_HOUR, 20, 0),
        mkweb("10.0.0.1", DIR_S, t0 + T_HOUR, 3, 0),
        mkweb("10.0.0.9", DIR_R, t0 + T_HOUR, 4, 0),
        mkweb("2001:db8::1", DIR_R, t0 + T_HOUR, 5, 0),
        mkweb("0.0.0.0", DIR_R, t0 + T_HOUR, 29, 0),
    };
    put(s, open, OF_ARRAY_LEN(open));
    assert_true(mark_of(f->path) <= t0 + T_HOUR);
    assert_int_equal(raw_count_monthly(f->path), 2); /* 10.0.0.5 and the sealer */
    static const struct {
        const char *ip;
        uint64_t dl, ul;
    } want[] = {{"10.0.0.1", 0, 3},
                {"10.0.0.5", 120, 7},
                {"10.0.0.9", 4, 0},
                {"192.0.2.99", 1, 0},
                {"2001:db8::1", 5, 0}};
    for (int pass = 0; pass < 2; pass++) {
        struct traff_got t;
        traff(s, 2024, 1, NULL, &t);
        assert_int_equal(t.n, OF_ARRAY_LEN(want));
        for (size_t i = 0; i < t.n; i++) {
            assert_host(&t.rows[i].host, want[i].ip);
            /* the sealer's second row is in the second pass, open */
            assert_int_equal(t.rows[i].dl, want[i].dl + (uint64_t)(i == 3 && pass == 1));
            assert_int_equal(t.rows[i].ul, want[i].ul);
        }
        traff(s, 2024, 1, "10.0.0.9", &t);
        assert_int_equal(t.n, 1);
        assert_int_equal(t.rows[0].dl, 4);
        traff(s, 2024, 1, "0.0.0.0", &t);
        assert_int_equal(t.n, 0);
        traff(s, 2024, 2, NULL, &t);
        assert_int_equal(t.n, 0);
        seal_before(s, t0 + 2 * T_HOUR); /* the second pass reads them sealed */
    }
    assert_int_equal(raw_count_monthly(f->path), 5); /* one row per host, the sealer's too */
    assert_int_equal(store_close(s), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_backend_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_and_series, setup, teardown),
        cmocka_unit_test_setup_teardown(test_additive_upsert, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sums_saturate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_monthly_totals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_month_in_local_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_address_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ipv4_tail_bytes_ignored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reopen_keeps_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schema_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_future_version_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_file_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readonly_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readonly_while_writing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_rows_write_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_midway_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollup_across_boundaries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollup_peak_is_the_bin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollup_saturates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollup_random_batches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollup_failure_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollup_waits_for_seal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seal_moves_mark, setup, teardown),
        cmocka_unit_test_setup_teardown(test_late_row_after_seal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_row_per_host_and_bin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_traff_adds_open_bins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_big_batch, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
