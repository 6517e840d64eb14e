/* cli/cmd_migrate.c: `ophanimflow migrate`: brings an existing store to
 * this program's schema, as the collector does when it opens it, and says
 * which version it holds.
 *
 * The queries open the store read-only and refuse an older schema, so an
 * upgrade migrates with this command (as the service's user, so that any
 * file SQLite creates belongs to it) before it starts the new collector:
 * a failed migration is then seen before the service is down for long. A
 * store that does not exist is an error, not created: a typo in --db must
 * not leave an empty store behind. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

static void migrate_usage(FILE *f)
{
    fputs("usage: ophanimflow migrate [-c FILE] [--db PATH]\n", f);
}

static int migrate_store(const struct of_config *cfg)
{
    if (access(cfg->db_path, F_OK) < 0) {
        fprintf(stderr, "ophanimflow: no store at %s: %s\n", cfg->db_path, strerror(errno));
        return CLI_FAIL;
    }
    struct store *st = NULL;
    struct store_info info;
    int rc = cli_open_store(cfg, CLI_STORE_WRITE, &st);
    if (rc == CLI_OK && store_get_info(st, &info) < 0) {
        fprintf(stderr, "ophanimflow: reading the store %s failed\n", cfg->db_path);
        rc = CLI_FAIL;
    }
    if (rc == CLI_OK)
        printf("%s: schema version %d\n", cfg->db_path, info.schema_version);
    if (store_close(st) < 0 && rc == CLI_OK) {
        fprintf(stderr, "ophanimflow: closing the store failed\n");
        rc = CLI_FAIL;
    }
    return rc;
}

int cmd_migrate(int argc, char **argv)
{
    struct cli_common common = {0};
    int code;
    if (!cli_common_only(argc, argv, &common, migrate_usage, 0, 0, &code))
        return code;
    struct of_config cfg;
    int rc = cli_load_config(&common, &cfg);
    if (rc == CLI_OK)
        rc = migrate_store(&cfg);
    config_fini(&cfg);
    return rc;
}
