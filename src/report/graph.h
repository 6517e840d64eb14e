/* report/graph.h: what ?module=graph and `ophanimflow graph` draw.
 *
 * A graph request names a host (or 0.0.0.0), a direction and a period
 * (SPEC.md: hour, day, 24h, 48h, week, month, year, explict with from/to).
 * This module turns the period into a time range, picks the coarsest store
 * resolution that still gives at least one step per pixel column (5-minute
 * bins, hourly or daily rollups), reads the steps, and turns them into bars
 * in Mbit/s: a bar's value is the rate of the fullest 5-minute bin it
 * covers (bytes * 8 / 300 / 1048576), so long periods show the same peaks
 * as the 5-minute data. The same bars are what dumpdata returns. */
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

/* The period of a name ("day", "explict", ...); -1 when unknown. */
int graph_period_from_name(const char *name);

struct graph_req {
    struct of_addr host;
    int dir; /* DIR_R or DIR_S */
    enum graph_period period;
    int64_t from, to; /* GRAPH_EXPLICIT only */
    int width, height;
    int64_t now;         /* UNIX seconds: "now" for the relative periods */
    const char *netdesc; /* network description for the title, or NULL */
    bool prealloc;       /* CHARTS_PREALLOC_TIMELINE: the whole period's axis */
    const char *font;
};

struct graph_data {
    int64_t from, to; /* the time axis */
    unsigned step;    /* seconds per bar */
    struct chart_bar *bars;
    size_t n;
    char title[160];
};

/* Reads what the chart of req shows. graph_data_fini frees it. 0, -EINVAL
 * for a request out of bounds, or the store's error. */
OF_MUST_CHECK int graph_load(struct store *st, const struct graph_req *req, struct graph_data *out);
void graph_data_fini(struct graph_data *d);

/* The PNG of loaded data. */
OF_MUST_CHECK int graph_png(const struct graph_req *req, const struct graph_data *d, void **png,
                            size_t *png_len);

/* The data as text, one line per bar: UNIX time, then the 12 class values
 * in Mbit/s. malloc'd. */
OF_MUST_CHECK int graph_dump(const struct graph_data *d, char **out, size_t *out_len);

#endif
