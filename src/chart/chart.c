/* chart/chart.c: the bandwidthd-style chart, laid out and drawn.
 *
 * Bars are not drawn one by one. Each bar is first mapped onto the pixel
 * columns its time step covers over [from, to), and every column keeps, per
 * class, the tallest value of the bars that fell into it; then each column
 * is painted once, bottom to top, in the colour of the shortest class still
 * covering each pixel. That is what drawing the classes tallest first would
 * leave on screen, but it costs one write per pixel, and when bars are
 * narrower than a pixel the column shows the peak of all of them instead of
 * whichever bar happened to be drawn last. Steps without a bar leave their
 * columns empty, so gaps in the data stay visible.
 *
 * The image is a palette image: the bar colours are exact palette entries
 * (tests and scripts can read them back), and the PNG of a palette image
 * encodes several times faster than a truecolor one. Only text is
 * anti-aliased (chart/text.c). */
#include "chart/chart.h"

#include <errno.h>
#include <gd.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chart/axis.h"
#include "chart/text.h"

/* The plot area's distance from the image edges, as the original has it. */
#define PAD_LEFT   50
#define PAD_RIGHT  50
#define PAD_TOP    40
#define PAD_BOTTOM 40
/* DejaVu Sans at these pixel sizes draws labels and title as wide as the
 * original's. */
#define TEXT_PX       13
#define TITLE_PX      24
#define LEGEND_PITCH  100 /* pixels per entry, when a row has room */
#define LEGEND_ROW    18  /* pixels between legend rows */
#define SWATCH_W      21
#define SWATCH_H      16
#define MIN_PLOT_H    40 /* legend rows that would squeeze the plot more are dropped */
#define PNG_LEVEL     3  /* zlib level: 6 takes twice as long for a quarter fewer bytes */
#define ELLIPSIS      "\xe2\x80\xa6"
#define MAX_LABEL_LEN 64

static const uint8_t class_colours[CLASS__COUNT][3] = {
    [CLASS_TOTAL] = {47, 133, 217},  [CLASS_ICMP] = {240, 0, 0},    [CLASS_UDP] = {140, 0, 0},
    [CLASS_TCP] = {0, 220, 0},       [CLASS_MAIL] = {175, 16, 159}, [CLASS_DNS] = {252, 93, 0},
    [CLASS_VPN] = {240, 240, 0},     [CLASS_FTP] = {174, 174, 174}, [CLASS_WEB] = {0, 0, 245},
    [CLASS_PROXY] = {160, 156, 254}, [CLASS_QUIC] = {68, 120, 74},  [CLASS_SIP] = {54, 49, 22},
};
static const uint8_t rgb_bg[3] = {255, 255, 255};
static const uint8_t rgb_grid[3] = {212, 212, 212};
static const uint8_t rgb_ink[3] = {85, 85, 85}; /* axes and text */

static const char *const font_paths[] = {
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", /* Debian, Ubuntu */
    "/usr/local/share/fonts/dejavu/DejaVuSans.ttf",    /* FreeBSD */
};

struct legend_pos {
    int x, row;
};

struct chart {
    const struct chart_req *req;
    gdImagePtr im;
    struct text_font *text, *title;
    int bg, grid, axis, cls[CLASS__COUNT];
    /* The Y axis is column left, the X axis row bottom; bars fill the
     * columns left+1..right and the rows top..bottom-1. */
    int left, right, top, bottom;
    double peak;
    struct axis_y y;
    struct legend_pos legend[CLASS__COUNT];
    int legend_rows;
    size_t legend_n; /* entries that fit */
    int max_row;     /* the legend row of the Max label */
    char max_label[MAX_LABEL_LEN];
    struct text_ink ink;
};

const char *chart_default_font(void)
{
    for (size_t i = 0; i < OF_ARRAY_LEN(font_paths); i++)
        if (access(font_paths[i], R_OK) == 0)
            return font_paths[i];
    return NULL;
}

void chart_class_rgb(enum traffic_class c, uint8_t rgb[3])
{
    if ((unsigned)c >= CLASS__COUNT)
        c = CLASS_TOTAL;
    memcpy(rgb, class_colours[c], 3);
}

void chart_free(void *png)
{
    gdFree(png);
}

