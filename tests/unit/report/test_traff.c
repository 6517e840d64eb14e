/* tests/unit/report/test_traff.c: the gettraff body, byte for byte.
 *
 * The body is written by hand for speed and must stay exactly what
 * jansson's json_dumps(JSON_COMPACT) makes of an object of the same rows,
 * which the tests build here with jansson itself. The rows come from a
 * store that replays a fixed list, so that any value (0, 2^62, 2^64 - 1)
 * can be asked for; the SQLite store's own rows are covered by the e2e
 * tests of gettraff. */
/* cmocka.h needs these first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/traff.h"

/* ---- a store that replays rows ---- */

struct replay_store {
    struct store base;
    const struct traff_row *rows;
    size_t nrows;
    int year, month;
    const struct of_addr *host; /* as asked */
    int fail;                   /* returned after the rows, when not 0 */
};

static int replay_get_traff(struct store *s, int year, int month, const struct of_addr *host,
                            traff_cb cb, void *arg)
{
    struct replay_store *r = (struct replay_store *)s;
    r->year = year;
    r->month = month;
    r->host = host;
    for (size_t i = 0; i < r->nrows; i++) {
        int rc = cb(&r->rows[i], arg);
        if (rc != 0)
            return rc;
    }
    return r->fail;
}

static int replay_open(struct store **out, const struct store_cfg *cfg)
{
    (void)out, (void)cfg;
    return -ENOTSUP;
}

static int replay_put_bins(struct store *s, const struct bin_batch *b)
{
    (void)s, (void)b;
    return -ENOTSUP;
}

static int replay_get_series(struct store *s, const struct of_addr *host, int dir, int64_t from,
                             int64_t to, series_cb cb, void *arg)
{
    (void)s, (void)host, (void)dir, (void)from, (void)to, (void)cb, (void)arg;
    return -ENOTSUP;
}

static int replay_get_steps(struct store *s, const struct of_addr *host, int dir, int64_t from,
                            int64_t to, enum store_step step, step_cb cb, void *arg)
{
    (void)s, (void)host, (void)dir, (void)from, (void)to, (void)step, (void)cb, (void)arg;
    return -ENOTSUP;
}

static int replay_get_top(struct store *s, int dir, int cls, int64_t from, int64_t to, size_t limit,
                          top_cb cb, void *arg)
{
    (void)s, (void)dir, (void)cls, (void)from, (void)to, (void)limit, (void)cb, (void)arg;
    return -ENOTSUP;
}

static int replay_get_info(struct store *s, struct store_info *out)
{
    (void)s, (void)out;
    return -ENOTSUP;
}

static int replay_prune(struct store *s, enum store_step step, int64_t before, uint64_t max_rows,
                        uint64_t *deleted)
{
    (void)s, (void)step, (void)before, (void)max_rows, (void)deleted;
    return -ENOTSUP;
}

static int replay_close(struct store *s)
{
    (void)s;
    return 0;
}

static const struct store_ops replay_ops = {
    .name = "replay",
    .open = replay_open,
    .put_bins = replay_put_bins,
    .get_series = replay_get_series,
    .get_traff = replay_get_traff,
    .get_steps = replay_get_steps,
    .get_top = replay_get_top,
    .get_info = replay_get_info,
    .prune = replay_prune,
    .close = replay_close,
};

static struct replay_store replay(const struct traff_row *rows, size_t n)
{
    struct replay_store r = {.base = {.ops = &replay_ops}, .rows = rows, .nrows = n};
    return r;
}

/* ---- what jansson makes of the same rows (the code before this one) ---- */

static char *jansson_body(const struct traff_row *rows, size_t n)
{
    json_t *obj = json_object();
    assert_non_null(obj);
    for (size_t i = 0; i < n; i++) {
        char ip[ADDR_STRLEN], dl[24], ul[24];
        addr_format(&rows[i].host, ip, sizeof(ip));
        (void)snprintf(dl, sizeof(dl), "%" PRIu64, rows[i].dl);
        (void)snprintf(ul, sizeof(ul), "%" PRIu64, rows[i].ul);
        json_t *v = json_pack("{s:s,s:s}", "dl", dl, "ul", ul);
        assert_non_null(v);
        assert_int_equal(json_object_set_new(obj, ip, v), 0);
    }
    char *s = json_dumps(obj, JSON_COMPACT);
    assert_non_null(s);
    json_decref(obj);
    return s;
}

