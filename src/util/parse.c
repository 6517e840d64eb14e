/* util/parse.c: strict number parsing around strtoull/strtoll. */
#include "util/parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    if (!s || !isdigit((unsigned char)s[0]))
        return -EINVAL;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno == ERANGE)
        return -ERANGE;
    if (errno != 0 || end == s || *end != '\0')
        return -EINVAL;
    if (v < min || v > max)
        return -ERANGE;
    *out = (uint64_t)v;
    return 0;
}

int parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
    if (!s || !(isdigit((unsigned char)s[0]) || (s[0] == '-' && isdigit((unsigned char)s[1]))))
        return -EINVAL;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno == ERANGE)
        return -ERANGE;
    if (errno != 0 || end == s || *end != '\0')
        return -EINVAL;
    if (v < min || v > max)
        return -ERANGE;
    *out = (int64_t)v;
    return 0;
}

int parse_bytes(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    static const char units[] = "KMGT";
    char num[24]; /* UINT64_MAX has 20 digits */
    size_t len = s ? strlen(s) : 0;
    const char *u = len ? strchr(units, toupper((unsigned char)s[len - 1])) : NULL;
    if (u)
        len--;
    if (len == 0)
        return -EINVAL;
    if (len >= sizeof(num)) /* past UINT64_MAX when it is a number at all */
        return strspn(s, "0123456789") >= len ? -ERANGE : -EINVAL;
    memcpy(num, s, len);
    num[len] = '\0';
    uint64_t v;
    int rc = parse_u64(num, 0, UINT64_MAX, &v);
    if (rc < 0)
        return rc;
    for (const char *k = units; u && k <= u; k++) {
        if (v > UINT64_MAX / 1024)
            return -ERANGE;
        v *= 1024;
    }
    if (v < min || v > max)
        return -ERANGE;
    *out = v;
    return 0;
}

int parse_bool(const char *s, int *out)
{
    static const char *const yes[] = {"1", "yes", "true", "on"};
    static const char *const no[] = {"0", "no", "false", "off"};
    for (unsigned i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = 0;
            return 0;
        }
    }
    return -EINVAL;
}
