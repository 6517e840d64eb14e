/* store/store_sqlite.c: the store in one SQLite file: opening it, its
 * statements, and writing batches. The queries are in store_sqlite_query.c.
 *
 * The collector writes a batch of bins every few seconds, so the write path
 * is built for large batches: one BEGIN IMMEDIATE transaction per batch,
 * statements prepared once at open, and host ids remembered in a keyed hash
 * table. The rows are sorted by (host, month), so that the monthly totals
 * take one upsert per host and month instead of one per row, and then by the
 * table's key (ts, host), so that the bins go in as an append and a host's
 * two directions become one row (store/cells.h). The rollups and the
 * monthly totals take a bin once, when it is sealed
 * (store_sqlite_seal.c), or at once for a bin sealed already.
 *
 * The hourly and daily rollups are kept in the same transaction. A bin is
 * written many times as late flows arrive, so a rollup's peak (its fullest
 * bin) cannot come from the rows of one batch: it is the largest of the
 * bins' sizes after each write. Every write is one upsert whose conflict
 * clause adds the old and the new blob in C (of_add, below), and of_add
 * hands the sum back to the writer as well, which is the bin's new size: no
 * read before the write, and no RETURNING (which costs SQLite a temporary
 * table per row). The rows are then sorted by (hour, host) and by (day,
 * host) and added up in memory, so that each rollup row is written once per
 * batch, in the rollup table's key order.
 *
 * Every row is checked before the transaction starts, and any failure inside
 * it rolls the whole batch back. Host ids handed out by a rolled-back
 * transaction can be handed out again to other hosts, so a rollback also
 * empties the host cache. Committed ids stay valid for good: host rows are
 * never deleted (retention deletes bins, not hosts), also not by other
 * processes writing the same file.
 *
 * SQLite integers are signed 64-bit, so counters above INT64_MAX are
 * refused (a bin would need 9.2 EB), and sums stop at BIN_COUNTER_MAX. */
#include "store/store_sqlite.h"
#include "store/store_sqlite_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/cells.h"
#include "store/schema.h"

#define HOST_KEY_LEN STORE_SQLITE_KEY_LEN
/* Hosts whose ids stay in memory (32 bytes and a slot or two each); past
 * that they are looked up each time, which costs a write as much again. */
#define HOST_CACHE_MAX   (1u << 21)
#define HOST_CACHE_SLOTS 256u
#define SQL_MAX          4096
#define LOG_INTERVAL_S   60

/* One row of a batch on its way in, in the order it is written. Kept at 32
 * bytes: glibc's qsort moves larger elements through an extra array of
 * pointers, and a batch is sorted up to four times. */
struct put_item {
    int64_t host;
    int64_t ts;
    int64_t step; /* year * 100 + month of ts, then the hour or day start */
    uint32_t row; /* index in the batch (STORE_SQLITE_BATCH_MAX) */
    uint8_t dir;
    bool all; /* the pseudo host 0.0.0.0: no monthly totals */
};

static const struct {
    int64_t step;
    const char *table;
} levels[STORE_SQLITE_LEVELS] = {
    [STORE_SQLITE_BINS] = {BIN_SECONDS, "bins"},
    [STORE_SQLITE_HOURS] = {STORE_STEP_HOUR, "bins_1h"},
    [STORE_SQLITE_DAYS] = {STORE_STEP_DAY, "bins_1d"},
};

static int sqlite_close(struct store *base);
static void sql_of_add(sqlite3_context *ctx, int argc, sqlite3_value **argv);

/* ---- levels and addresses ---- */

int64_t store_sqlite_step(enum store_sqlite_level lv)
{
    return levels[lv].step;
}

const char *store_sqlite_table(enum store_sqlite_level lv)
{
    return levels[lv].table;
}

int64_t store_sqlite_floor(int64_t ts, int64_t step)
{
    int64_t mod = ts % step;
    return mod < 0 ? ts - mod - step : ts - mod;
}

int store_sqlite_host_norm(const struct of_addr *a, struct of_addr *out)
{
    if (a->af != ADDR_V4 && a->af != ADDR_V6)
        return -EINVAL;
    memset(out, 0, sizeof(*out));
    out->af = a->af;
    memcpy(out->b, a->b, a->af == ADDR_V4 ? 4 : 16);
    return 0;
}

