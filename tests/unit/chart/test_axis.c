/* tests/unit/chart/test_axis.c: the Y scale and the X ticks, including the
 * days daylight-saving time makes 23 and 25 hours long. */
/* cmocka.h needs these first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chart/axis.h"

#define T0   INT64_C(1715644800) /* 2024-05-14 00:00:00 UTC, a Tuesday */
#define DAY  INT64_C(86400)
#define HOUR INT64_C(3600)

/* Label widths of DejaVu Sans at the chart's text size. */
static const struct axis_label_px label_px = {.hhmm = 37, .date = 72, .month = 50, .year = 29};

static void set_tz(const char *tz)
{
    setenv("TZ", tz, 1);
    tzset();
}

static int utc_setup(void **state)
{
    (void)state;
    set_tz("UTC");
    return 0;
}

static void test_y_scale_like_the_original(void **state)
{
    (void)state;
    struct axis_y y;
    axis_y_scale(64.044, 320, &y); /* original-day.png: grid every 5 up to 70 */
    assert_float_equal(y.max, 64.044 * 1.1, 1e-9);
    assert_float_equal(y.step, 5, 1e-9);
    assert_int_equal(y.lines, 14);
    assert_int_equal(y.decimals, 0);
    axis_y_scale(106.814, 320, &y); /* original-week.png: every 10 up to 110 */
    assert_float_equal(y.step, 10, 1e-9);
    assert_int_equal(y.lines, 11);
}

static void test_y_scale_small_and_empty(void **state)
{
    (void)state;
    struct axis_y y;
    axis_y_scale(0, 320, &y);
    assert_float_equal(y.max, AXIS_Y_EMPTY_MBPS, 1e-12);
    assert_float_equal(y.step, 0.1, 1e-12);
    assert_int_equal(y.lines, 10);
    assert_int_equal(y.decimals, 1);
    axis_y_scale(0.00002, 320, &y); /* a few packets: the scale stops shrinking */
    assert_float_equal(y.max, AXIS_Y_MIN_MBPS, 1e-12);
    assert_float_equal(y.step, 0.0001, 1e-12);
    assert_int_equal(y.decimals, 4);
    axis_y_scale(2.2, 320, &y); /* 2.42 / 16 = 0.15 -> 0.2 */
    assert_float_equal(y.step, 0.2, 1e-12);
    assert_int_equal(y.lines, 12);
    assert_int_equal(y.decimals, 1);
    axis_y_scale(50000, 30, &y); /* a plot with room for one line */
    assert_true(y.lines >= 1 && y.lines * AXIS_Y_MIN_GAP <= 30 + AXIS_Y_MIN_GAP);
    axis_y_scale(123456, 320, &y);
    assert_true(y.lines <= 16 && y.step * y.lines <= y.max);
}

static void test_day_hourly(void **state)
{
    (void)state;
    struct axis_tick t[AXIS_MAX_TICKS];
    size_t n = axis_x_ticks(T0, T0 + DAY, 1440, false, &label_px, t, AXIS_MAX_TICKS);
    assert_int_equal(n, 24);
    for (size_t i = 0; i < n; i++) {
        char want[8];
        (void)snprintf(want, sizeof(want), "%02zu:00", i);
        assert_int_equal(t[i].t, T0 + (int64_t)i * 3600);
        assert_string_equal(t[i].label, want);
    }
    /* half a day not aligned to the hour starts at the next full hour */
    n = axis_x_ticks(T0 + 1000, T0 + 1000 + DAY / 2, 1440, false, &label_px, t, AXIS_MAX_TICKS);
    assert_true(n > 0);
    assert_int_equal(t[0].t % 1800, 0);
    assert_true(t[0].t >= T0 + 1000);
    /* an hour: every 5 minutes */
    n = axis_x_ticks(T0, T0 + 3600, 1440, false, &label_px, t, AXIS_MAX_TICKS);
    assert_int_equal(n, 12);
    assert_string_equal(t[1].label, "00:05");
    /* a narrow day: fewer ticks, still round */
    n = axis_x_ticks(T0, T0 + DAY, 300, false, &label_px, t, AXIS_MAX_TICKS);
    assert_true(n >= 2 && n <= 6);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(t[i].t % 10800, 0);
}

static void test_week_dates_and_noon(void **state)
{
    (void)state;
    struct axis_tick t[AXIS_MAX_TICKS];
    size_t n = axis_x_ticks(T0, T0 + 7 * DAY, 1440, true, &label_px, t, AXIS_MAX_TICKS);
    assert_int_equal(n, 14); /* every 12 hours: 205 px a day */
    assert_string_equal(t[0].label, "2024-05-14");
    assert_string_equal(t[1].label, "12:00");
    assert_string_equal(t[2].label, "2024-05-15");
    assert_int_equal(t[13].t, T0 + 6 * DAY + DAY / 2);
}

