/* Tests of account/agg.c: direction, classes, sampling, time binning. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "account/agg.h"

#define T0 1715680800000ull /* 2024-05-14 10:00:00 UTC, a bin start */

struct fixture {
    struct nets *nets;
    struct classifier cls;
    struct agg_cfg cfg;
    struct agg *agg;
    struct agg_stats st;
    struct hash_key key;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    f->nets = nets_new();
    assert_int_equal(nets_add(f->nets, "10.20.0.0/24", "lan"), 0);
    assert_int_equal(nets_add(f->nets, "2001:db8:20::/64", "lan6"), 0);
    assert_int_equal(nets_build(f->nets), 0);
    classify_init_default(&f->cls);
    agg_cfg_default(&f->cfg);
    f->cfg.default_rate = 1;
    hash_key_from_seed(&f->key, 7);
    f->agg = agg_new(&f->cfg, NULL, &f->key);
    assert_non_null(f->agg);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    agg_free(f->agg);
    nets_free(f->nets);
    free(f);
    return 0;
}

static struct flow_rec rec(const char *src, uint16_t sport, const char *dst, uint16_t dport,
                           uint8_t proto, uint64_t bytes, uint64_t start, uint64_t end)
{
    struct flow_rec r;
    memset(&r, 0, sizeof(r));
    assert_int_equal(addr_parse(src, &r.src), 0);
    assert_int_equal(addr_parse(dst, &r.dst), 0);
    r.sport = sport;
    r.dport = dport;
    r.proto = proto;
    r.bytes = bytes;
    r.packets = 1;
    r.start_ms = start;
    r.end_ms = end;
    return r;
}

/* The exported row of host/dir/ts, or NULL. */
static const struct bin_row *find(const struct bin_batch *b, const char *host, int dir, int64_t ts)
{
    struct of_addr a;
    assert_int_equal(addr_parse(host, &a), 0);
    for (size_t i = 0; i < b->n; i++)
        if (addr_equal(&b->rows[i].host, &a) && b->rows[i].dir == dir && b->rows[i].ts == ts)
            return &b->rows[i];
    return NULL;
}

static void test_directions_and_classes(void **state)
{
    struct fixture *f = *state;
    struct flow_rec r[] = {
        /* download over HTTPS: R for .10, classes total+tcp+web */
        rec("198.51.100.1", 443, "10.20.0.10", 50000, 6, 1000, T0 + 1000, T0 + 2000),
        /* upload DNS query: S for .10, total+udp+dns */
        rec("10.20.0.10", 40000, "198.51.100.53", 53, 17, 70, T0 + 1000, T0 + 1000),
        /* inbound to a local web server: remote port ephemeral -> plain tcp */
        rec("198.51.100.9", 51234, "10.20.0.80", 443, 6, 500, T0 + 1000, T0 + 1000),
        /* local <-> local: S for .11 and R for .12 */
        rec("10.20.0.11", 5555, "10.20.0.12", 22, 6, 300, T0 + 1000, T0 + 1000),
        /* transit: counted for nobody */
        rec("198.51.100.1", 80, "203.0.113.1", 5000, 6, 999, T0 + 1000, T0 + 1000),
        /* GRE and ICMPv6 */
        rec("198.51.100.1", 0, "10.20.0.10", 0, 47, 200, T0 + 1000, T0 + 1000),
        rec("2001:db8:beef::1", 0, "2001:db8:20::10", 0, 58, 104, T0 + 1000, T0 + 1000),
    };
    for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
        agg_add(f->agg, f->nets, &f->cls, &r[i], T0 + 60000, false, &f->st);
    assert_int_equal(f->st.records, 6);
    assert_int_equal(f->st.transit, 1);
    struct bin_batch b;
    assert_int_equal(agg_rows(f->agg, &b), 0);
    int64_t ts = (int64_t)(T0 / 1000);
    const struct bin_row *x = find(&b, "10.20.0.10", DIR_R, ts);
    assert_non_null(x);
    assert_int_equal(x->bytes[CLASS_TOTAL], 1200);
    assert_int_equal(x->bytes[CLASS_TCP], 1000);
    assert_int_equal(x->bytes[CLASS_WEB], 1000);
    assert_int_equal(x->bytes[CLASS_VPN], 200);
    assert_int_equal(x->packets[CLASS_TOTAL], 2);
    x = find(&b, "10.20.0.10", DIR_S, ts);
    assert_int_equal(x->bytes[CLASS_TOTAL], 70);
    assert_int_equal(x->bytes[CLASS_UDP], 70);
    assert_int_equal(x->bytes[CLASS_DNS], 70);
    x = find(&b, "10.20.0.80", DIR_R, ts);
    assert_int_equal(x->bytes[CLASS_TCP], 500);
    assert_int_equal(x->bytes[CLASS_WEB], 0);
    assert_int_equal(find(&b, "10.20.0.11", DIR_S, ts)->bytes[CLASS_TOTAL], 300);
    assert_int_equal(find(&b, "10.20.0.12", DIR_R, ts)->bytes[CLASS_TOTAL], 300);
    assert_null(find(&b, "10.20.0.11", DIR_R, ts));
    assert_null(find(&b, "203.0.113.1", DIR_R, ts));
    x = find(&b, "2001:db8:20::10", DIR_R, ts);
    assert_int_equal(x->bytes[CLASS_ICMP], 104);
    /* 0.0.0.0 sums every host: R = 1000 + 500 + 300 + 200 + 104 */
    x = find(&b, "0.0.0.0", DIR_R, ts);
    assert_non_null(x);
    assert_int_equal(x->bytes[CLASS_TOTAL], 2104);
    assert_int_equal(x->bytes[CLASS_TCP], 1800);
    assert_int_equal(find(&b, "0.0.0.0", DIR_S, ts)->bytes[CLASS_TOTAL], 370);
}

