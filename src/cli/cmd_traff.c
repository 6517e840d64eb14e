/* cli/cmd_traff.c: `ophanimflow traff`: the ?module=gettraff body. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "report/traff.h"
#include "util/parse.h"

enum { OPT_YEAR = CLI_OPT__NEXT, OPT_MONTH, OPT_IP };

static void traff_usage(FILE *f)
{
    fputs("usage: ophanimflow traff [-c FILE] [--db PATH] [--year Y] [--month M] [--ip IP]\n", f);
}

struct traff_args {
    int year;
    int month;
    struct of_addr ip;
    bool has_ip;
};

static int traff_opt(struct traff_args *a, int opt, const char *arg)
{
    uint64_t v;
    switch (opt) {
    case OPT_YEAR:
        if (parse_u64(arg, 1970, 9999, &v) < 0) {
            fprintf(stderr, "ophanimflow: --year must be 1970..9999, got \"%s\"\n", arg);
            return -1;
        }
        a->year = (int)v;
        return 0;
    case OPT_MONTH:
        /* "05" and "5" alike, as the original takes them */
        if (parse_u64(arg, 1, 12, &v) < 0) {
            fprintf(stderr, "ophanimflow: --month must be 1..12, got \"%s\"\n", arg);
            return -1;
        }
        a->month = (int)v;
        return 0;
    case OPT_IP:
        if (addr_parse(arg, &a->ip) < 0) {
            fprintf(stderr, "ophanimflow: --ip: \"%s\" is not an IP address\n", arg);
            return -1;
        }
        a->has_ip = true;
        return 0;
    default:
        return -1;
    }
}

int cmd_traff(int argc, char **argv)
{
    static const struct option longopts[] = {CLI_COMMON_LONGOPTS,
                                             {"year", required_argument, NULL, OPT_YEAR},
                                             {"month", required_argument, NULL, OPT_MONTH},
                                             {"ip", required_argument, NULL, OPT_IP},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    struct cli_common common = {0};
    struct traff_args a = {0};
    traff_this_month(&a.year, &a.month);
    bool bad = false;
    int opt;
    while ((opt = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
        if (cli_common_opt(&common, opt, optarg, &bad))
            continue;
        if (opt != 'h' && traff_opt(&a, opt, optarg) == 0)
            continue;
        traff_usage(opt == 'h' ? stdout : stderr);
        return opt == 'h' ? CLI_OK : CLI_USAGE;
    }
    if (bad || optind != argc) {
        traff_usage(stderr);
        return CLI_USAGE;
    }
    struct of_config cfg;
    struct store *st = NULL;
    char *body = NULL;
    int rc = cli_load_config(&common, &cfg);
    if (rc == CLI_OK)
        rc = cli_open_store(&cfg, CLI_STORE_READ, &st);
    if (rc == CLI_OK) {
        int e = traff_json(st, a.year, a.month, a.has_ip ? &a.ip : NULL, &body);
        if (e < 0) {
            fprintf(stderr, "ophanimflow: reading the store failed: %s\n", strerror(-e));
            rc = CLI_FAIL;
        } else {
            printf("%s\n", body);
        }
    }
    free(body);
    (void)store_close(st);
    config_fini(&cfg);
    return rc;
}
