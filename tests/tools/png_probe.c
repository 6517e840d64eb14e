/* tests/tools/png_probe.c: a PNG decoded by libgd, printed as text for the
 * end-to-end tests. The first line is "WIDTH HEIGHT"; then comes one line
 * per row, top row first, each pixel as six hex digits RRGGBB (alpha is
 * dropped: the charts have none).
 *
 * Every pixel is printed rather than only the columns a test looks at: a
 * 1540 x 400 chart is 3.7 MB of text, written in milliseconds and turned
 * back into (r, g, b) rows by Python's bytes.fromhex, so a test indexes
 * pixels directly and needs no query language for what to print. The file
 * is read whole and decoded from memory, so a PNG cut short ends in a
 * libpng error (exit 1), never in a partly blank image.
 *
 *   png_probe FILE    (or - for standard input)
 *
 * Exit status: 0 decoded, 1 unreadable or not a whole PNG, 2 usage. */
#include <errno.h>
#include <gd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROBE_MAX_BYTES (64u << 20) /* far above any chart; a cap on what input makes us hold */
#define PROBE_CHUNK     65536u

static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

/* Reads all of f into a new buffer; -EFBIG past PROBE_MAX_BYTES. */
static int read_all(FILE *f, unsigned char **out, size_t *out_len)
{
    int rc = 0;
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (cap - len < PROBE_CHUNK) {
            if (cap >= PROBE_MAX_BYTES) {
                rc = -EFBIG;
                goto out;
            }
            size_t ncap = cap ? cap * 2 : PROBE_CHUNK;
            unsigned char *n = realloc(buf, ncap);
            if (!n) {
                rc = -ENOMEM;
                goto out;
            }
            buf = n;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        rc = -EIO;
        goto out;
    }
    *out = buf;
    *out_len = len;
    buf = NULL; /* the caller owns it now */
out:
    free(buf);
    return rc;
}

static int print_image(gdImagePtr im)
{
    static const char hex[] = "0123456789abcdef";
    int w = gdImageSX(im), h = gdImageSY(im);
    char *line = malloc((size_t)w * 6 + 1);
    if (!line)
        return -ENOMEM;
    int rc = printf("%d %d\n", w, h) < 0 ? -EIO : 0;
    for (int y = 0; y < h && rc == 0; y++) {
        char *p = line;
        for (int x = 0; x < w; x++) {
            int c = gdImageGetPixel(im, x, y);
            int rgb[3] = {gdImageRed(im, c), gdImageGreen(im, c), gdImageBlue(im, c)};
            for (int k = 0; k < 3; k++) {
                *p++ = hex[(rgb[k] >> 4) & 15];
                *p++ = hex[rgb[k] & 15];
            }
        }
        *p++ = '\n';
        if (fwrite(line, 1, (size_t)(p - line), stdout) != (size_t)(p - line))
            rc = -EIO;
    }
    free(line);
    if (fflush(stdout) != 0)
        rc = -EIO;
    return rc;
}

/* Decodes data and prints it; a message on stderr and 1 when it is not a
 * whole PNG. */
static int probe(const char *name, const unsigned char *data, size_t len)
{
    if (len < sizeof(png_signature) || memcmp(data, png_signature, sizeof(png_signature)) != 0) {
        fprintf(stderr, "png_probe: %s: not a PNG (no PNG signature)\n", name);
        return 1;
    }
    /* read_all kept len below PROBE_MAX_BYTES, so it fits an int */
    gdImagePtr im = gdImageCreateFromPngPtr((int)len, (void *)data);
    if (!im) {
        fprintf(stderr, "png_probe: %s: libgd cannot decode it (damaged or truncated PNG)\n", name);
        return 1;
    }
    int rc = print_image(im);
    gdImageDestroy(im);
    if (rc < 0) {
        fprintf(stderr, "png_probe: writing the pixels: %s\n", strerror(-rc));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: png_probe FILE|-\n");
        return 2;
    }
    const char *name = argv[1];
    bool is_stdin = strcmp(name, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(name, "rb");
    if (!f) {
        fprintf(stderr, "png_probe: %s: %s\n", name, strerror(errno));
        return 1;
    }
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = read_all(f, &data, &len);
    if (!is_stdin)
        fclose(f);
    if (rc < 0) {
        fprintf(stderr, "png_probe: %s: %s\n", name, strerror(-rc));
        return 1;
    }
    int status = probe(name, data, len);
    free(data);
    return status;
}