static void test_sampling(void **state)
{
    struct fixture *f = *state;
    struct flow_rec r = rec("198.51.100.1", 443, "10.20.0.10", 1, 6, 100, T0, T0);
    struct bin_batch b;
    int64_t ts = (int64_t)(T0 / 1000);
    r.sampling = 10; /* signalled: wins over the default */
    f->cfg.default_rate = 100;
    struct agg *a = agg_new(&f->cfg, NULL, &f->key);
    agg_add(a, f->nets, &f->cls, &r, T0, false, &f->st);
    r.sampling = 0; /* none: the default */
    agg_add(a, f->nets, &f->cls, &r, T0, false, &f->st);
    assert_int_equal(agg_rows(a, &b), 0);
    assert_int_equal(find(&b, "10.20.0.10", DIR_R, ts)->bytes[CLASS_TOTAL], 1000 + 10000);
    assert_int_equal(find(&b, "10.20.0.10", DIR_R, ts)->packets[CLASS_TOTAL], 10 + 100);
    agg_free(a);
    /* forced: the configured rate for NetFlow/IPFIX, never for sFlow */
    f->cfg.force_rate = true;
    a = agg_new(&f->cfg, NULL, &f->key);
    r.sampling = 10;
    agg_add(a, f->nets, &f->cls, &r, T0, false, &f->st);
    agg_add(a, f->nets, &f->cls, &r, T0, true, &f->st);
    assert_int_equal(agg_rows(a, &b), 0);
    assert_int_equal(find(&b, "10.20.0.10", DIR_R, ts)->bytes[CLASS_TOTAL], 10000 + 1000);
    agg_free(a);
}

/* 10:02:30.000 to 10:12:30.000 = 600 s: 150 s in bin 10:00, 300 s in 10:05,
 * 150 s in 10:10. 1001 bytes split 250/500/251 by cumulative rounding. */
