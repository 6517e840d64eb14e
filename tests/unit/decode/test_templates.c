/* Tests for decode/templates.c: the template cache, its caps and its
 * withdrawals, and the compiled form of templates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decode/templates.h"

static const struct of_addr exp_a = {ADDR_V4, {192, 0, 2, 1}};
static const struct of_addr exp_b = {ADDR_V4, {192, 0, 2, 2}};
static const struct of_addr exp_v6 = {ADDR_V6, {0x20, 0x01, 0x0d, 0xb8, [15] = 1}};

static struct tpl_cache *cache_new(size_t max)
{
    struct hash_key key;
    hash_key_from_seed(&key, 42);
    struct tpl_cache *c = tpl_cache_new(max, &key);
    assert_non_null(c);
    return c;
}

/* A data template: src/dst IPv4, then `extra` fields of IE `ie` and length
 * `len`. */
static void def_make(struct tpl_def *d, uint16_t id, size_t extra, uint16_t ie, uint16_t len)
{
    memset(d, 0, sizeof(*d));
    d->id = id;
    d->family = FF_FAMILY_IPFIX;
    d->fields[0] = (struct ff_field){8, 4, 0};
    d->fields[1] = (struct ff_field){12, 4, 0};
    for (size_t i = 0; i < extra; i++)
        d->fields[2 + i] = (struct ff_field){ie, len, 0};
    d->nfields = 2 + extra;
}

static void test_put_get_refresh_change(void **state)
{
    (void)state;
    struct tpl_cache *c = cache_new(0);
    struct tpl_def d;
    def_make(&d, 256, 1, 1, 4);
    assert_null(tpl_get(c, &exp_a, 0, 256));
    assert_int_equal(tpl_put(c, &exp_a, 0, &d), DEC_OK);
    const struct ff_prog *p = tpl_get(c, &exp_a, 0, 256);
    assert_non_null(p);
    assert_int_equal(p->reclen, 12);
    assert_int_equal(p->minlen, 12);
    assert_false(p->options);
    /* The same definition again is a refresh, not a change. */
    assert_int_equal(tpl_put(c, &exp_a, 0, &d), DEC_OK);
    /* Another length for one field is a redefinition. */
    def_make(&d, 256, 1, 1, 8);
    assert_int_equal(tpl_put(c, &exp_a, 0, &d), DEC_TPL_CHANGED);
    assert_int_equal(tpl_get(c, &exp_a, 0, 256)->reclen, 16);
    /* Options with the same fields are a different template too. */
    d.options = true;
    d.nscope = 1;
    assert_int_equal(tpl_put(c, &exp_a, 0, &d), DEC_TPL_CHANGED);
    assert_true(tpl_get(c, &exp_a, 0, 256)->options);
    struct tpl_stats st;
    tpl_cache_stats(c, &st);
    assert_int_equal(st.templates, 1);
    assert_int_equal(st.lookups, 4);
    assert_int_equal(st.hits, 3);
    tpl_cache_free(c);
}

static void test_keys_are_separate(void **state)
{
    (void)state;
    struct tpl_cache *c = cache_new(0);
    struct tpl_def d;
    def_make(&d, 300, 1, 1, 4);
    assert_int_equal(tpl_put(c, &exp_a, 1, &d), DEC_OK);
    def_make(&d, 300, 2, 1, 4);
    assert_int_equal(tpl_put(c, &exp_a, 2, &d), DEC_OK);
    def_make(&d, 300, 3, 1, 4);
    assert_int_equal(tpl_put(c, &exp_b, 1, &d), DEC_OK);
    def_make(&d, 300, 4, 1, 4);
    assert_int_equal(tpl_put(c, &exp_v6, 1, &d), DEC_OK);
    assert_int_equal(tpl_get(c, &exp_a, 1, 300)->reclen, 12);
    assert_int_equal(tpl_get(c, &exp_a, 2, 300)->reclen, 16);
    assert_int_equal(tpl_get(c, &exp_b, 1, 300)->reclen, 20);
    assert_int_equal(tpl_get(c, &exp_v6, 1, 300)->reclen, 24);
    assert_null(tpl_get(c, &exp_b, 2, 300));
    assert_null(tpl_get(c, &exp_a, 1, 301));
    tpl_cache_free(c);
}

