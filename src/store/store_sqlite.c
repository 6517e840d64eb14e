/* store/store_sqlite.c: the store in one SQLite file.
 *
 * The collector writes a batch of bins every few seconds, so the write path
 * is built for large batches: one BEGIN IMMEDIATE transaction per batch,
 * statements prepared once at open, and host ids remembered in a keyed hash
 * table. The rows are sorted twice: by (host, month), so that the monthly
 * totals take one upsert per host and month instead of one per row, and then
 * by the table's key (ts, dir, host), so that the bins go in as an append.
 *
 * The bins are keyed by time first (see schema.c), so one host's series is
 * read as one primary-key lookup per bin of the range: the query generates
 * the bin starts and joins them to the table. The range is first narrowed to
 * the bins that exist, so an open-ended range costs nothing extra.
 *
 * Every row is checked before the transaction starts, and any failure inside
 * it rolls the whole batch back. Host ids handed out by a rolled-back
 * transaction can be handed out again to other hosts, so a rollback also
 * empties the host cache. Committed ids stay valid for good: host rows are
 * never deleted, also not by other processes writing the same file.
 *
 * SQLite integers are signed 64-bit and a sum past INT64_MAX turns into a
 * float, so counters above INT64_MAX are refused (a bin would need 9.2 EB). */
#include "store/store_sqlite.h"

#include <errno.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/schema.h"
#include "util/hash.h"
#include "util/log.h"

/* af byte and 16 address bytes: the hosts.key column. */
#define HOST_KEY_LEN 17
/* Hosts whose ids stay in memory; past that they are looked up each time. */
#define HOST_CACHE_MAX   (1u << 18)
#define HOST_CACHE_SLOTS 256u
#define SQL_MAX          2048
#define NCOUNTERS        (2 * CLASS__COUNT)
/* Bound parameters of the bin upsert before the counters: host, dir, ts. */
#define BIN_KEY_PARAMS 3
#define LOG_INTERVAL_S 60

enum stmt_id {
    ST_BEGIN,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_HOST_ID,
    ST_HOST_ADD,
    ST_BIN_PUT,
    ST_MONTH_PUT,
    ST_SERIES,
    ST_SPAN,
    ST_TRAFF_ALL,
    ST_TRAFF_ONE,
    ST__COUNT
};

struct host_slot {
    struct of_addr a;
    int64_t id; /* 0: empty (SQLite hands out ids from 1) */
};

struct host_cache {
    struct hash_key key;
    struct host_slot *slots;
    size_t nslots; /* power of two */
    size_t n;
};

struct sqlite_store {
    struct store base; /* first, so that the ops can cast back */
    sqlite3 *db;
    char *path;
    bool readonly;
    sqlite3_stmt *st[ST__COUNT];
    struct host_cache hosts;
    struct log_limit log_limit;
};

/* One row of a batch on its way in, in the order it is written. */
struct put_item {
    int64_t host;
    int64_t ts;
    size_t row;
    int32_t ym;
    uint8_t dir;
    bool all; /* the pseudo host 0.0.0.0: no monthly totals */
};

static int sqlite_close(struct store *base);

/* ---- addresses ---- */

/* A copy of a with the unused bytes of an IPv4 address zeroed, so that
 * equal addresses have equal bytes. */
static int host_norm(const struct of_addr *a, struct of_addr *out)
{
    if (a->af != ADDR_V4 && a->af != ADDR_V6)
        return -EINVAL;
    memset(out, 0, sizeof(*out));
    out->af = a->af;
    memcpy(out->b, a->b, a->af == ADDR_V4 ? 4 : 16);
    return 0;
}

static void host_key(const struct of_addr *a, uint8_t key[HOST_KEY_LEN])
{
    key[0] = a->af;
    memcpy(key + 1, a->b, 16);
}

