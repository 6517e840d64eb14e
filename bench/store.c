/* bench/store.c: the store's write rate and size, as the collector uses it.
 *
 *   bench_store [--hosts N] [--bins B] [--writes W] [--runs R] [--db PATH]
 *               [--keep-db]
 *
 * Plays the collector's writer: every flush hands store_put_bins one batch
 * with a download and an upload row of the current 5-minute bin for every
 * host (each with its own mix of classes) and the two 0.0.0.0 rows that
 * sum them. Each bin is written W times (the first write of a bin inserts
 * its rows, the later ones add to them, as the collector's flushes every
 * FLUSH_INTERVAL do), for B consecutive bins starting at an hour, so that
 * the hourly and daily rollups are kept as they are in use. Reports the
 * rows per second of first and of later writes (a row is one host,
 * direction and bin, as the collector counts them), medians of R runs each
 * on a fresh file, and the file's size per row once all is written: the
 * bins with their share of the rollups, monthly totals and hosts.
 * Counters come from a fixed xorshift, so runs compare. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "conditions.h"
#include "store/store.h"
#include "util/parse.h"

#define MAX_RUNS 15

struct opts {
    uint64_t hosts;
    uint64_t bins;
    uint64_t writes;
    uint64_t runs;
    const char *db;
    bool keep;
};

struct result {
    double first_rps; /* rows/s of the first write of each bin */
    double later_rps; /* rows/s of the other writes */
    double bytes_per_row;
};

static uint64_t rng;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A host's share of one flush: total split over tcp/udp/icmp, web inside
 * tcp, quic and dns inside udp, and now and then mail, vpn or sip; packets
 * at 500 to 1500 bytes each. */
static void fill(struct bin_row *r, uint64_t total)
{
    memset(r->bytes, 0, sizeof(r->bytes));
    memset(r->packets, 0, sizeof(r->packets));
    uint64_t x = next();
    r->bytes[CLASS_TOTAL] = total;
    r->bytes[CLASS_TCP] = total / 100 * (60 + x % 30);
    r->bytes[CLASS_UDP] = (total - r->bytes[CLASS_TCP]) / 10 * 9;
    r->bytes[CLASS_ICMP] = total - r->bytes[CLASS_TCP] - r->bytes[CLASS_UDP];
    r->bytes[CLASS_WEB] = r->bytes[CLASS_TCP] / 100 * (50 + (x >> 8) % 40);
    r->bytes[CLASS_QUIC] = r->bytes[CLASS_UDP] / 100 * ((x >> 16) % 80);
    r->bytes[CLASS_DNS] = r->bytes[CLASS_UDP] / 100 * (1 + (x >> 24) % 5);
    static const enum traffic_class rare[] = {CLASS_MAIL, CLASS_VPN, CLASS_SIP};
    if ((x >> 32) % 4 == 0)
        r->bytes[rare[(x >> 36) % 3]] = r->bytes[CLASS_TCP] / 20;
    for (int c = 0; c < CLASS__COUNT; c++)
        r->packets[c] = r->bytes[c] / (500 + (x >> 40) % 1000);
}

/* Host n's address in 10.0.0.0/8. An odd multiplier is a bijection of 24
 * bits, so the hosts stay distinct while their order is scrambled, as an
 * agg, which keeps rows in hash order, hands them over. */
