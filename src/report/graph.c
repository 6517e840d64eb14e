/* report/graph.c: from a graph request to bars, a PNG or dumpdata text.
 *
 * The resolution is chosen by the width of the plot, not by the period's
 * name: the finest step that puts at most two steps on a pixel column. So a
 * day on 1,440 columns reads 288 5-minute bins, a week 2,016 of them (the
 * chart keeps each column's peak), a month 720 hourly rollups and a year 365
 * daily ones, and a wider or narrower image adjusts by itself. Reading more
 * than twice the columns would only cost time: the chart can't show it.
 *
 * A bar's height is the rate of the fullest 5-minute bin of its step (the
 * rollups keep it), never the step's average, so a year chart shows the
 * same peak rates the day charts showed. */
#include "report/graph.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The plot leaves 50 pixels on each side (chart/chart.c). */
#define GRAPH_PLOT_MARGIN 100
/* Bytes in a 5-minute bin -> Mbit/s averaged over the bin. */
#define GRAPH_MBPS(bytes) ((double)(bytes)*8.0 / BIN_SECONDS / 1048576.0)
#define GRAPH_DAY_S       INT64_C(86400)
/* A dump line: 20 digits of time and 12 values of up to 19 characters. */
#define GRAPH_DUMP_LINE 320

static const char *const period_names[] = {
    [GRAPH_HOUR] = "hour", [GRAPH_DAY] = "day",          [GRAPH_24H] = "24h",
    [GRAPH_48H] = "48h",   [GRAPH_WEEK] = "week",        [GRAPH_MONTH] = "month",
    [GRAPH_YEAR] = "year", [GRAPH_EXPLICIT] = "explict",
};

int graph_period_from_name(const char *name)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < OF_ARRAY_LEN(period_names); i++)
        if (strcmp(name, period_names[i]) == 0)
            return (int)i;
    /* The correct spelling too: people type it. */
    return strcmp(name, "explicit") == 0 ? GRAPH_EXPLICIT : -1;
}

static bool req_valid(const struct graph_req *r)
{
    if (r->host.af != ADDR_V4 && r->host.af != ADDR_V6)
        return false;
    if (r->dir != DIR_R && r->dir != DIR_S)
        return false;
    if (r->width < CHART_MIN_W || r->width > CHART_MAX_W || r->height < CHART_MIN_H ||
        r->height > CHART_MAX_H)
        return false;
    if ((unsigned)r->period > GRAPH_EXPLICIT)
        return false;
    if (r->period == GRAPH_EXPLICIT)
        return r->from >= 0 && r->from < r->to && r->to <= GRAPH_MAX_TIME &&
               r->to - r->from <= GRAPH_MAX_SPAN;
    return r->now > 0 && r->now <= GRAPH_MAX_TIME;
}

/* Local midnight of the day of t, moved by days. */
static int64_t local_midnight(int64_t t, int days)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm))
        return t;
    tm.tm_mday += days;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    return (int64_t)mktime(&tm);
}

/* The same local time one calendar month earlier (31 March -> 3 March,
 * as mktime normalizes 31 February). */
static int64_t local_month_back(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm))
        return t - 30 * GRAPH_DAY_S;
    tm.tm_mon -= 1;
    tm.tm_isdst = -1;
    return (int64_t)mktime(&tm);
}

/* The period's range before it is widened to whole steps. */
static void period_range(const struct graph_req *r, int64_t *from, int64_t *to)
{
    int64_t now = r->now;
    *to = now;
    switch (r->period) {
    case GRAPH_HOUR:
        *from = now - 3600;
        break;
    case GRAPH_DAY:
        *from = local_midnight(now, 0);
        if (r->prealloc)
            *to = local_midnight(now, 1);
        break;
    case GRAPH_24H:
        *from = now - GRAPH_DAY_S;
        break;
    case GRAPH_48H:
        *from = now - 2 * GRAPH_DAY_S;
        break;
    case GRAPH_WEEK:
        *from = now - 7 * GRAPH_DAY_S;
        break;
    case GRAPH_MONTH:
        *from = local_month_back(now);
        break;
    case GRAPH_YEAR:
        *from = now - 365 * GRAPH_DAY_S;
        break;
    case GRAPH_EXPLICIT:
        *from = r->from;
        *to = r->to;
        break;
    }
    if (*from < 0)
        *from = 0;
    if (*to <= *from)
        *to = *from + 1;
}

static int64_t floor_to(int64_t t, int64_t step)
{
    return t / step * step; /* t >= 0 */
}

/* The finest step with at most two steps per plot column; daily steps
 * whatever their number, which GRAPH_MAX_SPAN bounds. */
