/* chart/chart.h: bandwidthd-style traffic charts as PNG.
 *
 * A chart is a time axis from `from` to `to` divided into bars; each bar
 * holds one value per traffic class in Mbit/s. Every class is drawn as a
 * filled bar from the axis to its own value, tallest first, so that each
 * shows as a band and smaller ones stay visible (on a tie the later class
 * in API order is drawn last). Colours, grid, legend, title, "Mbit/s" and
 * "Max: N Mbit/s" follow the original (SPEC.md, "The chart"). Drawn with
 * libgd and FreeType; the PNG is libgd's. Thread-safe (no shared state). */
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

/* One bar: where it starts and how tall each class is. */
struct chart_bar {
    int64_t ts;                /* start, UNIX seconds */
    double mbps[CLASS__COUNT]; /* value per class, Mbit/s */
};

struct chart_req {
    int width;         /* CHART_MIN_W..CHART_MAX_W */
    int height;        /* CHART_MIN_H..CHART_MAX_H */
    int64_t from;      /* time axis start, UNIX seconds */
    int64_t to;        /* time axis end (exclusive) */
    unsigned step;     /* seconds each bar stands for */
    const char *title; /* UTF-8, drawn at the top */
    const char *font;  /* TrueType file */
    bool dates;        /* X labels as dates (periods over a day) instead of HH:MM */
};

/* Draws bars (in time order, inside [from, to)) into a PNG. *png is
 * malloc'd (free with chart_free); 0 or a negative errno (-EINVAL for a
 * request out of bounds, -ENOENT when the font can't be loaded, -ENOMEM). */
OF_MUST_CHECK int chart_png(const struct chart_req *req, const struct chart_bar *bars, size_t n,
                            void **png, size_t *png_len);

void chart_free(void *png);

/* The first of the usual DejaVu Sans locations that exists, or NULL. */
const char *chart_default_font(void);

/* RGB of a class's colour, as the original draws it. */
void chart_class_rgb(enum traffic_class c, uint8_t rgb[3]);

#endif
