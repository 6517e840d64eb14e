/* chart/chart.h: bandwidthd-style traffic charts as PNG.
 *
 * A chart is a time axis from `from` to `to` divided into bars; each bar
 * holds one value per traffic class in Mbit/s. Every class is drawn as a
 * filled bar from the axis to its own value, tallest first, so that each
 * shows as a band and smaller ones stay visible (on a tie the later class
 * in API order is drawn last). Colours, grid, legend, title, "Mbit/s" and
 * "Max: N Mbit/s" follow the original (SPEC.md, "The chart").
 *
 * A bar covers [ts, ts + step) and is drawn over the pixel columns that
 * interval maps to, so steps without a bar stay empty. Where several bars
 * share a column, the column shows each class's largest value among them.
 * A non-zero value is at least one pixel tall. The Y scale is the peak plus
 * 10 % (at least 0.001 Mbit/s; 1 Mbit/s on a chart without traffic). Bar
 * and swatch pixels are exactly the class colours; only text is
 * anti-aliased. X labels are in local time (the TZ of the process).
 *
 * Drawn with libgd (a palette image) and FreeType. Thread-safe: the only
 * shared state is the font cache of chart/text.c, which has its own lock
 * and keeps the fonts it loaded until the process exits. */
#ifndef OF_CHART_CHART_H
#define OF_CHART_CHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "account/classes.h"
#include "util/compiler.h"

#define CHART_DEFAULT_W 1540
#define CHART_DEFAULT_H 400
#define CHART_MIN_W     300
#define CHART_MIN_H     150
#define CHART_MAX_W     4000
#define CHART_MAX_H     2000
/* Longest time axis: a century, in seconds. */
#define CHART_MAX_SPAN (INT64_C(100) * 366 * 86400)

/* One bar: where it starts and how tall each class is. */
struct chart_bar {
    int64_t ts;                /* start, UNIX seconds */
    double mbps[CLASS__COUNT]; /* value per class, Mbit/s */
};

struct chart_req {
    int width;         /* CHART_MIN_W..CHART_MAX_W */
    int height;        /* CHART_MIN_H..CHART_MAX_H */
    int64_t from;      /* time axis start, UNIX seconds, >= 0 */
    int64_t to;        /* time axis end (exclusive); to - from <= CHART_MAX_SPAN */
    unsigned step;     /* seconds each bar stands for, > 0 */
    const char *title; /* UTF-8, drawn at the top (cut with an ellipsis if too wide); may be NULL */
    const char *font;  /* TrueType file */
    bool dates;        /* X labels as dates (periods over a day) instead of HH:MM */
};

/* Draws bars into a PNG. Bars may come in any order; those outside
 * [from, to) are left out. *png and *png_len are written only on success;
 * *png is libgd's memory: free it with chart_free. 0 or a negative errno:
 * -EINVAL for a request out of bounds or a value that is negative or not a
 * number, -ENOENT when the font can't be loaded, -ENOSPC when the font
 * cache is full (16 distinct font files and sizes), -ENOMEM. */
OF_MUST_CHECK int chart_png(const struct chart_req *req, const struct chart_bar *bars, size_t n,
                            void **png, size_t *png_len);

/* Frees a PNG of chart_png; accepts NULL. */
void chart_free(void *png);

/* The first of the usual DejaVu Sans locations that exists, or NULL. */
const char *chart_default_font(void);

/* RGB of a class's colour, as the original draws it. */
void chart_class_rgb(enum traffic_class c, uint8_t rgb[3]);

#endif
