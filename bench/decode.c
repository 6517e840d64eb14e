/* bench/decode.c: decode + account throughput per protocol, memory per
 * tracked host, and store write speed.
 *
 * For each protocol the datagrams are built in memory first (pktgen.h), then
 * fed, over and over for --seconds, through ingest_datagram on this one
 * thread: the path live traffic takes after recvmmsg (exporter lookup,
 * decoder, classification, agg), locked once per 64 datagrams as a daemon
 * worker locks once per receive batch. No socket is involved, so the figure
 * is what one core can account, not what the kernel can deliver. As in the
 * daemon, the timed run starts on an emptied table that an untimed pass
 * grew, not on new memory. A decode-only pass (dispatch_datagram into a
 * batch that is thrown away) is measured beside it as the baseline that
 * shows what accounting adds.
 *
 * Memory is measured, not computed: the resident set grows by what the agg
 * and the ingest touch, divided by the rows and the distinct hosts they
 * hold. The agg is then written to a real SQLite store twice: once into an
 * empty file (inserts) and once more after another pass over the same
 * datagrams (the same rows again: updates). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conditions.h"
#include "daemon/flush.h"
#include "daemon/ingest.h"
#include "decode/dispatch.h"
#include "decode/templates.h"
#include "pktgen.h"
#include "store/store.h"
#include "util/parse.h"

#define BENCH_LOCK_EVERY 64        /* datagrams per lock, as one receive batch */
#define BENCH_TARGET_RPS 5000000.0 /* the target for v5, v9 and IPFIX */
#define BENCH_SEED       42
#define BENCH_TPL_EVERY  1000

struct bench_opts {
    double seconds;
    uint32_t nhosts;
    size_t nrecords;
    bool protos[PKTGEN__COUNT];
    char db[1024];
    bool store;
    bool keep_db;
};

/* The datagrams of one protocol, built once. */
struct dgram_set {
    enum pktgen_proto proto;
    uint8_t *buf; /* n * PKTGEN_MAX_DGRAM */
    size_t *len;
    size_t n;
    struct pktgen_sums sums; /* of one pass over all n */
    uint64_t now_ms;         /* the arrival time they are accounted at */
};

struct result {
    double dec_rps;    /* decode only */
    double acct_rps;   /* decode + account */
    uint64_t records;  /* decoded in the timed decode + account run */
    uint64_t expected; /* what the datagrams hold */
    uint64_t errors;   /* decode errors */
    size_t rows;
    size_t hosts;
    long rss_delta;
    double insert_rps; /* store rows/s; 0 when not measured */
    double update_rps;
    size_t store_rows;
    struct agg_stats st;
};

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Resident set in bytes: /proc/self/statm where there is one, else the
 * peak from getrusage (which can only grow, so deltas then understate). */
static long rss_bytes(void)
{
    long resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        char line[128];
        char *end = NULL;
        /* "size resident shared ...", in pages */
        if (fgets(line, sizeof(line), f) && strtol(line, &end, 10) >= 0 && end)
            resident = strtol(end, NULL, 10);
        fclose(f);
        if (resident > 0)
            return resident * sysconf(_SC_PAGESIZE);
    }
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) < 0)
        return 0;
    return ru.ru_maxrss * 1024L;
}

static void dgram_set_free(struct dgram_set *d)
{
    free(d->buf);
    free(d->len);
    d->buf = NULL;
    d->len = NULL;
}

/* Datagrams needed for at least o->nrecords records: each protocol's
 * datagrams hold at least this many (a template takes a record's room). */
static size_t dgrams_needed(enum pktgen_proto proto, size_t nrecords)
{
    static const size_t min_records[PKTGEN__COUNT] = {PKTGEN_V5_RECORDS, 31, 23,
                                                      PKTGEN_SFLOW_SAMPLES};
    return (nrecords + min_records[proto] - 1) / min_records[proto];
}

