/* tests/unit/store/test_retention.c: retention's plan, a table of cases
 * (options, disk, store, expected cuts), and its run-time part on real
 * stores (see store_fixture.h) and the real file system of /tmp, with
 * STORAGE_RESERVED_SPACE 0 (no disk check) or 100 (more than the option
 * allows, so that any disk is short). */
/* cmocka.h needs these first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>

#include "store/retention.h"
#include "store/store.h"
#include "unit/store/store_fixture.h"

#define NOW       INT64_C(1720000800) /* 2024-07-03 10:00 UTC */
#define GB        (UINT64_C(1) << 30)
#define DAYS_S(d) ((int64_t)(d)*T_DAY)

#define KEEP RETENTION_KEEP
#define AGE  RETENTION_AGE
#define DISK RETENTION_DISK

struct plan_case {
    const char *name;
    struct retention_cfg cfg;
    struct retention_view view;
    enum retention_why bins_why;
    int64_t bins_before; /* checked unless bins_why is KEEP */
    enum retention_why hours_why;
    int64_t hours_before;
    bool disk_short;
    uint64_t short_bytes;
    bool at_floor;
};

/* A view of a 100 GB disk with free_ bytes free and in_store_ free inside
 * the store, whose bins and hours start bin_age and hour_age seconds
 * before NOW. */
#define VIEW(free_, in_store_, bin_age, hour_age)                                                  \
    {                                                                                              \
        .now = NOW, .disk_known = true, .disk_free = (free_), .disk_total = 100 * GB,              \
        .store_free = (in_store_), .have_bins = true, .oldest_bin = NOW - (bin_age),               \
        .have_hours = true, .oldest_hour = NOW - (hour_age)                                        \
    }