static void test_bad_definitions(void **state)
{
    (void)state;
    struct tpl_cache *c = cache_new(0);
    struct tpl_def d;
    def_make(&d, 255, 0, 0, 0); /* ids below 256 are set ids */
    assert_int_equal(tpl_put(c, &exp_a, 0, &d), DEC_TPL_BAD_ID);
    def_make(&d, 256, 0, 0, 0);
    d.nfields = 0; /* no fields */
    assert_int_equal(tpl_put(c, &exp_a, 0, &d), DEC_TPL_FIELD_COUNT);
    def_make(&d, 256, 0, 0, 0);
    d.nfields = TPL_MAX_FIELDS + 1; /* more than we keep */
    assert_int_equal(tpl_put(c, &exp_a, 0, &d), DEC_TPL_FIELD_COUNT);
    def_make(&d, 256, 0, 0, 0);
    d.options = true;
    d.nscope = 3; /* more scope fields than fields */
    assert_int_equal(tpl_put(c, &exp_a, 0, &d), DEC_TPL_FIELD_COUNT);
    def_make(&d, 256, 1, 1, 0); /* a field of length 0 */
    assert_int_equal(tpl_put(c, &exp_a, 0, &d), DEC_TPL_BAD_FIELD);
    def_make(&d, 256, TPL_MAX_FIELDS - 2, 1, 1); /* exactly the cap */
    assert_int_equal(tpl_put(c, &exp_a, 0, &d), DEC_OK);
    assert_int_equal(tpl_get(c, &exp_a, 0, 256)->reclen, 8 + TPL_MAX_FIELDS - 2);
    tpl_cache_free(c);
}

static void test_per_exporter_cap(void **state)
{
    (void)state;
    struct tpl_cache *c = cache_new(4);
    struct tpl_def d;
    for (uint16_t id = 256; id < 260; id++) {
        def_make(&d, id, 1, 1, 4);
        assert_int_equal(tpl_put(c, &exp_a, 0, &d), DEC_OK);
    }
    def_make(&d, 260, 1, 1, 4);
    assert_int_equal(tpl_put(c, &exp_a, 0, &d), DEC_TPL_LIMIT);
    assert_int_equal(tpl_put(c, &exp_a, 7, &d), DEC_TPL_LIMIT); /* the cap is per exporter */
    assert_int_equal(tpl_set_sys_init_ms(c, &exp_a, 0, 1000), DEC_TPL_LIMIT);
    /* Redefining a template it already has needs no room. */
    def_make(&d, 259, 2, 1, 4);
    assert_int_equal(tpl_put(c, &exp_a, 0, &d), DEC_TPL_CHANGED);
    /* Other exporters have their own budget. */
    def_make(&d, 260, 1, 1, 4);
    assert_int_equal(tpl_put(c, &exp_b, 0, &d), DEC_OK);
    /* A withdrawal gives room back. */
    tpl_withdraw(c, &exp_a, 0, 256);
    assert_null(tpl_get(c, &exp_a, 0, 256));
    assert_int_equal(tpl_put(c, &exp_a, 0, &d), DEC_OK);
    struct tpl_stats st;
    tpl_cache_stats(c, &st);
    assert_int_equal(st.templates, 5);
    assert_int_equal(st.refused, 3);
    tpl_cache_free(c);
}

static void test_withdraw_all(void **state)
{
    (void)state;
    struct tpl_cache *c = cache_new(0);
    struct tpl_def d;
    for (uint16_t id = 256; id < 356; id++) {
        def_make(&d, id, 1, 1, 4);
        d.options = id % 2 == 0;
        d.nscope = d.options;
        assert_int_equal(tpl_put(c, &exp_a, 5, &d), DEC_OK);
        assert_int_equal(tpl_put(c, &exp_a, 6, &d), DEC_OK);
        assert_int_equal(tpl_put(c, &exp_b, 5, &d), DEC_OK);
    }
    assert_int_equal(tpl_set_sys_init_ms(c, &exp_a, 5, 1234), DEC_OK);
    tpl_withdraw_all(c, &exp_a, 5, false);
    for (uint16_t id = 256; id < 356; id++) {
        bool options = id % 2 == 0;
        assert_true((tpl_get(c, &exp_a, 5, id) != NULL) == options);
        assert_non_null(tpl_get(c, &exp_a, 6, id));
        assert_non_null(tpl_get(c, &exp_b, 5, id));
    }
    assert_int_equal(tpl_sys_init_ms(c, &exp_a, 5), 1234);
    tpl_withdraw_all(c, &exp_a, 5, true);
    for (uint16_t id = 256; id < 356; id++)
        assert_null(tpl_get(c, &exp_a, 5, id));
    struct tpl_stats st;
    tpl_cache_stats(c, &st);
    assert_int_equal(st.templates, 200);
    assert_int_equal(st.entries, 201);
    tpl_cache_free(c);
}

