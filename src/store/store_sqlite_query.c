/* store/store_sqlite_query.c: the SQLite store's queries.
 *
 * Every table is keyed by time first (see schema.c), which suits the writer,
 * not a reader of one host. One host's series is therefore read as one
 * primary-key lookup per step of the range: the statement generates the step
 * starts and joins them to the table (see sql_series in store_sqlite.c).
 * That costs a few microseconds per step however many hosts the store has,
 * which is why the charts of long periods read the hourly and daily rollups:
 * a year is 365 lookups instead of 105,120. The range is first narrowed to
 * the rows that exist, so an open-ended range costs nothing extra.
 *
 * A ranking reads, per step of the range, the rows of every host (a seek
 * to ts, then a run over the hosts) and adds them up in an array
 * indexed by host id, which SQLite hands out densely from 1. GROUP BY would
 * sort every row first. The range is split so that whole days come from the
 * daily rollups, whole hours from the hourly ones and only the ragged edges
 * from the bins, which reads the fewest rows. The reads of one ranking share
 * a read transaction, so that they see one state of the file.
 *
 * The rollups hold the bins before the rollup mark (store_sqlite_seal.c):
 * a reader of a rollup adds the bins from the mark on, a few minutes'
 * worth, from the bins table. */
#include "store/store_sqlite_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/schema.h"

/* Ranges are clamped to this before any rounding, so that rounding cannot
 * overflow. Rows are written only for the years 1 to 9999 (put_bins uses
 * the local date), well inside it. */
#define TS_LIMIT (INT64_C(1) << 62)
/* A range splits into at most: bins, hours, days, hours, bins. */
#define TOP_SEGS 5

struct span {
    int64_t lo; /* first and last step start stored */
    int64_t hi;
    bool empty;
};

/* A piece of a ranking's range: whole steps of one level. */
struct top_seg {
    enum store_sqlite_level lv;
    int64_t from;
    int64_t to;
};

/* One host's place in a ranking. */
struct top_pick {
    int64_t id;
    uint64_t bytes;
};

/* A ranking on its way: bytes per host id. */
struct top_sums {
    uint64_t *bytes; /* [0 .. max_id] */
    int64_t max_id;
    int64_t all_id; /* 0.0.0.0's id, left out; 0 when it has none */
    size_t nonzero;
};

static int64_t clamp_ts(int64_t ts)
{
    return ts < -TS_LIMIT ? -TS_LIMIT : ts > TS_LIMIT ? TS_LIMIT : ts;
}

static int64_t ceil_to(int64_t ts, int64_t step)
{
    int64_t f = store_sqlite_floor(ts, step);
    return f == ts ? f : f + step;
}

int store_sqlite_host_from_key(const void *blob, int len, struct of_addr *out)
{
    const uint8_t *k = blob;
    if (!k || len != STORE_SQLITE_KEY_LEN || (k[0] != ADDR_V4 && k[0] != ADDR_V6))
        return -EBADMSG;
    struct of_addr a;
    a.af = k[0];
    memcpy(a.b, k + 1, 16);
    return store_sqlite_host_norm(&a, out);
}

/* Runs a statement that returns one row of integers into out[0 .. n). A
 * NULL reads as 0; *null tells whether the first column was NULL. */
static int query_ints(struct sqlite_store *s, sqlite3_stmt *st, int64_t *out, int n, bool *null)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (null)
            *null = sqlite3_column_type(st, 0) == SQLITE_NULL;
        for (int i = 0; i < n; i++)
            out[i] = sqlite3_column_int64(st, i);
        rc = SQLITE_DONE;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_INTERNAL; /* these statements always return a row */
    }
    int err = schema_errno(s->db, rc);
    sqlite3_reset(st);
    return err;
}

static int read_span(struct sqlite_store *s, enum store_sqlite_level lv, struct span *out)
{
    int64_t v[2] = {0, 0};
    bool empty = true;
    int rc = query_ints(s, s->st[ST_SPAN + lv], v, 2, &empty);
    if (rc < 0)
        return rc;
    out->lo = v[0];
    out->hi = v[1];
    out->empty = empty;
    return 0;
}

/* ---- series ---- */

/* Narrows [from, to) to the bins stored and moves from up to a bin start.
 * *none when no bin can be in the range. */