void store_sqlite_host_key(const struct of_addr *a, uint8_t key[HOST_KEY_LEN])
{
    key[0] = a->af;
    memcpy(key + 1, a->b, 16);
}

bool store_sqlite_host_is_all(const struct of_addr *a)
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
    store_sqlite_host_key(a, key);
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

static enum cells_kind level_kind(enum store_sqlite_level lv)
{
    return lv == STORE_SQLITE_BINS ? CELLS_BIN : CELLS_ROLLUP;
}

/* Adds a blob ?3 to the row of the level's table at (?1 ts, ?2 host). */
static void sql_put(struct sql *q, enum store_sqlite_level lv)
{
    sql_add(q,
            "INSERT INTO %s (ts, host, c) VALUES (?1, ?2, ?3)"
            " ON CONFLICT (ts, host) DO UPDATE SET c = of_add(%d, c, excluded.c)",
            levels[lv].table, (int)level_kind(lv));
}

/* One host's steps of a level: ?1 the host's key, ?2 the first step start
 * of the range, ?3 its end (exclusive). The table is keyed by time first,
 * so this is one primary-key lookup per step of the range: the query
 * generates the step starts and joins them to the table, CROSS JOIN
 * keeping the generated starts as the outer loop. */
static void sql_series(struct sql *q, enum store_sqlite_level lv)
{
    int64_t step = levels[lv].step;
    sql_add(q,
            "WITH RECURSIVE t (ts) AS (VALUES (?2) UNION ALL"
            " SELECT ts + %" PRId64 " FROM t WHERE ts + %" PRId64 " < ?3)"
            " SELECT b.ts, b.c FROM t CROSS JOIN %s AS b ON b.ts = t.ts"
            " AND b.host = (SELECT id FROM hosts WHERE key = ?1) ORDER BY b.ts",
            step, step, levels[lv].table);
}

/* SQLite reads a lone min() or max() off the key's ends, but both in one
 * SELECT with a scan of the whole table. */
static void sql_span(struct sql *q, enum store_sqlite_level lv)
{
    sql_add(q, "SELECT (SELECT min(ts) FROM %s), (SELECT max(ts) FROM %s)", levels[lv].table,
            levels[lv].table);
}

/* For the rankings: the same walk over the step starts as sql_series,
 * which seeks to ts and reads every host's row of the step. */
static void sql_top(struct sql *q, enum store_sqlite_level lv)
{
    int64_t step = levels[lv].step;
    sql_add(q,
            "WITH RECURSIVE t (ts) AS (VALUES (?1) UNION ALL"
            " SELECT ts + %" PRId64 " FROM t WHERE ts + %" PRId64 " < ?2)"
            " SELECT b.host, b.c FROM t CROSS JOIN %s AS b ON b.ts = t.ts",
            step, step, levels[lv].table);
}

