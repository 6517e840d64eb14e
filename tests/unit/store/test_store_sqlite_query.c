/* tests/unit/store/test_store_sqlite_query.c: the SQLite store's steps,
 * rankings and information, on real database files (see store_fixture.h). */
/* cmocka.h needs these first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <sys/stat.h>

#include "store/schema.h"
#include "store/store.h"
#include "store/store_sqlite.h"
#include "unit/store/store_fixture.h"

#define MAX_GOT 64

struct steps_got {
    struct step_row rows[MAX_GOT];
    size_t n;
    int stop_after; /* return 7 after that many rows; 0 = never */
};

struct top_got {
    struct top_row rows[MAX_GOT];
    size_t n;
    int stop_after;
};

static int steps_cb_collect(const struct step_row *row, void *arg)
{
    struct steps_got *g = arg;
    assert_true(g->n < MAX_GOT);
    g->rows[g->n++] = *row;
    return g->stop_after && (int)g->n >= g->stop_after ? 7 : 0;
}

static int top_cb_collect(const struct top_row *row, void *arg)
{
    struct top_got *g = arg;
    assert_true(g->n < MAX_GOT);
    g->rows[g->n++] = *row;
    return g->stop_after && (int)g->n >= g->stop_after ? 7 : 0;
}

static size_t steps(struct store *s, const char *host, int dir, int64_t from, int64_t to,
                    enum store_step step, struct steps_got *g)
{
    memset(g, 0, sizeof(*g));
    struct of_addr a = ip(host);
    assert_int_equal(store_get_steps(s, &a, dir, from, to, step, steps_cb_collect, g), 0);
    return g->n;
}

static size_t top(struct store *s, int dir, int cls, int64_t from, int64_t to, size_t limit,
                  struct top_got *g)
{
    memset(g, 0, sizeof(*g));
    assert_int_equal(store_get_top(s, dir, cls, from, to, limit, top_cb_collect, g), 0);
    return g->n;
}

/* A row with total and web bytes, and as many packets as a tenth of them. */
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

/* Jan 15 23:50 and 23:55, Jan 16 00:00, 00:05 (twice) and 02:00 for
 * 10.0.0.1 R; one bin of S; the same R bins for 0.0.0.0. */
static struct store *steps_store(const char *path)
{
    const int64_t d16 = T_JAN15 + T_DAY;
    struct store *s = open_store(path, 0);
    const struct bin_row rows[] = {
        mkweb("10.0.0.1", DIR_R, d16 - 600, 100, 10),  mkweb("10.0.0.1", DIR_R, d16 - 300, 50, 40),
        mkweb("10.0.0.1", DIR_R, d16, 7, 7),           mkweb("10.0.0.1", DIR_R, d16 + 300, 20, 0),
        mkweb("10.0.0.1", DIR_R, d16 + 7200, 1000, 1), mkweb("10.0.0.1", DIR_S, d16, 5, 0),
        mkweb("0.0.0.0", DIR_R, d16 - 300, 60, 50),
    };
    put(s, rows, OF_ARRAY_LEN(rows));
    const struct bin_row late = mkweb("10.0.0.1", DIR_R, d16 + 300, 20, 0);
    put(s, &late, 1); /* 00:05 now holds 40: the hour's peak */
    return s;
}