static void test_month_and_year(void **state)
{
    (void)state;
    struct axis_tick t[AXIS_MAX_TICKS];
    /* 30 days on 1440 px: every other day, on even day numbers */
    size_t n = axis_x_ticks(T0, T0 + 30 * DAY, 1440, true, &label_px, t, AXIS_MAX_TICKS);
    assert_int_equal(n, 15);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(t[i].t % (2 * DAY), 0);
        assert_int_equal(strlen(t[i].label), 10);
    }
    /* 365 days: the first of each month */
    n = axis_x_ticks(T0, T0 + 365 * DAY, 1440, true, &label_px, t, AXIS_MAX_TICKS);
    assert_int_equal(n, 12);
    assert_string_equal(t[0].label, "2024-06");
    assert_string_equal(t[11].label, "2025-05");
    /* ten years on a narrow chart: years */
    n = axis_x_ticks(T0, T0 + 3653 * DAY, 300, true, &label_px, t, AXIS_MAX_TICKS);
    assert_true(n >= 2 && n <= 10);
    assert_int_equal(strlen(t[0].label), 4);
}

static void test_weekly_ticks_on_mondays(void **state)
{
    (void)state;
    struct axis_tick t[AXIS_MAX_TICKS];
    /* 90 days on 1400 px: 16 px a day, 109 a week */
    size_t n = axis_x_ticks(T0, T0 + 90 * DAY, 1400, true, &label_px, t, AXIS_MAX_TICKS);
    assert_true(n >= 12 && n <= 13);
    for (size_t i = 0; i < n; i++) {
        time_t tt = (time_t)t[i].t;
        struct tm tm;
        assert_non_null(gmtime_r(&tt, &tm));
        assert_int_equal(tm.tm_wday, 1);
    }
}

/* Berlin, 2024-03-31: 02:00 does not exist; 2024-10-27: 02:00 exists twice. */
static void test_daylight_saving_days(void **state)
{
    (void)state;
    set_tz("Europe/Berlin");
    struct axis_tick t[AXIS_MAX_TICKS];
    int64_t spring = INT64_C(1711839600); /* 2024-03-31 00:00 CET */
    size_t n = axis_x_ticks(spring, spring + 23 * HOUR, 1440, false, &label_px, t, AXIS_MAX_TICKS);
    assert_int_equal(n, 23);
    assert_string_equal(t[1].label, "01:00");
    assert_string_equal(t[2].label, "03:00");
    assert_int_equal(t[2].t, spring + 2 * HOUR);
    int64_t autumn = INT64_C(1729980000); /* 2024-10-27 00:00 CEST */
    n = axis_x_ticks(autumn, autumn + 25 * HOUR, 1440, false, &label_px, t, AXIS_MAX_TICKS);
    assert_int_equal(n, 24); /* 02:00 once */
    for (size_t i = 1; i < n; i++) {
        assert_true(t[i].t > t[i - 1].t);
        assert_string_not_equal(t[i].label, t[i - 1].label);
    }
    assert_string_equal(t[23].label, "23:00");
    /* a week across the change: midnights are local midnights */
    n = axis_x_ticks(spring - 3 * DAY, spring + 4 * DAY, 1440, true, &label_px, t, AXIS_MAX_TICKS);
    for (size_t i = 0; i < n; i++) {
        time_t tt = (time_t)t[i].t;
        struct tm tm;
        assert_non_null(localtime_r(&tt, &tm));
        assert_int_equal(tm.tm_min, 0);
        assert_true(tm.tm_hour == 0 || tm.tm_hour == 12);
    }
    set_tz("UTC");
}

static void test_bounds(void **state)
{
    (void)state;
    struct axis_tick t[4];
    assert_int_equal(axis_x_ticks(T0, T0, 1440, false, &label_px, t, 4), 0);
    assert_int_equal(axis_x_ticks(T0, T0 + DAY, 0, false, &label_px, t, 4), 0);
    /* never more than asked for */
    assert_int_equal(axis_x_ticks(T0, T0 + DAY, 1440, false, &label_px, t, 4), 4);
    /* a long range with HH:MM labels asked for still ends */
    struct axis_tick many[AXIS_MAX_TICKS];
    assert_int_equal(
        axis_x_ticks(T0, T0 + 3650 * DAY, 1440, false, &label_px, many, AXIS_MAX_TICKS),
        AXIS_MAX_TICKS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_y_scale_like_the_original, utc_setup),
        cmocka_unit_test_setup(test_y_scale_small_and_empty, utc_setup),
        cmocka_unit_test_setup(test_day_hourly, utc_setup),
        cmocka_unit_test_setup(test_week_dates_and_noon, utc_setup),
        cmocka_unit_test_setup(test_month_and_year, utc_setup),
        cmocka_unit_test_setup(test_weekly_ticks_on_mondays, utc_setup),
        cmocka_unit_test_setup(test_daylight_saving_days, utc_setup),
        cmocka_unit_test_setup(test_bounds, utc_setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
