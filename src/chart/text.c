/* chart/text.c: text for the charts, drawn from cached glyph bitmaps.
 *
 * libgd's gdImageStringFT would do, but it sets the face's size on every
 * call, and FreeType then runs the TrueType hinting program of the font
 * again: about 0.1 ms per string with DejaVu Sans, 5 ms for the fifty-odd
 * labels of a chart, which is more than the whole chart may cost. So we keep
 * one FreeType face per (file, size), render each glyph once with the same
 * hinting and anti-aliasing libgd uses, and blend the cached coverage into
 * the palette image ourselves. Coverage is quantized to TEXT_LEVELS levels
 * so that a chart needs only a few dozen palette entries for its text.
 *
 * Faces, glyphs and the FreeType library live until the process exits; the
 * caps (TEXT_MAX_FONTS, TEXT_MAX_GLYPHS) bound them, whatever text the
 * charts are asked to show. */
#include "chart/text.h"

#include <errno.h>
#include <ft2build.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include FT_FREETYPE_H

#define TEXT_GLYPH_SLOTS (2 * TEXT_MAX_GLYPHS) /* power of two, load <= 1/2 */
#define TEXT_MIN_PX      8
#define TEXT_MAX_PX      128
#define TEXT_REPLACEMENT 0xfffdu

struct glyph {
    uint32_t cp;
    FT_UInt index; /* in the face; for kerning */
    int left, top; /* bitmap offset from the pen and the baseline */
    int w, h;
    int advance; /* pixels */
    uint8_t bits[];
};

struct text_font {
    char *path;
    unsigned px;
    FT_Face face;
    int ascent, descent;
    bool kerning;
    size_t nglyphs;
    struct glyph *slots[TEXT_GLYPH_SLOTS];
};

static pthread_mutex_t text_lock = PTHREAD_MUTEX_INITIALIZER;
static FT_Library text_lib;
static struct text_font *text_fonts[TEXT_MAX_FONTS];
static size_t text_nfonts;

/* The next code point of s, moving s past it; malformed sequences (bad
 * lead or continuation bytes, overlong forms, surrogates) are U+FFFD. */