static void test_steps_bins(void **state)
{
    struct fixture *f = *state;
    const int64_t d16 = T_JAN15 + T_DAY;
    struct store *s = steps_store(f->path);
    struct steps_got g;
    assert_int_equal(steps(s, "10.0.0.1", DIR_R, 0, T_FEB01, STORE_STEP_BIN, &g), 5);
    assert_step(&g.rows[0], d16 - 600, 100, 100, 10, 10);
    assert_step(&g.rows[1], d16 - 300, 50, 50, 40, 40);
    assert_step(&g.rows[2], d16, 7, 7, 7, 7);
    assert_step(&g.rows[3], d16 + 300, 40, 40, 0, 0);
    assert_step(&g.rows[4], d16 + 7200, 1000, 1000, 1, 1);

    /* from and to are rounded down to the bin: 23:55:01 counts its bin,
     * 00:05:59 stops before its bin */
    assert_int_equal(steps(s, "10.0.0.1", DIR_R, d16 - 299, d16 + 359, STORE_STEP_BIN, &g), 2);
    assert_int_equal(g.rows[0].ts, d16 - 300);
    assert_int_equal(g.rows[1].ts, d16);
    assert_int_equal(steps(s, "10.0.0.1", DIR_R, d16, d16 + 300, STORE_STEP_BIN, &g), 1);
    assert_int_equal(steps(s, "10.0.0.1", DIR_R, d16, d16 + 299, STORE_STEP_BIN, &g), 0);
    assert_int_equal(steps(s, "10.0.0.1", DIR_R, d16 + 7201, INT64_MAX, STORE_STEP_BIN, &g), 1);
    assert_int_equal(steps(s, "10.0.0.1", DIR_R, INT64_MIN, d16 - 600, STORE_STEP_BIN, &g), 0);
    assert_int_equal(steps(s, "10.0.0.1", DIR_R, INT64_MIN, INT64_MAX, STORE_STEP_BIN, &g), 5);
    assert_int_equal(steps(s, "10.0.0.1", DIR_R, T_FEB01, T_JAN15, STORE_STEP_BIN, &g), 0);

    assert_int_equal(steps(s, "10.0.0.1", DIR_S, 0, T_FEB01, STORE_STEP_BIN, &g), 1);
    assert_step(&g.rows[0], d16, 5, 5, 0, 0);
    assert_int_equal(steps(s, "0.0.0.0", DIR_R, 0, T_FEB01, STORE_STEP_BIN, &g), 1);
    assert_step(&g.rows[0], d16 - 300, 60, 60, 50, 50);
    assert_int_equal(steps(s, "10.9.9.9", DIR_R, 0, T_FEB01, STORE_STEP_BIN, &g), 0);
    assert_int_equal(store_close(s), 0);
}

static void test_steps_hours_and_days(void **state)
{
    struct fixture *f = *state;
    const int64_t d16 = T_JAN15 + T_DAY;
    struct store *s = steps_store(f->path);
    struct steps_got g;
    /* 23:00, 00:00, 02:00: the hour without data (01:00) is left out */
    assert_int_equal(steps(s, "10.0.0.1", DIR_R, 0, T_FEB01, STORE_STEP_HOUR, &g), 3);
    assert_step(&g.rows[0], d16 - T_HOUR, 150, 100, 50, 40);
    assert_step(&g.rows[1], d16, 47, 40, 7, 7);
    assert_step(&g.rows[2], d16 + 2 * T_HOUR, 1000, 1000, 1, 1);
    /* rounded down to the hour: 23:59 starts with 23:00, 02:30 ends before
     * 02:00 */
    assert_int_equal(steps(s, "10.0.0.1", DIR_R, d16 - 60, d16 + 9000, STORE_STEP_HOUR, &g), 2);
    assert_int_equal(g.rows[0].ts, d16 - T_HOUR);
    assert_int_equal(g.rows[1].ts, d16);
    assert_int_equal(steps(s, "10.0.0.1", DIR_R, d16 + 1, d16 + T_HOUR, STORE_STEP_HOUR, &g), 1);
    assert_int_equal(steps(s, "10.0.0.1", DIR_R, d16 + 1, d16 + 3599, STORE_STEP_HOUR, &g), 0);

    assert_int_equal(steps(s, "10.0.0.1", DIR_R, 0, T_FEB01, STORE_STEP_DAY, &g), 2);
    assert_step(&g.rows[0], T_JAN15, 150, 100, 50, 40);
    assert_step(&g.rows[1], d16, 1047, 1000, 8, 7);
    assert_int_equal(steps(s, "10.0.0.1", DIR_R, d16 - 1, d16 + 1, STORE_STEP_DAY, &g), 1);
    assert_int_equal(g.rows[0].ts, T_JAN15);
    assert_int_equal(steps(s, "10.0.0.1", DIR_R, INT64_MIN, INT64_MAX, STORE_STEP_DAY, &g), 2);
    assert_int_equal(steps(s, "10.0.0.1", DIR_S, 0, T_FEB01, STORE_STEP_DAY, &g), 1);
    assert_step(&g.rows[0], d16, 5, 5, 0, 0);
    assert_int_equal(steps(s, "0.0.0.0", DIR_R, 0, T_FEB01, STORE_STEP_DAY, &g), 1);
    assert_step(&g.rows[0], T_JAN15, 60, 60, 50, 50);
    assert_int_equal(store_close(s), 0);
}

