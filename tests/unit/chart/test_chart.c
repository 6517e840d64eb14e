/* tests/unit/chart/test_chart.c: charts drawn by chart_png, decoded back
 * with libgd and checked pixel by pixel: where the bars are, their exact
 * colours, the layering of the classes, gaps, and the peak of columns that
 * hold several bars. Times are UTC (set in main). */
/* cmocka.h needs these first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <gd.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chart/chart.h"

#define T0  INT64_C(1715644800) /* 2024-05-14 00:00:00 UTC */
#define DAY INT64_C(86400)
/* The default layout: bars in columns 51..1490, rows 40..359; the X axis
 * is row 360, the Y axis column 50. */
#define PLOT_X0 51
#define PLOT_W  1440
#define AXIS_Y  360
#define PLOT_H  320

#define RGB(r, g, b) ((uint32_t)(r) << 16 | (uint32_t)(g) << 8 | (uint32_t)(b))
#define WHITE        RGB(255, 255, 255)
#define INK          RGB(85, 85, 85)
#define GRID         RGB(212, 212, 212)

static uint32_t class_rgb(enum traffic_class c)
{
    uint8_t v[3];
    chart_class_rgb(c, v);
    return RGB(v[0], v[1], v[2]);
}

/* The start of the n-th 5-minute bin of the day. */
static int64_t at(int64_t n)
{
    return T0 + n * 300;
}

static struct chart_req day_req(void)
{
    struct chart_req r = {.width = CHART_DEFAULT_W,
                          .height = CHART_DEFAULT_H,
                          .from = T0,
                          .to = T0 + DAY,
                          .step = 300,
                          .title = "10.0.0.1 Download",
                          .font = chart_default_font(),
                          .dates = false};
    return r;
}

static gdImagePtr render(const struct chart_req *r, const struct chart_bar *bars, size_t n)
{
    void *png = NULL;
    size_t len = 0;
    assert_int_equal(chart_png(r, bars, n, &png, &len), 0);
    assert_non_null(png);
    assert_true(len > 8 && memcmp(png, "\x89PNG", 4) == 0);
    gdImagePtr im = gdImageCreateFromPngPtr((int)len, png);
    chart_free(png);
    assert_non_null(im);
    return im;
}

static uint32_t px(gdImagePtr im, int x, int y)
{
    int v = gdImageGetTrueColorPixel(im, x, y);
    return RGB(gdTrueColorGetRed(v), gdTrueColorGetGreen(v), gdTrueColorGetBlue(v));
}

/* Height in pixels of a value on a scale of peak + 10 %, as SPEC says. */
static int height_of(double v, double peak)
{
    long h = lround(v / (peak * 1.1) * PLOT_H);
    return h < 1 && v > 0 ? 1 : (int)h;
}

/* The colour runs of column x from the axis up: colours[i] for runs[i]
 * pixels. Returns how many runs until the first white pixel. */
static size_t column_runs(gdImagePtr im, int x, uint32_t *colours, int *runs, size_t max)
{
    size_t n = 0;
    for (int y = AXIS_Y - 1; y >= AXIS_Y - PLOT_H; y--) {
        uint32_t c = px(im, x, y);
        if (c == WHITE || c == GRID)
            break;
        if (n > 0 && colours[n - 1] == c) {
            runs[n - 1]++;
            continue;
        }
        assert_true(n < max);
        colours[n] = c;
        runs[n++] = 1;
    }
    return n;
}

static bool column_empty(gdImagePtr im, int x)
{
    for (int y = AXIS_Y - PLOT_H; y < AXIS_Y; y++) {
        uint32_t c = px(im, x, y);
        if (c != WHITE && c != GRID)
            return false;
    }
    return true;
}

static struct chart_bar bar(int64_t ts, double total)
{
    struct chart_bar b;
    memset(&b, 0, sizeof(b));
    b.ts = ts;
    b.mbps[CLASS_TOTAL] = total;
    return b;
}

