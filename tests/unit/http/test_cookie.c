/* Tests of http/cookie.c: hand-made Cookie headers, well-formed and not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "http/cookie.h"

/* Every value of name in header, joined with '|'. */
static void values(const char *header, const char *name, char *out, size_t cap)
{
    struct cookie_iter it = {0};
    const char *v = NULL;
    size_t n = 0;
    size_t used = 0;
    out[0] = '\0';
    while (cookie_next(header, strlen(header), name, &it, &v, &n)) {
        assert_true(v >= header && v + n <= header + strlen(header));
        int k = snprintf(out + used, cap - used, "%s%.*s", used ? "|" : "", (int)n, v);
        assert_true(k >= 0 && (size_t)k < cap - used);
        used += (size_t)k;
    }
}

static void test_cases(void **state)
{
    (void)state;
    static const struct {
        const char *header;
        const char *want;
    } cases[] = {
        {"of_session=abc", "abc"},
        {"a=1; of_session=abc; b=2", "abc"},
        {"a=1;of_session=abc;b=2", "abc"},                  /* no blanks */
        {"  of_session = abc  ; x=y", "abc"},               /* blanks around */
        {"of_session=\"abc\"", "abc"},                      /* quoted */
        {"of_session=\"", "\""},                            /* a lone quote stays */
        {"of_session=", ""},                                /* empty */
        {"of_session=a; of_session=b", "a|b"},              /* both, in order */
        {"xof_session=a; of_sessionx=b; OF_SESSION=c", ""}, /* other names */
        {"of_session", ""},                                 /* no '=' */
        {";;; ;of_session=z;;", "z"},
        {"of_session=a=b", "a=b"}, /* '=' in the value */
        {"", ""},
        {";", ""},
        {"=abc; of_session=ok", "ok"},
        {"of_session=\t abc \t", "abc"},
    };
    char out[128];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        values(cases[i].header, COOKIE_SESSION, out, sizeof(out));
        if (strcmp(out, cases[i].want) != 0)
            fail_msg("\"%s\": got \"%s\", want \"%s\"", cases[i].header, out, cases[i].want);
    }
}

/* len bounds the walk, not a NUL: bytes past it are never read. */
static void test_len(void **state)
{
    (void)state;
    const char h[] = "of_session=abcdef; of_session=second";
    struct cookie_iter it = {0};
    const char *v = NULL;
    size_t n = 0;
    assert_true(cookie_next(h, 14, COOKIE_SESSION, &it, &v, &n));
    assert_int_equal(n, 3);
    assert_memory_equal(v, "abc", 3);
    assert_false(cookie_next(h, 14, COOKIE_SESSION, &it, &v, &n));
    it.pos = 0;
    assert_false(cookie_next(h, 10, COOKIE_SESSION, &it, &v, &n)); /* "of_session" cut */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_len),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
