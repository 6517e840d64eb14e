/* http/query.h: the parameters of one request, collected with caps.
 *
 * The server hands every (key, value) pair of the query string to
 * query_add, already percent-decoded, with explicit lengths; nothing here
 * knows about HTTP, so the fuzz target and the unit tests drive it directly.
 * Every cap is checked before anything is kept, and the first breach is
 * sticky: the request is then refused with query_status_reason(). The
 * pointers are borrowed: they must stay valid while the query is used (the
 * server's connection holds them for the whole request).
 *
 * Optional parameters follow the original's PHP rule that an empty value
 * is the same as no value ("&month=&year=" means the defaults); a key
 * given twice takes its last value, as PHP's $_GET does. Parameters no
 * endpoint reads are ignored, so that cache-busting extras keep working. */
#ifndef OF_HTTP_QUERY_H
#define OF_HTTP_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/addr.h"
#include "util/compiler.h"

#define QUERY_MAX_PARAMS 32   /* pairs in one query string */
#define QUERY_MAX_KEY    32   /* bytes of a key */
#define QUERY_MAX_VALUE  256  /* bytes of a value (an IPv6 address takes 45) */
#define QUERY_MAX_TOTAL  2048 /* bytes of all keys and values together */
#define QUERY_MAX_URI    4096 /* bytes of the raw request target, path and query */

enum query_status {
    QUERY_OK = 0,
    QUERY_TOO_MANY,   /* more than QUERY_MAX_PARAMS pairs */
    QUERY_KEY_LONG,   /* a key longer than QUERY_MAX_KEY */
    QUERY_VALUE_LONG, /* a value longer than QUERY_MAX_VALUE */
    QUERY_TOO_LONG,   /* more than QUERY_MAX_TOTAL bytes, or the URI past QUERY_MAX_URI */
    QUERY_BAD_CHAR,   /* a control character (NUL included) in a key or value */
    QUERY_EMPTY_KEY,  /* "=value" with no key */
    QUERY__COUNT
};

/* A one-line reason for a client ("too many parameters"); never NULL. */
const char *query_status_reason(enum query_status st);

struct query_param {
    const char *key;
    const char *value; /* NULL for a key given without '=' */
};

struct query {
    struct query_param p[QUERY_MAX_PARAMS];
    size_t n;
    size_t total;         /* bytes of keys and values so far */
    enum query_status st; /* the first cap breached, sticky */
    const char *reads;    /* the keys an endpoint may read, or NULL for any */
};

void query_init(struct query *q);

/* Declares the keys the endpoint will read, space-separated (a route's
 * parameters, http/router.h). Reading any other key is a bug of ours and
 * fails an assertion, so a route's row cannot go stale. The pairs a client
 * sends are collected and capped as before, whatever their keys. */
void query_expect(struct query *q, const char *reads);

/* True when key is one of the space-separated words of list. */
bool query_listed(const char *list, const char *key);

/* Adds one pair. klen and vlen are the decoded lengths (the strings must
 * also be NUL-terminated there); value may be NULL. Returns q->st, which
 * stays at the first failure: later pairs are not looked at. */
enum query_status query_add(struct query *q, const char *key, size_t klen, const char *value,
                            size_t vlen);

/* The value of key's last occurrence: "" for a key without '=', NULL when
 * the key is absent. */
const char *query_get(const struct query *q, const char *key);

/* True when key is there with a non-empty value. */
bool query_given(const struct query *q, const char *key);

/* True when key is there at all, with or without a value (flags such as
 * dumpdata). */
bool query_has(const struct query *q, const char *key);

/* Optional integer: 0 with *out set when given and inside [min, max], 0
 * with *out untouched when absent or empty, -EINVAL when it is not a
 * decimal number, -ERANGE when it is one outside [min, max]. */
OF_MUST_CHECK int query_int(const struct query *q, const char *key, int64_t min, int64_t max,
                            int64_t *out);

/* Optional address: 0 with *out set and *given true, 0 with *given false
 * when absent or empty, -EINVAL when it is not an IPv4 or IPv6 address. */
OF_MUST_CHECK int query_addr(const struct query *q, const char *key, struct of_addr *out,
                             bool *given);

/* Optional direction "R" or "S" (DIR_R when absent or empty); -EINVAL for
 * anything else. */
OF_MUST_CHECK int query_dir(const struct query *q, const char *key, int *dir);

#endif
