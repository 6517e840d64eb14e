/* Tests of auth/password.c: the password rules, hashes that verify only
 * their own password, generated passwords, and the stand-in check for
 * unknown users. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "auth/password.h"
#include "auth/secret.h"

static int init(void **state)
{
    (void)state;
    return secret_init();
}

static void test_rules(void **state)
{
    (void)state;
    static char big[PASSWORD_MAX + 1];
    memset(big, 'x', sizeof(big));
    assert_false(password_ok("", 0));
    assert_false(password_ok("1234567", 7));
    assert_true(password_ok("12345678", 8));
    assert_true(password_ok(big, PASSWORD_MAX));
    assert_false(password_ok(big, PASSWORD_MAX + 1));
    assert_false(password_ok("1234\0"
                             "5678",
                             9));                           /* NUL inside */
    assert_true(password_ok("p\xc3\xa4ssw\xc3\xb6rd", 10)); /* any other bytes */
    char h[PASSWORD_HASH_MAX];
    assert_int_equal(password_hash("short", 5, h), -EINVAL);
}

static void test_hash_verify(void **state)
{
    (void)state;
    char h1[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];
    assert_int_equal(password_hash("correct horse", 13, h1), 0);
    assert_int_equal(password_hash("correct horse", 13, h2), 0);
    assert_non_null(strstr(h1, "$argon2id$"));
    assert_string_not_equal(h1, h2); /* salted */
    assert_int_equal(password_verify(h1, "correct horse", 13), 0);
    assert_int_equal(password_verify(h2, "correct horse", 13), 0);
    assert_int_equal(password_verify(h1, "correct hors", 12), -EACCES);
    assert_int_equal(password_verify(h1, "correct horsE", 13), -EACCES);
    assert_int_equal(password_verify(h1, "correct horse ", 14), -EACCES);
    assert_int_equal(password_verify("", "correct horse", 13), -EACCES);
    assert_int_equal(password_verify("$argon2id$v=19$garbage", "correct horse", 13), -EACCES);
    assert_int_equal(password_verify_none("correct horse", 13), -EACCES);
    assert_int_equal(password_verify_none("", 0), -EACCES);
}

static void test_random(void **state)
{
    (void)state;
    char a[PASSWORD_RANDOM_LEN + 1], b[PASSWORD_RANDOM_LEN + 1];
    password_random(a);
    password_random(b);
    assert_int_equal(strlen(a), PASSWORD_RANDOM_LEN);
    assert_string_not_equal(a, b);
    assert_true(password_ok(a, strlen(a)));
    for (size_t i = 0; i < PASSWORD_RANDOM_LEN; i++)
        if (!strchr("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", a[i]))
            fail_msg("'%c' in a generated password", a[i]);
}

/* Hashes from several threads at once: the gate lets PASSWORD_PARALLEL
 * through, and every result is right. */
static void *hash_thread(void *arg)
{
    char h[PASSWORD_HASH_MAX];
    int *ok = arg;
    *ok = password_hash("threaded pw", 11, h) == 0 && password_verify(h, "threaded pw", 11) == 0 &&
          password_verify(h, "threaded px", 11) == -EACCES;
    return NULL;
}

static void test_parallel(void **state)
{
    (void)state;
    pthread_t t[5];
    int ok[5] = {0};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(pthread_create(&t[i], NULL, hash_thread, &ok[i]), 0);
    for (size_t i = 0; i < 5; i++) {
        pthread_join(t[i], NULL);
        assert_true(ok[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_hash_verify),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_parallel),
    };
    return cmocka_run_group_tests(tests, init, NULL);
}