static const char *const fixed_sql[ST__COUNT] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_BEGIN_READ] = "BEGIN",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_HOST_ID] = "SELECT id FROM hosts WHERE key = ?1",
    [ST_HOST_ADD] = "INSERT INTO hosts (ip, key) VALUES (?1, ?2)",
    [ST_HOST_KEY] = "SELECT key FROM hosts WHERE id = ?1",
    [ST_HOST_MAX] = "SELECT max(id) FROM hosts",
    [ST_HOST_COUNT] = "SELECT count(*) FROM hosts",
    [ST_TRAFF_ALL] = ("SELECT h.key, m.dl, m.ul, m.host FROM monthly AS m"
                      " JOIN hosts AS h ON h.id = m.host"
                      " WHERE m.ym = ?1 ORDER BY h.key"),
    [ST_TRAFF_ONE] = ("SELECT dl, ul FROM monthly"
                      " WHERE ym = ?1 AND host = (SELECT id FROM hosts WHERE key = ?2)"),
    [ST_VERSION] = "PRAGMA user_version",
    [ST_FREE_BYTES] = ("SELECT f.freelist_count * p.page_size"
                       " FROM pragma_freelist_count() AS f, pragma_page_size() AS p"),
    [ST_MARK_GET] = "SELECT ts FROM rollup_mark WHERE id = 1",
    [ST_MARK_SET] = ("INSERT INTO rollup_mark (id, ts) VALUES (1, ?1)"
                     " ON CONFLICT (id) DO UPDATE SET ts = excluded.ts"),
    [ST_NEXT_BIN] = "SELECT min(ts) FROM bins WHERE ts >= ?1 AND ts < ?2",
    /* WHERE keeps the parser from reading ON CONFLICT as a join's ON; a
     * damaged bin (of_rollup NULL) is left out. */
    [ST_SEAL_HOURS] = ("INSERT INTO bins_1h (ts, host, c) SELECT ?2, host, of_rollup(c) AS r"
                       " FROM bins WHERE ts = ?1 AND r IS NOT NULL"
                       " ON CONFLICT (ts, host) DO UPDATE SET c = of_add(3, c, excluded.c)"),
    [ST_SEAL_DAYS] = ("INSERT INTO bins_1d (ts, host, c) SELECT ?2, host, of_rollup(c) AS r"
                      " FROM bins WHERE ts = ?1 AND r IS NOT NULL"
                      " ON CONFLICT (ts, host) DO UPDATE SET c = of_add(3, c, excluded.c)"),
    [ST_OPEN_BINS] = "SELECT host, c FROM bins WHERE ts >= ?1 AND ts < ?2",
    [ST_MONTH_HOSTS] = "SELECT host FROM monthly WHERE ym = ?1 ORDER BY host",
    /* 0.0.0.0's key: the family byte 4 and 16 zero bytes */
    [ST_ALL_ID] = "SELECT id FROM hosts WHERE key = x'0400000000000000000000000000000000'",
};

static void sql_build(struct sql *q, enum stmt_id id)
{
    if (fixed_sql[id]) {
        sql_add(q, "%s", fixed_sql[id]);
        return;
    }
    switch (id) {
    case ST_BIN_PUT:
    case ST_HOUR_PUT:
    case ST_DAY_PUT:
        sql_put(q, (enum store_sqlite_level)(id - ST_BIN_PUT));
        break;
    case ST_SEAL_MONTH:
        /* 0.0.0.0 has no monthly totals; ?3 is its id (0 when it has none). */
        sql_add(q,
                "INSERT INTO monthly (ym, host, dl, ul)"
                " SELECT ?2, host, of_total(c, 0) AS dl, of_total(c, 1) AS ul FROM bins"
                " WHERE ts = ?1 AND host != ?3 AND (dl > 0 OR ul > 0)"
                " ON CONFLICT (ym, host) DO UPDATE SET dl = min(dl + excluded.dl, %" PRIu64 "),"
                " ul = min(ul + excluded.ul, %" PRIu64 ")",
                BIN_COUNTER_MAX, BIN_COUNTER_MAX);
        break;
    case ST_MONTH_PUT:
        sql_add(q,
                "INSERT INTO monthly (ym, host, dl, ul) VALUES (?1, ?2, ?3, ?4)"
                " ON CONFLICT (ym, host) DO UPDATE SET dl = min(dl + excluded.dl, %" PRIu64 "),"
                " ul = min(ul + excluded.ul, %" PRIu64 ")",
                BIN_COUNTER_MAX, BIN_COUNTER_MAX);
        break;
    case ST_SPAN:
    case ST_SPAN_HOURS:
    case ST_SPAN_DAYS:
        sql_span(q, (enum store_sqlite_level)(id - ST_SPAN));
        break;
    case ST_SERIES:
    case ST_STEPS_HOURS:
    case ST_STEPS_DAYS:
        sql_series(q, (enum store_sqlite_level)(id - ST_SERIES));
        break;
    default:
        q->over = true; /* a statement without SQL: caught by the first open */
        break;
    }
}

static int compile(struct sqlite_store *s, const struct sql *q, sqlite3_stmt **out)
{
    if (q->over)
        return -EOVERFLOW;
    int rc = sqlite3_prepare_v3(s->db, q->s, (int)q->len + 1, SQLITE_PREPARE_PERSISTENT, out, NULL);
    if (rc != SQLITE_OK) {
        log_msg(LOG_ERR, "store: %s: cannot prepare \"%s\": %s", s->path, q->s,
                sqlite3_errmsg(s->db));
        return schema_errno(s->db, rc);
    }
    return 0;
}

