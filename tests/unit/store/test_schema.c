/* tests/unit/store/test_schema.c: upgrading store files of an older schema
 * version. An older file is made by writing a store (of the current
 * version) and then taking it back to what that version had: version 3 has
 * the bins and rollups in columns, one row per direction, and rollups that
 * hold every bin; version 2 is version 3 without the dashboard's tables,
 * version 1 is version 2 without the rollups. An upgraded file must read
 * through the store's interface exactly as the file it was made from. */
/* cmocka.h needs these first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>

#include "store/schema.h"
#include "store/store.h"
#include "store/store_sqlite.h"
#include "unit/store/store_fixture.h"

/* ---- older versions ---- */

/* Version 1's bins and version 2's rollups, as schema.c created them
 * (schema_v1, V2_TABLE): one row per host, direction and step, the
 * counters in columns. Laid out by hand, as in schema.c. */
/* clang-format off */
static const char v1_bins[] =
    "CREATE TABLE bins ("
    " host INTEGER NOT NULL, dir INTEGER NOT NULL, ts INTEGER NOT NULL,"
    " b_total INTEGER NOT NULL DEFAULT 0, b_icmp INTEGER NOT NULL DEFAULT 0,"
    " b_udp INTEGER NOT NULL DEFAULT 0, b_tcp INTEGER NOT NULL DEFAULT 0,"
    " b_mail INTEGER NOT NULL DEFAULT 0, b_dns INTEGER NOT NULL DEFAULT 0,"
    " b_vpn INTEGER NOT NULL DEFAULT 0, b_ftp INTEGER NOT NULL DEFAULT 0,"
    " b_web INTEGER NOT NULL DEFAULT 0, b_proxy INTEGER NOT NULL DEFAULT 0,"
    " b_quic INTEGER NOT NULL DEFAULT 0, b_sip INTEGER NOT NULL DEFAULT 0,"
    " p_total INTEGER NOT NULL DEFAULT 0, p_icmp INTEGER NOT NULL DEFAULT 0,"
    " p_udp INTEGER NOT NULL DEFAULT 0, p_tcp INTEGER NOT NULL DEFAULT 0,"
    " p_mail INTEGER NOT NULL DEFAULT 0, p_dns INTEGER NOT NULL DEFAULT 0,"
    " p_vpn INTEGER NOT NULL DEFAULT 0, p_ftp INTEGER NOT NULL DEFAULT 0,"
    " p_web INTEGER NOT NULL DEFAULT 0, p_proxy INTEGER NOT NULL DEFAULT 0,"
    " p_quic INTEGER NOT NULL DEFAULT 0, p_sip INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (ts, dir, host)) WITHOUT ROWID;";

#define V2_CLASSES(X)                                                                              \
    X("total")                                                                                     \
    X("icmp")                                                                                      \
    X("udp") X("tcp") X("mail") X("dns") X("vpn") X("ftp") X("web") X("proxy") X("quic") X("sip")

#define V2_COL_DEF(c)  ", b_" c " INTEGER NOT NULL DEFAULT 0"
#define V2_PEAK_DEF(c) ", m_" c " INTEGER NOT NULL DEFAULT 0"
#define V2_PKT_DEF(c)  ", p_" c " INTEGER NOT NULL DEFAULT 0"
#define V2_TABLE(name)                                                                             \
    "CREATE TABLE " name                                                                           \
    " (host INTEGER NOT NULL, dir INTEGER NOT NULL, ts INTEGER NOT NULL" V2_CLASSES(V2_COL_DEF)    \
        V2_CLASSES(V2_PEAK_DEF)                                                                    \
            V2_CLASSES(V2_PKT_DEF) ", PRIMARY KEY (ts, dir, host)) WITHOUT ROWID;"

/* A rollup from all the bins, as version 2 and 3 kept it: per step,
 * direction and host the sums of bytes and packets and the bytes of the
 * fullest bin, per class. Sums saturate at BIN_COUNTER_MAX (v3_sat_sum)
 * as the store's do. */
#define V3_COL(c)      ", b_" c
#define V3_PEAK(c)     ", m_" c
#define V3_PKT(c)      ", p_" c
#define V3_SUM(c)      ", v3_sat_sum(b_" c ")"
#define V3_BIN_PEAK(c) ", max(b_" c ")"
#define V3_PKT_SUM(c)  ", v3_sat_sum(p_" c ")"
#define V3_ROLLUP(name, step)                                                                      \
    "INSERT INTO " name " (host, dir, ts" V2_CLASSES(V3_COL) V2_CLASSES(V3_PEAK)                   \
        V2_CLASSES(V3_PKT) ") SELECT host, dir, ts - (ts % " step " + " step ") % " step " AS st"  \
        V2_CLASSES(V3_SUM) V2_CLASSES(V3_BIN_PEAK) V2_CLASSES(V3_PKT_SUM)                          \
        " FROM bins GROUP BY st, dir, host ORDER BY st, dir, host;"
/* clang-format on */

static const char v3_tables[] = V2_TABLE("bins_1h") V2_TABLE("bins_1d");
static const char v3_rollups[] = V3_ROLLUP("bins_1h", "3600") V3_ROLLUP("bins_1d", "86400");

