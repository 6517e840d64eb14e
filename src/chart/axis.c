/* chart/axis.c: the Y scale and the X ticks of a chart.
 *
 * X ticks are placed in local time, by walking the calendar (days as day
 * numbers, times of day through mktime), so that labels read 00:00, 06:00
 * or the first of a month even across daylight-saving changes: a time of
 * day that does not exist that day is skipped, one that exists twice is
 * labelled once. The spacing is the shortest round interval that keeps the
 * widest label of its kind clear of the next one. */
#include "chart/axis.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include "util/compiler.h"

#define AXIS_LABEL_GAP 16 /* pixels between neighbouring X labels */
#define DAY_S          86400
#define MONDAY_DN      4 /* 1970-01-05, day number 4, was a Monday */

void axis_y_scale(double peak, int plot_h, struct axis_y *out)
{
    double max = peak > 0 ? peak * 1.1 : AXIS_Y_EMPTY_MBPS;
    if (max < AXIS_Y_MIN_MBPS)
        max = AXIS_Y_MIN_MBPS;
    int most = plot_h / AXIS_Y_MIN_GAP;
    if (most < 1)
        most = 1;
    double raw = max / most;
    double p = pow(10.0, floor(log10(raw)));
    double m = raw / p;
    /* The epsilons keep 4.9999999 from becoming the next step up. */
    double nice = m <= 1 + 1e-9 ? 1 : m <= 2 + 1e-9 ? 2 : m <= 5 + 1e-9 ? 5 : 10;
    /* A plot with room for one line: the step must not pass the top. */
    if (nice * p > max * (1 + 1e-9))
        nice = nice == 10 ? 5 : nice == 5 ? 2 : 1;
    out->max = max;
    out->step = nice * p;
    out->lines = (int)floor(max / out->step + 1e-9);
    out->decimals = out->step >= 1 - 1e-9 ? 0 : (int)ceil(-log10(out->step) - 1e-9);
}

enum tick_unit { TICK_SEC, TICK_DAY, TICK_MONTH };

struct tick_every {
    enum tick_unit unit;
    int n;
};

static const struct tick_every tick_everies[] = {
    {TICK_SEC, 300},   {TICK_SEC, 600},   {TICK_SEC, 900},   {TICK_SEC, 1800},  {TICK_SEC, 3600},
    {TICK_SEC, 7200},  {TICK_SEC, 10800}, {TICK_SEC, 14400}, {TICK_SEC, 21600}, {TICK_SEC, 43200},
    {TICK_DAY, 1},     {TICK_DAY, 2},     {TICK_DAY, 7},     {TICK_MONTH, 1},   {TICK_MONTH, 2},
    {TICK_MONTH, 3},   {TICK_MONTH, 6},   {TICK_MONTH, 12},  {TICK_MONTH, 24},  {TICK_MONTH, 60},
    {TICK_MONTH, 120},
};

/* The shortest the interval can be, for spacing: months of 28 days. */
static double tick_seconds(const struct tick_every *e)
{
    switch (e->unit) {
    case TICK_SEC:
        return e->n;
    case TICK_DAY:
        return (double)e->n * DAY_S;
    default:
        return (double)e->n * 28 * DAY_S;
    }
}

static int tick_label_px(const struct tick_every *e, bool dates, const struct axis_label_px *px)
{
    switch (e->unit) {
    case TICK_SEC:
        return dates ? px->date : px->hhmm;
    case TICK_DAY:
        return px->date;
    default:
        return e->n < 12 ? px->month : px->year;
    }
}

static const struct tick_every *tick_choose(int64_t span, int plot_w, bool dates,
                                            const struct axis_label_px *px)
{
    const struct tick_every *last = &tick_everies[0];
    for (size_t i = 0; i < OF_ARRAY_LEN(tick_everies); i++) {
        const struct tick_every *e = &tick_everies[i];
        if (!dates && e->unit != TICK_SEC)
            break;
        last = e;
        if (tick_seconds(e) * plot_w / (double)span >= tick_label_px(e, dates, px) + AXIS_LABEL_GAP)
            return e;
    }
    return last;
}

static int64_t floor_mod(int64_t a, int64_t n)
{
    int64_t r = a % n;
    return r < 0 ? r + n : r;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), and back. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static void local_tm(int64_t t, struct tm *tm)
{
    time_t tt = (time_t)t;
    if (!localtime_r(&tt, tm))
        memset(tm, 0, sizeof(*tm));
}

