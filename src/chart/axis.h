/* chart/axis.h: where a chart's grid lines and time labels go.
 *
 * The Y scale runs from 0 to the peak plus 10 % with grid lines at a round
 * step (1, 2 or 5 times a power of ten); the X axis gets ticks at round
 * local times (hours, midnights, first days of months) spaced so that their
 * labels don't collide. Pure functions of their arguments and the local
 * time zone; only chart/ uses this. */
#ifndef OF_CHART_AXIS_H
#define OF_CHART_AXIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Below this the scale does not shrink: at 1 kbit/s a few packets would
 * otherwise fill the chart, and labels would need eight decimals. */
#define AXIS_Y_MIN_MBPS 0.001
/* The scale of a chart without traffic. */
#define AXIS_Y_EMPTY_MBPS 1.0
/* Grid lines are at least this many pixels apart. */
#define AXIS_Y_MIN_GAP 20

#define AXIS_MAX_TICKS 128
#define AXIS_LABEL_LEN 16

struct axis_y {
    double max;   /* Mbit/s at the top of the plot */
    double step;  /* Mbit/s between grid lines */
    int lines;    /* grid lines above 0 */
    int decimals; /* in the labels */
};

/* The scale for a peak (Mbit/s, >= 0) on a plot of plot_h pixels. */
void axis_y_scale(double peak, int plot_h, struct axis_y *out);

/* Widths in pixels of the X label forms, so ticks can be spaced by them. */
struct axis_label_px {
    int hhmm;  /* "00:00" */
    int date;  /* "0000-00-00" */
    int month; /* "0000-00" */
    int year;  /* "0000" */
};

struct axis_tick {
    int64_t t; /* UNIX seconds */
    char label[AXIS_LABEL_LEN];
};

/* Ticks within [from, to) for a plot of plot_w pixels, at most max (up to
 * AXIS_MAX_TICKS). Labels are HH:MM when dates is false; otherwise dates at
 * midnights (and HH:MM between them when there is room). Returns how many
 * were written. */
size_t axis_x_ticks(int64_t from, int64_t to, int plot_w, bool dates,
                    const struct axis_label_px *px, struct axis_tick *out, size_t max);

#endif
