/* Tests of auth/secret.c: the form of secrets, their hashes, CSRF tokens
 * derived from them, and the constant-time compare. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "auth/secret.h"

static int init(void **state)
{
    (void)state;
    return secret_init();
}

static void test_new(void **state)
{
    (void)state;
    char a[SECRET_TEXT_LEN + 1], b[SECRET_TEXT_LEN + 1];
    secret_new(a);
    secret_new(b);
    assert_int_equal(strlen(a), SECRET_TEXT_LEN);
    assert_true(secret_text_ok(a, strlen(a)));
    assert_string_not_equal(a, b);
    /* 43 base64url characters hold 258 bits; the last one carries only 4
     * (of the 256), so it is one of 16 letters. */
    assert_non_null(strchr("AEIMQUYcgkosw048", a[SECRET_TEXT_LEN - 1]));
}

static void test_text_ok(void **state)
{
    (void)state;
    char good[SECRET_TEXT_LEN + 1];
    secret_new(good);
    static const char *const bad[] = {
        "",
        "abc",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",   /* 42 */
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", /* 44 */
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",  /* padding */
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+",  /* base64, not base64url */
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/",
        "AAAAAAAAAAAAAAAAAAAAA AAAAAAAAAAAAAAAAAAAAA",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA;",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (secret_text_ok(bad[i], strlen(bad[i])))
            fail_msg("\"%s\" was taken", bad[i]);
    /* a NUL inside does not end the check early */
    char nul[SECRET_TEXT_LEN];
    memcpy(nul, good, sizeof(nul));
    nul[10] = '\0';
    assert_false(secret_text_ok(nul, sizeof(nul)));
    assert_true(secret_text_ok("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-_A", SECRET_TEXT_LEN));
}

static void test_hash_csrf(void **state)
{
    (void)state;
    char t[SECRET_TEXT_LEN + 1], u[SECRET_TEXT_LEN + 1];
    secret_new(t);
    secret_new(u);
    uint8_t h1[SECRET_HASH_LEN], h2[SECRET_HASH_LEN], h3[SECRET_HASH_LEN];
    secret_hash(t, SECRET_TEXT_LEN, h1);
    secret_hash(t, SECRET_TEXT_LEN, h2);
    secret_hash(u, SECRET_TEXT_LEN, h3);
    assert_memory_equal(h1, h2, sizeof(h1));
    assert_memory_not_equal(h1, h3, sizeof(h1));
    char c1[SECRET_TEXT_LEN + 1], c2[SECRET_TEXT_LEN + 1], c3[SECRET_TEXT_LEN + 1];
    secret_csrf(t, SECRET_TEXT_LEN, c1);
    secret_csrf(t, SECRET_TEXT_LEN, c2);
    secret_csrf(u, SECRET_TEXT_LEN, c3);
    assert_string_equal(c1, c2);
    assert_string_not_equal(c1, c3);
    assert_string_not_equal(c1, t);
    assert_true(secret_text_ok(c1, strlen(c1)));
    /* the CSRF token is not the stored hash in another dress */
    uint8_t hc[SECRET_HASH_LEN];
    secret_hash(c1, SECRET_TEXT_LEN, hc);
    assert_memory_not_equal(hc, h1, sizeof(hc));
}

static void test_equal(void **state)
{
    (void)state;
    assert_true(secret_equal("abcdef", "abcdef", 6));
    assert_false(secret_equal("abcdef", "abcdeg", 6));
    assert_false(secret_equal("xbcdef", "abcdef", 6));
    assert_true(secret_equal("abc", "abd", 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new),
        cmocka_unit_test(test_text_ok),
        cmocka_unit_test(test_hash_csrf),
        cmocka_unit_test(test_equal),
    };
    return cmocka_run_group_tests(tests, init, NULL);
}