static void sat_sum_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    uint64_t *sum = sqlite3_aggregate_context(ctx, sizeof(*sum));
    if (!sum) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    uint64_t v = (uint64_t)sqlite3_value_int64(argv[0]);
    *sum = v > BIN_COUNTER_MAX - *sum ? BIN_COUNTER_MAX : *sum + v;
}

static void sat_sum_final(sqlite3_context *ctx)
{
    uint64_t *sum = sqlite3_aggregate_context(ctx, 0);
    sqlite3_result_int64(ctx, sum ? (sqlite3_int64)*sum : 0);
}

/* Takes a file of the current version back to version 3: the bins and
 * rollups in version 3's tables, the rollups computed from every bin (the
 * current version's lack the bins after the rollup mark), no rollup_mark. */
static void to_version_3(const char *path)
{
    sqlite3 *db = raw_open(path);
    assert_int_equal(sqlite3_create_function(db, "v3_sat_sum", 1, SQLITE_UTF8, NULL, NULL,
                                             sat_sum_step, sat_sum_final),
                     SQLITE_OK);
    raw_exec(db,
             "BEGIN;"
             "CREATE TEMP TABLE v3_bins AS SELECT * FROM v_bins;"
             "DROP VIEW v_bins; DROP VIEW v_bins_1h; DROP VIEW v_bins_1d;"
             "DROP TABLE bins; DROP TABLE bins_1h; DROP TABLE bins_1d; DROP TABLE rollup_mark;");
    raw_exec(db, v1_bins);
    raw_exec(db, "INSERT INTO bins SELECT * FROM v3_bins ORDER BY ts, dir, host;"
                 "DROP TABLE v3_bins;");
    raw_exec(db, v3_tables);
    raw_exec(db, v3_rollups);
    /* Version 3 added every write to the monthly totals; version 4 adds a
     * bin when it is sealed. TZ is UTC here, so the month is the UTC one. */
    raw_exec(db, "DELETE FROM monthly;"
                 "INSERT INTO monthly (ym, host, dl, ul)"
                 " SELECT CAST(strftime('%Y%m', ts, 'unixepoch') AS INTEGER) AS ym, host,"
                 " v3_sat_sum(CASE dir WHEN 0 THEN b_total ELSE 0 END),"
                 " v3_sat_sum(CASE dir WHEN 1 THEN b_total ELSE 0 END) FROM bins"
                 " WHERE host != (SELECT id FROM hosts WHERE ip = '0.0.0.0')"
                 " GROUP BY ym, host HAVING sum(b_total) > 0;");
    raw_exec(db, "PRAGMA user_version = 3; COMMIT");
    sqlite3_close(db);
}

static void to_version_2(const char *path)
{
    to_version_3(path);
    sqlite3 *db = raw_open(path);
    /* sqlite_sequence cannot be dropped; emptied, it is what version 2 had
     * in effect (SQLite creates it with the first AUTOINCREMENT table). */
    raw_exec(db, "DROP TABLE users; DROP TABLE sessions; DROP TABLE api_tokens;"
                 " DROP TABLE ui_networks; DELETE FROM sqlite_sequence; PRAGMA user_version = 2");
    sqlite3_close(db);
}

static void to_version_1(const char *path)
{
    to_version_2(path);
    sqlite3 *db = raw_open(path);
    raw_exec(db, "DROP TABLE bins_1h; DROP TABLE bins_1d; PRAGMA user_version = 1");
    sqlite3_close(db);
}

static int64_t version(const char *path)
{
    sqlite3 *db = raw_open(path);
    int64_t v = raw_int(db, "PRAGMA user_version");
    sqlite3_close(db);
    return v;
}

static int64_t raw_count(const char *path, const char *sql)
{
    sqlite3 *db = raw_open(path);
    int64_t n = raw_int(db, sql);
    sqlite3_close(db);
    return n;
}

/* ---- what the store reports ---- */

/* Everything a snapshot saw, as integers in the order it saw them. */
struct snap {
    int64_t *v;
    size_t n;
    size_t cap;
};

static void snap_push(struct snap *s, int64_t x)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 4096;
        s->v = realloc(s->v, s->cap * sizeof(*s->v));
        assert_non_null(s->v);
    }
    s->v[s->n++] = x;
}

static void snap_addr(struct snap *s, const struct of_addr *a)
{
    int64_t half[2];
    memcpy(half, a->b, sizeof(half));
    snap_push(s, a->af);
    snap_push(s, half[0]);
    snap_push(s, half[1]);
}

static void snap_counters(struct snap *s, const uint64_t *v)
{
    for (int c = 0; c < CLASS__COUNT; c++)
        snap_push(s, (int64_t)v[c]);
}

static int snap_series(const struct bin_row *r, void *arg)
{
    struct snap *s = arg;
    snap_addr(s, &r->host);
    snap_push(s, r->dir);
    snap_push(s, r->ts);
    snap_counters(s, r->bytes);
    snap_counters(s, r->packets);
    return 0;
}

static int snap_step(const struct step_row *r, void *arg)
{
    struct snap *s = arg;
    snap_push(s, r->ts);
    snap_counters(s, r->bytes);
    snap_counters(s, r->peak);
    snap_counters(s, r->packets);
    return 0;
}

