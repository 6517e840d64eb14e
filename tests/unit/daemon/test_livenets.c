/* Tests of daemon/livenets.c: a held version stays valid and unchanged
 * after newer ones are published, and is freed by its last holder (ASan
 * sees a use after free or a leak otherwise); workers' refresh swaps
 * versions only when one was published; many threads publish and read at
 * once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

#include "daemon/livenets.h"

static struct nets *one(const char *cidr, const char *desc)
{
    struct nets *n = nets_new();
    assert_non_null(n);
    assert_int_equal(nets_add(n, cidr, desc), 0);
    assert_int_equal(nets_build(n), 0);
    return n;
}

static const char *desc_of(const struct nets *n, const char *ip)
{
    struct of_addr a;
    assert_int_equal(addr_parse(ip, &a), 0);
    long i = nets_lookup(n, &a);
    return i < 0 ? NULL : nets_desc(n, (size_t)i);
}

static void test_versions(void **state)
{
    (void)state;
    struct livenets *l = livenets_new(one("10.0.0.0/8", "first"));
    assert_non_null(l);
    struct netsref *held = livenets_get(l);
    assert_string_equal(desc_of(netsref_nets(held), "10.1.2.3"), "first");
    assert_int_equal(livenets_publish(l, one("192.168.0.0/16", "second")), 0);
    assert_int_equal(livenets_publish(l, one("172.16.0.0/12", "third")), 0);
    /* the held version is as it was */
    assert_string_equal(desc_of(netsref_nets(held), "10.1.2.3"), "first");
    assert_null(desc_of(netsref_nets(held), "172.16.0.1"));
    struct netsref *now = livenets_get(l);
    assert_string_equal(desc_of(netsref_nets(now), "172.16.0.1"), "third");
    assert_null(desc_of(netsref_nets(now), "10.1.2.3"));
    netsref_put(held); /* the last holder of "first" frees it */
    netsref_put(now);
    netsref_put(NULL);
    livenets_free(l);
    livenets_free(NULL);
}

static void test_refresh(void **state)
{
    (void)state;
    struct livenets *l = livenets_new(one("10.0.0.0/8", "a"));
    struct netsref *mine = NULL;
    const struct nets *n1 = livenets_refresh(l, &mine);
    assert_non_null(mine);
    struct netsref *kept = mine;
    assert_ptr_equal(livenets_refresh(l, &mine), n1);
    assert_ptr_equal(mine, kept); /* nothing published: the same version */
    assert_int_equal(livenets_publish(l, one("10.0.0.0/8", "b")), 0);
    const struct nets *n2 = livenets_refresh(l, &mine);
    assert_ptr_not_equal(mine, kept);
    assert_string_equal(desc_of(n2, "10.0.0.1"), "b");
    netsref_put(mine);
    livenets_free(l);
}

/* Readers refresh and look up while a writer publishes; every lookup must
 * find a description of one complete version. */
struct race {
    struct livenets *l;
    atomic_bool stop;
    atomic_uint lookups;
    atomic_uint errors; /* counted here, asserted in the test's thread */
};

static void *reader(void *arg)
{
    struct race *r = arg;
    struct netsref *mine = NULL;
    struct of_addr a;
    if (addr_parse("10.9.9.9", &a) < 0)
        atomic_fetch_add(&r->errors, 1);
    while (!atomic_load(&r->stop)) {
        const struct nets *n = livenets_refresh(r->l, &mine);
        long i = nets_lookup(n, &a);
        if (i < 0 || nets_desc(n, (size_t)i)[0] != 'v')
            atomic_fetch_add(&r->errors, 1);
        struct netsref *h = livenets_get(r->l); /* as an HTTP request would */
        if (nets_lookup(netsref_nets(h), &a) < 0)
            atomic_fetch_add(&r->errors, 1);
        netsref_put(h);
        atomic_fetch_add(&r->lookups, 1);
    }
    netsref_put(mine);
    return NULL;
}

static void test_race(void **state)
{
    (void)state;
    struct race r = {.l = livenets_new(one("10.0.0.0/8", "v0"))};
    atomic_init(&r.stop, false);
    atomic_init(&r.lookups, 0);
    atomic_init(&r.errors, 0);
    pthread_t t[3];
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(pthread_create(&t[i], NULL, reader, &r), 0);
    for (int v = 1; v <= 300; v++) {
        char d[16];
        (void)snprintf(d, sizeof(d), "v%d", v);
        assert_int_equal(livenets_publish(r.l, one(v % 2 ? "10.9.0.0/16" : "10.0.0.0/8", d)), 0);
    }
    while (atomic_load(&r.lookups) < 1000)
        sched_yield();
    atomic_store(&r.stop, true);
    for (size_t i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(atomic_load(&r.errors), 0);
    livenets_free(r.l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_refresh),
        cmocka_unit_test(test_race),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
