/* tests/unit/report/test_graph.c: graph requests, from period to bars.
 *
 * Ranges and step choice are checked against a recording store (what
 * graph_load asks the store for, exactly); values, dump text and PNGs
 * against a real SQLite store file in a fresh temporary directory. Times
 * are UTC (set in main) unless a test says otherwise. */
/* cmocka.h needs these first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <gd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report/graph.h"

#define NOW    INT64_C(1715682433) /* 2024-05-14 10:27:13 UTC */
#define MAY14  INT64_C(1715644800) /* 2024-05-14 00:00:00 UTC */
#define DAY    INT64_C(86400)
#define HOUR   INT64_C(3600)
#define MBPS_1 (1048576.0 * 300 / 8) /* bytes in a bin at 1 Mbit/s */

/* ---- a store that records what it is asked ---- */

struct rec_store {
    struct store base;
    int calls;
    struct of_addr host;
    int dir;
    int64_t from, to;
    enum store_step step;
    const struct step_row *rows; /* reported on each call */
    size_t nrows;
    int fail; /* returned instead, when not 0 */
};

static int rec_get_steps(struct store *s, const struct of_addr *host, int dir, int64_t from,
                         int64_t to, enum store_step step, step_cb cb, void *arg)
{
    struct rec_store *r = (struct rec_store *)s;
    r->calls++;
    r->host = *host;
    r->dir = dir;
    r->from = from;
    r->to = to;
    r->step = step;
    if (r->fail)
        return r->fail;
    for (size_t i = 0; i < r->nrows; i++) {
        int rc = cb(&r->rows[i], arg);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int rec_open(struct store **out, const struct store_cfg *cfg)
{
    (void)out;
    (void)cfg;
    return -ENOTSUP;
}

static int rec_put_bins(struct store *s, const struct bin_batch *b)
{
    (void)s;
    (void)b;
    return -ENOTSUP;
}

static int rec_get_series(struct store *s, const struct of_addr *host, int dir, int64_t from,
                          int64_t to, series_cb cb, void *arg)
{
    (void)s, (void)host, (void)dir, (void)from, (void)to, (void)cb, (void)arg;
    return -ENOTSUP;
}

static int rec_get_traff(struct store *s, int year, int month, const struct of_addr *host,
                         traff_cb cb, void *arg)
{
    (void)s, (void)year, (void)month, (void)host, (void)cb, (void)arg;
    return -ENOTSUP;
}

static int rec_get_top(struct store *s, int dir, int cls, int64_t from, int64_t to, size_t limit,
                       top_cb cb, void *arg)
{
    (void)s, (void)dir, (void)cls, (void)from, (void)to, (void)limit, (void)cb, (void)arg;
    return -ENOTSUP;
}

static int rec_get_info(struct store *s, struct store_info *out)
{
    (void)s;
    (void)out;
    return -ENOTSUP;
}

static int rec_prune(struct store *s, enum store_step step, int64_t before, uint64_t max_rows,
                     uint64_t *deleted)
{
    (void)s;
    (void)step;
    (void)before;
    (void)max_rows;
    (void)deleted;
    return -ENOTSUP;
}

static int rec_close(struct store *s)
{
    (void)s;
    return 0;
}

static const struct store_ops rec_ops = {
    .name = "recording",
    .open = rec_open,
    .put_bins = rec_put_bins,
    .get_series = rec_get_series,
    .get_traff = rec_get_traff,
    .get_steps = rec_get_steps,
    .get_top = rec_get_top,
    .get_info = rec_get_info,
    .prune = rec_prune,
    .close = rec_close,
};

static struct of_addr ip(const char *text)
{
    struct of_addr a;
    assert_int_equal(addr_parse(text, &a), 0);
    return a;
}

static struct graph_req req_of(enum graph_period p)
{
    struct graph_req r = {.host = ip("10.20.0.5"),
                          .dir = DIR_R,
                          .period = p,
                          .width = CHART_DEFAULT_W,
                          .height = CHART_DEFAULT_H,
                          .now = NOW};
    return r;
}

/* Loads req from a recording store; checks what it was asked. */
static void expect_range(const struct graph_req *req, int64_t from, int64_t to,
                         enum store_step step, bool dates)
{
    struct rec_store s = {.base = {.ops = &rec_ops}};
    struct graph_data d;
    assert_int_equal(graph_load(&s.base, req, &d), 0);
    assert_int_equal(s.calls, 1);
    assert_true(addr_equal(&s.host, &req->host));
    assert_int_equal(s.dir, req->dir);
    assert_int_equal(s.step, step);
    assert_int_equal(s.from, from);
    assert_int_equal(s.to, to);
    assert_int_equal(d.from, from);
    assert_int_equal(d.to, to);
    assert_int_equal(d.step, (unsigned)step);
    assert_int_equal(d.dates, dates);
    assert_int_equal(d.n, 0);
    graph_data_fini(&d);
}

static void test_period_names(void **state)
{
    (void)state;
    static const char *names[] = {"hour", "day", "24h", "48h", "week", "month", "year", "explict"};
    for (int i = 0; i < 8; i++)
        assert_int_equal(graph_period_from_name(names[i]), i);
    assert_int_equal(graph_period_from_name("explicit"), GRAPH_EXPLICIT);
    assert_int_equal(graph_period_from_name("Day"), -1);
    assert_int_equal(graph_period_from_name(""), -1);
    assert_int_equal(graph_period_from_name("days"), -1);
    assert_int_equal(graph_period_from_name(NULL), -1);
}

static void test_ranges_and_steps(void **state)
{
    (void)state;
    int64_t now_up = NOW - NOW % 300 + 300; /* 10:30 */
    struct graph_req r = req_of(GRAPH_HOUR);
    expect_range(&r, NOW - 3600 - (NOW - 3600) % 300, now_up, STORE_STEP_BIN, false);
    r = req_of(GRAPH_DAY); /* today from midnight till now */
    expect_range(&r, MAY14, now_up, STORE_STEP_BIN, false);
    r.prealloc = true; /* ... or till the next midnight */
    expect_range(&r, MAY14, MAY14 + DAY, STORE_STEP_BIN, false);
    r = req_of(GRAPH_24H);
    expect_range(&r, now_up - 300 - DAY, now_up, STORE_STEP_BIN, false);
    r = req_of(GRAPH_48H);
    expect_range(&r, now_up - 300 - 2 * DAY, now_up, STORE_STEP_BIN, true);
    r = req_of(GRAPH_WEEK); /* 2017 bins on 1440 columns: still 5-minute bins */
    expect_range(&r, now_up - 300 - 7 * DAY, now_up, STORE_STEP_BIN, true);
    r = req_of(GRAPH_MONTH); /* since 2024-04-14 10:27:13: 8640 bins are too many */
    expect_range(&r, NOW - 30 * DAY - NOW % 3600, NOW - NOW % 3600 + 3600, STORE_STEP_HOUR, true);
    r = req_of(GRAPH_YEAR); /* 8760 hours are too many: days */
    expect_range(&r, MAY14 - 365 * DAY, MAY14 + DAY, STORE_STEP_DAY, true);
    r = req_of(GRAPH_EXPLICIT);
    r.from = 1715680800;
    r.to = 1715682300;
    expect_range(&r, 1715680800, 1715682300, STORE_STEP_BIN, false);
    r.from = 1715680801; /* widened to whole steps */
    r.to = 1715682299;
    expect_range(&r, 1715680800, 1715682300, STORE_STEP_BIN, false);
}

static void test_step_follows_width(void **state)
{
    (void)state;
    int64_t now_up = NOW - NOW % 300 + 300;
    struct graph_req r = req_of(GRAPH_WEEK);
    r.width = 1100; /* 1000 columns: 2017 bins are more than twice that */
    expect_range(&r, NOW - 7 * DAY - NOW % 3600, NOW - NOW % 3600 + 3600, STORE_STEP_HOUR, true);
    r = req_of(GRAPH_YEAR);
    r.width = CHART_MAX_W; /* 3900 columns hold 8761 hours? no: 7800 < 8761 */
    expect_range(&r, MAY14 - 365 * DAY, MAY14 + DAY, STORE_STEP_DAY, true);
    r = req_of(GRAPH_MONTH);
    r.width = 400; /* 300 columns: 721 hours are too many */
    expect_range(&r, MAY14 - 30 * DAY, MAY14 + DAY, STORE_STEP_DAY, true);
    r = req_of(GRAPH_DAY);
    r.width = CHART_MIN_W; /* 200 columns, 126 bins so far today */
    expect_range(&r, MAY14, now_up, STORE_STEP_BIN, false);
}

static void test_local_day_and_month(void **state)
{
    (void)state;
    setenv("TZ", "Asia/Kathmandu", 1); /* UTC+05:45 */
    tzset();
    struct graph_req r = req_of(GRAPH_DAY);
    r.prealloc = true;
    /* 2024-05-14 16:12:13 there; its day began at 2024-05-13 18:15 UTC */
    int64_t midnight = MAY14 - 5 * HOUR - 45 * INT64_C(60);
    expect_range(&r, midnight, midnight + DAY, STORE_STEP_BIN, false);
    setenv("TZ", "UTC", 1);
    tzset();
    r = req_of(GRAPH_MONTH);
    r.now = INT64_C(1711881000); /* 2024-03-31 10:30 UTC: back to "February 31" = March 2 */
    expect_range(&r, INT64_C(1709373600), INT64_C(1711882800), STORE_STEP_HOUR, true);
}

static void test_invalid_requests(void **state)
{
    (void)state;
    struct rec_store s = {.base = {.ops = &rec_ops}};
    struct graph_data d = {.n = 77};
    struct graph_req r = req_of(GRAPH_DAY);
    r.dir = 2;
    assert_int_equal(graph_load(&s.base, &r, &d), -EINVAL);
    r = req_of(GRAPH_DAY);
    r.width = CHART_MAX_W + 1;
    assert_int_equal(graph_load(&s.base, &r, &d), -EINVAL);
    r = req_of(GRAPH_DAY);
    r.height = CHART_MIN_H - 1;
    assert_int_equal(graph_load(&s.base, &r, &d), -EINVAL);
    r = req_of(GRAPH_DAY);
    r.host.af = 0;
    assert_int_equal(graph_load(&s.base, &r, &d), -EINVAL);
    r = req_of(GRAPH_DAY);
    r.now = 0;
    assert_int_equal(graph_load(&s.base, &r, &d), -EINVAL);
    r = req_of(GRAPH_DAY);
    r.period = (enum graph_period)99;
    assert_int_equal(graph_load(&s.base, &r, &d), -EINVAL);
    r = req_of(GRAPH_EXPLICIT);
    r.from = r.to = 1715680800;
    assert_int_equal(graph_load(&s.base, &r, &d), -EINVAL);
    r.to = r.from - 300;
    assert_int_equal(graph_load(&s.base, &r, &d), -EINVAL);
    r.from = 1000;
    r.to = r.from + GRAPH_MAX_SPAN + 1;
    assert_int_equal(graph_load(&s.base, &r, &d), -EINVAL);
    r.from = -300;
    r.to = 300;
    assert_int_equal(graph_load(&s.base, &r, &d), -EINVAL);
    assert_int_equal(s.calls, 0);
    /* the store's error passes through; *out is still untouched */
    s.fail = -EIO;
    r = req_of(GRAPH_DAY);
    assert_int_equal(graph_load(&s.base, &r, &d), -EIO);
    assert_int_equal(d.n, 77);
}

/* The store reporting more steps than the range holds can't overrun. */
static void test_rows_beyond_the_range_are_dropped(void **state)
{
    (void)state;
    struct step_row rows[20];
    memset(rows, 0, sizeof(rows));
    for (int i = 0; i < 20; i++) {
        rows[i].ts = 1715680800 + i * 300;
        rows[i].peak[CLASS_TOTAL] = (uint64_t)i;
    }
    struct rec_store s = {.base = {.ops = &rec_ops}, .rows = rows, .nrows = 20};
    struct graph_req r = req_of(GRAPH_EXPLICIT);
    r.from = 1715680800;
    r.to = r.from + 5 * INT64_C(300);
    struct graph_data d;
    assert_int_equal(graph_load(&s.base, &r, &d), 0);
    assert_int_equal(d.n, 5);
    graph_data_fini(&d);
    graph_data_fini(&d); /* twice is fine */
    graph_data_fini(NULL);
}

static void test_titles(void **state)
{
    (void)state;
    struct rec_store s = {.base = {.ops = &rec_ops}};
    struct graph_data d;
    struct graph_req r = req_of(GRAPH_DAY);
    assert_int_equal(graph_load(&s.base, &r, &d), 0);
    assert_string_equal(d.title, "10.20.0.5 Download");
    graph_data_fini(&d);
    r.dir = DIR_S;
    r.host = ip("2001:db8:20::1");
    r.netdesc = "Dorm A";
    assert_int_equal(graph_load(&s.base, &r, &d), 0);
    assert_string_equal(d.title, "2001:db8:20::1 Upload \xe2\x80\x94 Dorm A");
    graph_data_fini(&d);
    r.host = ip("0.0.0.0");
    r.netdesc = "";
    r.dir = DIR_R;
    assert_int_equal(graph_load(&s.base, &r, &d), 0);
    assert_string_equal(d.title, "0.0.0.0 Download");
    graph_data_fini(&d);
    /* a description longer than the title holds is cut between characters */
    char desc[600];
    for (size_t i = 0; i + 2 < sizeof(desc); i += 2)
        memcpy(desc + i, "\xd0\xb6", 2);
    desc[sizeof(desc) - 2] = '\0';
    r.netdesc = desc;
    assert_int_equal(graph_load(&s.base, &r, &d), 0);
    size_t len = strlen(d.title);
    assert_true(len < GRAPH_TITLE_LEN && len > GRAPH_TITLE_LEN - 4);
    assert_int_equal((len - strlen("0.0.0.0 Download \xe2\x80\x94 ")) % 2, 0);
    graph_data_fini(&d);
}

/* ---- against a real store ---- */

struct fixture {
    char dir[64];
    char path[128];
    struct store *st;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    if (!f)
        return -1;
    (void)snprintf(f->dir, sizeof(f->dir), "/tmp/of-graph-test-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    (void)snprintf(f->path, sizeof(f->path), "%s/of.db", f->dir);
    struct store_cfg cfg = {.backend = "sqlite", .path = f->path};
    if (store_open(&f->st, &cfg) < 0) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    (void)store_close(f->st);
    char p[192];
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 4; i++) {
        (void)snprintf(p, sizeof(p), "%s%s", f->path, suffixes[i]);
        (void)unlink(p);
    }
    (void)rmdir(f->dir);
    free(f);
    return 0;
}

static struct bin_row row(const char *host, int dir, int64_t ts, uint64_t total)
{
    struct bin_row r;
    memset(&r, 0, sizeof(r));
    r.host = ip(host);
    r.dir = (uint8_t)dir;
    r.ts = ts;
    r.bytes[CLASS_TOTAL] = total;
    r.bytes[CLASS_TCP] = total / 2;
    r.bytes[CLASS_WEB] = total / 4;
    r.bytes[CLASS_SIP] = total ? 1 : 0;
    for (int c = 0; c < CLASS__COUNT; c++)
        r.packets[c] = r.bytes[c] / 1000;
    return r;
}

static void put(struct store *s, const struct bin_row *rows, size_t n)
{
    struct bin_batch b = {.rows = rows, .n = n};
    assert_int_equal(store_put_bins(s, &b), 0);
}

static double mbps(uint64_t bytes)
{
    return (double)bytes * 8 / 300 / 1048576;
}

static void test_values_are_stored_bytes_in_mbps(void **state)
{
    struct fixture *f = *state;
    struct bin_row rows[] = {
        row("10.20.0.5", DIR_R, MAY14 + 600, 39321600), /* 1 Mbit/s */
        row("10.20.0.5", DIR_R, MAY14 + 1200, 123456789),
        row("10.20.0.5", DIR_S, MAY14 + 1200, 5555), /* the other direction */
        row("10.20.0.6", DIR_R, MAY14 + 1200, 777),  /* another host */
        row("10.20.0.5", DIR_R, MAY14 + 4 * HOUR, 1000),
    };
    put(f->st, rows, OF_ARRAY_LEN(rows));
    struct graph_req r = req_of(GRAPH_DAY);
    struct graph_data d;
    assert_int_equal(graph_load(f->st, &r, &d), 0);
    assert_int_equal(d.n, 3);
    size_t want[] = {0, 1, 4};
    for (size_t i = 0; i < 3; i++) {
        const struct bin_row *w = &rows[want[i]];
        assert_int_equal(d.bars[i].ts, w->ts);
        for (int c = 0; c < CLASS__COUNT; c++)
            assert_true(d.bars[i].mbps[c] == mbps(w->bytes[c]));
    }
    assert_true(d.bars[0].mbps[CLASS_TOTAL] == 1.0);
    graph_data_fini(&d);
    /* upload */
    r.dir = DIR_S;
    assert_int_equal(graph_load(f->st, &r, &d), 0);
    assert_int_equal(d.n, 1);
    assert_true(d.bars[0].mbps[CLASS_TOTAL] == mbps(5555));
    graph_data_fini(&d);
}

/* A month reads hourly rollups; each bar is the fullest 5-minute bin of
 * its hour, not the hour's average. */
static void test_coarse_steps_show_peaks(void **state)
{
    struct fixture *f = *state;
    int64_t h = MAY14 + 3 * HOUR;
    struct bin_row rows[] = {
        row("10.20.0.5", DIR_R, h, UINT64_C(1000) * 1000),
        row("10.20.0.5", DIR_R, h + 300, UINT64_C(5000) * 1000),
        row("10.20.0.5", DIR_R, h + 600, UINT64_C(2000) * 1000),
        row("10.20.0.5", DIR_R, h + 3600, UINT64_C(3000) * 1000),
    };
    put(f->st, rows, OF_ARRAY_LEN(rows));
    struct graph_req r = req_of(GRAPH_MONTH);
    struct graph_data d;
    assert_int_equal(graph_load(f->st, &r, &d), 0);
    assert_int_equal(d.step, STORE_STEP_HOUR);
    assert_int_equal(d.n, 2);
    assert_int_equal(d.bars[0].ts, h);
    assert_true(d.bars[0].mbps[CLASS_TOTAL] == mbps(UINT64_C(5000) * 1000));
    assert_true(d.bars[0].mbps[CLASS_TCP] == mbps(UINT64_C(2500) * 1000));
    assert_true(d.bars[1].mbps[CLASS_TOTAL] == mbps(UINT64_C(3000) * 1000));
    graph_data_fini(&d);
    r = req_of(GRAPH_YEAR);
    assert_int_equal(graph_load(f->st, &r, &d), 0);
    assert_int_equal(d.step, STORE_STEP_DAY);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.bars[0].ts, MAY14);
    assert_true(d.bars[0].mbps[CLASS_TOTAL] == mbps(UINT64_C(5000) * 1000));
    graph_data_fini(&d);
}

static void test_all_hosts(void **state)
{
    struct fixture *f = *state;
    struct bin_row rows[] = {
        row("0.0.0.0", DIR_R, MAY14 + 600, 3000),
        row("10.20.0.5", DIR_R, MAY14 + 600, 1000),
    };
    put(f->st, rows, OF_ARRAY_LEN(rows));
    struct graph_req r = req_of(GRAPH_24H);
    r.host = ip("0.0.0.0");
    struct graph_data d;
    assert_int_equal(graph_load(f->st, &r, &d), 0);
    assert_int_equal(d.n, 1);
    assert_true(d.bars[0].mbps[CLASS_TOTAL] == mbps(3000));
    graph_data_fini(&d);
}

static void test_dump_text(void **state)
{
    struct fixture *f = *state;
    struct bin_row rows[] = {
        row("10.20.0.5", DIR_R, MAY14 + 600, 39321600),
        row("10.20.0.5", DIR_R, MAY14 + 900, 1000),
    };
    put(f->st, rows, OF_ARRAY_LEN(rows));
    struct graph_req r = req_of(GRAPH_DAY);
    struct graph_data d;
    assert_int_equal(graph_load(f->st, &r, &d), 0);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(graph_dump(&d, &text, &len), 0);
    assert_string_equal(text, "1715645400 1.000000 0.000000 0.000000 0.500000 0.000000 0.000000 "
                              "0.000000 0.000000 0.250000 0.000000 0.000000 0.000000\n"
                              "1715645700 0.000025 0.000000 0.000000 0.000013 0.000000 0.000000 "
                              "0.000000 0.000000 0.000006 0.000000 0.000000 0.000000\n");
    assert_int_equal(len, strlen(text));
    free(text);
    graph_data_fini(&d);
    /* no bars: an empty text */
    r = req_of(GRAPH_HOUR);
    assert_int_equal(graph_load(f->st, &r, &d), 0);
    assert_int_equal(graph_dump(&d, &text, &len), 0);
    assert_string_equal(text, "");
    assert_int_equal(len, 0);
    free(text);
    graph_data_fini(&d);
}

static void test_png_of_the_request_size(void **state)
{
    struct fixture *f = *state;
    struct bin_row rows[] = {row("10.20.0.5", DIR_R, MAY14 + 600, 39321600)};
    put(f->st, rows, 1);
    struct graph_req r = req_of(GRAPH_DAY);
    r.width = 900;
    r.height = 250;
    r.prealloc = true;
    struct graph_data d;
    assert_int_equal(graph_load(f->st, &r, &d), 0);
    void *png = NULL;
    size_t len = 0;
    assert_int_equal(graph_png(&r, &d, &png, &len), 0);
    gdImagePtr im = gdImageCreateFromPngPtr((int)len, png);
    chart_free(png);
    assert_non_null(im);
    assert_int_equal(gdImageSX(im), 900);
    assert_int_equal(gdImageSY(im), 250);
    /* 800 columns for 288 bins: bin 2 is columns 5..8, with total on top */
    uint8_t rgb[3];
    chart_class_rgb(CLASS_TOTAL, rgb);
    int top = -1;
    for (int y = 0; y < 250 && top < 0; y++) {
        int v = gdImageGetTrueColorPixel(im, 51 + 6, y);
        if (gdTrueColorGetRed(v) == rgb[0] && gdTrueColorGetGreen(v) == rgb[1] &&
            gdTrueColorGetBlue(v) == rgb[2])
            top = y;
    }
    assert_true(top > 30 && top < 80);
    gdImageDestroy(im);
    r.font = "/nonexistent.ttf";
    assert_int_equal(graph_png(&r, &d, &png, &len), -ENOENT);
    graph_data_fini(&d);
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_period_names),
        cmocka_unit_test(test_ranges_and_steps),
        cmocka_unit_test(test_step_follows_width),
        cmocka_unit_test(test_local_day_and_month),
        cmocka_unit_test(test_invalid_requests),
        cmocka_unit_test(test_rows_beyond_the_range_are_dropped),
        cmocka_unit_test(test_titles),
        cmocka_unit_test_setup_teardown(test_values_are_stored_bytes_in_mbps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_coarse_steps_show_peaks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_all_hosts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dump_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_png_of_the_request_size, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