static int snap_traff(const struct traff_row *r, void *arg)
{
    struct snap *s = arg;
    snap_addr(s, &r->host);
    snap_push(s, (int64_t)r->dl);
    snap_push(s, (int64_t)r->ul);
    return 0;
}

static int snap_top(const struct top_row *r, void *arg)
{
    struct snap *s = arg;
    snap_addr(s, &r->host);
    snap_push(s, (int64_t)r->bytes);
    return 0;
}

#define SNAP_HOSTS 16

/* What the store interface reports of the file (which must be of the
 * current version: the store is opened read-only): every host's bins,
 * hours and days in both directions, the monthly totals of the months
 * around the history, and rankings over ranges that whole days, whole hours
 * and single bins make up. */
static struct snap snapshot(const char *path)
{
    struct of_addr hosts[SNAP_HOSTS];
    size_t nhosts = 0;
    sqlite3 *db = raw_open(path);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT ip FROM hosts ORDER BY id", -1, &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        assert_true(nhosts < SNAP_HOSTS);
        hosts[nhosts++] = ip((const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);

    struct snap sn = {.v = NULL, .n = 0, .cap = 0};
    struct store *s = open_store(path, 1);
    for (size_t h = 0; h < nhosts; h++)
        for (int dir = 0; dir < DIR__COUNT; dir++) {
            snap_push(&sn, -1);
            assert_int_equal(
                store_get_series(s, &hosts[h], dir, INT64_MIN, INT64_MAX, snap_series, &sn), 0);
            snap_push(&sn, -2);
            assert_int_equal(store_get_steps(s, &hosts[h], dir, INT64_MIN, INT64_MAX,
                                             STORE_STEP_HOUR, snap_step, &sn),
                             0);
            snap_push(&sn, -3);
            assert_int_equal(store_get_steps(s, &hosts[h], dir, INT64_MIN, INT64_MAX,
                                             STORE_STEP_DAY, snap_step, &sn),
                             0);
        }
    for (int m = 0; m < 3; m++) {
        snap_push(&sn, -4);
        assert_int_equal(store_get_traff(s, m ? 2024 : 2023, m ? m : 12, NULL, snap_traff, &sn), 0);
    }
    static const int64_t ranges[][2] = {
        {T_JAN15 - T_DAY, T_JAN15 + 3 * T_DAY},
        {T_JAN15 + 1500, T_JAN15 + T_DAY + 5 * T_HOUR + 900},
        {T_JAN15 + 40 * T_HOUR + 600, T_JAN15 + 60 * T_HOUR},
    };
    static const int classes[] = {CLASS_TOTAL, CLASS_TCP};
    for (size_t r = 0; r < OF_ARRAY_LEN(ranges); r++)
        for (int dir = 0; dir < DIR__COUNT; dir++)
            for (size_t c = 0; c < OF_ARRAY_LEN(classes); c++) {
                snap_push(&sn, -5);
                assert_int_equal(store_get_top(s, dir, classes[c], ranges[r][0], ranges[r][1], 100,
                                               snap_top, &sn),
                                 0);
            }
    assert_int_equal(store_close(s), 0);
    return sn;
}

static void assert_same_snap(struct snap a, struct snap b)
{
    assert_int_equal(a.n, b.n);
    assert_memory_equal(a.v, b.v, a.n * sizeof(*a.v));
    free(a.v);
    free(b.v);
}

/* Rows in several batches: repeats of a bin, both directions, 0.0.0.0,
 * hour and day boundaries, late rows to bins already in the rollups, and
 * one hour whose sums saturate. */
static void write_history(const char *path)
{
    static const char *const hosts[] = {"10.0.0.1", "10.0.0.2", "2001:db8::7", "0.0.0.0"};
    struct store *s = open_store(path, 0);
    uint64_t x = 1;
    struct bin_row rows[24];
    for (int batch = 0; batch < 30; batch++) {
        size_t n = 0;
        for (; n < OF_ARRAY_LEN(rows); n++) {
            x = x * 6364136223846793005u + 1442695040888963407u;
            int64_t bin = (int64_t)(x >> 40) % 600; /* two days and a bit */
            rows[n] = mkrow(hosts[(x >> 20) % 4], (int)((x >> 24) & 1),
                            T_JAN15 - 12 * 300 + bin * 300, (x >> 28) % 5000);
        }
        put(s, rows, n);
    }
    struct bin_row big = mkrow("10.0.0.9", DIR_R, T_JAN15 + 5 * T_HOUR, 1);
    big.bytes[CLASS_TCP] = BIN_COUNTER_MAX;
    put(s, &big, 1);
    big.ts += 300;
    put(s, &big, 1);
    put(s, &big, 1);
    assert_int_equal(store_close(s), 0);
}

/* The upgraded file's rollups hold every bin: the rollup mark is past the
 * last one, and there is a rollup row for every step, direction and host
 * that has bins. */
static void assert_all_sealed(const char *path)
{
    sqlite3 *db = raw_open(path);
    assert_int_equal(raw_mark(db), raw_int(db, "SELECT max(ts) + 300 FROM bins"));
    assert_int_equal(raw_int(db, "SELECT count(*) FROM v_bins_1h"),
                     raw_int(db, "SELECT count(*) FROM (SELECT DISTINCT ts - ts % 3600, dir, host"
                                 " FROM v_bins)"));
    assert_int_equal(raw_int(db, "SELECT count(*) FROM v_bins_1d"),
                     raw_int(db, "SELECT count(*) FROM (SELECT DISTINCT ts - ts % 86400, dir, host"
                                 " FROM v_bins)"));
    sqlite3_close(db);
}

/* ---- tests ---- */

/* A version 1 file (bins only) gets its rollups computed from the bins,
 * and then reads as the file it was made from: the same bins, and hours
 * and days that hold what the writer had put in them (the upgrade's are
 * all from the bins, the writer's partly from the bins after the mark). */
static void test_v1_to_v2(void **state)
{
    struct fixture *f = *state;
    write_history(f->path);
    struct snap want = snapshot(f->path);
    assert_true(want.n > 20000);
    sqlite3 *db = raw_open(f->path);
    size_t nb = 0;
    int64_t *bins = table_dump(db, "v_bins", &nb);
    /* the writer's last bins are not in its rollups: the snapshot read
     * them from the bins */
    assert_true(raw_mark(db) <= raw_int(db, "SELECT max(ts) FROM bins"));
    sqlite3_close(db);
    assert_true(nb > 400 * 27);

    to_version_1(f->path);
    assert_int_equal(try_open(f->path, 1), -EPROTO); /* read-only: not upgraded */
    assert_int_equal(version(f->path), 1);
    assert_int_equal(try_open(f->path, 0), 0);
    assert_int_equal(version(f->path), schema_version());

    db = raw_open(f->path);
    size_t n = 0;
    int64_t *got = table_dump(db, "v_bins", &n);
    assert_int_equal(n, nb);
    assert_memory_equal(got, bins, n * sizeof(*got));
    free(got);
    assert_true(raw_int(db, "SELECT count(*) FROM v_bins_1h") > 100);
    assert_int_equal(raw_int(db, "SELECT b_tcp FROM v_bins_1h WHERE ts = 1705294800 AND dir = 0"
                                 " AND host = (SELECT id FROM hosts WHERE ip = '10.0.0.9')"),
                     (int64_t)BIN_COUNTER_MAX);
    assert_int_equal(raw_int(db, "SELECT m_tcp FROM v_bins_1d WHERE ts = 1705276800 AND dir = 0"
                                 " AND host = (SELECT id FROM hosts WHERE ip = '10.0.0.9')"),
                     (int64_t)BIN_COUNTER_MAX);
    sqlite3_close(db);
    free(bins);
    assert_all_sealed(f->path);
    assert_same_snap(want, snapshot(f->path));

    /* and the upgraded file goes on as any other: a late row goes into
     * its hour at once, a new one stays in the bins until it is sealed */
    static const char hour[] = "FROM v_bins_1h WHERE ts = 1705276800 AND dir = 0"
                               " AND host = (SELECT id FROM hosts WHERE ip = '10.0.0.1')";
    char sql[256];
    (void)snprintf(sql, sizeof(sql), "SELECT coalesce((SELECT b_total %s), 0)", hour);
    int64_t before = raw_count(f->path, sql);
    struct store *s = open_store(f->path, 0);
    const struct bin_row more[] = {
        mkrow("10.0.0.1", DIR_R, T_JAN15, 3),
        mkrow("10.0.0.1", DIR_R, T_JAN15 + 10 * T_DAY, 4),
    };
    put(s, more, OF_ARRAY_LEN(more));
    struct of_addr a = ip("10.0.0.1");
    struct snap later = {.v = NULL, .n = 0, .cap = 0};
    assert_int_equal(store_get_steps(s, &a, DIR_R, T_JAN15 + 10 * T_DAY, INT64_MAX, STORE_STEP_HOUR,
                                     snap_step, &later),
                     0);
    assert_int_equal(later.n, 1 + 3 * CLASS__COUNT);
    assert_int_equal(later.v[0], T_JAN15 + 10 * T_DAY);
    assert_int_equal(later.v[1 + CLASS_TOTAL], 4000);
    free(later.v);
    assert_int_equal(store_close(s), 0);
    db = raw_open(f->path);
    assert_int_equal(raw_mark(db), T_JAN15 + 10 * T_DAY - 600);
    assert_int_equal(raw_int(db, sql), before + 3000);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM bins_1h WHERE ts > 1706000000"), 0);
    sqlite3_close(db);
    struct store *r = open_store(f->path, 1);
    assert_int_equal(store_close(r), 0);
}

static void test_v1_empty(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(try_open(f->path, 0), 0);
    to_version_1(f->path);
    assert_int_equal(version(f->path), 1);
    assert_int_equal(try_open(f->path, 0), 0);
    assert_int_equal(version(f->path), schema_version());
    assert_int_equal(count_rows(f->path, "bins"), 0);
    assert_int_equal(count_rows(f->path, "bins_1h"), 0);
    assert_int_equal(count_rows(f->path, "bins_1d"), 0);
    /* no bins, no mark: the first batch sets it */
    assert_int_equal(count_rows(f->path, "rollup_mark"), 0);
    struct store *s = open_store(f->path, 0);
    const struct bin_row row = mkrow("10.0.0.1", DIR_R, T_JAN15, 1);
    put(s, &row, 1);
    assert_int_equal(store_close(s), 0);
    assert_int_equal(raw_count(f->path, "SELECT ts FROM rollup_mark"), T_JAN15);
}

/* A counter no program writes (here a negative one) fails the upgrade,
 * which leaves the file as it was. */
static void test_v1_bad_counter(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    const struct bin_row row = mkrow("10.0.0.1", DIR_R, T_JAN15, 1);
    put(s, &row, 1);
    assert_int_equal(store_close(s), 0);
    to_version_1(f->path);
    sqlite3 *db = raw_open(f->path);
    raw_exec(db, "UPDATE bins SET b_web = -5");
    sqlite3_close(db);
    assert_true(try_open(f->path, 0) < 0);
    assert_int_equal(version(f->path), 1);
    db = raw_open(f->path);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'bins_1h'"), 0);
    assert_int_equal(raw_int(db, "SELECT b_web FROM bins"), -5);
    sqlite3_close(db);
}

/* A version 2 file (counters and rollups, no dashboard tables) gains the
 * dashboard's tables, empty, and keeps every counter as it was. */
static void test_v2_to_v3(void **state)
{
    struct fixture *f = *state;
    write_history(f->path);
    struct snap want = snapshot(f->path);

    to_version_2(f->path);
    assert_int_equal(version(f->path), 2);
    sqlite3 *db = raw_open(f->path);
    size_t nb = 0;
    size_t nh = 0;
    size_t nd = 0;
    int64_t *bins = table_dump(db, "bins", &nb);
    int64_t *hours = table_dump(db, "bins_1h", &nh);
    int64_t *days = table_dump(db, "bins_1d", &nd);
    int64_t months = raw_int(db, "SELECT count(*) FROM monthly");
    sqlite3_close(db);
    assert_true(nb > 400 * 27);
    assert_true(nh > 100 * 39);
    assert_true(nd > 8 * 39);
    assert_true(months > 0);

    assert_int_equal(try_open(f->path, 1), -EPROTO); /* read-only: not upgraded */
    assert_int_equal(version(f->path), 2);
    assert_int_equal(try_open(f->path, 0), 0);
    assert_int_equal(version(f->path), schema_version());

    db = raw_open(f->path);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND"
                                 " name IN ('users', 'sessions', 'api_tokens', 'ui_networks')"),
                     4);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM users"), 0);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM ui_networks"), 0);
    size_t n = 0;
    int64_t *got = table_dump(db, "v_bins", &n);
    assert_int_equal(n, nb);
    assert_memory_equal(got, bins, n * sizeof(*got));
    free(got);
    got = table_dump(db, "v_bins_1h", &n);
    assert_int_equal(n, nh);
    assert_memory_equal(got, hours, n * sizeof(*got));
    free(got);
    got = table_dump(db, "v_bins_1d", &n);
    assert_int_equal(n, nd);
    assert_memory_equal(got, days, n * sizeof(*got));
    free(got);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM monthly"), months);
    /* the new tables work: a token id is never handed out twice */
    raw_exec(db, "INSERT INTO api_tokens (name, hash, created) VALUES ('a', x'01', 1);"
                 "DELETE FROM api_tokens;"
                 "INSERT INTO api_tokens (name, hash, created) VALUES ('b', x'02', 2)");
    assert_int_equal(raw_int(db, "SELECT id FROM api_tokens"), 2);
    sqlite3_close(db);
    free(bins);
    free(hours);
    free(days);
    assert_all_sealed(f->path);
    assert_same_snap(want, snapshot(f->path));
}

