/* http/cookie.c: a walk over "a=b; c=d" that never looks past len and
 * keeps no state but its position, so that the fuzz target can check each
 * value it yields against the bytes it came from. */
#include "http/cookie.h"

#include <string.h>

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

/* The pair at p[0..n) (blanks around it removed) if it is name=value. */
static bool pair_value(const char *p, size_t n, const char *name, const char **value, size_t *vlen)
{
    const char *eq = memchr(p, '=', n);
    if (!eq)
        return false;
    size_t e = (size_t)(eq - p);
    size_t klen = e;
    while (klen > 0 && blank(p[klen - 1]))
        klen--;
    if (klen != strlen(name) || memcmp(p, name, klen) != 0)
        return false;
    const char *v = eq + 1;
    size_t vn = n - e - 1;
    while (vn > 0 && blank(*v)) {
        v++;
        vn--;
    }
    if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
        v++;
        vn -= 2;
    }
    *value = v;
    *vlen = vn;
    return true;
}

bool cookie_next(const char *header, size_t len, const char *name, struct cookie_iter *it,
                 const char **value, size_t *vlen)
{
    while (it->pos < len) {
        const char *p = header + it->pos;
        size_t left = len - it->pos;
        const char *semi = memchr(p, ';', left);
        size_t n = semi ? (size_t)(semi - p) : left;
        it->pos += semi ? n + 1 : n;
        while (n > 0 && blank(*p)) {
            p++;
            n--;
        }
        while (n > 0 && blank(p[n - 1]))
            n--;
        if (n > 0 && pair_value(p, n, name, value, vlen))
            return true;
    }
    return false;
}