static void test_steps_stop_and_invalid(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    struct steps_got g;
    /* an empty store has no steps */
    assert_int_equal(steps(s, "10.0.0.1", DIR_R, INT64_MIN, INT64_MAX, STORE_STEP_HOUR, &g), 0);
    assert_int_equal(store_close(s), 0);

    s = steps_store(f->path);
    struct of_addr a = ip("10.0.0.1");
    memset(&g, 0, sizeof(g));
    g.stop_after = 2;
    assert_int_equal(
        store_get_steps(s, &a, DIR_R, 0, T_FEB01, STORE_STEP_HOUR, steps_cb_collect, &g), 7);
    assert_int_equal(g.n, 2);
    /* and the statement is usable again */
    assert_int_equal(steps(s, "10.0.0.1", DIR_R, 0, T_FEB01, STORE_STEP_HOUR, &g), 3);
    assert_int_equal(
        store_get_steps(s, &a, DIR_R, 0, T_FEB01, (enum store_step)600, steps_cb_collect, &g),
        -EINVAL);
    assert_int_equal(store_get_steps(s, &a, 2, 0, T_FEB01, STORE_STEP_BIN, steps_cb_collect, &g),
                     -EINVAL);
    struct of_addr none = {.af = 0};
    assert_int_equal(
        store_get_steps(s, &none, DIR_R, 0, T_FEB01, STORE_STEP_DAY, steps_cb_collect, &g),
        -EINVAL);
    assert_int_equal(store_close(s), 0);

    /* a read-only store reads them too */
    s = open_store(f->path, 1);
    assert_int_equal(steps(s, "10.0.0.1", DIR_R, 0, T_FEB01, STORE_STEP_DAY, &g), 2);
    assert_int_equal(store_close(s), 0);
}

static void assert_top(const struct top_row *r, const char *host, uint64_t bytes)
{
    char buf[ADDR_STRLEN];
    assert_string_equal(addr_format(&r->host, buf, sizeof(buf)), host);
    assert_int_equal(r->bytes, bytes);
}

static void test_top_order_limit_class_dir(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    const struct bin_row rows[] = {
        mkweb("10.0.0.3", DIR_R, T_JAN15, 300, 0),
        mkweb("10.0.0.1", DIR_R, T_JAN15, 100, 90),
        mkweb("2001:db8::1", DIR_R, T_JAN15, 200, 10),
        mkweb("10.0.0.1", DIR_R, T_JAN15 + 300, 250, 0), /* 10.0.0.1: 350 in all */
        mkweb("10.0.0.4", DIR_R, T_JAN15, 200, 0),       /* ties 2001:db8::1: host id order */
        mkweb("0.0.0.0", DIR_R, T_JAN15, 1000000, 1000), /* never ranked */
        mkweb("10.0.0.5", DIR_S, T_JAN15, 5000, 5000),   /* the other direction */
        mkweb("10.0.0.6", DIR_R, T_JAN15, 0, 0),         /* no bytes: left out */
    };
    put(s, rows, OF_ARRAY_LEN(rows));
    struct top_got g;
    assert_int_equal(top(s, DIR_R, CLASS_TOTAL, T_JAN15, T_FEB01, 10, &g), 4);
    assert_top(&g.rows[0], "10.0.0.1", 350);
    assert_top(&g.rows[1], "10.0.0.3", 300);
    /* new hosts of one write get their ids in address order */
    assert_top(&g.rows[2], "10.0.0.4", 200);
    assert_top(&g.rows[3], "2001:db8::1", 200);

    assert_int_equal(top(s, DIR_R, CLASS_TOTAL, T_JAN15, T_FEB01, 2, &g), 2);
    assert_top(&g.rows[0], "10.0.0.1", 350);
    assert_top(&g.rows[1], "10.0.0.3", 300);
    assert_int_equal(top(s, DIR_R, CLASS_TOTAL, T_JAN15, T_FEB01, 3, &g), 3);
    assert_top(&g.rows[2], "10.0.0.4", 200);
    assert_int_equal(top(s, DIR_R, CLASS_TOTAL, T_JAN15, T_FEB01, 0, &g), 0);
    assert_int_equal(top(s, DIR_R, CLASS_TOTAL, T_JAN15, T_FEB01, SIZE_MAX, &g), 4);

    assert_int_equal(top(s, DIR_R, CLASS_WEB, T_JAN15, T_FEB01, 10, &g), 2);
    assert_top(&g.rows[0], "10.0.0.1", 90);
    assert_top(&g.rows[1], "2001:db8::1", 10);
    assert_int_equal(top(s, DIR_R, CLASS_SIP, T_JAN15, T_FEB01, 10, &g), 0);

    assert_int_equal(top(s, DIR_S, CLASS_TOTAL, T_JAN15, T_FEB01, 10, &g), 1);
    assert_top(&g.rows[0], "10.0.0.5", 5000);

    /* a non-zero callback result stops the walk and comes back */
    memset(&g, 0, sizeof(g));
    g.stop_after = 1;
    assert_int_equal(store_get_top(s, DIR_R, CLASS_TOTAL, T_JAN15, T_FEB01, 10, top_cb_collect, &g),
                     7);
    assert_int_equal(g.n, 1);
    assert_int_equal(store_get_top(s, 2, CLASS_TOTAL, 0, T_FEB01, 10, top_cb_collect, &g), -EINVAL);
    assert_int_equal(store_get_top(s, DIR_R, -1, 0, T_FEB01, 10, top_cb_collect, &g), -EINVAL);
    assert_int_equal(store_get_top(s, DIR_R, CLASS__COUNT, 0, T_FEB01, 10, top_cb_collect, &g),
                     -EINVAL);
    assert_int_equal(store_close(s), 0);

    /* a read-only store ranks too */
    s = open_store(f->path, 1);
    assert_int_equal(top(s, DIR_R, CLASS_TOTAL, T_JAN15, T_FEB01, 10, &g), 4);
    assert_int_equal(store_close(s), 0);
}

