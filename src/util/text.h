/* util/text.h: checks on short texts people type (descriptions, names),
 * before they are stored and shown in logs and in the dashboard. */
#ifndef OF_UTIL_TEXT_H
#define OF_UTIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when s (len bytes) is valid UTF-8 (no overlong forms, surrogates
 * or code points past U+10FFFF) without control characters: C0 (NUL
 * included), DEL and C1 (U+0080..U+009F). */
bool text_printable(const char *s, size_t len);

#endif