/* A version 3 file's rows are packed into one row per host and step, both
 * directions in one blob: the file holds the same counters, reads through
 * the store exactly as before, and its rollups hold every bin. */
static void test_v3_to_v4(void **state)
{
    struct fixture *f = *state;
    write_history(f->path);
    struct snap want = snapshot(f->path);

    to_version_3(f->path);
    assert_int_equal(version(f->path), 3);
    sqlite3 *db = raw_open(f->path);
    raw_exec(db, "INSERT INTO users (name, pwhash, created) VALUES ('admin', 'h', 1);"
                 "INSERT INTO ui_networks (cidr, created) VALUES ('10.0.0.0/8', 1)");
    size_t nb = 0;
    size_t nh = 0;
    size_t nd = 0;
    int64_t *bins = table_dump(db, "bins", &nb);
    int64_t *hours = table_dump(db, "bins_1h", &nh);
    int64_t *days = table_dump(db, "bins_1d", &nd);
    int64_t keys = raw_int(db, "SELECT count(*) FROM (SELECT DISTINCT ts, host FROM bins)");
    int64_t hour_keys = raw_int(db, "SELECT count(*) FROM (SELECT DISTINCT ts, host FROM bins_1h)");
    int64_t last = raw_int(db, "SELECT max(ts) FROM bins");
    int64_t rows = raw_int(db, "SELECT count(*) FROM bins");
    sqlite3_close(db);
    /* most bins have rows of one direction only, some of both */
    assert_true(keys < rows);
    assert_true(2 * keys > rows);
    assert_true(nb > 400 * 27);

    assert_int_equal(try_open(f->path, 1), -EPROTO); /* read-only: not upgraded */
    assert_int_equal(version(f->path), 3);
    assert_int_equal(try_open(f->path, 0), 0);
    assert_int_equal(version(f->path), 4);

    db = raw_open(f->path);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM bins"), keys);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM bins_1h"), hour_keys);
    assert_int_equal(raw_mark(db), last + 300);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE name LIKE '%_v4'"), 0);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                                 " AND name IN ('bins', 'bins_1h', 'bins_1d')"
                                 " AND sql LIKE '%c BLOB NOT NULL, PRIMARY KEY (ts, host)%'"),
                     3);
    size_t n = 0;
    int64_t *got = table_dump(db, "v_bins", &n);
    assert_int_equal(n, nb);
    assert_memory_equal(got, bins, n * sizeof(*got));
    free(got);
    got = table_dump(db, "v_bins_1h", &n);
    assert_int_equal(n, nh);
    assert_memory_equal(got, hours, n * sizeof(*got));
    free(got);
    got = table_dump(db, "v_bins_1d", &n);
    assert_int_equal(n, nd);
    assert_memory_equal(got, days, n * sizeof(*got));
    free(got);
    /* the dashboard's rows are left alone */
    assert_int_equal(raw_int(db, "SELECT count(*) FROM users WHERE name = 'admin'"), 1);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM ui_networks"), 1);
    sqlite3_close(db);
    free(bins);
    free(hours);
    free(days);
    assert_all_sealed(f->path);
    assert_same_snap(want, snapshot(f->path));
    /* and again: nothing left to do */
    assert_int_equal(try_open(f->path, 0), 0);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM bins"), keys);
}