static void test_size_and_frame(void **state)
{
    (void)state;
    struct chart_req r = day_req();
    gdImagePtr im = render(&r, NULL, 0);
    assert_int_equal(gdImageSX(im), 1540);
    assert_int_equal(gdImageSY(im), 400);
    assert_int_equal(px(im, 0, 0), WHITE);
    assert_int_equal(px(im, 50, 200), INK);     /* Y axis */
    assert_int_equal(px(im, 700, 360), INK);    /* X axis */
    assert_int_equal(px(im, 700, 40), GRID);    /* the top grid line: 1.0 of an empty chart */
    assert_int_equal(px(im, 1491, 200), WHITE); /* right of the plot */
    gdImageDestroy(im);

    r.width = 800;
    r.height = 300;
    im = render(&r, NULL, 0);
    assert_int_equal(gdImageSX(im), 800);
    assert_int_equal(gdImageSY(im), 300);
    gdImageDestroy(im);
}

static void test_empty_chart_has_legend(void **state)
{
    (void)state;
    struct chart_req r = day_req();
    gdImagePtr im = render(&r, NULL, 0);
    for (int x = PLOT_X0; x < PLOT_X0 + PLOT_W; x++)
        assert_true(column_empty(im, x));
    /* a swatch per class along the bottom, 100 pixels apart */
    for (int c = 0; c < CLASS__COUNT; c++)
        assert_int_equal(px(im, 20 + 100 * c + 10, 388), class_rgb((enum traffic_class)c));
    gdImageDestroy(im);
}

static void test_bar_at_its_time(void **state)
{
    (void)state;
    struct chart_req r = day_req();
    /* 288 bars of 5 pixels over the day; bar 100 is columns 500..504 */
    struct chart_bar b = bar(at(100), 8);
    b.mbps[CLASS_UDP] = 8;
    gdImagePtr im = render(&r, &b, 1);
    for (int x = PLOT_X0; x < PLOT_X0 + PLOT_W; x++) {
        bool in = x >= PLOT_X0 + 500 && x < PLOT_X0 + 505;
        assert_int_equal(column_empty(im, x), !in);
    }
    /* udp is as tall as total and later in the order: it covers it */
    uint32_t colours[4];
    int runs[4] = {0};
    assert_int_equal(column_runs(im, PLOT_X0 + 502, colours, runs, 4), 1);
    assert_int_equal(colours[0], class_rgb(CLASS_UDP));
    assert_int_equal(runs[0], height_of(8, 8));
    gdImageDestroy(im);
}

static void test_tallest_first_layering(void **state)
{
    (void)state;
    struct chart_req r = day_req();
    struct chart_bar b = bar(at(10), 10);
    b.mbps[CLASS_TCP] = 6;
    b.mbps[CLASS_WEB] = 3;
    b.mbps[CLASS_ICMP] = 0.5;
    gdImagePtr im = render(&r, &b, 1);
    uint32_t colours[8];
    int runs[8] = {0};
    assert_int_equal(column_runs(im, PLOT_X0 + 52, colours, runs, 8), 4);
    /* from the axis up: icmp, web, tcp, total; each as tall as its value */
    assert_int_equal(colours[0], class_rgb(CLASS_ICMP));
    assert_int_equal(colours[1], class_rgb(CLASS_WEB));
    assert_int_equal(colours[2], class_rgb(CLASS_TCP));
    assert_int_equal(colours[3], class_rgb(CLASS_TOTAL));
    assert_int_equal(runs[0], height_of(0.5, 10));
    assert_int_equal(runs[0] + runs[1], height_of(3, 10));
    assert_int_equal(runs[0] + runs[1] + runs[2], height_of(6, 10));
    assert_int_equal(runs[0] + runs[1] + runs[2] + runs[3], height_of(10, 10));
    gdImageDestroy(im);
}

/* The order classes come in must not matter: a small class drawn "before"
 * total in API order still shows on top of it. */
static void test_small_class_not_hidden_by_total(void **state)
{
    (void)state;
    struct chart_req r = day_req();
    struct chart_bar b = bar(T0, 40);
    b.mbps[CLASS_SIP] = 1;
    gdImagePtr im = render(&r, &b, 1);
    uint32_t colours[4];
    int runs[4] = {0};
    assert_int_equal(column_runs(im, PLOT_X0, colours, runs, 4), 2);
    assert_int_equal(colours[0], class_rgb(CLASS_SIP));
    assert_int_equal(colours[1], class_rgb(CLASS_TOTAL));
    gdImageDestroy(im);
}

