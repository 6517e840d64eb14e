/* report/graph.h: what ?module=graph and `ophanimflow graph` draw.
 *
 * A graph request names a host (or 0.0.0.0), a direction and a period
 * (SPEC.md: hour, day, 24h, 48h, week, month, year, explict with from/to).
 * This module turns the period into a time range, picks the finest store
 * resolution (5-minute bins, hourly or daily rollups) that puts at most two
 * steps on a pixel column, reads the steps, and turns them into bars in
 * Mbit/s: a bar's value is the rate of the fullest 5-minute bin it covers
 * (bytes * 8 / 300 / 1048576), so long periods show the same peaks as the
 * 5-minute data. The same bars are what dumpdata returns.
 *
 * Ranges: hour, 24h, 48h, week (7 days) and year (365 days) end at now;
 * month starts at the same local time one calendar month back; day starts
 * at today's local midnight and ends at now, or at the next midnight with
 * prealloc. The range is then widened to whole steps (from down, to up). */
#ifndef OF_REPORT_GRAPH_H
#define OF_REPORT_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chart/chart.h"
#include "store/store.h"
#include "util/addr.h"
#include "util/compiler.h"

enum graph_period {
    GRAPH_HOUR,
    GRAPH_DAY, /* today from 00:00 local time till now */
    GRAPH_24H,
    GRAPH_48H,
    GRAPH_WEEK,
    GRAPH_MONTH,
    GRAPH_YEAR,
    GRAPH_EXPLICIT, /* "explict" in the original's API */
};

/* Longest explict range: ten years. */
#define GRAPH_MAX_SPAN (INT64_C(10) * 366 * 86400)
/* Latest time a request may name (9999-12-31 23:59:59 UTC). */
#define GRAPH_MAX_TIME INT64_C(253402300799)
/* Room for "<ip> Download — <network description>" (descriptions longer
 * than that are cut at a character boundary). */
#define GRAPH_TITLE_LEN 320

/* The period of a name ("day", "explict", ...; "explicit" too); -1 when
 * unknown. */
int graph_period_from_name(const char *name);

struct graph_req {
    struct of_addr host; /* ADDR_V4 or ADDR_V6; 0.0.0.0 = all hosts */
    int dir;             /* DIR_R or DIR_S */
    enum graph_period period;
    int64_t from, to;    /* GRAPH_EXPLICIT only: 0 <= from < to <= GRAPH_MAX_TIME,
                            to - from <= GRAPH_MAX_SPAN */
    int width, height;   /* CHART_MIN_W..CHART_MAX_W, CHART_MIN_H..CHART_MAX_H */
    int64_t now;         /* UNIX seconds: "now" for the relative periods, 1..GRAPH_MAX_TIME */
    const char *netdesc; /* network description for the title, or NULL */
    bool prealloc;       /* CHARTS_PREALLOC_TIMELINE: the whole period's axis */
    const char *font;    /* TrueType file; NULL = chart_default_font() */
};

struct graph_data {
    int64_t from, to;       /* the time axis, whole steps */
    unsigned step;          /* seconds per bar: STORE_STEP_BIN, _HOUR or _DAY */
    bool dates;             /* the period is longer than a day: X labels are dates */
    struct chart_bar *bars; /* only steps with data, in time order */
    size_t n;
    char title[GRAPH_TITLE_LEN];
};

/* Reads what the chart of req shows. *out is written only on success, and
 * graph_data_fini frees it. 0, -EINVAL for a request out of bounds,
 * -ENOMEM, or the store's error. Local time (the process's TZ) decides
 * where day and month start. */
OF_MUST_CHECK int graph_load(struct store *st, const struct graph_req *req, struct graph_data *out);
void graph_data_fini(struct graph_data *d); /* NULL-safe; leaves d empty */

/* The PNG of loaded data; *png is freed with chart_free. The errors of
 * chart_png, and -ENOENT when req->font is NULL and no default font is
 * installed. */
OF_MUST_CHECK int graph_png(const struct graph_req *req, const struct graph_data *d, void **png,
                            size_t *png_len);

/* The data as text, one line per bar: UNIX time, then the 12 class values
 * in Mbit/s with 6 decimals, separated by spaces ("" for no bars). *out is
 * malloc'd and NUL-terminated; *out_len excludes the NUL. 0, -ENOMEM, or
 * -ERANGE for a value too large to print (more than 12 digits). */
OF_MUST_CHECK int graph_dump(const struct graph_data *d, char **out, size_t *out_len);

#endif