static uint32_t utf8_next(const char **s)
{
    const uint8_t *p = (const uint8_t *)*s;
    uint32_t cp = p[0];
    size_t n;
    if (cp < 0x80) {
        *s += 1;
        return cp;
    }
    if (cp >= 0xc2 && cp < 0xe0)
        n = 1;
    else if (cp >= 0xe0 && cp < 0xf0)
        n = 2;
    else if (cp >= 0xf0 && cp < 0xf5)
        n = 3;
    else {
        *s += 1;
        return TEXT_REPLACEMENT;
    }
    cp &= 0x3fu >> n; /* the payload bits of the lead byte */
    /* A NUL is no continuation byte, so this never reads past the end. */
    for (size_t i = 1; i <= n; i++) {
        if ((p[i] & 0xc0) != 0x80) {
            *s += i;
            return TEXT_REPLACEMENT;
        }
        cp = cp << 6 | (p[i] & 0x3fu);
    }
    *s += n + 1;
    static const uint32_t min[4] = {0, 0x80, 0x800, 0x10000}; /* shortest form */
    if (cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return TEXT_REPLACEMENT;
    return cp;
}

static struct glyph *glyph_render(struct text_font *f, uint32_t cp)
{
    FT_UInt index = FT_Get_Char_Index(f->face, cp);
    if (FT_Load_Glyph(f->face, index, FT_LOAD_DEFAULT) != 0 ||
        FT_Render_Glyph(f->face->glyph, FT_RENDER_MODE_NORMAL) != 0)
        return NULL;
    FT_GlyphSlot s = f->face->glyph;
    const FT_Bitmap *bm = &s->bitmap;
    if (bm->pixel_mode != FT_PIXEL_MODE_GRAY && bm->rows > 0)
        return NULL;
    size_t w = bm->width, h = bm->rows;
    struct glyph *g = malloc(sizeof(*g) + w * h);
    if (!g)
        return NULL;
    *g = (struct glyph){.cp = cp,
                        .index = index,
                        .left = s->bitmap_left,
                        .top = s->bitmap_top,
                        .w = (int)w,
                        .h = (int)h,
                        .advance = (int)((s->advance.x + 32) >> 6)};
    for (size_t y = 0; y < h; y++) {
        const uint8_t *row = bm->buffer + (ptrdiff_t)y * bm->pitch;
        memcpy(g->bits + y * w, row, w);
    }
    return g;
}

/* The cached glyph of cp; when the cache is full, a fresh one that the
 * caller frees (*owned set). NULL when FreeType fails. Under text_lock. */
static struct glyph *glyph_get(struct text_font *f, uint32_t cp, bool *owned)
{
    size_t i = (cp * 2654435761u) & (TEXT_GLYPH_SLOTS - 1);
    while (f->slots[i]) {
        if (f->slots[i]->cp == cp) {
            *owned = false;
            return f->slots[i];
        }
        i = (i + 1) & (TEXT_GLYPH_SLOTS - 1);
    }
    struct glyph *g = glyph_render(f, cp);
    *owned = f->nglyphs >= TEXT_MAX_GLYPHS;
    if (g && !*owned) {
        f->slots[i] = g;
        f->nglyphs++;
    }
    return g;
}

static int font_load(const char *path, unsigned px, struct text_font **out)
{
    int rc = -ENOMEM;
    struct text_font *f = calloc(1, sizeof(*f));
    if (!f)
        goto out;
    f->px = px;
    f->path = malloc(strlen(path) + 1);
    if (!f->path)
        goto out;
    memcpy(f->path, path, strlen(path) + 1);
    rc = -ENOENT;
    if (FT_New_Face(text_lib, path, 0, &f->face) != 0) {
        f->face = NULL;
        goto out;
    }
    if (!FT_IS_SCALABLE(f->face) || FT_Set_Pixel_Sizes(f->face, 0, px) != 0)
        goto out;
    f->ascent = (int)((f->face->size->metrics.ascender + 63) >> 6);
    f->descent = (int)((-f->face->size->metrics.descender + 63) >> 6);
    f->kerning = FT_HAS_KERNING(f->face);
    *out = f;
    f = NULL;
    rc = 0;
out:
    if (f) {
        if (f->face)
            FT_Done_Face(f->face);
        free(f->path);
        free(f);
    }
    return rc;
}

int text_font_get(const char *path, unsigned px, struct text_font **out)
{
    if (!path || px < TEXT_MIN_PX || px > TEXT_MAX_PX)
        return -EINVAL;
    int rc = 0;
    pthread_mutex_lock(&text_lock);
    if (!text_lib && FT_Init_FreeType(&text_lib) != 0) {
        text_lib = NULL;
        rc = -ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < text_nfonts; i++) {
        if (text_fonts[i]->px == px && strcmp(text_fonts[i]->path, path) == 0) {
            *out = text_fonts[i];
            goto out;
        }
    }
    if (text_nfonts == TEXT_MAX_FONTS) {
        rc = -ENOSPC;
        goto out;
    }
    struct text_font *f;
    rc = font_load(path, px, &f);
    if (rc == 0) {
        text_fonts[text_nfonts++] = f;
        *out = f;
    }
out:
    pthread_mutex_unlock(&text_lock);
    return rc;
}

int text_ascent(const struct text_font *f)
{
    return f->ascent;
}

int text_descent(const struct text_font *f)
{
    return f->descent;
}

/* Pixels between the pens of two glyphs beyond the first one's advance. */
static int kern(const struct text_font *f, FT_UInt prev, FT_UInt cur)
{
    FT_Vector d;
    if (!f->kerning || prev == 0 || FT_Get_Kerning(f->face, prev, cur, FT_KERNING_DEFAULT, &d) != 0)
        return 0;
    return (int)((d.x + 32) >> 6);
}

/* Walks s glyph by glyph; calls fn (when not NULL) with each glyph and its
 * pen position; stops before the glyph that would pass max_px. Returns the
 * width walked; *used the bytes of s it covers. Under text_lock. */
static int text_walk(struct text_font *f, const char *s, int max_px, size_t *used,
                     void (*fn)(struct text_ink *, const struct glyph *, int, int),
                     struct text_ink *ink, int x, int y)
{
    const char *p = s;
    int pen = 0;
    FT_UInt prev = 0;
    while (*p) {
        const char *next = p;
        uint32_t cp = utf8_next(&next);
        bool owned;
        struct glyph *g = glyph_get(f, cp, &owned);
        if (!g)
            break;
        int at = pen + kern(f, prev, g->index);
        if (at + g->advance > max_px) {
            if (owned)
                free(g);
            break;
        }
        if (fn)
            fn(ink, g, x + at, y);
        pen = at + g->advance;
        prev = g->index;
        p = next;
        if (owned)
            free(g);
    }
    if (used)
        *used = (size_t)(p - s);
    return pen;
}

int text_width(struct text_font *f, const char *s)
{
    pthread_mutex_lock(&text_lock);
    int w = text_walk(f, s, INT32_MAX / 2, NULL, NULL, NULL, 0, 0);
    pthread_mutex_unlock(&text_lock);
    return w;
}

size_t text_fit(struct text_font *f, const char *s, int max_px)
{
    size_t used;
    pthread_mutex_lock(&text_lock);
    (void)text_walk(f, s, max_px, &used, NULL, NULL, 0, 0);
    pthread_mutex_unlock(&text_lock);
    return used;
}

void text_ink_init(struct text_ink *ink, gdImagePtr im, const uint8_t rgb[3])
{
    ink->im = im;
    memcpy(ink->rgb, rgb, 3);
    memset(ink->blend, 0xff, sizeof(ink->blend));
}

/* The palette entry of the ink at coverage level over entry bg. */
static int ink_blend(struct text_ink *ink, int bg, int level)
{
    int16_t *slot = &ink->blend[bg][level];
    if (*slot >= 0)
        return *slot;
    gdImagePtr im = ink->im;
    int c[3] = {im->red[bg], im->green[bg], im->blue[bg]};
    for (int i = 0; i < 3; i++)
        c[i] += (int)lround((ink->rgb[i] - c[i]) * (double)level / (TEXT_LEVELS - 1));
    int idx = gdImageColorResolve(im, c[0], c[1], c[2]);
    *slot = (int16_t)(idx < 0 ? bg : idx);
    return *slot;
}

static void glyph_blit(struct text_ink *ink, const struct glyph *g, int x, int y)
{
    gdImagePtr im = ink->im;
    int x0 = x + g->left, y0 = y - g->top;
    for (int j = 0; j < g->h; j++) {
        int py = y0 + j;
        if (py < 0 || py >= im->sy)
            continue;
        const uint8_t *row = g->bits + (size_t)j * (size_t)g->w;
        for (int i = 0; i < g->w; i++) {
            int px = x0 + i;
            int level = (row[i] * (TEXT_LEVELS - 1) + 127) / 255;
            if (level == 0 || px < 0 || px >= im->sx)
                continue;
            im->pixels[py][px] = (unsigned char)ink_blend(ink, im->pixels[py][px], level);
        }
    }
}

void text_draw(struct text_ink *ink, struct text_font *f, int x, int y, const char *s)
{
    pthread_mutex_lock(&text_lock);
    (void)text_walk(f, s, INT32_MAX / 2, NULL, glyph_blit, ink, x, y);
    pthread_mutex_unlock(&text_lock);
}