static int host_from_key(const void *blob, int len, struct of_addr *out)
{
    const uint8_t *k = blob;
    if (!k || len != HOST_KEY_LEN || (k[0] != ADDR_V4 && k[0] != ADDR_V6))
        return -EBADMSG;
    struct of_addr a;
    a.af = k[0];
    memcpy(a.b, k + 1, 16);
    return host_norm(&a, out);
}

static bool host_is_all(const struct of_addr *a)
{
    static const uint8_t zero[4];
    return a->af == ADDR_V4 && memcmp(a->b, zero, sizeof(zero)) == 0;
}

/* ---- host id cache ---- */

static int cache_init(struct host_cache *c)
{
    hash_key_random(&c->key);
    c->slots = calloc(HOST_CACHE_SLOTS, sizeof(*c->slots));
    if (!c->slots)
        return -ENOMEM;
    c->nslots = HOST_CACHE_SLOTS;
    c->n = 0;
    return 0;
}

static size_t cache_slot(const struct host_cache *c, const struct host_slot *slots, size_t nslots,
                         const struct of_addr *a)
{
    uint8_t key[HOST_KEY_LEN];
    host_key(a, key);
    size_t i = (size_t)hash_siphash13(&c->key, key, sizeof(key)) & (nslots - 1);
    while (slots[i].id != 0 && !addr_equal(&slots[i].a, a))
        i = (i + 1) & (nslots - 1);
    return i;
}

static int64_t cache_get(const struct host_cache *c, const struct of_addr *a)
{
    return c->slots[cache_slot(c, c->slots, c->nslots, a)].id;
}

static int cache_grow(struct host_cache *c)
{
    size_t nslots = c->nslots * 2;
    struct host_slot *slots = calloc(nslots, sizeof(*slots));
    if (!slots)
        return -ENOMEM;
    for (size_t i = 0; i < c->nslots; i++)
        if (c->slots[i].id != 0)
            slots[cache_slot(c, slots, nslots, &c->slots[i].a)] = c->slots[i];
    free(c->slots);
    c->slots = slots;
    c->nslots = nslots;
    return 0;
}

/* The cache only saves lookups, so a full cache or a failed allocation just
 * leaves the host out. */
static void cache_put(struct host_cache *c, const struct of_addr *a, int64_t id)
{
    if (c->n >= HOST_CACHE_MAX)
        return;
    if ((c->n + 1) * 2 > c->nslots && cache_grow(c) < 0)
        return;
    struct host_slot *slot = &c->slots[cache_slot(c, c->slots, c->nslots, a)];
    if (slot->id == 0)
        c->n++;
    slot->a = *a;
    slot->id = id;
}

static void cache_clear(struct host_cache *c)
{
    memset(c->slots, 0, c->nslots * sizeof(*c->slots));
    c->n = 0;
}

/* ---- statements ---- */

struct sql {
    char s[SQL_MAX];
    size_t len;
    bool over;
};

static void OF_PRINTF(2, 3) sql_add(struct sql *q, const char *fmt, ...)
{
    if (q->over)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(q->s + q->len, sizeof(q->s) - q->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(q->s) - q->len)
        q->over = true;
    else
        q->len += (size_t)n;
}

/* Counter i: bytes of class i, then packets of class i - CLASS__COUNT. */
static void sql_col(struct sql *q, const char *before, size_t i)
{
    sql_add(q, "%s%s_%s", before, i < CLASS__COUNT ? "b" : "p",
            class_name((enum traffic_class)(i % CLASS__COUNT)));
}

static void sql_cols(struct sql *q)
{
    for (size_t i = 0; i < NCOUNTERS; i++)
        sql_col(q, i ? ", " : "", i);
}

static void sql_bin_put(struct sql *q)
{
    sql_add(q, "INSERT INTO bins (host, dir, ts, ");
    sql_cols(q);
    sql_add(q, ") VALUES (?1, ?2, ?3");
    for (size_t i = 0; i < NCOUNTERS; i++)
        sql_add(q, ", ?%zu", BIN_KEY_PARAMS + 1 + i);
    sql_add(q, ") ON CONFLICT (host, dir, ts) DO UPDATE SET ");
    /* Sums saturate at STORE_COUNTER_MAX like the in-memory ones: SQLite
     * would turn an overflowing integer sum into a float. */
    for (size_t i = 0; i < NCOUNTERS; i++) {
        sql_col(q, i ? ", " : "", i);
        sql_col(q, " = min(", i);
        sql_col(q, " + excluded.", i);
        sql_add(q, ", %" PRIu64 ")", STORE_COUNTER_MAX);
    }
}