static bool req_valid(const struct chart_req *r)
{
    return r->width >= CHART_MIN_W && r->width <= CHART_MAX_W && r->height >= CHART_MIN_H &&
           r->height <= CHART_MAX_H && r->from >= 0 && r->to > r->from &&
           r->to - r->from <= CHART_MAX_SPAN && r->step > 0 && r->font;
}

/* The largest value of the bars inside [from, to); -EINVAL for a value
 * that is negative or not a number. */
static int bars_peak(const struct chart_req *r, const struct chart_bar *bars, size_t n,
                     double *peak)
{
    double p = 0;
    for (size_t i = 0; i < n; i++) {
        if (bars[i].ts < r->from || bars[i].ts >= r->to)
            continue;
        for (size_t c = 0; c < CLASS__COUNT; c++) {
            double v = bars[i].mbps[c];
            if (!isfinite(v) || v < 0)
                return -EINVAL;
            if (v > p)
                p = v;
        }
    }
    *peak = p;
    return 0;
}

/* "64.044": three decimals, or three significant digits below 1, with
 * the trailing zeros dropped. */
static void format_mbps(double v, char *buf, size_t len)
{
    int decimals = 3;
    if (v > 0 && v < 1) {
        decimals = 2 - (int)floor(log10(v));
        if (decimals > 9)
            decimals = 9;
        if (decimals < 3)
            decimals = 3;
    }
    int n = snprintf(buf, len, "%.*f", decimals, v);
    if (n <= 0 || (size_t)n >= len)
        return;
    char *dot = strchr(buf, '.');
    if (!dot)
        return;
    char *end = buf + n;
    while (end > dot + 1 && end[-1] == '0')
        end--;
    if (end == dot + 1)
        end = dot;
    *end = '\0';
}

/* Places the legend entries in rows along the bottom, at the original's
 * pitch when one row holds them all, and the Max label at the right end of
 * the last row (or of a row of its own). Rows that would squeeze the plot
 * below MIN_PLOT_H are left out. */
static void layout_legend(struct chart *c)
{
    int w = c->req->width, h = c->req->height;
    int right = w - PAD_RIGHT;
    int max_w = text_width(c->text, c->max_label);
    int widths[CLASS__COUNT];
    bool uniform = 20 + CLASS__COUNT * LEGEND_PITCH + 20 + max_w <= right;
    for (int i = 0; i < CLASS__COUNT; i++) {
        widths[i] = SWATCH_W + 4 + text_width(c->text, class_name((enum traffic_class)i)) + 14;
        uniform = uniform && widths[i] <= LEGEND_PITCH;
    }
    int x = 20, row = 0;
    for (int i = 0; i < CLASS__COUNT; i++) {
        int wi = uniform ? LEGEND_PITCH : widths[i];
        if (x > 20 && x + wi - 14 > w - 10) {
            x = 20;
            row++;
        }
        c->legend[i] = (struct legend_pos){.x = x, .row = row};
        x += wi;
    }
    c->max_row = x + 6 + max_w <= right ? row : row + 1;
    int rows = c->max_row + 1;
    int most = (h - PAD_BOTTOM - PAD_TOP - MIN_PLOT_H) / LEGEND_ROW + 1;
    if (rows > most) {
        rows = most > 1 ? most : 1;
        c->max_row = rows - 1; /* the peak matters more than the last swatches */
    }
    c->legend_rows = rows;
    c->legend_n = 0;
    while (c->legend_n < CLASS__COUNT && c->legend[c->legend_n].row < rows &&
           (c->legend[c->legend_n].row < c->max_row ||
            c->legend[c->legend_n].x + widths[c->legend_n] + 6 + max_w <= right))
        c->legend_n++;
}

static void layout(struct chart *c)
{
    c->left = PAD_LEFT;
    c->right = c->req->width - PAD_RIGHT;
    c->top = PAD_TOP;
    char v[32];
    format_mbps(c->peak, v, sizeof(v));
    (void)snprintf(c->max_label, sizeof(c->max_label), "Max: %s Mbit/s", v);
    layout_legend(c);
    c->bottom = c->req->height - PAD_BOTTOM - (c->legend_rows - 1) * LEGEND_ROW;
    axis_y_scale(c->peak, c->bottom - c->top, &c->y);
}

static int colour(gdImagePtr im, const uint8_t rgb[3])
{
    return gdImageColorAllocate(im, rgb[0], rgb[1], rgb[2]);
}