static const struct plan_case plan_cases[] = {
    {"nothing configured",
     {0, 0, 0},
     VIEW(1 * GB, 0, DAYS_S(400), DAYS_S(400)),
     KEEP,
     0,
     KEEP,
     0,
     false,
     0,
     false},
    {"plenty of disk",
     {10, 0, 0},
     VIEW(50 * GB, 0, DAYS_S(400), DAYS_S(400)),
     KEEP,
     0,
     KEEP,
     0,
     false,
     0,
     false},
    {"exactly the reserve is not short",
     {10, 0, 0},
     VIEW(10 * GB, 0, DAYS_S(400), DAYS_S(400)),
     KEEP,
     0,
     KEEP,
     0,
     false,
     0,
     false},
    {"RETENTION_DAYS cuts the bins",
     {0, 30, 0},
     VIEW(1 * GB, 0, DAYS_S(90), DAYS_S(90)),
     AGE,
     NOW - DAYS_S(30),
     KEEP,
     0,
     false,
     0,
     false},
    {"RETENTION_DAYS with nothing that old",
     {0, 30, 0},
     VIEW(1 * GB, 0, DAYS_S(29), DAYS_S(29)),
     KEEP,
     0,
     KEEP,
     0,
     false,
     0,
     false},
    {"RETENTION_DAYS: the oldest exactly at the cut stays",
     {0, 30, 0},
     VIEW(1 * GB, 0, DAYS_S(30), DAYS_S(30)),
     KEEP,
     0,
     KEEP,
     0,
     false,
     0,
     false},
    {"RETENTION_HOURLY_DAYS cuts the hours",
     {0, 0, 400},
     VIEW(1 * GB, 0, DAYS_S(500), DAYS_S(500)),
     KEEP,
     0,
     AGE,
     NOW - DAYS_S(400),
     false,
     0,
     false},
    {"both ages",
     {0, 7, 60},
     VIEW(1 * GB, 0, DAYS_S(100), DAYS_S(100)),
     AGE,
     NOW - DAYS_S(7),
     AGE,
     NOW - DAYS_S(60),
     false,
     0,
     false},
    {"an age below the floors is the operator's choice",
     {0, 1, 3},
     VIEW(1 * GB, 0, DAYS_S(10), DAYS_S(10)),
     AGE,
     NOW - DAYS_S(1),
     AGE,
     NOW - DAYS_S(3),
     false,
     0,
     false},
    {"short: the oldest day of bins",
     {10, 0, 0},
     VIEW(5 * GB, 0, DAYS_S(100), DAYS_S(100)),
     DISK,
     NOW - DAYS_S(99),
     KEEP,
     0,
     true,
     5 * GB,
     false},
    {"short: never past the bins' floor",
     {10, 0, 0},
     VIEW(5 * GB, 0, DAYS_S(2) + 3600, DAYS_S(100)),
     DISK,
     NOW - DAYS_S(2),
     KEEP,
     0,
     true,
     5 * GB,
     false},
    {"short: bins at the floor, the oldest day of hours",
     {10, 0, 0},
     VIEW(5 * GB, 0, DAYS_S(2), DAYS_S(100)),
     KEEP,
     0,
     DISK,
     NOW - DAYS_S(99),
     true,
     5 * GB,
     false},
    {"short: never past the hours' floor",
     {10, 0, 0},
     VIEW(5 * GB, 0, DAYS_S(1), DAYS_S(35) + 7200),
     KEEP,
     0,
     DISK,
     NOW - DAYS_S(35),
     true,
     5 * GB,
     false},
    {"short: everything at its floor",
     {10, 0, 0},
     VIEW(5 * GB, 0, DAYS_S(2), DAYS_S(35)),
     KEEP,
     0,
     KEEP,
     0,
     true,
     5 * GB,
     true},
    {"short: the store's free pages count as free",
     {10, 0, 0},
     VIEW(5 * GB, 5 * GB, DAYS_S(100), DAYS_S(100)),
     KEEP,
     0,
     KEEP,
     0,
     false,
     0,
     false},
    {"short: part of it made up by the free pages",
     {10, 0, 0},
     VIEW(5 * GB, 3 * GB, DAYS_S(100), DAYS_S(100)),
     DISK,
     NOW - DAYS_S(99),
     KEEP,
     0,
     true,
     2 * GB,
     false},
    {"short: an age cut past the day wins",
     {10, 30, 0},
     VIEW(1 * GB, 0, DAYS_S(100), DAYS_S(100)),
     AGE,
     NOW - DAYS_S(30),
     KEEP,
     0,
     true,
     9 * GB,
     false},
    {"short: a day past an age cut wins",
     {10, 30, 0},
     VIEW(1 * GB, 0, DAYS_S(30) + 3600, DAYS_S(100)),
     DISK,
     NOW - DAYS_S(29) - 3600,
     KEEP,
     0,
     true,
     9 * GB,
     false},
    {"short: an age cut of the hours with the bins not at the floor",
     {10, 0, 60},
     VIEW(1 * GB, 0, DAYS_S(100), DAYS_S(100)),
     DISK,
     NOW - DAYS_S(99),
     AGE,
     NOW - DAYS_S(60),
     true,
     9 * GB,
     false},
    {"short: the hours' age cut and the disk's day, the larger",
     {10, 0, 60},
     VIEW(1 * GB, 0, DAYS_S(1), DAYS_S(60) + 60),
     KEEP,
     0,
     DISK,
     NOW - DAYS_S(59) - 60,
     true,
     9 * GB,
     false},
    {"short with an age cut left is not at the floor",
     {10, 1, 0},
     VIEW(1 * GB, 0, DAYS_S(1) + 300, DAYS_S(35)),
     AGE,
     NOW - DAYS_S(1),
     KEEP,
     0,
     true,
     9 * GB,
     false},
    {"no disk check at 0 %",
     {0, 0, 0},
     VIEW(0, 0, DAYS_S(100), DAYS_S(100)),
     KEEP,
     0,
     KEEP,
     0,
     false,
     0,
     false},
    {"a full disk at 99 %",
     {99, 0, 0},
     VIEW(0, 0, DAYS_S(3), DAYS_S(40)),
     DISK,
     NOW - DAYS_S(2),
     KEEP,
     0,
     true,
     99 * GB,
     false},
};

static void check_plan(const struct plan_case *c, const struct retention_plan *p)
{
    print_message("case: %s\n", c->name);
    assert_int_equal(p->bins.why, c->bins_why);
    if (c->bins_why != KEEP)
        assert_int_equal(p->bins.before, c->bins_before);
    assert_int_equal(p->hours.why, c->hours_why);
    if (c->hours_why != KEEP)
        assert_int_equal(p->hours.before, c->hours_before);
    assert_int_equal(p->disk_short, c->disk_short);
    assert_int_equal(p->short_bytes, c->short_bytes);
    assert_int_equal(p->at_floor, c->at_floor);
}

static void test_plan_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < OF_ARRAY_LEN(plan_cases); i++) {
        struct retention_plan p;
        retention_plan(&plan_cases[i].cfg, &plan_cases[i].view, &p);
        check_plan(&plan_cases[i], &p);
    }
}

