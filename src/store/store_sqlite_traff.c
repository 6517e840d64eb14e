/* store/store_sqlite_traff.c: the SQLite store's monthly totals.
 *
 * The monthly table holds the bins before the rollup mark
 * (store_sqlite_seal.c); the bins from the mark on, the last few minutes,
 * are added here: their R and S totals per host id, for the bins of the
 * month, in an array indexed by id. One host's month is its monthly row plus its open
 * bins. All hosts' month is the monthly rows in address order, each plus
 * its open bins, with the hosts that have open bins but no monthly row yet
 * (their first traffic of the month, or a month just begun) merged in at
 * their place in the address order. The reads share a read transaction, so
 * that a seal in between cannot count a bin twice or not at all. */
#include "store/store_sqlite_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/schema.h"

/* The hosts' totals in the open bins of the month, indexed by host id
 * (SQLite hands ids out densely from 1): 16 bytes a host. */
struct open_totals {
    uint64_t (*v)[DIR__COUNT]; /* [0 .. max_id] */
    bool *listed;              /* has a monthly row */
    int64_t max_id;
    bool any;
};

/* A host with open bins and no monthly row, to be merged in by address. */
struct open_host {
    uint8_t key[STORE_SQLITE_KEY_LEN];
    uint64_t v[DIR__COUNT];
};

/* [*from, *to): the UNIX times of local-time month ym. */
static int month_range(int year, int month, int64_t *from, int64_t *to)
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = 1;
    tm.tm_isdst = -1;
    time_t a = mktime(&tm);
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = year - 1900 + (month == 12);
    tm.tm_mon = month % 12;
    tm.tm_mday = 1;
    tm.tm_isdst = -1;
    time_t b = mktime(&tm);
    if (a == (time_t)-1 || b == (time_t)-1)
        return -EINVAL;
    *from = (int64_t)a;
    *to = (int64_t)b;
    return 0;
}

static int open_alloc(struct sqlite_store *s, struct open_totals *o)
{
    int rc = store_sqlite_id(s, ST_HOST_MAX, &o->max_id);
    if (rc < 0)
        return rc;
    if (o->max_id < 0 || (uint64_t)o->max_id >= SIZE_MAX / sizeof(*o->v))
        return -EBADMSG;
    o->v = calloc((size_t)o->max_id + 1, sizeof(*o->v));
    o->listed = calloc((size_t)o->max_id + 1, sizeof(*o->listed));
    return o->v && o->listed ? 0 : -ENOMEM;
}

/* Every host's totals (0.0.0.0 left out) in the bins of [from, to) that
 * are not sealed. */
static int open_read(struct sqlite_store *s, int64_t from, int64_t to, struct open_totals *o)
{
    int64_t mark = 0;
    bool set = false;
    int rc = store_sqlite_mark_get(s, &mark, &set);
    if (rc < 0 || !set || (from < mark ? mark : from) >= to)
        return rc;
    int64_t all = 0;
    rc = store_sqlite_id(s, ST_ALL_ID, &all);
    if (rc == 0)
        rc = open_alloc(s, o);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st = s->st[ST_OPEN_BINS];
    sqlite3_bind_int64(st, 1, from < mark ? mark : from);
    sqlite3_bind_int64(st, 2, to);
    int step;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        uint64_t t[DIR__COUNT];
        if (id < 1 || id > o->max_id) {
            rc = -EBADMSG; /* a bin of a host that is not there */
            break;
        }
        /* a damaged blob counts nothing, as the seal leaves it out */
        if (id == all || cells_totals(sqlite3_column_blob(st, 1),
                                      (size_t)sqlite3_column_bytes(st, 1), CELLS_BIN, t) < 0)
            continue;
        for (int d = 0; d < DIR__COUNT; d++)
            o->v[id][d] = store_sqlite_sat_add(o->v[id][d], t[d]);
        o->any = o->any || t[DIR_R] || t[DIR_S];
    }
    if (rc == 0)
        rc = schema_errno(s->db, step);
    sqlite3_reset(st);
    return rc;
}