static void test_tie_later_class_on_top(void **state)
{
    (void)state;
    struct chart_req r = day_req();
    struct chart_bar b[2] = {bar(T0, 5), bar(T0 + 300, 5)};
    b[0].mbps[CLASS_TCP] = 5; /* total = tcp = web */
    b[0].mbps[CLASS_WEB] = 5;
    b[1].mbps[CLASS_TCP] = 5; /* total = tcp, with a smaller udp */
    b[1].mbps[CLASS_UDP] = 2;
    gdImagePtr im = render(&r, b, 2);
    uint32_t colours[4];
    int runs[4] = {0};
    assert_int_equal(column_runs(im, PLOT_X0 + 2, colours, runs, 4), 1);
    assert_int_equal(colours[0], class_rgb(CLASS_WEB));
    assert_int_equal(column_runs(im, PLOT_X0 + 7, colours, runs, 4), 2);
    assert_int_equal(colours[0], class_rgb(CLASS_UDP));
    assert_int_equal(colours[1], class_rgb(CLASS_TCP));
    gdImageDestroy(im);
}

static void test_gaps_stay_empty(void **state)
{
    (void)state;
    struct chart_req r = day_req();
    struct chart_bar b[2] = {bar(at(20), 3), bar(at(23), 3)};
    gdImagePtr im = render(&r, b, 2);
    for (int x = PLOT_X0 + 100; x < PLOT_X0 + 105; x++)
        assert_false(column_empty(im, x));
    for (int x = PLOT_X0 + 105; x < PLOT_X0 + 115; x++)
        assert_true(column_empty(im, x)); /* bins 21 and 22 have no data */
    for (int x = PLOT_X0 + 115; x < PLOT_X0 + 120; x++)
        assert_false(column_empty(im, x));
    gdImageDestroy(im);
}

/* A week of 5-minute bars is 2016 bars on 1440 columns: a column that holds
 * two bars shows the taller, whichever comes first. */
static void test_peak_per_column(void **state)
{
    (void)state;
    struct chart_req r = day_req();
    r.to = T0 + 7 * DAY;
    r.dates = true;
    size_t n = 2016;
    struct chart_bar *b = calloc(n, sizeof(*b));
    assert_non_null(b);
    for (size_t i = 0; i < n; i++)
        b[i] = bar(T0 + (int64_t)i * 300, 1);
    /* bar i starts in column floor(i * 5 / 7): bars 3 and 4 share column 2 */
    b[3].mbps[CLASS_TOTAL] = 9;
    b[3].mbps[CLASS_DNS] = 0.5;
    b[4].mbps[CLASS_TOTAL] = 2;
    b[4].mbps[CLASS_DNS] = 2;
    /* the same, the other way round, in column 702 (bars 983 and 984) */
    b[983].mbps[CLASS_TOTAL] = 2;
    b[984].mbps[CLASS_TOTAL] = 10;
    gdImagePtr im = render(&r, b, n);
    uint32_t colours[4];
    int runs[4] = {0};
    assert_int_equal(column_runs(im, PLOT_X0 + 2, colours, runs, 4), 2);
    assert_int_equal(colours[0], class_rgb(CLASS_DNS));
    assert_int_equal(runs[0], height_of(2, 10));
    assert_int_equal(runs[0] + runs[1], height_of(9, 10));
    assert_int_equal(column_runs(im, PLOT_X0 + 702, colours, runs, 4), 1);
    assert_int_equal(runs[0], height_of(10, 10));
    /* every column has a bar: no gaps where there is data */
    for (int x = PLOT_X0; x < PLOT_X0 + PLOT_W; x++)
        assert_false(column_empty(im, x));
    gdImageDestroy(im);
    /* the peak survives reversed input order too */
    for (size_t i = 0; i < n / 2; i++) {
        struct chart_bar t = b[i];
        b[i] = b[n - 1 - i];
        b[n - 1 - i] = t;
    }
    im = render(&r, b, n);
    assert_int_equal(column_runs(im, PLOT_X0 + 702, colours, runs, 4), 1);
    assert_int_equal(runs[0], height_of(10, 10));
    gdImageDestroy(im);
    free(b);
}