/* ?3 is the first bin start of the range, ?4 its end (exclusive). CROSS
 * JOIN keeps the generated bin starts as the outer loop. */
static void sql_series(struct sql *q)
{
    sql_add(q,
            "WITH RECURSIVE t (ts) AS (VALUES (?3) UNION ALL"
            " SELECT ts + %d FROM t WHERE ts + %d < ?4)"
            " SELECT b.ts",
            BIN_SECONDS, BIN_SECONDS);
    for (size_t i = 0; i < NCOUNTERS; i++)
        sql_col(q, ", b.", i);
    sql_add(q, " FROM t CROSS JOIN bins AS b ON b.ts = t.ts AND b.dir = ?2"
               " AND b.host = (SELECT id FROM hosts WHERE key = ?1) ORDER BY b.ts");
}

static void sql_text(struct sql *q, const char *text)
{
    sql_add(q, "%s", text);
}

static int prepare(struct sqlite_store *s, enum stmt_id id)
{
    struct sql q = {.len = 0, .over = false};
    switch (id) {
    case ST_BEGIN:
        sql_text(&q, "BEGIN IMMEDIATE");
        break;
    case ST_COMMIT:
        sql_text(&q, "COMMIT");
        break;
    case ST_ROLLBACK:
        sql_text(&q, "ROLLBACK");
        break;
    case ST_HOST_ID:
        sql_text(&q, "SELECT id FROM hosts WHERE key = ?1");
        break;
    case ST_HOST_ADD:
        sql_text(&q, "INSERT INTO hosts (ip, key) VALUES (?1, ?2)");
        break;
    case ST_BIN_PUT:
        sql_bin_put(&q);
        break;
    case ST_MONTH_PUT:
        sql_add(&q,
                "INSERT INTO monthly (ym, host, dl, ul) VALUES (?1, ?2, ?3, ?4)"
                " ON CONFLICT (ym, host) DO UPDATE SET dl = min(dl + excluded.dl, %" PRIu64 "),"
                " ul = min(ul + excluded.ul, %" PRIu64 ")",
                STORE_COUNTER_MAX, STORE_COUNTER_MAX);
        break;
    case ST_SERIES:
        sql_series(&q);
        break;
    case ST_SPAN:
        /* SQLite reads a lone min() or max() off the key's ends, but both in
         * one SELECT with a scan of the whole table. */
        sql_text(&q, "SELECT (SELECT min(ts) FROM bins), (SELECT max(ts) FROM bins)");
        break;
    case ST_TRAFF_ALL:
        sql_text(&q, "SELECT h.key, m.dl, m.ul FROM monthly AS m JOIN hosts AS h ON h.id = m.host"
                     " WHERE m.ym = ?1 ORDER BY h.key");
        break;
    case ST_TRAFF_ONE:
        sql_text(&q, "SELECT dl, ul FROM monthly"
                     " WHERE ym = ?1 AND host = (SELECT id FROM hosts WHERE key = ?2)");
        break;
    case ST__COUNT:
        return -EINVAL;
    }
    if (q.over)
        return -EOVERFLOW;
    int rc =
        sqlite3_prepare_v3(s->db, q.s, (int)q.len + 1, SQLITE_PREPARE_PERSISTENT, &s->st[id], NULL);
    if (rc != SQLITE_OK) {
        log_msg(LOG_ERR, "store: %s: cannot prepare \"%s\": %s", s->path, q.s,
                sqlite3_errmsg(s->db));
        return schema_errno(s->db, rc);
    }
    return 0;
}