/* A version 3 counter that no program writes fails the upgrade to version
 * 4 whole, in a bin or in a rollup, and leaves the file at version 3 with
 * its tables as they were; once mended, the file upgrades. */
static void test_v3_bad_counter(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 0);
    const struct bin_row rows[] = {
        mkrow("10.0.0.1", DIR_R, T_JAN15, 1),
        mkrow("10.0.0.1", DIR_S, T_JAN15, 2),
        mkrow("10.0.0.2", DIR_R, T_JAN15 + T_HOUR, 3),
    };
    put(s, rows, OF_ARRAY_LEN(rows));
    assert_int_equal(store_close(s), 0);
    to_version_3(f->path);
    static const char *const bad[][2] = {
        {"UPDATE bins SET p_dns = -1 WHERE dir = 1", "UPDATE bins SET p_dns = 25 WHERE dir = 1"},
        {"UPDATE bins_1d SET m_web = -2 WHERE dir = 0 AND host = 2",
         "UPDATE bins_1d SET m_web = 3008 WHERE dir = 0 AND host = 2"},
        {"UPDATE bins_1h SET b_udp = 'x' WHERE dir = 0 AND host = 1",
         "UPDATE bins_1h SET b_udp = 1002 WHERE dir = 0 AND host = 1"},
    };
    sqlite3 *db = NULL;
    for (size_t i = 0; i < OF_ARRAY_LEN(bad); i++) {
        db = raw_open(f->path);
        raw_exec(db, bad[i][0]);
        sqlite3_close(db);
        assert_true(try_open(f->path, 0) < 0);
        assert_int_equal(version(f->path), 3);
        db = raw_open(f->path);
        assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE name IN"
                                     " ('rollup_mark', 'bins_v4', 'bins_1h_v4', 'bins_1d_v4')"),
                         0);
        assert_int_equal(raw_int(db, "SELECT count(*) FROM bins"), 3);
        assert_int_equal(raw_int(db, "SELECT count(*) FROM bins_1h"), 3);
        assert_int_equal(raw_int(db, "SELECT count(*) FROM bins_1d"), 3);
        assert_int_equal(raw_int(db, "SELECT count(*) FROM bins WHERE p_dns = -1"), i == 0);
        raw_exec(db, bad[i][1]);
        sqlite3_close(db);
    }
    assert_int_equal(try_open(f->path, 0), 0);
    assert_int_equal(version(f->path), 4);
    db = raw_open(f->path);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM bins"), 2);
    assert_int_equal(raw_int(db, "SELECT p_dns FROM v_bins WHERE dir = 1"), 25);
    assert_int_equal(raw_int(db, "SELECT m_web FROM v_bins_1d WHERE dir = 0 AND host = 2"), 3008);
    assert_int_equal(raw_int(db, "SELECT b_udp FROM v_bins_1h WHERE dir = 0 AND host = 1"), 1002);
    assert_int_equal(raw_mark(db), T_JAN15 + T_HOUR + 300);
    sqlite3_close(db);
}