/* An empty store deletes nothing; on a short disk it is at the floor
 * (nothing of ours is left to delete), and only one level empty makes
 * the other go. */
static void test_plan_empty_store(void **state)
{
    (void)state;
    struct retention_cfg cfg = {10, 30, 30};
    struct retention_view v = VIEW(50 * GB, 0, 0, 0);
    v.have_bins = v.have_hours = false;
    v.oldest_bin = v.oldest_hour = 0; /* the store's "none": long before any cut */
    struct retention_plan p;
    retention_plan(&cfg, &v, &p);
    assert_int_equal(p.bins.why, KEEP);
    assert_int_equal(p.hours.why, KEEP);
    assert_false(p.disk_short);
    v.disk_free = 1 * GB;
    retention_plan(&cfg, &v, &p);
    assert_true(p.disk_short);
    assert_true(p.at_floor);
    v.have_hours = true;
    v.oldest_hour = NOW - DAYS_S(40);
    cfg.hour_days = 0;
    retention_plan(&cfg, &v, &p);
    assert_int_equal(p.bins.why, KEEP);
    assert_int_equal(p.hours.why, DISK);
    assert_int_equal(p.hours.before, NOW - DAYS_S(39));
}

/* Without a measured disk, or with a disk of size 0, there is no
 * pressure: only the ages count. */
static void test_plan_unknown_disk(void **state)
{
    (void)state;
    struct retention_cfg cfg = {50, 0, 0};
    struct retention_view v = VIEW(0, 0, DAYS_S(100), DAYS_S(100));
    struct retention_plan p;
    v.disk_known = false;
    retention_plan(&cfg, &v, &p);
    assert_false(p.disk_short);
    assert_int_equal(p.bins.why, KEEP);
    v.disk_known = true;
    v.disk_total = 0;
    retention_plan(&cfg, &v, &p);
    assert_false(p.disk_short);
}

/* Extremes of every input: nothing overflows (UBSan would stop the test),
 * and the cuts stay sane. */
static void test_plan_extremes(void **state)
{
    (void)state;
    struct retention_cfg cfg = {RETENTION_MAX_RESERVE, RETENTION_MAX_DAYS, RETENTION_MAX_DAYS};
    struct retention_view v = {
        .now = INT64_MIN + 5,
        .disk_known = true,
        .disk_free = UINT64_MAX,
        .disk_total = UINT64_MAX,
        .store_free = UINT64_MAX,
        .have_bins = true,
        .oldest_bin = INT64_MIN,
        .have_hours = true,
        .oldest_hour = INT64_MIN,
    };
    struct retention_plan p;
    retention_plan(&cfg, &v, &p);
    assert_false(p.disk_short); /* the free space saturates at the total */
    assert_int_equal(p.bins.why, KEEP);

    v.disk_free = 0;
    v.store_free = 0;
    v.now = INT64_MAX;
    v.oldest_bin = INT64_MAX - 10;
    v.oldest_hour = INT64_MIN;
    retention_plan(&cfg, &v, &p);
    assert_true(p.disk_short);
    assert_int_equal(p.short_bytes, UINT64_MAX / 100 * 99 + UINT64_MAX % 100 * 99 / 100);
    assert_int_equal(p.bins.why, KEEP); /* younger than the floor */
    assert_int_equal(p.hours.why, AGE); /* the age cut is past the disk's day */
    assert_int_equal(p.hours.before, INT64_MAX - DAYS_S(RETENTION_MAX_DAYS));

    cfg.bin_days = cfg.hour_days = 0;
    v.oldest_hour = INT64_MAX - DAYS_S(36);
    retention_plan(&cfg, &v, &p);
    assert_int_equal(p.hours.why, DISK);
    assert_int_equal(p.hours.before, INT64_MAX - DAYS_S(35));
}

/* ---- the run-time part, on real stores ---- */

/* One bin per host and direction every step seconds from NOW - span to
 * NOW, for two hosts. Returns the rows per bin start. */
static int64_t put_history(struct store *s, int64_t span, int64_t step)
{
    static const char *const hosts[] = {"10.0.0.1", "10.0.0.2"};
    size_t n = (size_t)(span / step) * 4;
    struct bin_row *rows = calloc(n, sizeof(*rows));
    assert_non_null(rows);
    size_t k = 0;
    for (int64_t t = NOW - span; t < NOW && k < n; t += step)
        for (int h = 0; h < 2; h++)
            for (int d = 0; d < DIR__COUNT; d++)
                rows[k++] = mkrow(hosts[h], d, t, (uint64_t)h + 1);
    put(s, rows, k);
    free(rows);
    return 4;
}

