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

static inline sqlite3 *raw_open(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
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

/* Asserts that a rollup table holds exactly what its definition computes
 * from the bins: per (step, dir, host) the sums of bytes and packets and
 * the largest bin bytes, per class. Only for stores whose sums stay far
 * from BIN_COUNTER_MAX (SQL's sum() fails on an overflow). */
static inline void assert_rollup_matches_bins(sqlite3 *db, const char *table, int64_t step)
{
    char want[4096];
    int n = snprintf(want, sizeof(want), "SELECT host, dir, ts - (ts %% %lld + %lld) %% %lld AS st",
                     (long long)step, (long long)step, (long long)step);
    /* the table's columns: b_ sums, m_ peaks, p_ sums */
    static const char *const fn[] = {"sum", "max", "sum"};
    static const char col[] = {'b', 'b', 'p'};
    for (size_t k = 0; k < 3; k++)
        for (int c = 0; c < CLASS__COUNT; c++)
            n += snprintf(want + n, sizeof(want) - (size_t)n, ", %s(%c_%s)", fn[k], col[k],
                          class_name((enum traffic_class)c));
    n += snprintf(want + n, sizeof(want) - (size_t)n, " FROM bins GROUP BY st, dir, host");
    assert_true(n > 0 && (size_t)n < sizeof(want));
    char sql[3 * sizeof(want)];
    n = snprintf(sql, sizeof(sql),
                 "SELECT (SELECT count(*) FROM (SELECT * FROM %s EXCEPT %s))"
                 " + (SELECT count(*) FROM (%s EXCEPT SELECT * FROM %s))",
                 table, want, want, table);
    assert_true(n > 0 && (size_t)n < sizeof(sql));
    assert_int_equal(raw_int(db, sql), 0);
    (void)snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
    int64_t rows = raw_int(db, sql);
    n = snprintf(sql, sizeof(sql), "SELECT count(*) FROM (%s)", want);
    assert_true(n > 0 && (size_t)n < sizeof(sql));
    assert_int_equal(rows, raw_int(db, sql));
}

static inline void assert_rollups_match_bins(const char *path)
{
    sqlite3 *db = raw_open(path);
    assert_rollup_matches_bins(db, "bins_1h", T_HOUR);
    assert_rollup_matches_bins(db, "bins_1d", T_DAY);
    sqlite3_close(db);
}

#endif