/* ---- damaged files ---- */

#define MAX_GOT 64

struct got {
    struct bin_row rows[MAX_GOT];
    size_t n;
};

static int got_row(const struct bin_row *row, void *arg)
{
    struct got *g = arg;
    assert_true(g->n < MAX_GOT);
    g->rows[g->n++] = *row;
    return 0;
}

static int got_step(const struct step_row *row, void *arg)
{
    struct got *g = arg;
    assert_true(g->n < MAX_GOT);
    struct bin_row *r = &g->rows[g->n++];
    r->ts = row->ts;
    memcpy(r->bytes, row->bytes, sizeof(r->bytes));
    memcpy(r->packets, row->packets, sizeof(r->packets));
    return 0;
}

static int got_top(const struct top_row *row, void *arg)
{
    struct got *g = arg;
    assert_true(g->n < MAX_GOT);
    g->rows[g->n].host = row->host;
    g->rows[g->n++].bytes[0] = row->bytes;
    return 0;
}

static int series_of(struct store *s, const char *host, int dir, int64_t from, int64_t to,
                     struct got *g)
{
    struct of_addr a = ip(host);
    g->n = 0;
    return store_get_series(s, &a, dir, from, to, got_row, g);
}

static int steps_of(struct store *s, const char *host, int dir, enum store_step step, struct got *g)
{
    struct of_addr a = ip(host);
    g->n = 0;
    return store_get_steps(s, &a, dir, INT64_MIN, INT64_MAX, step, got_step, g);
}

