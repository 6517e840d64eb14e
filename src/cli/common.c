/* cli/common.c: the options, config loading and store opening that every
 * subcommand shares. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth/secret.h"
#include "store/appdb.h"
#include "util/parse.h"
#include "util/paths.h"

bool cli_common_only(int argc, char **argv, struct cli_common *c, void (*usage)(FILE *f), int min,
                     int max, int *code)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    bool bad = false;
    int opt;
    while ((opt = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
        if (cli_common_opt(c, opt, optarg, &bad))
            continue;
        usage(opt == 'h' ? stdout : stderr);
        *code = opt == 'h' ? CLI_OK : CLI_USAGE;
        return false;
    }
    int operands = argc - optind;
    if (bad || operands < min || (max >= 0 && operands > max)) {
        usage(stderr);
        *code = CLI_USAGE;
        return false;
    }
    return true;
}

bool cli_common_opt(struct cli_common *c, int opt, const char *arg, bool *bad)
{
    switch (opt) {
    case 'c':
        c->config_path = arg;
        return true;
    case CLI_OPT_DB:
        c->db_path = arg;
        return true;
    case CLI_OPT_NETWORK:
        if (c->nnetworks == sizeof(c->networks) / sizeof(c->networks[0])) {
            fprintf(stderr, "ophanimflow: too many --network options\n");
            *bad = true;
            return true;
        }
        c->networks[c->nnetworks++] = arg;
        return true;
    case CLI_OPT_SAMPLING:
        c->sampling_rate = arg;
        return true;
    default:
        return false;
    }
}

static int apply_overrides(const struct cli_common *c, struct of_config *cfg)
{
    char err[CONFIG_MAX_ERROR];
    if (c->db_path) {
        if (strlen(c->db_path) >= sizeof(cfg->db_path)) {
            fprintf(stderr, "ophanimflow: --db path is too long\n");
            return CLI_USAGE;
        }
        memcpy(cfg->db_path, c->db_path, strlen(c->db_path) + 1);
    }
    for (size_t i = 0; i < c->nnetworks; i++) {
        if (config_add_network(cfg, c->networks[i], i == 0, err, sizeof(err)) < 0) {
            fprintf(stderr, "ophanimflow: --network %s: %s\n", c->networks[i], err);
            return CLI_USAGE;
        }
    }
    if (c->sampling_rate) {
        uint64_t v;
        if (parse_u64(c->sampling_rate, 1, 1000000000, &v) < 0) {
            fprintf(stderr, "ophanimflow: --sampling-rate must be 1..1000000000, got \"%s\"\n",
                    c->sampling_rate);
            return CLI_USAGE;
        }
        cfg->agg.default_rate = (uint32_t)v;
    }
    return CLI_OK;
}

int cli_load_config(const struct cli_common *c, struct of_config *cfg)
{
    char err[CONFIG_MAX_ERROR];
    if (config_init(cfg) < 0) {
        fprintf(stderr, "ophanimflow: out of memory\n");
        return CLI_FAIL;
    }
    const char *path = c->config_path;
    if (!path && access(OF_DEFAULT_CONFIG, R_OK) == 0)
        path = OF_DEFAULT_CONFIG;
    if (path && config_load(cfg, path, err, sizeof(err)) < 0) {
        fprintf(stderr, "ophanimflow: %s\n", err);
        return CLI_USAGE;
    }
    int rc = apply_overrides(c, cfg);
    if (rc != CLI_OK)
        return rc;
    if (config_finish(cfg) < 0) {
        fprintf(stderr, "ophanimflow: out of memory\n");
        return CLI_FAIL;
    }
    return CLI_OK;
}

int cli_open_store(const struct of_config *cfg, enum cli_store_mode mode, struct store **out)
{
    struct store_cfg sc = {.backend = NULL,
                           .path = cfg->db_path,
                           .readonly = mode == CLI_STORE_READ,
                           .check_write = mode == CLI_STORE_COLLECT};
    int rc = store_open(out, &sc);
    if (rc < 0) {
        fprintf(stderr, "ophanimflow: cannot open the store %s: %s\n", cfg->db_path, strerror(-rc));
        return CLI_FAIL;
    }
    return CLI_OK;
}

int cli_open_app(const struct of_config *cfg, struct appdb **app, struct sqlite3 **db)
{
    struct store *st = NULL;
    *app = NULL;
    *db = NULL;
    if (cli_open_store(cfg, CLI_STORE_WRITE, &st) != CLI_OK)
        return CLI_FAIL;
    (void)store_close(st);
    if (secret_init() < 0) {
        fprintf(stderr, "ophanimflow: libsodium cannot start (no source of random numbers)\n");
        return CLI_FAIL;
    }
    *app = appdb_new(cfg->db_path, 1);
    if (!*app) {
        fprintf(stderr, "ophanimflow: out of memory\n");
        return CLI_FAIL;
    }
    int rc = appdb_get(*app, db);
    if (rc < 0) {
        fprintf(stderr, "ophanimflow: cannot open the store %s: %s\n", cfg->db_path, strerror(-rc));
        return CLI_FAIL;
    }
    return CLI_OK;
}

void cli_close_app(struct appdb *app, struct sqlite3 *db)
{
    if (app)
        appdb_put(app, db, false);
    appdb_free(app);
}