/* The hosts, bins and bytes of the edges test. */
#define EDGE_HOSTS 3
#define EDGE_BINS  (3 * 288 + 24)

static uint64_t edge_bytes(size_t h, int64_t bin)
{
    return (uint64_t)((bin * 7919 + (int64_t)h * 104729) % 1000) + 1;
}

static uint64_t edge_want(size_t h, int64_t from, int64_t to)
{
    uint64_t sum = 0;
    for (int64_t b = 0; b < EDGE_BINS; b++) {
        int64_t ts = T_JAN15 - 12 * 300 + b * 300;
        if ((b + (int64_t)h) % 7 != 0 && ts >= from && ts < to)
            sum += edge_bytes(h, b);
    }
    return sum;
}

/* Rankings over ranges that start and end anywhere: in a bin, on a bin,
 * hour or day boundary, across days, wider than the data. Whatever mix of
 * bins and rollups a range is read from, the sums are those of the bins in
 * it. */
static void test_top_edges(void **state)
{
    struct fixture *f = *state;
    static const char *const hosts[EDGE_HOSTS] = {"10.0.0.1", "10.0.0.2", "10.0.0.3"};
    struct store *s = open_store(f->path, 0);
    struct bin_row rows[EDGE_HOSTS];
    for (int64_t b = 0; b < EDGE_BINS; b++) {
        size_t n = 0;
        for (size_t h = 0; h < EDGE_HOSTS; h++)
            if ((b + (int64_t)h) % 7 != 0) /* gaps */
                rows[n++] =
                    mkweb(hosts[h], DIR_R, T_JAN15 - 12 * 300 + b * 300, edge_bytes(h, b), 0);
        put(s, rows, n);
    }
    const int64_t start = T_JAN15 - 3600;
    const int64_t end = T_JAN15 + 3 * T_DAY + 3600;
    static const int64_t offsets[] = {0, 1, 299, 300, 301, 3599, 3600, 3601, 4000, 86399, 86400};
    size_t checked = 0;
    uint64_t x = 7;
    for (int i = 0; i < 400; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        int64_t from = start - 600 + (int64_t)((x >> 20) % (uint64_t)(end - start + 1200));
        int64_t to = from + (int64_t)((x >> 44) % (uint64_t)(2 * T_DAY));
        if (i < (int)(OF_ARRAY_LEN(offsets) * OF_ARRAY_LEN(offsets))) {
            /* every pair of awkward offsets from a midnight */
            from = T_JAN15 + offsets[i % OF_ARRAY_LEN(offsets)];
            to = T_JAN15 + T_DAY + offsets[i / OF_ARRAY_LEN(offsets)];
        }
        struct top_got g;
        size_t n = top(s, DIR_R, CLASS_TOTAL, from, to, 10, &g);
        size_t want_n = 0;
        for (size_t h = 0; h < EDGE_HOSTS; h++) {
            uint64_t want = edge_want(h, from, to);
            want_n += want > 0;
            for (size_t k = 0; k < n; k++) {
                char buf[ADDR_STRLEN];
                if (strcmp(addr_format(&g.rows[k].host, buf, sizeof(buf)), hosts[h]) == 0)
                    assert_int_equal(g.rows[k].bytes, want);
            }
        }
        assert_int_equal(n, want_n);
        for (size_t k = 1; k < n; k++)
            assert_true(g.rows[k - 1].bytes >= g.rows[k].bytes);
        checked += n;
    }
    assert_true(checked > 600);
    struct top_got g;
    assert_int_equal(top(s, DIR_R, CLASS_TOTAL, INT64_MIN, INT64_MAX, 10, &g), EDGE_HOSTS);
    uint64_t got = 0;
    uint64_t want = 0;
    for (size_t h = 0; h < EDGE_HOSTS; h++) {
        got += g.rows[h].bytes;
        want += edge_want(h, INT64_MIN, INT64_MAX);
    }
    assert_int_equal(got, want);
    assert_int_equal(top(s, DIR_R, CLASS_TOTAL, T_FEB01, INT64_MAX, 10, &g), 0);
    assert_int_equal(top(s, DIR_R, CLASS_TOTAL, T_JAN15, T_JAN15, 10, &g), 0);
    assert_int_equal(top(s, DIR_R, CLASS_TOTAL, T_JAN15 + 1, T_JAN15 + 300, 10, &g), 0);
    assert_int_equal(store_close(s), 0);
}