static int prepare(struct sqlite_store *s, enum stmt_id id)
{
    struct sql q = {.len = 0, .over = false};
    sql_build(&q, id);
    return compile(s, &q, &s->st[id]);
}

int store_sqlite_top_stmt(struct sqlite_store *s, enum store_sqlite_level lv, sqlite3_stmt **out)
{
    sqlite3_stmt **st = &s->top[lv];
    if (!*st) {
        struct sql q = {.len = 0, .over = false};
        sql_top(&q, lv);
        int rc = compile(s, &q, st);
        if (rc < 0)
            return rc;
    }
    *out = *st;
    return 0;
}

int store_sqlite_id(struct sqlite_store *s, enum stmt_id id, int64_t *out)
{
    sqlite3_stmt *st = s->st[id];
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    int err = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : schema_errno(s->db, rc);
    sqlite3_reset(st);
    return err;
}

int store_sqlite_run(struct sqlite_store *s, sqlite3_stmt *st)
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
    if (rc == 0) {
        char sql[64];
        (void)snprintf(sql, sizeof(sql), "PRAGMA journal_size_limit = %" PRId64,
                       STORE_SQLITE_WAL_KEEP);
        rc = schema_errno(s->db, sqlite3_exec(s->db, sql, NULL, NULL, NULL));
    }
out:
    sqlite3_finalize(st);
    return rc;
}

static int db_open(struct sqlite_store *s, bool check_write)
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
    rc = schema_errno(s->db,
                      sqlite3_create_function(s->db, "of_add", 3, SQLITE_UTF8 | SQLITE_DIRECTONLY,
                                              s, sql_of_add, NULL, NULL));
    if (rc == 0)
        rc = store_sqlite_seal_init(s);
    if (rc < 0)
        return rc;
    if (s->readonly)
        return schema_check(s->db, s->path);
    rc = db_pragmas(s);
    if (rc < 0) {
        log_msg(LOG_ERR, "store: %s: %s", s->path, sqlite3_errmsg(s->db));
        return rc;
    }
    rc = schema_migrate(s->db, s->path);
    return rc < 0 || !check_write ? rc : schema_check_writable(s->db, s->path);
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
    rc = db_open(s, cfg->check_write != 0);
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
    for (int lv = 0; lv < STORE_SQLITE_LEVELS; lv++)
        sqlite3_finalize(s->top[lv]);
    store_sqlite_prune_fini(s);
    /* Closing the last connection checkpoints the WAL into the file. */
    int rc = sqlite3_close_v2(s->db);
    rc = rc == SQLITE_OK ? 0 : schema_errno(NULL, rc);
    free(s->hosts.slots);
    free(s->path);
    free(s);
    return rc;
}

/* ---- put_bins ---- */

int store_sqlite_month_of(int64_t ts, int32_t *ym)
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
            rc = store_sqlite_month_of(r->ts, &ym);
            if (rc < 0)
                return rc;
            last_ts = r->ts;
        }
        items[i].row = (uint32_t)i;
        items[i].ts = r->ts;
        items[i].dir = r->dir;
        items[i].step = ym;
        items[i].all = store_sqlite_host_is_all(&r->host);
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
    store_sqlite_host_key(a, key);
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
        rc = store_sqlite_run(s, st);
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
        c = cmp_i64(a->step, b->step);
    return c ? c : cmp_i64(a->row, b->row);
}

/* (ts, host): the bins table's key; then the direction, so that the runs
 * put_bins writes as one row are together. */
static int put_item_bin_cmp(const void *pa, const void *pb)
{
    const struct put_item *a = pa;
    const struct put_item *b = pb;
    int c = cmp_i64(a->ts, b->ts);
    if (c == 0)
        c = cmp_i64(a->host, b->host);
    if (c == 0)
        c = cmp_i64(a->dir, b->dir);
    return c ? c : cmp_i64(a->row, b->row);
}