/* Bins of two hosts, both directions, at T_JAN15 + i * 300 for i < 10:
 * bins 0 to 6 are sealed, 7 to 9 are not. */
static void write_ten_bins(const char *path)
{
    struct store *s = open_store(path, 0);
    struct bin_row rows[10 * 2 * DIR__COUNT];
    size_t k = 0;
    for (int i = 0; i < 10; i++)
        for (int h = 0; h < 2; h++)
            for (int d = 0; d < DIR__COUNT; d++)
                rows[k++] = mkrow(h ? "10.0.0.2" : "10.0.0.1", d, T_JAN15 + i * BIN_SECONDS,
                                  (uint64_t)h * 10 + (uint64_t)i + 1);
    put(s, rows, k);
    assert_int_equal(store_close(s), 0);
    assert_int_equal(raw_count(path, "SELECT ts FROM rollup_mark"), T_JAN15 + 7 * BIN_SECONDS);
}

static void set_blob(const char *path, const char *table, int64_t ts, const char *host,
                     const char *blob)
{
    sqlite3 *db = raw_open(path);
    char sql[256];
    (void)snprintf(sql, sizeof(sql),
                   "UPDATE %s SET c = %s WHERE ts = %lld"
                   " AND host = (SELECT id FROM hosts WHERE ip = '%s')",
                   table, blob, (long long)ts, host);
    raw_exec(db, sql);
    assert_int_equal(sqlite3_changes(db), 1);
    sqlite3_close(db);
}

#define BAD_TS (T_JAN15 + 8 * BIN_SECONDS) /* a bin of write_ten_bins not sealed yet */

/* Every read of 10.0.0.1's bin BAD_TS, damaged, fails with -EBADMSG and
 * reports nothing of it; reads of other rows work. */
static void assert_bad_bin_refused(const char *path, struct got *g)
{
    struct store *s = open_store(path, 1);
    for (int dir = 0; dir < DIR__COUNT; dir++) {
        assert_int_equal(series_of(s, "10.0.0.1", dir, INT64_MIN, INT64_MAX, g), -EBADMSG);
        /* the bins before it were reported, and it not */
        assert_int_equal(g->n, 8);
        assert_int_equal(g->rows[7].ts, T_JAN15 + 7 * BIN_SECONDS);
        assert_int_equal(g->rows[7].bytes[CLASS_TOTAL], 8000);
        assert_int_equal(steps_of(s, "10.0.0.1", dir, STORE_STEP_BIN, g), -EBADMSG);
        assert_int_equal(g->n, 8);
        /* the hour and the day add the bins after the mark */
        assert_int_equal(steps_of(s, "10.0.0.1", dir, STORE_STEP_HOUR, g), -EBADMSG);
        assert_int_equal(g->n, 0);
        assert_int_equal(steps_of(s, "10.0.0.1", dir, STORE_STEP_DAY, g), -EBADMSG);
        assert_int_equal(g->n, 0);
        /* a ranking reads every host's row */
        g->n = 0;
        assert_int_equal(
            store_get_top(s, dir, CLASS_TOTAL, T_JAN15, T_JAN15 + T_HOUR, 10, got_top, g),
            -EBADMSG);
        assert_int_equal(g->n, 0);
    }
    /* the rows around it, and the other host, read as they should */
    assert_int_equal(series_of(s, "10.0.0.1", DIR_S, T_JAN15, BAD_TS, g), 0);
    assert_int_equal(g->n, 8);
    assert_int_equal(series_of(s, "10.0.0.1", DIR_R, BAD_TS + 1, INT64_MAX, g), 0);
    assert_int_equal(g->n, 1);
    assert_int_equal(g->rows[0].bytes[CLASS_TOTAL], 10000);
    assert_int_equal(series_of(s, "10.0.0.2", DIR_R, INT64_MIN, INT64_MAX, g), 0);
    assert_int_equal(g->n, 10);
    assert_int_equal(g->rows[8].bytes[CLASS_TOTAL], 19000);
    assert_int_equal(steps_of(s, "10.0.0.2", DIR_S, STORE_STEP_HOUR, g), 0);
    assert_int_equal(g->n, 1);
    assert_int_equal(g->rows[0].bytes[CLASS_TOTAL], 155000); /* 11 .. 20 thousand */
    assert_int_equal(store_close(s), 0);
}

/* A blob that is not a valid cells blob (the file was edited or damaged)
 * fails every read of it with -EBADMSG, and no read reports a value made up
 * from it; reads of other rows go on working. */