static int image_new(struct chart *c)
{
    c->im = gdImageCreate(c->req->width, c->req->height);
    if (!c->im)
        return -ENOMEM;
    c->bg = colour(c->im, rgb_bg); /* the first entry is the background */
    c->grid = colour(c->im, rgb_grid);
    c->axis = colour(c->im, rgb_ink);
    for (int i = 0; i < CLASS__COUNT; i++)
        c->cls[i] = colour(c->im, class_colours[i]);
    text_ink_init(&c->ink, c->im, rgb_ink);
    return 0;
}

static int y_of(const struct chart *c, double v)
{
    return c->bottom - (int)lround(v / c->y.max * (c->bottom - c->top));
}

static void draw_grid(struct chart *c)
{
    char label[32];
    int half = 5; /* half the digit height at TEXT_PX: labels centre on their line */
    for (int k = 0; k <= c->y.lines; k++) {
        double v = k * c->y.step;
        int y = y_of(c, v);
        if (k > 0)
            gdImageLine(c->im, c->left + 1, y, c->right, y, c->grid);
        (void)snprintf(label, sizeof(label), "%.*f", c->y.decimals, v);
        int x = c->left - 9 - text_width(c->text, label);
        text_draw(&c->ink, c->text, x > 1 ? x : 1, y + half, label); /* 100 Gbit/s still fits */
    }
    text_draw(&c->ink, c->text, 10, c->top - 10, "Mbit/s");
}

/* Bar heights in pixels, per column and class: the tallest bar of the
 * class among those whose step covers the column. */
static void columns_fill(const struct chart *c, const struct chart_bar *bars, size_t n,
                         uint16_t *cols)
{
    const struct chart_req *r = c->req;
    int64_t span = r->to - r->from, pw = c->right - c->left;
    int ph = c->bottom - c->top;
    for (size_t i = 0; i < n; i++) {
        const struct chart_bar *b = &bars[i];
        if (b->ts < r->from || b->ts >= r->to)
            continue;
        int64_t end = r->step >= (uint64_t)(r->to - b->ts) ? r->to : b->ts + (int64_t)r->step;
        int64_t c0 = (b->ts - r->from) * pw / span, c1 = (end - r->from) * pw / span;
        if (c1 <= c0)
            c1 = c0 + 1; /* every bar gets a column */
        uint16_t h[CLASS__COUNT];
        for (size_t k = 0; k < CLASS__COUNT; k++) {
            double v = b->mbps[k] / c->y.max * ph;
            long px = v > 0 ? lround(v) : 0;
            /* Traffic too small for a pixel still shows as one. */
            h[k] = (uint16_t)(v > 0 && px < 1 ? 1 : px > ph ? ph : px);
        }
        for (int64_t col = c0; col < c1; col++)
            for (size_t k = 0; k < CLASS__COUNT; k++)
                if (h[k] > cols[col * CLASS__COUNT + k])
                    cols[col * CLASS__COUNT + k] = h[k];
    }
}

/* Paints one column: classes ordered tallest first (on a tie the later
 * class comes later), each visible from its top down to the next one's. */
static void column_paint(struct chart *c, int x, const uint16_t *h)
{
    int order[CLASS__COUNT], m = 0;
    for (int k = 0; k < CLASS__COUNT; k++) {
        if (h[k] == 0)
            continue;
        int p = m;
        while (p > 0 && h[order[p - 1]] < h[k])
            p--;
        memmove(&order[p + 1], &order[p], (size_t)(m - p) * sizeof(order[0]));
        order[p] = k;
        m++;
    }
    for (int i = 0; i < m; i++) {
        int hi = h[order[i]], lo = i + 1 < m ? h[order[i + 1]] : 0;
        unsigned char idx = (unsigned char)c->cls[order[i]];
        for (int y = c->bottom - hi; y < c->bottom - lo; y++)
            c->im->pixels[y][x] = idx;
    }
}

static int draw_bars(struct chart *c, const struct chart_bar *bars, size_t n)
{
    size_t pw = (size_t)(c->right - c->left);
    uint16_t *cols = calloc(pw * CLASS__COUNT, sizeof(*cols));
    if (!cols)
        return -ENOMEM;
    columns_fill(c, bars, n, cols);
    for (size_t i = 0; i < pw; i++)
        column_paint(c, c->left + 1 + (int)i, &cols[i * CLASS__COUNT]);
    free(cols);
    return 0;
}

