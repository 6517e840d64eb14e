/* tests/unit/store/test_store_sqlite_prune.c: the SQLite store's prune on
 * real database files (see store_fixture.h): which rows go and how many per
 * call, that the rollups and monthly totals built from them stay as they
 * were, that bins not yet in the rollups (from the rollup mark on) are never
 * deleted, what get_info says afterwards, and that the freed space is used
 * again before the file grows. */
/* cmocka.h needs these first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <sys/stat.h>

#include "store/store.h"
#include "store/store_sqlite.h"
#include "unit/store/store_fixture.h"

static const char *const hosts[] = {"10.0.0.1", "10.0.0.2", "2001:db8::1", "0.0.0.0"};
#define NHOSTS 4
/* Rows per bin start: one per host, which holds both directions. */
#define PER_TS NHOSTS

/* Bins of every host in both directions at start, start + step, ... (n of
 * them), written in one batch. The batch seals the bins more than 600 s
 * before its newest: the rollup mark ends up at start + (n - 1) * step - 600
 * rounded down to a bin start. */
static void put_span(struct store *s, int64_t start, int64_t step, size_t n)
{
    size_t cap = n * NHOSTS * DIR__COUNT;
    struct bin_row *rows = calloc(cap, sizeof(*rows));
    assert_non_null(rows);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t h = 0; h < NHOSTS; h++)
            for (int d = 0; d < DIR__COUNT; d++)
                rows[k++] = mkrow(hosts[h], d, start + (int64_t)i * step, i + h + 1);
    put(s, rows, k);
    free(rows);
}

static uint64_t file_size(const char *path)
{
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    return (uint64_t)sb.st_size;
}

static int64_t raw_count(const char *path, const char *sql)
{
    sqlite3 *db = raw_open(path);
    int64_t n = raw_int(db, sql);
    sqlite3_close(db);
    return n;
}

static int64_t mark_of(const char *path)
{
    sqlite3 *db = raw_open(path);
    int64_t m = raw_mark(db);
    sqlite3_close(db);
    return m;
}

/* The contents of a table or of a v_ view (store_fixture.h), to compare
 * before and after. */
struct dump {
    int64_t *v;
    size_t n;
};

static struct dump dump(const char *path, const char *table)
{
    sqlite3 *db = raw_open(path);
    struct dump d;
    if (strcmp(table, "monthly") == 0) {
        /* keyed by (ym, host): no ts column to order by */
        sqlite3_stmt *st = NULL;
        assert_int_equal(
            sqlite3_prepare_v2(db, "SELECT ym, host, dl, ul FROM monthly ORDER BY ym, host", -1,
                               &st, NULL),
            SQLITE_OK);
        d.v = calloc(4096, sizeof(*d.v));
        assert_non_null(d.v);
        d.n = 0;
        while (sqlite3_step(st) == SQLITE_ROW)
            for (int c = 0; c < 4 && d.n < 4096; c++)
                d.v[d.n++] = sqlite3_column_int64(st, c);
        sqlite3_finalize(st);
    } else {
        d.v = table_dump(db, table, &d.n);
    }
    sqlite3_close(db);
    return d;
}

static void assert_same(struct dump a, struct dump b)
{
    assert_true(a.n > 0);
    assert_int_equal(a.n, b.n);
    assert_memory_equal(a.v, b.v, a.n * sizeof(*a.v));
    free(a.v);
    free(b.v);
}

/* What store_get_steps reports for one host and direction. */
#define MAX_STEPS 256
struct steps_got {
    struct step_row rows[MAX_STEPS];
    size_t n;
};

static int steps_collect(const struct step_row *row, void *arg)
{
    struct steps_got *g = arg;
    assert_true(g->n < MAX_STEPS);
    g->rows[g->n++] = *row;
    return 0;
}

static struct steps_got *steps(struct store *s, const char *host, int dir, enum store_step step)
{
    struct steps_got *g = calloc(1, sizeof(*g));
    assert_non_null(g);
    struct of_addr a = ip(host);
    assert_int_equal(store_get_steps(s, &a, dir, INT64_MIN, INT64_MAX, step, steps_collect, g), 0);
    return g;
}

