/* cli/cmd_run.c: `ophanimflow run`, the collector daemon. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "collect/daemon.h"
#include "util/log.h"

static void run_usage(FILE *f)
{
    fputs("usage: ophanimflow run [-c FILE] [--db PATH] [--network CIDR[=DESC]]...\n"
          "                       [--sampling-rate N] [-v]\n",
          f);
}

int cmd_run(int argc, char **argv)
{
    static const struct option longopts[] = {CLI_COMMON_LONGOPTS,
                                             {"verbose", no_argument, NULL, 'v'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    struct cli_common common = {0};
    bool bad = false;
    int opt;
    while ((opt = getopt_long(argc, argv, "c:vh", longopts, NULL)) != -1) {
        if (cli_common_opt(&common, opt, optarg, &bad))
            continue;
        if (opt == 'v') {
            log_set_level(LOG_DEBUG);
            continue;
        }
        run_usage(opt == 'h' ? stdout : stderr);
        return opt == 'h' ? CLI_OK : CLI_USAGE;
    }
    if (bad || optind != argc) {
        run_usage(stderr);
        return CLI_USAGE;
    }
    struct of_config cfg;
    struct store *st = NULL;
    int rc = cli_load_config(&common, &cfg);
    if (rc == CLI_OK)
        rc = cli_open_store(&cfg, false, &st);
    if (rc == CLI_OK) {
        log_msg(LOG_INFO, "store: %s", cfg.db_path);
        int drc = daemon_run(&cfg, st);
        if (drc < 0) {
            log_msg(LOG_ERR, "cannot start: %s", strerror(-drc));
            rc = CLI_FAIL;
        }
    }
    if (store_close(st) < 0) {
        log_msg(LOG_ERR, "closing the store failed");
        rc = CLI_FAIL;
    }
    config_fini(&cfg);
    return rc;
}
