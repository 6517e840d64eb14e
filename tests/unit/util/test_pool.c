/* Tests of util/pool.c: idle handles reused, at most max_idle kept, failed
 * ones closed, open's errors passed on, and no handle held by two threads
 * at once. The handles are counted allocations, so the counts say what
 * the pool opened and closed (and ASan sees any it loses). */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "util/pool.h"

struct handle {
    atomic_int holders; /* threads holding it: 0 or 1 */
};

struct owner {
    atomic_int opened;
    atomic_int closed;
    int fail_with; /* open's error when non-zero */
};

static int owner_open(void *ctx, void **out)
{
    struct owner *o = ctx;
    if (o->fail_with)
        return o->fail_with;
    struct handle *h = calloc(1, sizeof(*h));
    if (!h)
        return -ENOMEM;
    atomic_fetch_add(&o->opened, 1);
    *out = h;
    return 0;
}

static void owner_close(void *ctx, void *handle)
{
    struct owner *o = ctx;
    atomic_fetch_add(&o->closed, 1);
    free(handle);
}

static const struct pool_ops owner_ops = {.open = owner_open, .close = owner_close};

static void *get(struct pool *p)
{
    void *h = NULL;
    assert_int_equal(pool_get(p, &h), 0);
    assert_non_null(h);
    return h;
}

static void test_reuse(void **state)
{
    (void)state;
    struct owner o = {0};
    struct pool *p = pool_new(&owner_ops, &o, 2);
    assert_non_null(p);
    void *a = get(p);
    void *b = get(p);
    assert_ptr_not_equal(a, b); /* two holders, two handles */
    pool_put(p, a, false);
    void *c = get(p);
    assert_ptr_equal(c, a); /* the idle one, handed out again */
    assert_int_equal(atomic_load(&o.opened), 2);
    pool_put(p, c, false);
    pool_put(p, b, false);
    assert_int_equal(atomic_load(&o.closed), 0);
    pool_free(p); /* closes the two idle ones */
    assert_int_equal(atomic_load(&o.closed), 2);
}

static void test_max_idle(void **state)
{
    (void)state;
    struct owner o = {0};
    struct pool *p = pool_new(&owner_ops, &o, 2);
    assert_non_null(p);
    void *h[3];
    for (size_t i = 0; i < 3; i++)
        h[i] = get(p);
    for (size_t i = 0; i < 3; i++)
        pool_put(p, h[i], false);
    assert_int_equal(atomic_load(&o.closed), 1); /* the third is beyond max_idle */
    for (size_t i = 0; i < 3; i++)
        h[i] = get(p);
    assert_int_equal(atomic_load(&o.opened), 4); /* two kept, one new */
    for (size_t i = 0; i < 3; i++)
        pool_put(p, h[i], false);
    pool_free(p);
    assert_int_equal(atomic_load(&o.closed), atomic_load(&o.opened));
}

static void test_max_idle_zero(void **state)
{
    (void)state;
    struct owner o = {0};
    struct pool *p = pool_new(&owner_ops, &o, 0);
    assert_non_null(p);
    void *a = get(p);
    pool_put(p, a, false); /* 0 counts as 1: kept */
    assert_int_equal(atomic_load(&o.closed), 0);
    assert_ptr_equal(get(p), a);
    pool_put(p, a, false);
    pool_free(p);
    assert_int_equal(atomic_load(&o.closed), 1);
}

static void test_failed_closed(void **state)
{
    (void)state;
    struct owner o = {0};
    struct pool *p = pool_new(&owner_ops, &o, 2);
    assert_non_null(p);
    void *a = get(p);
    pool_put(p, a, true); /* failed: closed, not kept */
    assert_int_equal(atomic_load(&o.closed), 1);
    void *b = get(p);
    assert_int_equal(atomic_load(&o.opened), 2); /* a new one, not the failed one */
    pool_put(p, b, false);
    pool_put(p, NULL, false);
    pool_put(p, NULL, true);
    pool_free(p);
    assert_int_equal(atomic_load(&o.closed), 2);
    pool_free(NULL);
}

static void test_open_error(void **state)
{
    (void)state;
    struct owner o = {.fail_with = -EMFILE};
    struct pool *p = pool_new(&owner_ops, &o, 1);
    assert_non_null(p);
    int sentinel = 0;
    void *h = &sentinel;
    assert_int_equal(pool_get(p, &h), -EMFILE);
    assert_ptr_equal(h, &sentinel); /* untouched */
    o.fail_with = 0;
    h = get(p); /* a later open may succeed */
    pool_put(p, h, false);
    pool_free(p);
    assert_int_equal(atomic_load(&o.closed), 1);
}

#define THREADS 4
#define ROUNDS  5000

static void *churn(void *arg)
{
    struct pool *p = arg;
    for (int i = 0; i < ROUNDS; i++) {
        void *v = NULL;
        if (pool_get(p, &v) < 0)
            return (void *)"get failed";
        struct handle *h = v;
        if (atomic_fetch_add(&h->holders, 1) != 0)
            return (void *)"a handle held twice";
        if (atomic_fetch_sub(&h->holders, 1) != 1)
            return (void *)"a handle held twice";
        pool_put(p, h, i % 7 == 0); /* now and then a failed one */
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    struct owner o = {0};
    struct pool *p = pool_new(&owner_ops, &o, 2);
    assert_non_null(p);
    pthread_t t[THREADS];
    for (size_t i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, churn, p), 0);
    for (size_t i = 0; i < THREADS; i++) {
        void *err = NULL;
        assert_int_equal(pthread_join(t[i], &err), 0);
        if (err)
            fail_msg("%s", (const char *)err);
    }
    int idle = atomic_load(&o.opened) - atomic_load(&o.closed);
    assert_true(idle >= 1 && idle <= 2); /* at most max_idle kept */
    pool_free(p);
    assert_int_equal(atomic_load(&o.closed), atomic_load(&o.opened));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reuse),         cmocka_unit_test(test_max_idle),
        cmocka_unit_test(test_max_idle_zero), cmocka_unit_test(test_failed_closed),
        cmocka_unit_test(test_open_error),    cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
