/* cli/main.c: `ophanimflow SUBCOMMAND ...`. Each subcommand lives in its
 * own cli/cmd_*.c and takes the common options of cli/cli.h. */
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
    for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
        if (strcmp(argv[1], subcommands[i].name) == 0)
            return subcommands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "ophanimflow: unknown subcommand \"%s\"\n\n", argv[1]);
    usage(stderr);
    return CLI_USAGE;
}