static void assert_same_steps(struct steps_got *a, struct steps_got *b)
{
    assert_true(a->n > 0);
    assert_int_equal(a->n, b->n);
    assert_memory_equal(a->rows, b->rows, a->n * sizeof(a->rows[0]));
    free(a);
    free(b);
}

static void prune(struct store *s, enum store_step step, int64_t before, uint64_t max_rows,
                  uint64_t want)
{
    uint64_t n = 99999;
    assert_int_equal(store_prune(s, step, before, max_rows, &n), 0);
    assert_int_equal(n, want);
}

/* Bins before the cut go, those at and after it stay; the hourly and
 * daily rollups and the monthly totals keep every row and value, and so
 * do the coarse steps the store reports. */
static void test_prune_bins_keeps_rollups(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    /* two days and a bit, one bin every 30 minutes, across a month's end */
    int64_t start = T_FEB01 - 2 * T_DAY;
    put_span(s, start, 1800, 100);
    int64_t mark = start + 99 * 1800 - 600; /* only the newest bin is open */
    assert_int_equal(mark_of(f->path), mark);
    assert_int_equal(count_rows(f->path, "bins"), 100 * PER_TS);
    assert_int_equal(count_rows(f->path, "v_bins"), 100 * PER_TS * DIR__COUNT);
    assert_rollups_match_bins(f->path);
    struct dump hours = dump(f->path, "v_bins_1h");
    struct dump days = dump(f->path, "v_bins_1d");
    struct dump months = dump(f->path, "monthly");
    struct steps_got *h_steps = steps(s, hosts[1], DIR_S, STORE_STEP_HOUR);
    struct steps_got *d_steps = steps(s, hosts[1], DIR_S, STORE_STEP_DAY);
    assert_int_equal(h_steps->n, 50);
    assert_int_equal(d_steps->n, 3);

    int64_t cut = T_FEB01 + 1800; /* 97 bin starts before it */
    prune(s, STORE_STEP_BIN, cut, 1000000, 97 * PER_TS);
    assert_int_equal(count_rows(f->path, "bins"), 3 * PER_TS);
    assert_int_equal(raw_count(f->path, "SELECT min(ts) FROM bins"), cut);
    assert_same(hours, dump(f->path, "v_bins_1h"));
    assert_same(days, dump(f->path, "v_bins_1d"));
    assert_same(months, dump(f->path, "monthly"));
    assert_same_steps(h_steps, steps(s, hosts[1], DIR_S, STORE_STEP_HOUR));
    assert_same_steps(d_steps, steps(s, hosts[1], DIR_S, STORE_STEP_DAY));
    assert_int_equal(mark_of(f->path), mark);

    /* the store reads as it should: series from the cut on, totals whole */
    struct store_info info;
    assert_int_equal(store_get_info(s, &info), 0);
    assert_int_equal(info.first_bin, cut);
    assert_int_equal(info.last_bin, start + 99 * 1800);
    assert_int_equal(info.first_hour, start);
    assert_int_equal(info.hosts, NHOSTS);

    /* again: nothing left before the cut */
    prune(s, STORE_STEP_BIN, cut, 1000000, 0);
    assert_int_equal(store_close(s), 0);
}

/* max_rows bounds a call exactly, even inside one bin start's rows, and the
 * oldest rows go first, in key order. */
