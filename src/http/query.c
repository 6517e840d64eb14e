/* http/query.c: query parameters with caps, and the typed readers the
 * endpoints share.
 *
 * Pairs are kept by pointer in a fixed array: the caps bound the array, so
 * a request can neither make us allocate nor walk more than
 * QUERY_MAX_PARAMS entries per lookup. Control characters are refused
 * outright (after percent-decoding "%00" or "%0a" is one), which keeps NUL
 * bytes from hiding the rest of a value and keeps values safe to log. */
#include "http/query.h"

#include <assert.h>
#include <errno.h>
#include <string.h>

#include "account/classes.h"
#include "util/parse.h"

static const char *const reasons[QUERY__COUNT] = {
    [QUERY_OK] = "ok",
    [QUERY_TOO_MANY] = "too many parameters",
    [QUERY_KEY_LONG] = "parameter name too long",
    [QUERY_VALUE_LONG] = "parameter value too long",
    [QUERY_TOO_LONG] = "query string too long",
    [QUERY_BAD_CHAR] = "control character in a parameter",
    [QUERY_EMPTY_KEY] = "parameter without a name",
};

const char *query_status_reason(enum query_status st)
{
    if ((unsigned)st >= QUERY__COUNT)
        return "bad query string";
    return reasons[st];
}

void query_init(struct query *q)
{
    memset(q, 0, sizeof(*q));
}

static bool has_control(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] == 0x7f)
            return true;
    return false;
}

static enum query_status check_pair(const struct query *q, const char *key, size_t klen,
                                    const char *value, size_t vlen)
{
    if (q->n == QUERY_MAX_PARAMS)
        return QUERY_TOO_MANY;
    if (klen > QUERY_MAX_KEY)
        return QUERY_KEY_LONG;
    if (vlen > QUERY_MAX_VALUE)
        return QUERY_VALUE_LONG;
    if (klen + vlen > QUERY_MAX_TOTAL - q->total)
        return QUERY_TOO_LONG;
    if (klen == 0)
        return QUERY_EMPTY_KEY;
    if (has_control(key, klen) || (value && has_control(value, vlen)))
        return QUERY_BAD_CHAR;
    return QUERY_OK;
}

enum query_status query_add(struct query *q, const char *key, size_t klen, const char *value,
                            size_t vlen)
{
    if (q->st != QUERY_OK)
        return q->st;
    if (!key)
        klen = 0;
    if (!value)
        vlen = 0;
    q->st = check_pair(q, key, klen, value, vlen);
    if (q->st != QUERY_OK)
        return q->st;
    q->p[q->n].key = key;
    q->p[q->n].value = value;
    q->n++;
    q->total += klen + vlen;
    return QUERY_OK;
}

void query_expect(struct query *q, const char *reads)
{
    q->reads = reads;
}

bool query_listed(const char *list, const char *key)
{
    size_t n = strlen(key);
    for (const char *w = list; *w;) {
        size_t len = strcspn(w, " ");
        if (len == n && n > 0 && memcmp(w, key, n) == 0)
            return true;
        w += len;
        w += strspn(w, " ");
    }
    return false;
}

static const struct query_param *find(const struct query *q, const char *key)
{
    assert(!q->reads || query_listed(q->reads, key));
    for (size_t i = q->n; i > 0; i--)
        if (strcmp(q->p[i - 1].key, key) == 0)
            return &q->p[i - 1];
    return NULL;
}

const char *query_get(const struct query *q, const char *key)
{
    const struct query_param *p = find(q, key);
    if (!p)
        return NULL;
    return p->value ? p->value : "";
}

bool query_given(const struct query *q, const char *key)
{
    const char *v = query_get(q, key);
    return v && v[0];
}

bool query_has(const struct query *q, const char *key)
{
    return find(q, key) != NULL;
}

int query_int(const struct query *q, const char *key, int64_t min, int64_t max, int64_t *out)
{
    const char *v = query_get(q, key);
    if (!v || !v[0])
        return 0;
    int64_t n;
    int rc = parse_i64(v, min, max, &n);
    if (rc < 0)
        return rc;
    *out = n;
    return 0;
}

int query_addr(const struct query *q, const char *key, struct of_addr *out, bool *given)
{
    const char *v = query_get(q, key);
    *given = false;
    if (!v || !v[0])
        return 0;
    if (addr_parse(v, out) < 0)
        return -EINVAL;
    *given = true;
    return 0;
}

int query_dir(const struct query *q, const char *key, int *dir)
{
    const char *v = query_get(q, key);
    if (!v || !v[0]) {
        *dir = DIR_R;
        return 0;
    }
    if (strcmp(v, "R") == 0) {
        *dir = DIR_R;
        return 0;
    }
    if (strcmp(v, "S") == 0) {
        *dir = DIR_S;
        return 0;
    }
    return -EINVAL;
}
