/* util/text.c: a UTF-8 walk after RFC 3629, section 4: each lead byte
 * allows a narrower range for the byte that follows it, which rules out
 * overlong forms and surrogates without decoding. */
#include "util/text.h"

#include <stdint.h>

/* Bytes of the sequence that starts with b and the range of its second
 * byte; 0 for a byte that cannot start one. */
static size_t utf8_lead(uint8_t b, uint8_t *lo, uint8_t *hi)
{
    *lo = 0x80;
    *hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf)
        return 2;
    if (b >= 0xe0 && b <= 0xef) {
        if (b == 0xe0)
            *lo = 0xa0;
        else if (b == 0xed)
            *hi = 0x9f; /* no surrogates */
        return 3;
    }
    if (b >= 0xf0 && b <= 0xf4) {
        if (b == 0xf0)
            *lo = 0x90;
        else if (b == 0xf4)
            *hi = 0x8f; /* nothing past U+10FFFF */
        return 4;
    }
    return 0;
}

bool text_printable(const char *s, size_t len)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0;
    while (i < len) {
        uint8_t b = p[i];
        if (b < 0x80) {
            if (b < 0x20 || b == 0x7f)
                return false;
            i++;
            continue;
        }
        uint8_t lo, hi;
        size_t n = utf8_lead(b, &lo, &hi);
        if (n == 0 || len - i < n)
            return false;
        if (p[i + 1] < lo || p[i + 1] > hi)
            return false;
        for (size_t k = 2; k < n; k++)
            if (p[i + k] < 0x80 || p[i + k] > 0xbf)
                return false;
        if (b == 0xc2 && p[i + 1] <= 0x9f) /* C1 controls, U+0080..U+009F */
            return false;
        i += n;
    }
    return true;
}