static void test_prorate(void **state)
{
    struct fixture *f = *state;
    struct flow_rec r =
        rec("198.51.100.1", 443, "10.20.0.10", 1, 6, 1001, T0 + 150000, T0 + 750000);
    r.packets = 7;
    agg_add(f->agg, f->nets, &f->cls, &r, T0 + 800000, false, &f->st);
    struct bin_batch b;
    assert_int_equal(agg_rows(f->agg, &b), 0);
    int64_t ts = (int64_t)(T0 / 1000);
    uint64_t b0 = find(&b, "10.20.0.10", DIR_R, ts)->bytes[CLASS_WEB];
    uint64_t b1 = find(&b, "10.20.0.10", DIR_R, ts + 300)->bytes[CLASS_WEB];
    uint64_t b2 = find(&b, "10.20.0.10", DIR_R, ts + 600)->bytes[CLASS_WEB];
    assert_int_equal(b0, 250);
    assert_int_equal(b1, 500);
    assert_int_equal(b2, 251);
    uint64_t p = 0;
    for (int i = 0; i < 3; i++)
        p += find(&b, "10.20.0.10", DIR_R, ts + 300 * i)->packets[CLASS_TOTAL];
    assert_int_equal(p, 7);
    assert_null(find(&b, "10.20.0.10", DIR_R, ts + 900));
}

static void test_clock_checks(void **state)
{
    struct fixture *f = *state;
    uint64_t arrival = T0 + 3 * 3600 * 1000ull + 5000; /* 13:00:05 */
    int64_t arrival_bin = (int64_t)((arrival / 300000) * 300);
    /* ended 3 h before arrival: past FLOW_MAX_AGE -> arrival time */
    struct flow_rec old = rec("198.51.100.1", 80, "10.20.0.10", 1, 6, 10, T0, T0 + 1000);
    /* ends an hour after arrival: the exporter's clock runs ahead */
    struct flow_rec ahead =
        rec("198.51.100.1", 80, "10.20.0.10", 1, 6, 20, arrival, arrival + 3600000);
    /* 25 minutes late: exporters flush that late, and it is believed */
    struct flow_rec late =
        rec("198.51.100.1", 80, "10.20.0.10", 1, 6, 40, arrival - 1500000, arrival - 1500000);
    /* start after end: binned at its end */
    struct flow_rec twisted = rec("198.51.100.1", 80, "10.20.0.10", 1, 6, 80, arrival, arrival - 1);
    agg_add(f->agg, f->nets, &f->cls, &old, arrival, false, &f->st);
    agg_add(f->agg, f->nets, &f->cls, &ahead, arrival, false, &f->st);
    agg_add(f->agg, f->nets, &f->cls, &late, arrival, false, &f->st);
    agg_add(f->agg, f->nets, &f->cls, &twisted, arrival, false, &f->st);
    assert_int_equal(f->st.clock_off, 2);
    struct bin_batch b;
    assert_int_equal(agg_rows(f->agg, &b), 0);
    assert_int_equal(find(&b, "10.20.0.10", DIR_R, arrival_bin)->bytes[CLASS_TOTAL], 10 + 20 + 80);
    int64_t late_bin = (int64_t)(((arrival - 1500000) / 300000) * 300);
    assert_int_equal(find(&b, "10.20.0.10", DIR_R, late_bin)->bytes[CLASS_TOTAL], 40);
}

static void test_full(void **state)
{
    struct fixture *f = *state;
    struct agg_cfg cfg = f->cfg;
    cfg.max_entries = 1024;
    struct agg *a = agg_new(&cfg, NULL, &f->key);
    /* 1100 distinct bins of one host: 1024 fit, the rest are counted */
    for (uint64_t i = 0; i < 1100; i++) {
        struct flow_rec r = rec("198.51.100.1", 80, "10.20.0.10", 1, 6, 1, 0, 0);
        r.start_ms = r.end_ms = T0 + i * 300000;
        agg_add(a, f->nets, &f->cls, &r, r.end_ms, false, &f->st);
        if (i == 766)
            assert_false(agg_needs_flush(a));
        if (i == 767)
            assert_true(agg_needs_flush(a));
    }
    assert_int_equal(agg_count(a), 1024);
    assert_int_equal(f->st.dropped_full, 1100 - 1024);
    assert_int_equal(agg_reserve(a, 5000), 0); /* clamped to the cap: no room appears */
    struct flow_rec more = rec("198.51.100.1", 80, "10.20.0.10", 1, 6, 1, T0 - 300000, T0 - 300000);
    agg_add(a, f->nets, &f->cls, &more, T0, false, &f->st);
    assert_int_equal(f->st.dropped_full, 1100 - 1024 + 1);
    struct bin_batch b;
    assert_int_equal(agg_rows(a, &b), 0);
    assert_int_equal(b.n, 2048); /* 1024 host rows + 1024 totals */
    agg_reset(a);
    assert_int_equal(agg_count(a), 0);
    agg_free(a);
}

