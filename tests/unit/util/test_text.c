/* Tests of util/text.c: printable UTF-8, byte by byte at the edges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "util/text.h"

static void test_printable(void **state)
{
    (void)state;
    static const char *const good[] = {
        "",
        "Office LAN",
        "~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./",
        "M\xc3\xbcnchen",   /* 2 bytes */
        "\xc2\xa0",         /* U+00A0, first after C1 */
        "\xe2\x80\x94",     /* 3 bytes */
        "\xef\xbf\xbd",     /* U+FFFD */
        "\xf0\x9f\x8f\xa2", /* 4 bytes */
        "\xf4\x8f\xbf\xbf", /* U+10FFFF */
        "\xed\x9f\xbf",     /* U+D7FF, before the surrogates */
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        if (!text_printable(good[i], strlen(good[i])))
            fail_msg("good %zu refused", i);
    static const char *const bad[] = {
        "\x01",
        "a\tb",
        "a\nb",
        "\r",
        "\x1f",
        "\x7f",
        "\xc2\x80",
        "\xc2\x9f", /* C1 */
        "\x80",
        "\xbf", /* continuation bytes alone */
        "\xc0\xaf",
        "\xc1\xbf", /* overlong */
        "\xe0\x80\xaf",
        "\xf0\x80\x80\xaf",
        "\xed\xa0\x80",
        "\xed\xbf\xbf", /* surrogates */
        "\xf4\x90\x80\x80",
        "\xf5\x80\x80\x80",
        "\xff",
        "\xfe",
        "\xc3",
        "\xe2\x80",
        "\xf0\x9f\x8f", /* cut short */
        "\xc3\x28",
        "\xe2\x28\xa1", /* bad continuation */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (text_printable(bad[i], strlen(bad[i])))
            fail_msg("bad %zu taken", i);
    assert_false(text_printable("a\0b", 3));
    /* len bounds the walk: a sequence cut by it is refused */
    assert_false(text_printable("\xe2\x80\x94", 2));
    assert_true(text_printable("ab\x01", 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_printable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