static int dgram_set_build(struct dgram_set *d, enum pktgen_proto proto, const struct bench_opts *o)
{
    struct pktgen g;
    size_t n = dgrams_needed(proto, o->nrecords);
    memset(d, 0, sizeof(*d));
    d->proto = proto;
    d->now_ms = wall_ms();
    d->buf = malloc(n * PKTGEN_MAX_DGRAM);
    d->len = calloc(n, sizeof(*d->len));
    if (!d->buf || !d->len) {
        dgram_set_free(d);
        return -ENOMEM;
    }
    pktgen_init(&g, BENCH_SEED + (uint64_t)proto, 0x0a000000u, o->nhosts, d->now_ms);
    for (size_t i = 0; i < n; i++) {
        struct pktgen_sums s;
        uint8_t *p = d->buf + i * PKTGEN_MAX_DGRAM;
        size_t len = pktgen_build(&g, proto, i, BENCH_TPL_EVERY, p, PKTGEN_MAX_DGRAM, &s);
        if (len == 0) {
            dgram_set_free(d);
            return -EOVERFLOW;
        }
        pktgen_stamp(proto, p, len, i, d->sums.records);
        d->len[i] = len;
        pktgen_sums_add(&d->sums, &s);
    }
    d->n = n;
    return 0;
}

static void ingest_pass(struct ingest *in, const struct dgram_set *d, const struct of_addr *from)
{
    for (size_t i = 0; i < d->n; i += BENCH_LOCK_EVERY) {
        size_t end = i + BENCH_LOCK_EVERY < d->n ? i + BENCH_LOCK_EVERY : d->n;
        ingest_lock(in);
        for (size_t k = i; k < end; k++)
            ingest_datagram(in, from, d->buf + k * PKTGEN_MAX_DGRAM, d->len[k], d->now_ms);
        ingest_unlock(in);
    }
}

/* Passes over the set until `seconds` have gone by; returns the rate in
 * records per second of what the datagrams hold. */
static double ingest_timed(struct ingest *in, const struct dgram_set *d, const struct of_addr *from,
                           double seconds, uint64_t *passes)
{
    double t0 = mono_s(), el;
    *passes = 0;
    do {
        ingest_pass(in, d, from);
        (*passes)++;
        el = mono_s() - t0;
    } while (el < seconds);
    return (double)(*passes * d->sums.records) / el;
}

/* The baseline: the decoders alone, records thrown away. */
static double decode_only(const struct bench_opts *o, const struct dgram_set *d,
                          const struct hash_key *key, const struct of_addr *from)
{
    double rps = 0;
    struct exporter_tab *t = exporter_tab_new(16, key);
    struct tpl_cache *c = tpl_cache_new(0, key);
    struct flow_rec *recs = calloc(INGEST_MAX_RECORDS, sizeof(*recs));
    struct exporter *e = t ? exporter_get(t, from) : NULL;
    if (!c || !recs || !e)
        goto out;
    uint64_t passes = 0;
    double t0 = mono_s(), el;
    do {
        for (size_t i = 0; i < d->n; i++) {
            struct flow_batch b = {recs, 0, INGEST_MAX_RECORDS};
            struct dec_ctx ctx = {e, c, &b, d->now_ms};
            (void)dispatch_datagram(&ctx, d->buf + i * PKTGEN_MAX_DGRAM, d->len[i]);
        }
        passes++;
        el = mono_s() - t0;
    } while (el < o->seconds / 2);
    rps = (double)(passes * d->sums.records) / el;
out:
    free(recs);
    tpl_cache_free(c);
    exporter_tab_free(t);
    return rps;
}

static void exporter_counts(struct ingest *in, uint64_t *records, uint64_t *errors)
{
    struct exporter_tab *t = ingest_exporters(in);
    *records = *errors = 0;
    for (size_t i = 0; i < exporter_tab_count(t); i++) {
        const struct exporter *e = exporter_tab_at(t, i);
        for (size_t p = 0; p < FLOW_PROTO__COUNT; p++)
            *records += e->st.records[p];
        for (size_t s = 1; s < DEC__COUNT; s++)
            *errors += e->st.dec_err[s];
    }
}

/* Distinct local hosts among the agg's rows (the 0.0.0.0 sums left out). */
static int count_hosts(struct agg *a, uint32_t nhosts, size_t *hosts)
{
    struct bin_batch b;
    int rc = agg_rows(a, &b);
    if (rc < 0)
        return rc;
    uint8_t *seen = calloc(nhosts, 1);
    if (!seen)
        return -ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < b.n; i++) {
        const struct of_addr *h = &b.rows[i].host;
        if (h->af != ADDR_V4)
            continue;
        uint32_t v =
            (uint32_t)h->b[0] << 24 | (uint32_t)h->b[1] << 16 | (uint32_t)h->b[2] << 8 | h->b[3];
        uint32_t idx = v - 0x0a000000u;
        if (idx < nhosts && !seen[idx]) {
            seen[idx] = 1;
            n++;
        }
    }
    free(seen);
    *hosts = n;
    return 0;
}

