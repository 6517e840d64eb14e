/* Tests of http/textbuf.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/textbuf.h"

static void test_build(void **state)
{
    (void)state;
    struct textbuf b;
    size_t len = 99;
    textbuf_init(&b);
    char *empty = textbuf_take(&b, &len);
    assert_non_null(empty);
    assert_int_equal(len, 0);
    assert_string_equal(empty, "");
    free(empty);
    for (int i = 0; i < 1000; i++)
        textbuf_printf(&b, "line %d\n", i);
    char big[600];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    textbuf_printf(&b, "%s", big); /* longer than the small first try */
    char *t = textbuf_take(&b, &len);
    assert_non_null(t);
    assert_int_equal(len, strlen(t));
    assert_memory_equal(t, "line 0\nline 1\n", 14);
    assert_string_equal(t + len - 599, big);
    free(t);
    textbuf_fini(&b);
}

static void test_cap(void **state)
{
    (void)state;
    struct textbuf b;
    size_t len;
    textbuf_init(&b);
    b.len = TEXTBUF_MAX; /* as if full, without allocating 64 MB */
    textbuf_printf(&b, "x");
    assert_true(b.failed);
    b.len = 0;
    assert_null(textbuf_take(&b, &len));
    textbuf_fini(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build),
        cmocka_unit_test(test_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