static int series_range(struct sqlite_store *s, int64_t *from, int64_t *to, bool *none)
{
    struct span sp;
    int rc = read_span(s, STORE_SQLITE_BINS, &sp);
    *none = true;
    if (rc < 0 || sp.empty)
        return rc;
    int64_t f = *from > sp.lo ? *from : sp.lo;
    int64_t t = *to;
    if (sp.hi < INT64_MAX && t > sp.hi + 1)
        t = sp.hi + 1;
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

/* The counters of the current row of st (column col, a cells blob of the
 * level) in c; *empty when the direction dir has none. */
static int row_cells(sqlite3_stmt *st, int col, enum store_sqlite_level lv, int dir,
                     struct cells *c, bool *empty)
{
    enum cells_kind kind = lv == STORE_SQLITE_BINS ? CELLS_BIN : CELLS_ROLLUP;
    if (cells_decode(sqlite3_column_blob(st, col), (size_t)sqlite3_column_bytes(st, col), kind, c) <
        0)
        return -EBADMSG;
    uint64_t any = 0;
    for (size_t i = 0; i < CELLS_VALUES; i++)
        any |= c->v[dir][i];
    *empty = any == 0;
    return 0;
}

/* Rows of ST_SERIES (ts, cells). A row that holds only the other
 * direction is no step of this one. */
static int series_walk(struct sqlite_store *s, sqlite3_stmt *st, struct bin_row *row, series_cb cb,
                       void *arg)
{
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        struct cells c;
        bool empty;
        if (row_cells(st, 1, STORE_SQLITE_BINS, row->dir, &c, &empty) < 0)
            return -EBADMSG;
        if (empty)
            continue;
        row->ts = sqlite3_column_int64(st, 0);
        memcpy(row->bytes, c.v[row->dir], sizeof(row->bytes));
        memcpy(row->packets, c.v[row->dir] + CLASS__COUNT, sizeof(row->packets));
        int rc = cb(row, arg);
        if (rc != 0)
            return rc;
    }
    return schema_errno(s->db, step);
}

int store_sqlite_get_series(struct store *base, const struct of_addr *host, int dir, int64_t from,
                            int64_t to, series_cb cb, void *arg)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    struct bin_row row;
    memset(&row, 0, sizeof(row));
    if (dir < 0 || dir >= DIR__COUNT || store_sqlite_host_norm(host, &row.host) < 0)
        return -EINVAL;
    row.dir = (uint8_t)dir;
    bool none = true;
    int rc = series_range(s, &from, &to, &none);
    if (rc < 0 || none)
        return rc;
    uint8_t key[STORE_SQLITE_KEY_LEN];
    store_sqlite_host_key(&row.host, key);
    sqlite3_stmt *st = s->st[ST_SERIES];
    sqlite3_bind_blob(st, 1, key, sizeof(key), SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, to);
    rc = series_walk(s, st, &row, cb, arg);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

/* ---- steps ---- */

static int level_of(enum store_step step, enum store_sqlite_level *out)
{
    switch (step) {
    case STORE_STEP_BIN:
        *out = STORE_SQLITE_BINS;
        return 0;
    case STORE_STEP_HOUR:
        *out = STORE_SQLITE_HOURS;
        return 0;
    case STORE_STEP_DAY:
        *out = STORE_SQLITE_DAYS;
        return 0;
    }
    return -EINVAL;
}

/* Rounds [from, to) down to steps of level lv and narrows it to the steps
 * stored. *none when no step can be in the range. */
static int steps_range(struct sqlite_store *s, enum store_sqlite_level lv, int64_t *from,
                       int64_t *to, bool *none)
{
    struct span sp;
    int rc = read_span(s, lv, &sp);
    *none = true;
    if (rc < 0 || sp.empty)
        return rc;
    int64_t step = store_sqlite_step(lv);
    int64_t lo = store_sqlite_floor(clamp_ts(sp.lo), step);
    int64_t end = store_sqlite_floor(clamp_ts(sp.hi), step) + step;
    int64_t f = store_sqlite_floor(clamp_ts(*from), step);
    int64_t t = store_sqlite_floor(clamp_ts(*to), step);
    if (f < lo)
        f = lo;
    if (t > end)
        t = end;
    if (f >= t)
        return 0;
    *from = f;
    *to = t;
    *none = false;
    return 0;
}

