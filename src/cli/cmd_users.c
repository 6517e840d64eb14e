/* cli/cmd_users.c: `ophanimflow users`: the dashboard's user names, one
 * per line, for scripts and for an operator who forgot them. */
#include <stdio.h>
#include <string.h>

#include "auth/users.h"
#include "cli/cli.h"
#include "store/appdb.h"

static void users_usage(FILE *f)
{
    fputs("usage: ophanimflow users [-c FILE] [--db PATH]\n", f);
}

static int print_user(const char *name, int64_t created, void *arg)
{
    (void)created;
    (void)arg;
    return printf("%s\n", name) < 0 ? -1 : 0;
}

int cmd_users(int argc, char **argv)
{
    struct cli_common common = {0};
    int code;
    if (!cli_common_only(argc, argv, &common, users_usage, 0, 0, &code))
        return code;
    struct of_config cfg;
    struct appdb *app = NULL;
    struct sqlite3 *db = NULL;
    int rc = cli_load_config(&common, &cfg);
    if (rc == CLI_OK)
        rc = cli_open_app(&cfg, &app, &db);
    if (rc == CLI_OK) {
        int e = users_list(db, print_user, NULL);
        if (e < 0) {
            fprintf(stderr, "ophanimflow: reading the users failed: %s\n",
                    e == -1 ? "output error" : strerror(-e));
            rc = CLI_FAIL;
        }
    }
    cli_close_app(app, db);
    config_fini(&cfg);
    return rc;
}
