/* tests/unit/auth/auth_fixture.h: what the tests of the dashboard's tables
 * share: a fresh store file per test (made by the store itself, so it has
 * the real schema), a connection from a real appdb pool, and raw SQL to
 * look at what the file holds. Include after cmocka.h. */
#ifndef OF_TESTS_UNIT_AUTH_AUTH_FIXTURE_H
#define OF_TESTS_UNIT_AUTH_AUTH_FIXTURE_H

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/secret.h"
#include "store/appdb.h"
#include "store/store.h"

struct app_fixture {
    char dir[64];
    char path[128];
    struct appdb *app;
    sqlite3 *db;
};

static inline int app_setup(void **state)
{
    int rc = -1;
    struct app_fixture *f = calloc(1, sizeof(*f));
    if (!f || secret_init() < 0)
        goto out;
    (void)snprintf(f->dir, sizeof(f->dir), "/tmp/of-auth-test-XXXXXX");
    if (!mkdtemp(f->dir))
        goto out;
    (void)snprintf(f->path, sizeof(f->path), "%s/of.db", f->dir);
    struct store_cfg cfg = {.backend = NULL, .path = f->path, .readonly = 0};
    struct store *st = NULL;
    if (store_open(&st, &cfg) < 0 || store_close(st) < 0)
        goto out;
    f->app = appdb_new(f->path, 2);
    if (!f->app || appdb_get(f->app, &f->db) < 0)
        goto out;
    *state = f;
    f = NULL; /* the tests own it now */
    rc = 0;
out:
    if (f)
        appdb_free(f->app); /* cmocka runs no teardown after a failed setup */
    free(f);
    return rc;
}

static inline int app_teardown(void **state)
{
    struct app_fixture *f = *state;
    appdb_put(f->app, f->db, false);
    appdb_free(f->app);
    static const char *const files[] = {"of.db", "of.db-wal", "of.db-shm"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char p[192];
        (void)snprintf(p, sizeof(p), "%s/%s", f->dir, files[i]);
        (void)unlink(p);
    }
    (void)rmdir(f->dir);
    free(f);
    return 0;
}

/* The first column of the first row of sql, as an integer. */
static inline int64_t app_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static inline void app_exec(sqlite3 *db, const char *sql)
{
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
}

#endif
