/* tests/unit/store/test_store_sqlite_prune.c: the SQLite store's prune on
 * real database files (see store_fixture.h): which rows go and how many per
 * call, that the rollups and monthly totals built from them stay as they
 * were, what get_info says afterwards, and that the freed space is used
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
/* Rows per bin start: every host in both directions. */
#define PER_TS (NHOSTS * DIR__COUNT)

/* Bins of every host in both directions at start, start + step, ... (n of
 * them), written in one batch. */
static void put_span(struct store *s, int64_t start, int64_t step, size_t n)
{
    size_t cap = n * PER_TS;
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

/* The contents of a table, to compare before and after. */
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

static void prune(struct store *s, enum store_step step, int64_t before, uint64_t max_rows,
                  uint64_t want)
{
    uint64_t n = 99999;
    assert_int_equal(store_prune(s, step, before, max_rows, &n), 0);
    assert_int_equal(n, want);
}

/* Bins before the cut go, those at and after it stay; the hourly and
 * daily rollups and the monthly totals keep every row and value. */
static void test_prune_bins_keeps_rollups(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    /* two days and a bit, one bin every 30 minutes, across a month's end */
    int64_t start = T_FEB01 - 2 * T_DAY;
    put_span(s, start, 1800, 100);
    assert_int_equal(count_rows(f->path, "bins"), 100 * PER_TS);
    struct dump hours = dump(f->path, "bins_1h");
    struct dump days = dump(f->path, "bins_1d");
    struct dump months = dump(f->path, "monthly");

    int64_t cut = T_FEB01 + 1800; /* 97 bin starts before it */
    prune(s, STORE_STEP_BIN, cut, 1000000, 97 * PER_TS);
    assert_int_equal(count_rows(f->path, "bins"), 3 * PER_TS);
    assert_int_equal(raw_count(f->path, "SELECT min(ts) FROM bins"), cut);
    assert_same(hours, dump(f->path, "bins_1h"));
    assert_same(days, dump(f->path, "bins_1d"));
    assert_same(months, dump(f->path, "monthly"));

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
    put_span(s, T_JAN15, BIN_SECONDS, 5); /* 5 bin starts of PER_TS rows */
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
        assert_int_equal(left, 5 * PER_TS - (int64_t)total);
        char sql[160];
        (void)snprintf(sql, sizeof(sql), "SELECT count(*) FROM bins WHERE ts < %lld",
                       (long long)cut);
        assert_int_equal(raw_count(f->path, sql), 3 * PER_TS - (int64_t)total);
    }
    assert_int_equal(total, 3 * PER_TS);
    /* 24 rows in chunks of 5: 5 calls delete, the sixth finds none */
    assert_int_equal(calls, (3 * PER_TS + 4) / 5 + 1);
    /* a chunk ending inside a bin start left the rest of it in key order */
    assert_int_equal(count_rows(f->path, "bins"), 2 * PER_TS);
    assert_int_equal(store_close(s), 0);
}

/* The first row of a bin start that a chunk ends in is the one with the
 * lowest (dir, host): the key's order. */
static void test_prune_partial_bin_key_order(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    put_span(s, T_JAN15, BIN_SECONDS, 2);
    prune(s, STORE_STEP_BIN, T_JAN15 + BIN_SECONDS, 3, 3);
    sqlite3 *db = raw_open(f->path);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM bins WHERE ts = 1705276800"), PER_TS - 3);
    /* every deleted row sorts before every kept one of that start */
    assert_int_equal(raw_int(db, "SELECT count(*) FROM bins WHERE ts = 1705276800 AND dir = 0"),
                     NHOSTS - 3);
    sqlite3_close(db);
    assert_int_equal(store_close(s), 0);
}

/* Hourly rollups go the same way, leaving the bins, the days and the
 * months alone. */