static void test_info(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    struct store_info info;
    memset(&info, 0xff, sizeof(info));
    assert_int_equal(store_get_info(s, &info), 0);
    assert_int_equal(info.hosts, 0);
    assert_int_equal(info.first_bin, 0);
    assert_int_equal(info.last_bin, 0);
    assert_int_equal(info.schema_version, schema_version());
    assert_true(info.size_bytes > 0);

    const struct bin_row rows[] = {
        mkweb("10.0.0.1", DIR_R, T_JAN15 + 600, 1, 0),
        mkweb("0.0.0.0", DIR_R, T_JAN15 + 600, 1, 0),
        mkweb("2001:db8::1", DIR_S, T_JAN15 - 300, 1, 0),
        mkweb("10.0.0.1", DIR_S, T_FEB01, 1, 0),
    };
    put(s, rows, OF_ARRAY_LEN(rows));
    assert_int_equal(store_get_info(s, &info), 0);
    assert_int_equal(info.hosts, 3); /* 0.0.0.0 has a row too */
    assert_int_equal(info.first_bin, T_JAN15 - 300);
    assert_int_equal(info.last_bin, T_FEB01);
    struct stat db;
    assert_int_equal(stat(f->path, &db), 0);
    char wal[160];
    (void)snprintf(wal, sizeof(wal), "%s-wal", f->path);
    struct stat w;
    assert_int_equal(stat(wal, &w), 0);
    assert_int_equal(info.size_bytes, (uint64_t)db.st_size + (uint64_t)w.st_size);
    assert_int_equal(store_close(s), 0);

    s = open_store(f->path, 1);
    assert_int_equal(store_get_info(s, &info), 0);
    assert_int_equal(info.hosts, 3);
    assert_int_equal(info.schema_version, schema_version());
    assert_int_equal(store_close(s), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_steps_bins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_steps_hours_and_days, setup, teardown),
        cmocka_unit_test_setup_teardown(test_steps_stop_and_invalid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_top_order_limit_class_dir, setup, teardown),
        cmocka_unit_test_setup_teardown(test_top_edges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_info, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
