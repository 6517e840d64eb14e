/* tests/unit/chart/test_text.c: the glyph cache and text drawing. */
/* cmocka.h needs these first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <gd.h>
#include <string.h>

#include "chart/chart.h"
#include "chart/text.h"

static struct text_font *font(unsigned px)
{
    struct text_font *f = NULL;
    assert_non_null(chart_default_font());
    assert_int_equal(text_font_get(chart_default_font(), px, &f), 0);
    assert_non_null(f);
    return f;
}

static void test_fonts_are_cached(void **state)
{
    (void)state;
    struct text_font *a = font(13), *b = font(13), *c = font(24);
    assert_ptr_equal(a, b);
    assert_ptr_not_equal(a, c);
    assert_true(text_ascent(c) > text_ascent(a));
    assert_true(text_descent(a) > 0);
    struct text_font *f = NULL;
    assert_int_equal(text_font_get("/nonexistent.ttf", 13, &f), -ENOENT);
    assert_int_equal(text_font_get("/etc/hostname", 13, &f), -ENOENT); /* not a font */
    assert_int_equal(text_font_get(chart_default_font(), 7, &f), -EINVAL);
    assert_int_equal(text_font_get(chart_default_font(), 129, &f), -EINVAL);
    assert_null(f);
}

static void test_widths(void **state)
{
    (void)state;
    struct text_font *f = font(13);
    assert_int_equal(text_width(f, ""), 0);
    int one = text_width(f, "0");
    assert_true(one >= 6 && one <= 10);
    assert_int_equal(text_width(f, "0000"), 4 * one); /* digits are tabular */
    assert_true(text_width(f, "Mbit/s") > text_width(f, "Mbit"));
    /* a character outside ASCII, and bytes that are no UTF-8, take room */
    assert_true(text_width(f, "\xe2\x80\x94") > 0);
    assert_true(text_width(f, "\xff") > 0);
    assert_int_equal(text_width(f, "\xe2\x80"), text_width(f, "\xef\xbf\xbd"));
    assert_int_equal(text_width(f, "\xc0\xaf"), 2 * text_width(f, "\xef\xbf\xbd")); /* overlong */
}

static void test_fit_cuts_at_characters(void **state)
{
    (void)state;
    struct text_font *f = font(13);
    const char *s = "\xd0\xbc\xd0\xb5\xd1\x80\xd0\xb5\xd0\xb6\xd0\xb0"; /* 6 Cyrillic letters */
    int w = text_width(f, s);
    assert_int_equal(text_fit(f, s, w), strlen(s));
    assert_int_equal(text_fit(f, s, 0), 0);
    size_t k = text_fit(f, s, w - 1);
    assert_true(k < strlen(s));
    assert_int_equal(k % 2, 0); /* never inside a character */
    assert_true(text_width(f, "\xd0\xbc") <= w);
}

static void test_draw_blends_the_ink(void **state)
{
    (void)state;
    struct text_font *f = font(13);
    gdImagePtr im = gdImageCreate(100, 30);
    assert_non_null(im);
    int white = gdImageColorAllocate(im, 255, 255, 255);
    static const uint8_t ink_rgb[3] = {85, 85, 85};
    struct text_ink *ink = malloc(sizeof(*ink));
    assert_non_null(ink);
    text_ink_init(ink, im, ink_rgb);
    text_draw(ink, f, 2, 20, "Max: 0");
    text_draw(ink, f, -50, 200, "clipped"); /* outside: nothing, no crash */
    int inked = 0, full = 0;
    for (int y = 0; y < 30; y++) {
        for (int x = 0; x < 100; x++) {
            int c = gdImageGetPixel(im, x, y);
            if (c == white)
                continue;
            inked++;
            int r = gdImageRed(im, c), g = gdImageGreen(im, c), b = gdImageBlue(im, c);
            assert_true(r == g && g == b && r >= 85 && r < 255); /* grey between ink and paper */
            full += r == 85;
        }
    }
    assert_true(inked > 30);
    assert_true(full > 5);
    assert_true(gdImageColorsTotal(im) <= 1 + TEXT_LEVELS);
    free(ink);
    gdImageDestroy(im);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fonts_are_cached),
        cmocka_unit_test(test_widths),
        cmocka_unit_test(test_fit_cuts_at_characters),
        cmocka_unit_test(test_draw_blends_the_ink),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