/* Adds n rows, one per 5-minute bin of one host, from bin `first` on. */
static void add_bins(struct fixture *f, struct agg *a, uint64_t first, uint64_t n)
{
    for (uint64_t i = first; i < first + n; i++) {
        struct flow_rec r = rec("198.51.100.1", 80, "10.20.0.10", 1, 6, 1, 0, 0);
        r.start_ms = r.end_ms = T0 + i * 300000;
        agg_add(a, f->nets, &f->cls, &r, r.end_ms, false, &f->st);
    }
}

/* Two aggs share one budget: together they never hold more than it
 * allows, what one gives back the other can take, and nothing is left
 * charged once both are freed. The budget is exactly two tables of 1024
 * rows and one of 2048 (rows of 224 bytes, 2 to 4 index slots each). */
static void test_budget(void **state)
{
    struct fixture *f = *state;
    size_t t1024 = 1024 * sizeof(struct bin_row) + 2048 * sizeof(uint32_t);
    size_t t2048 = 2048 * sizeof(struct bin_row) + 4096 * sizeof(uint32_t);
    struct agg_budget b;
    agg_budget_init(&b, 2 * t1024 + (t2048 - t1024));
    struct agg *one = agg_new(&f->cfg, &b, &f->key), *two = agg_new(&f->cfg, &b, &f->key);
    assert_non_null(one);
    assert_non_null(two);
    assert_int_equal(atomic_load(&b.used), 2 * t1024);
    add_bins(f, one, 0, 1000);
    assert_false(agg_needs_flush(one));
    add_bins(f, one, 1000, 2000); /* grows to 2048 rows, then the budget is spent */
    assert_int_equal(agg_count(one), 2048);
    assert_int_equal(f->st.dropped_full, 3000 - 2048);
    assert_int_equal(atomic_load(&b.used), b.limit);
    assert_true(agg_needs_flush(one));
    add_bins(f, two, 0, 1025); /* no room to grow: 1024 fit */
    assert_int_equal(agg_count(two), 1024);
    assert_int_equal(f->st.dropped_full, 3000 - 2048 + 1);
    assert_true(agg_needs_flush(two));
    assert_int_equal(agg_reserve(two, 4096), -ENOSPC);
    /* what one gives back, two can take */
    agg_free(one);
    assert_int_equal(atomic_load(&b.used), t1024);
    assert_int_equal(agg_reserve(two, 2048), 0);
    add_bins(f, two, 1024, 1024);
    assert_int_equal(agg_count(two), 2048);
    assert_int_equal(f->st.dropped_full, 3000 - 2048 + 1);
    /* the totals a write adds may pass the budget rather than fail it */
    struct bin_batch batch;
    assert_int_equal(agg_rows(two, &batch), 0);
    assert_int_equal(batch.n, 2 * 2048);
    agg_free(two);
    assert_int_equal(atomic_load(&b.used), 0);
}

/* A budget too small for the smallest table refuses to make one. */
static void test_budget_too_small(void **state)
{
    struct fixture *f = *state;
    struct agg_budget b;
    agg_budget_init(&b, 1000);
    assert_null(agg_new(&f->cfg, &b, &f->key));
    assert_int_equal(atomic_load(&b.used), 0);
}