static void test_prune_in_chunks(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    /* 7 bin starts of PER_TS rows; the first 4 are sealed, so the cut is
     * not lowered by the rollup mark */
    put_span(s, T_JAN15, BIN_SECONDS, 7);
    assert_int_equal(mark_of(f->path), T_JAN15 + 4 * BIN_SECONDS);
    int64_t cut = T_JAN15 + 3 * BIN_SECONDS;
    uint64_t total = 0;
    size_t calls = 0;
    for (;;) {
        uint64_t n = 0;
        assert_int_equal(store_prune(s, STORE_STEP_BIN, cut, 5, &n), 0);
        calls++;
        if (n == 0)
            break;
        assert_true(n <= 5);
        total += n;
        /* what is left is the newest part of the key */
        int64_t left = count_rows(f->path, "bins");
        assert_int_equal(left, 7 * PER_TS - (int64_t)total);
        char sql[160];
        (void)snprintf(sql, sizeof(sql), "SELECT count(*) FROM bins WHERE ts < %lld",
                       (long long)cut);
        assert_int_equal(raw_count(f->path, sql), 3 * PER_TS - (int64_t)total);
        if (calls == 1) /* the first chunk ended one row into the second bin start */
            assert_int_equal(raw_count(f->path, "SELECT count(*) FROM bins WHERE ts = 1705277100"),
                             PER_TS - 1);
    }
    assert_int_equal(total, 3 * PER_TS);
    /* 12 rows in chunks of 5: 3 calls delete, the fourth finds none */
    assert_int_equal(calls, (3 * PER_TS + 4) / 5 + 1);
    assert_int_equal(count_rows(f->path, "bins"), 4 * PER_TS);
    assert_int_equal(raw_count(f->path, "SELECT min(ts) FROM bins"), cut);
    assert_int_equal(store_close(s), 0);
}

/* The rows of a bin start that a chunk ends in go in the key's order, the
 * lowest host ids first, and each row takes both directions with it. */
static void test_prune_partial_bin_key_order(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    put_span(s, T_JAN15, BIN_SECONDS, 4); /* seals the first bin start */
    assert_int_equal(mark_of(f->path), T_JAN15 + BIN_SECONDS);
    prune(s, STORE_STEP_BIN, T_JAN15 + BIN_SECONDS, 3, 3);
    sqlite3 *db = raw_open(f->path);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM bins WHERE ts = 1705276800"), PER_TS - 3);
    /* every deleted row sorts before the kept one: the highest host id */
    assert_int_equal(raw_int(db, "SELECT host FROM bins WHERE ts = 1705276800"),
                     raw_int(db, "SELECT max(id) FROM hosts"));
    assert_int_equal(raw_int(db, "SELECT count(*) FROM v_bins WHERE ts = 1705276800"), DIR__COUNT);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM bins WHERE ts > 1705276800"), 3 * PER_TS);
    sqlite3_close(db);
    /* the next call takes the rest of that start, and no more */
    prune(s, STORE_STEP_BIN, T_JAN15 + BIN_SECONDS, 3, 1);
    prune(s, STORE_STEP_BIN, T_JAN15 + BIN_SECONDS, 3, 0);
    assert_int_equal(count_rows(f->path, "bins"), 3 * PER_TS);
    assert_int_equal(store_close(s), 0);
}

/* Hourly rollups go the same way, leaving the bins, the days and the
 * months alone. */
static void test_prune_hours(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    put_span(s, T_JAN15, T_HOUR, 48); /* one bin per hour for two days */
    /* the newest bin is not sealed: its hour is not stored yet */
    assert_int_equal(mark_of(f->path), T_JAN15 + 47 * T_HOUR - 600);
    assert_int_equal(count_rows(f->path, "bins_1h"), 47 * PER_TS);
    struct dump bins = dump(f->path, "v_bins");
    struct dump days = dump(f->path, "v_bins_1d");
    struct dump months = dump(f->path, "monthly");
    int64_t cut = T_JAN15 + T_DAY + 5 * T_HOUR;
    prune(s, STORE_STEP_HOUR, cut, 1000000, 29 * PER_TS);
    assert_int_equal(count_rows(f->path, "bins_1h"), 18 * PER_TS);
    assert_int_equal(raw_count(f->path, "SELECT min(ts) FROM bins_1h"), cut);
    assert_same(bins, dump(f->path, "v_bins"));
    assert_same(days, dump(f->path, "v_bins_1d"));
    assert_same(months, dump(f->path, "monthly"));
    struct store_info info;
    assert_int_equal(store_get_info(s, &info), 0);
    assert_int_equal(info.first_hour, cut);
    assert_int_equal(info.first_bin, T_JAN15);
    /* the hours read from the cut on: 18 stored, the last from its bin */
    struct steps_got *g = steps(s, hosts[0], DIR_R, STORE_STEP_HOUR);
    assert_int_equal(g->n, 19);
    assert_int_equal(g->rows[0].ts, cut);
    assert_int_equal(g->rows[0].bytes[CLASS_TOTAL], 30 * 1000);
    assert_int_equal(g->rows[18].ts, T_JAN15 + 47 * T_HOUR);
    assert_int_equal(g->rows[18].bytes[CLASS_TOTAL], 48 * 1000);
    free(g);
    assert_int_equal(store_close(s), 0);
}

