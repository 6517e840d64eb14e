/* bench/chart.c: how long a chart takes, store read and drawing apart.
 *
 * A SQLite store is filled the way a mid-sized ISP's would look at the end
 * of a year: one host (10.0.0.1) and 0.0.0.0 with a year of 5-minute bins
 * (and so a year of hourly and daily rollups), and --hosts other hosts with
 * the last day's bins, so that the tables and indexes have a realistic size
 * around the rows a chart reads. A year of bins for every host would be
 * 2 billion rows; the rows a chart of one host reads are the same either
 * way.
 *
 * Then each period's chart of 10.0.0.1 and of 0.0.0.0 is drawn --runs
 * times at 1540 x 400 through report/graph.c, as the server draws it:
 * graph_load (period -> steps -> bars: the store read) and graph_png
 * (layout, bars, text, PNG encoding) are timed apart, and the medians are
 * printed with the first run's draw time (the font cache still cold). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "conditions.h"
#include "report/graph.h"
#include "store/store.h"
#include "util/parse.h"

#define BENCH_NOW      INT64_C(1715688000) /* 2024-05-14 12:00 UTC */
#define BENCH_YEAR     (INT64_C(366) * 86400)
#define BENCH_BATCH    20000
#define BENCH_MAX_RUNS 1001
#define BENCH_SEED     42

struct bench_opts {
    char db[1024];
    uint32_t hosts;
    size_t runs;
    bool keep_db;
    bool have_db;
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static uint64_t rng_state = BENCH_SEED;

static double rng_unit(void)
{
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (double)(rng_state >> 11) / (double)(UINT64_C(1) << 53);
}

/* A day's shape: quiet at night, busiest mid-afternoon, with noise and the
 * odd burst; the classes in the shares an access network shows. */
static void fill_row(struct bin_row *r, double scale)
{
    double h = (double)(r->ts % 86400) / 3600.0;
    double mbps = scale * (0.1 + 0.9 * exp(-pow((h - 15.0) / 4.0, 2))) * (0.8 + 0.4 * rng_unit());
    if (rng_unit() < 0.003)
        mbps *= 2.5;
    uint64_t total = (uint64_t)(mbps * 1048576.0 * 300 / 8);
    static const double share[CLASS__COUNT] = {1.0,  0.004, 0.30, 0.66, 0.004, 0.01,
                                               0.03, 0.001, 0.52, 0.02, 0.16,  0.002};
    for (int c = 0; c < CLASS__COUNT; c++) {
        r->bytes[c] = (uint64_t)((double)total * share[c]);
        r->packets[c] = r->bytes[c] / 900;
    }
}

static int put_batch(struct store *st, struct bin_row *rows, size_t *n)
{
    struct bin_batch b = {.rows = rows, .n = *n};
    int rc = *n ? store_put_bins(st, &b) : 0;
    *n = 0;
    return rc;
}

/* A year of bins for 10.0.0.1 and 0.0.0.0, a day for the others. */
static int generate(struct store *st, uint32_t hosts)
{
    struct bin_row *rows = calloc(BENCH_BATCH, sizeof(*rows));
    if (!rows)
        return -ENOMEM;
    int rc = 0;
    size_t n = 0;
    static const uint8_t host_b[4] = {10, 0, 0, 1}, all_b[4] = {0, 0, 0, 0};
    struct of_addr host, all;
    addr_from_v4(&host, host_b);
    addr_from_v4(&all, all_b);
    int64_t end = BENCH_NOW - BENCH_NOW % BIN_SECONDS;
    for (int64_t ts = end - BENCH_YEAR; ts < end && rc == 0; ts += BIN_SECONDS) {
        for (int k = 0; k < 2; k++) {
            struct bin_row *r = &rows[n++];
            memset(r, 0, sizeof(*r));
            r->host = k ? all : host;
            r->dir = DIR_R;
            r->ts = ts;
            fill_row(r, k ? 900.0 : 60.0);
        }
        if (n + 2 > BENCH_BATCH)
            rc = put_batch(st, rows, &n);
    }
    for (int64_t ts = end - 86400; ts < end && rc == 0; ts += BIN_SECONDS) {
        for (uint32_t i = 0; i < hosts && rc == 0; i++) {
            struct bin_row *r = &rows[n++];
            memset(r, 0, sizeof(*r));
            uint8_t b[4] = {10, (uint8_t)(1 + i / 65536), (uint8_t)(i / 256), (uint8_t)i};
            addr_from_v4(&r->host, b);
            r->dir = DIR_R;
            r->ts = ts;
            fill_row(r, 5.0);
            if (n == BENCH_BATCH)
                rc = put_batch(st, rows, &n);
        }
    }
    if (rc == 0)
        rc = put_batch(st, rows, &n);
    free(rows);
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct run_stats {
    double load[BENCH_MAX_RUNS], draw[BENCH_MAX_RUNS], total[BENCH_MAX_RUNS];
    double first_draw;
    size_t bars, png_len;
    unsigned step;
};

static int measure(struct store *st, const struct graph_req *req, size_t runs, struct run_stats *s)
{
    for (size_t i = 0; i < runs; i++) {
        struct graph_data d;
        void *png = NULL;
        size_t len = 0;
        double t0 = now_ms();
        int rc = graph_load(st, req, &d);
        if (rc < 0)
            return rc;
        double t1 = now_ms();
        rc = graph_png(req, &d, &png, &len);
        double t2 = now_ms();
        if (rc < 0) {
            graph_data_fini(&d);
            return rc;
        }
        s->load[i] = t1 - t0;
        s->draw[i] = t2 - t1;
        s->total[i] = t2 - t0;
        if (i == 0)
            s->first_draw = t2 - t1;
        s->bars = d.n;
        s->step = d.step;
        s->png_len = len;
        chart_free(png);
        graph_data_fini(&d);
    }
    return 0;
}

static void usage(FILE *f)
{
    fputs("usage: bench_chart [--db PATH] [--hosts N] [--runs N] [--keep-db]\n"
          "  --db PATH  the store; reused as it is when the file exists, else built\n"
          "             there and kept (default: a temporary file, removed after)\n"
          "  --hosts N  hosts with a day of bins besides the two with a year (20000)\n"
          "  --runs N   charts per period and host; medians are printed (21)\n",
          f);
}

static int parse_opts(int argc, char **argv, struct bench_opts *o)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},   {"hosts", required_argument, NULL, 'n'},
        {"runs", required_argument, NULL, 'r'}, {"keep-db", no_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
    int opt;
    uint64_t v;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'd':
            if (snprintf(o->db, sizeof(o->db), "%s", optarg) >= (int)sizeof(o->db))
                return -1;
            o->have_db = true;
            break;
        case 'n':
            if (parse_u64(optarg, 0, 1000000, &v) < 0)
                return -1;
            o->hosts = (uint32_t)v;
            break;
        case 'r':
            if (parse_u64(optarg, 1, BENCH_MAX_RUNS, &v) < 0)
                return -1;
            o->runs = (size_t)v;
            break;
        case 'k':
            o->keep_db = true;
            break;
        default:
            return -1;
        }
    }
    return optind == argc ? 0 : -1;
}