static void remove_db(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < OF_ARRAY_LEN(suffixes); i++) {
        char p[1100];
        int n = snprintf(p, sizeof(p), "%s%s", path, suffixes[i]);
        if (n > 0 && (size_t)n < sizeof(p))
            (void)unlink(p);
    }
}

/* Writes the agg to a fresh store (inserts), refills it with one more pass
 * and writes again (the same rows: updates). */
static int store_bench(const struct bench_opts *o, struct ingest *in, const struct dgram_set *d,
                       const struct of_addr *from, struct result *r)
{
    struct store *st = NULL;
    struct store_cfg sc = {.backend = NULL, .path = o->db, .readonly = 0};
    remove_db(o->db);
    int rc = store_open(&st, &sc);
    if (rc < 0)
        goto out;
    size_t rows = 0;
    double t0 = mono_s();
    rc = flush_agg(st, ingest_agg(in), &rows);
    if (rc < 0)
        goto out;
    double t1 = mono_s();
    r->store_rows = rows;
    r->insert_rps = (double)rows / (t1 - t0);
    ingest_pass(in, d, from);
    t0 = mono_s();
    rc = flush_agg(st, ingest_agg(in), &rows);
    if (rc < 0)
        goto out;
    r->update_rps = (double)rows / (mono_s() - t0);
out:
    if (store_close(st) < 0 && rc == 0)
        rc = -EIO;
    if (!o->keep_db)
        remove_db(o->db);
    return rc;
}

static int bench_proto(const struct bench_opts *o, const struct of_config *cfg,
                       const struct hash_key *key, const struct dgram_set *d, struct result *r)
{
    struct of_addr from;
    int rc = addr_parse("192.0.2.1", &from);
    if (rc < 0)
        return rc;
    memset(r, 0, sizeof(*r));
    r->dec_rps = decode_only(o, d, key, &from);
    long rss0 = rss_bytes();
    struct ingest *in = ingest_new(cfg, NULL, key);
    if (!in)
        return -ENOMEM;
    /* In the daemon a worker's table is emptied after each write and used
     * again (flush_worker), so in the steady state it neither grows nor
     * touches new memory. Likewise here: one untimed pass grows the table,
     * which is then emptied for the timed run. */
    ingest_pass(in, d, &from);
    struct agg *spare = agg_new(&cfg->agg, NULL, key);
    if (!spare) {
        ingest_free(in);
        return -ENOMEM;
    }
    struct agg *warm = ingest_swap_agg(in, spare);
    agg_reset(warm);
    agg_free(ingest_swap_agg(in, warm));
    uint64_t passes = 0;
    r->acct_rps = ingest_timed(in, d, &from, o->seconds, &passes);
    r->rss_delta = rss_bytes() - rss0;
    r->expected = (passes + 1) * d->sums.records;
    exporter_counts(in, &r->records, &r->errors);
    r->st = *ingest_agg_stats(in);
    r->rows = agg_count(ingest_agg(in));
    rc = count_hosts(ingest_agg(in), o->nhosts, &r->hosts);
    if (rc == 0 && o->store) {
        rc = store_bench(o, in, d, &from, r);
        if (rc < 0) {
            fprintf(stderr, "bench_decode: store %s: %s (store figures left out)\n", o->db,
                    strerror(-rc));
            rc = 0;
        }
    }
    ingest_free(in);
    return rc;
}

static void print_header(const struct bench_opts *o)
{
    printf("decode + account on one thread, %.1f s per protocol, %" PRIu32
           " local hosts from 10.0.0.0, %zu distinct records per protocol\n\n",
           o->seconds, o->nhosts, o->nrecords);
    printf("%-6s %7s %12s %12s %8s %9s %7s %8s %9s %9s %10s %10s\n", "proto", "rec/dg",
           "decode r/s", "acct r/s", "ns/rec", "x target", "hosts", "rows", "B/row", "B/host",
           "ins rows/s", "upd rows/s");
}