/* Steps a statement that returns no rows. */
static int run(struct sqlite_store *s, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    int err = rc == SQLITE_DONE ? 0 : schema_errno(s->db, rc);
    if (rc == SQLITE_ROW)
        err = -EPROTO;
    sqlite3_reset(st);
    return err;
}

/* ---- open ---- */

static int db_pragmas(struct sqlite_store *s)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        rc = schema_errno(s->db, rc);
        goto out;
    }
    const unsigned char *mode = sqlite3_column_text(st, 0);
    /* Without WAL, readers block the writer and the other way round; that is
     * slower but still correct, so it is worth a warning, not a refusal. */
    if (!mode || strcmp((const char *)mode, "wal") != 0)
        log_msg(LOG_WARN, "store: %s: cannot use WAL mode (journal mode is %s)", s->path,
                mode ? (const char *)mode : "unknown");
    /* In WAL mode NORMAL loses no committed data in a crash of the process,
     * only possibly the last commits in a crash of the system. */
    rc = schema_errno(s->db, sqlite3_exec(s->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL));
out:
    sqlite3_finalize(st);
    return rc;
}

static int db_open(struct sqlite_store *s)
{
    int flags = SQLITE_OPEN_NOMUTEX;
    flags |= s->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(s->path, &s->db, flags, NULL);
    if (rc != SQLITE_OK) {
        rc = schema_errno(s->db, rc);
        log_msg(LOG_ERR, "store: cannot open %s: %s", s->path,
                s->db ? sqlite3_errmsg(s->db) : "out of memory");
        return rc;
    }
    sqlite3_busy_timeout(s->db, STORE_SQLITE_BUSY_MS);
    if (s->readonly)
        return schema_check(s->db, s->path);
    rc = db_pragmas(s);
    if (rc < 0) {
        log_msg(LOG_ERR, "store: %s: %s", s->path, sqlite3_errmsg(s->db));
        return rc;
    }
    return schema_migrate(s->db, s->path);
}

static int sqlite_open(struct store **out, const struct store_cfg *cfg)
{
    int rc = -EINVAL;
    struct sqlite_store *s = NULL;
    if (!cfg->path || !cfg->path[0])
        goto out;
    rc = -ENOMEM;
    s = calloc(1, sizeof(*s));
    if (!s)
        goto out;
    s->base.ops = &store_sqlite_ops;
    s->readonly = cfg->readonly != 0;
    s->path = strdup(cfg->path);
    if (!s->path)
        goto out;
    rc = cache_init(&s->hosts);
    if (rc < 0)
        goto out;
    rc = db_open(s);
    if (rc < 0)
        goto out;
    for (int id = 0; id < ST__COUNT; id++) {
        rc = prepare(s, (enum stmt_id)id);
        if (rc < 0)
            goto out;
    }
    *out = &s->base;
    s = NULL; /* the caller owns it now */
out:
    if (s)
        (void)sqlite_close(&s->base);
    return rc;
}

static int sqlite_close(struct store *base)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    for (int id = 0; id < ST__COUNT; id++)
        sqlite3_finalize(s->st[id]);
    /* Closing the last connection checkpoints the WAL into the file. */
    int rc = sqlite3_close_v2(s->db);
    rc = rc == SQLITE_OK ? 0 : schema_errno(NULL, rc);
    free(s->hosts.slots);
    free(s->path);
    free(s);
    return rc;
}

/* ---- put_bins ---- */

/* year * 100 + month of the local time at ts. */
static int month_of(int64_t ts, int32_t *ym)
{
    time_t t = (time_t)ts;
    struct tm tm;
    if ((int64_t)t != ts || !localtime_r(&t, &tm))
        return -EINVAL;
    if (tm.tm_year < 1 - 1900 || tm.tm_year > 9999 - 1900)
        return -EINVAL;
    *ym = (tm.tm_year + 1900) * 100 + tm.tm_mon + 1;
    return 0;
}

