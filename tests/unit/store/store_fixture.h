/* tests/unit/store/store_fixture.h: what the store's tests share: a fresh
 * temporary directory per test (setup, teardown), stores on a file in it,
 * hand-made rows, and raw SQLite access to check what the file holds.
 * Times are UTC (TZ is set in setup) unless a test says otherwise, so that
 * months are predictable. Include after cmocka.h. */
#ifndef OF_TESTS_UNIT_STORE_STORE_FIXTURE_H
#define OF_TESTS_UNIT_STORE_STORE_FIXTURE_H

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/cells.h"
#include "store/store.h"

#define T_DAY   INT64_C(86400)
#define T_HOUR  INT64_C(3600)
#define T_JAN15 INT64_C(1705276800) /* 2024-01-15 00:00:00 UTC */
#define T_FEB01 INT64_C(1706745600) /* 2024-02-01 00:00:00 UTC */

struct fixture {
    char dir[64];
    char path[128];
};

static inline int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    if (!f)
        return -1;
    (void)snprintf(f->dir, sizeof(f->dir), "/tmp/of-store-test-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    (void)snprintf(f->path, sizeof(f->path), "%s/of.db", f->dir);
    setenv("TZ", "UTC", 1);
    tzset();
    *state = f;
    return 0;
}

static inline int teardown(void **state)
{
    struct fixture *f = *state;
    DIR *d = opendir(f->dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char p[512];
            (void)snprintf(p, sizeof(p), "%s/%s", f->dir, e->d_name);
            (void)unlink(p);
        }
        closedir(d);
    }
    (void)rmdir(f->dir);
    free(f);
    return 0;
}

static inline struct store *open_store(const char *path, int readonly)
{
    struct store_cfg cfg = {.backend = "sqlite", .path = path, .readonly = readonly};
    struct store *s = NULL;
    assert_int_equal(store_open(&s, &cfg), 0);
    assert_non_null(s);
    return s;
}

static inline int try_open(const char *path, int readonly)
{
    struct store_cfg cfg = {.backend = NULL, .path = path, .readonly = readonly};
    struct store *s = NULL;
    int rc = store_open(&s, &cfg);
    if (rc == 0)
        assert_int_equal(store_close(s), 0);
    return rc;
}

static inline struct of_addr ip(const char *text)
{
    struct of_addr a;
    assert_int_equal(addr_parse(text, &a), 0);
    return a;
}

/* A row whose counters all derive from seed: bytes[c] = seed * 1000 + c,
 * packets[c] = seed * 10 + c. */
static inline struct bin_row mkrow(const char *host, int dir, int64_t ts, uint64_t seed)
{
    struct bin_row r;
    memset(&r, 0, sizeof(r));
    r.host = ip(host);
    r.dir = (uint8_t)dir;
    r.ts = ts;
    for (int c = 0; c < CLASS__COUNT; c++) {
        r.bytes[c] = seed * 1000 + (uint64_t)c;
        r.packets[c] = seed * 10 + (uint64_t)c;
    }
    return r;
}

static inline void put(struct store *s, const struct bin_row *rows, size_t n)
{
    struct bin_batch b = {.rows = rows, .n = n};
    assert_int_equal(store_put_bins(s, &b), 0);
}

static inline void assert_host(const struct of_addr *a, const char *text)
{
    char buf[ADDR_STRLEN];
    assert_string_equal(addr_format(a, buf, sizeof(buf)), text);
}

/* of_cell(c, kind, dir, i): value i (k * CLASS__COUNT + class; k 0 bytes,
 * 1 packets, 2 peaks) of direction dir of a cells blob of the kind (2 bins,
 * 3 rollups); NULL when the blob is malformed. */
static inline void raw_of_cell(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct cells c;
    int kind = sqlite3_value_int(argv[1]);
    int dir = sqlite3_value_int(argv[2]);
    int i = sqlite3_value_int(argv[3]);
    if (cells_decode(sqlite3_value_blob(argv[0]), (size_t)sqlite3_value_bytes(argv[0]),
                     (enum cells_kind)kind, &c) < 0 ||
        dir < 0 || dir >= DIR__COUNT || i < 0 || (size_t)i >= CELLS_VALUES) {
        sqlite3_result_null(ctx);
        return;
    }
    sqlite3_result_int64(ctx, (sqlite3_int64)c.v[dir][i]);
}

/* A TEMP view of a version 4 table in the columns of version 3, one row per
 * (ts, dir, host) that has counters of that direction: host, dir, ts, the
 * b_ bytes, for rollups the m_ peaks, the p_ packets. */
static inline void raw_view(sqlite3 *db, const char *view, const char *table, int kind)
{
    char sql[8192];
    int n = snprintf(sql, sizeof(sql), "CREATE TEMP VIEW %s AS SELECT * FROM (", view);
    for (int dir = 0; dir < DIR__COUNT; dir++) {
        n += snprintf(sql + n, sizeof(sql) - (size_t)n, "%sSELECT host, %d AS dir, ts",
                      dir ? " UNION ALL " : "", dir);
        static const int order[] = {0, 2, 1}; /* b_, m_, p_ as version 3 had them */
        static const char *const prefix[] = {"b", "p", "m"};
        for (int o = 0; o < 3; o++) {
            int k = order[o];
            if (k >= kind)
                continue;
            for (int c = 0; c < CLASS__COUNT; c++)
                n += snprintf(sql + n, sizeof(sql) - (size_t)n, ", of_cell(c, %d, %d, %d) AS %s_%s",
                              kind, dir, k * CLASS__COUNT + c, prefix[k],
                              class_name((enum traffic_class)c));
        }
        n += snprintf(sql + n, sizeof(sql) - (size_t)n, " FROM %s", table);
    }
    n += snprintf(sql + n, sizeof(sql) - (size_t)n, ") WHERE b_total OR p_total");
    for (int c = 1; c < CLASS__COUNT; c++)
        n += snprintf(sql + n, sizeof(sql) - (size_t)n, " OR b_%s OR p_%s",
                      class_name((enum traffic_class)c), class_name((enum traffic_class)c));
    assert_true(n > 0 && (size_t)n < sizeof(sql));
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
}

