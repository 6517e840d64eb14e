/* cli/cmd_graph.c: `ophanimflow graph`: the chart ?module=graph serves,
 * written to a PNG file, or its data as dumpdata text.
 *
 * It goes through report/graph.c like the server does, with the same
 * config (CHARTS_NETDESC, CHARTS_PREALLOC_TIMELINE, CHARTS_FONT), so a chart
 * can be checked or produced without the HTTP server. Unlike the server,
 * which clamps the size, a size out of bounds is refused here: on a command
 * line it is a typo. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account/nets.h"
#include "chart/chart.h"
#include "cli/cli.h"
#include "report/graph.h"
#include "util/parse.h"

enum {
    OPT_IP = CLI_OPT__NEXT,
    OPT_DIR,
    OPT_PERIOD,
    OPT_FROM,
    OPT_TO,
    OPT_NOW,
    OPT_DUMP,
    OPT_HELP,
};

struct graph_args {
    struct graph_req req;
    const char *out;
    bool have_ip, have_period, have_from, have_to, have_now, dump;
};

static void graph_usage(FILE *f)
{
    fprintf(f,
            "usage: ophanimflow graph [-c FILE] [--db PATH] --ip IP [--dir R|S]\n"
            "         [--period P | --from TS --to TS] [-w W] [-h H] [--now TS]\n"
            "         (-o FILE.png | --dump [-o FILE])\n"
            "  --ip IP      a host, or 0.0.0.0 for all hosts\n"
            "  --dir        R (download, the default) or S (upload)\n"
            "  --period P   hour, day (default), 24h, 48h, week, month, year, or explict\n"
            "               (the original's spelling), which --from/--to imply\n"
            "  --from/--to  UNIX times; from before to, at most 10 years apart\n"
            "  -w, -h       size in pixels, %d..%d x %d..%d (default %d x %d);\n"
            "               sizes out of bounds are refused, not clamped\n"
            "  --now TS     draw as if it were TS (relative periods end there)\n"
            "  -o FILE      where the PNG goes; - for stdout\n"
            "  --dump       the chart's data instead: a line per bar, UNIX time and\n"
            "               the 12 class values in Mbit/s (to stdout without -o)\n",
            CHART_MIN_W, CHART_MAX_W, CHART_MIN_H, CHART_MAX_H, CHART_DEFAULT_W, CHART_DEFAULT_H);
}

static int parse_time(const char *name, const char *arg, int64_t *out)
{
    if (parse_i64(arg, 0, GRAPH_MAX_TIME, out) < 0) {
        fprintf(stderr, "ophanimflow: --%s must be a UNIX time, got \"%s\"\n", name, arg);
        return -1;
    }
    return 0;
}

static int parse_size(const char *name, const char *arg, int lo, int hi, int *out)
{
    uint64_t v;
    if (parse_u64(arg, (uint64_t)lo, (uint64_t)hi, &v) < 0) {
        fprintf(stderr, "ophanimflow: %s must be %d..%d pixels, got \"%s\"\n", name, lo, hi, arg);
        return -1;
    }
    *out = (int)v;
    return 0;
}

static int graph_opt(struct graph_args *a, int opt, const char *arg)
{
    struct graph_req *r = &a->req;
    switch (opt) {
    case OPT_IP:
        a->have_ip = addr_parse(arg, &r->host) == 0;
        if (!a->have_ip)
            fprintf(stderr, "ophanimflow: --ip: \"%s\" is not an IP address\n", arg);
        return a->have_ip ? 0 : -1;
    case OPT_DIR:
        if (strcmp(arg, "R") != 0 && strcmp(arg, "S") != 0) {
            fprintf(stderr, "ophanimflow: --dir must be R or S, got \"%s\"\n", arg);
            return -1;
        }
        r->dir = arg[0] == 'S' ? DIR_S : DIR_R;
        return 0;
    case OPT_PERIOD: {
        int p = graph_period_from_name(arg);
        if (p < 0) {
            fprintf(stderr,
                    "ophanimflow: --period must be hour, day, 24h, 48h, week, month, year or "
                    "explict, got \"%s\"\n",
                    arg);
            return -1;
        }
        r->period = (enum graph_period)p;
        a->have_period = true;
        return 0;
    }
    case OPT_FROM:
        a->have_from = true;
        return parse_time("from", arg, &r->from);
    case OPT_TO:
        a->have_to = true;
        return parse_time("to", arg, &r->to);
    case OPT_NOW:
        a->have_now = true;
        return parse_time("now", arg, &r->now);
    case 'w':
        return parse_size("-w", arg, CHART_MIN_W, CHART_MAX_W, &r->width);
    case 'h':
        return parse_size("-h", arg, CHART_MIN_H, CHART_MAX_H, &r->height);
    case 'o':
        a->out = arg;
        return 0;
    case OPT_DUMP:
        a->dump = true;
        return 0;
    default:
        return -1;
    }
}

/* What the options say together; a one-line reason when they disagree. */
static int graph_check(struct graph_args *a)
{
    struct graph_req *r = &a->req;
    const char *why = NULL;
    if (!a->have_ip)
        why = "--ip is required";
    else if (!a->out && !a->dump)
        why = "-o FILE.png is required (or --dump)";
    else if (a->have_from != a->have_to)
        why = "--from and --to go together";
    else if (a->have_from && a->have_period && r->period != GRAPH_EXPLICIT)
        why = "--from/--to need --period explict (or no --period)";
    else if (!a->have_from && a->have_period && r->period == GRAPH_EXPLICIT)
        why = "--period explict needs --from and --to";
    else if (a->have_from && r->from >= r->to)
        why = "--from must be before --to";
    else if (a->have_from && r->to - r->from > GRAPH_MAX_SPAN)
        why = "--from and --to are more than 10 years apart";
    else if (a->have_now && r->now == 0)
        why = "--now must be after 1970-01-01";
    if (why) {
        fprintf(stderr, "ophanimflow: %s\n", why);
        return -1;
    }
    if (a->have_from)
        r->period = GRAPH_EXPLICIT;
    if (!a->have_now)
        r->now = (int64_t)time(NULL);
    return 0;
}