/* Later writes to a pruned bin start over from zero there and go on adding
 * to the rollups, which keep what they had. */
static void test_write_after_prune(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    const struct bin_row a = mkrow("10.0.0.1", DIR_R, T_JAN15, 1);
    put(s, &a, 1);
    /* a's bin is still open: prune leaves it */
    prune(s, STORE_STEP_BIN, T_JAN15 + BIN_SECONDS, 10, 0);
    /* a later bin of another host seals it */
    const struct bin_row later = mkrow("10.0.0.2", DIR_R, T_JAN15 + 3 * BIN_SECONDS, 5);
    put(s, &later, 1);
    assert_int_equal(mark_of(f->path), T_JAN15 + BIN_SECONDS);
    prune(s, STORE_STEP_BIN, T_JAN15 + BIN_SECONDS, 10, 1);
    /* a late row to the pruned bin: before the mark, so into the rollups
     * at once */
    const struct bin_row b = mkrow("10.0.0.1", DIR_R, T_JAN15, 2);
    put(s, &b, 1);
    sqlite3 *db = raw_open(f->path);
    static const char host1[] = " WHERE host = (SELECT id FROM hosts WHERE ip = '10.0.0.1')";
    char sql[256];
    (void)snprintf(sql, sizeof(sql), "SELECT b_total FROM v_bins%s", host1);
    assert_int_equal(raw_int(db, sql), 2000);
    (void)snprintf(sql, sizeof(sql), "SELECT b_total FROM v_bins_1h%s", host1);
    assert_int_equal(raw_int(db, sql), 3000);
    /* the hour's fullest bin is the bin as it is after the late row */
    (void)snprintf(sql, sizeof(sql), "SELECT m_total FROM v_bins_1h%s", host1);
    assert_int_equal(raw_int(db, sql), 2000);
    (void)snprintf(sql, sizeof(sql), "SELECT p_total FROM v_bins_1h%s", host1);
    assert_int_equal(raw_int(db, sql), 30);
    (void)snprintf(sql, sizeof(sql), "SELECT b_total FROM v_bins_1d%s", host1);
    assert_int_equal(raw_int(db, sql), 3000);
    (void)snprintf(sql, sizeof(sql), "SELECT dl FROM monthly%s", host1);
    assert_int_equal(raw_int(db, sql), 3000);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM v_bins"), 2);
    sqlite3_close(db);
    struct steps_got *g = steps(s, "10.0.0.1", DIR_R, STORE_STEP_DAY);
    assert_int_equal(g->n, 1);
    assert_int_equal(g->rows[0].ts, T_JAN15);
    assert_int_equal(g->rows[0].bytes[CLASS_TOTAL], 3000);
    assert_int_equal(g->rows[0].peak[CLASS_TOTAL], 2000);
    free(g);
    assert_int_equal(store_close(s), 0);
}

static void test_prune_refused(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    put_span(s, T_JAN15, T_HOUR, 2); /* the first hour is sealed, the second not */
    assert_int_equal(count_rows(f->path, "bins_1h"), PER_TS);
    uint64_t n = 7;
    /* daily rollups are kept for good */
    assert_int_equal(store_prune(s, STORE_STEP_DAY, T_FEB01, 100, &n), -EINVAL);
    assert_int_equal(store_prune(s, (enum store_step)42, T_FEB01, 100, &n), -EINVAL);
    assert_int_equal(store_prune(s, STORE_STEP_BIN, T_FEB01, 0, &n), -EINVAL);
    assert_int_equal(store_prune(s, STORE_STEP_HOUR, T_FEB01, 0, &n), -EINVAL);
    assert_int_equal(n, 7);
    /* a cut before everything, and extreme cuts */
    prune(s, STORE_STEP_BIN, T_JAN15, 100, 0);
    prune(s, STORE_STEP_BIN, INT64_MIN, 100, 0);
    prune(s, STORE_STEP_HOUR, INT64_MIN, 100, 0);
    prune(s, STORE_STEP_HOUR, INT64_MAX, UINT64_MAX, PER_TS);
    assert_int_equal(count_rows(f->path, "bins_1h"), 0);
    assert_int_equal(count_rows(f->path, "bins_1d"), PER_TS);
    assert_int_equal(store_close(s), 0);

    struct store *ro = open_store(f->path, 1);
    assert_int_equal(store_prune(ro, STORE_STEP_BIN, T_FEB01, 100, &n), -EROFS);
    assert_int_equal(store_prune(ro, STORE_STEP_HOUR, T_FEB01, 100, &n), -EROFS);
    assert_int_equal(n, 7);
    assert_int_equal(store_close(ro), 0);
    assert_int_equal(count_rows(f->path, "bins"), 2 * PER_TS);
}

