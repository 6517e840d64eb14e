/* cli/cmd_series.c: `ophanimflow series`: the stored 5-minute bins of one
 * host and direction, one line per bin: UNIX time, then the 12 class byte
 * counters in API order; or, with --json, bytes and packets per bin. */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/parse.h"

enum { OPT_IP = CLI_OPT__NEXT, OPT_DIR, OPT_FROM, OPT_TO, OPT_JSON };

struct series_args {
    struct of_addr ip;
    int dir;
    int64_t from;
    int64_t to;
    bool have_ip, have_dir, have_from, have_to, json;
};

static void series_usage(FILE *f)
{
    fputs("usage: ophanimflow series [-c FILE] [--db PATH] --ip IP --dir R|S --from TS --to TS "
          "[--json]\n",
          f);
}

static int series_opt(struct series_args *a, int opt, const char *arg)
{
    switch (opt) {
    case OPT_IP:
        a->have_ip = addr_parse(arg, &a->ip) == 0;
        if (!a->have_ip)
            fprintf(stderr, "ophanimflow: --ip: \"%s\" is not an IP address\n", arg);
        return a->have_ip ? 0 : -1;
    case OPT_DIR:
        a->have_dir = strcmp(arg, "R") == 0 || strcmp(arg, "S") == 0;
        a->dir = arg[0] == 'S' ? DIR_S : DIR_R;
        if (!a->have_dir)
            fprintf(stderr, "ophanimflow: --dir must be R or S, got \"%s\"\n", arg);
        return a->have_dir ? 0 : -1;
    case OPT_FROM:
    case OPT_TO: {
        int64_t *t = opt == OPT_FROM ? &a->from : &a->to;
        if (parse_i64(arg, 0, INT64_MAX / 2, t) < 0) {
            fprintf(stderr, "ophanimflow: --%s must be a UNIX time, got \"%s\"\n",
                    opt == OPT_FROM ? "from" : "to", arg);
            return -1;
        }
        *(opt == OPT_FROM ? &a->have_from : &a->have_to) = true;
        return 0;
    }
    case OPT_JSON:
        a->json = true;
        return 0;
    default:
        return -1;
    }
}

static int print_line(const struct bin_row *r, void *arg)
{
    (void)arg;
    printf("%" PRId64, r->ts);
    for (size_t c = 0; c < CLASS__COUNT; c++)
        printf(" %" PRIu64, r->bytes[c]);
    printf("\n");
    return 0;
}

static int add_json(const struct bin_row *r, void *arg)
{
    json_t *bins = arg;
    json_t *b = json_array(), *p = json_array();
    json_t *o = json_object();
    if (!b || !p || !o)
        goto fail;
    for (size_t c = 0; c < CLASS__COUNT; c++) {
        json_array_append_new(b, json_integer((json_int_t)r->bytes[c]));
        json_array_append_new(p, json_integer((json_int_t)r->packets[c]));
    }
    json_object_set_new(o, "ts", json_integer(r->ts));
    json_object_set_new(o, "bytes", b);
    json_object_set_new(o, "packets", p);
    return json_array_append_new(bins, o) == 0 ? 0 : -1;
fail:
    json_decref(b);
    json_decref(p);
    json_decref(o);
    return -1;
}

static int print_json(struct store *st, const struct series_args *a)
{
    char ip[ADDR_STRLEN];
    json_t *classes = json_array(), *bins = json_array();
    for (int c = 0; c < CLASS__COUNT; c++)
        json_array_append_new(classes, json_string(class_name((enum traffic_class)c)));
    int rc = store_get_series(st, &a->ip, a->dir, a->from, a->to, add_json, bins);
    if (rc == 0) {
        json_t *o =
            json_pack("{s:s,s:s,s:I,s:I,s:o,s:o}", "ip", addr_format(&a->ip, ip, sizeof(ip)), "dir",
                      a->dir == DIR_S ? "S" : "R", "from", (json_int_t)a->from, "to",
                      (json_int_t)a->to, "classes", classes, "bins", bins);
        classes = bins = NULL;
        char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
        if (s)
            printf("%s\n", s);
        else
            rc = -1;
        free(s);
        json_decref(o);
    }
    json_decref(classes);
    json_decref(bins);
    return rc;
}

int cmd_series(int argc, char **argv)
{
    static const struct option longopts[] = {CLI_COMMON_LONGOPTS,
                                             {"ip", required_argument, NULL, OPT_IP},
                                             {"dir", required_argument, NULL, OPT_DIR},
                                             {"from", required_argument, NULL, OPT_FROM},
                                             {"to", required_argument, NULL, OPT_TO},
                                             {"json", no_argument, NULL, OPT_JSON},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    struct cli_common common = {0};
    struct series_args a = {0};
    bool bad = false;
    int opt;
    while ((opt = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
        if (cli_common_opt(&common, opt, optarg, &bad))
            continue;
        if (opt != 'h' && series_opt(&a, opt, optarg) == 0)
            continue;
        series_usage(opt == 'h' ? stdout : stderr);
        return opt == 'h' ? CLI_OK : CLI_USAGE;
    }
    if (bad || optind != argc || !a.have_ip || !a.have_dir || !a.have_from || !a.have_to) {
        series_usage(stderr);
        return CLI_USAGE;
    }
    if (a.from > a.to) {
        fprintf(stderr, "ophanimflow: --from is after --to\n");
        return CLI_USAGE;
    }
    struct of_config cfg;
    struct store *st = NULL;
    int rc = cli_load_config(&common, &cfg);
    if (rc == CLI_OK)
        rc = cli_open_store(&cfg, CLI_STORE_READ, &st);
    if (rc == CLI_OK) {
        int e = a.json ? print_json(st, &a)
                       : store_get_series(st, &a.ip, a.dir, a.from, a.to, print_line, NULL);
        if (e < 0) {
            fprintf(stderr, "ophanimflow: reading the store failed\n");
            rc = CLI_FAIL;
        }
    }
    (void)store_close(st);
    config_fini(&cfg);
    return rc;
}