/* Rows of ST_SERIES or of a rollup's ST_STEPS_ (ts, cells): a bin's peak
 * is its bytes. */
static int steps_walk(struct sqlite_store *s, sqlite3_stmt *st, enum store_sqlite_level lv, int dir,
                      step_cb cb, void *arg)
{
    struct step_row row;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        struct cells c;
        bool empty;
        if (row_cells(st, 1, lv, dir, &c, &empty) < 0)
            return -EBADMSG;
        if (empty)
            continue;
        row.ts = sqlite3_column_int64(st, 0);
        const uint64_t *v = c.v[dir];
        memcpy(row.bytes, v, sizeof(row.bytes));
        memcpy(row.packets, v + CLASS__COUNT, sizeof(row.packets));
        memcpy(row.peak, lv == STORE_SQLITE_BINS ? v : v + 2 * CLASS__COUNT, sizeof(row.peak));
        int rc = cb(&row, arg);
        if (rc != 0)
            return rc;
    }
    return schema_errno(s->db, step);
}

/* Steps collected before they are reported: a rollup's, then the bins
 * after the rollup mark added in. */
struct step_buf {
    struct step_row *v;
    size_t n;
    size_t cap;
    int64_t step; /* the level's step length */
};

static int step_push(const struct step_row *row, void *arg)
{
    struct step_buf *b = arg;
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 64;
        struct step_row *v = realloc(b->v, cap * sizeof(*v));
        if (!v)
            return -ENOMEM;
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = *row;
    return 0;
}

/* Adds a bin after the mark to its step. Such a bin is later than every
 * bin in the rollups, so its step is the last one collected or a new one. */
static int step_fold_bin(const struct bin_row *bin, void *arg)
{
    struct step_buf *b = arg;
    int64_t ts = store_sqlite_floor(bin->ts, b->step);
    if (b->n == 0 || b->v[b->n - 1].ts != ts) {
        struct step_row row;
        memset(&row, 0, sizeof(row));
        row.ts = ts;
        int rc = step_push(&row, b);
        if (rc != 0)
            return rc;
    }
    struct step_row *r = &b->v[b->n - 1];
    for (int c = 0; c < CLASS__COUNT; c++) {
        r->bytes[c] = store_sqlite_sat_add(r->bytes[c], bin->bytes[c]);
        r->packets[c] = store_sqlite_sat_add(r->packets[c], bin->packets[c]);
        if (bin->bytes[c] > r->peak[c])
            r->peak[c] = bin->bytes[c];
    }
    return 0;
}

