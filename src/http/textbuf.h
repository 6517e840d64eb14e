/* http/textbuf.h: a growing text buffer for bodies built line by line
 * (the metrics). Appends never fail loudly: the first failure (out of
 * memory, or the body passing TEXTBUF_MAX) is sticky and textbuf_take then
 * returns NULL, so a builder checks once at the end. */
#ifndef OF_HTTP_TEXTBUF_H
#define OF_HTTP_TEXTBUF_H

#include <stdbool.h>
#include <stddef.h>

#include "util/compiler.h"

#define TEXTBUF_MAX ((size_t)64 << 20) /* bytes */

struct textbuf {
    char *p;
    size_t len, cap;
    bool failed;
};

void textbuf_init(struct textbuf *b);
void textbuf_printf(struct textbuf *b, const char *fmt, ...) OF_PRINTF(2, 3);

/* The text (malloc'd, NUL-terminated, *len bytes without the NUL), or NULL
 * after a failure. The buffer is empty afterwards either way. */
char *textbuf_take(struct textbuf *b, size_t *len);
void textbuf_fini(struct textbuf *b);

#endif
