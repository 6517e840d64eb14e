/* cli/cli.h: what the subcommands share: options, config and store. */
#ifndef OF_CLI_CLI_H
#define OF_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "config/config.h"
#include "store/store.h"
#include "util/compiler.h"

/* Exit codes: 0 done, 1 failed, 2 usage or config error. */
#define CLI_OK    0
#define CLI_FAIL  1
#define CLI_USAGE 2

/* Options every subcommand takes, collected before the config is read so
 * that the command line wins over the file. */
struct cli_common {
    const char *config_path; /* -c FILE */
    const char *db_path;     /* --db PATH */
    const char *networks[256];
    size_t nnetworks;          /* --network CIDR[=description] */
    const char *sampling_rate; /* --sampling-rate N */
};

/* getopt_long option codes of the common options (beyond any letter). */
enum cli_opt {
    CLI_OPT_DB = 1000,
    CLI_OPT_NETWORK,
    CLI_OPT_SAMPLING,
    CLI_OPT__NEXT /* first code free for a subcommand's own options */
};

#define CLI_COMMON_LONGOPTS                                                                        \
    {"config", required_argument, NULL, 'c'}, {"db", required_argument, NULL, CLI_OPT_DB},         \
        {"network", required_argument, NULL, CLI_OPT_NETWORK},                                     \
    {                                                                                              \
        "sampling-rate", required_argument, NULL, CLI_OPT_SAMPLING                                 \
    }

/* Takes a common option; true if opt was one. False with a message on
 * stderr and *bad set for a malformed one. */
bool cli_common_opt(struct cli_common *c, int opt, const char *arg, bool *bad);

/* The whole command line of a subcommand whose only options are the
 * common ones, followed by min..max operands (max < 0: any number), which
 * start at optind. False when the caller is to exit with *code: usage was
 * printed, to stdout for -h, else to stderr. */
bool cli_common_only(int argc, char **argv, struct cli_common *c, void (*usage)(FILE *f), int min,
                     int max, int *code);

/* Reads the config file (-c, else the installed one if present), applies
 * the overrides, builds the tables. CLI_OK or CLI_USAGE (message printed). */
int cli_load_config(const struct cli_common *c, struct of_config *cfg);

enum cli_store_mode {
    CLI_STORE_READ,    /* queries */
    CLI_STORE_WRITE,   /* a command that may write (and creates or upgrades the store) */
    CLI_STORE_COLLECT, /* run: the same, and a write must succeed now (store_cfg.check_write) */
};

/* Opens the configured store. CLI_OK or CLI_FAIL. */
int cli_open_store(const struct of_config *cfg, enum cli_store_mode mode, struct store **out);

struct appdb;
struct sqlite3;

/* Opens the dashboard's tables of the configured store for writing (the
 * file is created or upgraded first, as the collector would) and
 * initializes libsodium. CLI_OK or CLI_FAIL (message printed). */
int cli_open_app(const struct of_config *cfg, struct appdb **app, struct sqlite3 **db);

/* Closes what cli_open_app opened; NULL-safe. */
void cli_close_app(struct appdb *app, struct sqlite3 *db);

int cmd_run(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_traff(int argc, char **argv);
int cmd_series(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_users(int argc, char **argv);
int cmd_passwd(int argc, char **argv);

#endif
