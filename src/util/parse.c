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
    if (!s || !isdigit((unsigned char)s[0]))
        return -EINVAL;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno == ERANGE)
        return -ERANGE;
    if (errno != 0 || end == s)
        return -EINVAL;
    if (*end != '\0') {
        const char *u = strchr(units, toupper((unsigned char)*end));
        if (!u || end[1] != '\0')
            return -EINVAL;
        for (const char *k = units; k <= u; k++) {
            if (v > UINT64_MAX / 1024)
                return -ERANGE;
            v *= 1024;
        }
    }
    if (v < min || v > max)
        return -ERANGE;
    *out = (uint64_t)v;
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