static int64_t local_day(int64_t t)
{
    struct tm tm;
    local_tm(t, &tm);
    return days_from_civil((int64_t)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* mktime of a local date and time of day; tm gets what it normalized to. */
static int64_t local_mk(int64_t y, int m, int d, int hour, int min, struct tm *tm)
{
    memset(tm, 0, sizeof(*tm));
    tm->tm_year = (int)(y - 1900);
    tm->tm_mon = m - 1;
    tm->tm_mday = d;
    tm->tm_hour = hour;
    tm->tm_min = min;
    tm->tm_isdst = -1;
    return (int64_t)mktime(tm);
}

struct tick_out {
    struct axis_tick *t;
    size_t n, max;
    int64_t from, to, last;
};

enum label_form { LABEL_HHMM, LABEL_DATE, LABEL_MONTH, LABEL_YEAR };

static size_t label_format(char *buf, size_t len, enum label_form form, const struct tm *tm)
{
    /* Literal formats, so that the compiler checks them. */
    switch (form) {
    case LABEL_HHMM:
        return strftime(buf, len, "%H:%M", tm);
    case LABEL_DATE:
        return strftime(buf, len, "%Y-%m-%d", tm);
    case LABEL_MONTH:
        return strftime(buf, len, "%Y-%m", tm);
    default:
        return strftime(buf, len, "%Y", tm);
    }
}

static void tick_add(struct tick_out *o, int64_t t, const struct tm *tm, enum label_form form)
{
    if (t < o->from || t >= o->to || t <= o->last || o->n == o->max)
        return;
    struct axis_tick *k = &o->t[o->n];
    k->t = t;
    if (label_format(k->label, sizeof(k->label), form, tm) == 0)
        k->label[0] = '\0';
    o->last = t;
    o->n++;
}

static void ticks_sec(struct tick_out *o, int n, bool dates)
{
    int64_t d1 = local_day(o->to - 1);
    for (int64_t dn = local_day(o->from); dn <= d1 && o->n < o->max; dn++) {
        int64_t y;
        int m, d;
        struct tm tm;
        civil_from_days(dn, &y, &m, &d);
        int64_t midnight = local_mk(y, m, d, 0, 0, &tm);
        for (int s = 0; s < DAY_S && o->n < o->max; s += n) {
            /* Only times near the range go through mktime; two hours
             * cover any daylight-saving shift. */
            if (midnight + s + 7200 < o->from)
                continue;
            if (midnight + s - 7200 >= o->to)
                break;
            int hour = s / 3600, min = s % 3600 / 60;
            int64_t t = local_mk(y, m, d, hour, min, &tm);
            if (tm.tm_hour != hour || tm.tm_min != min)
                continue; /* in a daylight-saving gap */
            tick_add(o, t, &tm, dates && s == 0 ? LABEL_DATE : LABEL_HHMM);
        }
    }
}

static void ticks_day(struct tick_out *o, int n)
{
    int64_t d1 = local_day(o->to - 1);
    for (int64_t dn = local_day(o->from); dn <= d1 && o->n < o->max; dn++) {
        if (floor_mod(n == 7 ? dn - MONDAY_DN : dn, n) != 0)
            continue;
        int64_t y;
        int m, d;
        struct tm tm;
        civil_from_days(dn, &y, &m, &d);
        int64_t t = local_mk(y, m, d, 0, 0, &tm);
        tick_add(o, t, &tm, LABEL_DATE);
    }
}

static void ticks_month(struct tick_out *o, int n)
{
    struct tm a, b;
    local_tm(o->from, &a);
    local_tm(o->to - 1, &b);
    int64_t m1 = ((int64_t)b.tm_year + 1900) * 12 + b.tm_mon;
    for (int64_t mi = ((int64_t)a.tm_year + 1900) * 12 + a.tm_mon; mi <= m1 && o->n < o->max;
         mi++) {
        if (floor_mod(mi, n) != 0)
            continue;
        struct tm tm;
        int64_t t = local_mk(mi / 12, (int)(mi % 12) + 1, 1, 0, 0, &tm);
        tick_add(o, t, &tm, n < 12 ? LABEL_MONTH : LABEL_YEAR);
    }
}

size_t axis_x_ticks(int64_t from, int64_t to, int plot_w, bool dates,
                    const struct axis_label_px *px, struct axis_tick *out, size_t max)
{
    if (to <= from || plot_w <= 0)
        return 0;
    struct tick_out o = {.t = out,
                         .max = max < AXIS_MAX_TICKS ? max : AXIS_MAX_TICKS,
                         .from = from,
                         .to = to,
                         .last = INT64_MIN};
    const struct tick_every *e = tick_choose(to - from, plot_w, dates, px);
    switch (e->unit) {
    case TICK_SEC:
        ticks_sec(&o, e->n, dates);
        break;
    case TICK_DAY:
        ticks_day(&o, e->n);
        break;
    default:
        ticks_month(&o, e->n);
        break;
    }
    return o.n;
}
