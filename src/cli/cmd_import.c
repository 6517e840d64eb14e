/* cli/cmd_import.c: `ophanimflow import CAPTURE...`: captures of export
 * packets accounted as if they had arrived live, then a summary. As live,
 * the local networks are the config's and those added in the dashboard. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "collect/capture.h"
#include "daemon/flush.h"
#include "daemon/ingest.h"
#include "daemon/networks.h"
#include "store/appdb.h"

static void import_usage(FILE *f)
{
    fputs("usage: ophanimflow import [-c FILE] [--db PATH] [--network CIDR[=DESC]]...\n"
          "                          [--sampling-rate N] CAPTURE.pcap...\n",
          f);
}

static void print_exporter(const struct exporter *e)
{
    char a[ADDR_STRLEN];
    printf("exporter %s", addr_format(&e->addr, a, sizeof(a)));
    if (e->rate)
        printf(" (sampling 1:%u)", e->rate);
    printf("\n");
    for (size_t p = 0; p < FLOW_PROTO__COUNT; p++)
        if (e->st.packets[p])
            printf("  %-9s %llu packets, %llu records, %llu bytes\n",
                   flow_proto_name((enum flow_proto)p), (unsigned long long)e->st.packets[p],
                   (unsigned long long)e->st.records[p], (unsigned long long)e->st.bytes[p]);
    for (size_t s = 1; s < DEC__COUNT; s++)
        if (e->st.dec_err[s])
            printf("  error %-20s %llu\n", dec_status_name((enum dec_status)s),
                   (unsigned long long)e->st.dec_err[s]);
}

static void print_summary(struct ingest *in, const struct capture_stats *cs)
{
    struct exporter_tab *t = ingest_exporters(in);
    uint64_t pkts = 0, recs = 0, bytes = 0, errs = 0;
    for (size_t i = 0; i < exporter_tab_count(t); i++) {
        const struct exporter *e = exporter_tab_at(t, i);
        print_exporter(e);
        for (size_t p = 0; p < FLOW_PROTO__COUNT; p++) {
            pkts += e->st.packets[p];
            recs += e->st.records[p];
            bytes += e->st.bytes[p];
        }
        for (size_t s = 1; s < DEC__COUNT; s++)
            errs += e->st.dec_err[s];
    }
    const struct agg_stats *as = ingest_agg_stats(in);
    printf("frames %llu, datagrams %llu\n", (unsigned long long)cs->frames,
           (unsigned long long)cs->datagrams);
    for (size_t s = 1; s < DEC__COUNT; s++)
        if (cs->skipped[s])
            printf("skipped frames %-20s %llu\n", dec_status_name((enum dec_status)s),
                   (unsigned long long)cs->skipped[s]);
    printf("total: %llu packets, %llu records, %llu bytes, %llu errors\n", (unsigned long long)pkts,
           (unsigned long long)recs, (unsigned long long)bytes, (unsigned long long)errs);
    printf("accounted %llu records, transit %llu, clock off %llu, span clamped %llu, "
           "dropped (full) %llu, absurd %llu\n",
           (unsigned long long)as->records, (unsigned long long)as->transit,
           (unsigned long long)as->clock_off, (unsigned long long)as->span_clamped,
           (unsigned long long)as->dropped_full, (unsigned long long)as->absurd);
}

/* The networks to account with: the config's and those added in the web
 * dashboard, as the collector has them. */
static int import_nets(const struct of_config *cfg, struct nets **out)
{
    struct appdb *app = appdb_new(cfg->db_path, 1);
    int rc = app ? networks_union(cfg->nets, app, out) : -ENOMEM;
    appdb_free(app);
    if (rc < 0) {
        fprintf(stderr, "ophanimflow: cannot read the networks of %s: %s\n", cfg->db_path,
                strerror(-rc));
        return CLI_FAIL;
    }
    return CLI_OK;
}

struct import_ctx {
    struct ingest *in;
    struct store *st;
};

/* One datagram of a capture, accounted as if it had arrived live; the
 * store is written whenever the agg fills. Called with the ingest locked. */
static int import_datagram(void *arg, const struct of_addr *from, const uint8_t *p, size_t len,
                           uint64_t arrival_ms)
{
    struct import_ctx *ctx = arg;
    ingest_datagram(ctx->in, from, p, len, arrival_ms);
    if (!ingest_needs_flush(ctx->in))
        return 0;
    return flush_agg(ctx->st, ingest_agg(ctx->in), NULL);
}

static int import_file(const char *path, struct import_ctx *ctx, struct capture_stats *cs)
{
    char err[512] = "";
    ingest_lock(ctx->in);
    int rc = capture_read(path, import_datagram, ctx, cs, err, sizeof(err));
    ingest_unlock(ctx->in);
    if (rc == -EIO && err[0])
        fprintf(stderr, "ophanimflow: %s\n", err);
    else if (rc < 0)
        fprintf(stderr, "ophanimflow: %s: writing to the store failed (%s)\n", path, strerror(-rc));
    return rc < 0 ? CLI_FAIL : CLI_OK;
}

static int import_files(const struct of_config *cfg, struct store *st, char **files, int n)
{
    struct hash_key key;
    hash_key_random(&key);
    struct nets *nets = NULL;
    if (import_nets(cfg, &nets) != CLI_OK)
        return CLI_FAIL;
    struct agg_budget budget;
    agg_budget_init(&budget, cfg->counters_memory);
    struct ingest *in = ingest_new(cfg, &budget, &key);
    if (!in) {
        fprintf(stderr, "ophanimflow: out of memory\n");
        nets_free(nets);
        return CLI_FAIL;
    }
    ingest_lock(in);
    ingest_use_nets(in, nets);
    ingest_unlock(in);
    struct capture_stats cs = {0};
    struct import_ctx ctx = {in, st};
    int rc = CLI_OK;
    for (int i = 0; i < n && rc == CLI_OK; i++)
        rc = import_file(files[i], &ctx, &cs);
    ingest_lock(in);
    int frc = flush_agg(st, ingest_agg(in), NULL);
    ingest_unlock(in);
    if (frc < 0) {
        fprintf(stderr, "ophanimflow: writing to the store failed: %s\n", strerror(-frc));
        rc = CLI_FAIL;
    }
    print_summary(in, &cs);
    ingest_free(in);
    nets_free(nets);
    return rc;
}

int cmd_import(int argc, char **argv)
{
    struct cli_common common = {0};
    int code;
    if (!cli_common_only(argc, argv, &common, import_usage, 1, -1, &code))
        return code;
    struct of_config cfg;
    struct store *st = NULL;
    int rc = cli_load_config(&common, &cfg);
    if (rc == CLI_OK)
        rc = cli_open_store(&cfg, CLI_STORE_WRITE, &st);
    if (rc == CLI_OK)
        rc = import_files(&cfg, st, argv + optind, argc - optind);
    if (store_close(st) < 0 && rc == CLI_OK) {
        fprintf(stderr, "ophanimflow: closing the store failed\n");
        rc = CLI_FAIL;
    }
    config_fini(&cfg);
    return rc;
}