/* The rollup's steps of [from, to) (whole steps), in b. */
static int steps_stored(struct sqlite_store *s, const uint8_t *key, int dir,
                        enum store_sqlite_level lv, int64_t from, int64_t to, struct step_buf *b)
{
    bool none = true;
    int rc = steps_range(s, lv, &from, &to, &none);
    if (rc < 0 || none)
        return rc;
    sqlite3_stmt *st = s->st[ST_SERIES + lv];
    sqlite3_bind_blob(st, 1, key, STORE_SQLITE_KEY_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, to);
    rc = steps_walk(s, st, lv, dir, step_push, b);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

/* A rollup's steps with the bins after the rollup mark added in. */
static int steps_rollup(struct sqlite_store *s, const struct of_addr *host, int dir,
                        enum store_sqlite_level lv, int64_t from, int64_t to, step_cb cb, void *arg)
{
    struct step_buf b = {.v = NULL, .n = 0, .cap = 0, .step = store_sqlite_step(lv)};
    from = store_sqlite_floor(clamp_ts(from), b.step);
    to = store_sqlite_floor(clamp_ts(to), b.step);
    if (from >= to)
        return 0;
    uint8_t key[STORE_SQLITE_KEY_LEN];
    store_sqlite_host_key(host, key);
    int64_t mark = 0;
    bool set = false;
    /* One read transaction: a seal between the reads would count its bin
     * twice or not at all. */
    int rc = store_sqlite_run(s, s->st[ST_BEGIN_READ]);
    if (rc == 0)
        rc = steps_stored(s, key, dir, lv, from, to, &b);
    if (rc == 0)
        rc = store_sqlite_mark_get(s, &mark, &set);
    if (rc == 0 && set && mark < to)
        rc = store_sqlite_get_series(&s->base, host, dir, mark > from ? mark : from, to,
                                     step_fold_bin, &b);
    if (!sqlite3_get_autocommit(s->db)) {
        int end = store_sqlite_run(s, s->st[rc < 0 ? ST_ROLLBACK : ST_COMMIT]);
        if (rc == 0)
            rc = end;
    }
    for (size_t i = 0; i < b.n && rc == 0; i++)
        rc = cb(&b.v[i], arg);
    free(b.v);
    return rc;
}

int store_sqlite_get_steps(struct store *base, const struct of_addr *host, int dir, int64_t from,
                           int64_t to, enum store_step step, step_cb cb, void *arg)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    enum store_sqlite_level lv;
    struct of_addr a;
    if (dir < 0 || dir >= DIR__COUNT || level_of(step, &lv) < 0 ||
        store_sqlite_host_norm(host, &a) < 0)
        return -EINVAL;
    if (lv != STORE_SQLITE_BINS)
        return steps_rollup(s, &a, dir, lv, from, to, cb, arg);
    bool none = true;
    int rc = steps_range(s, lv, &from, &to, &none);
    if (rc < 0 || none)
        return rc;
    uint8_t key[STORE_SQLITE_KEY_LEN];
    store_sqlite_host_key(&a, key);
    sqlite3_stmt *st = s->st[ST_SERIES];
    sqlite3_bind_blob(st, 1, key, sizeof(key), SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, to);
    rc = steps_walk(s, st, lv, dir, cb, arg);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

/* ---- rankings ---- */

/* Covers [from, to), a range of whole steps of the level below lv, with the
 * whole steps of lv inside it and, recursively, finer steps at the edges. */
static size_t top_split(int64_t from, int64_t to, enum store_sqlite_level lv, struct top_seg *seg)
{
    if (from >= to)
        return 0;
    if (lv == STORE_SQLITE_BINS) {
        seg[0] = (struct top_seg){.lv = lv, .from = from, .to = to};
        return 1;
    }
    int64_t step = store_sqlite_step(lv);
    int64_t a = ceil_to(from, step);
    int64_t z = store_sqlite_floor(to, step);
    enum store_sqlite_level finer = (enum store_sqlite_level)(lv - 1);
    if (a >= z)
        return top_split(from, to, finer, seg);
    size_t n = top_split(from, a, finer, seg);
    seg[n++] = (struct top_seg){.lv = lv, .from = a, .to = z};
    return n + top_split(z, to, finer, seg + n);
}

/* Adds the rows of one segment, narrowed to the steps its level stores. */
static int top_read(struct sqlite_store *s, struct top_sums *sums, const struct top_seg *g, int dir,
                    int cls)
{
    struct span sp;
    int rc = read_span(s, g->lv, &sp);
    if (rc < 0 || sp.empty)
        return rc;
    int64_t step = store_sqlite_step(g->lv);
    int64_t from = g->from;
    int64_t to = g->to;
    int64_t lo = store_sqlite_floor(clamp_ts(sp.lo), step);
    int64_t end = store_sqlite_floor(clamp_ts(sp.hi), step) + step;
    from = from > lo ? from : lo;
    to = to < end ? to : end;
    if (from >= to)
        return 0;
    sqlite3_stmt *st = NULL;
    rc = store_sqlite_top_stmt(s, g->lv, &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        struct cells c;
        bool empty;
        if (id < 1 || id > sums->max_id || row_cells(st, 1, g->lv, dir, &c, &empty) < 0) {
            rc = SQLITE_CORRUPT; /* a bin of a host that is not there, or damaged */
            break;
        }
        uint64_t v = c.v[dir][cls];
        if (id == sums->all_id || v == 0)
            continue;
        uint64_t *b = &sums->bytes[id];
        sums->nonzero += *b == 0;
        *b = store_sqlite_sat_add(*b, v);
    }
    rc = schema_errno(s->db, rc);
    sqlite3_reset(st);
    return rc;
}

static int top_hosts(struct sqlite_store *s, struct top_sums *sums)
{
    int rc = query_ints(s, s->st[ST_HOST_MAX], &sums->max_id, 1, NULL);
    if (rc < 0)
        return rc;
    if (sums->max_id < 0 || (uint64_t)sums->max_id >= SIZE_MAX / sizeof(*sums->bytes))
        return -EBADMSG;
    sums->bytes = calloc((size_t)sums->max_id + 1, sizeof(*sums->bytes));
    if (!sums->bytes)
        return -ENOMEM;
    return store_sqlite_id(s, ST_ALL_ID, &sums->all_id);
}

/* Bytes of every host over [from, to) in sums; from and to are clamped. */
static int top_sum(struct sqlite_store *s, struct top_sums *sums, int dir, int cls, int64_t from,
                   int64_t to)
{
    int rc = top_hosts(s, sums);
    if (rc < 0)
        return rc;
    /* The bins in the range are those from the first bin start at or after
     * from up to the last one before to. */
    from = ceil_to(clamp_ts(from), BIN_SECONDS);
    to = ceil_to(clamp_ts(to), BIN_SECONDS);
    struct top_seg seg[TOP_SEGS];
    size_t n = top_split(from, to, STORE_SQLITE_DAYS, seg);
    int64_t mark = 0;
    bool set = false;
    rc = store_sqlite_mark_get(s, &mark, &set);
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = top_read(s, sums, &seg[i], dir, cls);
        /* A rollup holds the bins before the mark; the rest come from the
         * bins themselves. */
        struct top_seg rest = {.lv = STORE_SQLITE_BINS, .from = mark, .to = seg[i].to};
        if (rest.from < seg[i].from)
            rest.from = seg[i].from;
        if (rc == 0 && set && seg[i].lv != STORE_SQLITE_BINS && rest.from < rest.to)
            rc = top_read(s, sums, &rest, dir, cls);
    }
    return rc;
}

