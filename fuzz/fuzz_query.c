/* fuzz/fuzz_query.c: a request target through everything that reads it
 * before the store does.
 *
 * The input is a request target ("/of//?module=graph&ip=..."): the part
 * before '?' goes to the router, the rest is split into pairs at '&' and
 * '=' and percent-decoded as libmicrohttpd does, then fed to query_add and
 * to every endpoint's parameter parser. Checked: the caps hold whatever
 * arrives, a refusal always has a reason, and whatever a parser accepts is
 * inside the bounds the store and the chart rely on. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/ep_api_hosts.h"
#include "http/ep_api_series.h"
#include "http/ep_api_top.h"
#include "http/ep_gettraff.h"
#include "http/ep_graph.h"
#include "http/ep_period.h"
#include "http/query.h"
#include "http/router.h"

/* Whether rt is a row of the route table. */
static bool in_table(const struct route *rt)
{
    for (size_t i = 0; router_route(i); i++)
        if (router_route(i) == rt)
            return true;
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

#define FUZZ_NOW   INT64_C(1715700000)
#define FUZZ_INPUT 8192

static int hex(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes p[0..n) in place ("+" is a space, "%41" is 'A'); the new length. */
static size_t unescape(char *p, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int hi = i + 2 < n && p[i] == '%' ? hex((uint8_t)p[i + 1]) : -1;
        int lo = hi >= 0 ? hex((uint8_t)p[i + 2]) : -1;
        if (lo >= 0) {
            p[o++] = (char)(unsigned char)(hi * 16 + lo);
            i += 2;
        } else {
            p[o++] = p[i] == '+' ? ' ' : p[i];
        }
    }
    p[o] = '\0';
    return o;
}

/* Splits buf (NUL-terminated, len bytes) into pairs and adds them. */
static void split(struct query *q, char *buf, size_t len)
{
    char *p = buf, *end = buf + len;
    while (p < end) {
        char *amp = memchr(p, '&', (size_t)(end - p));
        char *stop = amp ? amp : end;
        *stop = '\0';
        char *eq = memchr(p, '=', (size_t)(stop - p));
        char *value = NULL;
        size_t klen, vlen = 0;
        if (eq) {
            *eq = '\0';
            value = eq + 1;
            vlen = unescape(value, (size_t)(stop - value));
        }
        klen = unescape(p, strlen(p));
        if (klen > 0 && query_add(q, p, klen, value, vlen) != QUERY_OK)
            return;
        p = stop + 1;
    }
}

static void check_query(const struct query *q)
{
    FUZZ_CHECK(q->n <= QUERY_MAX_PARAMS);
    FUZZ_CHECK(q->total <= QUERY_MAX_TOTAL);
    FUZZ_CHECK(query_status_reason(q->st) != NULL);
    for (size_t i = 0; i < q->n; i++) {
        FUZZ_CHECK(strlen(q->p[i].key) <= QUERY_MAX_KEY && q->p[i].key[0]);
        FUZZ_CHECK(!q->p[i].value || strlen(q->p[i].value) <= QUERY_MAX_VALUE);
    }
}

static bool host_ok(const struct of_addr *a)
{
    return a->af == ADDR_V4 || a->af == ADDR_V6;
}

static void check_graph(const struct query *q)
{
    struct graph_req r;
    bool dump;
    const char *why = NULL;
    if (ep_graph_parse(q, FUZZ_NOW, &r, &dump, &why) < 0) {
        FUZZ_CHECK(why && why[0]);
        return;
    }
    FUZZ_CHECK(host_ok(&r.host));
    FUZZ_CHECK(r.dir == DIR_R || r.dir == DIR_S);
    FUZZ_CHECK(r.width >= CHART_MIN_W && r.width <= CHART_MAX_W);
    FUZZ_CHECK(r.height >= CHART_MIN_H && r.height <= CHART_MAX_H);
    FUZZ_CHECK((unsigned)r.period <= GRAPH_EXPLICIT);
    int64_t f = 0, t = 0;
    FUZZ_CHECK(ep_period_range(r.period, FUZZ_NOW, r.from, r.to, &f, &t) == 0);
    FUZZ_CHECK(0 <= f && f < t && t <= EP_TIME_MAX && t - f <= GRAPH_MAX_SPAN);
}

static void check_traff(const struct query *q)
{
    struct ep_traff_req r;
    const char *why = NULL;
    if (ep_traff_parse(q, 2024, 5, &r, &why) < 0) {
        FUZZ_CHECK(why && why[0]);
        return;
    }
    FUZZ_CHECK(r.year >= 1970 && r.year <= 9999 && r.month >= 1 && r.month <= 12);
    FUZZ_CHECK(!r.one || host_ok(&r.ip));
}

static void check_series(const struct query *q)
{
    struct ep_series_req r;
    const char *why = NULL;
    if (ep_series_parse(q, FUZZ_NOW, &r, &why) < 0) {
        FUZZ_CHECK(why && why[0]);
        return;
    }
    FUZZ_CHECK(host_ok(&r.ip));
    FUZZ_CHECK(r.step == 300 || r.step == 3600 || r.step == 86400);
    FUZZ_CHECK(0 <= r.from && r.from < r.to);
    /* auto picks the day step for anything long; an explicit step is capped */
    FUZZ_CHECK((r.to - r.from) / r.step <= EP_SERIES_MAX_POINTS || r.step == 86400);
}

static void check_top_hosts(const struct query *q)
{
    struct ep_top_req t;
    struct ep_hosts_req h;
    const char *why = NULL;
    if (ep_top_parse(q, &t, &why) == 0) {
        FUZZ_CHECK(t.cls >= 0 && t.cls < CLASS__COUNT);
        FUZZ_CHECK(t.hours >= 1 && t.hours <= EP_TOP_MAX_HOURS);
        FUZZ_CHECK(t.limit >= 1 && t.limit <= EP_TOP_MAX_LIMIT);
    } else {
        FUZZ_CHECK(why && why[0]);
    }
    why = NULL;
    if (ep_hosts_parse(q, 2024, 5, &h, &why) == 0) {
        FUZZ_CHECK((unsigned)h.sort <= EP_HOSTS_BY_IP);
        FUZZ_CHECK(h.limit <= EP_HOSTS_MAX_LIMIT);
    } else {
        FUZZ_CHECK(why && why[0]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char buf[FUZZ_INPUT + 1];
    if (size > FUZZ_INPUT)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *qmark = memchr(buf, '?', size);
    size_t qlen = qmark ? size - (size_t)(qmark - buf) - 1 : 0;
    if (qmark)
        *qmark = '\0';
    const struct route *route = router_path(buf); /* the path stops at a NUL, as in HTTP */
    FUZZ_CHECK(!route || in_table(route));
    struct query q;
    query_init(&q);
    if (qmark)
        split(&q, qmark + 1, qlen);
    check_query(&q);
    if (q.st != QUERY_OK)
        return 0;
    FUZZ_CHECK((unsigned)router_module(query_get(&q, "module")) <= ROUTE_MOD_UNKNOWN);
    check_graph(&q);
    check_traff(&q);
    check_series(&q);
    check_top_hosts(&q);
    return 0;
}