static enum store_step step_choose(int64_t from, int64_t to, int width, int64_t *f, int64_t *t)
{
    static const enum store_step steps[] = {STORE_STEP_BIN, STORE_STEP_HOUR, STORE_STEP_DAY};
    int64_t cols = width - GRAPH_PLOT_MARGIN;
    for (size_t i = 0; i < OF_ARRAY_LEN(steps); i++) {
        int64_t s = steps[i];
        *f = floor_to(from, s);
        *t = floor_to(to + s - 1, s);
        if ((*t - *f) / s <= 2 * cols || steps[i] == STORE_STEP_DAY)
            return steps[i];
    }
    return STORE_STEP_DAY; /* not reached */
}

struct bar_acc {
    struct chart_bar *bars;
    size_t n, cap;
};

static int bar_add(const struct step_row *row, void *arg)
{
    struct bar_acc *a = arg;
    if (a->n == a->cap)
        return 0; /* more steps than the range holds: not ours to draw */
    struct chart_bar *b = &a->bars[a->n++];
    b->ts = row->ts;
    for (size_t c = 0; c < CLASS__COUNT; c++)
        b->mbps[c] = GRAPH_MBPS(row->peak[c]);
    return 0;
}

/* "<ip> Download — <description>", the description cut at a character
 * boundary when it does not fit. */
static void make_title(const struct graph_req *r, char *buf, size_t len)
{
    char ip[ADDR_STRLEN];
    int n = snprintf(buf, len, "%s %s", addr_format(&r->host, ip, sizeof(ip)),
                     r->dir == DIR_S ? "Upload" : "Download");
    if (n < 0 || (size_t)n >= len || !r->netdesc || !*r->netdesc)
        return;
    int m = snprintf(buf + n, len - (size_t)n, " \xe2\x80\x94 %s", r->netdesc);
    if (m < 0 || (size_t)m < len - (size_t)n)
        return;
    size_t end = len - 1;
    while (end > (size_t)n && ((unsigned char)buf[end] & 0xc0) == 0x80)
        end--; /* back to the lead byte of the cut character */
    buf[end] = '\0';
}

int graph_load(struct store *st, const struct graph_req *req, struct graph_data *out)
{
    if (!st || !req || !out || !req_valid(req))
        return -EINVAL;
    struct graph_data d = {0};
    int64_t from, to;
    period_range(req, &from, &to);
    d.dates = to - from > GRAPH_DAY_S;
    enum store_step step = step_choose(from, to, req->width, &d.from, &d.to);
    d.step = (unsigned)step;
    struct bar_acc acc = {.cap = (size_t)((d.to - d.from) / step)};
    acc.bars = calloc(acc.cap, sizeof(*acc.bars));
    if (!acc.bars)
        return -ENOMEM;
    int rc = store_get_steps(st, &req->host, req->dir, d.from, d.to, step, bar_add, &acc);
    if (rc < 0) {
        free(acc.bars);
        return rc;
    }
    d.bars = acc.bars;
    d.n = acc.n;
    make_title(req, d.title, sizeof(d.title));
    *out = d;
    return 0;
}

void graph_data_fini(struct graph_data *d)
{
    if (!d)
        return;
    free(d->bars);
    memset(d, 0, sizeof(*d));
}

int graph_png(const struct graph_req *req, const struct graph_data *d, void **png, size_t *png_len)
{
    const char *font = req->font ? req->font : chart_default_font();
    if (!font)
        return -ENOENT;
    struct chart_req cr = {
        .width = req->width,
        .height = req->height,
        .from = d->from,
        .to = d->to,
        .step = d->step,
        .title = d->title,
        .font = font,
        .dates = d->dates,
    };
    return chart_png(&cr, d->bars, d->n, png, png_len);
}

/* One dump line, newline included; -ERANGE when it does not fit in len. */
static int dump_line(const struct chart_bar *b, char *buf, size_t len, size_t *used)
{
    size_t n = 0;
    int m = snprintf(buf, len, "%" PRId64, b->ts);
    for (size_t c = 0; m >= 0 && (size_t)m < len - n; c++) {
        n += (size_t)m;
        if (c == CLASS__COUNT) {
            *used = n;
            return 0;
        }
        m = snprintf(buf + n, len - n, c + 1 == CLASS__COUNT ? " %.6f\n" : " %.6f", b->mbps[c]);
    }
    return -ERANGE;
}

int graph_dump(const struct graph_data *d, char **out, size_t *out_len)
{
    size_t cap = d->n * GRAPH_DUMP_LINE + 1, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        return -ENOMEM;
    buf[0] = '\0';
    for (size_t i = 0; i < d->n; i++) {
        size_t used;
        if (dump_line(&d->bars[i], buf + len, GRAPH_DUMP_LINE + 1, &used) < 0) {
            free(buf);
            return -ERANGE;
        }
        len += used;
    }
    *out = buf;
    *out_len = len;
    return 0;
}