static bool top_better(const struct top_pick *a, const struct top_pick *b)
{
    return a->bytes != b->bytes ? a->bytes > b->bytes : a->id < b->id;
}

static int top_pick_cmp(const void *pa, const void *pb)
{
    const struct top_pick *a = pa;
    const struct top_pick *b = pb;
    return top_better(a, b) ? -1 : top_better(b, a);
}

/* heap[0 .. n) is a heap with the worst pick on top; restores that after
 * heap[i] got worse. */
static void heap_down(struct top_pick *heap, size_t n, size_t i)
{
    for (;;) {
        size_t worst = i;
        size_t l = 2 * i + 1;
        size_t r = l + 1;
        if (l < n && top_better(&heap[worst], &heap[l]))
            worst = l;
        if (r < n && top_better(&heap[worst], &heap[r]))
            worst = r;
        if (worst == i)
            return;
        struct top_pick t = heap[i];
        heap[i] = heap[worst];
        heap[worst] = t;
        i = worst;
    }
}

/* The best k hosts of sums, best first, in picks (k entries). */
static void top_pick(const struct top_sums *sums, struct top_pick *picks, size_t k)
{
    size_t n = 0;
    for (int64_t id = 1; id <= sums->max_id; id++) {
        struct top_pick p = {.id = id, .bytes = sums->bytes[id]};
        if (p.bytes == 0)
            continue;
        if (n < k) {
            picks[n++] = p;
            if (n == k)
                for (size_t i = k / 2; i-- > 0;)
                    heap_down(picks, k, i);
        } else if (top_better(&p, &picks[0])) {
            picks[0] = p;
            heap_down(picks, k, 0);
        }
    }
    qsort(picks, n, sizeof(*picks), top_pick_cmp);
}

/* The addresses of the picks. */
static int top_rows(struct sqlite_store *s, const struct top_pick *picks, size_t n,
                    struct top_row *rows)
{
    sqlite3_stmt *st = s->st[ST_HOST_KEY];
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(st, 1, picks[i].id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            rc = store_sqlite_host_from_key(sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0),
                                            &rows[i].host);
        else
            rc = rc == SQLITE_DONE ? -EBADMSG : schema_errno(s->db, rc);
        sqlite3_reset(st);
        if (rc < 0)
            return rc;
        rows[i].bytes = picks[i].bytes;
    }
    return 0;
}

