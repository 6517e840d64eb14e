/* tests/unit/store/test_schema.c: upgrading store files of an older schema
 * version. An older file is made by writing a store and then taking it back
 * to what that version had: version 2 is version 3 without the dashboard's
 * tables, version 1 is version 2 without the rollups. */
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

static void to_version_2(const char *path)
{
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

/* Rows in several batches: repeats of a bin, both directions, 0.0.0.0,
 * hour and day boundaries, and one hour whose sums saturate. */
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

static void test_v1_to_v2(void **state)
{
    struct fixture *f = *state;
    write_history(f->path);
    /* what version 2 computed as the rows came in */
    sqlite3 *db = raw_open(f->path);
    size_t nh = 0;
    size_t nd = 0;
    int64_t *hours = table_dump(db, "bins_1h", &nh);
    int64_t *days = table_dump(db, "bins_1d", &nd);
    sqlite3_close(db);
    assert_true(nh > 100 * 39);
    assert_true(nd > 8 * 39);

    to_version_1(f->path);
    assert_int_equal(try_open(f->path, 1), -EPROTO); /* read-only: not upgraded */
    assert_int_equal(version(f->path), 1);
    assert_int_equal(try_open(f->path, 0), 0);
    assert_int_equal(version(f->path), 3);

    db = raw_open(f->path);
    size_t n = 0;
    int64_t *got = table_dump(db, "bins_1h", &n);
    assert_int_equal(n, nh);
    assert_memory_equal(got, hours, n * sizeof(*got));
    free(got);
    got = table_dump(db, "bins_1d", &n);
    assert_int_equal(n, nd);
    assert_memory_equal(got, days, n * sizeof(*got));
    free(got);
    assert_int_equal(raw_int(db, "SELECT b_tcp FROM bins_1h WHERE ts = 1705294800"
                                 " AND host = (SELECT id FROM hosts WHERE ip = '10.0.0.9')"),
                     (int64_t)BIN_COUNTER_MAX);
    sqlite3_close(db);
    free(hours);
    free(days);

    /* and the upgraded file goes on as any other */
    struct store *s = open_store(f->path, 0);
    const struct bin_row more = mkrow("10.0.0.1", DIR_R, T_JAN15, 3);
    put(s, &more, 1);
    assert_int_equal(store_close(s), 0);
    struct store *r = open_store(f->path, 1);
    assert_int_equal(store_close(r), 0);
}

static void test_v1_empty(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(try_open(f->path, 0), 0);
    to_version_1(f->path);
    assert_int_equal(try_open(f->path, 0), 0);
    assert_int_equal(version(f->path), 3);
    assert_int_equal(count_rows(f->path, "bins_1h"), 0);
    assert_int_equal(count_rows(f->path, "bins_1d"), 0);
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
    sqlite3_close(db);
}

/* A version 2 file (counters and rollups, no dashboard tables) gains the
 * dashboard's tables, empty, and keeps every counter as it was. */
static void test_v2_to_v3(void **state)
{
    struct fixture *f = *state;
    write_history(f->path);
    sqlite3 *db = raw_open(f->path);
    size_t nb = 0;
    size_t nh = 0;
    int64_t *bins = table_dump(db, "bins", &nb);
    int64_t *hours = table_dump(db, "bins_1h", &nh);
    int64_t months = raw_int(db, "SELECT count(*) FROM monthly");
    sqlite3_close(db);

    to_version_2(f->path);
    assert_int_equal(version(f->path), 2);
    assert_int_equal(try_open(f->path, 1), -EPROTO); /* read-only: not upgraded */
    assert_int_equal(version(f->path), 2);
    assert_int_equal(try_open(f->path, 0), 0);
    assert_int_equal(version(f->path), 3);

    db = raw_open(f->path);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND"
                                 " name IN ('users', 'sessions', 'api_tokens', 'ui_networks')"),
                     4);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM users"), 0);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM ui_networks"), 0);
    size_t n = 0;
    int64_t *got = table_dump(db, "bins", &n);
    assert_int_equal(n, nb);
    assert_memory_equal(got, bins, n * sizeof(*got));
    free(got);
    got = table_dump(db, "bins_1h", &n);
    assert_int_equal(n, nh);
    assert_memory_equal(got, hours, n * sizeof(*got));
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
    assert_int_equal(try_open(f->path, 1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_v1_to_v2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v1_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v1_bad_counter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v2_to_v3, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
