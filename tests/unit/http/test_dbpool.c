/* Tests of http/dbpool.c: read-only handles, reused, bounded, and never
 * shared between two holders. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/dbpool.h"

struct fixture {
    char dir[64];
    char path[128];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    if (!f)
        return -1;
    (void)snprintf(f->dir, sizeof(f->dir), "/tmp/of-dbpool-test-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    (void)snprintf(f->path, sizeof(f->path), "%s/of.db", f->dir);
    struct store_cfg cfg = {.path = f->path};
    struct store *st;
    if (store_open(&st, &cfg) < 0) /* the writer creates the file */
        return -1;
    (void)store_close(st);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char p[192];
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 4; i++) {
        (void)snprintf(p, sizeof(p), "%s%s", f->path, suffix[i]);
        (void)unlink(p);
    }
    (void)rmdir(f->dir);
    free(f);
    return 0;
}

static void test_reuse(void **state)
{
    struct fixture *f = *state;
    struct dbpool *p = dbpool_new(NULL, f->path, 2);
    assert_non_null(p);
    struct store *a, *b, *c;
    assert_int_equal(dbpool_get(p, &a), 0);
    assert_int_equal(dbpool_get(p, &b), 0);
    assert_ptr_not_equal(a, b); /* two holders, two handles */
    dbpool_put(p, a, 0);
    assert_int_equal(dbpool_get(p, &c), 0);
    assert_ptr_equal(c, a); /* kept and handed out again */
    /* read-only: a write is refused */
    struct bin_row row;
    memset(&row, 0, sizeof(row));
    row.host.af = ADDR_V4;
    row.host.b[0] = 10;
    row.ts = 300;
    row.bytes[0] = 1;
    struct bin_batch one = {.rows = &row, .n = 1};
    assert_int_not_equal(store_put_bins(c, &one), 0);
    dbpool_put(p, c, 0);
    dbpool_put(p, b, 0);
    dbpool_free(p);
}

static void test_bounded(void **state)
{
    struct fixture *f = *state;
    struct dbpool *p = dbpool_new(NULL, f->path, 1);
    assert_non_null(p);
    struct store *a, *b;
    assert_int_equal(dbpool_get(p, &a), 0);
    assert_int_equal(dbpool_get(p, &b), 0);
    dbpool_put(p, a, 0);
    dbpool_put(p, b, 0); /* beyond max_idle: closed (ASan would see a leak otherwise) */
    assert_int_equal(dbpool_get(p, &b), 0);
    dbpool_put(p, b, 1); /* failed: closed, not kept */
    dbpool_put(p, NULL, 0);
    dbpool_free(p);
    dbpool_free(NULL);
}

static void test_missing_file(void **state)
{
    (void)state;
    struct dbpool *p = dbpool_new(NULL, "/nonexistent/of.db", 1);
    assert_non_null(p);
    struct store *a = NULL;
    assert_true(dbpool_get(p, &a) < 0);
    dbpool_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reuse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bounded, setup, teardown),
        cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