static void print_result(const struct dgram_set *d, const struct result *r)
{
    double per_dgram = (double)d->sums.records / (double)d->n;
    bool nf = d->proto != PKTGEN_SFLOW;
    char target[16];
    if (nf)
        (void)snprintf(target, sizeof(target), "%.2f", r->acct_rps / BENCH_TARGET_RPS);
    else
        (void)snprintf(target, sizeof(target), "-");
    printf("%-6s %7.1f %12.0f %12.0f %8.1f %9s %7zu %8zu %9.0f %9.0f %10.0f %10.0f\n",
           pktgen_proto_names[d->proto], per_dgram, r->dec_rps, r->acct_rps, 1e9 / r->acct_rps,
           target, r->hosts, r->rows, r->rows ? (double)r->rss_delta / (double)r->rows : 0.0,
           r->hosts ? (double)r->rss_delta / (double)r->hosts : 0.0, r->insert_rps, r->update_rps);
    if (r->records != r->expected || r->errors || r->st.clock_off || r->st.dropped_full)
        printf("  ! %s: decoded %" PRIu64 " of %" PRIu64 " records, %" PRIu64
               " decode errors, %" PRIu64 " clock_off, %" PRIu64 " dropped_full\n",
               pktgen_proto_names[d->proto], r->records, r->expected, r->errors, r->st.clock_off,
               r->st.dropped_full);
}

static void usage(FILE *f)
{
    fputs("usage: bench_decode [--seconds S] [--hosts N] [--records N] [--proto LIST]\n"
          "                    [--db PATH] [--no-store] [--keep-db]\n"
          "  --seconds S     timed run per protocol (default 3; the decode-only baseline\n"
          "                  takes half as long again)\n"
          "  --hosts N       local hosts, from 10.0.0.0 (default 65536)\n"
          "  --records N     distinct records built per protocol, fed round and round\n"
          "                  (default 245760: every host several times)\n"
          "  --proto LIST    comma-separated: v5,v9,ipfix,sflow (default all)\n"
          "  --db PATH       SQLite file for the store figures (default /tmp/bench_decode.PID.db)\n"
          "  --no-store      skip the store figures\n"
          "  --keep-db       leave the database file behind\n",
          f);
}

static int parse_protos(const char *arg, struct bench_opts *o)
{
    char buf[64];
    int n = snprintf(buf, sizeof(buf), "%s", arg);
    if (n < 0 || (size_t)n >= sizeof(buf))
        return -EINVAL;
    memset(o->protos, 0, sizeof(o->protos));
    char *p = buf;
    while (*p) {
        size_t len = strcspn(p, ",");
        char save = p[len];
        p[len] = '\0';
        int proto = pktgen_proto_parse(p);
        if (proto < 0)
            return -EINVAL;
        o->protos[proto] = true;
        p += len + (save ? 1 : 0);
    }
    return 0;
}

enum { OPT_SECONDS = 1000, OPT_HOSTS, OPT_RECORDS, OPT_PROTO, OPT_DB, OPT_NO_STORE, OPT_KEEP_DB };

static int parse_opt(struct bench_opts *o, int opt, const char *arg)
{
    uint64_t v = 0;
    switch (opt) {
    case OPT_SECONDS:
        if (parse_u64(arg, 1, 3600, &v) < 0)
            return -EINVAL;
        o->seconds = (double)v;
        return 0;
    case OPT_HOSTS:
        if (parse_u64(arg, 1, 1u << 24, &v) < 0)
            return -EINVAL;
        o->nhosts = (uint32_t)v;
        return 0;
    case OPT_RECORDS:
        if (parse_u64(arg, 1, 1u << 24, &v) < 0)
            return -EINVAL;
        o->nrecords = (size_t)v;
        return 0;
    case OPT_PROTO:
        return parse_protos(arg, o);
    case OPT_DB: {
        int n = snprintf(o->db, sizeof(o->db), "%s", arg);
        return n > 0 && (size_t)n < sizeof(o->db) ? 0 : -EINVAL;
    }
    case OPT_NO_STORE:
        o->store = false;
        return 0;
    case OPT_KEEP_DB:
        o->keep_db = true;
        return 0;
    default:
        return -EINVAL;
    }
}

