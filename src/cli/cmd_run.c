/* cli/cmd_run.c: `ophanimflow run`, the collector daemon and, unless
 * HTTP_PORT is 0, its HTTP server. The server starts after the collector
 * (whose start blocks the signals every later thread must inherit) and
 * stops before it, so that it never reads a collector being torn down.
 *
 * Before either starts, a store without any dashboard user gets one,
 * "admin" with a random password shown once in the log: there is never a
 * well-known password on a reachable port. SIGHUP reads the config file
 * again with the same command line: the local networks, ENDPOINTS_HOSTS and
 * the retention options take effect at once; anything else that changed is
 * logged as waiting for a restart. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/password.h"
#include "auth/users.h"
#include "cli/cli.h"
#include "daemon/daemon.h"
#include "daemon/networks.h"
#include "http/server.h"
#include "store/appdb.h"
#include "util/log.h"

#define RUN_APPDB_IDLE 4 /* idle connections kept for the networks and the reload */

struct run_state {
    const struct cli_common *common;
    const struct of_config *cfg; /* as started */
    struct networks *networks;
    struct http_server *http;
    struct daemon *d;
    struct retention_cfg retention; /* as last applied */
};

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

/* A first start: the dashboard's only way in is a user, so one is made. */
static int first_admin(struct appdb *app)
{
    struct sqlite3 *db = NULL;
    int rc = appdb_get(app, &db);
    if (rc < 0)
        return rc;
    int64_t n = 0;
    rc = users_count(db, &n);
    if (rc == 0 && n == 0) {
        char pw[PASSWORD_RANDOM_LEN + 1];
        password_random(pw);
        rc = users_add(db, "admin", pw, strlen(pw), (int64_t)time(NULL));
        if (rc == 0)
            log_msg(LOG_WARN,
                    "created user admin with password %s "
                    "(change it with: ophanimflow passwd admin)",
                    pw);
        else if (rc == -EEXIST)
            rc = 0; /* another process made it meanwhile */
    }
    appdb_put(app, db, rc < 0);
    return rc;
}

/* SIGHUP, in the daemon's writer thread. */
static void run_reload(void *arg)
{
    struct run_state *rs = arg;
    struct of_config fresh;
    log_msg(LOG_INFO, "SIGHUP: reading the configuration again");
    if (cli_load_config(rs->common, &fresh) != CLI_OK) {
        log_msg(LOG_ERR, "SIGHUP: the configuration has errors (above); nothing changed");
        config_fini(&fresh);
        return;
    }
    if (networks_set_config(rs->networks, fresh.nets) < 0)
        log_msg(LOG_ERR, "SIGHUP: out of memory; the networks did not change");
    else
        log_msg(LOG_INFO, "SIGHUP: %zu local networks from the configuration",
                nets_count(fresh.nets));
    if (rs->http && http_server_set_allow(rs->http, &fresh.endpoints_hosts) < 0)
        log_msg(LOG_ERR, "SIGHUP: ENDPOINTS_HOSTS did not change");
    if (memcmp(&rs->retention, &fresh.retention, sizeof(rs->retention)) != 0) {
        rs->retention = fresh.retention;
        daemon_set_retention(rs->d, &fresh.retention);
    }
    char names[512];
    if (config_restart_changes(rs->cfg, &fresh, names, sizeof(names)) > 0)
        log_msg(LOG_WARN, "SIGHUP: changed, taking effect at the next restart: %s", names);
    config_fini(&fresh);
}

static int run_services(const struct cli_common *common, const struct of_config *cfg,
                        struct store *st, struct appdb *app, struct networks *networks)
{
    struct status_board *board = NULL;
    struct daemon *d = NULL;
    struct run_state rs = {common, cfg, networks, NULL, NULL, cfg->retention};
    int rc = -ENOMEM;
    if (cfg->http_port) {
        board = status_board_new();
        if (!board)
            goto out;
    }
    rc = daemon_new(&d, cfg, st, board, networks_live(networks));
    if (rc < 0) {
        log_msg(LOG_ERR, "cannot start: %s", strerror(-rc));
        goto out;
    }
    if (cfg->http_port) {
        struct http_deps deps = {app, networks};
        rc = http_server_start(&rs.http, cfg, board, &deps);
        if (rc < 0) {
            log_msg(LOG_ERR, "http: cannot start on port %u: %s (HTTP_PORT=0 turns it off)",
                    cfg->http_port, strerror(-rc));
            goto out;
        }
    }
    rs.d = d;
    daemon_on_reload(d, run_reload, &rs);
    daemon_wait(d);
out:
    http_server_stop(rs.http);
    if (daemon_free(d) < 0 && rc >= 0)
        rc = -EIO; /* counters lost at stop: logged, and the exit status says so */
    status_board_free(board);
    return rc < 0 ? CLI_FAIL : CLI_OK;
}

/* The dashboard's side of the store: users and networks. */
static int run_with_store(const struct cli_common *common, const struct of_config *cfg,
                          struct store *st)
{
    struct networks *networks = NULL;
    int rc = CLI_FAIL;
    struct appdb *app = appdb_new(cfg->db_path, RUN_APPDB_IDLE + 64);
    if (!app || secret_init() < 0) {
        log_msg(LOG_ERR, "cannot start: %s", app ? "no source of random numbers" : "out of memory");
        goto out;
    }
    int e = first_admin(app);
    if (e == 0)
        e = networks_new(&networks, cfg->nets, app);
    if (e < 0) {
        log_msg(LOG_ERR, "store %s: cannot read the dashboard's tables: %s", cfg->db_path,
                strerror(-e));
        goto out;
    }
    rc = run_services(common, cfg, st, app, networks);
out:
    networks_free(networks);
    appdb_free(app);
    return rc;
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
        rc = cli_open_store(&cfg, CLI_STORE_COLLECT, &st);
    if (rc == CLI_OK) {
        log_msg(LOG_INFO, "store: %s", cfg.db_path);
        rc = run_with_store(&common, &cfg, st);
    }
    if (store_close(st) < 0) {
        log_msg(LOG_ERR, "closing the store failed");
        rc = CLI_FAIL;
    }
    config_fini(&cfg);
    return rc;
}
