/* chart/text.h: anti-aliased text for the charts, from a glyph cache.
 *
 * Fonts (a TrueType file at a pixel size) are loaded once per process and
 * kept until it exits; so are the glyphs drawn with them, up to a cap per
 * font. All functions are thread-safe: one process-wide lock guards
 * FreeType and the caches. Only chart/ uses this. */
#ifndef OF_CHART_TEXT_H
#define OF_CHART_TEXT_H

#include <gd.h>
#include <stddef.h>
#include <stdint.h>

#include "util/compiler.h"

/* Distinct (file, size) fonts one process keeps. */
#define TEXT_MAX_FONTS 16
/* Glyphs cached per font; past that they are rendered each time. */
#define TEXT_MAX_GLYPHS 1024
/* Coverage levels of anti-aliased text in a palette image. */
#define TEXT_LEVELS 16

struct text_font;

/* The font of a TrueType file at px pixels per em (8..128). 0, -ENOENT when
 * the file can't be loaded as a font, -ENOSPC past TEXT_MAX_FONTS, -ENOMEM,
 * -EINVAL for a size out of range. The font stays valid until exit. */
OF_MUST_CHECK int text_font_get(const char *path, unsigned px, struct text_font **out);

/* Pixels the font's glyphs reach above and below the baseline. */
int text_ascent(const struct text_font *f);
int text_descent(const struct text_font *f);

/* Width of UTF-8 text s in pixels (pen advance, kerning included).
 * Malformed UTF-8 counts as U+FFFD. */
int text_width(struct text_font *f, const char *s);

/* Bytes of s, whole code points, whose width is at most max_px. */
size_t text_fit(struct text_font *f, const char *s, int max_px);

/* Text of one colour for one palette image: it remembers which palette
 * entry each blend of the colour over a background entry became, so that
 * anti-aliasing costs one palette search per blend, not per pixel. */
struct text_ink {
    gdImagePtr im;
    uint8_t rgb[3];
    int16_t blend[gdMaxColors][TEXT_LEVELS]; /* -1: not resolved yet */
};

void text_ink_init(struct text_ink *ink, gdImagePtr im, const uint8_t rgb[3]);

/* Draws s with its pen starting at x and its baseline at y; clipped to the
 * image. ink->im must be a palette image. */
void text_draw(struct text_ink *ink, struct text_font *f, int x, int y, const char *s);

#endif