static void test_sys_init(void **state)
{
    (void)state;
    struct tpl_cache *c = cache_new(0);
    assert_int_equal(tpl_sys_init_ms(c, &exp_a, 0), 0);
    assert_int_equal(tpl_set_sys_init_ms(c, &exp_a, 0, 1715680801284ull), DEC_OK);
    assert_int_equal(tpl_set_sys_init_ms(c, &exp_a, 0, 1715680801285ull), DEC_OK);
    assert_int_equal(tpl_sys_init_ms(c, &exp_a, 0), 1715680801285ull);
    assert_int_equal(tpl_sys_init_ms(c, &exp_a, 1), 0);
    assert_int_equal(tpl_sys_init_ms(c, &exp_b, 0), 0);
    /* Domain state never answers as a template. */
    assert_null(tpl_get(c, &exp_a, 0, 0));
    assert_null(tpl_get(c, &exp_a, 0, 1));
    tpl_cache_free(c);
}

static void test_compile_variable_length(void **state)
{
    (void)state;
    struct tpl_cache *c = cache_new(0);
    struct tpl_def d;
    def_make(&d, 256, 0, 0, 0);
    d.fields[2] = (struct ff_field){82, FF_VARLEN, 0}; /* interfaceName */
    d.fields[3] = (struct ff_field){10, 4, 0};         /* ingressInterface: skipped */
    d.nfields = 4;
    assert_int_equal(tpl_put(c, &exp_a, 0, &d), DEC_OK);
    const struct ff_prog *p = tpl_get(c, &exp_a, 0, 256);
    assert_int_equal(p->reclen, 0);
    assert_int_equal(p->minlen, 4 + 4 + 1 + 4);
    /* Addresses, the variable field, and the trailing skip. */
    assert_int_equal(p->nops, 4);
    assert_int_equal(p->ops[2].len, FF_VARLEN);
    assert_int_equal(p->ops[3].skip, 4);
    tpl_cache_free(c);
}

/* Random puts and withdrawals against a plain array: every entry must stay
 * reachable through growth and backward-shift deletions. */
static void test_churn_against_model(void **state)
{
    (void)state;
    struct tpl_cache *c = cache_new(2000);
    enum { IDS = 600 };
    static bool model[4][IDS];
    memset(model, 0, sizeof(model));
    const struct of_addr *addrs[2] = {&exp_a, &exp_b};
    uint32_t x = 12345;
    for (int step = 0; step < 40000; step++) {
        x = x * 1103515245u + 12345u;
        size_t who = (x >> 8) % 4, id = (x >> 12) % IDS;
        const struct of_addr *a = addrs[who / 2];
        uint32_t domain = (uint32_t)(who % 2);
        if ((x >> 28) < 9) {
            struct tpl_def d;
            def_make(&d, (uint16_t)(256 + id), 1, 1, 4);
            enum dec_status st = tpl_put(c, a, domain, &d);
            assert_int_equal(st, DEC_OK);
            model[who][id] = true;
        } else if ((x >> 28) < 15) {
            tpl_withdraw(c, a, domain, (uint16_t)(256 + id));
            model[who][id] = false;
        } else {
            bool options = (x & 1) != 0;
            tpl_withdraw_all(c, a, domain, options);
            if (!options)
                memset(model[who], 0, sizeof(model[who]));
        }
    }
    size_t n = 0;
    for (size_t who = 0; who < 4; who++)
        for (size_t id = 0; id < IDS; id++) {
            const struct ff_prog *p =
                tpl_get(c, addrs[who / 2], (uint32_t)(who % 2), (uint16_t)(256 + id));
            assert_true((p != NULL) == model[who][id]);
            n += model[who][id];
        }
    struct tpl_stats st;
    tpl_cache_stats(c, &st);
    assert_int_equal(st.templates, n);
    tpl_cache_clear(c);
    tpl_cache_stats(c, &st);
    assert_int_equal(st.templates, 0);
    assert_null(tpl_get(c, &exp_a, 0, 256));
    tpl_cache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_get_refresh_change),
        cmocka_unit_test(test_keys_are_separate),
        cmocka_unit_test(test_bad_definitions),
        cmocka_unit_test(test_per_exporter_cap),
        cmocka_unit_test(test_withdraw_all),
        cmocka_unit_test(test_sys_init),
        cmocka_unit_test(test_compile_variable_length),
        cmocka_unit_test(test_churn_against_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