/* Bars wider than a column cover every column of their step, no more. */
static void test_hourly_bars_cover_their_columns(void **state)
{
    (void)state;
    struct chart_req r = day_req();
    r.to = T0 + 30 * DAY;
    r.step = 3600;
    r.dates = true;
    /* 720 hours on 1440 columns: hour k is columns 2k and 2k + 1 */
    struct chart_bar b = bar(T0 + INT64_C(100) * 3600, 4);
    gdImagePtr im = render(&r, &b, 1);
    assert_true(column_empty(im, PLOT_X0 + 199));
    assert_false(column_empty(im, PLOT_X0 + 200));
    assert_false(column_empty(im, PLOT_X0 + 201));
    assert_true(column_empty(im, PLOT_X0 + 202));
    gdImageDestroy(im);
}

static void test_tiny_value_shows(void **state)
{
    (void)state;
    struct chart_req r = day_req();
    struct chart_bar b[2] = {bar(T0, 100), bar(T0 + 300, 0.001)};
    gdImagePtr im = render(&r, b, 2);
    uint32_t colours[2];
    int runs[2] = {0};
    assert_int_equal(column_runs(im, PLOT_X0 + 6, colours, runs, 2), 1);
    assert_int_equal(runs[0], 1);
    gdImageDestroy(im);
}

static void test_bars_outside_range_ignored(void **state)
{
    (void)state;
    struct chart_req r = day_req();
    struct chart_bar b[3] = {bar(T0 - 300, 1000), bar(T0, 4), bar(T0 + DAY, 1000)};
    gdImagePtr im = render(&r, b, 3);
    uint32_t colours[2];
    int runs[2] = {0};
    /* the scale is set by the bar inside only */
    assert_int_equal(column_runs(im, PLOT_X0, colours, runs, 2), 1);
    assert_int_equal(runs[0], height_of(4, 4));
    gdImageDestroy(im);
}

static void test_png_is_palette_of_exact_colours(void **state)
{
    (void)state;
    struct chart_req r = day_req();
    struct chart_bar b = bar(T0, 4);
    for (int c = 1; c < CLASS__COUNT; c++)
        b.mbps[c] = 4.0 - c * 0.3;
    void *png = NULL;
    size_t len = 0;
    assert_int_equal(chart_png(&r, &b, 1, &png, &len), 0);
    gdImagePtr im = gdImageCreateFromPngPtr((int)len, png);
    chart_free(png);
    assert_non_null(im);
    assert_false(gdImageTrueColor(im));
    /* every class colour is an exact palette entry */
    for (int c = 0; c < CLASS__COUNT; c++) {
        uint32_t want = class_rgb((enum traffic_class)c);
        int idx =
            gdImageColorExact(im, (int)(want >> 16), (int)(want >> 8 & 255), (int)(want & 255));
        assert_true(idx >= 0);
    }
    gdImageDestroy(im);
}

static void test_invalid_requests(void **state)
{
    (void)state;
    void *png = NULL;
    size_t len = 0;
    struct chart_bar b = bar(T0, 1);
    struct chart_req r = day_req();
    r.width = CHART_MIN_W - 1;
    assert_int_equal(chart_png(&r, &b, 1, &png, &len), -EINVAL);
    r = day_req();
    r.height = CHART_MAX_H + 1;
    assert_int_equal(chart_png(&r, &b, 1, &png, &len), -EINVAL);
    r = day_req();
    r.to = r.from;
    assert_int_equal(chart_png(&r, &b, 1, &png, &len), -EINVAL);
    r = day_req();
    r.step = 0;
    assert_int_equal(chart_png(&r, &b, 1, &png, &len), -EINVAL);
    r = day_req();
    r.to = r.from + CHART_MAX_SPAN + 1;
    assert_int_equal(chart_png(&r, &b, 1, &png, &len), -EINVAL);
    r = day_req();
    b.mbps[CLASS_TCP] = NAN;
    assert_int_equal(chart_png(&r, &b, 1, &png, &len), -EINVAL);
    b.mbps[CLASS_TCP] = -1;
    assert_int_equal(chart_png(&r, &b, 1, &png, &len), -EINVAL);
    b.mbps[CLASS_TCP] = 0;
    assert_int_equal(chart_png(&r, NULL, 1, &png, &len), -EINVAL);
    r.font = "/nonexistent/font.ttf";
    assert_int_equal(chart_png(&r, &b, 1, &png, &len), -ENOENT);
    r.font = NULL;
    assert_int_equal(chart_png(&r, &b, 1, &png, &len), -EINVAL);
    assert_null(png); /* never written on failure */
    chart_free(NULL);
}