/* The hosts with open bins but no monthly row of ym, by address, in *rest
 * (*nrest of them; the caller frees it). */
static int open_unlisted(struct sqlite_store *s, int32_t ym, struct open_totals *o,
                         struct open_host **rest, size_t *nrest)
{
    sqlite3_stmt *st = s->st[ST_MONTH_HOSTS];
    sqlite3_bind_int(st, 1, ym);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (id >= 1 && id <= o->max_id)
            o->listed[id] = true;
    }
    int rc = schema_errno(s->db, step);
    sqlite3_reset(st);
    size_t n = 0;
    for (int64_t id = 1; id <= o->max_id; id++)
        n += !o->listed[id] && (o->v[id][DIR_R] || o->v[id][DIR_S]);
    *nrest = 0;
    *rest = calloc(n ? n : 1, sizeof(**rest));
    if (!*rest)
        return -ENOMEM;
    st = s->st[ST_HOST_KEY];
    for (int64_t id = 1; id <= o->max_id && rc == 0; id++) {
        if (o->listed[id] || !(o->v[id][DIR_R] || o->v[id][DIR_S]))
            continue;
        sqlite3_bind_int64(st, 1, id);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == STORE_SQLITE_KEY_LEN) {
            struct open_host *h = &(*rest)[(*nrest)++];
            memcpy(h->key, sqlite3_column_blob(st, 0), STORE_SQLITE_KEY_LEN);
            memcpy(h->v, o->v[id], sizeof(h->v));
            rc = 0;
        } else {
            rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? -EBADMSG : schema_errno(s->db, rc);
        }
        sqlite3_reset(st);
    }
    return rc;
}

static int cmp_key(const void *pa, const void *pb)
{
    const struct open_host *a = pa;
    const struct open_host *b = pb;
    return memcmp(a->key, b->key, STORE_SQLITE_KEY_LEN);
}

static int emit_open(const struct open_host *h, traff_cb cb, void *arg)
{
    struct traff_row row;
    memset(&row, 0, sizeof(row));
    int rc = store_sqlite_host_from_key(h->key, STORE_SQLITE_KEY_LEN, &row.host);
    if (rc < 0)
        return rc;
    row.dl = h->v[DIR_R];
    row.ul = h->v[DIR_S];
    return cb(&row, arg);
}

/* The monthly rows in address order plus their open bins, with the hosts
 * of rest (sorted by key) merged in at their places. */
static int traff_all_walk(struct sqlite_store *s, int32_t ym, const struct open_totals *o,
                          const struct open_host *rest, size_t nrest, traff_cb cb, void *arg)
{
    sqlite3_stmt *st = s->st[ST_TRAFF_ALL];
    sqlite3_bind_int(st, 1, ym);
    size_t r = 0;
    int rc = 0;
    int step;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const void *key = sqlite3_column_blob(st, 0);
        int len = sqlite3_column_bytes(st, 0);
        if (len != STORE_SQLITE_KEY_LEN) {
            rc = -EBADMSG;
            break;
        }
        for (; rc == 0 && r < nrest && memcmp(rest[r].key, key, STORE_SQLITE_KEY_LEN) < 0; r++)
            rc = emit_open(&rest[r], cb, arg);
        struct traff_row row;
        memset(&row, 0, sizeof(row));
        if (rc == 0)
            rc = store_sqlite_host_from_key(key, len, &row.host);
        row.dl = (uint64_t)sqlite3_column_int64(st, 1);
        row.ul = (uint64_t)sqlite3_column_int64(st, 2);
        int64_t id = sqlite3_column_int64(st, 3);
        if (o->any && id >= 1 && id <= o->max_id) {
            row.dl = store_sqlite_sat_add(row.dl, o->v[id][DIR_R]);
            row.ul = store_sqlite_sat_add(row.ul, o->v[id][DIR_S]);
        }
        if (rc == 0)
            rc = cb(&row, arg);
    }
    if (rc == 0)
        rc = schema_errno(s->db, step);
    sqlite3_reset(st);
    for (; rc == 0 && r < nrest; r++)
        rc = emit_open(&rest[r], cb, arg);
    return rc;
}