/* The ranking's rows, best first, in *out (*n of them; the caller frees
 * *out). Runs in a read transaction. */
static int top_collect(struct sqlite_store *s, int dir, int cls, int64_t from, int64_t to,
                       size_t limit, struct top_row **out, size_t *n)
{
    struct top_sums sums = {.bytes = NULL, .max_id = 0, .all_id = 0, .nonzero = 0};
    struct top_pick *picks = NULL;
    struct top_row *rows = NULL;
    size_t k = 0;
    int rc = store_sqlite_run(s, s->st[ST_BEGIN_READ]);
    if (rc < 0)
        return rc;
    rc = top_sum(s, &sums, dir, cls, from, to);
    if (rc < 0)
        goto out;
    k = limit < sums.nonzero ? limit : sums.nonzero;
    rc = -ENOMEM;
    picks = calloc(k ? k : 1, sizeof(*picks));
    rows = calloc(k ? k : 1, sizeof(*rows));
    if (!picks || !rows)
        goto out;
    top_pick(&sums, picks, k);
    rc = top_rows(s, picks, k, rows);
out:
    if (!sqlite3_get_autocommit(s->db)) {
        int end = store_sqlite_run(s, s->st[rc < 0 ? ST_ROLLBACK : ST_COMMIT]);
        if (rc == 0)
            rc = end;
    }
    if (rc == 0) {
        *out = rows;
        *n = k;
        rows = NULL; /* the caller's now */
    }
    free(rows);
    free(picks);
    free(sums.bytes);
    return rc;
}

int store_sqlite_get_top(struct store *base, int dir, int cls, int64_t from, int64_t to,
                         size_t limit, top_cb cb, void *arg)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    if (dir < 0 || dir >= DIR__COUNT || cls < 0 || cls >= CLASS__COUNT)
        return -EINVAL;
    if (limit == 0 || from >= to)
        return 0;
    struct top_row *rows = NULL;
    size_t n = 0;
    int rc = top_collect(s, dir, cls, from, to, limit, &rows, &n);
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = cb(&rows[i], arg);
    free(rows);
    return rc;
}

/* ---- info ---- */

/* Adds the size of the file at path, or of path with suffix appended, to
 * *size; a file that is not there adds nothing. */
static int add_file_size(const char *path, const char *suffix, uint64_t *size)
{
    size_t len = strlen(path);
    size_t slen = strlen(suffix);
    char *p = malloc(len + slen + 1);
    if (!p)
        return -ENOMEM;
    memcpy(p, path, len);
    memcpy(p + len, suffix, slen + 1);
    struct stat sb;
    int rc = stat(p, &sb) == 0 ? 0 : -errno;
    free(p);
    if (rc == -ENOENT)
        return 0;
    if (rc < 0)
        return rc;
    *size += (uint64_t)sb.st_size;
    return 0;
}

int store_sqlite_get_info(struct store *base, struct store_info *out)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    struct store_info info;
    memset(&info, 0, sizeof(info));
    int rc = add_file_size(s->path, "", &info.size_bytes);
    if (rc == 0)
        rc = add_file_size(s->path, "-wal", &info.size_bytes);
    int64_t v = 0;
    if (rc == 0)
        rc = query_ints(s, s->st[ST_HOST_COUNT], &v, 1, NULL);
    info.hosts = v > 0 ? (uint64_t)v : 0;
    if (rc == 0)
        rc = query_ints(s, s->st[ST_VERSION], &v, 1, NULL);
    info.schema_version = (int)v;
    if (rc == 0)
        rc = query_ints(s, s->st[ST_FREE_BYTES], &v, 1, NULL);
    info.free_bytes = v > 0 ? (uint64_t)v : 0;
    struct span sp = {.lo = 0, .hi = 0, .empty = true};
    struct span hours = {.lo = 0, .hi = 0, .empty = true};
    if (rc == 0)
        rc = read_span(s, STORE_SQLITE_BINS, &sp);
    if (rc == 0)
        rc = read_span(s, STORE_SQLITE_HOURS, &hours);
    if (rc < 0)
        return rc;
    if (!sp.empty) {
        info.first_bin = sp.lo;
        info.last_bin = sp.hi;
    }
    if (!hours.empty)
        info.first_hour = hours.lo;
    *out = info;
    return 0;
}