static void test_prune_hours(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    put_span(s, T_JAN15, T_HOUR, 48); /* one bin per hour for two days */
    struct dump bins = dump(f->path, "bins");
    struct dump days = dump(f->path, "bins_1d");
    struct dump months = dump(f->path, "monthly");
    int64_t cut = T_JAN15 + T_DAY + 5 * T_HOUR;
    prune(s, STORE_STEP_HOUR, cut, 1000000, 29 * PER_TS);
    assert_int_equal(count_rows(f->path, "bins_1h"), 19 * PER_TS);
    assert_same(bins, dump(f->path, "bins"));
    assert_same(days, dump(f->path, "bins_1d"));
    assert_same(months, dump(f->path, "monthly"));
    struct store_info info;
    assert_int_equal(store_get_info(s, &info), 0);
    assert_int_equal(info.first_hour, cut);
    assert_int_equal(info.first_bin, T_JAN15);
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
    prune(s, STORE_STEP_BIN, T_JAN15 + BIN_SECONDS, 10, 1);
    const struct bin_row b = mkrow("10.0.0.1", DIR_R, T_JAN15, 2);
    put(s, &b, 1);
    sqlite3 *db = raw_open(f->path);
    assert_int_equal(raw_int(db, "SELECT b_total FROM bins"), 2000);
    assert_int_equal(raw_int(db, "SELECT b_total FROM bins_1h"), 3000);
    assert_int_equal(raw_int(db, "SELECT b_total FROM bins_1d"), 3000);
    assert_int_equal(raw_int(db, "SELECT dl FROM monthly"), 3000);
    sqlite3_close(db);
    assert_int_equal(store_close(s), 0);
}

static void test_prune_refused(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    put_span(s, T_JAN15, T_HOUR, 2);
    uint64_t n = 7;
    /* daily rollups are kept for good */
    assert_int_equal(store_prune(s, STORE_STEP_DAY, T_FEB01, 100, &n), -EINVAL);
    assert_int_equal(store_prune(s, (enum store_step)42, T_FEB01, 100, &n), -EINVAL);
    assert_int_equal(store_prune(s, STORE_STEP_BIN, T_FEB01, 0, &n), -EINVAL);
    assert_int_equal(n, 7);
    /* a cut before everything, and extreme cuts */
    prune(s, STORE_STEP_BIN, T_JAN15, 100, 0);
    prune(s, STORE_STEP_BIN, INT64_MIN, 100, 0);
    prune(s, STORE_STEP_HOUR, INT64_MAX, UINT64_MAX, 2 * PER_TS);
    assert_int_equal(count_rows(f->path, "bins_1d"), PER_TS);
    assert_int_equal(store_close(s), 0);

    struct store *ro = open_store(f->path, 1);
    assert_int_equal(store_prune(ro, STORE_STEP_BIN, T_FEB01, 100, &n), -EROFS);
    assert_int_equal(store_close(ro), 0);
    assert_int_equal(count_rows(f->path, "bins"), 2 * PER_TS);
}

/* A day of 60 hosts' bins, at day (0, 1, ...) after T_JAN15. */
static void put_day(struct store *s, int64_t day)
{
    enum { HOSTS = 60, BINS = 288 };
    struct bin_row *rows = calloc((size_t)HOSTS * BINS * DIR__COUNT, sizeof(*rows));
    assert_non_null(rows);
    size_t k = 0;
    for (int b = 0; b < BINS; b++)
        for (int h = 0; h < HOSTS; h++)
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
 * the file by a fraction of what the first day did. Sizes are read after
 * a close, which moves the WAL into the file. */
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

    s = open_store(f->path, 0);
    struct store_info info;
    assert_int_equal(store_get_info(s, &info), 0);
    assert_true(info.free_bytes < (size1 - size0) / 20);
    prune(s, STORE_STEP_BIN, INT64_MAX, UINT64_MAX, 60 * 288 * DIR__COUNT);
    assert_int_equal(store_get_info(s, &info), 0);
    assert_int_equal(info.first_bin, 0);
    /* the bins are most of what the day added */
    assert_true(info.free_bytes > (size1 - size0) / 2);
    put_day(s, 1);
    assert_int_equal(store_close(s), 0);
    uint64_t size2 = file_size(f->path);
    assert_true(size2 - size1 < (size1 - size0) / 4);
    assert_int_equal(count_rows(f->path, "bins"), 60 * 288 * DIR__COUNT);
    assert_int_equal(count_rows(f->path, "bins_1d"), 2 * 60 * DIR__COUNT);
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
        cmocka_unit_test_setup_teardown(test_space_is_used_again, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