/* A raw connection to the file, with of_cell and, when the file has
 * version 4's tables, the TEMP views v_bins, v_bins_1h and v_bins_1d that
 * show them in version 3's columns. */
static inline sqlite3 *raw_open(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(
        sqlite3_create_function(db, "of_cell", 4, SQLITE_UTF8, NULL, raw_of_cell, NULL, NULL),
        SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM sqlite_master WHERE name = 'bins'"
                                        " AND sql LIKE '%c BLOB%'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int v4 = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (v4) {
        raw_view(db, "v_bins", "bins", CELLS_BIN);
        raw_view(db, "v_bins_1h", "bins_1h", CELLS_ROLLUP);
        raw_view(db, "v_bins_1d", "bins_1d", CELLS_ROLLUP);
    }
    return db;
}

static inline void raw_exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
}

static inline int64_t raw_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static inline int64_t count_rows(const char *path, const char *table)
{
    sqlite3 *db = raw_open(path);
    char sql[128];
    (void)snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
    int64_t n = raw_int(db, sql);
    sqlite3_close(db);
    return n;
}

/* The rows of a table as integers, row by row in key order: a snapshot to
 * compare. *n is the number of integers; the caller frees the result. */
static inline int64_t *table_dump(sqlite3 *db, const char *table, size_t *n)
{
    char sql[128];
    (void)snprintf(sql, sizeof(sql), "SELECT * FROM %s ORDER BY ts, dir, host", table);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    size_t cap = 1024;
    size_t len = 0;
    int64_t *v = malloc(cap * sizeof(*v));
    assert_non_null(v);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            if (len == cap) {
                cap *= 2;
                v = realloc(v, cap * sizeof(*v));
                assert_non_null(v);
            }
            assert_int_equal(sqlite3_column_type(st, c), SQLITE_INTEGER);
            v[len++] = sqlite3_column_int64(st, c);
        }
    }
    sqlite3_finalize(st);
    *n = len;
    return v;
}

/* The rollup mark: the bins before it are in the rollups (INT64_MAX when
 * the store has none: no bins). */
static inline int64_t raw_mark(sqlite3 *db)
{
    return raw_int(db, "SELECT coalesce((SELECT ts FROM rollup_mark), 9223372036854775807)");
}

/* Asserts that a rollup view holds exactly what its definition computes
 * from the bins before the rollup mark: per (step, dir, host) the sums of
 * bytes and packets and the largest bin bytes, per class. Only for stores
 * whose sums stay far from BIN_COUNTER_MAX (SQL's sum() fails on an
 * overflow). */
static inline void assert_rollup_matches_bins(sqlite3 *db, const char *view, int64_t step)
{
    char want[4096];
    int n = snprintf(want, sizeof(want), "SELECT host, dir, ts - (ts %% %lld + %lld) %% %lld AS st",
                     (long long)step, (long long)step, (long long)step);
    /* the view's columns: b_ sums, m_ peaks, p_ sums */
    static const char *const fn[] = {"sum", "max", "sum"};
    static const char col[] = {'b', 'b', 'p'};
    for (size_t k = 0; k < 3; k++)
        for (int c = 0; c < CLASS__COUNT; c++)
            n += snprintf(want + n, sizeof(want) - (size_t)n, ", %s(%c_%s)", fn[k], col[k],
                          class_name((enum traffic_class)c));
    n += snprintf(want + n, sizeof(want) - (size_t)n,
                  " FROM v_bins WHERE ts < %lld GROUP BY st, dir, host", (long long)raw_mark(db));
    assert_true(n > 0 && (size_t)n < sizeof(want));
    char sql[3 * sizeof(want)];
    n = snprintf(sql, sizeof(sql),
                 "SELECT (SELECT count(*) FROM (SELECT * FROM %s EXCEPT %s))"
                 " + (SELECT count(*) FROM (%s EXCEPT SELECT * FROM %s))",
                 view, want, want, view);
    assert_true(n > 0 && (size_t)n < sizeof(sql));
    assert_int_equal(raw_int(db, sql), 0);
    (void)snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", view);
    int64_t rows = raw_int(db, sql);
    n = snprintf(sql, sizeof(sql), "SELECT count(*) FROM (%s)", want);
    assert_true(n > 0 && (size_t)n < sizeof(sql));
    assert_int_equal(rows, raw_int(db, sql));
}

static inline void assert_rollups_match_bins(const char *path)
{
    sqlite3 *db = raw_open(path);
    assert_rollup_matches_bins(db, "v_bins_1h", T_HOUR);
    assert_rollup_matches_bins(db, "v_bins_1d", T_DAY);
    sqlite3_close(db);
}

#endif