static int64_t count_before(const char *path, const char *table, int64_t before)
{
    sqlite3 *db = raw_open(path);
    char sql[128];
    (void)snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE ts < %lld", table,
                   (long long)before);
    int64_t n = raw_int(db, sql);
    sqlite3_close(db);
    return n;
}

static int64_t monthly_sum(const char *path)
{
    sqlite3 *db = raw_open(path);
    int64_t n = raw_int(db, "SELECT sum(dl) + sum(ul) FROM monthly");
    sqlite3_close(db);
    return n;
}

#define NOW_MS ((uint64_t)NOW * 1000u)

/* RETENTION_DAYS and RETENTION_HOURLY_DAYS without a disk check: a run
 * deletes exactly what is older, counts it, and the next run waits for
 * RETENTION_INTERVAL_S. */
static void test_run_ages(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    put_history(s, DAYS_S(50), 3 * T_HOUR);
    int64_t days = count_rows(f->path, "bins_1d");
    int64_t total = monthly_sum(f->path);
    int64_t bins_old = count_before(f->path, "bins", NOW - DAYS_S(30));
    int64_t hours_old = count_before(f->path, "bins_1h", NOW - DAYS_S(40));
    assert_true(bins_old > 0 && hours_old > 0);

    struct retention_cfg cfg = {0, 30, 40};
    struct retention *r = NULL;
    assert_int_equal(retention_new(&r, f->path, &cfg), 0);
    struct retention_stats st;
    retention_get_stats(r, &st);
    assert_int_equal(st.last_run, 0);
    assert_int_equal(st.cfg.bin_days, 30);

    assert_int_equal(retention_tick(r, s, NOW_MS), 0);
    retention_get_stats(r, &st);
    assert_int_equal(st.pruned_bins, bins_old);
    assert_int_equal(st.pruned_hours, hours_old);
    assert_int_equal(st.last_run, NOW);
    assert_false(st.disk_short);
    assert_false(st.at_floor);
    assert_int_equal(st.errors, 0);
    assert_int_equal(count_before(f->path, "bins", NOW - DAYS_S(30)), 0);
    assert_int_equal(count_before(f->path, "bins_1h", NOW - DAYS_S(40)), 0);
    assert_true(count_rows(f->path, "bins") > 0);
    assert_int_equal(count_rows(f->path, "bins_1d"), days);
    assert_int_equal(monthly_sum(f->path), total);

    /* not due yet: nothing runs, even with something to delete */
    const struct bin_row old = mkrow("10.0.0.9", DIR_R, NOW - DAYS_S(45), 1);
    put(s, &old, 1);
    assert_int_equal(retention_tick(r, s, NOW_MS + 1000), 0);
    retention_get_stats(r, &st);
    assert_int_equal(st.last_run, NOW);
    assert_int_equal(count_before(f->path, "bins", NOW - DAYS_S(30)), 1);
    /* due, with the cut moved on by the interval */
    uint64_t later = NOW_MS + RETENTION_INTERVAL_S * UINT64_C(1000);
    int64_t cut = (int64_t)(later / 1000) - DAYS_S(30);
    int64_t more = count_before(f->path, "bins", cut);
    assert_true(more > 1);
    assert_int_equal(retention_tick(r, s, later), 0);
    retention_get_stats(r, &st);
    assert_int_equal(st.last_run, (int64_t)(later / 1000));
    assert_int_equal(st.pruned_bins, bins_old + more);
    assert_int_equal(count_before(f->path, "bins", cut), 0);

    retention_free(r);
    assert_int_equal(store_close(s), 0);
}

/* A disk that is always short: the bins go down to their floor, then the
 * hours down to theirs, the days and months stay, and the run ends at the
 * floor. */