/* (hour or day, host): the rollup tables' key. */
static int put_item_step_cmp(const void *pa, const void *pb)
{
    const struct put_item *a = pa;
    const struct put_item *b = pb;
    int c = cmp_i64(a->step, b->step);
    return c ? c : cmp_i64(a->host, b->host);
}

/* Adds c to the row of level lv at (ts, host). For the bins, the row's
 * counters after the addition are left in s->merged. */
static int row_add(struct sqlite_store *s, enum store_sqlite_level lv, int64_t ts, int64_t host,
                   const struct cells *c)
{
    uint8_t blob[CELLS_BLOB_MAX];
    size_t len = cells_encode(c, level_kind(lv), blob);
    sqlite3_stmt *st = s->st[ST_BIN_PUT + lv];
    sqlite3_bind_int64(st, 1, ts);
    sqlite3_bind_int64(st, 2, host);
    sqlite3_bind_blob(st, 3, blob, (int)len, SQLITE_STATIC);
    s->merged_set = false;
    int rc = store_sqlite_run(s, st);
    if (rc == 0 && !s->merged_set)
        s->merged = *c; /* a new row: what was added is all it holds */
    return rc;
}

/* of_add(kind, old, new): the conflict clause of every upsert. The sum of
 * two blobs of the kind (sums saturate, peaks take the larger), also left
 * in the store's merged for the writer. An old blob that does not decode
 * (a damaged file) is replaced by the new one and counted in s->damaged:
 * failing the write would fail every later batch that touches the row,
 * and what the row held cannot be read anyway. */
static void sql_of_add(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct sqlite_store *s = sqlite3_user_data(ctx);
    int kind = sqlite3_value_int(argv[0]);
    struct cells add;
    if ((kind != CELLS_BIN && kind != CELLS_ROLLUP) ||
        cells_decode(sqlite3_value_blob(argv[2]), (size_t)sqlite3_value_bytes(argv[2]),
                     (enum cells_kind)kind, &add) < 0) {
        sqlite3_result_error_code(ctx, SQLITE_MISUSE); /* the writer's own blob */
        return;
    }
    if (cells_decode(sqlite3_value_blob(argv[1]), (size_t)sqlite3_value_bytes(argv[1]),
                     (enum cells_kind)kind, &s->merged) < 0) {
        memset(&s->merged, 0, sizeof(s->merged));
        s->damaged++;
    }
    cells_merge(&s->merged, &add, (enum cells_kind)kind);
    uint8_t blob[CELLS_BLOB_MAX];
    size_t len = cells_encode(&s->merged, (enum cells_kind)kind, blob);
    s->merged_set = true;
    sqlite3_result_blob(ctx, blob, (int)len, SQLITE_TRANSIENT);
}

/* Adds a row's bytes and packets to its direction of c. put_check_row
 * keeps every counter of r at most INT64_MAX, as store_sqlite_sat_add
 * needs. */
static void add_row(struct cells *c, const struct bin_row *r)
{
    uint64_t *v = c->v[r->dir];
    for (size_t i = 0; i < CLASS__COUNT; i++) {
        v[i] = store_sqlite_sat_add(v[i], r->bytes[i]);
        v[CLASS__COUNT + i] = store_sqlite_sat_add(v[CLASS__COUNT + i], r->packets[i]);
    }
}

/* Writes the runs of items with the same (ts, host) as one row each, and
 * stores each row's bin bytes after the addition in now (indexed by row),
 * for the rollups' peaks. */
static int put_bins_rows(struct sqlite_store *s, const struct bin_batch *b,
                         const struct put_item *items, uint64_t *now)
{
    size_t i = 0;
    while (i < b->n) {
        size_t j = i;
        struct cells c;
        memset(&c, 0, sizeof(c));
        for (; j < b->n && items[j].ts == items[i].ts && items[j].host == items[i].host; j++)
            add_row(&c, &b->rows[items[j].row]);
        int rc = row_add(s, STORE_SQLITE_BINS, items[i].ts, items[i].host, &c);
        if (rc < 0)
            return rc;
        for (; i < j; i++)
            memcpy(&now[(size_t)items[i].row * CLASS__COUNT], s->merged.v[items[i].dir],
                   CLASS__COUNT * sizeof(*now));
    }
    return 0;
}

