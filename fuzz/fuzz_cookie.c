/* fuzz/fuzz_cookie.c: the request headers the server parses itself, before
 * anything is looked up: Cookie (http/cookie.c), Authorization: Bearer
 * (http/gate.c) and Content-Type (http/body.c).
 *
 * The input is one header value. Checked: every cookie value yielded lies
 * inside the input and holds no ';', the walk moves forward and ends, a
 * bearer token lies inside the value without blanks at its ends, and a
 * Content-Type taken as JSON is "application/json" with parameters at
 * most. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/body.h"
#include "http/cookie.h"
#include "http/gate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

#define FUZZ_INPUT 8192

static void check_cookies(const char *h, size_t len, const char *name)
{
    struct cookie_iter it = {0};
    const char *v = NULL;
    size_t n = 0;
    size_t last = 0;
    size_t count = 0;
    while (cookie_next(h, len, name, &it, &v, &n)) {
        FUZZ_CHECK(v >= h && n <= len && (size_t)(v - h) <= len - n);
        FUZZ_CHECK(!memchr(v, ';', n));
        FUZZ_CHECK(it.pos > last && it.pos <= len);
        last = it.pos;
        count++;
    }
    FUZZ_CHECK(count <= len / (strlen(name) + 1) + 1);
}

static void check_bearer(const char *h, size_t len)
{
    const char *t = NULL;
    size_t n = 0;
    if (!gate_bearer(h, &t, &n))
        return;
    FUZZ_CHECK(t > h && n > 0 && (size_t)(t - h) + n <= len);
    FUZZ_CHECK(t[0] != ' ' && t[0] != '\t' && t[n - 1] != ' ' && t[n - 1] != '\t');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char buf[FUZZ_INPUT + 1];
    if (size > FUZZ_INPUT)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    check_cookies(buf, size, COOKIE_SESSION);
    check_cookies(buf, size, "a");
    /* The header values libmicrohttpd hands over end at the first NUL. */
    size_t slen = strlen(buf);
    check_bearer(buf, slen);
    if (body_type_json(buf)) {
        const char *p = buf + strspn(buf, " \t");
        FUZZ_CHECK(strncasecmp(p, "application/json", 16) == 0);
        FUZZ_CHECK(p[16 + strspn(p + 16, " \t")] == '\0' || p[16 + strspn(p + 16, " \t")] == ';');
    }
    return 0;
}