/* Bins from the rollup mark on are in no rollup yet: prune never deletes
 * them, whatever the cut, and they reach the rollups once a later batch
 * seals them. */
static void test_prune_stops_at_mark(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    /* no bins, no mark: nothing to delete */
    prune(s, STORE_STEP_BIN, INT64_MAX, 100, 0);
    put_span(s, T_JAN15, BIN_SECONDS, 10);
    int64_t mark = T_JAN15 + 7 * BIN_SECONDS; /* bins 7, 8 and 9 are open */
    assert_int_equal(mark_of(f->path), mark);
    struct dump hours = dump(f->path, "v_bins_1h");

    /* in chunks that end inside bin starts, up to the mark and no further */
    uint64_t total = 0;
    uint64_t n = 0;
    do {
        assert_int_equal(store_prune(s, STORE_STEP_BIN, INT64_MAX, 5, &n), 0);
        assert_true(n <= 5);
        total += n;
    } while (n > 0);
    assert_int_equal(total, 7 * PER_TS);
    assert_int_equal(count_rows(f->path, "bins"), 3 * PER_TS);
    assert_int_equal(raw_count(f->path, "SELECT min(ts) FROM bins"), mark);
    /* and in one go, with a cut at, just after or long after the mark */
    prune(s, STORE_STEP_BIN, INT64_MAX, UINT64_MAX, 0);
    prune(s, STORE_STEP_BIN, mark + BIN_SECONDS, 100, 0);
    prune(s, STORE_STEP_BIN, mark + 3 * BIN_SECONDS, 100, 0);
    prune(s, STORE_STEP_BIN, mark, 100, 0);
    assert_int_equal(count_rows(f->path, "bins"), 3 * PER_TS);
    assert_same(hours, dump(f->path, "v_bins_1h"));
    assert_int_equal(mark_of(f->path), mark);
    struct store_info info;
    assert_int_equal(store_get_info(s, &info), 0);
    assert_int_equal(info.first_bin, mark);

    /* bins 10, 11 and 12 seal 7, 8 and 9: the hour holds all ten of its
     * first bins, the two after it comes from the bins themselves */
    put_span(s, T_JAN15 + 10 * BIN_SECONDS, BIN_SECONDS, 3);
    assert_int_equal(mark_of(f->path), T_JAN15 + 10 * BIN_SECONDS);
    sqlite3 *db = raw_open(f->path);
    static const char hour[] = "FROM v_bins_1h WHERE ts = 1705276800 AND dir = 0"
                               " AND host = (SELECT id FROM hosts WHERE ip = '10.0.0.1')";
    char sql[256];
    (void)snprintf(sql, sizeof(sql), "SELECT b_total %s", hour);
    assert_int_equal(raw_int(db, sql), 55000); /* seeds 1 .. 10 */
    (void)snprintf(sql, sizeof(sql), "SELECT m_total %s", hour);
    assert_int_equal(raw_int(db, sql), 10000);
    (void)snprintf(sql, sizeof(sql), "SELECT p_web %s", hour);
    assert_int_equal(raw_int(db, sql), 550 + 10 * CLASS_WEB);
    sqlite3_close(db);
    struct steps_got *g = steps(s, hosts[0], DIR_R, STORE_STEP_HOUR);
    assert_int_equal(g->n, 2);
    assert_int_equal(g->rows[0].ts, T_JAN15);
    assert_int_equal(g->rows[0].bytes[CLASS_TOTAL], 55000 + 1000 + 2000);
    assert_int_equal(g->rows[0].peak[CLASS_TOTAL], 10000);
    assert_int_equal(g->rows[0].packets[CLASS_TOTAL], 550 + 10 + 20);
    assert_int_equal(g->rows[1].ts, T_JAN15 + T_HOUR);
    assert_int_equal(g->rows[1].bytes[CLASS_TOTAL], 3000);
    free(g);
    /* now bins 7, 8 and 9 are sealed, and go like any other */
    prune(s, STORE_STEP_BIN, INT64_MAX, UINT64_MAX, 3 * PER_TS);
    assert_int_equal(count_rows(f->path, "bins"), 3 * PER_TS);
    assert_int_equal(raw_count(f->path, "SELECT min(ts) FROM bins"), T_JAN15 + 10 * BIN_SECONDS);
    assert_int_equal(store_close(s), 0);
}