static int write_all(const char *path, const void *data, size_t len)
{
    bool std = strcmp(path, "-") == 0;
    FILE *f = std ? stdout : fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "ophanimflow: cannot write %s: %s\n", path, strerror(errno));
        return CLI_FAIL;
    }
    bool ok = fwrite(data, 1, len, f) == len;
    ok = (std ? fflush(f) : fclose(f)) == 0 && ok;
    if (!ok) {
        fprintf(stderr, "ophanimflow: writing %s failed\n", path);
        return CLI_FAIL;
    }
    return CLI_OK;
}

static int graph_emit(const struct graph_args *a, const struct graph_data *d)
{
    void *buf = NULL;
    size_t len = 0;
    int rc;
    if (a->dump) {
        char *text = NULL;
        rc = graph_dump(d, &text, &len);
        buf = text;
    } else {
        rc = graph_png(&a->req, d, &buf, &len);
    }
    if (rc < 0) {
        fprintf(stderr, "ophanimflow: drawing the chart failed: %s%s\n", strerror(-rc),
                rc == -ENOENT ? " (no usable font: set CHARTS_FONT)" : "");
        return CLI_FAIL;
    }
    rc = write_all(a->out ? a->out : "-", buf, len);
    if (a->dump)
        free(buf);
    else
        chart_free(buf);
    return rc;
}

/* The config's part of the request: description, timeline, font. */
static void graph_apply_config(struct graph_req *r, const struct of_config *cfg)
{
    static const struct of_addr all = {.af = ADDR_V4};
    r->prealloc = cfg->charts_prealloc;
    r->font = cfg->charts_font[0] ? cfg->charts_font : NULL;
    if (cfg->charts_netdesc && !addr_equal(&r->host, &all)) {
        long i = nets_lookup(cfg->nets, &r->host);
        if (i >= 0)
            r->netdesc = nets_desc(cfg->nets, (size_t)i);
    }
}

int cmd_graph(int argc, char **argv)
{
    static const struct option longopts[] = {CLI_COMMON_LONGOPTS,
                                             {"ip", required_argument, NULL, OPT_IP},
                                             {"dir", required_argument, NULL, OPT_DIR},
                                             {"period", required_argument, NULL, OPT_PERIOD},
                                             {"from", required_argument, NULL, OPT_FROM},
                                             {"to", required_argument, NULL, OPT_TO},
                                             {"now", required_argument, NULL, OPT_NOW},
                                             {"width", required_argument, NULL, 'w'},
                                             {"height", required_argument, NULL, 'h'},
                                             {"output", required_argument, NULL, 'o'},
                                             {"dump", no_argument, NULL, OPT_DUMP},
                                             {"help", no_argument, NULL, OPT_HELP},
                                             {NULL, 0, NULL, 0}};
    struct cli_common common = {0};
    struct graph_args a = {.req = {.dir = DIR_R,
                                   .period = GRAPH_DAY,
                                   .width = CHART_DEFAULT_W,
                                   .height = CHART_DEFAULT_H}};
    bool bad = false;
    int opt;
    while ((opt = getopt_long(argc, argv, "c:w:h:o:", longopts, NULL)) != -1) {
        if (cli_common_opt(&common, opt, optarg, &bad))
            continue;
        if (opt == OPT_HELP) {
            graph_usage(stdout);
            return CLI_OK;
        }
        if (graph_opt(&a, opt, optarg) < 0) {
            if (opt == '?' || opt == ':')
                graph_usage(stderr);
            return CLI_USAGE;
        }
    }
    if (bad)
        return CLI_USAGE;
    if (optind != argc) {
        fprintf(stderr, "ophanimflow: unexpected argument \"%s\"\n", argv[optind]);
        return CLI_USAGE;
    }
    if (graph_check(&a) < 0)
        return CLI_USAGE;
    struct of_config cfg;
    struct store *st = NULL;
    struct graph_data d = {0};
    int rc = cli_load_config(&common, &cfg);
    if (rc == CLI_OK)
        rc = cli_open_store(&cfg, CLI_STORE_READ, &st);
    if (rc == CLI_OK) {
        graph_apply_config(&a.req, &cfg);
        int e = graph_load(st, &a.req, &d);
        if (e < 0) {
            fprintf(stderr, "ophanimflow: reading the store failed: %s\n", strerror(-e));
            rc = CLI_FAIL;
        }
    }
    if (rc == CLI_OK)
        rc = graph_emit(&a, &d);
    graph_data_fini(&d);
    (void)store_close(st);
    config_fini(&cfg);
    return rc;
}
