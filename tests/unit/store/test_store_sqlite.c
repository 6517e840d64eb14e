/* tests/unit/store/test_store_sqlite.c: the SQLite store on real database
 * files, one fresh temporary directory per test. Times are UTC (TZ is set in
 * each setup) unless a test says otherwise, so that months are predictable. */
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

#define T_JAN15 INT64_C(1705276800) /* 2024-01-15 00:00:00 UTC */
#define T_FEB01 INT64_C(1706745600) /* 2024-02-01 00:00:00 UTC */
#define MAX_GOT 64

struct fixture {
    char dir[64];
    char path[128];
};

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

static int setup(void **state)
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

static int teardown(void **state)
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

static struct store *open_store(const char *path, int readonly)
{
    struct store_cfg cfg = {.backend = "sqlite", .path = path, .readonly = readonly};
    struct store *s = NULL;
    assert_int_equal(store_open(&s, &cfg), 0);
    assert_non_null(s);
    return s;
}

static int try_open(const char *path, int readonly)
{
    struct store_cfg cfg = {.backend = NULL, .path = path, .readonly = readonly};
    struct store *s = NULL;
    int rc = store_open(&s, &cfg);
    if (rc == 0)
        assert_int_equal(store_close(s), 0);
    return rc;
}

static struct of_addr ip(const char *text)
{
    struct of_addr a;
    assert_int_equal(addr_parse(text, &a), 0);
    return a;
}

/* A row whose counters all derive from seed: bytes[c] = seed * 1000 + c,
 * packets[c] = seed * 10 + c. */
static struct bin_row mkrow(const char *host, int dir, int64_t ts, uint64_t seed)
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

static void put(struct store *s, const struct bin_row *rows, size_t n)
{
    struct bin_batch b = {.rows = rows, .n = n};
    assert_int_equal(store_put_bins(s, &b), 0);
}

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

static void assert_row_seed(const struct bin_row *r, int64_t ts, uint64_t seed, uint64_t times)
{
    assert_int_equal(r->ts, ts);
    for (int c = 0; c < CLASS__COUNT; c++) {
        assert_int_equal(r->bytes[c], times * (seed * 1000 + (uint64_t)c));
        assert_int_equal(r->packets[c], times * (seed * 10 + (uint64_t)c));
    }
}

static void assert_host(const struct of_addr *a, const char *text)
{
    char buf[ADDR_STRLEN];
    assert_string_equal(addr_format(a, buf, sizeof(buf)), text);
}

static sqlite3 *raw_open(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    return db;
}

static void raw_exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
}

static int64_t raw_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int64_t count_rows(const char *path, const char *table)
{
    sqlite3 *db = raw_open(path);
    char sql[128];
    (void)snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
    int64_t n = raw_int(db, sql);
    sqlite3_close(db);
    return n;
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

/* Sums stop at STORE_COUNTER_MAX instead of overflowing into floats. */
static void test_sums_saturate(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    struct bin_row row = mkrow("10.0.0.1", DIR_R, T_JAN15, 0);
    for (int c = 0; c < CLASS__COUNT; c++)
        row.bytes[c] = STORE_COUNTER_MAX;
    put(s, &row, 1);
    put(s, &row, 1);
    struct series_got g;
    assert_int_equal(series(s, "10.0.0.1", DIR_R, 0, T_FEB01, &g), 1);
    assert_int_equal(g.rows[0].bytes[CLASS_TOTAL], STORE_COUNTER_MAX);
    assert_int_equal(g.rows[0].bytes[CLASS_SIP], STORE_COUNTER_MAX);
    assert_int_equal(g.rows[0].packets[CLASS_SIP], 2 * CLASS_SIP);
    struct traff_got t;
    assert_int_equal(traff(s, 2024, 1, NULL, &t), 1);
    assert_int_equal(t.rows[0].dl, STORE_COUNTER_MAX);
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
    assert_int_equal(schema_version(), 1);
    struct store *s = open_store(f->path, 0);
    sqlite3 *db = raw_open(f->path);
    assert_int_equal(raw_int(db, "PRAGMA user_version"), schema_version());
    assert_int_equal(raw_int(db, "PRAGMA application_id"), SCHEMA_APP_ID);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE name IN"
                                 " ('hosts', 'bins', 'monthly')"),
                     3);
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
    raw_exec(db, "PRAGMA user_version = 2");
    sqlite3_close(db);
    assert_int_equal(try_open(f->path, 0), -EPROTO);
    assert_int_equal(try_open(f->path, 1), -EPROTO);
    db = raw_open(f->path);
    assert_int_equal(raw_int(db, "PRAGMA user_version"), 2);
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

    /* another process in the middle of a write transaction */
    sqlite3 *db = raw_open(f->path);
    raw_exec(db, "BEGIN IMMEDIATE");
    raw_exec(db, "INSERT INTO bins (host, dir, ts, b_total)"
                 " VALUES ((SELECT id FROM hosts WHERE ip = '10.0.0.1'), 0, 1705277400, 5)");

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
    assert_int_equal(count_rows(f->path, "bins"), 3 * N);
    assert_int_equal(count_rows(f->path, "monthly"), HOSTS - 1);
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
        cmocka_unit_test_setup_teardown(test_big_batch, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