/* A day of 60 hosts' bins, at day (0, 1, ...) after T_JAN15. */
#define DAY_HOSTS 60
#define DAY_BINS  288
static void put_day(struct store *s, int64_t day)
{
    struct bin_row *rows = calloc((size_t)DAY_HOSTS * DAY_BINS * DIR__COUNT, sizeof(*rows));
    assert_non_null(rows);
    size_t k = 0;
    for (int b = 0; b < DAY_BINS; b++)
        for (int h = 0; h < DAY_HOSTS; h++)
            for (int d = 0; d < DIR__COUNT; d++) {
                char a[32];
                (void)snprintf(a, sizeof(a), "10.1.0.%d", h + 1);
                rows[k++] = mkrow(a, d, T_JAN15 + day * T_DAY + b * BIN_SECONDS, 1);
            }
    put(s, rows, k);
    free(rows);
}

/* Deleted rows become free pages that get_info reports, and the next rows
 * fill them: a second day after the first day's bins were deleted grows
 * the file by a fraction of what the first day did. The day's last three
 * bins are still open and stay. Sizes are read after a close, which moves
 * the WAL into the file. */
static void test_space_is_used_again(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    assert_int_equal(store_close(s), 0);
    uint64_t size0 = file_size(f->path);

    s = open_store(f->path, 0);
    put_day(s, 0);
    assert_int_equal(store_close(s), 0);
    uint64_t size1 = file_size(f->path);
    assert_true(size1 > size0 + 1000000);
    int64_t mark = T_JAN15 + (DAY_BINS - 3) * BIN_SECONDS; /* its last three bins are open */
    assert_int_equal(mark_of(f->path), mark);

    s = open_store(f->path, 0);
    struct store_info info;
    assert_int_equal(store_get_info(s, &info), 0);
    assert_true(info.free_bytes < (size1 - size0) / 20);
    prune(s, STORE_STEP_BIN, INT64_MAX, UINT64_MAX, DAY_HOSTS * (DAY_BINS - 3));
    assert_int_equal(store_get_info(s, &info), 0);
    assert_int_equal(info.first_bin, mark);
    /* the bins are most of what the day added */
    assert_true(info.free_bytes > (size1 - size0) / 2);
    put_day(s, 1);
    assert_int_equal(store_close(s), 0);
    uint64_t size2 = file_size(f->path);
    assert_true(size2 - size1 < (size1 - size0) / 4);
    assert_int_equal(count_rows(f->path, "bins"), DAY_HOSTS * (DAY_BINS + 3));
    assert_int_equal(count_rows(f->path, "v_bins"), DAY_HOSTS * (DAY_BINS + 3) * DIR__COUNT);
    assert_int_equal(count_rows(f->path, "bins_1d"), 2 * DAY_HOSTS);
    assert_int_equal(count_rows(f->path, "v_bins_1d"), 2 * DAY_HOSTS * DIR__COUNT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_prune_bins_keeps_rollups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune_in_chunks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune_partial_bin_key_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune_hours, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_after_prune, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune_stops_at_mark, setup, teardown),
        cmocka_unit_test_setup_teardown(test_space_is_used_again, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