static int put_check_row(const struct bin_row *r)
{
    if ((r->host.af != ADDR_V4 && r->host.af != ADDR_V6) || r->dir >= DIR__COUNT ||
        r->ts % BIN_SECONDS != 0)
        return -EINVAL;
    uint64_t any = 0;
    for (size_t c = 0; c < CLASS__COUNT; c++)
        any |= r->bytes[c] | r->packets[c];
    return any > (uint64_t)INT64_MAX ? -ERANGE : 0;
}

/* Checks every row and fills the items, before anything is written. */
static int put_prepare(const struct bin_batch *b, struct put_item *items)
{
    int64_t last_ts = 0;
    int32_t ym = 0;
    for (size_t i = 0; i < b->n; i++) {
        const struct bin_row *r = &b->rows[i];
        int rc = put_check_row(r);
        if (rc < 0)
            return rc;
        /* Rows of a batch mostly share a bin; localtime_r is not free. */
        if (i == 0 || r->ts != last_ts) {
            rc = month_of(r->ts, &ym);
            if (rc < 0)
                return rc;
            last_ts = r->ts;
        }
        items[i].row = i;
        items[i].ts = r->ts;
        items[i].dir = r->dir;
        items[i].ym = ym;
        items[i].all = host_is_all(&r->host);
    }
    return 0;
}

static int host_id(struct sqlite_store *s, const struct of_addr *a, int64_t *out)
{
    int64_t id = cache_get(&s->hosts, a);
    if (id > 0) {
        *out = id;
        return 0;
    }
    uint8_t key[HOST_KEY_LEN];
    host_key(a, key);
    /* Inside our write transaction no one else can add the host between the
     * lookup and the insert. */
    sqlite3_stmt *st = s->st[ST_HOST_ID];
    sqlite3_bind_blob(st, 1, key, sizeof(key), SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return schema_errno(s->db, rc);
    if (rc == SQLITE_DONE) {
        char ip[ADDR_STRLEN];
        addr_format(a, ip, sizeof(ip));
        st = s->st[ST_HOST_ADD];
        sqlite3_bind_text(st, 1, ip, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, key, sizeof(key), SQLITE_STATIC);
        rc = run(s, st);
        if (rc < 0)
            return rc;
        id = sqlite3_last_insert_rowid(s->db);
    }
    cache_put(&s->hosts, a, id);
    *out = id;
    return 0;
}

static int cmp_i64(int64_t a, int64_t b)
{
    return a < b ? -1 : a > b;
}

/* (host, month): the runs put_months adds up. */
static int put_item_month_cmp(const void *pa, const void *pb)
{
    const struct put_item *a = pa;
    const struct put_item *b = pb;
    int c = cmp_i64(a->host, b->host);
    if (c == 0)
        c = cmp_i64(a->ym, b->ym);
    return c ? c : cmp_i64((int64_t)a->row, (int64_t)b->row);
}

/* (ts, dir, host): the bins table's key. */
static int put_item_bin_cmp(const void *pa, const void *pb)
{
    const struct put_item *a = pa;
    const struct put_item *b = pb;
    int c = cmp_i64(a->ts, b->ts);
    if (c == 0)
        c = cmp_i64(a->dir, b->dir);
    if (c == 0)
        c = cmp_i64(a->host, b->host);
    return c ? c : cmp_i64((int64_t)a->row, (int64_t)b->row);
}

static int put_bin(struct sqlite_store *s, const struct put_item *it, const struct bin_row *r)
{
    sqlite3_stmt *st = s->st[ST_BIN_PUT];
    sqlite3_bind_int64(st, 1, it->host);
    sqlite3_bind_int(st, 2, it->dir);
    sqlite3_bind_int64(st, 3, it->ts);
    for (int c = 0; c < CLASS__COUNT; c++) {
        sqlite3_bind_int64(st, BIN_KEY_PARAMS + 1 + c, (sqlite3_int64)r->bytes[c]);
        sqlite3_bind_int64(st, BIN_KEY_PARAMS + 1 + CLASS__COUNT + c, (sqlite3_int64)r->packets[c]);
    }
    return run(s, st);
}

static int put_month(struct sqlite_store *s, int64_t host, int32_t ym, uint64_t dl, uint64_t ul)
{
    if (dl == 0 && ul == 0)
        return 0;
    sqlite3_stmt *st = s->st[ST_MONTH_PUT];
    sqlite3_bind_int(st, 1, ym);
    sqlite3_bind_int64(st, 2, host);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)dl);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)ul);
    return run(s, st);
}