static char *body_of(const struct traff_row *rows, size_t n)
{
    struct replay_store r = replay(rows, n);
    char *body = NULL;
    assert_int_equal(traff_json(&r.base, 2024, 5, NULL, &body), 0);
    assert_non_null(body);
    assert_int_equal(r.year, 2024);
    assert_int_equal(r.month, 5);
    assert_null(r.host);
    return body;
}

static void assert_same_as_jansson(const struct traff_row *rows, size_t n)
{
    char *want = jansson_body(rows, n);
    char *got = body_of(rows, n);
    assert_string_equal(got, want);
    free(got);
    free(want);
}

/* ---- tests ---- */

static void test_empty(void **state)
{
    (void)state;
    char *body = body_of(NULL, 0);
    assert_string_equal(body, "{}");
    free(body);
    assert_same_as_jansson(NULL, 0);
}

static void test_one_host(void **state)
{
    (void)state;
    struct traff_row row = {.dl = 123456789, .ul = 0};
    assert_int_equal(addr_parse("10.20.0.12", &row.host), 0);
    struct replay_store r = replay(&row, 1);
    char *body = NULL;
    assert_int_equal(traff_json(&r.base, 2023, 12, &row.host, &body), 0);
    assert_string_equal(body, "{\"10.20.0.12\":{\"dl\":\"123456789\",\"ul\":\"0\"}}");
    assert_int_equal(r.year, 2023);
    assert_int_equal(r.month, 12);
    assert_ptr_equal(r.host, &row.host); /* the one host is passed on */
    free(body);
    assert_same_as_jansson(&row, 1);
}

/* A value of every order of magnitude, with the edges the store can hold
 * (0, BIN_COUNTER_MAX = 2^62) and past them (2^64 - 1). */
static uint64_t value(size_t i)
{
    static const uint64_t edge[] = {0, 1, 9, 10, BIN_COUNTER_MAX, BIN_COUNTER_MAX - 1, UINT64_MAX};
    if (i % 3 == 0)
        return edge[(i / 3) % (sizeof(edge) / sizeof(edge[0]))];
    uint64_t v = 1;
    for (size_t k = 0; k < i % 20; k++)
        v = v * 10 + k;
    return v;
}

static void test_many_hosts_as_jansson(void **state)
{
    (void)state;
    /* 300 IPv4 hosts, then 300 IPv6 ones (the store's address order), with
     * text forms of every length: 1.0.0.0 .. 10.1.x.y, ::, ::1, full ones
     * and compressed ones, hex letters in both halves */
    enum { N = 600 };
    struct traff_row *rows = calloc(N, sizeof(*rows));
    assert_non_null(rows);
    for (size_t i = 0; i < N; i++) {
        char text[ADDR_STRLEN];
        if (i < N / 2)
            (void)snprintf(text, sizeof(text), "%zu.%zu.%zu.%zu", 1 + i / 37, i % 2, i % 256,
                           (i * 7) % 256);
        else if (i == N / 2)
            (void)snprintf(text, sizeof(text), "::");
        else if (i == N / 2 + 1)
            (void)snprintf(text, sizeof(text), "::1");
        else if (i % 2)
            (void)snprintf(text, sizeof(text), "2001:db8:%zx::%zx", i, (i * 4099) & 0xffff);
        else
            (void)snprintf(text, sizeof(text), "fe80:%zx:abcd:ef01:%zx:1:2:%zx", i, i * 13, i);
        assert_int_equal(addr_parse(text, &rows[i].host), 0);
        rows[i].dl = value(i);
        rows[i].ul = value(i + 1);
    }
    assert_same_as_jansson(rows, N);
    for (size_t n = 0; n <= 5; n++) /* the first few, where the commas start */
        assert_same_as_jansson(rows + N / 2 - 2, n);
    free(rows);
}

static void test_store_error(void **state)
{
    (void)state;
    struct traff_row row = {.dl = 1, .ul = 2};
    assert_int_equal(addr_parse("192.0.2.1", &row.host), 0);
    struct replay_store r = replay(&row, 1);
    r.fail = -EIO;
    char *body = (char *)"untouched";
    assert_int_equal(traff_json(&r.base, 2024, 5, NULL, &body), -EIO);
    assert_string_equal(body, "untouched"); /* written only on success */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_one_host),
        cmocka_unit_test(test_many_hosts_as_jansson),
        cmocka_unit_test(test_store_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