/* Adds a row to a rollup's sums, and its bin's size after the batch (now)
 * to the peaks. */
static void rollup_add(struct cells *acc, const struct bin_row *r, const uint64_t *now)
{
    add_row(acc, r);
    uint64_t *peak = acc->v[r->dir] + 2 * CLASS__COUNT;
    for (size_t c = 0; c < CLASS__COUNT; c++)
        if (now[c] > peak[c])
            peak[c] = now[c];
}

/* Adds items[0 .. n) to the rollups of level lv: one upsert per run of
 * items with the same step and host. now holds each row's bin bytes after
 * the batch's addition, indexed by row. */
static int put_rollups(struct sqlite_store *s, enum store_sqlite_level lv,
                       const struct bin_batch *b, struct put_item *items, size_t n,
                       const uint64_t *now)
{
    bool sorted = true;
    for (size_t i = 0; i < n; i++) {
        items[i].step = store_sqlite_floor(items[i].ts, levels[lv].step);
        if (i > 0 && put_item_step_cmp(&items[i - 1], &items[i]) > 0)
            sorted = false;
    }
    /* A batch mostly holds one bin, and then the bins' order is already
     * the rollups' order. */
    if (!sorted)
        qsort(items, n, sizeof(*items), put_item_step_cmp);
    size_t i = 0;
    while (i < n) {
        const struct put_item *first = &items[i];
        struct cells acc;
        memset(&acc, 0, sizeof(acc));
        for (; i < n && put_item_step_cmp(&items[i], first) == 0; i++)
            rollup_add(&acc, &b->rows[items[i].row], &now[(size_t)items[i].row * CLASS__COUNT]);
        int rc = row_add(s, lv, first->step, first->host, &acc);
        if (rc < 0)
            return rc;
    }
    return 0;
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
    return store_sqlite_run(s, st);
}

/* Adds the totals of each run of items[0 .. n) with the same host and
 * month (items sorted so). */