/* Adds the totals of each run of items with the same host and month. */
static int put_months(struct sqlite_store *s, const struct bin_batch *b,
                      const struct put_item *items)
{
    size_t i = 0;
    while (i < b->n) {
        const struct put_item *first = &items[i];
        uint64_t sum[DIR__COUNT] = {0, 0};
        for (; i < b->n && items[i].host == first->host && items[i].ym == first->ym; i++) {
            uint64_t v = b->rows[items[i].row].bytes[CLASS_TOTAL];
            if (v > (uint64_t)INT64_MAX - sum[items[i].dir])
                return -ERANGE;
            sum[items[i].dir] += v;
        }
        if (first->all)
            continue;
        int rc = put_month(s, first->host, first->ym, sum[DIR_R], sum[DIR_S]);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int put_rows(struct sqlite_store *s, const struct bin_batch *b, struct put_item *items)
{
    for (size_t i = 0; i < b->n; i++) {
        struct of_addr a;
        int rc = host_norm(&b->rows[items[i].row].host, &a);
        if (rc == 0)
            rc = host_id(s, &a, &items[i].host);
        if (rc < 0)
            return rc;
    }
    qsort(items, b->n, sizeof(*items), put_item_month_cmp);
    int rc = put_months(s, b, items);
    if (rc < 0)
        return rc;
    qsort(items, b->n, sizeof(*items), put_item_bin_cmp);
    for (size_t i = 0; i < b->n; i++) {
        rc = put_bin(s, &items[i], &b->rows[items[i].row]);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static void put_abort(struct sqlite_store *s, size_t n, int rc)
{
    if (log_every(&s->log_limit, LOG_INTERVAL_S))
        log_msg(LOG_ERR, "store: %s: writing %zu rows failed (%s): %s", s->path, n, strerror(-rc),
                sqlite3_errmsg(s->db));
    if (!sqlite3_get_autocommit(s->db))
        (void)run(s, s->st[ST_ROLLBACK]);
    cache_clear(&s->hosts);
}

static int sqlite_put_bins(struct store *base, const struct bin_batch *b)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    if (s->readonly)
        return -EROFS;
    if (b->n == 0)
        return 0;
    int rc = -ENOMEM;
    struct put_item *items = calloc(b->n, sizeof(*items));
    if (!items)
        goto out;
    rc = put_prepare(b, items);
    if (rc < 0)
        goto out;
    rc = run(s, s->st[ST_BEGIN]);
    if (rc == 0)
        rc = put_rows(s, b, items);
    if (rc == 0)
        rc = run(s, s->st[ST_COMMIT]);
    if (rc < 0)
        put_abort(s, b->n, rc);
out:
    free(items);
    return rc;
}

/* ---- queries ---- */

/* Narrows [from, to) to the bins stored and moves from up to a bin start.
 * *none when no bin can be in the range. */
static int series_range(struct sqlite_store *s, int64_t *from, int64_t *to, bool *none)
{
    sqlite3_stmt *st = s->st[ST_SPAN];
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        rc = schema_errno(s->db, rc);
        sqlite3_reset(st);
        return rc;
    }
    bool empty = sqlite3_column_type(st, 0) == SQLITE_NULL;
    int64_t lo = sqlite3_column_int64(st, 0);
    int64_t hi = sqlite3_column_int64(st, 1);
    sqlite3_reset(st);
    *none = true;
    if (empty)
        return 0;
    int64_t f = *from > lo ? *from : lo;
    int64_t t = *to;
    if (hi < INT64_MAX && t > hi + 1)
        t = hi + 1;
    int64_t mod = f % BIN_SECONDS;
    if (mod < 0)
        mod += BIN_SECONDS;
    if (mod != 0) {
        if (f > INT64_MAX - BIN_SECONDS)
            return 0;
        f += BIN_SECONDS - mod;
    }
    if (f >= t || t > INT64_MAX - BIN_SECONDS)
        return 0;
    *from = f;
    *to = t;
    *none = false;
    return 0;
}

static int series_walk(struct sqlite_store *s, sqlite3_stmt *st, struct bin_row *row, series_cb cb,
                       void *arg)
{
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        row->ts = sqlite3_column_int64(st, 0);
        for (int c = 0; c < CLASS__COUNT; c++) {
            row->bytes[c] = (uint64_t)sqlite3_column_int64(st, 1 + c);
            row->packets[c] = (uint64_t)sqlite3_column_int64(st, 1 + CLASS__COUNT + c);
        }
        int rc = cb(row, arg);
        if (rc != 0)
            return rc;
    }
    return schema_errno(s->db, step);
}

static int sqlite_get_series(struct store *base, const struct of_addr *host, int dir, int64_t from,
                             int64_t to, series_cb cb, void *arg)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    struct bin_row row;
    memset(&row, 0, sizeof(row));
    if (dir < 0 || dir >= DIR__COUNT || host_norm(host, &row.host) < 0)
        return -EINVAL;
    row.dir = (uint8_t)dir;
    bool none = true;
    int rc = series_range(s, &from, &to, &none);
    if (rc < 0 || none)
        return rc;
    uint8_t key[HOST_KEY_LEN];
    host_key(&row.host, key);
    sqlite3_stmt *st = s->st[ST_SERIES];
    sqlite3_bind_blob(st, 1, key, sizeof(key), SQLITE_STATIC);
    sqlite3_bind_int(st, 2, dir);
    sqlite3_bind_int64(st, 3, from);
    sqlite3_bind_int64(st, 4, to);
    rc = series_walk(s, st, &row, cb, arg);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static int traff_walk(struct sqlite_store *s, sqlite3_stmt *st, const struct of_addr *host,
                      traff_cb cb, void *arg)
{
    struct traff_row row;
    memset(&row, 0, sizeof(row));
    int col = host ? 0 : 1;
    int rc;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (host) {
            row.host = *host;
        } else {
            rc = host_from_key(sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0), &row.host);
            if (rc < 0)
                goto out;
        }
        row.dl = (uint64_t)sqlite3_column_int64(st, col);
        row.ul = (uint64_t)sqlite3_column_int64(st, col + 1);
        rc = cb(&row, arg);
        if (rc != 0)
            goto out;
    }
    rc = schema_errno(s->db, step);
out:
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static int sqlite_get_traff(struct store *base, int year, int month, const struct of_addr *host,
                            traff_cb cb, void *arg)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    if (year < 1 || year > 9999 || month < 1 || month > 12)
        return -EINVAL;
    if (!host) {
        sqlite3_stmt *st = s->st[ST_TRAFF_ALL];
        sqlite3_bind_int(st, 1, year * 100 + month);
        return traff_walk(s, st, NULL, cb, arg);
    }
    struct of_addr a;
    if (host_norm(host, &a) < 0)
        return -EINVAL;
    uint8_t key[HOST_KEY_LEN];
    host_key(&a, key);
    sqlite3_stmt *st = s->st[ST_TRAFF_ONE];
    sqlite3_bind_int(st, 1, year * 100 + month);
    sqlite3_bind_blob(st, 2, key, sizeof(key), SQLITE_STATIC);
    return traff_walk(s, st, &a, cb, arg);
}

const struct store_ops store_sqlite_ops = {
    .name = "sqlite",
    .open = sqlite_open,
    .put_bins = sqlite_put_bins,
    .get_series = sqlite_get_series,
    .get_traff = sqlite_get_traff,
    .close = sqlite_close,
};