static void host_row(struct bin_row *r, uint32_t h, int dir, int64_t ts)
{
    uint32_t n = (h * 2654435761u) & 0xffffffu;
    const uint8_t b[4] = {10, (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n};
    addr_from_v4(&r->host, b);
    r->dir = (uint8_t)dir;
    r->ts = ts;
    fill(r, 1000 + next() % (dir == DIR_R ? 20000000 : 2000000));
}

/* One flush: every host's two rows of bin ts, and the two 0.0.0.0 rows. */
static int flush(struct store *st, struct bin_row *rows, uint64_t hosts, int64_t ts)
{
    size_t n = 0;
    uint64_t sum[DIR__COUNT] = {0, 0};
    for (uint32_t h = 1; h <= hosts; h++)
        for (int d = 0; d < DIR__COUNT; d++) {
            host_row(&rows[n], h, d, ts);
            sum[d] += rows[n++].bytes[CLASS_TOTAL];
        }
    for (int d = 0; d < DIR__COUNT; d++) {
        struct bin_row *r = &rows[n++];
        memset(&r->host, 0, sizeof(r->host));
        r->host.af = ADDR_V4;
        r->dir = (uint8_t)d;
        r->ts = ts;
        fill(r, sum[d]);
    }
    struct bin_batch b = {.rows = rows, .n = n};
    return store_put_bins(st, &b);
}

static uint64_t file_bytes(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (uint64_t)sb.st_size : 0;
}

static int run_once(const struct opts *o, struct bin_row *rows, struct result *res)
{
    char wal[4096];
    snprintf(wal, sizeof(wal), "%s-wal", o->db);
    unlink(o->db);
    unlink(wal);
    rng = 88172645463325252ull;
    struct store_cfg cfg = {.path = o->db};
    struct store *st = NULL;
    if (store_open(&st, &cfg) < 0)
        return -1;
    int64_t t = (int64_t)time(NULL) - 2 * 86400;
    int64_t start = t - t % 3600;
    double first = 0, later = 0;
    int rc = 0;
    for (uint64_t b = 0; b < o->bins && rc == 0; b++)
        for (uint64_t w = 0; w < o->writes && rc == 0; w++) {
            double t0 = now_s();
            rc = flush(st, rows, o->hosts, start + (int64_t)b * BIN_SECONDS);
            *(w == 0 ? &first : &later) += now_s() - t0;
        }
    if (store_close(st) < 0 || rc < 0)
        return -1;
    double nrows = 2.0 * (double)o->hosts * (double)o->bins;
    res->first_rps = nrows / first;
    res->later_rps = o->writes > 1 ? nrows * (double)(o->writes - 1) / later : 0;
    res->bytes_per_row = (double)(file_bytes(o->db) + file_bytes(wal)) / nrows;
    if (!o->keep)
        unlink(o->db);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof(*v), cmp_double);
    return v[n / 2];
}

static int parse_args(int argc, char **argv, struct opts *o)
{
    static const struct option longopts[] = {
        {"hosts", required_argument, NULL, 'n'},
        {"bins", required_argument, NULL, 'b'},
        {"writes", required_argument, NULL, 'w'},
        {"runs", required_argument, NULL, 'r'},
        {"db", required_argument, NULL, 'd'},
        {"keep-db", no_argument, NULL, 'k'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        int rc = 0;
        switch (opt) {
        case 'n':
            rc = parse_u64(optarg, 1, 16000000, &o->hosts);
            break;
        case 'b':
            rc = parse_u64(optarg, 1, 100000, &o->bins);
            break;
        case 'w':
            rc = parse_u64(optarg, 1, 100, &o->writes);
            break;
        case 'r':
            rc = parse_u64(optarg, 1, MAX_RUNS, &o->runs);
            break;
        case 'd':
            o->db = optarg;
            break;
        case 'k':
            o->keep = true;
            break;
        default:
            rc = -1;
        }
        if (rc < 0)
            return -1;
    }
    return optind == argc ? 0 : -1;
}

int main(int argc, char **argv)
{
    char db[64];
    snprintf(db, sizeof(db), "/tmp/bench_store.%ld.db", (long)getpid());
    struct opts o = {.hosts = 100000, .bins = 3, .writes = 3, .runs = 3, .db = db};
    if (parse_args(argc, argv, &o) < 0) {
        fprintf(stderr, "usage: bench_store [--hosts N] [--bins B] [--writes W] [--runs R]"
                        " [--db PATH] [--keep-db]\n");
        return 2;
    }
    struct bin_row *rows = calloc(2 * o.hosts + 2, sizeof(*rows));
    if (!rows)
        return 1;
    bench_print_conditions();
    printf("%" PRIu64 " hosts, 2 rows each per bin, %" PRIu64 " bins from an hour's start, "
           "%" PRIu64 " writes per bin, %" PRIu64 " runs on a fresh file each\n",
           o.hosts, o.bins, o.writes, o.runs);
    double first[MAX_RUNS], later[MAX_RUNS], size[MAX_RUNS];
    for (uint64_t r = 0; r < o.runs; r++) {
        struct result res;
        if (run_once(&o, rows, &res) < 0) {
            fprintf(stderr, "bench_store: writing %s failed\n", o.db);
            free(rows);
            return 1;
        }
        printf("run %" PRIu64 ": first writes %.0f rows/s, later writes %.0f rows/s, "
               "%.1f bytes per row\n",
               r + 1, res.first_rps, res.later_rps, res.bytes_per_row);
        first[r] = res.first_rps;
        later[r] = res.later_rps;
        size[r] = res.bytes_per_row;
    }
    printf("median: first writes %.0f rows/s, later writes %.0f rows/s, %.1f bytes per row "
           "(bins, rollups, monthly totals and hosts)\n",
           median(first, o.runs), median(later, o.runs), median(size, o.runs));
    free(rows);
    return 0;
}
