/* bench/gen_store.c: a store to benchmark the HTTP API against.
 *
 *   bench_gen_store DB [HOSTS]      (HOSTS: 100000 by default)
 *
 * Writes, through store_put_bins as the collector does: for each of HOSTS
 * hosts (10.0.0.1 upwards) one download and one upload bin an hour ago, so
 * that this month's gettraff and /api/v1/hosts list every host; and for
 * 10.0.0.1 and 0.0.0.0 a year of 5-minute bins in both directions ending
 * now, with a daily rhythm, so that the day and year charts of one host
 * read real series (and the store's hourly and daily rollups). Bytes are
 * deterministic (a fixed xorshift), so runs compare. Prints what it wrote
 * and how long it took. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"
#include "util/parse.h"

#define GEN_BATCH     20000
#define GEN_YEAR      (366 * 86400 / BIN_SECONDS)
#define GEN_MAX_HOSTS 16000000

static uint64_t rng = 88172645463325252ull;

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

static void host_addr(struct of_addr *a, uint32_t n)
{
    const uint8_t b[4] = {10, (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n};
    addr_from_v4(a, b);
}

/* Class counters that add up: tcp/udp/icmp split total, web and quic
 * inside tcp and udp. */
static void fill(struct bin_row *r, uint64_t total)
{
    memset(r->bytes, 0, sizeof(r->bytes));
    memset(r->packets, 0, sizeof(r->packets));
    r->bytes[CLASS_TOTAL] = total;
    r->bytes[CLASS_TCP] = total / 10 * 7;
    r->bytes[CLASS_UDP] = total / 10 * 2;
    r->bytes[CLASS_ICMP] = total - r->bytes[CLASS_TCP] - r->bytes[CLASS_UDP];
    r->bytes[CLASS_WEB] = r->bytes[CLASS_TCP] / 4 * 3;
    r->bytes[CLASS_QUIC] = r->bytes[CLASS_UDP] / 2;
    r->bytes[CLASS_DNS] = r->bytes[CLASS_UDP] / 20;
    for (int c = 0; c < CLASS__COUNT; c++)
        r->packets[c] = r->bytes[c] / 1000;
}

static int put(struct store *st, struct bin_row *rows, size_t *n)
{
    if (*n == 0)
        return 0;
    struct bin_batch b = {.rows = rows, .n = *n};
    int rc = store_put_bins(st, &b);
    *n = 0;
    return rc;
}

static int gen_hosts(struct store *st, struct bin_row *rows, uint32_t hosts, int64_t ts)
{
    size_t n = 0;
    uint64_t sum[DIR__COUNT] = {0};
    for (uint32_t h = 1; h <= hosts; h++) {
        for (int d = 0; d < DIR__COUNT; d++) {
            struct bin_row *r = &rows[n++];
            host_addr(&r->host, h);
            r->dir = (uint8_t)d;
            r->ts = ts;
            fill(r, 1000 + next() % (d == DIR_R ? 50000000 : 5000000));
            sum[d] += r->bytes[CLASS_TOTAL];
        }
        if (n >= GEN_BATCH && put(st, rows, &n) < 0)
            return -1;
    }
    for (int d = 0; d < DIR__COUNT; d++) { /* the all-hosts rows of that bin */
        struct bin_row *r = &rows[n++];
        memset(&r->host, 0, sizeof(r->host));
        r->host.af = ADDR_V4;
        r->dir = (uint8_t)d;
        r->ts = ts;
        fill(r, sum[d]);
    }
    return put(st, rows, &n);
}

static int gen_year(struct store *st, struct bin_row *rows, int64_t end)
{
    size_t n = 0;
    int64_t first = end - (int64_t)GEN_YEAR * BIN_SECONDS;
    for (int64_t ts = first; ts < end; ts += BIN_SECONDS) {
        double day = sin((double)(ts % 86400) / 86400.0 * 2 * M_PI - M_PI / 2) + 1.2;
        for (int k = 0; k < 2; k++) { /* 10.0.0.1, then 0.0.0.0 */
            for (int d = 0; d < DIR__COUNT; d++) {
                struct bin_row *r = &rows[n++];
                if (k == 0) {
                    host_addr(&r->host, 1);
                } else {
                    memset(&r->host, 0, sizeof(r->host));
                    r->host.af = ADDR_V4;
                }
                r->dir = (uint8_t)d;
                r->ts = ts;
                double scale = (d == DIR_R ? 30e6 : 3e6) * (k ? 20 : 1);
                fill(r, (uint64_t)(day * scale) + next() % 1000000);
            }
        }
        if (n + 4 > GEN_BATCH && put(st, rows, &n) < 0)
            return -1;
    }
    return put(st, rows, &n);
}

int main(int argc, char **argv)
{
    uint64_t hosts = 100000;
    if (argc < 2 || argc > 3 || (argc == 3 && parse_u64(argv[2], 1, GEN_MAX_HOSTS, &hosts) < 0)) {
        fprintf(stderr, "usage: bench_gen_store DB [HOSTS]   (HOSTS 1..%d, default 100000)\n",
                GEN_MAX_HOSTS);
        return 2;
    }
    struct store_cfg cfg = {.path = argv[1]};
    struct store *st = NULL;
    struct bin_row *rows = calloc(GEN_BATCH + 4, sizeof(*rows));
    if (!rows || store_open(&st, &cfg) < 0) {
        fprintf(stderr, "bench_gen_store: cannot open %s\n", argv[1]);
        free(rows);
        return 1;
    }
    int64_t now = (int64_t)time(NULL);
    int64_t bin = now - now % BIN_SECONDS;
    double t0 = now_s();
    int rc = gen_hosts(st, rows, (uint32_t)hosts, bin - 3600);
    double t1 = now_s();
    if (rc == 0)
        rc = gen_year(st, rows, bin + BIN_SECONDS);
    double t2 = now_s();
    if (store_close(st) < 0)
        rc = -1;
    free(rows);
    if (rc < 0) {
        fprintf(stderr, "bench_gen_store: writing %s failed\n", argv[1]);
        return 1;
    }
    printf("%" PRIu64 " hosts: %" PRIu64 " rows in %.2f s; a year of bins for 10.0.0.1 and "
           "0.0.0.0: %d rows in %.2f s\n",
           hosts, 2 * hosts + 2, t1 - t0, 4 * GEN_YEAR, t2 - t1);
    return 0;
}