static void test_long_title_and_small_size(void **state)
{
    (void)state;
    struct chart_req r = day_req();
    r.width = CHART_MIN_W;
    r.height = CHART_MIN_H;
    r.title = "2001:db8:20::1 Upload \xe2\x80\x94 a description far too long for the chart "
              "\xd0\xbc\xd0\xb5\xd1\x80\xd0\xb5\xd0\xb6\xd0\xb0 \xff\xfe broken UTF-8";
    struct chart_bar b = bar(T0 + 3600, 1);
    gdImagePtr im = render(&r, &b, 1);
    assert_int_equal(gdImageSX(im), CHART_MIN_W);
    assert_int_equal(gdImageSY(im), CHART_MIN_H);
    gdImageDestroy(im);
    r.title = NULL;
    im = render(&r, &b, 1);
    gdImageDestroy(im);
}

static void test_class_colours(void **state)
{
    (void)state;
    static const uint32_t want[CLASS__COUNT] = {
        RGB(47, 133, 217), RGB(240, 0, 0),     RGB(140, 0, 0),   RGB(0, 220, 0),
        RGB(175, 16, 159), RGB(252, 93, 0),    RGB(240, 240, 0), RGB(174, 174, 174),
        RGB(0, 0, 245),    RGB(160, 156, 254), RGB(68, 120, 74), RGB(54, 49, 22),
    };
    for (int c = 0; c < CLASS__COUNT; c++)
        assert_int_equal(class_rgb((enum traffic_class)c), want[c]);
    assert_non_null(chart_default_font());
}

struct thread_job {
    const struct chart_bar *bars;
    size_t n;
    void *png;
    size_t len;
    int rc;
};

static void *render_thread(void *arg)
{
    struct thread_job *j = arg;
    struct chart_req r = day_req();
    j->rc = chart_png(&r, j->bars, j->n, &j->png, &j->len);
    return NULL;
}

/* Charts drawn at once from several threads (as the HTTP server does)
 * come out byte for byte the same. */
static void test_threads_draw_the_same(void **state)
{
    (void)state;
    struct chart_bar b[288];
    for (size_t i = 0; i < 288; i++) {
        b[i] = bar(T0 + (int64_t)i * 300, 1 + (double)(i % 17));
        b[i].mbps[CLASS_TCP] = (double)(i % 11);
    }
    struct thread_job jobs[4];
    pthread_t th[4];
    for (size_t i = 0; i < 4; i++) {
        jobs[i] = (struct thread_job){.bars = b, .n = 288};
        assert_int_equal(pthread_create(&th[i], NULL, render_thread, &jobs[i]), 0);
    }
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(jobs[i].rc, 0);
        assert_int_equal(jobs[i].len, jobs[0].len);
        assert_memory_equal(jobs[i].png, jobs[0].png, jobs[0].len);
    }
    for (size_t i = 0; i < 4; i++)
        chart_free(jobs[i].png);
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_size_and_frame),
        cmocka_unit_test(test_empty_chart_has_legend),
        cmocka_unit_test(test_bar_at_its_time),
        cmocka_unit_test(test_tallest_first_layering),
        cmocka_unit_test(test_small_class_not_hidden_by_total),
        cmocka_unit_test(test_tie_later_class_on_top),
        cmocka_unit_test(test_gaps_stay_empty),
        cmocka_unit_test(test_peak_per_column),
        cmocka_unit_test(test_hourly_bars_cover_their_columns),
        cmocka_unit_test(test_tiny_value_shows),
        cmocka_unit_test(test_bars_outside_range_ignored),
        cmocka_unit_test(test_png_is_palette_of_exact_colours),
        cmocka_unit_test(test_invalid_requests),
        cmocka_unit_test(test_long_title_and_small_size),
        cmocka_unit_test(test_class_colours),
        cmocka_unit_test(test_threads_draw_the_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