static void draw_x_axis(struct chart *c)
{
    const struct chart_req *r = c->req;
    struct axis_label_px px = {
        .hhmm = text_width(c->text, "00:00"),
        .date = text_width(c->text, "0000-00-00"),
        .month = text_width(c->text, "0000-00"),
        .year = text_width(c->text, "0000"),
    };
    struct axis_tick ticks[AXIS_MAX_TICKS];
    int64_t pw = c->right - c->left;
    size_t n = axis_x_ticks(r->from, r->to, (int)pw, r->dates, &px, ticks, AXIS_MAX_TICKS);
    int prev_end = -1000;
    for (size_t i = 0; i < n; i++) {
        int x = c->left + 1 + (int)((ticks[i].t - r->from) * pw / (r->to - r->from));
        gdImageLine(c->im, x, c->bottom + 1, x, c->bottom + 3, c->axis);
        int w = text_width(c->text, ticks[i].label);
        int lx = x - w / 2;
        if (lx < 2)
            lx = 2;
        if (lx + w > r->width - 2)
            lx = r->width - 2 - w;
        if (lx < prev_end + 6)
            continue; /* a clamped label at an edge would touch its neighbour */
        text_draw(&c->ink, c->text, lx, c->bottom + 18, ticks[i].label);
        prev_end = lx + w;
    }
    gdImageLine(c->im, c->left, c->top, c->left, c->bottom, c->axis);
    gdImageLine(c->im, c->left, c->bottom, c->right, c->bottom, c->axis);
}

static void draw_title(struct chart *c)
{
    const char *t = c->req->title;
    if (!t || !*t)
        return;
    int room = c->req->width - 2 * PAD_LEFT - 20; /* clear of "Mbit/s" */
    char buf[512];
    if (text_width(c->title, t) > room) {
        /* Too long (a long network description): cut it, and say so. */
        size_t keep = text_fit(c->title, t, room - text_width(c->title, ELLIPSIS));
        if (keep > sizeof(buf) - sizeof(ELLIPSIS))
            keep = sizeof(buf) - sizeof(ELLIPSIS);
        memcpy(buf, t, keep);
        memcpy(buf + keep, ELLIPSIS, sizeof(ELLIPSIS));
        t = buf;
    }
    int w = text_width(c->title, t);
    text_draw(&c->ink, c->title, (c->req->width - w) / 2, c->top - 16, t);
}

static void draw_legend(struct chart *c)
{
    for (size_t i = 0; i < c->legend_n; i++) {
        int x = c->legend[i].x, y = c->bottom + 20 + c->legend[i].row * LEGEND_ROW;
        gdImageFilledRectangle(c->im, x, y, x + SWATCH_W - 1, y + SWATCH_H - 1, c->cls[i]);
        text_draw(&c->ink, c->text, x + SWATCH_W + 4, y + 13, class_name((enum traffic_class)i));
    }
    int w = text_width(c->text, c->max_label);
    text_draw(&c->ink, c->text, c->right - w, c->bottom + 33 + c->max_row * LEGEND_ROW,
              c->max_label);
}

static int load_fonts(struct chart *c)
{
    int rc = text_font_get(c->req->font, TEXT_PX, &c->text);
    if (rc == 0)
        rc = text_font_get(c->req->font, TITLE_PX, &c->title);
    return rc;
}

int chart_png(const struct chart_req *req, const struct chart_bar *bars, size_t n, void **png,
              size_t *png_len)
{
    if (!req || !req_valid(req) || (n > 0 && !bars))
        return -EINVAL;
    struct chart *c = calloc(1, sizeof(*c));
    if (!c)
        return -ENOMEM;
    c->req = req;
    int rc = bars_peak(req, bars, n, &c->peak);
    if (rc == 0)
        rc = load_fonts(c);
    if (rc < 0)
        goto out;
    layout(c);
    rc = image_new(c);
    if (rc < 0)
        goto out;
    draw_grid(c);
    rc = draw_bars(c, bars, n);
    if (rc < 0)
        goto out;
    draw_x_axis(c);
    draw_title(c);
    draw_legend(c);
    int size = 0;
    void *p = gdImagePngPtrEx(c->im, &size, PNG_LEVEL);
    if (!p || size <= 0) {
        gdFree(p);
        rc = -ENOMEM;
        goto out;
    }
    *png = p;
    *png_len = (size_t)size;
out:
    if (c->im)
        gdImageDestroy(c->im);
    free(c);
    return rc;
}