/* Counters saturate instead of wrapping; unbelievable records are dropped. */
static void test_absurd_and_saturation(void **state)
{
    struct fixture *f = *state;
    struct flow_rec r = rec("198.51.100.1", 443, "10.20.0.10", 1, 6, 0, T0, T0);
    r.bytes = AGG_RECORD_MAX + 1;
    agg_add(f->agg, f->nets, &f->cls, &r, T0, false, &f->st);
    assert_int_equal(f->st.absurd, 1);
    assert_int_equal(agg_count(f->agg), 0);
    r.bytes = AGG_RECORD_MAX;
    for (int i = 0; i < 5; i++) /* 5 * 2^60 > 2^62 */
        agg_add(f->agg, f->nets, &f->cls, &r, T0, false, &f->st);
    struct bin_batch b;
    assert_int_equal(agg_rows(f->agg, &b), 0);
    const struct bin_row *x = find(&b, "10.20.0.10", DIR_R, (int64_t)(T0 / 1000));
    assert_int_equal(x->bytes[CLASS_TOTAL], AGG_COUNTER_MAX);
    assert_int_equal(x->bytes[CLASS_WEB], AGG_COUNTER_MAX);
    assert_int_equal(find(&b, "0.0.0.0", DIR_R, (int64_t)(T0 / 1000))->bytes[CLASS_TCP],
                     AGG_COUNTER_MAX);
}

/* Adding in batches gives exactly what adding one by one gives. */
static void test_batch_equals_single(void **state)
{
    struct fixture *f = *state;
    struct flow_rec recs[333];
    uint64_t x = 12345;
    for (size_t i = 0; i < 333; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        char local[32], remote[32];
        snprintf(local, sizeof(local), "10.20.0.%u", (unsigned)(x >> 59));
        snprintf(remote, sizeof(remote), "198.51.100.%u", (unsigned)(x >> 56) & 0xff);
        uint64_t start = T0 + (x >> 40) % 900000, len = (x >> 20) % 700000;
        bool down = x & 1;
        recs[i] =
            rec(down ? remote : local, (uint16_t)(x >> 8), down ? local : remote,
                (uint16_t)(x >> 24), (x & 6) ? 6 : 17, (x >> 33) % 100000, start, start + len);
    }
    struct agg *single = agg_new(&f->cfg, NULL, &f->key), *batch = agg_new(&f->cfg, NULL, &f->key);
    struct agg_stats s1 = {0}, s2 = {0};
    for (size_t i = 0; i < 333; i++)
        agg_add(single, f->nets, &f->cls, &recs[i], T0 + 1000000, false, &s1);
    agg_add_batch(batch, f->nets, &f->cls, recs, 333, T0 + 1000000, false, &s2);
    assert_memory_equal(&s1, &s2, sizeof(s1));
    struct bin_batch b1, b2;
    assert_int_equal(agg_rows(single, &b1), 0);
    assert_int_equal(agg_rows(batch, &b2), 0);
    assert_int_equal(b1.n, b2.n);
    assert_true(b1.n > 40);
    for (size_t i = 0; i < b1.n; i++) { /* same insertion order, so same layout */
        assert_true(addr_equal(&b1.rows[i].host, &b2.rows[i].host));
        assert_int_equal(b1.rows[i].ts, b2.rows[i].ts);
        assert_memory_equal(b1.rows[i].bytes, b2.rows[i].bytes, sizeof(b1.rows[i].bytes));
        assert_memory_equal(b1.rows[i].packets, b2.rows[i].packets, sizeof(b1.rows[i].packets));
    }
    agg_free(single);
    agg_free(batch);
}

/* fuzz/repro/ingest/empty: rows of an agg that never held any. */
static void test_rows_of_empty(void **state)
{
    struct fixture *f = *state;
    struct bin_batch b;
    assert_int_equal(agg_rows(f->agg, &b), 0);
    assert_int_equal(b.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_directions_and_classes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sampling, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prorate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clock_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_budget, setup, teardown),
        cmocka_unit_test_setup_teardown(test_budget_too_small, setup, teardown),
        cmocka_unit_test_setup_teardown(test_absurd_and_saturation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rows_of_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch_equals_single, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