static int put_months(struct sqlite_store *s, const struct bin_batch *b,
                      const struct put_item *items, size_t n)
{
    size_t i = 0;
    while (i < n) {
        const struct put_item *first = &items[i];
        uint64_t sum[DIR__COUNT] = {0, 0};
        for (; i < n && items[i].host == first->host && items[i].step == first->step; i++) {
            uint64_t v = b->rows[items[i].row].bytes[CLASS_TOTAL];
            sum[items[i].dir] = store_sqlite_sat_add(sum[items[i].dir], v);
        }
        if (first->all)
            continue;
        int rc = put_month(s, first->host, (int32_t)first->step, sum[DIR_R], sum[DIR_S]);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* The rollups' and the monthly totals' part of a batch (items sorted by
 * bin): the rows of bins before the rollup mark (late flows) go into them
 * now, the others when their bin is sealed. A store's first batch sets the
 * mark to its oldest bin. */
static int put_late(struct sqlite_store *s, const struct bin_batch *b, struct put_item *items,
                    const uint64_t *now)
{
    int64_t mark = 0;
    bool set = false;
    int rc = store_sqlite_mark_get(s, &mark, &set);
    if (rc < 0)
        return rc;
    if (!set)
        mark = items[0].ts;
    size_t late = 0;
    while (late < b->n && items[late].ts < mark)
        late++;
    int64_t newest = items[b->n - 1].ts;
    qsort(items, late, sizeof(*items), put_item_month_cmp);
    rc = put_months(s, b, items, late);
    if (rc == 0)
        rc = put_rollups(s, STORE_SQLITE_HOURS, b, items, late, now);
    if (rc == 0)
        rc = put_rollups(s, STORE_SQLITE_DAYS, b, items, late, now);
    if (rc == 0)
        rc = store_sqlite_seal(s, mark, set, newest);
    return rc;
}

struct host_miss {
    struct of_addr a;
    size_t item;
};

/* The hosts table's key order (store_sqlite_host_key). */
static int host_miss_cmp(const void *pa, const void *pb)
{
    const struct host_miss *a = pa;
    const struct host_miss *b = pb;
    if (a->a.af != b->a.af)
        return a->a.af < b->a.af ? -1 : 1;
    int c = memcmp(a->a.b, b->a.b, sizeof(a->a.b));
    return c ? c : (a->item > b->item) - (a->item < b->item);
}

/* Every item's host id: from the cache where it has them, the others looked
 * up (and added) in the order of the hosts table's key. Taken in the agg's
 * hash order, a million new hosts each touched a page of that index at
 * random, and the first write of a bin took three times as long. */
static int put_hosts(struct sqlite_store *s, const struct bin_batch *b, struct put_item *items)
{
    struct host_miss *miss = NULL;
    size_t nmiss = 0;
    int rc = 0;
    for (size_t i = 0; i < b->n; i++) {
        struct of_addr a;
        rc = store_sqlite_host_norm(&b->rows[items[i].row].host, &a);
        if (rc < 0)
            goto out;
        items[i].host = cache_get(&s->hosts, &a);
        if (items[i].host > 0)
            continue;
        if (!miss && !(miss = malloc((b->n - i) * sizeof(*miss)))) {
            rc = -ENOMEM;
            goto out;
        }
        miss[nmiss++] = (struct host_miss){.a = a, .item = i};
    }
    if (nmiss)
        qsort(miss, nmiss, sizeof(*miss), host_miss_cmp);
    for (size_t k = 0; k < nmiss && rc == 0; k++)
        rc = host_id(s, &miss[k].a, &items[miss[k].item].host);
out:
    free(miss);
    return rc;
}

static int put_rows(struct sqlite_store *s, const struct bin_batch *b, struct put_item *items,
                    uint64_t *now)
{
    int rc = put_hosts(s, b, items);
    if (rc < 0)
        return rc;
    qsort(items, b->n, sizeof(*items), put_item_bin_cmp);
    rc = put_bins_rows(s, b, items, now);
    if (rc < 0)
        return rc;
    return put_late(s, b, items, now);
}

static void put_abort(struct sqlite_store *s, size_t n, int rc)
{
    if (log_every(&s->log_limit, LOG_INTERVAL_S))
        log_msg(LOG_ERR, "store: %s: writing %zu rows failed (%s): %s", s->path, n, strerror(-rc),
                sqlite3_errmsg(s->db));
    if (!sqlite3_get_autocommit(s->db))
        (void)store_sqlite_run(s, s->st[ST_ROLLBACK]);
    cache_clear(&s->hosts);
}

static int sqlite_put_bins(struct store *base, const struct bin_batch *b)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    if (s->readonly)
        return -EROFS;
    if (b->n == 0)
        return 0;
    if (b->n > STORE_SQLITE_BATCH_MAX)
        return -E2BIG;
    int rc = -ENOMEM;
    struct put_item *items = calloc(b->n, sizeof(*items));
    uint64_t *now = calloc(b->n, CLASS__COUNT * sizeof(*now));
    if (!items || !now)
        goto out;
    rc = put_prepare(b, items);
    if (rc < 0)
        goto out;
    uint64_t damaged = s->damaged;
    rc = store_sqlite_run(s, s->st[ST_BEGIN]);
    if (rc == 0)
        rc = put_rows(s, b, items, now);
    if (rc == 0)
        rc = store_sqlite_run(s, s->st[ST_COMMIT]);
    if (rc < 0)
        put_abort(s, b->n, rc);
    if (s->damaged != damaged && log_every(&s->log_damaged, LOG_INTERVAL_S))
        log_msg(LOG_WARN,
                "store: %s: %" PRIu64 " rows so far held counters that do not decode"
                " (the file was damaged): writes replaced them, the rollups left them out",
                s->path, s->damaged);
out:
    free(now);
    free(items);
    return rc;
}

const struct store_ops store_sqlite_ops = {
    .name = "sqlite",
    .open = sqlite_open,
    .put_bins = sqlite_put_bins,
    .get_series = store_sqlite_get_series,
    .get_traff = store_sqlite_get_traff,
    .get_steps = store_sqlite_get_steps,
    .get_top = store_sqlite_get_top,
    .get_info = store_sqlite_get_info,
    .prune = store_sqlite_prune,
    .close = sqlite_close,
};
