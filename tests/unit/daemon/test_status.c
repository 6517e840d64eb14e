/* Tests of daemon/status.c: merging the workers' views and publishing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/status.h"

static struct exporter ex(uint8_t last, uint32_t rate, uint64_t first_ms, uint64_t last_ms,
                          uint64_t pkts)
{
    struct exporter e;
    memset(&e, 0, sizeof(e));
    const uint8_t b[4] = {192, 0, 2, last};
    addr_from_v4(&e.addr, b);
    e.rate = rate;
    e.first_ms = first_ms;
    e.last_ms = last_ms;
    e.st.packets[FLOW_PROTO_NF9] = pkts;
    e.st.records[FLOW_PROTO_NF9] = 10 * pkts;
    e.st.dec_err[DEC_NO_TEMPLATE] = 1;
    return e;
}

static void test_merge(void **state)
{
    (void)state;
    struct status *s = status_new();
    assert_non_null(s);
    /* worker 1 saw .2 and .1; worker 2 saw .1 later, with another rate */
    struct exporter w1a = ex(2, 0, 100, 200, 1), w1b = ex(1, 10, 500, 900, 2);
    struct exporter w2a = ex(1, 20, 300, 1000, 3);
    for (int i = 0; i < 40; i++) /* past the first allocation */
        assert_int_equal(status_add_exporter(s, i % 2 ? &w1a : &w1b), 0);
    assert_int_equal(status_add_exporter(s, &w2a), 0);
    status_finish(s);
    assert_int_equal(s->nexporters, 2);
    const struct status_exporter *one = &s->exporters[0], *two = &s->exporters[1];
    assert_int_equal(one->addr.b[3], 1); /* address order */
    assert_int_equal(one->st.packets[FLOW_PROTO_NF9], 20 * 2 + 3);
    assert_int_equal(one->st.records[FLOW_PROTO_NF9], 10 * (20 * 2 + 3));
    assert_int_equal(one->st.dec_err[DEC_NO_TEMPLATE], 21);
    assert_int_equal(one->first_ms, 300);
    assert_int_equal(one->last_ms, 1000);
    assert_int_equal(one->rate, 20); /* the worker that heard from it last */
    assert_int_equal(two->addr.b[3], 2);
    assert_int_equal(two->rate, 0);
    status_put(s);
}

static void test_listeners_acct(void **state)
{
    (void)state;
    struct status *s = status_new();
    struct of_addr any = {.af = ADDR_V4};
    assert_int_equal(status_add_listener(s, &any, 2055, "netflow", 1, 2), 0);
    assert_int_equal(status_add_listener(s, &any, 6343, "sflow", 0, 0), 0);
    assert_int_equal(status_add_listener(s, &any, 2055, "netflow", 10, 20), 0);
    assert_int_equal(s->nlisteners, 2);
    assert_int_equal(s->listeners[0].kernel_drops, 11);
    assert_int_equal(s->listeners[0].truncated, 22);
    struct agg_stats a = {.records = 5, .transit = 1, .clock_off = 2, .absurd = 1};
    status_add_acct(s, &a);
    status_add_acct(s, &a);
    assert_int_equal(s->acct.records, 10);
    assert_int_equal(s->acct.absurd, 2);
    status_put(s);
}

static void test_board(void **state)
{
    (void)state;
    struct status_board *b = status_board_new();
    assert_non_null(b);
    assert_null(status_board_get(b));
    struct status *s1 = status_new();
    s1->rows_written = 1;
    status_board_publish(b, s1);
    struct status *held = status_board_get(b);
    assert_ptr_equal(held, s1);
    struct status *s2 = status_new();
    s2->rows_written = 2;
    status_board_publish(b, s2); /* s1 lives on while held */
    assert_int_equal(held->rows_written, 1);
    status_put(held);
    held = status_board_get(b);
    assert_int_equal(held->rows_written, 2);
    status_put(held);
    status_put(NULL);
    status_board_free(b);
    status_board_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_listeners_acct),
        cmocka_unit_test(test_board),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