static void test_damaged_blob(void **state)
{
    struct fixture *f = *state;
    write_ten_bins(f->path);
    struct got *g = calloc(1, sizeof(*g));
    assert_non_null(g);

    /* a valid blob written by hand reads back: the largest counter in
     * bytes total of direction R, nothing else (a control for the rest) */
    set_blob(f->path, "bins", BAD_TS, "10.0.0.1", "x'018080808080808080400000'");
    struct store *s = open_store(f->path, 1);
    assert_int_equal(series_of(s, "10.0.0.1", DIR_R, BAD_TS, BAD_TS + 1, g), 0);
    assert_int_equal(g->n, 1);
    assert_int_equal(g->rows[0].bytes[CLASS_TOTAL], BIN_COUNTER_MAX);
    assert_int_equal(g->rows[0].packets[CLASS_TOTAL], 0);
    assert_int_equal(g->rows[0].bytes[CLASS_ICMP], 0);
    assert_int_equal(series_of(s, "10.0.0.1", DIR_S, BAD_TS, BAD_TS + 1, g), 0);
    assert_int_equal(g->n, 0); /* nothing of direction S in that row */
    assert_int_equal(store_close(s), 0);

    static const char *const bad[] = {
        "x'ff'",                         /* cut short */
        "x'00'",                         /* a mask for one direction only */
        "x'000000'",                     /* a byte left over */
        "x'ff3f0000'",                   /* a class past the last */
        "x'01808080808080808080010000'", /* a value longer than 9 bytes */
        "x'018180808080808080400000'",   /* a value past BIN_COUNTER_MAX */
        "'text'",                        /* not a blob */
    };
    for (size_t i = 0; i < OF_ARRAY_LEN(bad); i++) {
        set_blob(f->path, "bins", BAD_TS, "10.0.0.1", bad[i]);
        assert_bad_bin_refused(f->path, g);
    }
    free(g);
}

/* A damaged bin does not stop the writer: a write to it replaces it, and
 * the seal leaves it out of the rollups and the monthly totals rather than
 * fail every later batch. A damaged day row fails the day's reads only. */
static void test_damaged_blob_write_and_rollup(void **state)
{
    struct fixture *f = *state;
    write_ten_bins(f->path);
    set_blob(f->path, "bins", BAD_TS, "10.0.0.1", "x'ff'");
    set_blob(f->path, "bins", BAD_TS, "10.0.0.2", "x'ff'");
    struct store *s = open_store(f->path, 0);
    const struct bin_row again = mkrow("10.0.0.1", DIR_R, BAD_TS, 1);
    put(s, &again, 1);
    /* a bin an hour later seals every bin of the ten, 10.0.0.2's damaged one too */
    const struct bin_row later = mkrow("10.0.0.3", DIR_R, BAD_TS + T_HOUR, 1);
    put(s, &later, 1);
    assert_int_equal(store_close(s), 0);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM bins WHERE c = x'ff'"), 1);
    assert_int_equal(raw_count(f->path, "SELECT ts FROM rollup_mark"), BAD_TS + T_HOUR - 600);
    struct got *g = calloc(1, sizeof(*g));
    assert_non_null(g);
    s = open_store(f->path, 1);
    /* 1000 .. 10000, bin 8's 9000 replaced by the new 1000 (R only) */
    assert_int_equal(steps_of(s, "10.0.0.1", DIR_R, STORE_STEP_DAY, g), 0);
    assert_int_equal(g->n, 1);
    assert_int_equal(g->rows[0].bytes[CLASS_TOTAL], 55000 - 9000 + 1000);
    assert_int_equal(steps_of(s, "10.0.0.1", DIR_S, STORE_STEP_DAY, g), 0);
    assert_int_equal(g->rows[0].bytes[CLASS_TOTAL], 55000 - 9000);
    /* 11000 .. 20000 without bin 8's 19000 */
    assert_int_equal(steps_of(s, "10.0.0.2", DIR_R, STORE_STEP_HOUR, g), 0);
    assert_int_equal(g->n, 1);
    assert_int_equal(g->rows[0].bytes[CLASS_TOTAL], 155000 - 19000);
    assert_int_equal(store_close(s), 0);
    assert_int_equal(raw_count(f->path, "SELECT dl FROM monthly WHERE host ="
                                        " (SELECT id FROM hosts WHERE ip = '10.0.0.2')"),
                     155000 - 19000);
    assert_int_equal(raw_count(f->path, "SELECT dl FROM monthly WHERE host ="
                                        " (SELECT id FROM hosts WHERE ip = '10.0.0.1')"),
                     55000 - 9000 + 1000);

    set_blob(f->path, "bins_1d", T_JAN15, "10.0.0.2", "x'ff'");
    s = open_store(f->path, 1);
    assert_int_equal(steps_of(s, "10.0.0.2", DIR_R, STORE_STEP_DAY, g), -EBADMSG);
    assert_int_equal(g->n, 0);
    assert_int_equal(steps_of(s, "10.0.0.2", DIR_R, STORE_STEP_HOUR, g), 0);
    assert_int_equal(g->n, 1);
    assert_int_equal(g->rows[0].bytes[CLASS_TOTAL], 155000 - 19000);
    assert_int_equal(store_close(s), 0);
    free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_v1_to_v2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v1_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v1_bad_counter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v2_to_v3, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v3_to_v4, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v3_bad_counter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_blob, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_blob_write_and_rollup, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
