/* cli/cmd_run.c: `ophanimflow run`, the collector daemon and, unless
 * HTTP_PORT is 0, its HTTP server. The server starts after the collector
 * (whose start blocks the signals every later thread must inherit) and
 * stops before it, so that it never reads a collector being torn down. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "collect/daemon.h"
#include "http/server.h"
#include "util/log.h"

static void run_usage(FILE *f)
{
    fputs("usage: ophanimflow run [-c FILE] [--db PATH] [--network CIDR[=DESC]]...\n"
          "                       [--sampling-rate N] [-v] [--syslog]\n"
          "  -v, --verbose  log debug messages too\n"
          "  --syslog       log to syslog (facility daemon) instead of stderr; under\n"
          "                 systemd, stderr already goes to the journal with levels\n",
          f);
}

enum { OPT_SYSLOG = CLI_OPT__NEXT };

static int run_services(const struct of_config *cfg, struct store *st)
{
    struct status_board *board = NULL;
    struct daemon *d = NULL;
    struct http_server *http = NULL;
    int rc = -ENOMEM;
    if (cfg->http_port) {
        board = status_board_new();
        if (!board)
            goto out;
    }
    rc = daemon_new(&d, cfg, st, board);
    if (rc < 0) {
        log_msg(LOG_ERR, "cannot start: %s", strerror(-rc));
        goto out;
    }
    if (cfg->http_port) {
        rc = http_server_start(&http, cfg, board);
        if (rc < 0) {
            log_msg(LOG_ERR, "http: cannot start on port %u: %s (HTTP_PORT=0 turns it off)",
                    cfg->http_port, strerror(-rc));
            goto out;
        }
    }
    daemon_wait(d);
out:
    http_server_stop(http);
    daemon_free(d);
    status_board_free(board);
    return rc < 0 ? CLI_FAIL : CLI_OK;
}

int cmd_run(int argc, char **argv)
{
    static const struct option longopts[] = {CLI_COMMON_LONGOPTS,
                                             {"verbose", no_argument, NULL, 'v'},
                                             {"syslog", no_argument, NULL, OPT_SYSLOG},
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
        if (opt == OPT_SYSLOG) {
            log_set_sink(LOG_SINK_SYSLOG);
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
        rc = run_services(&cfg, st);
    }
    if (store_close(st) < 0) {
        log_msg(LOG_ERR, "closing the store failed");
        rc = CLI_FAIL;
    }
    config_fini(&cfg);
    return rc;
}
