/* cli/main.c: `ophanimflow SUBCOMMAND ...`. Each subcommand lives in its
 * own cli/cmd_*.c and takes the common options of cli/cli.h, after its
 * name or before it ("ophanimflow --db PATH users"): options in front are
 * moved behind the name, where the subcommand's own parser reads them. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/log.h"
#include "util/paths.h"

struct subcommand {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *what;
};

static const struct subcommand subcommands[] = {
    {"run", cmd_run, "collect flows (the daemon)"},
    {"import", cmd_import, "account capture files of export packets"},
    {"traff", cmd_traff, "monthly totals per host (the ?module=gettraff JSON)"},
    {"series", cmd_series, "stored 5-minute bins of one host"},
    {"graph", cmd_graph, "a host's traffic chart as PNG (the ?module=graph image)"},
    {"migrate", cmd_migrate, "bring the store to this version's schema"},
    {"users", cmd_users, "the web dashboard's user names"},
    {"passwd", cmd_passwd, "set a dashboard user's password (adds the user if missing)"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: ophanimflow SUBCOMMAND [OPTIONS]\n\n");
    for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
        fprintf(f, "  %-8s %s\n", subcommands[i].name, subcommands[i].what);
    fprintf(f,
            "\nCommon options: -c FILE (default %s), --db PATH,\n"
            "  --network CIDR[=DESCRIPTION] (repeatable), --sampling-rate N\n"
            "`ophanimflow SUBCOMMAND --help` for more.\n",
            OF_DEFAULT_CONFIG);
}

/* The index of the subcommand's name after leading common options, or
 * argc when there is none. */
static int subcommand_index(int argc, char **argv)
{
    static const char *const with_value[] = {"-c", "--config", "--db", "--network",
                                             "--sampling-rate"};
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        int step = 1;
        for (size_t k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++)
            if (strcmp(argv[i], with_value[k]) == 0)
                step = 2;
        i += step;
    }
    return i < argc ? i : argc;
}

int main(int argc, char **argv)
{
    log_set_sink(log_detect_sink());
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("ophanimflow %s\n", OF_VERSION);
        return CLI_OK;
    }
    int sub = subcommand_index(argc, argv);
    if (sub == argc) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (sub > 1) {
        char *name = argv[sub];
        memmove(argv + 2, argv + 1, (size_t)(sub - 1) * sizeof(*argv));
        argv[1] = name;
    }
    for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
        if (strcmp(argv[1], subcommands[i].name) == 0)
            return subcommands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "ophanimflow: unknown subcommand \"%s\"\n\n", argv[1]);
    usage(stderr);
    return CLI_USAGE;
}
