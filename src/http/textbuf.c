/* http/textbuf.c: vsnprintf into a buffer that doubles as needed. */
#include "http/textbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void textbuf_init(struct textbuf *b)
{
    b->p = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = false;
}

static bool reserve(struct textbuf *b, size_t more)
{
    if (more > TEXTBUF_MAX - b->len)
        return false;
    size_t need = b->len + more + 1;
    if (need <= b->cap)
        return true;
    size_t ncap = b->cap ? b->cap : 4096;
    while (ncap < need)
        ncap *= 2;
    char *p = realloc(b->p, ncap);
    if (!p)
        return false;
    b->p = p;
    b->cap = ncap;
    return true;
}

void textbuf_printf(struct textbuf *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(b, (size_t)n)) {
        b->failed = true;
        return;
    }
    if ((size_t)n < sizeof(small)) {
        memcpy(b->p + b->len, small, (size_t)n + 1);
    } else {
        va_start(ap, fmt);
        (void)vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

char *textbuf_take(struct textbuf *b, size_t *len)
{
    char *p = NULL;
    *len = 0;
    if (b->failed) {
        free(b->p);
    } else if (b->p) {
        p = b->p;
        *len = b->len;
    } else {
        p = calloc(1, 1); /* an empty text is still a text */
    }
    textbuf_init(b);
    return p;
}

void textbuf_fini(struct textbuf *b)
{
    free(b->p);
    textbuf_init(b);
}