static int parse_args(int argc, char **argv, struct bench_opts *o)
{
    static const struct option longopts[] = {{"seconds", required_argument, NULL, OPT_SECONDS},
                                             {"hosts", required_argument, NULL, OPT_HOSTS},
                                             {"records", required_argument, NULL, OPT_RECORDS},
                                             {"proto", required_argument, NULL, OPT_PROTO},
                                             {"db", required_argument, NULL, OPT_DB},
                                             {"no-store", no_argument, NULL, OPT_NO_STORE},
                                             {"keep-db", no_argument, NULL, OPT_KEEP_DB},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    memset(o, 0, sizeof(*o));
    o->seconds = 3;
    o->nhosts = 65536;
    o->nrecords = 245760;
    o->store = true;
    for (int i = 0; i < PKTGEN__COUNT; i++)
        o->protos[i] = true;
    (void)snprintf(o->db, sizeof(o->db), "/tmp/bench_decode.%ld.db", (long)getpid());
    int opt;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (opt == 'h') {
            usage(stdout);
            exit(0);
        }
        if (parse_opt(o, opt, optarg) < 0) {
            fprintf(stderr, "bench_decode: bad value for an option: %s\n", optarg ? optarg : "");
            usage(stderr);
            return -EINVAL;
        }
    }
    return optind == argc ? 0 : -EINVAL;
}

/* The daemon's configuration with the benchmark's network and sampling 1,
 * so that counted bytes are the bytes in the records. */
static int bench_config(struct of_config *cfg, uint32_t nhosts)
{
    char err[CONFIG_MAX_ERROR];
    int rc = config_init(cfg);
    if (rc < 0)
        return rc;
    const char *net = nhosts <= 65536 ? "10.0.0.0/16=bench" : "10.0.0.0/8=bench";
    rc = config_add_network(cfg, net, true, err, sizeof(err));
    if (rc < 0) {
        fprintf(stderr, "bench_decode: %s\n", err);
        return rc;
    }
    cfg->agg.default_rate = 1;
    return config_finish(cfg);
}

/* Runs one protocol in a child process, so that each starts from a fresh
 * heap: memory a previous protocol freed to the allocator (but not to the
 * system) would otherwise hide the next one's growth. */
static int run_isolated(const struct bench_opts *o, const struct of_config *cfg,
                        const struct hash_key *key, enum pktgen_proto p)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return -errno;
    if (pid == 0) {
        struct dgram_set d;
        struct result r;
        int rc = dgram_set_build(&d, p, o);
        if (rc == 0)
            rc = bench_proto(o, cfg, key, &d, &r);
        if (rc == 0)
            print_result(&d, &r);
        else
            fprintf(stderr, "bench_decode: %s: %s\n", pktgen_proto_names[p], strerror(-rc));
        dgram_set_free(&d);
        fflush(stdout);
        _exit(rc < 0 ? 1 : 0);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -errno;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ECHILD;
}

int main(int argc, char **argv)
{
    struct bench_opts o;
    struct of_config cfg;
    struct hash_key key;
    int rc = parse_args(argc, argv, &o);
    if (rc < 0)
        return 2;
    rc = bench_config(&cfg, o.nhosts);
    if (rc < 0) {
        fprintf(stderr, "bench_decode: config: %s\n", strerror(-rc));
        config_fini(&cfg);
        return 1;
    }
    hash_key_from_seed(&key, BENCH_SEED);
    bench_print_conditions();
    print_header(&o);
    int failed = 0;
    for (int p = 0; p < PKTGEN__COUNT; p++)
        if (o.protos[p] && run_isolated(&o, &cfg, &key, (enum pktgen_proto)p) < 0)
            failed++;
    printf("\nrec/dg: records per datagram. decode r/s: decoders alone (baseline); acct r/s:\n"
           "decode + account (ingest_datagram), one core. x target: acct r/s / 5,000,000.\n"
           "B/row, B/host: resident memory added per agg row (host, direction, bin) and per\n"
           "distinct local host. ins/upd rows/s: agg rows written to SQLite (new / existing).\n");
    config_fini(&cfg);
    return failed ? 1 : 0;
}
