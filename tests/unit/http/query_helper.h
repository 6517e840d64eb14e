/* A query from "a=1&b&c=" for the endpoint tests: buf is a writable copy
 * the query keeps pointers into (no percent-decoding; tests use plain
 * text). */
#ifndef OF_TESTS_UNIT_HTTP_QUERY_HELPER_H
#define OF_TESTS_UNIT_HTTP_QUERY_HELPER_H

#include <string.h>

#include "http/query.h"

static inline enum query_status query_from(struct query *q, char *buf, size_t cap, const char *qs)
{
    size_t n = strlen(qs);
    query_init(q);
    if (n >= cap)
        return QUERY_TOO_LONG;
    memcpy(buf, qs, n + 1);
    char *p = buf;
    while (*p) {
        char *amp = strchr(p, '&');
        if (amp)
            *amp = '\0';
        char *eq = strchr(p, '=');
        if (eq)
            *eq = '\0';
        if (*p &&
            query_add(q, p, strlen(p), eq ? eq + 1 : NULL, eq ? strlen(eq + 1) : 0) != QUERY_OK)
            return q->st;
        if (!amp)
            break;
        p = amp + 1;
    }
    return q->st;
}

#endif