static int traff_all(struct sqlite_store *s, int32_t ym, int64_t from, int64_t to, traff_cb cb,
                     void *arg)
{
    struct open_totals o = {.v = NULL, .listed = NULL, .max_id = 0, .any = false};
    struct open_host *rest = NULL;
    size_t nrest = 0;
    int rc = open_read(s, from, to, &o);
    if (rc == 0 && o.any)
        rc = open_unlisted(s, ym, &o, &rest, &nrest);
    if (rc == 0 && nrest)
        qsort(rest, nrest, sizeof(*rest), cmp_key);
    if (rc == 0)
        rc = traff_all_walk(s, ym, &o, rest, nrest, cb, arg);
    free(rest);
    free(o.listed);
    free(o.v);
    return rc;
}

/* Adds a bin's total bytes to the sums of its direction (arg). */
static int add_total(const struct bin_row *row, void *arg)
{
    uint64_t *sum = arg;
    *sum = store_sqlite_sat_add(*sum, row->bytes[CLASS_TOTAL]);
    return 0;
}

static int traff_one(struct sqlite_store *s, int32_t ym, int64_t from, int64_t to,
                     const struct of_addr *host, traff_cb cb, void *arg)
{
    uint8_t key[STORE_SQLITE_KEY_LEN];
    store_sqlite_host_key(host, key);
    sqlite3_stmt *st = s->st[ST_TRAFF_ONE];
    sqlite3_bind_int(st, 1, ym);
    sqlite3_bind_blob(st, 2, key, sizeof(key), SQLITE_STATIC);
    struct traff_row row = {.host = *host, .dl = 0, .ul = 0};
    int step = sqlite3_step(st);
    bool listed = step == SQLITE_ROW;
    if (listed) {
        row.dl = (uint64_t)sqlite3_column_int64(st, 0);
        row.ul = (uint64_t)sqlite3_column_int64(st, 1);
    }
    int rc = listed ? 0 : schema_errno(s->db, step);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    int64_t mark = 0;
    bool set = false;
    if (rc == 0 && !store_sqlite_host_is_all(host))
        rc = store_sqlite_mark_get(s, &mark, &set);
    uint64_t open[DIR__COUNT] = {0, 0};
    if (set && mark > from)
        from = mark;
    for (int d = 0; rc == 0 && set && from < to && d < DIR__COUNT; d++)
        rc = store_sqlite_get_series(&s->base, host, d, from, to, add_total, &open[d]);
    if (rc != 0)
        return rc;
    if (!listed && open[DIR_R] == 0 && open[DIR_S] == 0)
        return 0;
    row.dl = store_sqlite_sat_add(row.dl, open[DIR_R]);
    row.ul = store_sqlite_sat_add(row.ul, open[DIR_S]);
    return cb(&row, arg);
}

int store_sqlite_get_traff(struct store *base, int year, int month, const struct of_addr *host,
                           traff_cb cb, void *arg)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    struct of_addr a;
    int64_t from = 0;
    int64_t to = 0;
    if (year < 1 || year > 9999 || month < 1 || month > 12 ||
        (host && store_sqlite_host_norm(host, &a) < 0) || month_range(year, month, &from, &to) < 0)
        return -EINVAL;
    int32_t ym = year * 100 + month;
    int rc = store_sqlite_run(s, s->st[ST_BEGIN_READ]);
    if (rc < 0)
        return rc;
    rc = host ? traff_one(s, ym, from, to, &a, cb, arg) : traff_all(s, ym, from, to, cb, arg);
    if (!sqlite3_get_autocommit(s->db)) {
        int end = store_sqlite_run(s, s->st[rc < 0 ? ST_ROLLBACK : ST_COMMIT]);
        if (rc == 0)
            rc = end;
    }
    return rc;
}