static int open_store(struct bench_opts *o, struct store **st)
{
    struct stat sb;
    bool exists = o->have_db && stat(o->db, &sb) == 0;
    if (!o->have_db) {
        char dir[] = "/tmp/of-bench-chart-XXXXXX";
        if (!mkdtemp(dir))
            return -errno;
        (void)snprintf(o->db, sizeof(o->db), "%s/of.db", dir);
    } else {
        o->keep_db = true;
    }
    struct store_cfg cfg = {.backend = "sqlite", .path = o->db};
    int rc = store_open(st, &cfg);
    if (rc < 0 || exists)
        return rc;
    printf("building %s: a year of bins for 2 hosts, a day for %" PRIu32 " ...\n", o->db, o->hosts);
    fflush(stdout);
    double t0 = now_ms();
    rc = generate(*st, o->hosts);
    printf("  %.1f s\n", (now_ms() - t0) / 1e3);
    return rc;
}

static const char *step_name(unsigned step)
{
    return step == STORE_STEP_BIN ? "5 min" : step == STORE_STEP_HOUR ? "hour" : "day";
}

static int run_table(struct store *st, const struct bench_opts *o)
{
    static const enum graph_period periods[] = {GRAPH_DAY, GRAPH_24H, GRAPH_WEEK, GRAPH_MONTH,
                                                GRAPH_YEAR};
    static const char *const hosts[] = {"10.0.0.1", "0.0.0.0"};
    static const char *const names[] = {[GRAPH_DAY] = "day",
                                        [GRAPH_24H] = "24h",
                                        [GRAPH_WEEK] = "week",
                                        [GRAPH_MONTH] = "month",
                                        [GRAPH_YEAR] = "year"};
    struct run_stats *s = calloc(1, sizeof(*s));
    if (!s)
        return -ENOMEM;
    printf("\n1540 x 400, median of %zu runs (ms)\n", o->runs);
    printf("%-9s %-6s %-6s %6s %9s %9s %9s %11s %8s\n", "host", "period", "step", "bars", "store",
           "draw", "total", "first draw", "PNG B");
    int rc = 0;
    for (size_t h = 0; h < OF_ARRAY_LEN(hosts) && rc == 0; h++) {
        for (size_t p = 0; p < OF_ARRAY_LEN(periods) && rc == 0; p++) {
            struct graph_req req = {.dir = DIR_R,
                                    .period = periods[p],
                                    .width = CHART_DEFAULT_W,
                                    .height = CHART_DEFAULT_H,
                                    .now = BENCH_NOW,
                                    .prealloc = true};
            rc = addr_parse(hosts[h], &req.host);
            if (rc == 0)
                rc = measure(st, &req, o->runs, s);
            if (rc < 0)
                break;
            printf("%-9s %-6s %-6s %6zu %9.3f %9.3f %9.3f %11.3f %8zu\n", hosts[h],
                   names[periods[p]], step_name(s->step), s->bars, median(s->load, o->runs),
                   median(s->draw, o->runs), median(s->total, o->runs), s->first_draw, s->png_len);
        }
    }
    free(s);
    return rc;
}

int main(int argc, char **argv)
{
    struct bench_opts o = {.hosts = 20000, .runs = 21};
    if (parse_opts(argc, argv, &o) < 0) {
        usage(stderr);
        return 2;
    }
    /* Day and month boundaries in UTC, so every run reads the same rows. */
    setenv("TZ", "UTC", 1);
    tzset();
    bench_print_conditions();
    struct store *st = NULL;
    int rc = open_store(&o, &st);
    if (rc == 0)
        rc = run_table(st, &o);
    if (rc < 0)
        fprintf(stderr, "bench_chart: %s\n", strerror(-rc));
    (void)store_close(st);
    if (!o.keep_db) {
        char p[1100];
        static const char *const suffixes[] = {"", "-wal", "-shm"};
        for (size_t i = 0; i < OF_ARRAY_LEN(suffixes); i++) {
            (void)snprintf(p, sizeof(p), "%s%s", o.db, suffixes[i]);
            (void)unlink(p);
        }
        char *slash = strrchr(o.db, '/');
        if (slash) {
            *slash = '\0';
            (void)rmdir(o.db);
        }
    }
    return rc < 0 ? 1 : 0;
}