static void test_run_disk_short(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    put_history(s, DAYS_S(60), 2 * T_HOUR);
    int64_t days = count_rows(f->path, "bins_1d");
    int64_t total = monthly_sum(f->path);
    int64_t bins = count_rows(f->path, "bins");
    int64_t hours = count_rows(f->path, "bins_1h");

    struct retention_cfg cfg = {100, 0, 0};
    struct retention *r = NULL;
    assert_int_equal(retention_new(&r, f->path, &cfg), 0);
    /* A run stops after half a second with more to do (a slow machine, a
     * sanitizer build) and the next one comes a second later, which moves
     * the floors on by that second. */
    uint64_t now_ms = NOW_MS;
    struct retention_stats st;
    assert_int_equal(retention_tick(r, s, now_ms), 0);
    retention_get_stats(r, &st);
    for (int i = 0; i < 100 && !st.at_floor; i++) {
        now_ms += 1000;
        assert_int_equal(retention_tick(r, s, now_ms), 0);
        retention_get_stats(r, &st);
    }
    int64_t now = (int64_t)(now_ms / 1000u);
    int64_t bin_floor = now - DAYS_S(RETENTION_BIN_FLOOR_DAYS);
    int64_t hour_floor = now - DAYS_S(RETENTION_HOUR_FLOOR_DAYS);
    assert_true(st.disk_short);
    assert_true(st.at_floor);
    assert_int_equal(st.errors, 0);
    assert_int_equal(st.pruned_bins, bins - count_rows(f->path, "bins"));
    assert_int_equal(st.pruned_hours, hours - count_rows(f->path, "bins_1h"));
    assert_true(st.pruned_bins > 0 && st.pruned_hours > 0);
    assert_int_equal(count_before(f->path, "bins", bin_floor), 0);
    assert_int_equal(count_before(f->path, "bins_1h", hour_floor), 0);
    assert_int_equal(count_rows(f->path, "bins_1d"), days);
    assert_int_equal(monthly_sum(f->path), total);

    /* nothing at or after the floors went */
    struct store_info info;
    assert_int_equal(store_get_info(s, &info), 0);
    assert_true(info.first_bin >= bin_floor);
    assert_true(info.first_bin < bin_floor + 2 * T_HOUR);
    assert_true(info.first_hour >= hour_floor);
    assert_true(info.first_hour < hour_floor + 2 * T_HOUR);

    /* the next run has nothing to do and deletes nothing */
    uint64_t pruned = st.pruned_bins;
    assert_int_equal(retention_tick(r, s, now_ms + RETENTION_INTERVAL_S * UINT64_C(1000)), 0);
    retention_get_stats(r, &st);
    assert_true(st.pruned_bins - pruned <= 4); /* the bins the floor passed meanwhile */
    assert_true(st.at_floor);
    retention_free(r);
    assert_int_equal(store_close(s), 0);
}

/* New options run at the next tick, whenever it comes. */
static void test_set_cfg_runs_now(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    put_history(s, DAYS_S(10), 6 * T_HOUR);
    struct retention_cfg cfg = {0, 0, 0};
    struct retention *r = NULL;
    assert_int_equal(retention_new(&r, f->path, &cfg), 0);
    assert_int_equal(retention_tick(r, s, NOW_MS), 0);
    struct retention_stats st;
    retention_get_stats(r, &st);
    assert_int_equal(st.pruned_bins, 0);
    cfg.bin_days = 5;
    retention_set_cfg(r, &cfg);
    int64_t old = count_before(f->path, "bins", NOW - DAYS_S(5));
    assert_true(old > 0);
    assert_int_equal(retention_tick(r, s, NOW_MS + 1), 0);
    retention_get_stats(r, &st);
    assert_int_equal(st.cfg.bin_days, 5);
    assert_int_equal(st.pruned_bins, old);
    retention_free(r);
    assert_int_equal(store_close(s), 0);
}

/* A store that cannot be pruned (read-only) counts an error and tries
 * again at the next interval. */
static void test_run_error(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    put_history(s, DAYS_S(10), 6 * T_HOUR);
    assert_int_equal(store_close(s), 0);
    s = open_store(f->path, 1);
    struct retention_cfg cfg = {0, 5, 0};
    struct retention *r = NULL;
    assert_int_equal(retention_new(&r, "of.db", &cfg), 0); /* a path without a directory */
    assert_int_equal(retention_tick(r, s, NOW_MS), -EROFS);
    struct retention_stats st;
    retention_get_stats(r, &st);
    assert_int_equal(st.errors, 1);
    assert_int_equal(st.last_run, NOW);
    assert_int_equal(retention_tick(r, s, NOW_MS + 1000), 0); /* not due */
    retention_free(r);
    retention_free(NULL);
    assert_int_equal(store_close(s), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_cases),
        cmocka_unit_test(test_plan_empty_store),
        cmocka_unit_test(test_plan_unknown_disk),
        cmocka_unit_test(test_plan_extremes),
        cmocka_unit_test_setup_teardown(test_run_ages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_disk_short, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_cfg_runs_now, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_error, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
